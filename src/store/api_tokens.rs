//! API tokens: made for an officer (the token is shown once, only its hash
//! kept), listed with their last use, revoked, and checked on each request.
//! Making and revoking one are audited with the token's id, never the token.

use super::users::{Officer, get};
use crate::domain::token::{hex, token_hash};
use crate::entities::api_tokens;
use chrono::{DateTime, Duration, Utc};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, TransactionTrait,
};

/// The start of every token, so a leaked one is recognisable in a scan.
pub const PREFIX: &str = "cfb_";

/// A token as the admin lists it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ApiToken {
    /// Its id (revoking names it).
    pub id: i32,
    /// Whose it is: it acts with their role.
    pub officer_email: String,
    /// What it is for.
    pub name: String,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it was last used (to the minute).
    pub last_used_at: Option<DateTime<Utc>>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Makes a token for `officer`; returns its id and the token, which is
/// never stored or shown again.
///
/// # Errors
/// The database's error; then nothing is made.
pub async fn create(
    db: &DatabaseConnection,
    officer: &Officer,
    name: &str,
    (actor, now): (Option<i32>, DateTime<Utc>),
) -> Result<(i32, String), DbErr> {
    let token = format!("{PREFIX}{}", hex(&rand::random::<[u8; 24]>()));
    let txn = db.begin().await?;
    let row = api_tokens::ActiveModel {
        id: NotSet,
        user_id: Set(officer.id),
        name: Set(name.to_string()),
        token_hash: Set(token_hash(&token)),
        created_at: Set(now),
        last_used_at: Set(None),
        revoked_at: Set(None),
    }
    .insert(&txn)
    .await?;
    let detail = serde_json::json!({ "token": row.id, "officer": officer.id, "name": name });
    super::audit::record(&txn, now, actor, "api_token_created", detail).await?;
    txn.commit().await?;
    Ok((row.id, token))
}

/// Revokes a token at once; false when there is no such token not yet revoked.
///
/// # Errors
/// The database's error; then nothing changes.
pub async fn revoke(
    db: &DatabaseConnection,
    id: i32,
    (actor, now): (Option<i32>, DateTime<Utc>),
) -> Result<bool, DbErr> {
    let txn = db.begin().await?;
    let changed = api_tokens::Entity::update_many()
        .col_expr(api_tokens::Column::RevokedAt, Expr::value(now))
        .filter(api_tokens::Column::Id.eq(id))
        .filter(api_tokens::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?
        .rows_affected;
    if changed == 1 {
        let detail = serde_json::json!({ "token": id });
        super::audit::record(&txn, now, actor, "api_token_revoked", detail).await?;
    }
    txn.commit().await?;
    Ok(changed == 1)
}

/// Every token, newest first, with whose it is.
///
/// # Errors
/// The database's error.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<ApiToken>, DbErr> {
    let rows = api_tokens::Entity::find()
        .order_by_desc(api_tokens::Column::Id)
        .all(db)
        .await?;
    let officers = super::users::list(db).await?;
    Ok(rows
        .into_iter()
        .map(|t| ApiToken {
            officer_email: officers
                .iter()
                .find(|o| o.id == t.user_id)
                .map(|o| o.email.clone())
                .unwrap_or_default(),
            id: t.id,
            name: t.name,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            revoked_at: t.revoked_at,
        })
        .collect())
}

/// The token's id and officer, when the token is live: not revoked, and its
/// officer not disabled. Notes the use (at most once a minute per token).
///
/// # Errors
/// The database's error.
pub async fn authenticate(
    db: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<(i32, Officer)>, DbErr> {
    if !token.starts_with(PREFIX) || token.len() > 100 {
        return Ok(None);
    }
    let Some(row) = api_tokens::Entity::find()
        .filter(api_tokens::Column::TokenHash.eq(token_hash(token)))
        .filter(api_tokens::Column::RevokedAt.is_null())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(officer) = get(db, row.user_id).await?.filter(|o| !o.disabled) else {
        return Ok(None);
    };
    if row
        .last_used_at
        .is_none_or(|t| now - t >= Duration::minutes(1))
    {
        api_tokens::Entity::update_many()
            .col_expr(api_tokens::Column::LastUsedAt, Expr::value(now))
            .filter(api_tokens::Column::Id.eq(row.id))
            .exec(db)
            .await?;
    }
    Ok(Some((row.id, officer)))
}
