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

/// Why a reset link was not sent.
#[derive(Debug, thiserror::Error)]
pub enum ResetLinkError {
    /// No officer has this email.
    #[error("no officer has this email address")]
    Unknown,
    /// The officer is disabled: enable them first.
    #[error("this officer is disabled; enable them first")]
    Disabled,
    /// The email could not be written (a template bug).
    #[error("the email could not be written: {0:#}")]
    Template(#[from] minijinja::Error),
    /// The mail server refused or could not be reached; the link is not usable.
    #[error("the email was not sent: {0}")]
    Mail(#[from] crate::mail::SendError),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
}

/// Where reset links point and who they come from.
#[derive(Debug, Clone)]
pub struct LinkSender<'a> {
    /// Sends the email.
    pub mailer: &'a crate::mail::Mailer,
    /// `MAIL_FROM`.
    pub from: &'a str,
    /// The public address links start with.
    pub base_url: &'a str,
    /// The time zone the link's end is told in.
    pub timezone: chrono_tz::Tz,
}

/// Emails an officer a one-time link to set a new password; `by` is the
/// admin who sent it (`None` from the command line) and when.
///
/// # Errors
/// [`ResetLinkError`]: an unknown or disabled officer, the mail, the database.
pub async fn send_reset_link(
    db: &DatabaseConnection,
    sender: &LinkSender<'_>,
    email: &str,
    by: (Actor, DateTime<Utc>),
) -> Result<Officer, ResetLinkError> {
    let email = normalise_email(email).map_err(|_| ResetLinkError::Unknown)?;
    let officer = store::users::by_email(db, &email)
        .await?
        .ok_or(ResetLinkError::Unknown)?;
    if officer.disabled {
        return Err(ResetLinkError::Disabled);
    }
    let token = store::password_resets::create(db, officer.id, by).await?;
    let until = (by.1 + store::password_resets::LINK_LIFETIME)
        .with_timezone(&sender.timezone)
        .format("%H:%M %Z on %-d %B %Y")
        .to_string();
    let ctx = minijinja::context! {
        name => &officer.name,
        email => &officer.email,
        link => format!("{}/admin/reset/{token}", sender.base_url),
        until,
    };
    let message_id = format!(
        "<reset-{}@{}>",
        &token[..16],
        crate::mail::host_of(sender.base_url)
    );
    let email =
        crate::mail::Email::from_templates("password_reset", ctx, &officer.email, message_id)?;
    sender.mailer.send(sender.from, &email).await?;
    tracing::info!(officer_id = officer.id, "password reset link sent");
    Ok(officer)
}

/// Why a new password was not set with a link.
#[derive(Debug, thiserror::Error)]
pub enum NewPasswordError {
    /// The password breaks the policy; the message says how.
    #[error("{0}")]
    Invalid(String),
    /// The link is unknown, used, expired, or its officer disabled.
    #[error("the link has expired or has been used")]
    LinkNotValid,
    /// Hashing failed (its task panicked): a bug.
    #[error("hashing the password failed: {0}")]
    Hashing(String),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
}

/// Sets an officer's new password with a reset link, once, after checking
/// the password policy; ends every session of theirs.
///
/// # Errors
/// [`NewPasswordError`].
pub async fn set_password_with_link(
    db: &DatabaseConnection,
    token: &str,
    password: String,
    now: DateTime<Utc>,
) -> Result<Officer, NewPasswordError> {
    let officer = store::password_resets::officer_for(db, token, now)
        .await?
        .ok_or(NewPasswordError::LinkNotValid)?;
    check_password(&password, &officer.email).map_err(NewPasswordError::Invalid)?;
    let hash = tokio::task::spawn_blocking(move || password_auth::generate_hash(password))
        .await
        .map_err(|e| NewPasswordError::Hashing(e.to_string()))?;
    store::password_resets::redeem(db, token, &hash, now)
        .await?
        .ok_or(NewPasswordError::LinkNotValid)
}
