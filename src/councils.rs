//! Importing the local-authority register: from a CSV file (`councils
//! import`) or, on first start, from the copy embedded in the binary.

use crate::domain::council::{EMBEDDED_REGISTER, RegisterFile, RegisterFileError, read_register};
use crate::store::{self, organisations::UpsertCounts};
use sea_orm::DatabaseConnection;
use std::io::Read;

/// Why an import wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    /// The file is not a register at all.
    #[error(transparent)]
    File(#[from] RegisterFileError),
    /// Some rows are wrong: they are listed by line, and nothing was written.
    #[error("{} rows refused (lines {}); nothing was imported: correct them and import again", .0.len(), lines(.0))]
    Refused(Vec<(u64, String)>),
    /// The database failed; nothing was written.
    #[error("database error: {0}")]
    Db(#[from] sea_orm::DbErr),
}

fn lines(refused: &[(u64, String)]) -> String {
    let shown: Vec<String> = refused
        .iter()
        .take(20)
        .map(|(l, _)| l.to_string())
        .collect();
    let more = refused.len().saturating_sub(shown.len());
    let mut text = shown.join(", ");
    if more > 0 {
        text.push_str(&format!(" and {more} more"));
    }
    text
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegisterReport {
    /// What the upsert changed.
    pub counts: UpsertCounts,
    /// Former councils left out (no `--include-former`).
    pub former_skipped: usize,
}

/// Reads the register and, when every row is good, upserts them all by
/// code in one transaction. `on_row` is called after each row read.
///
/// # Errors
/// [`RegisterError`]: a wrong header, refused rows (each with its line) or
/// the database; in every case nothing is written.
pub async fn import(
    db: &DatabaseConnection,
    input: impl Read,
    include_former: bool,
    on_row: impl FnMut(),
) -> Result<RegisterReport, RegisterError> {
    let RegisterFile {
        councils,
        former_skipped,
        refused,
    } = read_register(input, include_former, on_row)?;
    if !refused.is_empty() {
        return Err(RegisterError::Refused(refused));
    }
    let counts = store::organisations::upsert(db, &councils).await?;
    Ok(RegisterReport {
        counts,
        former_skipped,
    })
}

/// Loads the register embedded in the binary when the database has no
/// council yet, so the organisation question has its list from the start;
/// or when councils lack the names people use (loaded before those were
/// kept), so every council can be found by them.
///
/// # Errors
/// The database's error, or a bug in the embedded register.
pub async fn seed_if_empty(
    db: &DatabaseConnection,
) -> Result<Option<RegisterReport>, RegisterError> {
    let empty = store::organisations::is_empty(db).await?;
    if !empty && !store::organisations::short_names_missing(db).await? {
        return Ok(None);
    }
    let report = import(db, EMBEDDED_REGISTER.as_bytes(), false, || {}).await?;
    // Councils the embedded register does not know keep their official name.
    store::organisations::fill_short_names(db).await?;
    Ok(Some(report))
}
