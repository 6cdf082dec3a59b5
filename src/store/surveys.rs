//! Surveys and their versions, as the public pages need them.

use crate::domain::question::Question;
use crate::entities::{campaigns, resources, survey_versions, surveys};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

/// Everything the survey page and the submission need about one survey.
#[derive(Debug, Clone)]
pub struct SurveyRecord {
    /// The survey row's id.
    pub id: i32,
    /// Its address.
    pub slug: String,
    /// Its heading.
    pub title: String,
    /// The paragraph above the questions.
    pub intro: String,
    /// Closed on its own.
    pub closed: bool,
    /// The resource asked about, with its title and link.
    pub resource: Option<(String, String, Option<String>)>,
    /// The campaign's title.
    pub campaign_title: String,
    /// The campaign's first day open.
    pub opens_on: Option<NaiveDate>,
    /// The campaign's last day open.
    pub closes_on: Option<NaiveDate>,
    /// The version shown (the current one unless asked otherwise).
    pub version_id: i32,
    /// Its questions.
    pub questions: Vec<Question>,
}

/// A survey by slug at its current version, or at `version_id` when that is
/// one of its versions (a form answers the version it showed).
///
/// # Errors
/// The database's error.
#[tracing::instrument(skip_all, fields(survey = %slug))]
pub async fn find(
    db: &impl ConnectionTrait,
    slug: &str,
    version_id: Option<i32>,
) -> Result<Option<SurveyRecord>, DbErr> {
    let Some(survey) = surveys::Entity::find()
        .filter(surveys::Column::Slug.eq(slug))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(campaign) = campaigns::Entity::find_by_id(survey.campaign_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let pinned = match version_id {
        Some(id) => survey_versions::Entity::find_by_id(id)
            .one(db)
            .await?
            .filter(|v| v.survey_id == survey.id),
        None => None,
    };
    let version = match pinned {
        Some(v) => v,
        None => match current_version(db, survey.id).await? {
            Some(v) => v,
            None => return Ok(None),
        },
    };
    let resource = match &survey.resource_key {
        Some(key) => resources::Entity::find()
            .filter(resources::Column::CampaignId.eq(campaign.id))
            .filter(resources::Column::Key.eq(key))
            .one(db)
            .await?
            .map(|r| (r.key, r.title, r.url)),
        None => None,
    };
    Ok(Some(SurveyRecord {
        id: survey.id,
        slug: survey.slug,
        title: survey.title,
        intro: survey.intro,
        closed: survey.closed,
        resource,
        campaign_title: campaign.title,
        opens_on: campaign.opens_on,
        closes_on: campaign.closes_on,
        version_id: version.id,
        questions: questions_of(&version)?,
    }))
}

/// The highest version of a survey.
///
/// # Errors
/// The database's error.
pub async fn current_version(
    db: &impl ConnectionTrait,
    survey_id: i32,
) -> Result<Option<survey_versions::Model>, DbErr> {
    survey_versions::Entity::find()
        .filter(survey_versions::Column::SurveyId.eq(survey_id))
        .order_by_desc(survey_versions::Column::Version)
        .one(db)
        .await
}

/// The questions stored in a version.
///
/// # Errors
/// [`DbErr::Json`] when the stored JSON is not a question list.
pub fn questions_of(version: &survey_versions::Model) -> Result<Vec<Question>, DbErr> {
    serde_json::from_value(version.questions.clone()).map_err(|e| DbErr::Json(e.to_string()))
}

/// The surveys of a campaign in their order.
///
/// # Errors
/// The database's error.
pub async fn rows_for_campaign(
    db: &impl ConnectionTrait,
    campaign_id: i32,
) -> Result<Vec<surveys::Model>, DbErr> {
    surveys::Entity::find()
        .filter(surveys::Column::CampaignId.eq(campaign_id))
        .order_by_asc(surveys::Column::Position)
        .all(db)
        .await
}

/// Every version of a survey, oldest first, with its questions.
///
/// # Errors
/// The database's error, or stored questions that no longer parse.
pub async fn versions(
    db: &impl ConnectionTrait,
    survey_id: i32,
) -> Result<Vec<(i32, Vec<Question>)>, DbErr> {
    let rows = survey_versions::Entity::find()
        .filter(survey_versions::Column::SurveyId.eq(survey_id))
        .order_by_asc(survey_versions::Column::Version)
        .all(db)
        .await?;
    rows.iter()
        .map(|v| Ok((v.version, questions_of(v)?)))
        .collect()
}

/// Every question key a survey has asked, in order across its versions, with
/// the question as its latest version asks it.
pub fn questions_across_versions(versions: &[(i32, Vec<Question>)]) -> Vec<Question> {
    let mut merged: Vec<Question> = Vec::new();
    for (_, questions) in versions {
        for q in questions {
            match merged.iter_mut().find(|m| m.key == q.key) {
                Some(existing) => *existing = q.clone(),
                None => merged.push(q.clone()),
            }
        }
    }
    merged
}
