//! `export responses`: the CSV an analyst opens, seeded through the real
//! survey form and read back as a user would.

use crate::helpers::{
    Db, TestApp, location, register_csv, spawn_app, spawn_app_with, valid_answers,
};
use crate::on_both_databases;
use campaign_feedback::domain::campaign::{CampaignDefinition, DEFAULT_CAMPAIGN_TOML};

on_both_databases!(
    the_header_is_written_even_when_no_response_matches,
    the_export_has_one_row_per_response_in_the_order_received,
    resource_date_and_version_filters_select_their_rows,
    a_new_version_adds_its_new_questions_after_the_old_ones,
    a_bad_filter_value_exits_2_naming_the_parameter,
    a_byte_order_mark_starts_the_file_when_asked_for,
    cells_a_spreadsheet_would_run_are_neutralised,
    contact_emails_are_exported_only_when_asked_for,
    every_export_is_recorded_in_the_audit_log_with_its_row_count,
);

const FIXED: &str = "reference,submitted_at,campaign,resource,survey,survey_version,\
    organisation_code,organisation_gss_code,organisation_name,organisation_type,nation,region,\
    other_organisation_sector";
const RESOURCE_KEYS: &str = "role,usefulness,ease,ncsc_principles,recommend,missing,standards";
const PLAYBOOK_KEYS: &str = "resources_used,overall_usefulness,surprises,gaps";

/// Runs `export responses ARGS`, expects success, returns the bytes.
fn export(app: &TestApp, args: &[&str]) -> Vec<u8> {
    let mut all = vec!["export", "responses"];
    all.extend_from_slice(args);
    let output = app.cli(&all);
    assert!(
        output.status.success(),
        "export {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// The data rows of a CSV, parsed as a spreadsheet would (header skipped).
fn rows(csv: &[u8]) -> Vec<Vec<String>> {
    csv::Reader::from_reader(csv)
        .records()
        .map(|r| r.expect("valid CSV").iter().map(String::from).collect())
        .collect()
}

fn header(csv: &[u8]) -> String {
    let text = String::from_utf8_lossy(csv);
    text.split("\r\n").next().unwrap_or_default().to_string()
}

/// Submits a survey through its form, with `changes` replacing or adding
/// fields of a valid answer (any `organisation…` field replaces all three);
/// returns the reference.
async fn submit(app: &TestApp, slug: &str, changes: &[(&str, &str)]) -> String {
    let token = app.form_token(slug).await;
    let mut answers: Vec<(&str, &str)> = valid_answers(&token);
    if slug == "playbook" {
        answers.truncate(4); // token and organisation only
    }
    for (key, _) in changes {
        if key.starts_with("organisation") {
            answers.retain(|(k, _)| !k.starts_with("organisation"));
        } else {
            answers.retain(|(k, _)| k != key);
        }
    }
    answers.extend_from_slice(changes);
    let response = app.post_form(&format!("/surveys/{slug}"), &answers).await;
    assert_eq!(response.status(), 303, "{slug} {changes:?}");
    let to = location(&response);
    to.rsplit('=').next().expect("a reference").to_string()
}

/// A council as the organisation.
fn council(code: &str) -> [(&'static str, &str); 2] {
    [("organisation", "council"), ("organisation-council", code)]
}

async fn the_header_is_written_even_when_no_response_matches(db: Db) {
    let app = spawn_app(db).await;
    let csv = export(&app, &[]);
    assert_eq!(
        String::from_utf8(csv).unwrap(),
        format!("{FIXED},{RESOURCE_KEYS},{PLAYBOOK_KEYS}\r\n")
    );
    submit(&app, "governance", &[]).await;
    let playbook_only = export(&app, &["--survey", "playbook"]);
    assert_eq!(
        String::from_utf8(playbook_only).unwrap(),
        format!("{FIXED},{PLAYBOOK_KEYS}\r\n")
    );
}

async fn the_export_has_one_row_per_response_in_the_order_received(db: Db) {
    let app = spawn_app(db).await;
    let register = app.cli(&["councils", "import", register_csv().to_str().unwrap()]);
    assert!(register.status.success());
    let first = submit(&app, "governance", &[]).await;
    let mut welsh = council("ABC").to_vec();
    welsh.extend([
        ("role", "it_digital"),
        ("usefulness", "5"),
        ("missing", "Mwy am ddŵr a thŷ,\r\nplease"),
        ("standards", ""),
    ]);
    let second = submit(&app, "governance", &welsh).await;
    let mut playbook = council("MTY").to_vec();
    playbook.extend([
        ("resources_used", "video"),
        ("resources_used", "governance"),
        ("overall_usefulness", "5"),
        ("gaps", "He said \"stadiums\""),
    ]);
    let third = submit(&app, "playbook", &playbook).await;

    let csv = String::from_utf8(export(&app, &[])).expect("UTF-8");
    let mut blanked = csv.clone();
    for (i, reference) in [first, second, third].iter().enumerate() {
        let at = blanked
            .find(&format!("{reference},"))
            .expect("each reference once");
        let time = &blanked[at + 9..at + 29];
        assert!(
            time.len() == 20 && &time[10..11] == "T" && time.ends_with('Z'),
            "submitted_at in ISO 8601 UTC: {time}"
        );
        blanked.replace_range(
            at..at + 29,
            &format!("<reference {}>,<submitted_at>", i + 1),
        );
    }
    insta::assert_snapshot!("three_responses", blanked);

    let out = app.dir.path().join("responses.csv");
    export(&app, &["--out", out.to_str().unwrap()]);
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        csv,
        "--out writes the same bytes"
    );
}

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

/// Imports the default campaign with a question added to the governance survey.
fn add_budget_question(app: &TestApp) {
    let mut def = CampaignDefinition::from_toml(DEFAULT_CAMPAIGN_TOML).unwrap();
    let survey = def
        .surveys
        .iter_mut()
        .find(|s| s.slug == "governance")
        .unwrap();
    let mut budget = survey
        .questions
        .iter()
        .find(|q| q.key == "standards")
        .unwrap()
        .clone();
    budget.key = "budget".into();
    budget.text = "What budget do you have for connected places security?".into();
    survey.questions.push(budget);
    let path = app.dir.path().join("v2.toml");
    std::fs::write(&path, def.to_toml().unwrap()).unwrap();
    let output = app.cli(&["campaign", "import", path.to_str().unwrap()]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

async fn a_new_version_adds_its_new_questions_after_the_old_ones(db: Db) {
    // The campaign changes from another process and the next form must show
    // it at once: no reuse of rendered survey pages here.
    let app = spawn_app_with(db, &[("SURVEY_PAGE_CACHE_SECONDS", "0")]).await;
    let old = submit(&app, "governance", &[]).await;
    add_budget_question(&app);
    let new = submit(&app, "governance", &[("budget", "£10k")]).await;

    let csv = export(&app, &["--survey", "governance"]);
    assert_eq!(header(&csv), format!("{FIXED},{RESOURCE_KEYS},budget"));
    let got = rows(&csv);
    assert_eq!(
        (got[0][0].as_str(), got[0][5].as_str()),
        (old.as_str(), "1")
    );
    assert_eq!(got[0].last().unwrap(), "", "version 1 did not ask");
    assert_eq!(
        (got[1][0].as_str(), got[1][5].as_str()),
        (new.as_str(), "2")
    );
    assert_eq!(got[1].last().unwrap(), "£10k");

    let v1 = export(&app, &["--survey", "governance", "--version", "1"]);
    assert_eq!(
        header(&v1),
        format!("{FIXED},{RESOURCE_KEYS}"),
        "the columns of the versions exported"
    );
    assert_eq!(rows(&v1).len(), 1);
    let v2 = export(&app, &["--version", "2"]);
    assert_eq!(rows(&v2)[0][0], new);
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

async fn cells_a_spreadsheet_would_run_are_neutralised(db: Db) {
    let app = spawn_app(db).await;
    submit(
        &app,
        "governance",
        &[
            ("organisation", "other"),
            ("organisation-name", "@SUM(1)"),
            ("organisation-sector", "port"),
            ("missing", "=HYPERLINK(\"http://x\")"),
            ("standards", "+1"),
        ],
    )
    .await;
    submit(&app, "governance", &[("standards", "-2+3")]).await;
    let csv = export(&app, &["--survey", "governance"]);
    let text = String::from_utf8(csv.clone()).unwrap();
    assert!(
        text.contains(",\"'=HYPERLINK(\"\"http://x\"\")\",'+1\r\n"),
        "{text}"
    );
    let rows = rows(&csv);
    assert_eq!(rows[0][8], "'@SUM(1)");
    assert_eq!(rows[0][18], "'=HYPERLINK(\"http://x\")");
    assert_eq!(rows[0][19], "'+1");
    assert_eq!(rows[1][19], "'-2+3");
    assert_eq!(rows[1][8], "Port of Tyne", "safe cells are untouched");
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
