//! Each period delivered once: racing schedulers, retries, failures,
//! catch-up after downtime, clock changes, a mail server down for days.

use super::{PASSWORD, app_at, at, lead, new_responses, run, text_part};
use crate::helpers::Db;
use crate::on_both_databases;
use crate::smtp::SmtpServer;
use campaign_feedback::digest::{Report, deliver_due_digests};
use campaign_feedback::domain::officer::Role;
use campaign_feedback::domain::schedule::Frequency;
use campaign_feedback::store;
use chrono::Duration;

on_both_databases!(
    two_schedulers_racing_send_each_period_once,
    a_server_that_answers_4xx_twice_then_accepts_gets_the_digest_once,
    a_5xx_is_marked_failed_shown_to_admins_and_can_be_resent,
    after_a_missed_fortnight_one_catch_up_digest_covers_everything,
    across_the_october_clock_change_every_response_is_in_exactly_one_daily_digest,
    a_mail_server_down_for_three_days_then_back_gets_each_daily_period_once_in_order,
);

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
