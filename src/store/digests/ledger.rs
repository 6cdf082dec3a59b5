//! The delivery ledger: a row per subscription and period, unique, so a
//! period is recorded once however many schedulers see it due; a process
//! sends a delivery only after claiming its lease with a conditional
//! update, so several schedulers send it once.

use crate::entities::digest_deliveries as deliveries;
use chrono::{DateTime, Duration, Utc};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};

/// How long a claimed delivery is reserved for its sender.
pub const LEASE: Duration = Duration::minutes(5);

/// One period of one subscription, and how its delivery went.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Delivery {
    /// Its id (resends name it).
    pub id: i64,
    /// Whose subscription.
    pub subscription_id: i32,
    /// The period covered: from…
    pub period_start: DateTime<Utc>,
    /// …up to, not including.
    pub period_end: DateTime<Utc>,
    /// `pending`, `sent`, `skipped` or `failed`.
    pub status: String,
    /// Attempts so far.
    pub attempts: i32,
    /// The last failure, if any.
    pub last_error: Option<String>,
    /// When it was sent (or skipped).
    pub sent_at: Option<DateTime<Utc>>,
}

impl From<deliveries::Model> for Delivery {
    fn from(row: deliveries::Model) -> Self {
        Self {
            id: row.id,
            subscription_id: row.subscription_id,
            period_start: row.period_start,
            period_end: row.period_end,
            status: row.status,
            attempts: row.attempts,
            last_error: row.last_error,
            sent_at: row.sent_at,
        }
    }
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
        Err(e) if crate::store::is_unique_violation(&e) => Ok(()),
        Err(e) => Err(e),
    }
}

/// Pending deliveries whose next attempt is due and whose lease (if any) has run out.
///
/// # Errors
/// The database's error.
pub async fn due(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<Vec<Delivery>, DbErr> {
    let rows = deliveries::Entity::find()
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
        .await?;
    Ok(rows.into_iter().map(Delivery::from).collect())
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

/// Puts a delivery back in the queue (an admin's resend) and records who
/// did it, together; false when there is no such delivery.
///
/// # Errors
/// The database's error; then nothing changes.
pub async fn resend(
    db: &DatabaseConnection,
    id: i64,
    now: DateTime<Utc>,
    officer_id: i32,
) -> Result<bool, DbErr> {
    let txn = db.begin().await?;
    let result = deliveries::Entity::update_many()
        .col_expr(deliveries::Column::Status, Expr::value("pending"))
        .col_expr(deliveries::Column::Attempts, Expr::value(0))
        .col_expr(deliveries::Column::NextAttemptAt, Expr::value(now))
        .col_expr(
            deliveries::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(deliveries::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    if result.rows_affected != 1 {
        return Ok(false);
    }
    let detail = serde_json::json!({ "delivery": id });
    crate::store::audit::record(&txn, now, Some(officer_id), "digest_resent", detail).await?;
    txn.commit().await?;
    Ok(true)
}

/// The latest deliveries, newest first (one officer's, or everyone's).
///
/// # Errors
/// The database's error.
pub async fn history(
    db: &impl ConnectionTrait,
    subscription_ids: Option<&[i32]>,
    limit: u64,
) -> Result<Vec<Delivery>, DbErr> {
    let mut query = deliveries::Entity::find()
        .order_by_desc(deliveries::Column::PeriodEnd)
        .order_by_desc(deliveries::Column::Id);
    if let Some(ids) = subscription_ids {
        query = query.filter(deliveries::Column::SubscriptionId.is_in(ids.iter().copied()));
    }
    let rows = query.limit(limit).all(db).await?;
    Ok(rows.into_iter().map(Delivery::from).collect())
}

/// One delivery by id.
///
/// # Errors
/// The database's error.
pub async fn delivery(db: &impl ConnectionTrait, id: i64) -> Result<Option<Delivery>, DbErr> {
    let row = deliveries::Entity::find_by_id(id).one(db).await?;
    Ok(row.map(Delivery::from))
}
