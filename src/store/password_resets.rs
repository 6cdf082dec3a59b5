//! One-time password reset links: made by an admin (or the command line)
//! for an officer, usable once, for [`LINK_LIFETIME`]. The link carries a
//! random token; only its SHA-256 is stored.

use super::users::{self, Actor, Officer};
use crate::domain::token::hex;
use crate::entities::{password_resets, sessions, users as user_rows};
use chrono::{DateTime, Duration, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, TransactionTrait,
};

/// How long a reset link works.
pub const LINK_LIFETIME: Duration = Duration::hours(2);

use crate::domain::token::token_hash as hash;

/// Makes a link for `officer_id` and records who asked for it; returns the
/// token for the link (never stored as is).
///
/// # Errors
/// The database's error.
pub async fn create(
    db: &DatabaseConnection,
    officer_id: i32,
    (actor, now): (Actor, DateTime<Utc>),
) -> Result<String, DbErr> {
    let token = hex(&rand::random::<[u8; 32]>());
    let txn = db.begin().await?;
    password_resets::ActiveModel {
        token_hash: Set(hash(&token)),
        user_id: Set(officer_id),
        created_at: Set(now),
        expires_at: Set(now + LINK_LIFETIME),
        used_at: Set(None),
    }
    .insert(&txn)
    .await?;
    let detail = serde_json::json!({ "officer_id": officer_id });
    super::audit::record(&txn, now, actor, "password_reset_sent", detail).await?;
    txn.commit().await?;
    Ok(token)
}

/// The officer a link is for, while it is unused, unexpired and the
/// officer is not disabled.
///
/// # Errors
/// The database's error.
pub async fn officer_for(
    db: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<Officer>, DbErr> {
    let Some(row) = password_resets::Entity::find_by_id(hash(token))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if row.used_at.is_some() || now >= row.expires_at {
        return Ok(None);
    }
    Ok(users::get(db, row.user_id).await?.filter(|o| !o.disabled))
}

/// Sets the officer's new password with a link, once: the link is spent,
/// every session of the officer ends, and it is recorded. `None` when the
/// link is unknown, spent, expired or its officer disabled.
///
/// # Errors
/// The database's error; then nothing changes.
pub async fn redeem(
    db: &DatabaseConnection,
    token: &str,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<Officer>, DbErr> {
    let txn = db.begin().await?;
    let Some(officer) = officer_for(&txn, token, now).await? else {
        return Ok(None);
    };
    // Spent by whoever gets here first: a second use changes nothing.
    let spent = password_resets::Entity::update_many()
        .col_expr(password_resets::Column::UsedAt, Expr::value(now))
        .filter(password_resets::Column::TokenHash.eq(hash(token)))
        .filter(password_resets::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if spent.rows_affected != 1 {
        return Ok(None);
    }
    let row = user_rows::Entity::find_by_id(officer.id).one(&txn).await?;
    let Some(row) = row else { return Ok(None) };
    let mut row: user_rows::ActiveModel = row.into();
    row.password_hash = Set(password_hash.to_string());
    row.update(&txn).await?;
    sessions::Entity::delete_many()
        .filter(sessions::Column::UserId.eq(officer.id))
        .exec(&txn)
        .await?;
    let detail = serde_json::json!({ "officer_id": officer.id });
    super::audit::record(&txn, now, Some(officer.id), "password_reset_used", detail).await?;
    txn.commit().await?;
    Ok(Some(officer))
}
