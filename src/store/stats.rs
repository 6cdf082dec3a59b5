//! Aggregates for the officers' pages: the dashboard, results, coverage and comments.

use super::filter::{FROM, SqlBuilder};
use crate::domain::filter::ResponseFilter;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use sea_orm::{ConnectionTrait, DbBackend, DbErr, QueryResult, Statement};
use std::collections::HashMap;

async fn rows(db: &impl ConnectionTrait, statement: Statement) -> Result<Vec<QueryResult>, DbErr> {
    db.query_all_raw(statement).await
}

fn int(row: &QueryResult, column: &str) -> i64 {
    row.try_get::<i64>("", column)
        .or_else(|_| row.try_get::<i32>("", column).map(i64::from))
        .or_else(|_| {
            row.try_get::<Option<i64>>("", column)
                .map(Option::unwrap_or_default)
        })
        .unwrap_or_default()
}

fn text(row: &QueryResult, column: &str) -> String {
    row.try_get::<Option<String>>("", column)
        .ok()
        .flatten()
        .unwrap_or_default()
}

async fn count(db: &impl ConnectionTrait, statement: Statement) -> Result<i64, DbErr> {
    Ok(db
        .query_one_raw(statement)
        .await?
        .map(|r| int(&r, "n"))
        .unwrap_or(0))
}

/// Councils of one nation or region: how many responded, out of how many.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Covered {
    /// The nation or region.
    pub name: String,
    /// Councils with at least one response.
    pub covered: i64,
    /// Current councils in the register.
    pub total: i64,
}

/// The dashboard's figures.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Dashboard {
    /// Every response stored.
    pub total: i64,
    /// Responses in the last 7 days.
    pub last_7_days: i64,
    /// Distinct organisations (councils and others) that responded.
    pub organisations: i64,
    /// Councils covered, by nation.
    pub by_nation: Vec<Covered>,
    /// Councils covered, by region.
    pub by_region: Vec<Covered>,
    /// Responses per survey: (slug, title, count), in campaign order.
    pub per_survey: Vec<(String, String, i64)>,
    /// Responses per week (Monday, UTC): (week start, count), oldest first.
    pub per_week: Vec<(NaiveDate, i64)>,
}

/// Computes the dashboard.
///
/// # Errors
/// The database's error.
#[tracing::instrument(skip_all)]
pub async fn dashboard(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<Dashboard, DbErr> {
    let backend = db.get_database_backend();
    let plain = |sql: &str| Statement::from_string(backend, sql.to_string());
    let total = count(db, plain("SELECT COUNT(*) AS n FROM responses")).await?;
    let mut recent = SqlBuilder::new(
        backend,
        "SELECT COUNT(*) AS n FROM responses WHERE submitted_at >= ",
    );
    recent.bind(now - Duration::days(7));
    let last_7_days = count(db, recent.build()).await?;
    let organisations = count(
        db,
        plain("SELECT COUNT(DISTINCT COALESCE(organisation_code, 'other:' || LOWER(other_organisation_name))) AS n FROM responses WHERE organisation_code IS NOT NULL OR other_organisation_name IS NOT NULL"),
    )
    .await?;
    let coverage = |column: &str| {
        plain(&format!(
            "SELECT o.{column} AS name, COUNT(*) AS total, \
             SUM(CASE WHEN EXISTS (SELECT 1 FROM responses r WHERE r.organisation_code = o.code) THEN 1 ELSE 0 END) AS covered \
             FROM organisations o WHERE o.current = TRUE GROUP BY o.{column} ORDER BY o.{column}"
        ))
    };
    let covered = |rows: Vec<QueryResult>| {
        rows.iter()
            .map(|r| Covered {
                name: text(r, "name"),
                covered: int(r, "covered"),
                total: int(r, "total"),
            })
            .collect()
    };
    let by_nation = covered(rows(db, coverage("nation")).await?);
    let by_region = covered(rows(db, coverage("region")).await?);
    let per_survey = per_survey(db).await?;
    let week = match backend {
        DbBackend::Postgres => {
            "to_char(date_trunc('week', submitted_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD')"
        }
        _ => "date(substr(submitted_at, 1, 10), 'weekday 0', '-6 days')",
    };
    let per_week = rows(
        db,
        plain(&format!(
            "SELECT {week} AS week, COUNT(*) AS n FROM responses GROUP BY 1 ORDER BY 1"
        )),
    )
    .await?
    .iter()
    .filter_map(|r| Some((text(r, "week").parse().ok()?, int(r, "n"))))
    .collect();
    Ok(Dashboard {
        total,
        last_7_days,
        organisations,
        by_nation,
        by_region,
        per_survey,
        per_week,
    })
}

/// Responses per survey: (slug, title, count), in campaign order.
///
/// # Errors
/// The database's error.
pub async fn per_survey(db: &impl ConnectionTrait) -> Result<Vec<(String, String, i64)>, DbErr> {
    let sql = "SELECT s.slug AS slug, s.title AS title, COUNT(r.id) AS n FROM surveys s \
               LEFT JOIN responses r ON r.survey_id = s.id \
               GROUP BY s.id, s.slug, s.title, s.campaign_id, s.position ORDER BY s.campaign_id, s.position";
    let found = rows(
        db,
        Statement::from_string(db.get_database_backend(), sql.to_string()),
    )
    .await?;
    Ok(found
        .iter()
        .map(|r| (text(r, "slug"), text(r, "title"), int(r, "n")))
        .collect())
}

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

/// The distinct nations, regions and types of the register, for filter menus.
///
/// # Errors
/// The database's error.
pub async fn register_values(
    db: &impl ConnectionTrait,
) -> Result<(Vec<String>, Vec<String>, Vec<String>), DbErr> {
    let backend = db.get_database_backend();
    let mut out = Vec::new();
    for column in ["nation", "region", "org_type"] {
        let sql = format!(
            "SELECT DISTINCT {column} AS v FROM organisations WHERE current = TRUE ORDER BY {column}"
        );
        let values = rows(db, Statement::from_string(backend, sql))
            .await?
            .iter()
            .map(|r| text(r, "v"))
            .collect();
        out.push(values);
    }
    let types = out.pop().unwrap_or_default();
    let regions = out.pop().unwrap_or_default();
    let nations = out.pop().unwrap_or_default();
    Ok((nations, regions, types))
}

/// A council and how many responses it sent.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CouncilCoverage {
    /// Register code.
    pub code: String,
    /// Official name.
    pub name: String,
    /// Nation.
    pub nation: String,
    /// Region.
    pub region: String,
    /// Type.
    pub org_type: String,
    /// Responses from it.
    pub responses: i64,
}

/// Current councils matching the register filters, with their response counts.
///
/// # Errors
/// The database's error.
#[tracing::instrument(skip_all)]
pub async fn coverage(
    db: &impl ConnectionTrait,
    filter: &ResponseFilter,
) -> Result<Vec<CouncilCoverage>, DbErr> {
    let mut b = SqlBuilder::new(
        db.get_database_backend(),
        "SELECT o.code AS code, o.name AS name, o.nation AS nation, o.region AS region, o.org_type AS org_type, \
         (SELECT COUNT(*) FROM responses r WHERE r.organisation_code = o.code) AS n \
         FROM organisations o WHERE o.current = TRUE",
    );
    for (sql, value) in [
        (" AND o.nation = ", &filter.nation),
        (" AND o.region = ", &filter.region),
        (" AND o.org_type = ", &filter.org_type),
    ] {
        if let Some(v) = value {
            b.push(sql).bind(v.clone());
        }
    }
    b.push(" ORDER BY o.nation, o.name");
    Ok(rows(db, b.build())
        .await?
        .iter()
        .map(|r| CouncilCoverage {
            code: text(r, "code"),
            name: text(r, "name"),
            nation: text(r, "nation"),
            region: text(r, "region"),
            org_type: text(r, "org_type"),
            responses: int(r, "n"),
        })
        .collect())
}

fn push_slugs(b: &mut SqlBuilder, slugs: &[String]) {
    b.push(" AND s.slug IN (");
    for (i, slug) in slugs.iter().enumerate() {
        if i > 0 {
            b.push(", ");
        }
        b.bind(slug.clone());
    }
    b.push(")");
}

/// Organisations whose first response to any of `slugs` arrived in `[start, end)`, by name.
///
/// # Errors
/// The database's error.
pub async fn first_time_organisations(
    db: &impl ConnectionTrait,
    slugs: &[String],
    (start, end): (DateTime<Utc>, DateTime<Utc>),
) -> Result<Vec<String>, DbErr> {
    if slugs.is_empty() {
        return Ok(Vec::new());
    }
    let mut b = SqlBuilder::new(
        db.get_database_backend(),
        "SELECT COALESCE(o.name, r.other_organisation_name) AS name",
    );
    b.push(FROM)
        .push(" WHERE (r.organisation_code IS NOT NULL OR r.other_organisation_name IS NOT NULL)");
    push_slugs(&mut b, slugs);
    b.push(" GROUP BY COALESCE(r.organisation_code, 'other:' || LOWER(r.other_organisation_name)), COALESCE(o.name, r.other_organisation_name)");
    b.push(" HAVING MIN(r.submitted_at) >= ")
        .bind(start)
        .push(" AND MIN(r.submitted_at) < ")
        .bind(end);
    b.push(" ORDER BY 1");
    Ok(rows(db, b.build())
        .await?
        .iter()
        .map(|r| text(r, "name"))
        .collect())
}

/// Distinct current councils that answered any of `slugs` before `until`.
///
/// # Errors
/// The database's error.
pub async fn councils_covered(
    db: &impl ConnectionTrait,
    slugs: &[String],
    until: DateTime<Utc>,
) -> Result<i64, DbErr> {
    if slugs.is_empty() {
        return Ok(0);
    }
    let mut b = SqlBuilder::new(
        db.get_database_backend(),
        "SELECT COUNT(DISTINCT r.organisation_code) AS n",
    );
    b.push(FROM)
        .push(" WHERE o.current = TRUE AND r.submitted_at < ")
        .bind(until);
    push_slugs(&mut b, slugs);
    count(db, b.build()).await
}

/// Responses to `slugs` submitted before `until`.
///
/// # Errors
/// The database's error.
pub async fn responses_before(
    db: &impl ConnectionTrait,
    slugs: &[String],
    until: DateTime<Utc>,
) -> Result<i64, DbErr> {
    if slugs.is_empty() {
        return Ok(0);
    }
    let mut b = SqlBuilder::new(db.get_database_backend(), "SELECT COUNT(*) AS n");
    b.push(FROM).push(" WHERE r.submitted_at < ").bind(until);
    push_slugs(&mut b, slugs);
    count(db, b.build()).await
}
