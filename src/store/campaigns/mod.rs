//! Campaign definitions in and out of the database: [`import`] (in
//! `import.rs`), the definition back out as it would import ([`export`]),
//! and the outline of each campaign that the landing page and the digests
//! show (`outline.rs`).

mod import;
mod outline;

pub use import::{import, import_within};
pub use outline::{CampaignOutline, ResourceOutline, SurveyOutline, outline, outlines};

use crate::domain::campaign::{
    CampaignDefinition, ResourceDefinition, SurveyDefinition, WorkstreamDefinition,
};
use crate::domain::welsh::Welsh;
use crate::entities::{campaigns, resources, workstreams};
use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
/// Why an import was refused; nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The definition clashes with what is stored.
    #[error("{0}")]
    Conflict(String),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// What an import changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// True when the campaign did not exist before.
    pub created: bool,
    /// Surveys that got a new version, as (slug, version number).
    pub new_versions: Vec<(String, i32)>,
}

/// A campaign as listed by `campaign list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignSummary {
    /// The campaign's slug.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// First day open, if set.
    pub opens_on: Option<NaiveDate>,
    /// Last day open, if set.
    pub closes_on: Option<NaiveDate>,
}

/// Every campaign, oldest first.
///
/// # Errors
/// The database's error.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<CampaignSummary>, DbErr> {
    let rows = campaigns::Entity::find()
        .order_by_asc(campaigns::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|c| CampaignSummary {
            slug: c.slug,
            title: c.title,
            opens_on: c.opens_on,
            closes_on: c.closes_on,
        })
        .collect())
}

/// The id of the campaign with this slug.
///
/// # Errors
/// The database's error.
pub async fn id_of(db: &impl ConnectionTrait, slug: &str) -> Result<Option<i32>, DbErr> {
    let row = campaigns::Entity::find()
        .filter(campaigns::Column::Slug.eq(slug))
        .one(db)
        .await?;
    Ok(row.map(|c| c.id))
}

/// Whether no campaign is stored yet (so `serve` seeds the default).
///
/// # Errors
/// The database's error.
pub async fn is_empty(db: &impl ConnectionTrait) -> Result<bool, DbErr> {
    Ok(campaigns::Entity::find().count(db).await? == 0)
}

/// The stored campaign as a definition that imports back to the same campaign.
///
/// # Errors
/// The database's error, or stored questions that no longer parse.
pub async fn export(
    db: &impl ConnectionTrait,
    slug: &str,
) -> Result<Option<CampaignDefinition>, DbErr> {
    let Some(campaign) = campaigns::Entity::find()
        .filter(campaigns::Column::Slug.eq(slug))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let workstreams = workstreams::Entity::find()
        .filter(workstreams::Column::CampaignId.eq(campaign.id))
        .order_by_asc(workstreams::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|w| WorkstreamDefinition {
            cy: welsh_of(w.welsh),
            key: w.key,
            name: w.name,
        })
        .collect();
    let resources = resource_rows(db, campaign.id)
        .await?
        .into_iter()
        .map(|r| ResourceDefinition {
            cy: welsh_of(r.welsh),
            workstreams: serde_json::from_value(r.workstreams).unwrap_or_default(),
            key: r.key,
            title: r.title,
            description: r.description,
            url: r.url,
        })
        .collect();
    let mut surveys_out = Vec::new();
    for s in crate::store::surveys::rows_for_campaign(db, campaign.id).await? {
        let questions = match crate::store::surveys::current_version(db, s.id).await? {
            Some(v) => crate::store::surveys::questions_of(&v)?,
            None => Vec::new(),
        };
        surveys_out.push(SurveyDefinition {
            slug: s.slug,
            title: s.title,
            resource: s.resource_key,
            intro: s.intro,
            closed: s.closed,
            embedded: s.embedded,
            questions,
            cy: welsh_of(s.welsh),
        });
    }
    Ok(Some(CampaignDefinition {
        slug: campaign.slug,
        title: campaign.title,
        description: campaign.description,
        opens_on: campaign.opens_on,
        closes_on: campaign.closes_on,
        workstreams,
        resources,
        surveys: surveys_out,
        cy: welsh_of(campaign.welsh),
    }))
}

/// Welsh words as stored: none when nothing is given.
pub(crate) fn welsh_json(cy: Option<&Welsh>) -> Option<serde_json::Value> {
    cy.filter(|w| !w.is_empty())
        .and_then(|w| serde_json::to_value(w).ok())
}

/// Welsh words as read back: none when the column is empty or unreadable.
pub(crate) fn welsh_of(stored: Option<serde_json::Value>) -> Option<Welsh> {
    stored.and_then(|v| serde_json::from_value(v).ok())
}

/// A campaign's resources in their order.
async fn resource_rows(
    db: &impl ConnectionTrait,
    campaign_id: i32,
) -> Result<Vec<resources::Model>, DbErr> {
    resources::Entity::find()
        .filter(resources::Column::CampaignId.eq(campaign_id))
        .order_by_asc(resources::Column::Position)
        .all(db)
        .await
}
