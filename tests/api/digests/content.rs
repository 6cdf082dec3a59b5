//! What a lead reads: the digest's content and MIME, empty periods, the outbox.

use super::{PASSWORD, app_at, at, lead, run, text_part};
use crate::helpers::Db;
use crate::on_both_databases;
use crate::smtp::SmtpServer;
use campaign_feedback::digest::Report;
use campaign_feedback::domain::officer::Role;
use campaign_feedback::domain::schedule::Frequency;
use campaign_feedback::store;
use chrono::Duration;

on_both_databases!(
    a_weekly_digest_tells_the_lead_what_changed_in_a_multipart_email,
    an_empty_period_sends_a_short_digest_unless_the_lead_skips_them,
    without_smtp_the_command_line_writes_digests_to_the_outbox,
    comments_are_chosen_by_question_named_and_long_words_wrap,
);

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
    // `--now` again with nothing new since: no near-empty second digest.
    let run_now = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_campaign-feedback"))
            .args(["digests", "run", "--now"])
            .env("DATABASE_URL", &app.database_url)
            .env("MAIL_OUTBOX_DIR", &outbox)
            .output()
            .unwrap()
    };
    assert_eq!(
        text(&run_now()),
        "Digests: 0 sent, 0 skipped as empty, 0 to retry, 0 failed\n",
        "nothing new since the last digest: nothing sent"
    );
    assert_eq!(std::fs::read_dir(&outbox).unwrap().count(), 1);
    app.respond("case-studies", ("Port of Tyne", "port"), (4, 4, 9), "")
        .await;
    assert_eq!(
        text(&run_now()),
        "Digests: 1 sent, 0 skipped as empty, 0 to retry, 0 failed\n",
        "something new: sent"
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

/// Sends a governance response with both free-text answers.
async fn respond_with(app: &crate::helpers::TestApp, missing: &str, standards: &str) {
    let token = app.form_token("governance").await;
    let mut answers = crate::helpers::valid_answers(&token);
    answers.retain(|(k, _)| *k != "missing" && *k != "standards");
    answers.extend([("missing", missing), ("standards", standards)]);
    let response = app.post_form("/surveys/governance", &answers).await;
    assert_eq!(response.status(), 303);
}

async fn comments_are_chosen_by_question_named_and_long_words_wrap(db: Db) {
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
    for i in 0..6 {
        clock.set(monday + Duration::hours(i + 1));
        respond_with(&app, &format!("Gap number {i}"), "IEC 62443").await;
    }
    clock.set(monday + Duration::hours(20));
    let long_word = format!("Unbroken{}", "x".repeat(300));
    respond_with(&app, &long_word, "").await;
    // One on the playbook as a whole: no workstream owns it.
    clock.set(monday + Duration::hours(21));
    let token = app.form_token("playbook").await;
    let playbook = app
        .post_form(
            "/surveys/playbook",
            &[
                ("form_token", token.as_str()),
                ("organisation", "other"),
                ("organisation-name", "Port of Tyne"),
                ("organisation-sector", "port"),
                ("resources_used", "governance"),
                ("overall_usefulness", "4"),
                ("gaps", "Not about a resource"),
            ],
        )
        .await;
    assert_eq!(playbook.status(), 303);

    assert_eq!(run(&app, at("2026-11-23T08:30:00Z")).await.sent, 1);
    let message = &smtp.received()[0];
    let text = text_part(message);
    // The "what is missing" answers first, each with its question; the
    // standards answers only counted.
    assert_eq!(
        text.matches("  What is missing, or what should change?\n")
            .count(),
        5,
        "{text}"
    );
    assert!(!text.contains("\"IEC 62443\""), "{text}");
    assert!(
        text.contains("and 8 more comments."),
        "7 missing + 6 standards answers, 5 quoted: {text}"
    );
    // The download covers the workstream's resources only.
    let export = text
        .lines()
        .find(|l| l.starts_with("Download this period's responses"))
        .unwrap();
    assert!(
        export.contains(
            "/admin/export.csv?workstream=demand_policy&since=2026-11-16&until=2026-11-23"
        ),
        "{export}"
    );
    let demand = app.cli(&["export", "responses", "--workstream", "demand_policy"]);
    assert!(demand.status.success());
    let rows = csv::Reader::from_reader(demand.stdout.as_slice())
        .records()
        .count();
    assert_eq!(
        rows, 7,
        "the case study response belongs to another workstream"
    );
    let unknown = app.cli(&["export", "responses", "--workstream", "nope"]);
    assert_eq!(unknown.status.code(), Some(2));

    // A long word wraps: the HTML part stays within a 600-pixel reading pane.
    let html_start = message.find("Content-Type: text/html").unwrap();
    let html = html_part(&message[html_start..]);
    assert!(html.contains("Unbroken"));
    let file = app.dir.path().join("digest.html");
    std::fs::write(&file, html).unwrap();
    let e2e = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/email.mjs");
    let output = std::process::Command::new("node")
        .arg(e2e)
        .arg(&file)
        .arg("600")
        .output()
        .expect("node runs (scripts/test installs it)");
    let printed = String::from_utf8_lossy(&output.stdout);
    let width: u32 = printed
        .trim()
        .strip_prefix("width: ")
        .and_then(|w| w.parse().ok())
        .unwrap_or_else(|| panic!("{printed}{}", String::from_utf8_lossy(&output.stderr)));
    assert!(
        width <= 600,
        "the digest is {width} px wide in a 600 px pane"
    );
}

/// The HTML part of a message, quoted-printable decoded.
fn html_part(from_header: &str) -> String {
    let body = &from_header[from_header.find("\n\n").unwrap() + 2..];
    let body = &body[..body.find("\n--").unwrap_or(body.len())];
    let joined = body.replace("=\n", "");
    let mut out = Vec::new();
    let bytes = joined.as_bytes();
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
