//! Importing the UK local-authority register, and choosing a council in a survey.

use crate::helpers::{Db, SECRET, register_csv, spawn_app, start, valid_answers};
use crate::on_both_databases;

on_both_databases!(
    a_fresh_start_offers_the_shipped_register_and_importing_it_again_changes_nothing,
    a_register_missing_a_column_is_refused_with_the_column_name,
    a_file_with_bad_rows_is_refused_by_line_and_changes_nothing,
    a_corrected_register_updates_the_councils_that_changed,
    a_respondent_picks_their_council_from_the_register_grouped_by_nation,
    a_respondent_finds_their_council_by_the_name_people_use_without_javascript,
    a_register_loaded_before_short_names_gets_them_at_the_next_start,
);

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The number of current councils in the register shipped in `data/`.
fn current_in_shipped_register() -> i64 {
    let mut reader = csv::Reader::from_path(register_csv()).unwrap();
    let column = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "current-authority")
        .unwrap();
    reader
        .records()
        .filter(|r| &r.as_ref().unwrap()[column] == "True")
        .count() as i64
}

const HEADER: &str = "local-authority-code,official-name,gss-code,nation,region,local-authority-type-name,current-authority\n";
const BRADFORD: &str = "City of Bradford Metropolitan District Council";

async fn bradford_name(app: &crate::helpers::TestApp) -> i64 {
    app.scalar(&format!(
        "SELECT COUNT(*) AS n FROM organisations WHERE code = 'BRD' AND name = '{BRADFORD}'"
    ))
    .await
}

async fn a_fresh_start_offers_the_shipped_register_and_importing_it_again_changes_nothing(db: Db) {
    let app = spawn_app(db).await;
    let expected_current = current_in_shipped_register();
    assert!(
        expected_current > 350,
        "the register holds the UK's councils"
    );
    assert_eq!(
        app.count("organisations").await,
        expected_current,
        "the embedded register is loaded on first start"
    );
    let bradford = app.scalar("SELECT COUNT(*) AS n FROM organisations WHERE code = 'BRD' AND gss_code = 'E08000032' AND nation = 'England'").await;
    assert_eq!(bradford, 1);
    let html = app.get_html("/surveys/governance").await;
    assert!(
        html.contains("<option value=\"BRD\">"),
        "the picker lists Bradford"
    );

    let csv = register_csv();
    let again = app.cli(&["councils", "import", csv.to_str().unwrap()]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stdout(&again).contains(&format!("0 added, 0 updated, {expected_current} unchanged")),
        "{}",
        stdout(&again)
    );

    let former = app.cli(&[
        "councils",
        "import",
        "--include-former",
        csv.to_str().unwrap(),
    ]);
    assert!(former.status.success(), "{}", stderr(&former));
    assert!(
        app.count("organisations").await > expected_current,
        "former councils are added on request"
    );
}

async fn a_register_missing_a_column_is_refused_with_the_column_name(db: Db) {
    let app = spawn_app(db).await;
    let before = app.count("organisations").await;
    let path = app.dir.path().join("no-region.csv");
    std::fs::write(&path, "local-authority-code,official-name,gss-code,nation,local-authority-type-name,current-authority\nBRD,Bradford,E08000032,England,Metropolitan district,True\n").unwrap();
    let output = app.cli(&["councils", "import", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("the file has no column “region”"),
        "{}",
        stderr(&output)
    );
    assert_eq!(app.count("organisations").await, before);
    assert_eq!(bradford_name(&app).await, 1);
}

async fn a_file_with_bad_rows_is_refused_by_line_and_changes_nothing(db: Db) {
    let app = spawn_app(db).await;
    let before = app.count("organisations").await;
    let path = app.dir.path().join("bad-rows.csv");
    let csv = format!(
        "{HEADER}\
         BRD,Bradford Council (renamed),E08000032,England,Yorkshire and The Humber,Metropolitan district,True\n\
         bad code,Nowhere Council,E06000001,England,Nowhere,District,True\n\
         DOR,Dorset Council,E06000059,England,South West,Unitary authority,maybe\n\
         ATL,Atlantis Council,E06000099,Atlantis,Atlantis,Unitary authority,True\n\
         NGS,Notgss Council,notgss,England,South West,Unitary authority,True\n\
         WRG,Wrong Letter Council,E06000098,Wales,Wales,Welsh unitary authority,True\n\
         ZNW,Newtown Council,E06000097,England,South West,Unitary authority,True\n"
    );
    std::fs::write(&path, csv).unwrap();
    let output = app.cli(&["councils", "import", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let err = stderr(&output);
    for expected in [
        "line 3: local-authority-code \"bad code\"",
        "line 4: current-authority \"maybe\" is not True or False",
        "line 5: nation \"Atlantis\" is not one of England, Scotland, Wales or Northern Ireland",
        "line 6: gss-code \"notgss\" is not a GSS code",
        "line 7: gss-code \"E06000098\" starts with the wrong letter for its nation: W expected",
        "5 rows refused (lines 3, 4, 5, 6, 7); nothing was imported",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in {err}");
    }
    assert_eq!(app.count("organisations").await, before, "nothing added");
    assert_eq!(bradford_name(&app).await, 1, "nothing updated");
}

async fn a_corrected_register_updates_the_councils_that_changed(db: Db) {
    let app = spawn_app(db).await;
    let before = app.count("organisations").await;
    let path = app.dir.path().join("corrected.csv");
    let csv = format!(
        "{HEADER}\
         BRD,Bradford Council (renamed),E08000032,England,Yorkshire and The Humber,Metropolitan district,True\n\
         MTY,Merthyr Tydfil County Borough Council,W06000024,Wales,Wales,Welsh unitary authority,True\n\
         ZNW,Newtown Council,E06000097,England,South West,Unitary authority,True\n"
    );
    std::fs::write(&path, csv).unwrap();
    let output = app.cli(&["councils", "import", path.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("1 added, 1 updated, 1 unchanged"),
        "{}",
        stdout(&output)
    );
    assert_eq!(app.count("organisations").await, before + 1);
    assert_eq!(bradford_name(&app).await, 0, "Bradford's name was updated");
}

async fn a_respondent_picks_their_council_from_the_register_grouped_by_nation(db: Db) {
    let app = spawn_app(db).await;
    let html = app.get_html("/surveys/governance").await;
    assert!(html.contains("<optgroup label=\"Wales\">"));
    assert!(html.contains(
        "<option value=\"MTY\">Merthyr Tydfil (Merthyr Tydfil County Borough Council)</option>"
    ));
    assert!(html.contains("My organisation is not a local council"));

    let token = crate::helpers::token_in(&html);
    let mut answers: Vec<(&str, &str)> = valid_answers(&token)
        .into_iter()
        .filter(|(k, _)| !k.starts_with("organisation"))
        .collect();
    answers.push(("organisation", "council"));
    answers.push(("organisation-council", "ZZZ"));
    let refused = app.post_form("/surveys/governance", &answers).await;
    assert_eq!(refused.status(), 422);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("<a href=\"#organisation-council\">Select your council from the list</a>")
    );

    answers.retain(|(k, _)| *k != "organisation-council");
    answers.push(("organisation-council", "PKN"));
    assert_eq!(
        app.post_form("/surveys/governance", &answers)
            .await
            .status(),
        303
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM responses WHERE organisation_code = 'PKN'")
            .await,
        1
    );
}

async fn a_respondent_finds_their_council_by_the_name_people_use_without_javascript(db: Db) {
    let app = spawn_app(db).await;
    let html = app.get_html("/surveys/governance").await;
    // The list reads by the names people use, the official name beside them.
    assert!(html.contains(
        "<option value=\"BRD\">Bradford (City of Bradford Metropolitan District Council)</option>"
    ));
    assert!(html.contains("<option value=\"WSM\">Westminster (City of Westminster)</option>"));
    assert!(html.contains("<option value=\"DST\">Dorset Council</option>"));
    // Combined authorities are kept apart from councils.
    let england_start = html.find("<optgroup label=\"England\">").unwrap();
    let england =
        &html[england_start..england_start + html[england_start..].find("</optgroup>").unwrap()];
    assert!(england.contains("value=\"BRD\"") && !england.contains("value=\"WYCA\""));
    let apart = html
        .find("<optgroup label=\"Combined authorities and other bodies\">")
        .unwrap();
    assert!(html[apart..].contains(
        "<option value=\"WYCA\">West Yorkshire (West Yorkshire Combined Authority)</option>"
    ));

    // Search, without JavaScript: the same form comes back with the matches
    // and every other answer kept; nothing is stored.
    let token = crate::helpers::token_in(&html);
    let mut answers: Vec<(&str, &str)> = valid_answers(&token)
        .into_iter()
        .filter(|(k, _)| !k.starts_with("organisation"))
        .collect();
    let mut searching = answers.clone();
    searching.extend([
        ("organisation-council-search", "bradford"),
        ("organisation-find", "yes"),
    ]);
    let found = app.post_form("/surveys/governance", &searching).await;
    assert_eq!(found.status(), 200);
    let page = found.text().await.unwrap();
    assert!(page.contains("Councils matching “bradford”"));
    assert!(page.contains(
        "id=\"organisation-council-BRD\" name=\"organisation-council\" type=\"radio\" value=\"BRD\" autofocus"
    ), "the best match comes first, with the focus");
    assert!(page.contains("id=\"organisation-kind-council\" name=\"organisation\" type=\"radio\" value=\"council\" checked"));
    assert!(
        page.contains("value=\"IEC 62443\""),
        "the other answers are kept"
    );
    assert!(
        page.contains("id=\"usefulness-4\" name=\"usefulness\" type=\"radio\" value=\"4\" checked")
    );
    assert!(
        !page.contains("There is a problem"),
        "a search is not an error"
    );
    assert_eq!(app.count("responses").await, 0);

    let nothing = app
        .post_form(
            "/surveys/governance",
            &[
                ("form_token", token.as_str()),
                ("organisation-council-search", "Atlantis"),
                ("organisation-find", "yes"),
            ],
        )
        .await;
    assert_eq!(nothing.status(), 200);
    assert!(
        nothing
            .text()
            .await
            .unwrap()
            .contains("No council matches “Atlantis”")
    );

    // Picking the match and sending stores it.
    answers.extend([
        ("organisation", "council"),
        ("organisation-council", "BRD"),
        ("organisation-council-search", "bradford"),
    ]);
    let sent = app.post_form("/surveys/governance", &answers).await;
    assert_eq!(sent.status(), 303);
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM responses WHERE organisation_code = 'BRD'")
            .await,
        1
    );
}

async fn a_register_loaded_before_short_names_gets_them_at_the_next_start(db: Db) {
    let first = spawn_app(db).await;
    let backend = first.state.db.get_database_backend();
    sea_orm::ConnectionTrait::execute_raw(
        &first.state.db,
        sea_orm::Statement::from_string(
            backend,
            "UPDATE organisations SET short_name = NULL, alt_names = NULL".to_string(),
        ),
    )
    .await
    .unwrap();
    let before = first.count("organisations").await;
    let restarted = start(
        first.database_url.clone(),
        tempfile::tempdir().unwrap(),
        &[("SECRET_KEY", SECRET)],
        std::sync::Arc::new(campaign_feedback::domain::clock::SystemClock),
    )
    .await;
    assert_eq!(
        restarted
            .scalar("SELECT COUNT(*) AS n FROM organisations WHERE code = 'BRD' AND short_name = 'Bradford'")
            .await,
        1
    );
    assert_eq!(
        restarted
            .scalar("SELECT COUNT(*) AS n FROM organisations WHERE short_name IS NULL")
            .await,
        0
    );
    assert_eq!(
        restarted.count("organisations").await,
        before,
        "nothing added"
    );
}
