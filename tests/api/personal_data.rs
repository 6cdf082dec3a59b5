//! Keeping the promise made on the form: contact emails are deleted after
//! `RETENTION_DAYS` (on a schedule, at start-up and by `data purge`), and
//! erased or reported on request, from the command line and `/admin/data`.

use crate::helpers::{
    Db, SECRET, TestApp, location, spawn_app, spawn_app_with, start, valid_answers,
};
use crate::on_both_databases;
use campaign_feedback::domain::clock::SystemClock;
use campaign_feedback::domain::officer::Role;
use chrono::{DateTime, Duration, TimeZone, Utc};
use std::sync::Arc;

on_both_databases!(
    contact_emails_go_one_second_after_the_retention_period_and_the_answers_stay,
    contact_emails_past_retention_are_deleted_at_start_up_and_by_data_purge,
    an_address_is_erased_from_every_response_from_the_command_line_and_the_web,
    everything_held_about_an_address_is_reported_as_json_and_csv,
);

const PASSWORD: &str = "orchard kettle signal";

/// Submits the governance survey with a consented contact email; returns the reference.
async fn respond_with_contact(app: &TestApp, email: &str) -> String {
    let token = app.form_token("governance").await;
    let mut answers = valid_answers(&token);
    answers.extend([("contact", email), ("contact-consent", "yes")]);
    let response = app.post_form("/surveys/governance", &answers).await;
    assert_eq!(response.status(), 303);
    location(&response).rsplit('=').next().unwrap().to_string()
}

async fn backdate(app: &TestApp, reference: &str, at: DateTime<Utc>) {
    let sql = format!(
        "UPDATE responses SET submitted_at = '{}' WHERE reference = '{reference}'",
        at.to_rfc3339()
    );
    let backend = app.state.db.get_database_backend();
    sea_orm::ConnectionTrait::execute_raw(
        &app.state.db,
        sea_orm::Statement::from_string(backend, sql),
    )
    .await
    .unwrap();
}

async fn contacts_held(app: &TestApp, reference: &str) -> i64 {
    app.scalar(&format!(
        "SELECT COUNT(*) AS n FROM responses WHERE reference = '{reference}' AND contact_email IS NOT NULL"
    ))
    .await
}

async fn answers_of(app: &TestApp, reference: &str) -> i64 {
    app.scalar(&format!(
        "SELECT COUNT(*) AS n FROM answers a JOIN responses r ON r.id = a.response_id WHERE r.reference = '{reference}'"
    ))
    .await
}

async fn contact_emails_go_one_second_after_the_retention_period_and_the_answers_stay(db: Db) {
    // The service's own purge (at start-up, on the real clock, hours after
    // `now`) must not race this test's: it keeps ten years.
    let app = spawn_app_with(db, &[("RETENTION_DAYS", "3650")]).await;
    let now = Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap();
    let boundary = now - Duration::days(365);
    let older = respond_with_contact(&app, "older@example.gov.uk").await;
    let newer = respond_with_contact(&app, "newer@example.gov.uk").await;
    backdate(&app, &older, boundary - Duration::seconds(1)).await;
    backdate(&app, &newer, boundary + Duration::seconds(1)).await;
    let answers_before = answers_of(&app, &older).await;
    assert!(answers_before > 0);

    let purged = campaign_feedback::personal::purge(&app.state.db, 365, now)
        .await
        .unwrap();
    assert_eq!(purged, 1);
    assert_eq!(
        contacts_held(&app, &older).await,
        0,
        "a second past: deleted"
    );
    assert_eq!(
        contacts_held(&app, &newer).await,
        1,
        "a second within: kept"
    );
    assert_eq!(
        answers_of(&app, &older).await,
        answers_before,
        "answers stay"
    );

    // Two seconds later the newer one is past its time too.
    let later = now + Duration::seconds(2);
    let purged = campaign_feedback::personal::purge(&app.state.db, 365, later)
        .await
        .unwrap();
    assert_eq!(purged, 1);
    assert_eq!(contacts_held(&app, &newer).await, 0);

    let audit = campaign_feedback::store::audit::latest(&app.state.db, "personal_data_purged", 10)
        .await
        .unwrap();
    assert_eq!(audit.len(), 2);
    assert_eq!(audit[0].detail["contact_emails"], 1);
    let metrics = app.state.metrics.render();
    assert!(
        metrics.contains("personal_data_purged_total{kind=\"contact_email\"}"),
        "{metrics}"
    );
}

async fn contact_emails_past_retention_are_deleted_at_start_up_and_by_data_purge(db: Db) {
    let first = spawn_app(db).await;
    let old = respond_with_contact(&first, "old@example.gov.uk").await;
    backdate(
        &first,
        &old,
        Utc.with_ymd_and_hms(2025, 10, 1, 12, 0, 0).unwrap(),
    )
    .await;
    assert_eq!(contacts_held(&first, &old).await, 1);

    // A restart deletes it within moments.
    let restarted = start(
        first.database_url.clone(),
        tempfile::tempdir().unwrap(),
        &[("SECRET_KEY", SECRET)],
        Arc::new(SystemClock),
    )
    .await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while contacts_held(&restarted, &old).await > 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the contact email past retention is still held 10 s after start-up"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }

    // And `data purge`, for system cron, does the same.
    let another = respond_with_contact(&first, "another@example.gov.uk").await;
    backdate(
        &first,
        &another,
        Utc.with_ymd_and_hms(2025, 6, 1, 0, 0, 0).unwrap(),
    )
    .await;
    let output = first.cli(&["data", "purge"]);
    assert!(output.status.success());
    // Both servers purge at start-up too; on a loaded machine one of their
    // first runs may come late and take this one first: then the command
    // finds nothing left, and the audit log shows who deleted it.
    let said = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        said == "Deleted 1 contact email(s) older than 365 days\n"
            || said == "Deleted 0 contact email(s) older than 365 days\n",
        "{said}"
    );
    assert_eq!(contacts_held(&first, &another).await, 0);
    let purges = "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'personal_data_purged'";
    assert_eq!(first.scalar(purges).await, 2, "each deletion recorded once");
}

async fn an_address_is_erased_from_every_response_from_the_command_line_and_the_web(db: Db) {
    let app = spawn_app(db).await;
    let first = respond_with_contact(&app, "Swyddog@Example.gov.uk").await;
    let second = respond_with_contact(&app, "swyddog@example.gov.uk").await;
    let other = respond_with_contact(&app, "other@example.gov.uk").await;

    let output = app.cli(&["data", "erase", "--email", "SWYDDOG@example.gov.uk"]);
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "Erased the contact email from 2 response(s)\n"
    );
    assert_eq!(contacts_held(&app, &first).await, 0);
    assert_eq!(contacts_held(&app, &second).await, 0);
    assert_eq!(contacts_held(&app, &other).await, 1, "others are untouched");
    assert_eq!(app.count("responses").await, 3, "the responses stay");
    let erasures =
        campaign_feedback::store::audit::latest(&app.state.db, "personal_data_erased", 5)
            .await
            .unwrap();
    assert_eq!(erasures[0].detail["responses"], 2);
    assert!(
        !erasures[0].detail.to_string().contains('@'),
        "the log holds no address"
    );

    let bad = app.cli(&["data", "erase", "--email", "not an address"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--email"));

    app.add_officer("admin@example.gov.uk", Role::Admin, PASSWORD)
        .await;
    let admin = app.sign_in("admin@example.gov.uk", PASSWORD).await;
    let unconfirmed = app
        .post_as(
            &admin.cookie,
            "/admin/data/erase",
            &[
                ("email", "other@example.gov.uk"),
                ("csrf_token", &admin.csrf),
            ],
        )
        .await;
    assert_eq!(unconfirmed.status(), 422);
    let page = unconfirmed.text().await.unwrap();
    assert!(
        page.contains(
            "<a href=\"#erase-confirm\">Confirm that the address cannot be recovered</a>"
        )
    );
    assert!(
        page.contains("value=\"other@example.gov.uk\""),
        "what was typed is kept"
    );
    assert_eq!(
        contacts_held(&app, &other).await,
        1,
        "nothing erased without confirmation"
    );

    let erased = app
        .post_as(
            &admin.cookie,
            "/admin/data/erase",
            &[
                ("email", "other@example.gov.uk"),
                ("confirm", "yes"),
                ("csrf_token", &admin.csrf),
            ],
        )
        .await;
    assert_eq!(erased.status(), 303);
    assert_eq!(erased.headers()["location"], "/admin/data");
    assert_eq!(contacts_held(&app, &other).await, 0);
    let after = app
        .get_as(&admin.cookie, "/admin/data")
        .await
        .text()
        .await
        .unwrap();
    assert!(after.contains("The email address was erased from 1 response."));
}

async fn everything_held_about_an_address_is_reported_as_json_and_csv(db: Db) {
    let app = spawn_app(db).await;
    let reference = respond_with_contact(&app, "swyddog@example.gov.uk").await;
    respond_with_contact(&app, "other@example.gov.uk").await;

    let json = app.cli(&["data", "report", "--email", "swyddog@example.gov.uk"]);
    assert!(json.status.success());
    let held: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(held["responses"].as_array().unwrap().len(), 1);
    assert_eq!(held["responses"][0]["reference"], reference.as_str());
    assert_eq!(
        held["responses"][0]["contact_email"],
        "swyddog@example.gov.uk"
    );
    assert!(
        held["responses"][0]["answers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a[0] == "missing" && a[1] == "More on CCTV & <sensors>"),
        "{held}"
    );
    assert_eq!(held["officer"], serde_json::Value::Null);

    app.add_officer("swyddog@example.gov.uk", Role::Admin, PASSWORD)
        .await;
    let admin = app.sign_in("swyddog@example.gov.uk", PASSWORD).await;
    let csv = app
        .post_as(
            &admin.cookie,
            "/admin/data/report",
            &[
                ("email", "swyddog@example.gov.uk"),
                ("format", "csv"),
                ("csrf_token", &admin.csrf),
            ],
        )
        .await;
    assert_eq!(csv.status(), 200);
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(
        csv.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"personal-data-")
    );
    let text = csv.text().await.unwrap();
    assert!(text.starts_with("what,reference,field,value\r\n"), "{text}");
    assert!(text.contains(&format!(
        "response,{reference},contact_email,swyddog@example.gov.uk\r\n"
    )));
    assert!(
        text.contains("officer,,email,swyddog@example.gov.uk\r\n"),
        "{text}"
    );
    assert!(!text.contains("other@example.gov.uk"));

    let empty = app
        .post_as(
            &admin.cookie,
            "/admin/data/report",
            &[
                ("email", ""),
                ("format", "json"),
                ("csrf_token", &admin.csrf),
            ],
        )
        .await;
    assert_eq!(empty.status(), 422);
    assert!(
        empty
            .text()
            .await
            .unwrap()
            .contains("Enter the email address the request is about")
    );
}
