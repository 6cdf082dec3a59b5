//! Which councils have responded: coverage by council, the councils
//! covered up to a moment, and organisations responding for the first time.

use super::{count, int, rows, text};
use crate::domain::filter::ResponseFilter;
use crate::store::filter::{FROM, SqlBuilder};
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr};

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
    /// Its contacts sent an invitation.
    pub invited: i64,
    /// Its contacts who followed their personal link.
    pub followed: i64,
}

/// Current councils matching the register filters, with their response
/// counts (to one resource's surveys when the filter names a resource).
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
         (SELECT COUNT(*) FROM responses r JOIN surveys s ON s.id = r.survey_id \
          WHERE r.organisation_code = o.code",
    );
    // Responses to one resource's surveys only, when a resource is asked for.
    if let Some(resource) = &filter.resource {
        b.push(" AND s.resource_key = ").bind(resource.clone());
    }
    b.push(
        ") AS n, \
         (SELECT COUNT(*) FROM contacts ct WHERE ct.organisation_code = o.code AND EXISTS \
          (SELECT 1 FROM outreach_deliveries d WHERE d.contact_id = ct.id \
           AND d.kind = 'invitation' AND d.status = 'sent')) AS invited, \
         (SELECT COUNT(*) FROM contacts ct WHERE ct.organisation_code = o.code \
          AND ct.link_followed_at IS NOT NULL) AS followed \
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
            invited: int(r, "invited"),
            followed: int(r, "followed"),
        })
        .collect())
}

pub(super) fn push_slugs(b: &mut SqlBuilder, slugs: &[String]) {
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
