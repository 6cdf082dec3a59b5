//! Officers and their password hashes.

use crate::domain::officer::Role;
use crate::entities::{sessions, users};
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
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

/// Adds an officer with an already-hashed password.
///
/// # Errors
/// [`AddError::Exists`] for a known email; the database's error.
#[tracing::instrument(skip_all)]
pub async fn add(
    db: &impl ConnectionTrait,
    email: &str,
    name: &str,
    role: Role,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<Officer, AddError> {
    let row = users::ActiveModel {
        id: NotSet,
        email: Set(email.to_string()),
        name: Set(name.to_string()),
        role: Set(role.as_str().to_string()),
        password_hash: Set(password_hash.to_string()),
        disabled: Set(false),
        created_at: Set(now),
    };
    match row.insert(db).await {
        Ok(row) => Ok(officer(row)),
        Err(e) if super::is_unique_violation(&e) => Err(AddError::Exists),
        Err(e) => Err(e.into()),
    }
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

/// Disables an officer and ends their sessions; returns false if no such email.
///
/// # Errors
/// The database's error.
#[tracing::instrument(skip_all)]
pub async fn disable(db: &impl ConnectionTrait, email: &str) -> Result<bool, DbErr> {
    let Some(row) = users::Entity::find()
        .filter(users::Column::Email.eq(email))
        .one(db)
        .await?
    else {
        return Ok(false);
    };
    let id = row.id;
    let mut row: users::ActiveModel = row.into();
    row.disabled = Set(true);
    row.update(db).await?;
    sessions::Entity::delete_many()
        .filter(sessions::Column::UserId.eq(id))
        .exec(db)
        .await?;
    Ok(true)
}
