//! Queries: functions over a sea-orm connection that take and return domain
//! types. Nothing here knows about HTTP; nothing outside builds SQL.

pub mod api_tokens;
pub mod audit;
pub mod campaigns;
pub mod comments;
pub mod contacts;
pub mod digests;
pub mod drafts;
pub mod export;
pub mod filter;
pub mod organisations;
pub mod password_resets;
pub mod personal;
pub mod responses;
pub mod sessions;
pub mod settings;
pub mod sign_in;
pub mod stats;
pub mod surveys;
pub mod tallies;
pub mod users;
pub mod webhooks;
pub mod writer;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr};
use std::time::Duration;

/// Opens a pool on `url`: SQLite (WAL, full sync, foreign keys) or PostgreSQL.
///
/// # Errors
/// The driver's error when the database cannot be reached or created.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let most = if url.starts_with("sqlite:") { 8 } else { 16 };
    connect_with(url, most).await
}

/// Opens a pool of one connection on `url` for the schedulers (digests,
/// outreach, webhooks). The pool hands out its idle connections in turn, so
/// the webhooks' look every 2 s kept all of the requests' connections in
/// use and none ever closed; on their own connection, they leave them idle.
///
/// # Errors
/// The driver's error when the database cannot be reached.
pub async fn connect_background(url: &str) -> Result<DatabaseConnection, DbErr> {
    connect_with(url, 1).await
}

async fn connect_with(url: &str, most: u32) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url);
    options
        .sqlx_logging(false)
        .connect_timeout(Duration::from_secs(5))
        // A request waits at most this long for a connection; when the
        // database is down, it gets a "try again" page this soon.
        .acquire_timeout(Duration::from_secs(3))
        // sqlx pings a connection before every use by default: a round trip
        // per query. Only one idle for a while may have been dropped.
        .test_before_acquire_if_idle_for(Duration::from_secs(30))
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
        });
    // A connection idle for 20 s is closed (one is kept): after a burst, what
    // its connections held (SQLite's page cache and prepared statements, a
    // few MB each) goes back to the system. sqlx looks for idle connections
    // once per timeout, so they close 20–40 s into a lull, and the next
    // trim (every 10 s) hands the memory back within the minute; at 30 s it
    // could take 70.
    options
        .idle_timeout(Duration::from_secs(20))
        .min_connections(1)
        .max_connections(most);
    Database::connect(options).await
}

/// Applies every pending migration.
///
/// # Errors
/// The database's error when a migration fails; nothing is half-applied on PostgreSQL.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// Whether the database answers a trivial query (for `/readyz`).
pub async fn ping(db: &DatabaseConnection) -> bool {
    db.execute_unprepared("SELECT 1").await.is_ok()
}

/// True when `err` is a unique-key clash: how idempotency shows up.
pub fn is_unique_violation(err: &DbErr) -> bool {
    matches!(
        err.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}

/// `items` in consecutive chunks whose lengths are powers of two (largest
/// first, at most `max`): 37 rows go as 32, 4 and 1. A multi-row statement
/// (the group commit's inserts, the tallies' upserts) is a different
/// statement for each number of rows, and each connection keeps up to 100
/// prepared; with any length, a writer's connection kept
/// a hundred of up to a thousand rows each (60 MB on SQLite after a load).
/// With these, at most ten shapes a table.
pub(crate) fn shaped_chunks<T>(items: &[T], max: usize) -> impl Iterator<Item = &[T]> {
    let mut rest = items;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let len = 1 << rest.len().ilog2();
        let (chunk, tail) = rest.split_at(len.min(max.max(1)));
        rest = tail;
        Some(chunk)
    })
}

#[cfg(test)]
mod tests {
    use super::shaped_chunks;

    #[test]
    fn rows_go_in_chunks_of_powers_of_two_up_to_the_most() {
        let lens = |n: usize, max| {
            let rows: Vec<usize> = (0..n).collect();
            let chunks: Vec<&[usize]> = shaped_chunks(&rows, max).collect();
            assert_eq!(chunks.concat(), rows, "every row once, in order");
            chunks.iter().map(|c| c.len()).collect::<Vec<_>>()
        };
        assert_eq!(lens(37, usize::MAX), [32, 4, 1]);
        assert_eq!(lens(128, usize::MAX), [128]);
        assert_eq!(lens(1, 512), [1]);
        assert_eq!(lens(0, 512), Vec::<usize>::new());
        assert_eq!(lens(1300, 512), [512, 512, 256, 16, 4]);
    }
}
