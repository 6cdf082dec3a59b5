//! Importing the UK local-authority register, and choosing a council in a survey.

use crate::helpers::{Db, register_csv, spawn_app, valid_answers};
use crate::on_both_databases;

on_both_databases!(
    the_real_register_imports_current_councils_and_a_rerun_changes_nothing,
    a_register_missing_a_column_is_refused_with_the_column_name,
    bad_rows_are_reported_by_line_while_good_rows_import,
    a_respondent_picks_their_council_from_the_register_grouped_by_nation,
);

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

async fn the_real_register_imports_current_councils_and_a_rerun_changes_nothing(db: Db) {
    let app = spawn_app(db).await;
    let csv = register_csv();
    let mut reader = csv::Reader::from_path(&csv).unwrap();
    let column = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "current-authority")
        .unwrap();
    let expected_current = reader
        .records()
        .filter(|r| &r.as_ref().unwrap()[column] == "True")
        .count() as i64;
    assert!(
        expected_current > 350,
        "the register holds the UK's councils"
    );
    let first = app.cli(&["councils", "import", csv.to_str().unwrap()]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stdout(&first).contains(&format!("{expected_current} added, 0 updated, 0 unchanged")),
        "{}",
        stdout(&first)
    );
    assert_eq!(app.count("organisations").await, expected_current);
    let bradford = app.scalar("SELECT COUNT(*) AS n FROM organisations WHERE code = 'BRD' AND gss_code = 'E08000032' AND nation = 'England'").await;
    assert_eq!(bradford, 1);

    let again = app.cli(&["councils", "import", csv.to_str().unwrap()]);
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
    assert!(former.status.success());
    assert!(
        app.count("organisations").await > expected_current,
        "former councils are added on request"
    );
}

async fn a_register_missing_a_column_is_refused_with_the_column_name(db: Db) {
    let app = spawn_app(db).await;
    let path = app.dir.path().join("no-region.csv");
    std::fs::write(&path, "local-authority-code,official-name,gss-code,nation,local-authority-type-name,current-authority\nBRD,Bradford,E08000032,England,Metropolitan district,True\n").unwrap();
    let output = app.cli(&["councils", "import", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("the file has no column “region”"),
        "{}",
        stderr(&output)
    );
    assert_eq!(app.count("organisations").await, 0);
}

async fn bad_rows_are_reported_by_line_while_good_rows_import(db: Db) {
    let app = spawn_app(db).await;
    let path = app.dir.path().join("bad-rows.csv");
    let csv = "local-authority-code,official-name,gss-code,nation,region,local-authority-type-name,current-authority\n\
               BRD,City of Bradford Metropolitan District Council,E08000032,England,Yorkshire and The Humber,Metropolitan district,True\n\
               bad code,Nowhere Council,E0,England,Nowhere,District,True\n\
               DOR,Dorset Council,E06000059,England,South West,Unitary authority,maybe\n\
               MTY,Merthyr Tydfil County Borough Council,W06000024,Wales,Wales,Welsh unitary authority,True\n";
    std::fs::write(&path, csv).unwrap();
    let output = app.cli(&["councils", "import", path.to_str().unwrap()]);
    assert!(output.status.success());
    let err = stderr(&output);
    assert!(
        err.contains("line 3: local-authority-code \"bad code\""),
        "{err}"
    );
    assert!(
        err.contains("line 4: current-authority \"maybe\" is not True or False"),
        "{err}"
    );
    assert!(stdout(&output).contains("2 added"), "{}", stdout(&output));
    assert!(stdout(&output).contains("2 rows refused"));
    assert_eq!(app.count("organisations").await, 2);
}

async fn a_respondent_picks_their_council_from_the_register_grouped_by_nation(db: Db) {
    let app = spawn_app(db).await;
    assert!(
        app.cli(&["councils", "import", register_csv().to_str().unwrap()])
            .status
            .success()
    );
    let html = app.get_html("/surveys/governance").await;
    assert!(html.contains("<optgroup label=\"Wales\">"));
    assert!(html.contains("<option value=\"MTY\">Merthyr Tydfil County Borough Council</option>"));
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
