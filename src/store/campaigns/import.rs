//! Loading a campaign definition: the campaign, its workstreams, resources
//! and surveys in one transaction, with a new survey version where answered
//! questions change.

use super::{ImportError, ImportReport, welsh_json};
use crate::domain::campaign::{
    CampaignDefinition, ResourceDefinition, SurveyDefinition, WorkstreamDefinition, fingerprint,
};
use crate::domain::question::Question;
use crate::entities::{campaigns, resources, responses, survey_versions, surveys, workstreams};
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr,
    EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait,
};

/// Loads or updates a campaign in one transaction.
///
/// Questions that changed get a new survey version when the current one has
/// responses (a version is immutable once answered); otherwise the current
/// version is updated in place.
///
/// # Errors
/// [`ImportError::Conflict`] when a survey slug belongs to another campaign,
/// a survey with responses would be removed, or an answered question would
/// change kind; the database's error otherwise.
#[tracing::instrument(skip_all, fields(campaign = %def.slug))]
pub async fn import(
    db: &DatabaseConnection,
    def: &CampaignDefinition,
    now: DateTime<Utc>,
) -> Result<ImportReport, ImportError> {
    let txn = db.begin().await?;
    let report = import_within(&txn, def, now).await?;
    txn.commit().await?;
    Ok(report)
}

/// As [`import`], inside a transaction the caller commits (publishing a
/// draft does more in the same transaction).
///
/// # Errors
/// As [`import`].
pub async fn import_within(
    txn: &DatabaseTransaction,
    def: &CampaignDefinition,
    now: DateTime<Utc>,
) -> Result<ImportReport, ImportError> {
    let existing = campaigns::Entity::find()
        .filter(campaigns::Column::Slug.eq(&def.slug))
        .one(txn)
        .await?;
    let created = existing.is_none();
    let campaign = match existing {
        Some(row) => {
            let mut row: campaigns::ActiveModel = row.into();
            row.title = Set(def.title.clone());
            row.description = Set(def.description.clone());
            row.opens_on = Set(def.opens_on);
            row.closes_on = Set(def.closes_on);
            row.welsh = Set(welsh_json(def.cy.as_ref()));
            row.updated_at = Set(now);
            row.update(txn).await?
        }
        None => {
            campaigns::ActiveModel {
                id: NotSet,
                slug: Set(def.slug.clone()),
                title: Set(def.title.clone()),
                description: Set(def.description.clone()),
                opens_on: Set(def.opens_on),
                closes_on: Set(def.closes_on),
                welsh: Set(welsh_json(def.cy.as_ref())),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(txn)
            .await?
        }
    };
    replace_workstreams(txn, campaign.id, &def.workstreams).await?;
    replace_resources(txn, campaign.id, &def.resources).await?;
    let new_versions = sync_surveys(txn, campaign.id, &def.surveys, now).await?;
    Ok(ImportReport {
        created,
        new_versions,
    })
}

/// Updates workstreams by key (subscriptions refer to the key), adding new
/// ones and removing those no longer defined.
async fn replace_workstreams(
    txn: &impl ConnectionTrait,
    campaign_id: i32,
    defs: &[WorkstreamDefinition],
) -> Result<(), DbErr> {
    let stored = workstreams::Entity::find()
        .filter(workstreams::Column::CampaignId.eq(campaign_id))
        .all(txn)
        .await?;
    for old in stored
        .iter()
        .filter(|w| !defs.iter().any(|d| d.key == w.key))
    {
        workstreams::Entity::delete_by_id(old.id).exec(txn).await?;
    }
    for (position, w) in defs.iter().enumerate() {
        match stored.iter().find(|s| s.key == w.key) {
            Some(row) => {
                let mut row: workstreams::ActiveModel = row.clone().into();
                row.name = Set(w.name.clone());
                row.welsh = Set(welsh_json(w.cy.as_ref()));
                row.position = Set(position as i32);
                row.update(txn).await?;
            }
            None => {
                workstreams::ActiveModel {
                    id: NotSet,
                    campaign_id: Set(campaign_id),
                    key: Set(w.key.clone()),
                    name: Set(w.name.clone()),
                    welsh: Set(welsh_json(w.cy.as_ref())),
                    position: Set(position as i32),
                }
                .insert(txn)
                .await?;
            }
        }
    }
    Ok(())
}

async fn replace_resources(
    txn: &impl ConnectionTrait,
    campaign_id: i32,
    defs: &[ResourceDefinition],
) -> Result<(), DbErr> {
    resources::Entity::delete_many()
        .filter(resources::Column::CampaignId.eq(campaign_id))
        .exec(txn)
        .await?;
    for (position, r) in defs.iter().enumerate() {
        resources::ActiveModel {
            id: NotSet,
            campaign_id: Set(campaign_id),
            key: Set(r.key.clone()),
            title: Set(r.title.clone()),
            description: Set(r.description.clone()),
            url: Set(r.url.clone()),
            workstreams: Set(serde_json::json!(r.workstreams)),
            welsh: Set(welsh_json(r.cy.as_ref())),
            position: Set(position as i32),
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

async fn sync_surveys(
    txn: &impl ConnectionTrait,
    campaign_id: i32,
    defs: &[SurveyDefinition],
    now: DateTime<Utc>,
) -> Result<Vec<(String, i32)>, ImportError> {
    let stored = surveys::Entity::find()
        .filter(surveys::Column::CampaignId.eq(campaign_id))
        .all(txn)
        .await?;
    for old in stored
        .iter()
        .filter(|s| !defs.iter().any(|d| d.slug == s.slug))
    {
        let answered = responses::Entity::find()
            .filter(responses::Column::SurveyId.eq(old.id))
            .count(txn)
            .await?;
        if answered > 0 {
            return Err(ImportError::Conflict(format!(
                "survey {:?} has {answered} responses and cannot be removed; keep it with closed = true instead",
                old.slug
            )));
        }
        surveys::Entity::delete_by_id(old.id).exec(txn).await?;
    }
    let mut new_versions = Vec::new();
    for (position, def) in defs.iter().enumerate() {
        let found = surveys::Entity::find()
            .filter(surveys::Column::Slug.eq(&def.slug))
            .one(txn)
            .await?;
        let survey = match found {
            Some(row) if row.campaign_id != campaign_id => {
                return Err(ImportError::Conflict(format!(
                    "survey slug {:?} is already used by another campaign; choose another slug",
                    def.slug
                )));
            }
            Some(row) => {
                let mut row: surveys::ActiveModel = row.into();
                row.title = Set(def.title.clone());
                row.intro = Set(def.intro.clone());
                row.resource_key = Set(def.resource.clone());
                row.closed = Set(def.closed);
                row.embedded = Set(def.embedded);
                row.welsh = Set(welsh_json(def.cy.as_ref()));
                row.position = Set(position as i32);
                row.update(txn).await?
            }
            None => {
                surveys::ActiveModel {
                    id: NotSet,
                    campaign_id: Set(campaign_id),
                    slug: Set(def.slug.clone()),
                    title: Set(def.title.clone()),
                    intro: Set(def.intro.clone()),
                    resource_key: Set(def.resource.clone()),
                    closed: Set(def.closed),
                    embedded: Set(def.embedded),
                    welsh: Set(welsh_json(def.cy.as_ref())),
                    position: Set(position as i32),
                }
                .insert(txn)
                .await?
            }
        };
        refuse_kind_changes(txn, survey.id, def).await?;
        if let Some(version) = sync_version(txn, survey.id, &def.questions, now).await? {
            new_versions.push((def.slug.clone(), version));
        }
    }
    Ok(new_versions)
}

/// Refuses a question whose key has answers of another kind: its answers
/// and the new ones could not be counted together.
async fn refuse_kind_changes(
    txn: &impl ConnectionTrait,
    survey_id: i32,
    def: &SurveyDefinition,
) -> Result<(), ImportError> {
    let answered = crate::store::surveys::answered_kinds(txn, survey_id).await?;
    for q in &def.questions {
        if let Some((kind, count)) = answered.get(&q.key)
            && kind != q.kind.as_str()
        {
            return Err(ImportError::Conflict(format!(
                "survey {:?}, question {:?} has {count} answer{} as a {kind} question, so its kind cannot change to {}: give the new question a key of its own, and remove this one if it should no longer be asked",
                def.slug,
                q.key,
                if *count == 1 { "" } else { "s" },
                q.kind.as_str()
            )));
        }
    }
    Ok(())
}

/// Makes the survey's current version ask `questions`; returns the number of a version it created.
async fn sync_version(
    txn: &impl ConnectionTrait,
    survey_id: i32,
    questions: &[Question],
    now: DateTime<Utc>,
) -> Result<Option<i32>, DbErr> {
    let print = fingerprint(questions);
    let json = serde_json::to_value(questions).map_err(|e| DbErr::Json(e.to_string()))?;
    let current = crate::store::surveys::current_version(txn, survey_id).await?;
    let next = match current {
        Some(v) if v.fingerprint == print => {
            // The same English words; a translation changes in place.
            if v.questions != json {
                let mut row: survey_versions::ActiveModel = v.into();
                row.questions = Set(json);
                row.update(txn).await?;
            }
            return Ok(None);
        }
        Some(v) => {
            let answered = responses::Entity::find()
                .filter(responses::Column::SurveyVersionId.eq(v.id))
                .count(txn)
                .await?;
            if answered == 0 {
                let mut row: survey_versions::ActiveModel = v.into();
                row.questions = Set(json);
                row.fingerprint = Set(print);
                row.update(txn).await?;
                return Ok(None);
            }
            v.version + 1
        }
        None => 1,
    };
    survey_versions::ActiveModel {
        id: NotSet,
        survey_id: Set(survey_id),
        version: Set(next),
        questions: Set(json),
        fingerprint: Set(print),
        created_at: Set(now),
    }
    .insert(txn)
    .await?;
    Ok(Some(next))
}
