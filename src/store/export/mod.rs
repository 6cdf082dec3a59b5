//! The CSV export's queries: the questions the selected surveys asked, and
//! the selected responses with their answers, streamed in submission order
//! so memory stays flat however many rows there are.

mod row;

pub use row::{CONTACT_COLUMN, Cell, ColumnKind, ExportRow, FIXED_COLUMNS, FixedColumn};

use super::filter::{FROM, SqlBuilder};
use crate::domain::filter::{FilterError, ResponseFilter};
use crate::domain::question::Question;
use crate::entities::{campaigns, resources, survey_versions, surveys, workstreams};
use futures_core::Stream;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QueryStream, StreamTrait,
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
pub async fn question_lists(
    db: &impl ConnectionTrait,
    filter: &ResponseFilter,
) -> Result<Vec<Vec<Question>>, ScopeError> {
    Ok(survey_versions(db, filter)
        .await?
        .into_iter()
        .map(|v| v.questions)
        .collect())
}

/// One version of a survey, as a codebook lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyVersion {
    /// The survey's slug.
    pub survey: String,
    /// The version number (1, 2, …).
    pub version: i32,
    /// What that version asks.
    pub questions: Vec<Question>,
}

/// Every survey version the filter selects, in the order of
/// [`question_lists`].
///
/// # Errors
/// As [`question_lists`].
#[tracing::instrument(skip_all)]
pub async fn survey_versions(
    db: &impl ConnectionTrait,
    filter: &ResponseFilter,
) -> Result<Vec<SurveyVersion>, ScopeError> {
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
    let workstream_keys: Vec<String> = workstreams::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|w| w.key)
        .collect();
    known(
        "workstream",
        &filter.workstream,
        workstream_keys.iter().map(String::as_str),
    )?;
    // (campaign id, resource key) of the resources the workstream owns.
    let owned: Option<Vec<(i32, String)>> = match &filter.workstream {
        None => None,
        Some(w) => Some(
            resources::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .filter(|r| {
                    serde_json::from_value::<Vec<String>>(r.workstreams.clone())
                        .is_ok_and(|owners| owners.contains(w))
                })
                .map(|r| (r.campaign_id, r.key))
                .collect(),
        ),
    };
    let selected: Vec<(i32, &str)> = campaigns
        .iter()
        .flat_map(|c| all.iter().filter(move |s| s.campaign_id == c.id))
        .filter(|s| {
            let wanted = |want: &Option<String>, have: Option<&str>| {
                want.as_deref().is_none_or(|w| Some(w) == have)
            };
            let in_workstream = owned.as_ref().is_none_or(|owned| {
                s.resource_key
                    .as_ref()
                    .is_some_and(|k| owned.contains(&(s.campaign_id, k.clone())))
            });
            wanted(&filter.campaign, slug_of(s.campaign_id))
                && wanted(&filter.survey, Some(&s.slug))
                && wanted(&filter.resource, s.resource_key.as_deref())
                && in_workstream
        })
        .map(|s| (s.id, s.slug.as_str()))
        .collect();
    let ids: Vec<i32> = selected.iter().map(|(id, _)| *id).collect();
    let mut query = survey_versions::Entity::find()
        .filter(survey_versions::Column::SurveyId.is_in(ids))
        .order_by_asc(survey_versions::Column::Version);
    if let Some(version) = filter.version {
        query = query.filter(survey_versions::Column::Version.eq(version));
    }
    let versions = query.all(db).await?;
    let mut out = Vec::new();
    for (survey_id, slug) in selected {
        for version in versions.iter().filter(|v| v.survey_id == survey_id) {
            out.push(SurveyVersion {
                survey: slug.to_string(),
                version: version.version,
                questions: super::surveys::questions_of(version)?,
            });
        }
    }
    Ok(out)
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
    let mut sql = SqlBuilder::new(backend, row::select_columns());
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

/// One page of the responses the filter selects, in the export's order,
/// after the response `after` (its submission time and id) when given:
/// keyset pagination, so a page costs the same however deep it is and a
/// response stored meanwhile is neither skipped nor repeated.
///
/// # Errors
/// The database's error.
pub async fn page(
    db: &DatabaseConnection,
    filter: &ResponseFilter,
    tz: &chrono_tz::Tz,
    after: Option<(chrono::DateTime<chrono::Utc>, i64)>,
    limit: u64,
) -> Result<Vec<ExportRow>, DbErr> {
    let backend = db.get_database_backend();
    let mut sql = SqlBuilder::new(backend, row::select_columns());
    sql.push("NULL")
        .push(answers_column(backend))
        .push(FROM)
        .filter(filter, tz);
    if let Some((at, id)) = after {
        sql.push(" AND (r.submitted_at > ")
            .bind(at)
            .push(" OR (r.submitted_at = ")
            .bind(at)
            .push(" AND r.id > ")
            .bind(id)
            .push("))");
    }
    sql.push(" ORDER BY r.submitted_at, r.id LIMIT ")
        .bind(i64::try_from(limit).unwrap_or(i64::MAX));
    let mut rows = Vec::new();
    for q in db.query_all_raw(sql.build()).await? {
        let mut row = ExportRow::default();
        row::read_response(&q, &mut row)?;
        rows.push(row);
    }
    Ok(rows)
}

/// One response by id, as the export has it.
///
/// # Errors
/// The database's error.
pub async fn one(db: &DatabaseConnection, id: i64) -> Result<Option<ExportRow>, DbErr> {
    let backend = db.get_database_backend();
    let mut sql = SqlBuilder::new(backend, row::select_columns());
    sql.push("NULL")
        .push(answers_column(backend))
        .push(FROM)
        .push(" WHERE r.id = ")
        .bind(id);
    let Some(q) = db.query_one_raw(sql.build()).await? else {
        return Ok(None);
    };
    let mut row = ExportRow::default();
    row::read_response(&q, &mut row)?;
    Ok(Some(row))
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
                row::read_response(&q, &mut self.row)?;
                Ok(Some(&self.row))
            }
            None => Ok(None),
        }
    }
}
