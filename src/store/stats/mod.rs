//! Aggregates for the officers' pages and the digests: the dashboard here,
//! answer counts per question in `counts.rs`, councils covered and
//! first-time organisations in `coverage.rs`.

mod counts;
mod coverage;
mod digest;

pub use counts::{SurveyCounts, scale_counts, survey_counts};
pub use coverage::{CouncilCoverage, councils_covered, coverage, first_time_organisations};
pub use digest::{DigestCounts, DigestKeys, Periods, digest_counts};

use super::filter::SqlBuilder;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, QueryResult, Statement};

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
