//! Reading stored responses back: whether one exists, and one in full.

use crate::domain::reference::Reference;
use crate::entities::{answers, responses};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

/// Whether a response with this reference exists for this survey.
///
/// # Errors
/// The database's error.
pub async fn exists(
    db: &impl ConnectionTrait,
    survey_id: i32,
    reference: &Reference,
) -> Result<bool, DbErr> {
    let row = responses::Entity::find()
        .filter(responses::Column::Reference.eq(reference.as_str()))
        .filter(responses::Column::SurveyId.eq(survey_id))
        .one(db)
        .await?;
    Ok(row.is_some())
}

/// A stored response with its answers, for officers.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ResponseDetail {
    /// Its reference.
    pub reference: String,
    /// The survey's slug.
    pub survey: String,
    /// The survey's title.
    pub survey_title: String,
    /// The survey's id.
    pub survey_id: i32,
    /// The version number answered.
    pub version: i32,
    /// The questions of that version.
    pub questions: Vec<crate::domain::question::Question>,
    /// When it was submitted.
    pub submitted_at: DateTime<Utc>,
    /// The council's code, if a council.
    pub organisation_code: Option<String>,
    /// The other organisation's name, if not a council.
    pub other_organisation_name: Option<String>,
    /// The other organisation's sector.
    pub other_organisation_sector: Option<String>,
    /// The consented contact email.
    pub contact_email: Option<String>,
    /// `web`, `api` or `invite`.
    pub channel: String,
    /// (question key, answer as text), in the order stored.
    pub answers: Vec<(String, String)>,
}

/// A response by reference, with its answers.
///
/// # Errors
/// The database's error.
#[tracing::instrument(skip_all)]
pub async fn detail(
    db: &impl ConnectionTrait,
    reference: &Reference,
) -> Result<Option<ResponseDetail>, DbErr> {
    use crate::entities::{survey_versions, surveys};
    use sea_orm::QueryOrder;
    let Some(r) = responses::Entity::find()
        .filter(responses::Column::Reference.eq(reference.as_str()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let survey = surveys::Entity::find_by_id(r.survey_id).one(db).await?;
    let version = survey_versions::Entity::find_by_id(r.survey_version_id)
        .one(db)
        .await?;
    let answers = answers::Entity::find()
        .filter(answers::Column::ResponseId.eq(r.id))
        .order_by_asc(answers::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|a| {
            let value = match (a.number_value, a.text_value, a.list_value) {
                (Some(n), _, _) => n.to_string(),
                (_, Some(t), _) => t,
                (_, _, Some(list)) => serde_json::from_value::<Vec<String>>(list)
                    .unwrap_or_default()
                    .join("; "),
                _ => String::new(),
            };
            (a.question_key, value)
        })
        .collect();
    Ok(Some(ResponseDetail {
        reference: r.reference,
        survey_title: survey.as_ref().map(|s| s.title.clone()).unwrap_or_default(),
        survey: survey.map(|s| s.slug).unwrap_or_default(),
        survey_id: r.survey_id,
        version: version.as_ref().map_or(0, |v| v.version),
        questions: match &version {
            Some(v) => crate::store::surveys::questions_of(v)?,
            None => Vec::new(),
        },
        submitted_at: r.submitted_at,
        organisation_code: r.organisation_code,
        other_organisation_name: r.other_organisation_name,
        other_organisation_sector: r.other_organisation_sector,
        contact_email: r.contact_email,
        channel: r.channel,
        answers,
    }))
}
