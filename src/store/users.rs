//! Officers and their password hashes.

use crate::domain::officer::Role;
use crate::entities::{sessions, users};
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, TransactionTrait,
};

/// An officer as the rest of the application sees them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Officer {
    /// Row id.
    pub id: i32,
    /// Lowercased email, used to sign in.
    pub email: String,
    /// Display name.
    pub name: String,
    /// What they may do.
    pub role: Role,
    /// Disabled officers cannot sign in.
    pub disabled: bool,
    /// When they were added.
    pub created_at: DateTime<Utc>,
}

fn officer(row: users::Model) -> Officer {
    Officer {
        id: row.id,
        role: Role::parse(&row.role).unwrap_or(Role::Analyst),
        email: row.email,
        name: row.name,
        disabled: row.disabled,
        created_at: row.created_at,
    }
}

/// Why an officer could not be added.
#[derive(Debug, thiserror::Error)]
pub enum AddError {
    /// The email address is already an officer's.
    #[error("an officer with this email address already exists")]
    Exists,
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Who changed an officer, for the audit log: another officer, or the
/// command line (`None`).
pub type Actor = Option<i32>;

/// Adds an officer with an already-hashed password and records it in the
/// audit log, together.
///
/// # Errors
/// [`AddError::Exists`] for a known email; the database's error. Either
/// way nothing is written.
#[tracing::instrument(skip_all)]
pub async fn add(
    db: &DatabaseConnection,
    email: &str,
    name: &str,
    role: Role,
    password_hash: &str,
    (actor, now): (Actor, DateTime<Utc>),
) -> Result<Officer, AddError> {
    let txn = db.begin().await?;
    let row = users::ActiveModel {
        id: NotSet,
        email: Set(email.to_string()),
        name: Set(name.to_string()),
        role: Set(role.as_str().to_string()),
        password_hash: Set(password_hash.to_string()),
        disabled: Set(false),
        created_at: Set(now),
    };
    let added = match row.insert(&txn).await {
        Ok(row) => officer(row),
        Err(e) if super::is_unique_violation(&e) => return Err(AddError::Exists),
        Err(e) => return Err(e.into()),
    };
    let detail = serde_json::json!({ "officer_id": added.id, "role": role.as_str() });
    super::audit::record(&txn, now, actor, "user_added", detail).await?;
    txn.commit().await?;
    Ok(added)
}

/// An officer and their password hash, by email, for signing in.
///
/// # Errors
/// The database's error.
pub async fn credentials(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<(Officer, String)>, DbErr> {
    let row = users::Entity::find()
        .filter(users::Column::Email.eq(email))
        .one(db)
        .await?;
    Ok(row.map(|r| {
        let hash = r.password_hash.clone();
        (officer(r), hash)
    }))
}

/// An officer by id.
///
/// # Errors
/// The database's error.
pub async fn get(db: &impl ConnectionTrait, id: i32) -> Result<Option<Officer>, DbErr> {
    Ok(users::Entity::find_by_id(id).one(db).await?.map(officer))
}

/// The officer with this (lowercased) email, if any.
///
/// # Errors
/// The database's error.
pub async fn by_email(db: &impl ConnectionTrait, email: &str) -> Result<Option<Officer>, DbErr> {
    let row = users::Entity::find()
        .filter(users::Column::Email.eq(email))
        .one(db)
        .await?;
    Ok(row.map(officer))
}

/// Every officer, by email.
///
/// # Errors
/// The database's error.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<Officer>, DbErr> {
    let rows = users::Entity::find()
        .order_by_asc(users::Column::Email)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(officer).collect())
}

/// Disables an officer, ends their sessions and records it in the audit
/// log, together; returns false if no officer has this email.
///
/// # Errors
/// The database's error; then nothing changes.
pub async fn disable(
    db: &DatabaseConnection,
    email: &str,
    by: (Actor, DateTime<Utc>),
) -> Result<bool, DbErr> {
    set_disabled(db, email, true, by).await
}

/// Lets a disabled officer sign in again and records it; returns false if
/// no officer has this email.
///
/// # Errors
/// The database's error; then nothing changes.
pub async fn enable(
    db: &DatabaseConnection,
    email: &str,
    by: (Actor, DateTime<Utc>),
) -> Result<bool, DbErr> {
    set_disabled(db, email, false, by).await
}

#[tracing::instrument(skip_all, fields(disabled))]
async fn set_disabled(
    db: &DatabaseConnection,
    email: &str,
    disabled: bool,
    (actor, now): (Actor, DateTime<Utc>),
) -> Result<bool, DbErr> {
    let txn = db.begin().await?;
    let Some(row) = users::Entity::find()
        .filter(users::Column::Email.eq(email))
        .one(&txn)
        .await?
    else {
        return Ok(false);
    };
    let id = row.id;
    let mut row: users::ActiveModel = row.into();
    row.disabled = Set(disabled);
    row.update(&txn).await?;
    if disabled {
        sessions::Entity::delete_many()
            .filter(sessions::Column::UserId.eq(id))
            .exec(&txn)
            .await?;
    }
    let via = if actor.is_some() { "web" } else { "cli" };
    let detail = serde_json::json!({ "officer_id": id, "via": via });
    let action = if disabled {
        "user_disabled"
    } else {
        "user_enabled"
    };
    super::audit::record(&txn, now, actor, action, detail).await?;
    txn.commit().await?;
    Ok(true)
}
