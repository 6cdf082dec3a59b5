//! Sessions in the database, so every replica shares them. The cookie holds
//! a random token; only its SHA-256 is stored.

use super::users::{self, Officer};
use crate::domain::token::hex;
use crate::entities::sessions;
use chrono::{DateTime, Duration, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

/// How long sessions last.
#[derive(Debug, Clone, Copy)]
pub struct Lifetimes {
    /// Ends a session nobody used for this long.
    pub idle: Duration,
    /// Ends any session this long after sign-in.
    pub absolute: Duration,
}

impl Default for Lifetimes {
    fn default() -> Self {
        Self {
            idle: Duration::minutes(30),
            absolute: Duration::hours(12),
        }
    }
}

/// A live session and its officer.
#[derive(Debug, Clone)]
pub struct Session {
    /// The stored id (hash of the cookie token).
    pub id: String,
    /// Who is signed in.
    pub officer: Officer,
    /// The token every admin form must send back.
    pub csrf_token: String,
    /// A one-time notice left by the last action, shown on the next page.
    pub notice: Option<String>,
}

use crate::domain::token::token_hash as hash;

/// Starts a session; returns the cookie token (never stored as is).
///
/// # Errors
/// The database's error.
#[tracing::instrument(skip_all)]
pub async fn create(
    db: &impl ConnectionTrait,
    user_id: i32,
    now: DateTime<Utc>,
    life: Lifetimes,
) -> Result<String, DbErr> {
    let token = hex(&rand::random::<[u8; 32]>());
    sessions::ActiveModel {
        id: Set(hash(&token)),
        user_id: Set(user_id),
        csrf_token: Set(hex(&rand::random::<[u8; 32]>())),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now
            .checked_add_signed(life.absolute)
            .unwrap_or(DateTime::<Utc>::MAX_UTC)),
        notice: Set(None),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// The live session of a cookie token, marking it used; `None` when unknown,
/// idle too long, past its absolute end, or its officer is disabled.
///
/// # Errors
/// The database's error.
#[tracing::instrument(skip_all)]
pub async fn find(
    db: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
    life: Lifetimes,
) -> Result<Option<Session>, DbErr> {
    let Some(row) = sessions::Entity::find_by_id(hash(token)).one(db).await? else {
        return Ok(None);
    };
    if now >= row.expires_at || now - row.last_seen_at >= life.idle {
        sessions::Entity::delete_by_id(row.id).exec(db).await?;
        return Ok(None);
    }
    let Some(officer) = users::get(db, row.user_id).await?.filter(|o| !o.disabled) else {
        return Ok(None);
    };
    let (id, csrf_token, notice) = (row.id.clone(), row.csrf_token.clone(), row.notice.clone());
    // Writing on every request would be wasteful: a minute's precision is plenty for a 30-minute timeout.
    if now - row.last_seen_at >= Duration::minutes(1) {
        let mut row: sessions::ActiveModel = row.into();
        row.last_seen_at = Set(now);
        row.update(db).await?;
    }
    Ok(Some(Session {
        id,
        officer,
        csrf_token,
        notice,
    }))
}

/// Leaves a one-time notice for the session's next page.
///
/// # Errors
/// The database's error.
pub async fn set_notice(db: &impl ConnectionTrait, id: &str, notice: &str) -> Result<(), DbErr> {
    sessions::Entity::update_many()
        .col_expr(sessions::Column::Notice, Expr::value(notice))
        .filter(sessions::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// The session's notice, cleared so a reload does not show it again.
///
/// # Errors
/// The database's error.
pub async fn take_notice(
    db: &impl ConnectionTrait,
    session: &Session,
) -> Result<Option<String>, DbErr> {
    if session.notice.is_none() {
        return Ok(None);
    }
    sessions::Entity::update_many()
        .col_expr(
            sessions::Column::Notice,
            Expr::value(Option::<String>::None),
        )
        .filter(sessions::Column::Id.eq(&session.id))
        .exec(db)
        .await?;
    Ok(session.notice.clone())
}

/// Ends a session on the server.
///
/// # Errors
/// The database's error.
pub async fn delete(db: &impl ConnectionTrait, id: &str) -> Result<(), DbErr> {
    sessions::Entity::delete_by_id(id.to_string())
        .exec(db)
        .await?;
    Ok(())
}

/// Deletes every expired session; returns how many.
///
/// # Errors
/// The database's error.
#[tracing::instrument(skip_all)]
pub async fn purge(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    life: Lifetimes,
) -> Result<u64, DbErr> {
    let result = sessions::Entity::delete_many()
        .filter(
            sea_orm::Condition::any()
                .add(sessions::Column::ExpiresAt.lte(now))
                .add(
                    sessions::Column::LastSeenAt.lte(
                        now.checked_sub_signed(life.idle)
                            .unwrap_or(DateTime::<Utc>::MIN_UTC),
                    ),
                ),
        )
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}
