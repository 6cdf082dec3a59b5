//! Group commit for submissions: handlers queue their response and wait;
//! a writer task takes everything queued, stores it in one transaction
//! ([`responses::store_batch`]) and answers each handler once it is
//! committed. One commit, one fsync, for many responses, and still no
//! acknowledgement before the response is durable.
//!
//! With one submission at a time a batch holds one response and nothing
//! waits; under load the batches grow by themselves while a commit runs.

use super::responses::{self, NewResponse, Stored, WriteError};
use sea_orm::{DatabaseConnection, DbErr, RuntimeErr};
use std::sync::Arc;
use tokio::sync::{Mutex, mpsc, oneshot};

/// Responses in one transaction at most.
const MAX_BATCH: usize = 128;
/// Submissions waiting for a writer before handlers wait to queue.
const QUEUE: usize = 1024;

#[derive(Debug)]
struct Job {
    response: NewResponse,
    reply: oneshot::Sender<Result<Stored, WriteError>>,
}

/// The queue in front of the writer tasks. Cloning shares it.
#[derive(Clone, Debug)]
pub struct ResponseWriter {
    queue: mpsc::Sender<Job>,
}

impl ResponseWriter {
    /// Starts `writers` writer tasks on `db` (one for SQLite, which has a
    /// single writer anyway; a few for PostgreSQL, which commits them in
    /// parallel). They stop when the last `ResponseWriter` is dropped.
    pub fn start(db: &DatabaseConnection, writers: usize) -> Self {
        let (queue, receiver) = mpsc::channel(QUEUE);
        let receiver = Arc::new(Mutex::new(receiver));
        for _ in 0..writers.max(1) {
            tokio::spawn(write(db.clone(), Arc::clone(&receiver)));
        }
        Self { queue }
    }

    /// Stores `response` (or finds it stored already) and returns once it is
    /// committed.
    ///
    /// # Errors
    /// [`WriteError`]; then the response is not stored.
    pub async fn store(&self, response: NewResponse) -> Result<Stored, WriteError> {
        let (reply, outcome) = oneshot::channel();
        self.queue
            .send(Job { response, reply })
            .await
            .map_err(|_| WriteError::WriterStopped)?;
        outcome.await.map_err(|_| WriteError::WriterStopped)?
    }
}

/// One writer: takes what is queued (up to [`MAX_BATCH`]), commits it, answers.
async fn write(db: DatabaseConnection, receiver: Arc<Mutex<mpsc::Receiver<Job>>>) {
    let mut jobs = Vec::with_capacity(MAX_BATCH);
    loop {
        {
            // Another writer collects the next batch while this one commits.
            let mut receiver = receiver.lock().await;
            if receiver.recv_many(&mut jobs, MAX_BATCH).await == 0 {
                return;
            }
        }
        let (responses, replies): (Vec<_>, Vec<_>) =
            jobs.drain(..).map(|j| (j.response, j.reply)).unzip();
        // In its own task: were a commit ever to panic, its handlers would
        // hear "not saved" (their reply senders dropped) and this writer
        // would go on serving the queue.
        let unreachable = match tokio::spawn(commit_all(db.clone(), responses)).await {
            Ok(outcomes) => {
                let unreachable = outcomes.first().is_some_and(
                    |o| matches!(o, Err(WriteError::Db(e)) if !refused_by_database(e)),
                );
                for (reply, outcome) in replies.into_iter().zip(outcomes) {
                    // A handler that gave up (client gone) no longer listens;
                    // a stored response is found again by a resend.
                    let _ = reply.send(outcome);
                }
                unreachable
            }
            Err(e) => {
                if e.is_panic() {
                    tracing::error!("a group commit panicked; its submissions were answered 503");
                }
                false
            }
        };
        if unreachable {
            // Whatever queued meanwhile would wait for a connection in turn,
            // batch after batch: tell them now that nothing was saved.
            let mut receiver = receiver.lock().await;
            while let Ok(job) = receiver.try_recv() {
                let _ = job.reply.send(Err(WriteError::Unreachable(
                    "an earlier batch found it unreachable".into(),
                )));
            }
        }
    }
}

/// Stores `responses` in one transaction and returns each one's outcome, in
/// order. When the database refuses the transaction because of one of them
/// (a constraint, a value it cannot store), each is stored alone, so that
/// one fails alone; when it cannot be reached, all fail at once.
pub async fn commit_all(
    db: DatabaseConnection,
    responses: Vec<NewResponse>,
) -> Vec<Result<Stored, WriteError>> {
    metrics::histogram!("response_commit_batch_size").record(responses.len() as f64);
    let mut stored = responses::store_batch(&db, &responses).await;
    if let Err(WriteError::Db(e)) = &stored
        && !refused_by_database(e)
        && !matches!(e, DbErr::ConnectionAcquire(_))
    {
        // A pooled connection the database dropped (a restart, a failover)
        // fails once and is discarded: try again on another before telling
        // everyone in the batch that nothing was saved.
        stored = responses::store_batch(&db, &responses).await;
    }
    match stored {
        Ok(outcomes) => outcomes.into_iter().map(Ok).collect(),
        Err(WriteError::Db(e)) if responses.len() > 1 && refused_by_database(&e) => {
            let mut outcomes = Vec::with_capacity(responses.len());
            for response in responses {
                outcomes.push(responses::store(&db, response).await);
            }
            outcomes
        }
        Err(e) => {
            let message = e.to_string();
            let mut outcomes = vec![Err(e)];
            outcomes.extend(
                (1..responses.len()).map(|_| Err(WriteError::Unreachable(message.clone()))),
            );
            outcomes
        }
    }
}

/// Whether the database answered and refused a statement, as opposed to
/// not being reachable at all.
fn refused_by_database(e: &DbErr) -> bool {
    match e {
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => {
            matches!(**e, sea_orm::sqlx::Error::Database(_))
        }
        other => other.sql_err().is_some(),
    }
}
