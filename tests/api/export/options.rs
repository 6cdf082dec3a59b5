//! The export's options: filters, refusals, the byte-order mark, contact
//! emails, and the audit log.

use super::{export, header, rows, submit};
use crate::helpers::{Db, spawn_app};
use crate::on_both_databases;

on_both_databases!(
    resource_date_and_version_filters_select_their_rows,
    a_bad_filter_value_exits_2_naming_the_parameter,
    a_byte_order_mark_starts_the_file_when_asked_for,
    contact_emails_are_exported_only_when_asked_for,
    every_export_is_recorded_in_the_audit_log_with_its_row_count,
);

async fn resource_date_and_version_filters_select_their_rows(db: Db) {
    let app = spawn_app(db).await;
    let governance = submit(&app, "governance", &[]).await;
    let procurement = submit(&app, "procurement", &[]).await;
    let references = |args: &[&str]| -> Vec<String> {
        rows(&export(&app, args))
            .into_iter()
            .map(|r| r[0].clone())
            .collect()
    };
    let both = vec![governance.clone(), procurement.clone()];
    let none: Vec<String> = Vec::new();

    assert_eq!(references(&[]), both);
    assert_eq!(references(&["--resource", "procurement"]), [procurement]);
    assert_eq!(references(&["--resource", "governance"]), [governance]);

    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::London)
        .date_naive();
    let (yesterday, tomorrow) = (today.pred_opt().unwrap(), today.succ_opt().unwrap());
    let (today, yesterday, tomorrow) = (
        today.to_string(),
        yesterday.to_string(),
        tomorrow.to_string(),
    );
    assert_eq!(references(&["--since", &today, "--until", &today]), both);
    assert_eq!(references(&["--since", &tomorrow]), none);
    assert_eq!(references(&["--until", &yesterday]), none);

    assert_eq!(references(&["--version", "1"]), both);
    assert_eq!(references(&["--version", "2"]), none);
    assert_eq!(
        references(&["--nation", "Wales"]),
        none,
        "other organisations have no nation"
    );
}

async fn a_bad_filter_value_exits_2_naming_the_parameter(db: Db) {
    let app = spawn_app(db).await;
    for (args, message) in [
        (
            &["--since", "yesterday"][..],
            "--since: \"yesterday\" is not a date; use YYYY-MM-DD",
        ),
        (
            &["--until", "2026-13-01"][..],
            "--until: \"2026-13-01\" is not a date",
        ),
        (
            &["--version", "two"][..],
            "--version: \"two\" is not a version number",
        ),
        (
            &["--resource", "governanse"][..],
            "--resource: there is no resource \"governanse\"",
        ),
        (
            &["--campaign", "nope"][..],
            "--campaign: there is no campaign \"nope\"",
        ),
    ] {
        let mut all = vec!["export", "responses"];
        all.extend_from_slice(args);
        let output = app.cli(&all);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "nothing is written for {args:?}");
    }
    assert_eq!(
        app.count("audit_log").await,
        0,
        "a refused export is not recorded"
    );
}

async fn a_byte_order_mark_starts_the_file_when_asked_for(db: Db) {
    let app = spawn_app(db).await;
    let welsh = [
        ("organisation", "other"),
        ("organisation-name", "Prifysgol Bangor – Ŵŷ"),
        ("organisation-sector", "university"),
    ];
    submit(&app, "governance", &welsh).await;
    let plain = export(&app, &[]);
    let bom = export(&app, &["--bom"]);
    assert_eq!(&bom[..3], b"\xEF\xBB\xBF");
    assert_eq!(&bom[3..], plain.as_slice(), "the rest is the same");
    assert!(
        String::from_utf8(plain)
            .unwrap()
            .contains("Prifysgol Bangor – Ŵŷ")
    );
}

async fn contact_emails_are_exported_only_when_asked_for(db: Db) {
    let app = spawn_app(db).await;
    submit(
        &app,
        "governance",
        &[
            ("contact", "officer@example.gov.uk"),
            ("contact-consent", "yes"),
        ],
    )
    .await;
    submit(&app, "governance", &[]).await;
    let without = export(&app, &[]);
    assert!(!String::from_utf8_lossy(&without).contains("officer@example.gov.uk"));
    assert!(!header(&without).contains("contact_email"));

    let with = export(&app, &["--include-contact"]);
    assert!(header(&with).ends_with(",gaps,contact_email"));
    let rows = rows(&with);
    assert_eq!(rows[0].last().unwrap(), "officer@example.gov.uk");
    assert_eq!(rows[1].last().unwrap(), "");
}

async fn every_export_is_recorded_in_the_audit_log_with_its_row_count(db: Db) {
    let app = spawn_app(db).await;
    submit(&app, "governance", &[]).await;
    submit(&app, "governance", &[]).await;
    submit(&app, "procurement", &[]).await;
    export(&app, &["--resource", "governance", "--include-contact"]);
    let entries = campaign_feedback::store::audit::latest(&app.state.db, "export", 10)
        .await
        .unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].user_id, None, "the command line has no user");
    assert_eq!(
        entries[0].detail,
        serde_json::json!({
            "filters": {"resource": "governance"},
            "rows": 2,
            "include_contact": true,
            "channel": "cli",
        })
    );
}
