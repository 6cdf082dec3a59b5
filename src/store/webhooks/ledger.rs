//! The webhook delivery ledger: due deliveries, claimed with a lease, their
//! outcomes (and the endpoint's run of failures), resends and history.

use crate::entities::{webhook_deliveries as deliveries, webhook_endpoints as endpoints};
use crate::store::digests::{LEASE, Outcome};
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};

/// One event to one endpoint.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Delivery {
    /// Its id; the message id is `msg_{id}`.
    pub id: i64,
    /// To where.
    pub endpoint_id: i32,
    /// The response it carries.
    pub response_id: i64,
    /// `pending`, `sent` or `failed`.
    pub status: String,
    /// Attempts so far.
    pub attempts: i32,
    /// The last failure.
    pub last_error: Option<String>,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
    /// When the endpoint took it.
    pub sent_at: Option<DateTime<Utc>>,
}

impl From<deliveries::Model> for Delivery {
    fn from(d: deliveries::Model) -> Self {
        Self {
            id: d.id,
            endpoint_id: d.endpoint_id,
            response_id: d.response_id,
            status: d.status,
            attempts: d.attempts,
            last_error: d.last_error,
            created_at: d.created_at,
            sent_at: d.sent_at,
        }
    }
}

fn lease_free(now: DateTime<Utc>) -> Condition {
    Condition::any()
        .add(deliveries::Column::LeaseUntil.is_null())
        .add(deliveries::Column::LeaseUntil.lt(now))
}

/// Pending deliveries due now to live endpoints, oldest first.
///
/// # Errors
/// The database's error.
pub async fn due(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<Vec<Delivery>, DbErr> {
    let live = Query::select()
        .column(endpoints::Column::Id)
        .from(endpoints::Entity)
        .and_where(endpoints::Column::DisabledAt.is_null())
        .to_owned();
    let rows = deliveries::Entity::find()
        .filter(deliveries::Column::Status.eq("pending"))
        .filter(deliveries::Column::NextAttemptAt.lte(now))
        .filter(lease_free(now))
        .filter(deliveries::Column::EndpointId.in_subquery(live))
        .order_by_asc(deliveries::Column::Id)
        .limit(200)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(Delivery::from).collect())
}

/// Claims a delivery: true for the one process whose update changed it.
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

/// Records an attempt's outcome, and the endpoint's run of failures: reset
/// by a success; at `disable_after` failures in a row the endpoint is
/// turned off (returns true then).
///
/// # Errors
/// The database's error.
pub async fn finish(
    db: &DatabaseConnection,
    delivery: &Delivery,
    outcome: Outcome,
    (now, disable_after): (DateTime<Utc>, i32),
) -> Result<bool, DbErr> {
    let txn = db.begin().await?;
    let mut row: deliveries::ActiveModel = deliveries::ActiveModel {
        id: Set(delivery.id),
        lease_until: Set(None),
        ..Default::default()
    };
    let failed = !matches!(outcome, Outcome::Sent | Outcome::Skipped);
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
    row.update(&txn).await?;
    let failures = if failed {
        Expr::col(endpoints::Column::Failures).add(1)
    } else {
        Expr::value(0)
    };
    endpoints::Entity::update_many()
        .col_expr(endpoints::Column::Failures, failures)
        .filter(endpoints::Column::Id.eq(delivery.endpoint_id))
        .exec(&txn)
        .await?;
    let turned_off = endpoints::Entity::update_many()
        .col_expr(endpoints::Column::DisabledAt, Expr::value(now))
        .col_expr(
            endpoints::Column::DisabledReason,
            Expr::value(format!(
                "{disable_after} deliveries in a row failed; the last: {}",
                delivery_error(&txn, delivery.id).await?
            )),
        )
        .filter(endpoints::Column::Id.eq(delivery.endpoint_id))
        .filter(endpoints::Column::DisabledAt.is_null())
        .filter(endpoints::Column::Failures.gte(disable_after))
        .exec(&txn)
        .await?
        .rows_affected
        == 1;
    if turned_off {
        let detail = serde_json::json!({ "endpoint": delivery.endpoint_id });
        crate::store::audit::record(&txn, now, None, "webhook_disabled", detail).await?;
    }
    txn.commit().await?;
    Ok(turned_off)
}

async fn delivery_error(db: &impl ConnectionTrait, id: i64) -> Result<String, DbErr> {
    Ok(deliveries::Entity::find_by_id(id)
        .one(db)
        .await?
        .and_then(|d| d.last_error)
        .unwrap_or_default())
}

/// Puts a delivery back in the queue and turns its endpoint on again (an
/// admin's resend); false when there is no such delivery.
///
/// # Errors
/// The database's error; then nothing changes.
pub async fn resend(
    db: &DatabaseConnection,
    id: i64,
    (actor, now): (Option<i32>, DateTime<Utc>),
) -> Result<bool, DbErr> {
    let txn = db.begin().await?;
    let Some(row) = deliveries::Entity::find_by_id(id).one(&txn).await? else {
        return Ok(false);
    };
    deliveries::Entity::update_many()
        .col_expr(deliveries::Column::Status, Expr::value("pending"))
        .col_expr(deliveries::Column::NextAttemptAt, Expr::value(now))
        .col_expr(
            deliveries::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(deliveries::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    endpoints::Entity::update_many()
        .col_expr(
            endpoints::Column::DisabledAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(endpoints::Column::Failures, Expr::value(0))
        .filter(endpoints::Column::Id.eq(row.endpoint_id))
        .exec(&txn)
        .await?;
    crate::store::audit::record(
        &txn,
        now,
        actor,
        "webhook_resent",
        serde_json::json!({ "delivery": id }),
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}

/// The latest deliveries, newest first.
///
/// # Errors
/// The database's error.
pub async fn history(db: &impl ConnectionTrait, limit: u64) -> Result<Vec<Delivery>, DbErr> {
    let rows = deliveries::Entity::find()
        .order_by_desc(deliveries::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(Delivery::from).collect())
}
