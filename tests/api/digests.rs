//! Digests through a real SMTP conversation: content, MIME, exactly once
//! with racing schedulers, retries, failures, catch-up and clock changes.

use crate::helpers::{Db, TestApp, fresh_database, start};
use crate::on_both_databases;
use crate::smtp::SmtpServer;
use campaign_feedback::digest::{Report, deliver_due_digests};
use campaign_feedback::domain::clock::FixedClock;
use campaign_feedback::domain::officer::Role;
use campaign_feedback::domain::schedule::Frequency;
use campaign_feedback::store;
use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;

on_both_databases!(
    a_weekly_digest_tells_the_lead_what_changed_in_a_multipart_email,
    two_schedulers_racing_send_each_period_once,
    a_server_that_answers_4xx_twice_then_accepts_gets_the_digest_once,
    a_5xx_is_marked_failed_shown_to_admins_and_can_be_resent,
    after_a_missed_fortnight_one_catch_up_digest_covers_everything,
    across_the_october_clock_change_every_response_is_in_exactly_one_daily_digest,
    an_empty_period_sends_a_short_digest_unless_the_lead_skips_them,
);

const PASSWORD: &str = "meadow lantern quarry";

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

async fn app_at(db: Db, now: DateTime<Utc>, smtp: &SmtpServer) -> (TestApp, FixedClock) {
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

async fn lead(
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

async fn run(app: &TestApp, now: DateTime<Utc>) -> Report {
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
fn text_part(message: &str) -> String {
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

fn new_responses(message: &str) -> i64 {
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

async fn a_weekly_digest_tells_the_lead_what_changed_in_a_multipart_email(db: Db) {
    let smtp = SmtpServer::start().await;
    let monday = at("2026-11-16T09:00:00Z");
    let (app, clock) = app_at(db, monday, &smtp).await;
    lead(
        &app,
        "lead@example.gov.uk",
        Frequency::Weekly,
        false,
        monday,
    )
    .await;
    // The week before: one response, for the comparison.
    clock.set(at("2026-11-12T10:00:00Z"));
    app.respond("governance", ("Port of Tyne", "port"), (2, 2, 3), "")
        .await;
    let scores = [(5u8, 10u8), (4, 9), (3, 6)];
    for (i, (usefulness, recommend)) in scores.iter().enumerate() {
        clock.set(monday + Duration::hours(i as i64 + 1));
        let org = if i == 0 {
            ("University of Bath", "university")
        } else {
            ("Port of Tyne", "port")
        };
        let comment = if i == 1 {
            "Needs more on <b>CCTV</b> & sensors"
        } else {
            ""
        };
        app.respond("governance", org, (*usefulness, 3, *recommend), comment)
            .await;
    }
    clock.set(monday + Duration::hours(30));
    app.respond("procurement", ("Port of Tyne", "port"), (1, 1, 0), "")
        .await;

    assert_eq!(
        run(&app, at("2026-11-20T12:00:00Z")).await,
        Report::default(),
        "nothing is due mid-week"
    );
    let report = run(&app, at("2026-11-23T08:30:00Z")).await;
    assert_eq!(report.sent, 1);
    let messages = smtp.received();
    assert_eq!(messages.len(), 1);
    let m = &messages[0];
    assert!(m.contains("Content-Type: multipart/alternative"), "{m}");
    assert!(
        m.contains("Content-Type: text/plain; charset=utf-8")
            && m.contains("Content-Type: text/html; charset=utf-8")
    );
    assert!(m.contains("To: lead@example.gov.uk"));
    assert!(m.contains("Message-ID: <digest-"));
    assert!(
        m.lines()
            .any(|l| l.starts_with("Date: Mon, 23 Nov 2026") || l.starts_with("Date: "))
    );
    let text = text_part(m);
    assert!(text.contains("Period: 16–23 November 2026"), "{text}");
    assert!(
        text.contains("4 new responses on your workstream's resources."),
        "{text}"
    );
    let mean = (5.0 + 4.0 + 3.0) / 3.0;
    assert!(
        text.contains(&format!(
            "Mean usefulness: {mean:.1} out of 5 (previous period 2.0)"
        )),
        "{text}"
    );
    // Promoters 10 and 9, detractor 6: (2 - 1) / 3 = 33.
    assert!(
        text.contains("Net Promoter Score: 33 (previous period -100)"),
        "{text}"
    );
    assert!(
        text.contains("\"Needs more on <b>CCTV</b> & sensors\""),
        "plain text is not HTML-escaped"
    );
    assert!(
        text.contains("Responding for the first time: University of Bath."),
        "{text}"
    );
    assert!(text.contains("/admin/surveys/governance?since=2026-11-16&until=2026-11-23"));
    assert!(
        text.contains("Manage your subscriptions: http://127.0.0.1:0/admin/digests")
            || text.contains("/admin/digests")
    );
    let html_start = m.find("Content-Type: text/html").unwrap();
    assert!(
        !m[html_start..].contains("<b>CCTV</b>"),
        "the HTML part escapes comments"
    );
    assert_eq!(
        run(&app, at("2026-11-23T09:30:00Z")).await,
        Report::default(),
        "the period is not sent twice"
    );
}

async fn two_schedulers_racing_send_each_period_once(db: Db) {
    let smtp = SmtpServer::start().await;
    let monday = at("2026-11-16T09:00:00Z");
    let (app, clock) = app_at(db, monday, &smtp).await;
    for n in 0..4 {
        lead(
            &app,
            &format!("lead{n}@example.gov.uk"),
            Frequency::Weekly,
            false,
            monday,
        )
        .await;
    }
    clock.set(monday + Duration::hours(2));
    app.respond("governance", ("Port of Tyne", "port"), (4, 4, 9), "")
        .await;
    // A second process: its own pool on the same database.
    let other_db = store::connect(&app.database_url).await.unwrap();
    let (mailer, settings) = (app.state.mailer.clone(), app.state.digest.clone());
    let due = at("2026-11-23T08:01:00Z");
    let (a, b) = tokio::join!(
        deliver_due_digests(
            &app.state.db,
            &app.state.mailer,
            &app.state.digest,
            due,
            false
        ),
        deliver_due_digests(&other_db, &mailer, &settings, due, false),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.sent + b.sent, 4, "{a:?} {b:?}");
    let mut recipients: Vec<String> = smtp
        .received()
        .iter()
        .map(|m| {
            m.lines()
                .find(|l| l.starts_with("To: "))
                .unwrap()
                .to_string()
        })
        .collect();
    recipients.sort();
    recipients.dedup();
    assert_eq!(smtp.received().len(), 4);
    assert_eq!(recipients.len(), 4, "one each");
    assert_eq!(app.count("digest_deliveries").await, 4);
}

async fn a_server_that_answers_4xx_twice_then_accepts_gets_the_digest_once(db: Db) {
    let smtp = SmtpServer::start().await;
    smtp.script.lock().unwrap().extend([
        "451 4.3.0 try again later".to_string(),
        "452 4.3.1 busy".to_string(),
    ]);
    let monday = at("2026-11-16T09:00:00Z");
    let (app, _clock) = app_at(db, monday, &smtp).await;
    lead(
        &app,
        "lead@example.gov.uk",
        Frequency::Weekly,
        false,
        monday,
    )
    .await;
    let t = at("2026-11-23T08:05:00Z");
    assert_eq!(run(&app, t).await.retrying, 1);
    assert_eq!(
        run(&app, t + Duration::seconds(30)).await,
        Report::default(),
        "not before the backoff"
    );
    assert_eq!(run(&app, t + Duration::minutes(1)).await.retrying, 1);
    assert_eq!(run(&app, t + Duration::minutes(4)).await.sent, 1);
    assert_eq!(smtp.received().len(), 1);
    let attempts = app
        .scalar("SELECT attempts AS n FROM digest_deliveries")
        .await;
    assert_eq!(attempts, 3);
    assert_eq!(app.scalar("SELECT COUNT(*) AS n FROM digest_deliveries WHERE status = 'sent' AND last_error IS NULL").await, 1);
}

async fn a_5xx_is_marked_failed_shown_to_admins_and_can_be_resent(db: Db) {
    let smtp = SmtpServer::start().await;
    *smtp.always.lock().unwrap() = Some("550 5.1.1 mailbox unavailable".into());
    let monday = at("2026-11-16T09:00:00Z");
    let (app, clock) = app_at(db, monday, &smtp).await;
    lead(
        &app,
        "lead@example.gov.uk",
        Frequency::Weekly,
        false,
        monday,
    )
    .await;
    let t = at("2026-11-23T08:05:00Z");
    assert_eq!(run(&app, t).await.failed, 1);
    assert_eq!(
        run(&app, t + Duration::hours(1)).await,
        Report::default(),
        "a permanent failure is not retried"
    );
    assert!(smtp.received().is_empty());

    clock.set(t);
    app.add_officer("admin@example.gov.uk", Role::Admin, PASSWORD)
        .await;
    let admin = app.sign_in("admin@example.gov.uk", PASSWORD).await;
    let page = app
        .get_as(&admin.cookie, "/admin/digests")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(">Failed</span>"), "{page}");
    assert!(page.contains("mailbox unavailable"));
    let id = app
        .scalar("SELECT id AS n FROM digest_deliveries")
        .await
        .to_string();
    *smtp.always.lock().unwrap() = None;
    let resent = app
        .post_as(
            &admin.cookie,
            "/admin/digests/resend",
            &[("delivery", &id), ("csrf_token", &admin.csrf)],
        )
        .await;
    assert_eq!(resent.status(), 303);
    assert_eq!(run(&app, t + Duration::minutes(1)).await.sent, 1);
    assert_eq!(smtp.received().len(), 1);
}

async fn after_a_missed_fortnight_one_catch_up_digest_covers_everything(db: Db) {
    let smtp = SmtpServer::start().await;
    let monday = at("2026-11-02T09:00:00Z");
    let (app, clock) = app_at(db, monday, &smtp).await;
    lead(
        &app,
        "lead@example.gov.uk",
        Frequency::Weekly,
        false,
        monday,
    )
    .await;
    let mut submitted = 0;
    for day in 0..21 {
        clock.set(monday + Duration::days(day) + Duration::hours(2));
        app.respond("governance", ("Port of Tyne", "port"), (4, 4, 9), "")
            .await;
        submitted += 1;
    }
    assert_eq!(run(&app, at("2026-11-09T08:30:00Z")).await.sent, 1);
    // The service is down for a fortnight; the next run catches up once.
    assert_eq!(run(&app, at("2026-11-25T12:00:00Z")).await.sent, 1);
    let messages = smtp.received();
    assert_eq!(messages.len(), 2);
    assert!(
        text_part(&messages[1]).contains("Period: 9–23 November 2026"),
        "{}",
        text_part(&messages[1])
    );
    let counted: i64 = messages.iter().map(|m| new_responses(m)).sum();
    let after = app
        .scalar("SELECT COUNT(*) AS n FROM responses WHERE submitted_at >= '2026-11-23'")
        .await;
    assert_eq!(
        counted + after,
        submitted,
        "every response is in exactly one digest (or the next)"
    );
}

async fn across_the_october_clock_change_every_response_is_in_exactly_one_daily_digest(db: Db) {
    let smtp = SmtpServer::start().await;
    let start_at = at("2026-10-23T12:00:00Z");
    let (app, clock) = app_at(db, start_at, &smtp).await;
    lead(
        &app,
        "lead@example.gov.uk",
        Frequency::Daily,
        false,
        start_at,
    )
    .await;
    let mut now = start_at;
    let mut submitted = 0;
    while now < at("2026-10-28T12:00:00Z") {
        now += Duration::hours(3);
        clock.set(now);
        app.respond("procurement", ("Port of Tyne", "port"), (3, 3, 7), "")
            .await;
        submitted += 1;
        run(&app, now).await;
    }
    let messages = smtp.received();
    assert_eq!(messages.len(), 5, "one digest a day, 24 to 28 October");
    let counted: i64 = messages.iter().map(|m| new_responses(m)).sum();
    let last_end = at("2026-10-28T08:00:00Z");
    let pending = app
        .scalar("SELECT COUNT(*) AS n FROM responses WHERE submitted_at >= '2026-10-28T08:00:00'")
        .await;
    assert_eq!(counted + pending, submitted, "none dropped or doubled");
    let long_day_text = messages
        .iter()
        .map(|m| text_part(m))
        .find(|t| t.contains("Period: 24–25 October 2026"))
        .expect("the digest of the long day");
    assert!(long_day_text.contains("new response"), "{long_day_text}");
    // Clocks go back at 02:00 on Sunday 25 October: Saturday 08:00 BST to Sunday 08:00 GMT is 25 hours.
    let deliveries = store::digests::history(&app.state.db, None, 10)
        .await
        .unwrap();
    let long_day = deliveries
        .iter()
        .find(|d| d.period_start == at("2026-10-24T07:00:00Z"))
        .expect("the long period");
    assert_eq!(long_day.period_end, at("2026-10-25T08:00:00Z"));
    assert_eq!(
        deliveries
            .iter()
            .filter(|d| d.period_end == last_end)
            .count(),
        1
    );
}

async fn an_empty_period_sends_a_short_digest_unless_the_lead_skips_them(db: Db) {
    let smtp = SmtpServer::start().await;
    let monday = at("2026-11-16T09:00:00Z");
    let (app, _clock) = app_at(db, monday, &smtp).await;
    lead(
        &app,
        "told@example.gov.uk",
        Frequency::Weekly,
        false,
        monday,
    )
    .await;
    app.add_officer("quiet@example.gov.uk", Role::Lead, PASSWORD)
        .await;
    store::digests::subscribe(
        &app.state.db,
        "quiet@example.gov.uk",
        "demand_policy",
        Frequency::Weekly,
        true,
        monday,
    )
    .await
    .unwrap();
    let report = run(&app, at("2026-11-23T08:30:00Z")).await;
    assert_eq!((report.sent, report.skipped), (1, 1));
    let messages = smtp.received();
    assert_eq!(messages.len(), 1);
    assert!(messages[0].contains("To: told@example.gov.uk"));
    assert!(
        text_part(&messages[0])
            .contains("No new feedback on your workstream's resources in this period.")
    );
}

on_both_databases!(without_smtp_the_command_line_writes_digests_to_the_outbox);

async fn without_smtp_the_command_line_writes_digests_to_the_outbox(db: Db) {
    let app = crate::helpers::spawn_app(db).await;
    app.add_officer("lead@example.gov.uk", Role::Lead, PASSWORD)
        .await;
    app.respond(
        "case-studies",
        ("Port of Tyne", "port"),
        (5, 4, 10),
        "Great examples",
    )
    .await;
    let text = |o: &std::process::Output| String::from_utf8_lossy(&o.stdout).into_owned();
    let bad = app.cli(&[
        "digests",
        "subscribe",
        "--email",
        "lead@example.gov.uk",
        "--workstream",
        "nope",
        "--frequency",
        "weekly",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    let bad = app.cli(&[
        "digests",
        "subscribe",
        "--email",
        "lead@example.gov.uk",
        "--workstream",
        "international_policy",
        "--frequency",
        "hourly",
    ]);
    assert!(
        String::from_utf8_lossy(&bad.stderr)
            .contains("--frequency: \"hourly\" is not a frequency; use daily or weekly")
    );
    let ok = app.cli(&[
        "digests",
        "subscribe",
        "--email",
        "lead@example.gov.uk",
        "--workstream",
        "international_policy",
        "--frequency",
        "weekly",
    ]);
    assert_eq!(
        text(&ok),
        "lead@example.gov.uk gets the International policy digest weekly\n"
    );

    let preview = app.cli(&["digests", "preview", "--workstream", "international_policy"]);
    let preview = text(&preview);
    assert!(preview.starts_with("Subject: Secure Connected Places Playbook feedback: 1 new response — International policy, "), "{preview}");
    assert!(preview.contains("== Case studies ==") && preview.contains("\"Great examples\""));
    assert!(
        !preview.contains("== Governance =="),
        "Governance belongs to demand policy only"
    );

    let outbox = app.dir.path().join("outbox");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_campaign-feedback"))
        .args(["digests", "run", "--now"])
        .env("DATABASE_URL", &app.database_url)
        .env("MAIL_OUTBOX_DIR", &outbox)
        .output()
        .unwrap();
    assert_eq!(
        text(&run),
        "Digests: 1 sent, 0 skipped as empty, 0 to retry, 0 failed\n"
    );
    let files: Vec<_> = std::fs::read_dir(&outbox)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1);
    let eml = std::fs::read_to_string(&files[0]).unwrap();
    assert!(eml.contains("To: lead@example.gov.uk") && eml.contains("multipart/alternative"));
    let again = app.cli(&["digests", "run"]);
    assert_eq!(
        text(&again),
        "Digests: 0 sent, 0 skipped as empty, 0 to retry, 0 failed\n",
        "the closed period is not sent again"
    );

    let off = app.cli(&[
        "digests",
        "unsubscribe",
        "--email",
        "lead@example.gov.uk",
        "--workstream",
        "international_policy",
    ]);
    assert!(off.status.success());
    assert_eq!(app.count("digest_subscriptions").await, 0);
}

on_both_databases!(
    a_mail_server_down_for_three_days_then_back_gets_each_daily_period_once_in_order
);

async fn a_mail_server_down_for_three_days_then_back_gets_each_daily_period_once_in_order(db: Db) {
    let smtp = SmtpServer::start().await;
    *smtp.always.lock().unwrap() = Some("421 4.3.2 service not available".into());
    let start_at = at("2026-11-16T09:00:00Z");
    let (app, clock) = app_at(db, start_at, &smtp).await;
    lead(
        &app,
        "lead@example.gov.uk",
        Frequency::Daily,
        false,
        start_at,
    )
    .await;
    let mut now = start_at;
    while now < at("2026-11-19T09:00:00Z") {
        now += Duration::hours(2);
        clock.set(now);
        app.respond("video", ("Port of Tyne", "port"), (4, 4, 8), "")
            .await;
        run(&app, now).await;
    }
    assert!(smtp.received().is_empty());
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM digest_deliveries WHERE status = 'failed'")
            .await,
        0,
        "still being retried"
    );
    *smtp.always.lock().unwrap() = None;
    run(&app, now + Duration::hours(1)).await;
    let periods: Vec<String> = smtp
        .received()
        .iter()
        .map(|m| text_part(m).lines().nth(1).unwrap().to_string())
        .collect();
    let expected = [
        "Period: 16–17 November 2026",
        "Period: 17–18 November 2026",
        "Period: 18–19 November 2026",
    ];
    assert_eq!(periods, expected, "each period once, in order");
    assert_eq!(run(&app, now + Duration::hours(2)).await, Report::default());
}
