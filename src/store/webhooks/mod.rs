//! Webhook endpoints and their delivery ledger. An endpoint remembers the
//! last response it was given an event for; each run records a delivery for
//! every newer response of its campaign (unique per endpoint and response)
//! and moves the mark, in one transaction. Deliveries (`ledger`) are
//! claimed with a lease, as digests are, so several processes send each
//! once at a time.

mod ledger;

pub use ledger::{Delivery, claim, due, finish, history, resend};

use crate::entities::{
    responses, surveys, webhook_deliveries as deliveries, webhook_endpoints as endpoints,
};
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};

/// An endpoint as the admin lists it (never with its secret).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Endpoint {
    /// Its id.
    pub id: i32,
    /// The campaign whose responses it gets.
    pub campaign_id: i32,
    /// Where events are posted.
    pub url: String,
    /// Failed attempts in a row.
    pub failures: i32,
    /// When it was added.
    pub created_at: DateTime<Utc>,
    /// When it was turned off for failing, and why.
    pub disabled: Option<(DateTime<Utc>, String)>,
}

impl From<endpoints::Model> for Endpoint {
    fn from(e: endpoints::Model) -> Self {
        Self {
            id: e.id,
            campaign_id: e.campaign_id,
            url: e.url,
            failures: e.failures,
            created_at: e.created_at,
            disabled: e
                .disabled_at
                .map(|at| (at, e.disabled_reason.unwrap_or_default())),
        }
    }
}

/// Adds an endpoint; it gets events for responses stored from now on.
///
/// # Errors
/// The database's error; then nothing is added.
pub async fn add(
    db: &DatabaseConnection,
    campaign_id: i32,
    url: &str,
    secret: &str,
    (actor, now): (Option<i32>, DateTime<Utc>),
) -> Result<i32, DbErr> {
    let txn = db.begin().await?;
    let latest = responses::Entity::find()
        .select_only()
        .column_as(responses::Column::Id.max(), "m")
        .into_tuple::<Option<i64>>()
        .one(&txn)
        .await?
        .flatten()
        .unwrap_or(0);
    let row = endpoints::ActiveModel {
        id: NotSet,
        campaign_id: Set(campaign_id),
        url: Set(url.to_string()),
        secret: Set(secret.to_string()),
        after_response_id: Set(latest),
        failures: Set(0),
        created_at: Set(now),
        disabled_at: Set(None),
        disabled_reason: Set(None),
    }
    .insert(&txn)
    .await?;
    let detail = serde_json::json!({ "endpoint": row.id, "campaign_id": campaign_id, "url": url });
    super::audit::record(&txn, now, actor, "webhook_added", detail).await?;
    txn.commit().await?;
    Ok(row.id)
}

/// Removes an endpoint and its deliveries; false when there is none.
///
/// # Errors
/// The database's error.
pub async fn remove(
    db: &DatabaseConnection,
    id: i32,
    (actor, now): (Option<i32>, DateTime<Utc>),
) -> Result<bool, DbErr> {
    let txn = db.begin().await?;
    let removed = endpoints::Entity::delete_by_id(id)
        .exec(&txn)
        .await?
        .rows_affected
        == 1;
    if removed {
        super::audit::record(
            &txn,
            now,
            actor,
            "webhook_removed",
            serde_json::json!({ "endpoint": id }),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(removed)
}

/// Every endpoint, oldest first.
///
/// # Errors
/// The database's error.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<Endpoint>, DbErr> {
    let rows = endpoints::Entity::find()
        .order_by_asc(endpoints::Column::Id)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(Endpoint::from).collect())
}

/// An endpoint with its secret, for signing.
///
/// # Errors
/// The database's error.
pub async fn with_secret(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<(Endpoint, String)>, DbErr> {
    Ok(endpoints::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|e| (e.secret.clone(), Endpoint::from(e)))
        .map(|(secret, e)| (e, secret)))
}

/// Records a delivery for every response of each live endpoint's campaign
/// newer than its mark, and moves the mark. Returns how many.
///
/// # Errors
/// The database's error; then nothing is recorded for that endpoint.
pub async fn enqueue(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<usize, DbErr> {
    let mut recorded = 0;
    let live = endpoints::Entity::find()
        .filter(endpoints::Column::DisabledAt.is_null())
        .all(db)
        .await?;
    for endpoint in live {
        let txn = db.begin().await?;
        let of_campaign = Query::select()
            .column(surveys::Column::Id)
            .from(surveys::Entity)
            .and_where(surveys::Column::CampaignId.eq(endpoint.campaign_id))
            .to_owned();
        let ids: Vec<i64> = responses::Entity::find()
            .select_only()
            .column(responses::Column::Id)
            .filter(responses::Column::Id.gt(endpoint.after_response_id))
            .filter(responses::Column::SurveyId.in_subquery(of_campaign))
            .order_by_asc(responses::Column::Id)
            .limit(1000)
            .into_tuple()
            .all(&txn)
            .await?;
        let Some(&last) = ids.last() else {
            continue;
        };
        for response_id in &ids {
            deliveries::ActiveModel {
                id: NotSet,
                endpoint_id: Set(endpoint.id),
                response_id: Set(*response_id),
                status: Set("pending".into()),
                attempts: Set(0),
                last_error: Set(None),
                next_attempt_at: Set(now),
                lease_until: Set(None),
                created_at: Set(now),
                sent_at: Set(None),
            }
            .insert(&txn)
            .await?;
        }
        // Only the process that moves the mark from where it read it
        // commits: another that recorded the same responses rolls back.
        let moved = endpoints::Entity::update_many()
            .col_expr(endpoints::Column::AfterResponseId, Expr::value(last))
            .filter(endpoints::Column::Id.eq(endpoint.id))
            .filter(endpoints::Column::AfterResponseId.eq(endpoint.after_response_id))
            .exec(&txn)
            .await?
            .rows_affected;
        if moved == 1 {
            txn.commit().await?;
            recorded += ids.len();
        } else {
            txn.rollback().await?;
        }
    }
    Ok(recorded)
}
