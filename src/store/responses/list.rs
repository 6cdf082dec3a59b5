//! Responses as a list: newest first, paged, under the shared filters.

use crate::domain::filter::ResponseFilter;
use crate::store::filter::{FROM, SqlBuilder};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sea_orm::{ConnectionTrait, DbErr};

/// One line of the responses list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ResponseLine {
    /// Its reference.
    pub reference: String,
    /// When it was submitted.
    pub submitted_at: DateTime<Utc>,
    /// The survey's title.
    pub survey_title: String,
    /// The council's name, or the other organisation's; empty when not given.
    pub organisation: String,
}

/// A page of the responses the filter selects, newest first, and how many
/// there are in all.
///
/// # Errors
/// The database's error.
#[tracing::instrument(skip_all)]
pub async fn page(
    db: &impl ConnectionTrait,
    filter: &ResponseFilter,
    tz: &Tz,
    limit: u64,
    offset: u64,
) -> Result<(Vec<ResponseLine>, i64), DbErr> {
    let backend = db.get_database_backend();
    let mut total = SqlBuilder::new(backend, "SELECT COUNT(*) AS n");
    total.push(FROM).filter(filter, tz);
    let total = match db.query_one_raw(total.build()).await? {
        Some(row) => row
            .try_get::<i64>("", "n")
            .or_else(|_| row.try_get::<i32>("", "n").map(i64::from))
            .unwrap_or_default(),
        None => 0,
    };
    let mut list = SqlBuilder::new(
        backend,
        "SELECT r.reference AS reference, r.submitted_at AS submitted_at, s.title AS survey_title, \
         COALESCE(o.name, r.other_organisation_name, '') AS organisation",
    );
    list.push(FROM)
        .filter(filter, tz)
        .push(" ORDER BY r.submitted_at DESC, r.id DESC LIMIT ")
        .bind(limit as i64)
        .push(" OFFSET ")
        .bind(offset as i64);
    let rows = db.query_all_raw(list.build()).await?;
    let lines = rows
        .iter()
        .filter_map(|r| {
            Some(ResponseLine {
                reference: r.try_get("", "reference").ok()?,
                submitted_at: r.try_get("", "submitted_at").ok()?,
                survey_title: r.try_get("", "survey_title").ok()?,
                organisation: r
                    .try_get::<Option<String>>("", "organisation")
                    .ok()
                    .flatten()
                    .unwrap_or_default(),
            })
        })
        .collect();
    Ok((lines, total))
}
