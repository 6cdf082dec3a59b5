//! Webhooks (issue 14) received by a real HTTP server that checks every
//! event with the Standard Webhooks reference library (Python
//! `standardwebhooks`, tests/tools/webhook_receiver.py): each response
//! arrives once, signed; a receiver that is down gets every event once it
//! is back; one that keeps failing is turned off, shown to admins, and a
//! resend turns it on again.

use crate::helpers::{Db, TestApp, free_port, location, spawn_app_with};
use crate::on_both_databases;
use campaign_feedback::domain::officer::Role;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

on_both_databases!(every_response_reaches_the_receiver_signed_and_once_even_after_it_was_down);

/// The receiver, killed when dropped.
struct Receiver {
    child: Child,
    out: PathBuf,
    down: PathBuf,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

impl Receiver {
    fn start(dir: &Path, port: u16, secret: &str) -> Self {
        let tools = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/tools");
        assert!(
            tools.join(".venv/bin/python").exists(),
            "run scripts/test-prerequisites: it installs tests/tools/requirements.txt"
        );
        let (out, down) = (dir.join("events.jsonl"), dir.join("down"));
        let mut child = Command::new(tools.join(".venv/bin/python"))
            .arg(tools.join("webhook_receiver.py"))
            .args([port.to_string(), secret.to_string()])
            .arg(&out)
            .arg(&down)
            .stdout(Stdio::piped())
            .spawn()
            .expect("the receiver starts");
        let mut line = String::new();
        std::io::BufRead::read_line(
            &mut std::io::BufReader::new(child.stdout.take().unwrap()),
            &mut line,
        )
        .unwrap();
        assert_eq!(line.trim(), port.to_string(), "the receiver listens");
        Self { child, out, down }
    }

    /// The verified events so far: (webhook-id, reference).
    fn events(&self) -> Vec<(String, String)> {
        std::fs::read_to_string(&self.out)
            .unwrap_or_default()
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                let reference = v["payload"]["data"]["reference"]
                    .as_str()
                    .unwrap()
                    .to_string();
                (v["id"].as_str().unwrap().to_string(), reference)
            })
            .collect()
    }

    fn rejected(&self) -> String {
        std::fs::read_to_string(format!("{}.rejected", self.out.display())).unwrap_or_default()
    }

    async fn wait_for(&self, n: usize) {
        for _ in 0..150 {
            if self.events().len() >= n {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!(
            "{} events after 15 s, not {n}; rejected: {}",
            self.events().len(),
            self.rejected()
        );
    }
}

async fn run_at(app: &TestApp, minutes: i64) -> campaign_feedback::webhook::Report {
    let client = campaign_feedback::webhook::client().unwrap();
    let at = app.state.clock.now() + chrono::Duration::minutes(minutes);
    campaign_feedback::webhook::run(&app.state.db, &client, at)
        .await
        .unwrap()
}

async fn every_response_reaches_the_receiver_signed_and_once_even_after_it_was_down(db: Db) {
    let app = spawn_app_with(db, &[]).await;
    let before = app
        .respond("governance", ("council", "BRD"), (4, 3, 8), "")
        .await;
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}/hook");
    let refused = app.cli(&[
        "webhooks",
        "add",
        "--campaign",
        "secure-connected-places",
        "--url",
        "http://example.org/hook",
    ]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("use https"));
    let added = app.cli(&[
        "webhooks",
        "add",
        "--campaign",
        "secure-connected-places",
        "--url",
        &url,
    ]);
    assert!(added.status.success(), "{added:?}");
    let secret = String::from_utf8(added.stdout).unwrap().trim().to_string();
    assert!(secret.starts_with("whsec_"));
    let receiver = Receiver::start(app.dir.path(), port, &secret);

    // Responses stored from now on arrive within seconds, each verified.
    let mut sent = Vec::new();
    for code in ["WSM", "MTY", "LDS"] {
        sent.push(
            app.respond("governance", ("council", code), (5, 4, 9), "More on CCTV")
                .await,
        );
    }
    receiver.wait_for(3).await;
    let events = receiver.events();
    let references: Vec<&str> = events.iter().map(|(_, r)| r.as_str()).collect();
    assert_eq!(
        references,
        sent.iter().map(String::as_str).collect::<Vec<_>>()
    );
    assert!(
        !references.contains(&before.as_str()),
        "only responses stored after it was added"
    );
    assert!(
        receiver.rejected().is_empty(),
        "every signature verified: {}",
        receiver.rejected()
    );

    // Down for a while: a respondent is not slowed, and nothing is lost.
    std::fs::write(&receiver.down, "").unwrap();
    let started = std::time::Instant::now();
    let late = app
        .respond("procurement", ("council", "BRD"), (3, 3, 5), "")
        .await;
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "the submission did not wait"
    );
    for _ in 0..100 {
        let tried = "SELECT COUNT(*) AS n FROM webhook_deliveries WHERE last_error IS NOT NULL AND status = 'pending'";
        if app.scalar(tried).await >= 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(receiver.events().len(), 3);
    std::fs::remove_file(&receiver.down).unwrap();
    let report = run_at(&app, 2).await; // past the first backoff
    assert_eq!(report.sent, 1, "{report:?}");
    assert_eq!(receiver.events().last().unwrap().1, late);
    let ids: std::collections::HashSet<_> =
        receiver.events().into_iter().map(|(id, _)| id).collect();
    assert_eq!(ids.len(), 4, "each event once");

    // A receiver that keeps failing is turned off after 20 in a row, and
    // shown to admins; a resend turns it on again and the event arrives.
    std::fs::write(&receiver.down, "").unwrap();
    let last = app
        .respond("procurement", ("council", "WSM"), (3, 3, 5), "")
        .await;
    let mut disabled = 0;
    for minutes in 0..40 {
        disabled += run_at(&app, 3 + minutes * 61).await.disabled;
    }
    assert_eq!(disabled, 1);
    let listed = String::from_utf8(app.cli(&["webhooks", "list"]).stdout).unwrap();
    assert!(
        listed.contains("disabled: 20 deliveries in a row failed"),
        "{listed}"
    );
    app.add_officer("admin@example.gov.uk", Role::Admin, "meadow lantern quarry")
        .await;
    let admin = app
        .sign_in("admin@example.gov.uk", "meadow lantern quarry")
        .await;
    let page = app
        .get_as(&admin.cookie, "/admin/webhooks")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Turned off") && page.contains("the endpoint answered 503"),
        "{page}"
    );
    std::fs::remove_file(&receiver.down).unwrap();
    let id = app
        .scalar("SELECT MAX(id) AS n FROM webhook_deliveries")
        .await
        .to_string();
    let resent = app
        .post_as(
            &admin.cookie,
            "/admin/webhooks/resend",
            &[("csrf_token", &admin.csrf), ("id", &id)],
        )
        .await;
    assert_eq!(location(&resent), "/admin/webhooks");
    receiver.wait_for(5).await;
    assert_eq!(receiver.events().last().unwrap().1, last);
    assert!(receiver.rejected().is_empty(), "{}", receiver.rejected());
}
