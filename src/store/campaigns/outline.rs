//! The outline of a campaign as respondents and leads see it: its dates,
//! its resources in order with their surveys, and the surveys on the
//! campaign as a whole.

use crate::domain::welsh::Welsh;
use crate::entities::{campaigns, surveys};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

/// A campaign with its resources and surveys, in their order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CampaignOutline {
    /// Its id.
    #[serde(skip)]
    pub id: i32,
    /// Its slug.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// What it is about.
    pub description: String,
    /// First day open, if set.
    pub opens_on: Option<NaiveDate>,
    /// Last day open, if set.
    pub closes_on: Option<NaiveDate>,
    /// Its resources, each with the surveys about it.
    pub resources: Vec<ResourceOutline>,
    /// The surveys about the campaign as a whole.
    pub whole: Vec<SurveyOutline>,
    /// Its Welsh words, where given.
    pub cy: Option<Welsh>,
}

/// A resource of a campaign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResourceOutline {
    /// Its key.
    pub key: String,
    /// Its title.
    pub title: String,
    /// What it is.
    pub description: String,
    /// Where it is published.
    pub url: Option<String>,
    /// The keys of the workstreams that own it.
    pub workstreams: Vec<String>,
    /// The surveys about it.
    pub surveys: Vec<SurveyOutline>,
    /// Its Welsh words, where given.
    pub cy: Option<Welsh>,
}

/// A survey, as linked from a campaign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SurveyOutline {
    /// Its address: `/surveys/{slug}`.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// Closed on its own, whatever the campaign's dates.
    pub closed: bool,
    /// Answered by the embeddable form on the campaign's own pages, not
    /// listed on the campaign page.
    pub embedded: bool,
    /// Its Welsh words, where given.
    pub cy: Option<Welsh>,
}

/// Every campaign's outline, oldest campaign first.
///
/// # Errors
/// The database's error.
pub async fn outlines(db: &impl ConnectionTrait) -> Result<Vec<CampaignOutline>, DbErr> {
    let rows = campaigns::Entity::find()
        .order_by_asc(campaigns::Column::Id)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for campaign in rows {
        out.push(assemble(db, campaign).await?);
    }
    Ok(out)
}

/// One campaign's outline, by its id.
///
/// # Errors
/// The database's error; [`DbErr::RecordNotFound`] for an unknown id.
pub async fn outline(
    db: &impl ConnectionTrait,
    campaign_id: i32,
) -> Result<CampaignOutline, DbErr> {
    let campaign = campaigns::Entity::find_by_id(campaign_id)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("campaign {campaign_id}")))?;
    assemble(db, campaign).await
}

async fn assemble(
    db: &impl ConnectionTrait,
    campaign: campaigns::Model,
) -> Result<CampaignOutline, DbErr> {
    let surveys = surveys::Entity::find()
        .filter(surveys::Column::CampaignId.eq(campaign.id))
        .order_by_asc(surveys::Column::Position)
        .all(db)
        .await?;
    let about = |key: Option<&str>| -> Vec<SurveyOutline> {
        surveys
            .iter()
            .filter(|s| s.resource_key.as_deref() == key)
            .map(|s| SurveyOutline {
                slug: s.slug.clone(),
                title: s.title.clone(),
                closed: s.closed,
                embedded: s.embedded,
                cy: super::welsh_of(s.welsh.clone()),
            })
            .collect()
    };
    let resources = super::resource_rows(db, campaign.id)
        .await?
        .into_iter()
        .map(|r| ResourceOutline {
            surveys: about(Some(&r.key)),
            workstreams: serde_json::from_value(r.workstreams).unwrap_or_default(),
            key: r.key,
            title: r.title,
            description: r.description,
            url: r.url,
            cy: super::welsh_of(r.welsh),
        })
        .collect();
    Ok(CampaignOutline {
        id: campaign.id,
        whole: about(None),
        slug: campaign.slug,
        title: campaign.title,
        description: campaign.description,
        opens_on: campaign.opens_on,
        closes_on: campaign.closes_on,
        resources,
        cy: super::welsh_of(campaign.welsh),
    })
}
