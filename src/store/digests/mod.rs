//! Digest subscriptions (who gets which workstream's digest how often) and,
//! in `ledger.rs`, the delivery ledger that sends each period once.

mod leads;
mod ledger;

pub use leads::{leads, set_leads};
pub use ledger::{
    Delivery, LEASE, Outcome, claim, delivery, due, finish, history, last_period_end,
    record_period, resend,
};

use crate::domain::schedule::Frequency;
use crate::entities::{digest_subscriptions as subs, surveys, users, workstreams};
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};

/// A subscription with who and what it is for.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Subscription {
    /// Row id.
    pub id: i32,
    /// The officer.
    pub user_id: i32,
    /// Their email address.
    pub email: String,
    /// The campaign.
    pub campaign_id: i32,
    /// The workstream's key.
    pub workstream_key: String,
    /// The workstream's name.
    pub workstream_name: String,
    /// Daily or weekly.
    pub frequency: Frequency,
    /// No email for a period with nothing new.
    pub skip_empty: bool,
    /// When it was made.
    pub created_at: DateTime<Utc>,
}

/// Why a subscription could not be made.
#[derive(Debug, thiserror::Error)]
pub enum SubscribeError {
    /// No active officer has this email.
    #[error("no active officer has this email address; add them with `users add` first")]
    UnknownOfficer,
    /// No campaign has a workstream with this key.
    #[error("no workstream has this key; `campaign export` shows the keys")]
    UnknownWorkstream,
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Subscribes an officer to a workstream (or changes the frequency of an existing subscription).
///
/// # Errors
/// [`SubscribeError`] naming what is unknown; the database's error.
#[tracing::instrument(skip_all)]
pub async fn subscribe(
    db: &impl ConnectionTrait,
    email: &str,
    workstream_key: &str,
    frequency: Frequency,
    skip_empty: bool,
    now: DateTime<Utc>,
) -> Result<Subscription, SubscribeError> {
    let officer = users::Entity::find()
        .filter(users::Column::Email.eq(email.trim().to_lowercase()))
        .filter(users::Column::Disabled.eq(false))
        .one(db)
        .await?
        .ok_or(SubscribeError::UnknownOfficer)?;
    let workstream = workstreams::Entity::find()
        .filter(workstreams::Column::Key.eq(workstream_key))
        .order_by_desc(workstreams::Column::CampaignId)
        .one(db)
        .await?
        .ok_or(SubscribeError::UnknownWorkstream)?;
    let existing = subs::Entity::find()
        .filter(subs::Column::UserId.eq(officer.id))
        .filter(subs::Column::CampaignId.eq(workstream.campaign_id))
        .filter(subs::Column::WorkstreamKey.eq(workstream_key))
        .one(db)
        .await?;
    let row = match existing {
        Some(row) => {
            let mut row: subs::ActiveModel = row.into();
            row.frequency = Set(frequency.as_str().into());
            row.skip_empty = Set(skip_empty);
            row.update(db).await?
        }
        None => {
            subs::ActiveModel {
                id: NotSet,
                user_id: Set(officer.id),
                campaign_id: Set(workstream.campaign_id),
                workstream_key: Set(workstream_key.into()),
                frequency: Set(frequency.as_str().into()),
                skip_empty: Set(skip_empty),
                created_at: Set(now),
            }
            .insert(db)
            .await?
        }
    };
    Ok(Subscription {
        id: row.id,
        user_id: officer.id,
        email: officer.email,
        campaign_id: row.campaign_id,
        workstream_key: row.workstream_key,
        workstream_name: workstream.name,
        frequency,
        skip_empty,
        created_at: row.created_at,
    })
}

/// Removes an officer's subscription to a workstream; false if there was none.
///
/// # Errors
/// The database's error.
pub async fn unsubscribe(
    db: &impl ConnectionTrait,
    email: &str,
    workstream_key: &str,
) -> Result<bool, DbErr> {
    let Some(officer) = users::Entity::find()
        .filter(users::Column::Email.eq(email.trim().to_lowercase()))
        .one(db)
        .await?
    else {
        return Ok(false);
    };
    let result = subs::Entity::delete_many()
        .filter(subs::Column::UserId.eq(officer.id))
        .filter(subs::Column::WorkstreamKey.eq(workstream_key))
        .exec(db)
        .await?;
    Ok(result.rows_affected > 0)
}

/// Subscriptions of active officers (all, or one officer's), by email then workstream.
///
/// # Errors
/// The database's error.
pub async fn list(
    db: &impl ConnectionTrait,
    user_id: Option<i32>,
) -> Result<Vec<Subscription>, DbErr> {
    let mut query = subs::Entity::find().order_by_asc(subs::Column::Id);
    if let Some(id) = user_id {
        query = query.filter(subs::Column::UserId.eq(id));
    }
    let mut out = Vec::new();
    for row in query.all(db).await? {
        let Some(officer) = users::Entity::find_by_id(row.user_id)
            .one(db)
            .await?
            .filter(|u| !u.disabled)
        else {
            continue;
        };
        let name = workstreams::Entity::find()
            .filter(workstreams::Column::CampaignId.eq(row.campaign_id))
            .filter(workstreams::Column::Key.eq(&row.workstream_key))
            .one(db)
            .await?
            .map_or_else(|| row.workstream_key.clone(), |w| w.name);
        out.push(Subscription {
            id: row.id,
            user_id: row.user_id,
            email: officer.email,
            campaign_id: row.campaign_id,
            workstream_key: row.workstream_key,
            workstream_name: name,
            frequency: Frequency::parse(&row.frequency).unwrap_or(Frequency::Weekly),
            skip_empty: row.skip_empty,
            created_at: row.created_at,
        });
    }
    out.sort_by(|a, b| (&a.email, &a.workstream_name).cmp(&(&b.email, &b.workstream_name)));
    Ok(out)
}

/// The workstreams whose leads get digests about a survey's resource, in
/// the campaign's order, each with its most frequent subscription: what
/// the confirmation page can promise. None for a survey on the campaign
/// as a whole (digests cover resources).
///
/// # Errors
/// The database's error.
pub async fn followers(
    db: &impl ConnectionTrait,
    survey_slug: &str,
) -> Result<Vec<(String, Frequency)>, DbErr> {
    let Some(survey) = surveys::Entity::find()
        .filter(surveys::Column::Slug.eq(survey_slug))
        .one(db)
        .await?
    else {
        return Ok(Vec::new());
    };
    let Some(resource_key) = survey.resource_key else {
        return Ok(Vec::new());
    };
    let campaign = super::campaigns::outline(db, survey.campaign_id).await?;
    let owners = campaign
        .resources
        .into_iter()
        .find(|r| r.key == resource_key)
        .map(|r| r.workstreams)
        .unwrap_or_default();
    let subscriptions = list(db, None).await?;
    let mut out: Vec<(String, Frequency)> = Vec::new();
    for owner in &owners {
        let mut frequencies = subscriptions
            .iter()
            .filter(|s| s.campaign_id == survey.campaign_id && &s.workstream_key == owner)
            .map(|s| (s.workstream_name.clone(), s.frequency))
            .peekable();
        let Some((name, _)) = frequencies.peek().cloned() else {
            continue;
        };
        let daily = frequencies.any(|(_, f)| f == Frequency::Daily);
        out.push((
            name,
            if daily {
                Frequency::Daily
            } else {
                Frequency::Weekly
            },
        ));
    }
    Ok(out)
}

/// How many responses came in during `[start, end)` about the resources a
/// subscription's workstream owns.
///
/// # Errors
/// The database's error.
pub async fn responses_between(
    db: &impl ConnectionTrait,
    sub: &Subscription,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
) -> Result<i64, DbErr> {
    use crate::store::filter::{FROM, SqlBuilder};
    let mut b = SqlBuilder::new(db.get_database_backend(), "SELECT COUNT(*) AS n");
    b.push(FROM)
        .push(" WHERE s.campaign_id = ")
        .bind(sub.campaign_id)
        .owned_by(&sub.workstream_key)
        .window(Some((start, end)));
    let Some(row) = db.query_one_raw(b.build()).await? else {
        return Ok(0);
    };
    Ok(row
        .try_get::<i64>("", "n")
        .or_else(|_| row.try_get::<i32>("", "n").map(i64::from))
        .unwrap_or_default())
}

/// The newest campaign's workstream with this key: (campaign id, name).
///
/// # Errors
/// The database's error.
pub async fn workstream(
    db: &impl ConnectionTrait,
    key: &str,
) -> Result<Option<(i32, String)>, DbErr> {
    let row = workstreams::Entity::find()
        .filter(workstreams::Column::Key.eq(key))
        .order_by_desc(workstreams::Column::CampaignId)
        .one(db)
        .await?;
    Ok(row.map(|w| (w.campaign_id, w.name)))
}

/// Every workstream: (key, name), for menus.
///
/// # Errors
/// The database's error.
pub async fn workstreams(db: &impl ConnectionTrait) -> Result<Vec<(String, String)>, DbErr> {
    let rows = workstreams::Entity::find()
        .order_by_asc(workstreams::Column::CampaignId)
        .order_by_asc(workstreams::Column::Position)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|w| (w.key, w.name)).collect())
}
