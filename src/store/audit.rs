//! The audit log: what officers (and the command line) did that must be
//! accountable — exports, deletions, resends, officers added or disabled,
//! personal data erased, purged or reported, password links.

use crate::entities::audit_log;
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Select,
};

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditEntry {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Which officer did it; `None` for the command line or the service itself.
    pub user_id: Option<i32>,
    /// What was done, such as `export`.
    pub action: String,
    /// The details: filters, counts, ids; never answers or emails.
    pub detail: serde_json::Value,
}

/// Which entries to look at; empty fields mean all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// One action, such as `export`.
    pub action: Option<String>,
    /// One officer's actions.
    pub user_id: Option<i32>,
    /// From this moment.
    pub since: Option<DateTime<Utc>>,
    /// Before this moment.
    pub until: Option<DateTime<Utc>>,
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

fn entry(r: audit_log::Model) -> AuditEntry {
    AuditEntry {
        at: r.at,
        user_id: r.user_id,
        action: r.action,
        detail: r.detail,
    }
}

fn filtered(filter: &AuditFilter) -> Select<audit_log::Entity> {
    let mut query = audit_log::Entity::find();
    if let Some(action) = &filter.action {
        query = query.filter(audit_log::Column::Action.eq(action.clone()));
    }
    if let Some(id) = filter.user_id {
        query = query.filter(audit_log::Column::UserId.eq(id));
    }
    if let Some(since) = filter.since {
        query = query.filter(audit_log::Column::At.gte(since));
    }
    if let Some(until) = filter.until {
        query = query.filter(audit_log::Column::At.lt(until));
    }
    query
        .order_by_desc(audit_log::Column::At)
        .order_by_desc(audit_log::Column::Id)
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
    let filter = AuditFilter {
        action: Some(action.to_string()),
        ..AuditFilter::default()
    };
    let rows = filtered(&filter).limit(limit).all(db).await?;
    Ok(rows.into_iter().map(entry).collect())
}

/// A page of the entries `filter` selects, newest first, and how many there are.
///
/// # Errors
/// The database's error.
pub async fn page(
    db: &impl ConnectionTrait,
    filter: &AuditFilter,
    limit: u64,
    offset: u64,
) -> Result<(Vec<AuditEntry>, u64), DbErr> {
    let total = filtered(filter).count(db).await?;
    let rows = filtered(filter).limit(limit).offset(offset).all(db).await?;
    Ok((rows.into_iter().map(entry).collect(), total))
}

/// Every action recorded so far, for the filter's menu.
///
/// # Errors
/// The database's error.
pub async fn actions(db: &impl ConnectionTrait) -> Result<Vec<String>, DbErr> {
    let mut actions: Vec<String> = audit_log::Entity::find()
        .select_only()
        .column(audit_log::Column::Action)
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    actions.sort();
    Ok(actions)
}
