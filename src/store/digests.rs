//! Digest subscriptions and the delivery ledger. A delivery row is unique
//! per subscription and period; a process sends it only after claiming its
//! lease with a conditional update, so several schedulers send it once.

use crate::domain::schedule::Frequency;
use crate::entities::{
    campaigns, digest_deliveries as deliveries, digest_subscriptions as subs, users, workstreams,
};
use chrono::{DateTime, Duration, Utc};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

/// How long a claimed delivery is reserved for its sender.
pub const LEASE: Duration = Duration::minutes(5);

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

/// The end of the latest period recorded for a subscription.
///
/// # Errors
/// The database's error.
pub async fn last_period_end(
    db: &impl ConnectionTrait,
    subscription_id: i32,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    let row = deliveries::Entity::find()
        .filter(deliveries::Column::SubscriptionId.eq(subscription_id))
        .order_by_desc(deliveries::Column::PeriodEnd)
        .one(db)
        .await?;
    Ok(row.map(|d| d.period_end))
}

/// Records a period to deliver; another process may have recorded it first,
/// which is fine (the unique key keeps one).
///
/// # Errors
/// The database's error other than that clash.
pub async fn record_period(
    db: &impl ConnectionTrait,
    subscription_id: i32,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let row = deliveries::ActiveModel {
        id: NotSet,
        subscription_id: Set(subscription_id),
        period_start: Set(start),
        period_end: Set(end),
        status: Set("pending".into()),
        attempts: Set(0),
        last_error: Set(None),
        next_attempt_at: Set(now),
        lease_until: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
    };
    match row.insert(db).await {
        Ok(_) => Ok(()),
        Err(e) if super::is_unique_violation(&e) => Ok(()),
        Err(e) => Err(e),
    }
}

/// Pending deliveries whose next attempt is due and whose lease (if any) has run out.
///
/// # Errors
/// The database's error.
pub async fn due(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<Vec<deliveries::Model>, DbErr> {
    deliveries::Entity::find()
        .filter(deliveries::Column::Status.eq("pending"))
        .filter(deliveries::Column::NextAttemptAt.lte(now))
        .filter(
            Condition::any()
                .add(deliveries::Column::LeaseUntil.is_null())
                .add(deliveries::Column::LeaseUntil.lt(now)),
        )
        .order_by_asc(deliveries::Column::PeriodEnd)
        .limit(100)
        .all(db)
        .await
}

/// Claims a delivery for this process: true only for the one process whose
/// conditional update changed the row.
///
/// # Errors
/// The database's error.
pub async fn claim(db: &impl ConnectionTrait, id: i64, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let result = deliveries::Entity::update_many()
        .col_expr(deliveries::Column::LeaseUntil, Expr::value(now + LEASE))
        .col_expr(
            deliveries::Column::Attempts,
            Expr::col(deliveries::Column::Attempts).add(1),
        )
        .filter(deliveries::Column::Id.eq(id))
        .filter(deliveries::Column::Status.eq("pending"))
        .filter(
            Condition::any()
                .add(deliveries::Column::LeaseUntil.is_null())
                .add(deliveries::Column::LeaseUntil.lt(now)),
        )
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// The outcome of one attempt.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Delivered.
    Sent,
    /// Nothing new, and the subscriber asked to skip empty digests.
    Skipped,
    /// Try again at this time.
    Retry(DateTime<Utc>, String),
    /// Given up: shown to admins, who can resend.
    Failed(String),
}

/// Records the outcome of an attempt and releases the lease.
///
/// # Errors
/// The database's error.
pub async fn finish(
    db: &impl ConnectionTrait,
    id: i64,
    outcome: Outcome,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let Some(row) = deliveries::Entity::find_by_id(id).one(db).await? else {
        return Ok(());
    };
    let mut row: deliveries::ActiveModel = row.into();
    row.lease_until = Set(None);
    match outcome {
        Outcome::Skipped => {
            row.status = Set("skipped".into());
            row.sent_at = Set(Some(now));
        }
        Outcome::Sent => {
            row.status = Set("sent".into());
            row.sent_at = Set(Some(now));
            row.last_error = Set(None);
        }
        Outcome::Retry(at, error) => {
            row.next_attempt_at = Set(at);
            row.last_error = Set(Some(error));
        }
        Outcome::Failed(error) => {
            row.status = Set("failed".into());
            row.last_error = Set(Some(error));
        }
    }
    row.update(db).await?;
    Ok(())
}

/// Puts a delivery back in the queue (an admin's resend).
///
/// # Errors
/// The database's error.
pub async fn resend(db: &impl ConnectionTrait, id: i64, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let result = deliveries::Entity::update_many()
        .col_expr(deliveries::Column::Status, Expr::value("pending"))
        .col_expr(deliveries::Column::Attempts, Expr::value(0))
        .col_expr(deliveries::Column::NextAttemptAt, Expr::value(now))
        .col_expr(
            deliveries::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(deliveries::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// The latest deliveries, newest first (one officer's, or everyone's).
///
/// # Errors
/// The database's error.
pub async fn history(
    db: &impl ConnectionTrait,
    subscription_ids: Option<&[i32]>,
    limit: u64,
) -> Result<Vec<deliveries::Model>, DbErr> {
    let mut query = deliveries::Entity::find()
        .order_by_desc(deliveries::Column::PeriodEnd)
        .order_by_desc(deliveries::Column::Id);
    if let Some(ids) = subscription_ids {
        query = query.filter(deliveries::Column::SubscriptionId.is_in(ids.iter().copied()));
    }
    query.limit(limit).all(db).await
}

/// One delivery by id.
///
/// # Errors
/// The database's error.
pub async fn delivery(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<Option<deliveries::Model>, DbErr> {
    deliveries::Entity::find_by_id(id).one(db).await
}

/// The title of a campaign (for subjects).
///
/// # Errors
/// The database's error.
pub async fn campaign_title(db: &impl ConnectionTrait, campaign_id: i32) -> Result<String, DbErr> {
    Ok(campaigns::Entity::find_by_id(campaign_id)
        .one(db)
        .await?
        .map(|c| c.title)
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
