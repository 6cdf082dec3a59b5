//! Responses: storing them, idempotent on the form's submission id and
//! several to a transaction when they arrive together (see
//! `store::writer`; the inserts are in `insert.rs`), reading one back
//! (`read.rs`) and deleting one with its audit record (`delete.rs`).

mod delete;
mod follow_up;
mod insert;
mod list;
mod read;

pub use delete::delete_recorded;
pub use follow_up::add_follow_up;
pub use list::{ResponseLine, page};
pub use read::{ResponseDetail, detail, exists};

use crate::domain::answer::Submission;
use crate::domain::reference::Reference;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{DatabaseConnection, DbErr, TransactionTrait};

/// A response ready to store.
#[derive(Debug, Clone)]
pub struct NewResponse {
    /// The survey answered.
    pub survey_id: i32,
    /// The version whose questions were answered.
    pub version_id: i32,
    /// From the form token: the same form sent twice has the same id.
    pub submission_id: String,
    /// The answers.
    pub submission: Submission,
    /// `web`, `embed`, `api` or `invite`.
    pub channel: &'static str,
    /// The language the form was answered in.
    pub language: crate::domain::lang::Lang,
    /// When it was received.
    pub submitted_at: DateTime<Utc>,
    /// The local date it was received, against which the campaign's dates
    /// and the survey's own switch are checked when it is stored.
    pub received_on: NaiveDate,
}

/// The outcome of [`store`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// Stored now, under this reference.
    New(Reference),
    /// The same submission was already stored under this reference.
    Existing(Reference),
    /// Not stored: the survey does not take submissions that day, and why.
    NotOpen(crate::domain::availability::Availability),
}

/// Why a response was not stored; nothing of it was written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The database refused or failed the transaction.
    #[error("database: {0}")]
    Db(#[from] DbErr),
    /// The database could not be reached for the batch this response was in.
    #[error("the database could not be reached: {0}")]
    Unreachable(String),
    /// Every reference drawn was taken (a clash is one in billions).
    #[error("no free reference after {} draws", insert::ATTEMPTS)]
    NoFreeReference,
    /// The writer task is gone (the service is stopping).
    #[error("the response writer has stopped")]
    WriterStopped,
}

/// Stores one response and its answers in one transaction, or finds the one
/// already stored for the same submission id.
///
/// # Errors
/// [`WriteError`]; nothing is half-written.
pub async fn store(db: &DatabaseConnection, new: NewResponse) -> Result<Stored, WriteError> {
    let mut stored = store_batch(db, std::slice::from_ref(&new)).await?;
    Ok(stored.remove(0))
}

/// Stores responses and their answers in one transaction, so one commit
/// (one fsync) makes them all durable, with one `INSERT` for the responses
/// and one for their answers whatever the batch's size. Each is stored once
/// per submission id: one stored before, by anyone, or earlier in the
/// batch, gives the reference it was stored under. The outcomes are in the
/// batch's order.
///
/// # Errors
/// [`WriteError`]; then none of the batch is written.
#[tracing::instrument(skip_all, fields(responses = batch.len()))]
pub async fn store_batch(
    db: &DatabaseConnection,
    batch: &[NewResponse],
) -> Result<Vec<Stored>, WriteError> {
    // Read before the transaction: on SQLite a transaction that reads first
    // cannot take the write lock if another process wrote meanwhile.
    let surveys = insert::survey_states(db, batch).await?;
    let txn = db.begin().await?;
    let outcomes = insert::insert_batch(&txn, batch, &surveys).await?;
    txn.commit().await?;
    Ok(outcomes)
}
