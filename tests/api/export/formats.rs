//! The same responses as CSV, an Excel workbook, JSON Lines and the API (issue 14):
//! read back with independent readers (the csv crate, calamine, serde_json),
//! the three agree row for row and cell for cell; the workbook keeps numbers
//! as numbers and the time as a date, freezes and filters its header, has a
//! codebook sheet, and stores no formula even for text that looks like one.

use super::{council, export, rows, submit};
use crate::helpers::{Db, SignedIn, spawn_app};
use crate::on_both_databases;
use calamine::{Data, Reader, Xlsx};
use campaign_feedback::domain::officer::Role;
use std::io::Read;

on_both_databases!(
    csv_xlsx_and_json_lines_hold_the_same_responses,
    the_web_export_offers_the_three_formats,
);

/// A cell of the workbook as the CSV writes it (text, number or time).
fn as_csv_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => i.to_string(),
        Data::DateTime(d) => d
            .as_datetime()
            .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
            .unwrap_or_default(),
        other => format!("{other:?}"),
    }
}

/// A JSON Lines record's value for a CSV column.
fn json_as_csv_text(record: &serde_json::Value, column: &str) -> String {
    let value = record.get(column).or_else(|| record["answers"].get(column));
    match value {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .map(|i| i.as_str().unwrap_or_default().to_string())
            .collect::<Vec<_>>()
            .join("; "),
        Some(other) => other.to_string(),
    }
}

async fn csv_xlsx_and_json_lines_hold_the_same_responses(db: Db) {
    let app = spawn_app(db).await;
    submit(
        &app,
        "governance",
        &[("missing", "=HYPERLINK(\"http://x\")")],
    )
    .await;
    let mut bradford = council("BRD").to_vec();
    bradford.extend([("usefulness", "5"), ("standards", "")]);
    submit(&app, "governance", &bradford).await;
    let mut playbook = council("MTY").to_vec();
    playbook.extend([
        ("resources_used", "video"),
        ("resources_used", "governance"),
        ("overall_usefulness", "2"),
    ]);
    submit(&app, "playbook", &playbook).await;
    // Filtered alike: the same two responses in each format.
    let filter = ["--resource", "governance"];
    let csv_bytes = export(&app, &[&filter[..], &["--format", "csv"]].concat());
    let header: Vec<String> = csv::Reader::from_reader(&csv_bytes[..])
        .headers()
        .unwrap()
        .iter()
        .map(String::from)
        .collect();
    let csv_rows = rows(&csv_bytes);
    assert_eq!(csv_rows.len(), 2);

    let out = app.dir.path().join("responses.xlsx");
    let args = [
        &filter[..],
        &["--format", "xlsx", "--out", out.to_str().unwrap()],
    ]
    .concat();
    export(&app, &args);
    let mut workbook: Xlsx<_> = calamine::open_workbook(&out).unwrap();
    assert_eq!(workbook.sheet_names(), ["Responses", "Codebook"]);
    let sheet = workbook.worksheet_range("Responses").unwrap();
    let mut lines = sheet.rows();
    let xlsx_header: Vec<String> = lines.next().unwrap().iter().map(as_csv_text).collect();
    assert_eq!(xlsx_header, header, "the same columns");
    let xlsx_rows: Vec<Vec<Data>> = lines.map(<[Data]>::to_vec).collect();
    assert_eq!(xlsx_rows.len(), 2);
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    for (xlsx, csv) in xlsx_rows.iter().zip(&csv_rows) {
        for (i, name) in header.iter().enumerate() {
            let cell = xlsx.get(i).cloned().unwrap_or(Data::Empty);
            let expected = csv[i].strip_prefix('\'').unwrap_or(&csv[i]);
            assert_eq!(as_csv_text(&cell), expected, "column {name}");
        }
        assert!(
            matches!(xlsx[column("usefulness")], Data::Float(_)),
            "a number"
        );
        assert!(matches!(xlsx[column("survey_version")], Data::Float(_)));
        assert!(
            matches!(xlsx[column("submitted_at")], Data::DateTime(_)),
            "a date"
        );
    }
    // Text that looks like a formula is text: the CSV guards it with ', the
    // workbook stores it as a string and holds no formula at all.
    let missing = column("missing");
    assert_eq!(csv_rows[0][missing], "'=HYPERLINK(\"http://x\")");
    assert_eq!(
        xlsx_rows[0][missing],
        Data::String("=HYPERLINK(\"http://x\")".into())
    );
    let xml = sheet_xml(&out);
    assert!(
        !xml.contains("<f>") && !xml.contains("<f "),
        "no formula stored"
    );
    assert!(
        xml.contains("ySplit=\"1\"") && xml.contains("state=\"frozen\""),
        "header frozen"
    );
    assert!(xml.contains("<autoFilter ref=\"A1:"), "header filters");
    let codebook = workbook.worksheet_range("Codebook").unwrap();
    let first = codebook.rows().nth(1).unwrap();
    assert_eq!(as_csv_text(&first[0]), "governance");

    let jsonl = export(&app, &[&filter[..], &["--format", "jsonl"]].concat());
    let records: Vec<serde_json::Value> = String::from_utf8(jsonl)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 2);
    for (record, csv) in records.iter().zip(&csv_rows) {
        for (i, name) in header.iter().enumerate() {
            let expected = csv[i].strip_prefix('\'').unwrap_or(&csv[i]);
            assert_eq!(json_as_csv_text(record, name), expected, "key {name}");
        }
    }
    assert!(
        records[1]["answers"]["usefulness"].is_number(),
        "scores are numbers"
    );
    assert_eq!(records[1]["organisation_code"], "BRD");
    assert!(
        records[0].get("contact_email").is_none(),
        "no contact unless asked"
    );

    // And the API gives the same records for the same filter, a page at a time.
    app.add_officer(
        "analyst@example.gov.uk",
        Role::Analyst,
        "meadow lantern quarry",
    )
    .await;
    let made = app.cli(&[
        "tokens",
        "create",
        "--email",
        "analyst@example.gov.uk",
        "--name",
        "R",
    ]);
    let token = String::from_utf8(made.stdout).unwrap().trim().to_string();
    let mut from_api: Vec<serde_json::Value> = Vec::new();
    let mut path = "/api/v1/responses?resource=governance&limit=1".to_string();
    loop {
        let page: serde_json::Value = app
            .client
            .get(app.url(&path))
            .header("authorization", format!("Bearer {token}"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        from_api.extend(page["data"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => {
                path = format!("/api/v1/responses?resource=governance&limit=1&cursor={next}")
            }
            None => break,
        }
    }
    assert_eq!(from_api, records, "the API and the JSON Lines file agree");

    let bad = app.cli(&["export", "responses", "--format", "pdf"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("use csv, xlsx or jsonl"));
}

fn sheet_xml(path: &std::path::Path) -> String {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    archive
        .by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

async fn the_web_export_offers_the_three_formats(db: Db) {
    let app = spawn_app(db).await;
    submit(&app, "governance", &[]).await;
    app.add_officer(
        "analyst@example.gov.uk",
        Role::Analyst,
        "meadow lantern quarry",
    )
    .await;
    let who: SignedIn = app
        .sign_in("analyst@example.gov.uk", "meadow lantern quarry")
        .await;
    let page = app
        .get_as(&who.cookie, "/admin/exports")
        .await
        .text()
        .await
        .unwrap()
        .replace("&#x2f;", "/");
    assert!(page.contains("action=\"/admin/export\""));
    assert!(page.contains("value=\"xlsx\""));
    for (format, media, ending) in [
        ("csv", "text/csv; charset=utf-8", ".csv"),
        (
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ".xlsx",
        ),
        ("jsonl", "application/jsonl; charset=utf-8", ".jsonl"),
    ] {
        let got = app
            .get_as(
                &who.cookie,
                &format!("/admin/export?format={format}&survey=governance"),
            )
            .await;
        assert_eq!(got.status(), 200, "{format}");
        assert_eq!(got.headers()["content-type"], media);
        let disposition = got.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            disposition.ends_with(&format!("{ending}\"")),
            "{disposition}"
        );
        let bytes = got.bytes().await.unwrap();
        let cli = export(&app, &["--survey", "governance", "--format", format]);
        if format == "xlsx" {
            assert!(bytes.starts_with(b"PK"), "a zip file");
        } else {
            assert_eq!(
                bytes.as_ref(),
                &cli[..],
                "web bytes = CLI bytes for {format}"
            );
        }
    }
    let bad = app.get_as(&who.cookie, "/admin/export?format=pdf").await;
    assert_eq!(bad.status(), 400);
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'export' AND CAST(detail AS TEXT) LIKE '%xlsx%'")
            .await,
        2,
        "each export recorded with its format"
    );
}
