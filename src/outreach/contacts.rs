//! Importing a campaign's contacts, from the command line or the admin:
//! every row checked against the register first, then all written in one
//! transaction, or none.

use super::Settings;
use crate::domain::contact::{ContactsFileError, read_contacts};
use crate::store::contacts::{self, ImportCounts};
use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, DbErr};
use std::collections::HashSet;

/// Why an import wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ContactsError {
    /// No campaign has this slug.
    #[error("there is no campaign {0:?}: `campaign list` shows their slugs")]
    UnknownCampaign(String),
    /// The file is wrong: its header, or rows listed by line.
    #[error(transparent)]
    File(#[from] ContactsFileError),
    /// The database failed; nothing was written.
    #[error("database error: {0}")]
    Db(#[from] DbErr),
}

impl ContactsError {
    /// Each refused row as "line N: what to fix", for the terminal and the page.
    pub fn lines(&self) -> Vec<String> {
        match self {
            Self::File(ContactsFileError::Rows(rows)) => rows
                .iter()
                .map(|(line, problem)| format!("line {line}: {problem}"))
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// Reads `text` and, when every row is good, adds or updates the contacts
/// of the campaign `slug`, audited as `officer` (none from the command line).
///
/// # Errors
/// [`ContactsError`]; in every case nothing is written.
pub async fn import(
    db: &DatabaseConnection,
    settings: &Settings,
    slug: &str,
    text: &str,
    (now, officer): (DateTime<Utc>, Option<i32>),
) -> Result<ImportCounts, ContactsError> {
    let campaign_id = crate::store::campaigns::id_of(db, slug)
        .await?
        .ok_or_else(|| ContactsError::UnknownCampaign(slug.to_string()))?;
    let councils: HashSet<String> = crate::store::organisations::current_councils(db)
        .await?
        .into_iter()
        .map(|c| c.code)
        .collect();
    let rows = read_contacts(text, |code| councils.contains(code))?;
    let counts = contacts::import(
        db,
        campaign_id,
        &rows,
        || settings.new_link(),
        (now, officer),
    )
    .await?;
    tracing::info!(
        added = counts.added,
        updated = counts.updated,
        "contacts imported"
    );
    Ok(counts)
}
