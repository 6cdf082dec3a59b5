//! Group commit for submissions: handlers queue their response and wait;
//! a writer task takes everything queued, stores it in one transaction
//! ([`responses::store_batch`]) and answers each handler once it is
//! committed. One commit, one fsync, for many responses, and still no
//! acknowledgement before the response is durable.
//!
//! With one submission at a time a batch holds one response and nothing
//! waits; under load the batches grow by themselves while a commit runs.

use super::responses::{self, NewResponse, Stored};
use sea_orm::{DatabaseConnection, DbErr};
use std::sync::Arc;
use tokio::sync::{Mutex, mpsc, oneshot};

/// Responses in one transaction at most.
const MAX_BATCH: usize = 128;
/// Submissions waiting for a writer before handlers wait to queue.
const QUEUE: usize = 1024;

struct Job {
    response: NewResponse,
    reply: oneshot::Sender<Result<Stored, DbErr>>,
}

/// The queue in front of the writer tasks. Cloning shares it.
#[derive(Clone, Debug)]
pub struct ResponseWriter {
    queue: mpsc::Sender<Job>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Job")
    }
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
    /// The database's error; then the response is not stored.
    pub async fn store(&self, response: NewResponse) -> Result<Stored, DbErr> {
        let (reply, outcome) = oneshot::channel();
        self.queue
            .send(Job { response, reply })
            .await
            .map_err(|_| stopped())?;
        outcome.await.map_err(|_| stopped())?
    }
}

fn stopped() -> DbErr {
    DbErr::Custom("the response writer has stopped".into())
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
        // In its own task: were a commit ever to panic, its handlers would
        // hear "not saved" (their reply senders dropped) and this writer
        // would go on serving the queue.
        let batch = std::mem::take(&mut jobs);
        if let Err(e) = tokio::spawn(commit(db.clone(), batch)).await
            && e.is_panic()
        {
            tracing::error!("a group commit panicked; its submissions were answered 503");
        }
    }
}

async fn commit(db: DatabaseConnection, jobs: Vec<Job>) {
    let db = &db;
    metrics::histogram!("response_commit_batch_size").record(jobs.len() as f64);
    let batch: Vec<NewResponse> = jobs.iter().map(|j| j.response.clone()).collect();
    match responses::store_batch(db, &batch).await {
        Ok(outcomes) => {
            for (job, outcome) in jobs.into_iter().zip(outcomes) {
                // A handler that gave up (client gone) no longer listens;
                // its response is stored and a resend finds it.
                let _ = job.reply.send(Ok(outcome));
            }
        }
        // A constraint one response broke (its council left the register,
        // say) must not fail the others: store each alone.
        Err(e) if jobs.len() > 1 && e.sql_err().is_some() => {
            for job in jobs {
                let _ = job.reply.send(responses::store(db, job.response).await);
            }
        }
        // The database is unreachable or refused the transaction: every
        // handler answers "not saved, try again".
        Err(e) => {
            let message = e.to_string();
            for job in jobs {
                let _ = job.reply.send(Err(DbErr::Custom(message.clone())));
            }
        }
    }
}
