//! Adding officers, the same way from the command line and the web: check
//! the email and password, hash with argon2id off the async threads, store.

use crate::domain::officer::{Role, check_password, normalise_email};
use crate::store::{self, users::Actor, users::AddError, users::Officer};
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

/// Why an officer was not added; the field names the input to fix.
#[derive(Debug, thiserror::Error)]
pub enum AddOfficerError {
    /// A value to fix: (field, message).
    #[error("{1}")]
    Invalid(&'static str, String),
    /// Hashing the password failed (its task panicked): a bug.
    #[error("hashing the password failed: {0}")]
    Hashing(String),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
}

/// Adds an officer after checking the email and the password policy;
/// `actor` is the admin adding them (`None` from the command line).
///
/// # Errors
/// [`AddOfficerError::Invalid`] naming the field; the database's error.
pub async fn add(
    db: &DatabaseConnection,
    (email, name, role): (&str, &str, Role),
    password: String,
    (actor, now): (Actor, DateTime<Utc>),
) -> Result<Officer, AddOfficerError> {
    let email = normalise_email(email).map_err(|m| AddOfficerError::Invalid("email", m))?;
    check_password(&password, &email).map_err(|m| AddOfficerError::Invalid("password", m))?;
    let hash = tokio::task::spawn_blocking(move || password_auth::generate_hash(password))
        .await
        .map_err(|e| AddOfficerError::Hashing(e.to_string()))?;
    let name = name.trim();
    match store::users::add(db, &email, name, role, &hash, (actor, now)).await {
        Ok(officer) => Ok(officer),
        Err(AddError::Exists) => Err(AddOfficerError::Invalid(
            "email",
            "An officer with this email address already exists".into(),
        )),
        Err(AddError::Db(e)) => Err(e.into()),
    }
}
