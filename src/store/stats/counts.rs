//! Counting answers: each value of each question for the responses a
//! filter selects (the results page), or only what a digest shows.

use super::{count, int, rows, text};
use crate::domain::filter::ResponseFilter;
use crate::store::filter::{FROM, SqlBuilder};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sea_orm::{ConnectionTrait, DbErr, QueryResult};
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

impl SurveyCounts {
    /// Adds a grouped row: `question_key`, `number_value` or `text_value`,
    /// and its count `n`.
    pub(super) fn add(&mut self, row: &QueryResult) {
        let key = text(row, "question_key");
        let value = match row.try_get::<Option<i32>>("", "number_value") {
            Ok(Some(number)) => number.to_string(),
            _ => text(row, "text_value"),
        };
        let n = int(row, "n");
        *self
            .values
            .entry(key.clone())
            .or_default()
            .entry(value)
            .or_default() += n;
        *self.answered.entry(key).or_default() += n;
    }
}

/// The number of responses and the counts of each value of the questions
/// answered on a scale or by one choice (the JSON API's figures), without
/// the results page's multiple-choice and text counts.
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
        counts.add(&row);
    }

    Ok(counts)
}

/// Counts the answers of the responses matching `filter`: every question,
/// as the results page shows them. A whole survey, or one version of it, is
/// read from the running tallies (`store::tallies`), a few rows whatever the
/// number of responses; any other filter takes one grouped pass over the answers
/// (values of the scale and choice questions, each combination of a
/// multiple choice, free-text answers by question) after the count: the
/// four passes it replaced took seconds a page at 100,000 responses.
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
    let backend = db.get_database_backend();
    if let (Some((slug, version)), None) = (filter.whole_survey(), window) {
        return tallied(db, slug, version).await;
    }
    let mut total = SqlBuilder::new(backend, "SELECT COUNT(*) AS n");
    total.push(FROM).filter(filter, tz).window(window);
    let mut counts = SurveyCounts {
        responses: count(db, total.build()).await?,
        ..SurveyCounts::default()
    };
    const SCALE: &str = "a.kind IN ('rating', 'nps', 'single', 'yes_no')";
    let mut grouped = SqlBuilder::new(
        backend,
        &format!(
            "SELECT a.question_key AS question_key, a.kind AS kind, \
             CASE WHEN {SCALE} THEN a.number_value END AS number_value, \
             CASE WHEN {SCALE} THEN a.text_value END AS text_value, \
             CASE WHEN a.kind = 'multi' THEN CAST(a.list_value AS TEXT) END AS list_value, \
             COUNT(*) AS n"
        ),
    );
    grouped
        .push(FROM)
        .push(" JOIN answers a ON a.response_id = r.id")
        .filter(filter, tz)
        .window(window)
        .push(" AND a.kind IN ('rating', 'nps', 'single', 'yes_no', 'multi', 'text', 'long_text')")
        .push(" GROUP BY 1, 2, 3, 4, 5");
    for row in rows(db, grouped.build()).await? {
        match text(&row, "kind").as_str() {
            "text" | "long_text" => {
                *counts
                    .answered
                    .entry(text(&row, "question_key"))
                    .or_default() += int(&row, "n");
            }
            "multi" => {
                let (key, n) = (text(&row, "question_key"), int(&row, "n"));
                let chosen: Vec<String> =
                    serde_json::from_str(&text(&row, "list_value")).unwrap_or_default();
                let values = counts.values.entry(key.clone()).or_default();
                for value in chosen {
                    *values.entry(value).or_default() += n;
                }
                *counts.answered.entry(key).or_default() += n;
            }
            _ => counts.add(&row),
        }
    }
    Ok(counts)
}

/// The counts of a whole survey, or of one version, from the running tallies.
async fn tallied(
    db: &impl ConnectionTrait,
    slug: &str,
    version: Option<i32>,
) -> Result<SurveyCounts, DbErr> {
    let select = crate::store::tallies::select(db.get_database_backend(), slug, version);
    let mut counts = SurveyCounts::default();
    for row in rows(db, select).await? {
        let (key, value, n) = (
            text(&row, "question_key"),
            text(&row, "value"),
            int(&row, "n"),
        );
        match (key.is_empty(), value.is_empty()) {
            (true, _) => counts.responses += n,
            (false, true) => *counts.answered.entry(key).or_default() += n,
            (false, false) => {
                *counts
                    .values
                    .entry(key)
                    .or_default()
                    .entry(value)
                    .or_default() += n
            }
        }
    }
    Ok(counts)
}
