//! The export's row: its fixed columns, defined once (header name, SQL,
//! kind), and how a row of the query is read into it.

use crate::domain::answer::AnswerValue;
use chrono::{DateTime, Utc};
use sea_orm::{DbErr, QueryResult};

/// What kind of value a fixed column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// Text, possibly empty.
    Text,
    /// A UTC instant.
    Time,
    /// A whole number.
    Whole,
}

/// One of the export's columns before the answers: its name in the header,
/// the SQL that selects it, and its kind. [`FIXED_COLUMNS`] is the one
/// definition the query, the row and every encoder follow.
#[derive(Debug, Clone, Copy)]
pub struct FixedColumn {
    /// The header's name for it.
    pub name: &'static str,
    /// The SQL expression that selects it (over `FROM` of `store::filter`).
    sql: &'static str,
    /// What it holds.
    pub kind: ColumnKind,
}

const fn column(name: &'static str, sql: &'static str, kind: ColumnKind) -> FixedColumn {
    FixedColumn { name, sql, kind }
}

/// The columns before the answers, in order.
pub const FIXED_COLUMNS: [FixedColumn; 14] = [
    column("reference", "r.reference", ColumnKind::Text),
    column("submitted_at", "r.submitted_at", ColumnKind::Time),
    column("campaign", "c.slug", ColumnKind::Text),
    column("resource", "s.resource_key", ColumnKind::Text),
    column("survey", "s.slug", ColumnKind::Text),
    column("survey_version", "v.version", ColumnKind::Whole),
    column("language", "r.language", ColumnKind::Text),
    column("organisation_code", "r.organisation_code", ColumnKind::Text),
    column("organisation_gss_code", "o.gss_code", ColumnKind::Text),
    column(
        "organisation_name",
        "COALESCE(o.name, r.other_organisation_name)",
        ColumnKind::Text,
    ),
    column("organisation_type", "o.org_type", ColumnKind::Text),
    column("nation", "o.nation", ColumnKind::Text),
    column("region", "o.region", ColumnKind::Text),
    column(
        "other_organisation_sector",
        "r.other_organisation_sector",
        ColumnKind::Text,
    ),
];

/// The last column, written only when contact details are asked for.
pub const CONTACT_COLUMN: &str = "contact_email";

/// The value of one fixed column in one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Text; `None` is an empty cell.
    Text(Option<String>),
    /// A UTC instant.
    Time(DateTime<Utc>),
    /// A whole number.
    Whole(i32),
}

/// One response as the export writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRow {
    /// The row id: the tie-break of the order.
    pub id: i64,
    /// The values of [`FIXED_COLUMNS`], in their order.
    pub fixed: [Cell; FIXED_COLUMNS.len()],
    /// The consented contact email; read only when the export asks for it.
    pub contact_email: Option<String>,
    /// The answers given, by question key, in no particular order.
    pub answers: Vec<(String, AnswerValue)>,
}

impl Default for ExportRow {
    fn default() -> Self {
        Self {
            id: 0,
            fixed: std::array::from_fn(|_| Cell::Text(None)),
            contact_email: None,
            answers: Vec::new(),
        }
    }
}

/// `SELECT r.id, <the fixed columns>, ` as one string, built once.
pub(super) fn select_columns() -> &'static str {
    static SELECT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let columns: Vec<&str> = FIXED_COLUMNS.iter().map(|c| c.sql).collect();
        format!("SELECT r.id, {}, ", columns.join(", "))
    });
    &SELECT
}

/// One stored answer as the query returns it: key, number, text, list.
type StoredAnswer = (
    String,
    Option<i32>,
    Option<String>,
    Option<serde_json::Value>,
);

pub(super) fn read_response(q: &QueryResult, row: &mut ExportRow) -> Result<(), DbErr> {
    row.id = q.try_get_by_index(0)?;
    for (i, column) in FIXED_COLUMNS.iter().enumerate() {
        let at = i + 1;
        row.fixed[i] = match column.kind {
            ColumnKind::Text => Cell::Text(q.try_get_by_index(at)?),
            ColumnKind::Time => Cell::Time(q.try_get_by_index(at)?),
            ColumnKind::Whole => Cell::Whole(q.try_get_by_index(at)?),
        };
    }
    let next = FIXED_COLUMNS.len() + 1;
    row.contact_email = q.try_get_by_index(next)?;
    row.answers.clear();
    let Some(json) = q.try_get_by_index::<Option<String>>(next + 1)? else {
        return Ok(()); // no answers
    };
    let stored: Vec<StoredAnswer> = serde_json::from_str(&json)
        .map_err(|e| DbErr::Json(format!("answers of response {}: {e}", row.id)))?;
    for (key, number, text, list) in stored {
        let value = match (number, text, list) {
            (Some(n), _, _) => AnswerValue::Number(n),
            (None, Some(t), _) => AnswerValue::Text(t),
            (None, None, Some(list)) => AnswerValue::List(list_items(list)),
            (None, None, None) => continue,
        };
        row.answers.push((key, value));
    }
    Ok(())
}

/// The items of a stored list; anything but strings is kept as its JSON.
fn list_items(list: serde_json::Value) -> Vec<String> {
    match list {
        serde_json::Value::Array(items) => items
            .into_iter()
            .map(|item| match item {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            })
            .collect(),
        serde_json::Value::String(s) => vec![s],
        other => vec![other.to_string()],
    }
}
