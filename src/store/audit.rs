//! The audit log: what officers did that must be accountable.

use crate::entities::audit_log;
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Which officer did it; `None` for the command line.
    pub user_id: Option<i32>,
    /// What was done, such as `export`.
    pub action: String,
    /// The details: filters, counts, ids; never answers or emails.
    pub detail: serde_json::Value,
}

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
) -> Result<Vec<AuditEntry>, DbErr> {
    let rows = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(action))
        .order_by_desc(audit_log::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| AuditEntry {
            at: r.at,
            user_id: r.user_id,
            action: r.action,
            detail: r.detail,
        })
        .collect())
}
