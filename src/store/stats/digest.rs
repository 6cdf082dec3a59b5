//! What a digest counts, for all the workstream's surveys at once: three
//! grouped passes (the response counts, the values of the period and the
//! period before, the period's comments) instead of a dozen queries per
//! survey.

use super::coverage::push_slugs;
use super::{SurveyCounts, int, rows, text};
use crate::domain::lang::Lang;
use crate::store::filter::SqlBuilder;
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr};
use std::collections::HashMap;

/// One survey's figures in a digest.
#[derive(Debug, Clone, Default)]
pub struct DigestCounts {
    /// Responses up to the end of the period.
    pub total: i64,
    /// Of those in the period, the ones given in Welsh.
    pub in_welsh: i64,
    /// The period: responses, and each value of the scale and choice questions.
    pub now: SurveyCounts,
    /// The same for the period before.
    pub before: SurveyCounts,
    /// Free-text answers in the period, per question key.
    pub comments: HashMap<String, i64>,
}

/// The periods a digest compares: `[before, start)` and `[start, end)`.
#[derive(Debug, Clone, Copy)]
pub struct Periods {
    /// Start of the period before.
    pub before: DateTime<Utc>,
    /// Start of the period.
    pub start: DateTime<Utc>,
    /// End of the period (excluded).
    pub end: DateTime<Utc>,
}

/// The questions a digest counts, by key, over all its surveys (a survey
/// reads back only its own questions' figures).
#[derive(Debug, Clone, Default)]
pub struct DigestKeys {
    /// Questions whose values are counted (the usefulness rating, the NPS,
    /// "was this useful?").
    pub values: Vec<String>,
    /// Free-text questions whose answers in the period are counted.
    pub comments: Vec<String>,
}

/// The figures of each of `slugs` (a survey with no responses is absent).
/// Three grouped passes, side by side on PostgreSQL (in turn on SQLite's
/// one read transaction, see `digest::build`): the response counts, the
/// values of `keys.values` in both periods, and the comments in the period.
///
/// # Errors
/// The database's error.
#[tracing::instrument(skip_all)]
pub async fn digest_counts(
    db: &impl ConnectionTrait,
    slugs: &[String],
    keys: &DigestKeys,
    periods: Periods,
) -> Result<HashMap<String, DigestCounts>, DbErr> {
    let mut figures: HashMap<String, DigestCounts> = HashMap::new();
    if slugs.is_empty() {
        return Ok(figures);
    }
    let (totals, values, comments) = futures_util::future::try_join3(
        rows(db, totals(db, slugs, periods).build()),
        rows(db, values(db, slugs, &keys.values, periods).build()),
        rows(db, comments(db, slugs, &keys.comments, periods).build()),
    )
    .await?;
    for row in &totals {
        let survey = figures.entry(text(row, "slug")).or_default();
        survey.total = int(row, "total");
        survey.in_welsh = int(row, "welsh");
        survey.now.responses = int(row, "in_period");
        survey.before.responses = int(row, "earlier");
    }
    for row in &comments {
        let survey = figures.entry(text(row, "slug")).or_default();
        survey
            .comments
            .insert(text(row, "question_key"), int(row, "n"));
    }
    for row in &values {
        let survey = figures.entry(text(row, "slug")).or_default();
        let counts = if int(row, "in_period") == 1 {
            &mut survey.now
        } else {
            &mut survey.before
        };
        counts.add(row);
    }
    Ok(figures)
}

/// Per survey: responses up to the end, in the period, in Welsh in the
/// period, and in the period before.
fn totals(db: &impl ConnectionTrait, slugs: &[String], p: Periods) -> SqlBuilder {
    let mut b = SqlBuilder::new(
        db.get_database_backend(),
        "SELECT s.slug AS slug, COUNT(*) AS total",
    );
    b.push(", SUM(CASE WHEN r.submitted_at >= ")
        .bind(p.start)
        .push(" THEN 1 ELSE 0 END) AS in_period, SUM(CASE WHEN r.submitted_at >= ")
        .bind(p.start)
        .push(" AND r.language = ")
        .bind(Lang::Cy.code())
        .push(" THEN 1 ELSE 0 END) AS welsh, SUM(CASE WHEN r.submitted_at >= ")
        .bind(p.before)
        .push(" AND r.submitted_at < ")
        .bind(p.start)
        .push(" THEN 1 ELSE 0 END) AS earlier")
        .push(" FROM responses r JOIN surveys s ON s.id = r.survey_id WHERE r.submitted_at < ")
        .bind(p.end);
    push_slugs(&mut b, slugs);
    b.push(" GROUP BY s.slug");
    b
}

/// Per survey, period, question and value: the answers to `keys` in both periods.
fn values(db: &impl ConnectionTrait, slugs: &[String], keys: &[String], p: Periods) -> SqlBuilder {
    let mut b = SqlBuilder::new(db.get_database_backend(), "SELECT s.slug AS slug");
    b.push(", CASE WHEN r.submitted_at >= ")
        .bind(p.start)
        .push(" THEN 1 ELSE 0 END AS in_period")
        .push(", a.question_key AS question_key, a.number_value AS number_value, a.text_value AS text_value, COUNT(*) AS n");
    answers_of(&mut b, slugs, (false, keys), (p.before, p.end));
    b.push(" GROUP BY 1, 2, 3, 4, 5");
    b
}

/// Per survey and question: the answers to `keys` in the period.
fn comments(
    db: &impl ConnectionTrait,
    slugs: &[String],
    keys: &[String],
    p: Periods,
) -> SqlBuilder {
    let mut b = SqlBuilder::new(
        db.get_database_backend(),
        "SELECT s.slug AS slug, a.question_key AS question_key, COUNT(*) AS n",
    );
    // Walking each response's answers once: 0.36 s to 0.22 s for 100,000
    // responses on SQLite.
    answers_of(&mut b, slugs, (true, keys), (p.start, p.end));
    b.push(" GROUP BY 1, 2");
    b
}

/// `FROM … WHERE …`: the answers to `keys` of the responses to `slugs` in
/// `[start, end)`; `unindexed`: see [`SqlBuilder::unindexed`].
fn answers_of(
    b: &mut SqlBuilder,
    slugs: &[String],
    (unindexed, keys): (bool, &[String]),
    (start, end): (DateTime<Utc>, DateTime<Utc>),
) {
    b.push(" FROM responses r JOIN surveys s ON s.id = r.survey_id JOIN answers a ON a.response_id = r.id")
        .push(" WHERE r.submitted_at >= ")
        .bind(start)
        .push(" AND r.submitted_at < ")
        .bind(end);
    push_slugs(b, slugs);
    b.push(" AND ");
    if unindexed {
        b.unindexed("a.question_key");
    } else {
        b.push("a.question_key");
    }
    b.push(" IN (");
    for (i, key) in keys.iter().enumerate() {
        if i > 0 {
            b.push(", ");
        }
        b.bind(key.clone());
    }
    if keys.is_empty() {
        b.push("NULL");
    }
    b.push(")");
}
