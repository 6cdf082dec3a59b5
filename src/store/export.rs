//! The CSV export's queries: the questions the selected surveys asked, and
//! the selected responses with their answers, streamed in submission order
//! so memory stays flat however many rows there are.

use super::filter::{FROM, SqlBuilder};
use crate::domain::answer::AnswerValue;
use crate::domain::filter::{FilterError, ResponseFilter};
use crate::domain::question::Question;
use crate::entities::{campaigns, survey_versions, surveys};
use chrono::{DateTime, Utc};
use futures_core::Stream;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QueryResult, QueryStream, StreamTrait,
};
use std::pin::Pin;

/// Why the surveys to export could not be chosen.
#[derive(Debug, thiserror::Error)]
pub enum ScopeError {
    /// The filter names a campaign, survey or resource that does not exist.
    #[error(transparent)]
    Unknown(#[from] FilterError),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// The question lists of every survey version the filter selects: surveys in
/// campaign order (campaigns in the order they were created), each survey's
/// versions oldest first.
///
/// # Errors
/// [`ScopeError::Unknown`] naming the parameter when a campaign, survey or
/// resource given does not exist; the database's error otherwise.
#[tracing::instrument(skip_all)]
pub async fn question_lists(
    db: &impl ConnectionTrait,
    filter: &ResponseFilter,
) -> Result<Vec<Vec<Question>>, ScopeError> {
    let campaigns = campaigns::Entity::find()
        .order_by_asc(campaigns::Column::Id)
        .all(db)
        .await?;
    let all = surveys::Entity::find()
        .order_by_asc(surveys::Column::Position)
        .order_by_asc(surveys::Column::Id)
        .all(db)
        .await?;
    let slug_of = |campaign_id: i32| {
        campaigns
            .iter()
            .find(|c| c.id == campaign_id)
            .map(|c| c.slug.as_str())
    };
    known(
        "campaign",
        &filter.campaign,
        campaigns.iter().map(|c| c.slug.as_str()),
    )?;
    known(
        "survey",
        &filter.survey,
        all.iter().map(|s| s.slug.as_str()),
    )?;
    known(
        "resource",
        &filter.resource,
        all.iter().filter_map(|s| s.resource_key.as_deref()),
    )?;
    let selected: Vec<i32> = campaigns
        .iter()
        .flat_map(|c| all.iter().filter(move |s| s.campaign_id == c.id))
        .filter(|s| {
            let wanted = |want: &Option<String>, have: Option<&str>| {
                want.as_deref().is_none_or(|w| Some(w) == have)
            };
            wanted(&filter.campaign, slug_of(s.campaign_id))
                && wanted(&filter.survey, Some(&s.slug))
                && wanted(&filter.resource, s.resource_key.as_deref())
        })
        .map(|s| s.id)
        .collect();
    let mut query = survey_versions::Entity::find()
        .filter(survey_versions::Column::SurveyId.is_in(selected.clone()))
        .order_by_asc(survey_versions::Column::Version);
    if let Some(version) = filter.version {
        query = query.filter(survey_versions::Column::Version.eq(version));
    }
    let versions = query.all(db).await?;
    let mut lists = Vec::new();
    for survey_id in selected {
        for version in versions.iter().filter(|v| v.survey_id == survey_id) {
            lists.push(super::surveys::questions_of(version)?);
        }
    }
    Ok(lists)
}

/// Refuses a filter value that names nothing, so a typing mistake is not
/// mistaken for "no responses".
fn known<'a>(
    field: &'static str,
    wanted: &Option<String>,
    mut existing: impl Iterator<Item = &'a str>,
) -> Result<(), FilterError> {
    match wanted {
        Some(w) if !existing.any(|e| e == w) => Err(FilterError {
            field,
            message: format!("there is no {field} {w:?}"),
        }),
        _ => Ok(()),
    }
}

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
pub const FIXED_COLUMNS: [FixedColumn; 13] = [
    column("reference", "r.reference", ColumnKind::Text),
    column("submitted_at", "r.submitted_at", ColumnKind::Time),
    column("campaign", "c.slug", ColumnKind::Text),
    column("resource", "s.resource_key", ColumnKind::Text),
    column("survey", "s.slug", ColumnKind::Text),
    column("survey_version", "v.version", ColumnKind::Whole),
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
fn select_columns() -> &'static str {
    static SELECT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let columns: Vec<&str> = FIXED_COLUMNS.iter().map(|c| c.sql).collect();
        format!("SELECT r.id, {}, ", columns.join(", "))
    });
    &SELECT
}

/// A response's answers as one JSON text: `[[key, number, text, list], ...]`.
/// One row per response rather than one per answer: the drivers' cost is
/// per row and per column, several times the cost of parsing this.
fn answers_column(backend: DbBackend) -> &'static str {
    match backend {
        DbBackend::Postgres => {
            ", (SELECT json_agg(json_build_array(a.question_key, a.number_value, \
             a.text_value, a.list_value))::text FROM answers a WHERE a.response_id = r.id)"
        }
        _ => {
            ", (SELECT json_group_array(json_array(a.question_key, a.number_value, \
             a.text_value, json(a.list_value))) FROM answers a WHERE a.response_id = r.id)"
        }
    }
}

/// The responses the filter selects with their answers, oldest first (then
/// by id), as a cursor over one streamed query. The contact email is only
/// read when `include_contact` is set.
///
/// # Errors
/// The database's error when the query cannot start.
#[tracing::instrument(skip_all)]
pub async fn responses(
    db: &DatabaseConnection,
    filter: &ResponseFilter,
    tz: &chrono_tz::Tz,
    include_contact: bool,
) -> Result<ResponseCursor, DbErr> {
    let backend = db.get_database_backend();
    let mut sql = SqlBuilder::new(backend, select_columns());
    sql.push(if include_contact {
        "r.contact_email"
    } else {
        "NULL"
    })
    .push(answers_column(backend))
    .push(FROM)
    .filter(filter, tz)
    .push(" ORDER BY r.submitted_at, r.id");
    let stream = db.stream_raw(sql.build()).await?;
    Ok(ResponseCursor {
        stream: Box::pin(stream),
        row: ExportRow::default(),
    })
}

/// Walks the responses of [`responses`] one at a time, reusing one row.
pub struct ResponseCursor {
    stream: Pin<Box<QueryStream>>,
    row: ExportRow,
}

impl std::fmt::Debug for ResponseCursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseCursor").finish_non_exhaustive()
    }
}

impl ResponseCursor {
    /// The next response, or `None` after the last.
    ///
    /// # Errors
    /// The database's error, or a value of an unexpected type.
    pub async fn next(&mut self) -> Result<Option<&ExportRow>, DbErr> {
        let next = std::future::poll_fn(|cx| self.stream.as_mut().poll_next(cx)).await;
        match next.transpose()? {
            Some(q) => {
                read_response(&q, &mut self.row)?;
                Ok(Some(&self.row))
            }
            None => Ok(None),
        }
    }
}

/// One stored answer as the query returns it: key, number, text, list.
type StoredAnswer = (
    String,
    Option<i32>,
    Option<String>,
    Option<serde_json::Value>,
);

fn read_response(q: &QueryResult, row: &mut ExportRow) -> Result<(), DbErr> {
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
