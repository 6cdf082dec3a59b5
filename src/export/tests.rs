//! The CSV cells: formula safety, multi answers, the header, and a property
//! test that what is written reads back as what was stored.

use super::encoder::{
    BOM, CsvEncoder, answer_columns, answer_text, is_formula_like, iso_8601, neutralise,
};
use crate::domain::answer::AnswerValue;
use crate::domain::question::{Question, QuestionKind};
use crate::store::export::{Cell, ExportRow, FIXED_COLUMNS};
use chrono::TimeZone;
use proptest::prelude::*;

fn question(key: &str, kind: QuestionKind) -> Question {
    Question {
        key: key.into(),
        kind,
        text: key.into(),
        hint: None,
        required: false,
        options: Vec::new(),
        low_label: None,
        high_label: None,
        max_chars: None,
        error: None,
        cy: None,
    }
}

fn row(answers: Vec<(&str, AnswerValue)>) -> ExportRow {
    let text = |t: &str| Cell::Text(Some(t.into()));
    let at = chrono::Utc
        .with_ymd_and_hms(2026, 11, 27, 10, 15, 0)
        .unwrap();
    ExportRow {
        id: 1,
        fixed: [
            text("ABCD2346"),
            Cell::Time(at),
            text("secure-connected-places"),
            text("governance"),
            text("governance"),
            Cell::Whole(2),
            text("cy"),
            text("MTY"),
            text("W06000024"),
            text("Merthyr Tydfil County Borough Council"),
            text("Unitary authority"),
            text("Wales"),
            text("Wales"),
            Cell::Text(None),
        ],
        contact_email: Some("swyddog@example.gov.uk".into()),
        answers: answers.into_iter().map(|(k, v)| (k.into(), v)).collect(),
    }
}

fn header() -> String {
    let names: Vec<&str> = FIXED_COLUMNS.iter().map(|c| c.name).collect();
    names.join(",")
}

fn encode(keys: &[&str], rows: &[ExportRow], contact: bool, bom: bool) -> Vec<u8> {
    let keys = keys.iter().map(|k| k.to_string()).collect();
    let mut encoder = CsvEncoder::new(keys, contact, bom, None).unwrap();
    let mut out = encoder.take().unwrap();
    for r in rows {
        encoder.write_row(r).unwrap();
    }
    out.extend(encoder.take().unwrap());
    out
}

#[test]
fn every_dangerous_first_character_gets_a_quote_prefix() {
    for c in ['=', '+', '-', '@', '\t', '\r', '\n'] {
        let cell = format!("{c}SUM(A1)");
        assert!(is_formula_like(&cell), "{c:?} is dangerous");
        assert_eq!(neutralise(&cell), format!("'{cell}"), "{c:?}");
    }
}

#[test]
fn safe_cells_are_left_as_they_are() {
    for cell in [
        "",
        "Port of Tyne",
        "4",
        "a=b",
        " =1",
        "'quoted",
        "Ŵyddgrug",
        "😀+",
    ] {
        assert!(!is_formula_like(cell), "{cell:?}");
        assert_eq!(neutralise(cell), cell);
    }
}

#[test]
fn times_are_utc_to_the_second_in_iso_8601() {
    let mut out = String::new();
    let at = chrono::Utc
        .with_ymd_and_hms(2026, 3, 9, 7, 5, 3)
        .unwrap()
        .checked_add_signed(chrono::TimeDelta::milliseconds(999))
        .unwrap();
    iso_8601(&at, &mut out);
    assert_eq!(out, "2026-03-09T07:05:03Z");
}

#[test]
fn several_choices_are_joined_with_a_semicolon() {
    let mut out = String::new();
    answer_text(
        &AnswerValue::List(vec!["governance".into(), "video".into()]),
        &mut out,
    );
    assert_eq!(out, "governance; video");
    out.clear();
    answer_text(&AnswerValue::Number(10), &mut out);
    assert_eq!(out, "10");
}

#[test]
fn answer_columns_follow_first_sight_and_leave_out_organisation_and_email() {
    let v1 = vec![
        question("organisation", QuestionKind::Organisation),
        question("role", QuestionKind::Single),
        question("usefulness", QuestionKind::Rating),
        question("contact", QuestionKind::Email),
    ];
    let v2 = vec![
        question("usefulness", QuestionKind::Rating),
        question("ease", QuestionKind::Rating),
        question("role", QuestionKind::Single),
    ];
    let other = vec![question("resources_used", QuestionKind::Multi)];
    assert_eq!(
        answer_columns(&[v1, v2, other]),
        ["role", "usefulness", "ease", "resources_used"]
    );
}

#[test]
fn a_row_has_every_column_in_order_with_contact_last() {
    let r = row(vec![
        ("usefulness", AnswerValue::Number(4)),
        ("role", AnswerValue::Text("=cmd".into())),
    ]);
    let csv =
        String::from_utf8(encode(&["role", "usefulness", "ease"], &[r], true, false)).unwrap();
    assert_eq!(
        csv,
        format!(
            "{},role,usefulness,ease,contact_email\r\n\
             ABCD2346,2026-11-27T10:15:00Z,secure-connected-places,governance,governance,2,cy,\
             MTY,W06000024,Merthyr Tydfil County Borough Council,Unitary authority,Wales,Wales,,\
             '=cmd,4,,swyddog@example.gov.uk\r\n",
            header()
        )
    );
}

#[test]
fn the_header_is_written_alone_and_neutralised_too() {
    let csv = String::from_utf8(encode(&["-odd key"], &[], false, false)).unwrap();
    assert_eq!(csv, format!("{},'-odd key\r\n", header()));
}

#[test]
fn a_byte_order_mark_comes_first_when_asked_for() {
    let with = encode(&[], &[], false, true);
    assert!(with.starts_with(BOM));
    assert_eq!(&with[3..], encode(&[], &[], false, false).as_slice());
}

/// Strings a respondent could type to break a CSV file or a spreadsheet.
fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        "[=+\\-@\t\r\n]?[\"',;\r\n ŵŷâÔ😀a-zA-Z0-9=+@-]{0,16}",
        any::<String>(),
    ]
}

proptest! {
    #[test]
    fn what_is_written_reads_back_as_what_was_stored(
        name in hostile(),
        text in hostile(),
        items in proptest::collection::vec(hostile(), 0..4),
        email in hostile(),
    ) {
        let mut r = row(vec![
            ("missing", AnswerValue::Text(text.clone())),
            ("resources_used", AnswerValue::List(items.clone())),
        ]);
        r.fixed[9] = Cell::Text(Some(name.clone()));
        r.contact_email = Some(email.clone());
        let bytes = encode(&["missing", "resources_used"], &[r], true, false);
        let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(bytes.as_slice());
        let records: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().unwrap();
        prop_assert_eq!(records.len(), 1);
        let read = &records[0];
        let expect = |stored: &str| {
            if is_formula_like(stored) { format!("'{stored}") } else { stored.to_string() }
        };
        prop_assert_eq!(&read[9], expect(&name));
        prop_assert_eq!(&read[14], expect(&text));
        prop_assert_eq!(&read[15], expect(&items.join("; ")));
        prop_assert_eq!(&read[16], expect(&email));
    }
}

/// A migrated SQLite file with the default campaign and `n` responses
/// from another organisation, without answers.
async fn database(n: usize) -> (tempfile::TempDir, sea_orm::DatabaseConnection) {
    use crate::domain::campaign::{CampaignDefinition, DEFAULT_CAMPAIGN_TOML};
    use sea_orm::ConnectionTrait;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
    let db = crate::store::connect(&url).await.unwrap();
    crate::store::migrate(&db).await.unwrap();
    let def = CampaignDefinition::from_toml(DEFAULT_CAMPAIGN_TOML).unwrap();
    crate::store::campaigns::import(&db, &def, chrono::Utc::now())
        .await
        .unwrap();
    db.execute_unprepared(&format!(
        "WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < {n})
         INSERT INTO responses (reference, submission_id, survey_id, survey_version_id,
           other_organisation_name, other_organisation_sector, channel, submitted_at)
         SELECT printf('T%07d', i), 's' || i, s.id, v.id, 'Port of Tyne, \"North\"', 'port', 'web',
           strftime('%Y-%m-%dT%H:%M:%S+00:00', '2026-01-05', '+' || i || ' seconds')
         FROM seq, surveys s JOIN survey_versions v ON v.survey_id = s.id
         WHERE s.slug = 'playbook'"
    ))
    .await
    .unwrap();
    (dir, db)
}

fn request(survey: &str) -> super::ExportRequest {
    super::ExportRequest {
        labels: false,
        filter: crate::domain::filter::ResponseFilter {
            survey: Some(survey.into()),
            ..Default::default()
        },
        timezone: chrono_tz::Europe::London,
        include_contact: false,
        bom: true,
        format: super::Format::Csv,
    }
}

#[tokio::test]
async fn the_web_stream_carries_the_same_bytes_as_the_command_line_in_chunks() {
    use futures_core::Stream;
    let (_dir, db) = database(3_000).await;
    let mut written = Vec::new();
    let rows = super::write_to(&db, &request("playbook"), &mut written)
        .await
        .unwrap();
    assert_eq!(rows, 3_000);
    assert!(written.len() > 3 * super::CHUNK_BYTES, "several chunks");

    let (mut body, done) = super::start(db.clone(), request("playbook")).await.unwrap();
    let mut streamed = Vec::new();
    let mut chunks = 0;
    while let Some(chunk) =
        std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_next(cx)).await
    {
        streamed.extend(chunk.unwrap());
        chunks += 1;
    }
    assert_eq!(streamed, written);
    assert!(chunks > 3, "streamed in chunks, the header first");
    assert_eq!(done.await.unwrap().unwrap(), 3_000);
}

#[tokio::test]
async fn an_unknown_survey_is_refused_before_any_byte_is_sent() {
    let (_dir, db) = database(1).await;
    let err = super::start(db, request("playbok")).await.unwrap_err();
    assert!(
        matches!(&err, super::ExportError::Filter(f) if f.field == "survey"),
        "{err}"
    );
    assert_eq!(err.to_string(), "survey: there is no survey \"playbok\"");
}

#[tokio::test]
async fn a_cancelled_download_stops_the_export_unrecorded() {
    let (_dir, db) = database(10_000).await;
    let (body, done) = super::start(db, request("playbook")).await.unwrap();
    drop(body);
    let outcome = done.await.unwrap();
    assert!(
        matches!(outcome, Err(super::ExportError::Closed)),
        "{outcome:?}"
    );
}
