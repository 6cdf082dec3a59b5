//! Counting answers: each value of each question for the responses a
//! filter selects (the results page), or only what a digest shows.

use super::{count, int, rows, text};
use crate::domain::filter::ResponseFilter;
use crate::store::filter::{FROM, SqlBuilder};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sea_orm::{ConnectionTrait, DbErr};
use std::collections::HashMap;

/// Answer counts for one survey under a filter.
#[derive(Debug, Clone, Default)]
pub struct SurveyCounts {
    /// Responses matching the filter.
    pub responses: i64,
    /// Per question key: count per stored value (a score or an option value).
    pub values: HashMap<String, HashMap<String, i64>>,
    /// Per question key: how many responses answered it.
    pub answered: HashMap<String, i64>,
}

/// The number of responses and the counts of each value of the questions
/// answered on a scale or by one choice: what a digest shows, without the
/// results page's multiple-choice and text counts.
///
/// # Errors
/// The database's error.
#[tracing::instrument(skip_all)]
pub async fn scale_counts(
    db: &impl ConnectionTrait,
    filter: &ResponseFilter,
    tz: &Tz,
    window: Option<(DateTime<Utc>, DateTime<Utc>)>,
) -> Result<SurveyCounts, DbErr> {
    let backend = db.get_database_backend();
    let mut total = SqlBuilder::new(backend, "SELECT COUNT(*) AS n");
    total.push(FROM).filter(filter, tz).window(window);
    let mut counts = SurveyCounts {
        responses: count(db, total.build()).await?,
        ..SurveyCounts::default()
    };

    let mut grouped = SqlBuilder::new(
        backend,
        "SELECT a.question_key AS question_key, a.number_value AS number_value, a.text_value AS text_value, COUNT(*) AS n",
    );
    grouped
        .push(FROM)
        .push(" JOIN answers a ON a.response_id = r.id")
        .filter(filter, tz).window(window)
        .push(" AND a.kind IN ('rating', 'nps', 'single', 'yes_no') GROUP BY a.question_key, a.number_value, a.text_value");
    for row in rows(db, grouped.build()).await? {
        let key = text(&row, "question_key");
        let value = match row
            .try_get::<Option<i32>>("", "number_value")
            .ok()
            .flatten()
        {
            Some(n) => n.to_string(),
            None => text(&row, "text_value"),
        };
        let n = int(&row, "n");
        *counts
            .values
            .entry(key.clone())
            .or_default()
            .entry(value)
            .or_default() += n;
        *counts.answered.entry(key).or_default() += n;
    }

    Ok(counts)
}

/// Counts the answers of the responses matching `filter`: every question,
/// as the results page shows them.
///
/// # Errors
/// The database's error.
#[tracing::instrument(skip_all)]
pub async fn survey_counts(
    db: &impl ConnectionTrait,
    filter: &ResponseFilter,
    tz: &Tz,
    window: Option<(DateTime<Utc>, DateTime<Utc>)>,
) -> Result<SurveyCounts, DbErr> {
    let mut counts = scale_counts(db, filter, tz, window).await?;
    let backend = db.get_database_backend();
    let mut lists = SqlBuilder::new(
        backend,
        "SELECT a.question_key AS question_key, a.list_value AS list_value",
    );
    lists
        .push(FROM)
        .push(" JOIN answers a ON a.response_id = r.id")
        .filter(filter, tz)
        .window(window)
        .push(" AND a.kind = 'multi'");
    for row in rows(db, lists.build()).await? {
        let key = text(&row, "question_key");
        let chosen: Vec<String> = row
            .try_get::<Option<serde_json::Value>>("", "list_value")
            .ok()
            .flatten()
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default();
        let values = counts.values.entry(key.clone()).or_default();
        for value in chosen {
            *values.entry(value).or_default() += 1;
        }
        *counts.answered.entry(key).or_default() += 1;
    }

    let mut texts = SqlBuilder::new(
        backend,
        "SELECT a.question_key AS question_key, COUNT(*) AS n",
    );
    texts
        .push(FROM)
        .push(" JOIN answers a ON a.response_id = r.id")
        .filter(filter, tz)
        .window(window)
        .push(" AND a.kind IN ('text', 'long_text') GROUP BY a.question_key");
    for row in rows(db, texts.build()).await? {
        counts
            .answered
            .insert(text(&row, "question_key"), int(&row, "n"));
    }
    Ok(counts)
}
