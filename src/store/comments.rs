//! Free-text answers, newest first, for reading and searching.

use super::filter::{FROM, SqlBuilder};
use crate::domain::filter::ResponseFilter;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sea_orm::{ConnectionTrait, DbErr};

/// One free-text answer with where it came from.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Comment {
    /// The response's reference.
    pub reference: String,
    /// When it was submitted.
    pub submitted_at: DateTime<Utc>,
    /// The survey's slug.
    pub survey: String,
    /// The survey's title.
    pub survey_title: String,
    /// The question key.
    pub question: String,
    /// The answer as typed.
    pub text: String,
    /// The council's name or the other organisation's.
    pub organisation: String,
}

/// What to look for.
#[derive(Debug, Clone, Default)]
pub struct Search {
    /// Words the answer contains (case-insensitive).
    pub contains: Option<String>,
    /// One question key only.
    pub question: Option<String>,
    /// Submitted in `[start, end)` only.
    pub window: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

fn push_conditions(b: &mut SqlBuilder, filter: &ResponseFilter, tz: &Tz, search: &Search) {
    b.push(FROM)
        .push(" JOIN answers a ON a.response_id = r.id")
        .filter(filter, tz)
        .window(search.window);
    b.push(" AND a.kind IN ('text', 'long_text')");
    if let Some(q) = &search.question {
        b.push(" AND ")
            .unindexed("a.question_key")
            .push(" = ")
            .bind(q.clone());
    }
    if let Some(words) = &search.contains {
        let escaped = words
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        b.push(" AND LOWER(a.text_value) LIKE ")
            .bind(format!("%{escaped}%"))
            .push(" ESCAPE '\\'");
    }
}

/// A page of comments and the total matching.
///
/// # Errors
/// The database's error.
#[tracing::instrument(skip_all)]
pub async fn page(
    db: &impl ConnectionTrait,
    filter: &ResponseFilter,
    tz: &Tz,
    search: &Search,
    limit: u64,
    offset: u64,
) -> Result<(Vec<Comment>, i64), DbErr> {
    let backend = db.get_database_backend();
    let mut total = SqlBuilder::new(backend, "SELECT COUNT(*) AS n");
    push_conditions(&mut total, filter, tz, search);
    let total = match db.query_one_raw(total.build()).await? {
        Some(row) => row.try_get::<i64>("", "n").unwrap_or_default(),
        None => 0,
    };
    let comments = list(db, filter, tz, search, limit, offset).await?;
    Ok((comments, total))
}

/// The comments matching `filter` and `search`, newest first, without
/// counting them all (a digest's quotes).
///
/// # Errors
/// The database's error.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &ResponseFilter,
    tz: &Tz,
    search: &Search,
    limit: u64,
    offset: u64,
) -> Result<Vec<Comment>, DbErr> {
    let mut list = SqlBuilder::new(
        db.get_database_backend(),
        "SELECT r.reference AS reference, r.submitted_at AS submitted_at, s.slug AS survey, s.title AS survey_title, \
         a.question_key AS question, a.text_value AS text, COALESCE(o.name, r.other_organisation_name, '') AS organisation",
    );
    push_conditions(&mut list, filter, tz, search);
    list.push(" ORDER BY r.submitted_at DESC, a.id DESC LIMIT ")
        .bind(limit as i64)
        .push(" OFFSET ")
        .bind(offset as i64);
    let rows = db.query_all_raw(list.build()).await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            Some(Comment {
                reference: r.try_get("", "reference").ok()?,
                submitted_at: r.try_get("", "submitted_at").ok()?,
                survey: r.try_get("", "survey").ok()?,
                survey_title: r.try_get("", "survey_title").ok()?,
                question: r.try_get("", "question").ok()?,
                text: r.try_get::<Option<String>>("", "text").ok()??,
                organisation: r
                    .try_get::<Option<String>>("", "organisation")
                    .ok()
                    .flatten()
                    .unwrap_or_default(),
            })
        })
        .collect())
}
