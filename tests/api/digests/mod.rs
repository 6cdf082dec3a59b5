//! Digests through a real SMTP conversation (`tests/api/smtp.rs`): what a
//! lead reads (`content`) and delivery exactly once whatever the mail server
//! and the processes do (`delivery`). Shared set-up below.

mod content;
mod delivery;

use crate::helpers::{Db, TestApp, fresh_database, start};
use crate::smtp::SmtpServer;
use campaign_feedback::digest::{Report, deliver_due_digests};
use campaign_feedback::domain::clock::FixedClock;
use campaign_feedback::domain::officer::Role;
use campaign_feedback::domain::schedule::Frequency;
use campaign_feedback::store;
use chrono::{DateTime, Utc};
use std::sync::Arc;

pub(super) const PASSWORD: &str = "meadow lantern quarry";

pub(super) fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

pub(super) async fn app_at(db: Db, now: DateTime<Utc>, smtp: &SmtpServer) -> (TestApp, FixedClock) {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(db, &dir).await;
    let clock = FixedClock::new(now);
    let app = start(
        url,
        dir,
        &[("SMTP_URL", &smtp.url())],
        Arc::new(clock.clone()),
    )
    .await;
    (app, clock)
}

pub(super) async fn lead(
    app: &TestApp,
    email: &str,
    frequency: Frequency,
    skip_empty: bool,
    now: DateTime<Utc>,
) {
    app.add_officer(email, Role::Lead, PASSWORD).await;
    store::digests::subscribe(
        &app.state.db,
        email,
        "demand_policy",
        frequency,
        skip_empty,
        now,
    )
    .await
    .unwrap();
}

pub(super) async fn run(app: &TestApp, now: DateTime<Utc>) -> Report {
    deliver_due_digests(
        &app.state.db,
        &app.state.mailer,
        &app.state.digest,
        now,
        false,
    )
    .await
    .unwrap()
}

/// The plain-text part, quoted-printable decoded.
pub(crate) fn text_part(message: &str) -> String {
    let start = message
        .find("Content-Type: text/plain")
        .expect("a text part");
    let body = &message[start..];
    let body = &body[body.find("\n\n").unwrap() + 2..body.find("\n--").unwrap()];
    let joined = body.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let hex = joined
            .get(i + 1..i + 3)
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        if let (b'=', Some(b)) = (bytes[i], hex) {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

pub(super) fn new_responses(message: &str) -> i64 {
    let text = text_part(message);
    if text.contains("No new feedback") {
        return 0;
    }
    let line = text
        .lines()
        .find(|l| l.contains("new response"))
        .expect("a count line");
    line.split_whitespace().next().unwrap().parse().unwrap()
}
