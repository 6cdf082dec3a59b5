//! Importing the local-authority register from its CSV file.

use crate::domain::council::{Council, RegisterColumns};
use crate::store::{self, organisations::UpsertCounts};
use sea_orm::DatabaseConnection;
use std::io::Read;

/// Why an import could not start; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    /// The header lacks columns the import needs.
    #[error("the file has no column {}; the register's header must include {}", quoted(.0), quoted(crate::domain::council::REQUIRED_COLUMNS))]
    MissingColumns(Vec<&'static str>),
    /// The file cannot be read as CSV at all.
    #[error("the file cannot be read as CSV: {0}")]
    Unreadable(String),
    /// The database failed; nothing was written.
    #[error("database error: {0}")]
    Db(#[from] sea_orm::DbErr),
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("“{n}”"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegisterReport {
    /// What the upsert changed.
    pub counts: UpsertCounts,
    /// Former councils left out (no `--include-former`).
    pub former_skipped: usize,
    /// Rows refused, as (line number, problem).
    pub refused: Vec<(u64, String)>,
}

/// Reads the register and upserts every good row by code; bad rows are
/// reported with their line numbers and the rest still import.
///
/// `on_row` is called after each row read (for a progress bar).
///
/// # Errors
/// [`RegisterError`] when the header is wrong or the database fails.
pub async fn import(
    db: &DatabaseConnection,
    input: impl Read,
    include_former: bool,
    mut on_row: impl FnMut(),
) -> Result<RegisterReport, RegisterError> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(input);
    let header = reader
        .headers()
        .map_err(|e| RegisterError::Unreadable(e.to_string()))?
        .clone();
    let columns = RegisterColumns::from_header(&header).map_err(RegisterError::MissingColumns)?;
    let mut report = RegisterReport::default();
    let mut councils: Vec<Council> = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => match columns.council(&record) {
                Ok(c) if !c.current && !include_former => report.former_skipped += 1,
                Ok(c) if councils.iter().any(|seen| seen.code == c.code) => {
                    report.refused.push((
                        line,
                        format!("code {} appears twice; the first row was kept", c.code),
                    ));
                }
                Ok(c) => councils.push(c),
                Err(problem) => report.refused.push((line, problem)),
            },
            Err(e) => {
                let line = e.position().map_or(line, |p| p.line());
                let problem = match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => {
                        format!("has {len} fields where the header has {expected_len}")
                    }
                    csv::ErrorKind::Utf8 { .. } => "is not valid UTF-8 text".to_string(),
                    _ => e.to_string(),
                };
                report.refused.push((line, problem));
                if !matches!(
                    e.kind(),
                    csv::ErrorKind::UnequalLengths { .. } | csv::ErrorKind::Utf8 { .. }
                ) {
                    break;
                }
            }
        }
        on_row();
    }
    report.counts = store::organisations::upsert(db, &councils).await?;
    Ok(report)
}
