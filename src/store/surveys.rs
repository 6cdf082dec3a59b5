//! Surveys and their versions, as the public pages need them.

use super::filter::SqlBuilder;
use crate::domain::question::Question;
use crate::domain::welsh::Welsh;
use crate::entities::{survey_versions, surveys};
use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
};

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
    /// Answered by the embeddable form on the campaign's own pages.
    pub embedded: bool,
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
    /// Whether the council register has been imported: the organisation
    /// question offers councils only then.
    pub register_loaded: bool,
    /// The Welsh words of the survey, its resource and its campaign.
    pub cy: RecordWelsh,
}

/// The Welsh words a survey page shows besides its questions'.
#[derive(Debug, Clone, Default)]
pub struct RecordWelsh {
    /// The survey's.
    pub survey: Option<Welsh>,
    /// Its resource's.
    pub resource: Option<Welsh>,
    /// Its campaign's.
    pub campaign: Option<Welsh>,
}

/// The columns of [`find`]'s one query.
#[derive(Debug, FromQueryResult)]
struct SurveyRow {
    id: i32,
    slug: String,
    title: String,
    intro: String,
    closed: bool,
    embedded: bool,
    campaign_title: String,
    opens_on: Option<NaiveDate>,
    closes_on: Option<NaiveDate>,
    resource_key: Option<String>,
    resource_title: Option<String>,
    resource_url: Option<String>,
    version_id: i32,
    questions: serde_json::Value,
    register_loaded: bool,
    survey_welsh: Option<serde_json::Value>,
    resource_welsh: Option<serde_json::Value>,
    campaign_welsh: Option<serde_json::Value>,
}

/// A survey by slug at its current version, or at `version_id` when that is
/// one of its versions (a form answers the version it showed). One query:
/// a submission asks for it every time.
///
/// # Errors
/// The database's error, or stored questions that no longer parse.
#[tracing::instrument(skip_all, fields(survey = %slug))]
pub async fn find(
    db: &impl ConnectionTrait,
    slug: &str,
    version_id: Option<i32>,
) -> Result<Option<SurveyRecord>, DbErr> {
    let mut sql = SqlBuilder::new(
        db.get_database_backend(),
        "SELECT s.id, s.slug, s.title, s.intro, s.closed, s.embedded, c.title AS campaign_title, \
         c.opens_on, c.closes_on, r.key AS resource_key, r.title AS resource_title, \
         r.url AS resource_url, v.id AS version_id, v.questions, \
         EXISTS (SELECT 1 FROM organisations) AS register_loaded, \
         s.welsh AS survey_welsh, r.welsh AS resource_welsh, c.welsh AS campaign_welsh \
         FROM surveys s \
         JOIN campaigns c ON c.id = s.campaign_id \
         JOIN survey_versions v ON v.survey_id = s.id \
         LEFT JOIN resources r ON r.campaign_id = c.id AND r.key = s.resource_key \
         WHERE s.slug = ",
    );
    // The pinned version first when it is this survey's; otherwise the highest.
    sql.bind(slug)
        .push(" ORDER BY CASE WHEN v.id = ")
        .bind(version_id.unwrap_or(-1))
        .push(" THEN 0 ELSE 1 END, v.version DESC LIMIT 1");
    let Some(row) = SurveyRow::find_by_statement(sql.build()).one(db).await? else {
        return Ok(None);
    };
    let questions =
        serde_json::from_value(row.questions).map_err(|e| DbErr::Json(e.to_string()))?;
    let resource = match (row.resource_key, row.resource_title) {
        (Some(key), Some(title)) => Some((key, title, row.resource_url)),
        _ => None,
    };
    Ok(Some(SurveyRecord {
        id: row.id,
        slug: row.slug,
        title: row.title,
        intro: row.intro,
        closed: row.closed,
        embedded: row.embedded,
        resource,
        campaign_title: row.campaign_title,
        opens_on: row.opens_on,
        closes_on: row.closes_on,
        version_id: row.version_id,
        questions,
        register_loaded: row.register_loaded,
        cy: RecordWelsh {
            survey: super::campaigns::welsh_of(row.survey_welsh),
            resource: super::campaigns::welsh_of(row.resource_welsh),
            campaign: super::campaigns::welsh_of(row.campaign_welsh),
        },
    }))
}

/// The highest version of a survey.
///
/// # Errors
/// The database's error.
pub(crate) async fn current_version(
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
pub(crate) fn questions_of(version: &survey_versions::Model) -> Result<Vec<Question>, DbErr> {
    serde_json::from_value(version.questions.clone()).map_err(|e| DbErr::Json(e.to_string()))
}

/// The surveys of a campaign in their order.
///
/// # Errors
/// The database's error.
pub(crate) async fn rows_for_campaign(
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

/// For each question key of a survey that has answers: the kind it was
/// answered as, and how many answers (a key keeps its kind across versions).
///
/// # Errors
/// The database's error.
pub async fn answered_kinds(
    db: &impl ConnectionTrait,
    survey_id: i32,
) -> Result<std::collections::HashMap<String, (String, i64)>, DbErr> {
    let backend = db.get_database_backend();
    let mut sql = super::filter::SqlBuilder::new(
        backend,
        "SELECT a.question_key AS question_key, a.kind AS kind, COUNT(*) AS n FROM answers a \
         JOIN responses r ON r.id = a.response_id WHERE r.survey_id = ",
    );
    sql.bind(survey_id).push(" GROUP BY a.question_key, a.kind");
    let rows = db.query_all_raw(sql.build()).await?;
    Ok(rows
        .iter()
        .filter_map(|row| {
            let key: String = row.try_get("", "question_key").ok()?;
            let kind: String = row.try_get("", "kind").ok()?;
            let n = row
                .try_get::<i64>("", "n")
                .or_else(|_| row.try_get::<i32>("", "n").map(i64::from))
                .ok()?;
            Some((key, (kind, n)))
        })
        .collect())
}

/// The survey with this slug and how many responses it has: (id, responses).
///
/// # Errors
/// The database's error.
pub async fn answered(db: &impl ConnectionTrait, slug: &str) -> Result<Option<(i32, u64)>, DbErr> {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let Some(survey) = crate::entities::surveys::Entity::find()
        .filter(crate::entities::surveys::Column::Slug.eq(slug))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let count = crate::entities::responses::Entity::find()
        .filter(crate::entities::responses::Column::SurveyId.eq(survey.id))
        .count(db)
        .await?;
    Ok(Some((survey.id, count)))
}
