//! The outreach ledger: one row per contact and email (`invitation`,
//! `reminder-1`, `reminder-2`, …), unique, so each is recorded once however
//! many processes decide it is due; a process sends one only after claiming
//! its lease, as the digests' ledger does.

use crate::entities::{contacts, outreach_deliveries as deliveries};
use crate::store::digests::{LEASE, Outcome};
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use std::collections::HashMap;

/// The invitation's kind.
pub const INVITATION: &str = "invitation";

/// The kind of the `n`th reminder.
pub fn reminder(n: u32) -> String {
    format!("reminder-{n}")
}

/// One email to one contact, and how its delivery went.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Delivery {
    /// Its id.
    pub id: i64,
    /// To whom.
    pub contact_id: i32,
    /// `invitation` or `reminder-N`.
    pub kind: String,
    /// `pending`, `sent`, `failed` or `cancelled` (unsubscribed first).
    pub status: String,
    /// Attempts so far.
    pub attempts: i32,
    /// The last failure, if any.
    pub last_error: Option<String>,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
    /// When it was sent.
    pub sent_at: Option<DateTime<Utc>>,
}

impl From<deliveries::Model> for Delivery {
    fn from(row: deliveries::Model) -> Self {
        Self {
            id: row.id,
            contact_id: row.contact_id,
            kind: row.kind,
            status: row.status,
            attempts: row.attempts,
            last_error: row.last_error,
            created_at: row.created_at,
            sent_at: row.sent_at,
        }
    }
}

/// Records an email to send; false when it was already recorded (by this
/// process earlier or by another).
///
/// # Errors
/// The database's error other than that clash.
pub async fn record(
    db: &impl ConnectionTrait,
    contact_id: i32,
    kind: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let row = deliveries::ActiveModel {
        id: NotSet,
        contact_id: Set(contact_id),
        kind: Set(kind.into()),
        status: Set("pending".into()),
        attempts: Set(0),
        last_error: Set(None),
        next_attempt_at: Set(now),
        lease_until: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
    };
    match row.insert(db).await {
        Ok(_) => Ok(true),
        Err(e) if crate::store::is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Every delivery to a campaign's contacts, by contact, oldest first.
///
/// # Errors
/// The database's error.
pub async fn by_contact(
    db: &impl ConnectionTrait,
    campaign_id: i32,
) -> Result<HashMap<i32, Vec<Delivery>>, DbErr> {
    let of_campaign = Query::select()
        .column(contacts::Column::Id)
        .from(contacts::Entity)
        .and_where(contacts::Column::CampaignId.eq(campaign_id))
        .to_owned();
    let rows = deliveries::Entity::find()
        .filter(deliveries::Column::ContactId.in_subquery(of_campaign))
        .order_by_asc(deliveries::Column::Id)
        .all(db)
        .await?;
    let mut out: HashMap<i32, Vec<Delivery>> = HashMap::new();
    for row in rows {
        out.entry(row.contact_id).or_default().push(row.into());
    }
    Ok(out)
}

/// Pending deliveries whose next attempt is due and whose lease (if any)
/// has run out, oldest first.
///
/// # Errors
/// The database's error.
pub async fn due(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<Vec<Delivery>, DbErr> {
    let rows = deliveries::Entity::find()
        .filter(deliveries::Column::Status.eq("pending"))
        .filter(deliveries::Column::NextAttemptAt.lte(now))
        .filter(lease_free(now))
        .order_by_asc(deliveries::Column::Id)
        .limit(500)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(Delivery::from).collect())
}

fn lease_free(now: DateTime<Utc>) -> Condition {
    Condition::any()
        .add(deliveries::Column::LeaseUntil.is_null())
        .add(deliveries::Column::LeaseUntil.lt(now))
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
        .filter(lease_free(now))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
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
        Outcome::Sent | Outcome::Skipped => {
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
