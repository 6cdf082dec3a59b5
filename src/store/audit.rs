//! The audit log: what officers did that must be accountable.

use crate::entities::audit_log;
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

/// Records an action by `user_id` (none for the command line) with its details.
///
/// # Errors
/// The database's error.
pub async fn record(
    db: &impl ConnectionTrait,
    at: DateTime<Utc>,
    user_id: Option<i32>,
    action: &str,
    detail: serde_json::Value,
) -> Result<(), DbErr> {
    audit_log::ActiveModel {
        id: NotSet,
        at: Set(at),
        user_id: Set(user_id),
        action: Set(action.into()),
        detail: Set(detail),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The latest entries of one action, newest first.
///
/// # Errors
/// The database's error.
pub async fn latest(
    db: &impl ConnectionTrait,
    action: &str,
    limit: u64,
) -> Result<Vec<audit_log::Model>, DbErr> {
    audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(action))
        .order_by_desc(audit_log::Column::Id)
        .limit(limit)
        .all(db)
        .await
}
