//! What the export holds: its header, one row per response, new versions'
//! questions, cells a spreadsheet would run.

use super::{
    FIXED, PLAYBOOK_KEYS, RESOURCE_KEYS, add_budget_question, council, export, header, rows, submit,
};
use crate::helpers::{Db, spawn_app, spawn_app_with};
use crate::on_both_databases;

on_both_databases!(
    the_header_is_written_even_when_no_response_matches,
    the_export_has_one_row_per_response_in_the_order_received,
    a_new_version_adds_its_new_questions_after_the_old_ones,
    cells_a_spreadsheet_would_run_are_neutralised,
);

async fn the_header_is_written_even_when_no_response_matches(db: Db) {
    let app = spawn_app(db).await;
    let csv = export(&app, &[]);
    assert_eq!(
        String::from_utf8(csv).unwrap(),
        format!("{FIXED},{RESOURCE_KEYS},{PLAYBOOK_KEYS},useful\r\n")
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
    assert_eq!(rows[0][9], "'@SUM(1)");
    assert_eq!(rows[0][19], "'=HYPERLINK(\"http://x\")");
    assert_eq!(rows[0][20], "'+1");
    assert_eq!(rows[1][20], "'-2+3");
    assert_eq!(rows[1][9], "Port of Tyne", "safe cells are untouched");
}
