//! What every handler can reach: the connection pool, the response writer,
//! the configuration, the signer, the clock, caches and the mailer. Built
//! at start-up by the application (`app.rs`), which depends on this module,
//! never the other way.

use crate::config::Config;
use crate::domain::clock::Clock;
use crate::domain::token::TokenSigner;
use crate::store::surveys::SurveyRecord;
use crate::store::writer::ResponseWriter;
use crate::web::public::cache::{PageCache, TtlMap};
use crate::web::rate_limit::RateLimiter;
use metrics_exporter_prometheus::PrometheusHandle;
use sea_orm::DatabaseConnection;
use std::sync::Arc;

/// What every handler can reach, behind one `Arc`: each request clones it
/// several times (every middleware layer and the `State` extractor), so a
/// clone is one reference count. Nothing here is state another replica
/// needs: sessions and idempotency live in the database.
#[derive(Clone)]
pub struct AppState(pub(crate) Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The contents of [`AppState`].
pub struct Shared {
    /// The connection pool.
    pub db: DatabaseConnection,
    /// Stores submissions, several to a commit under load.
    pub responses: ResponseWriter,
    /// The validated configuration.
    pub config: Arc<Config>,
    /// Signs and checks form tokens with the instance's secret key.
    pub signer: TokenSigner,
    /// The source of "now", fixed in tests.
    pub clock: Arc<dyn Clock>,
    /// Renders `/metrics`.
    pub metrics: PrometheusHandle,
    /// Submissions per client IP per minute.
    pub submit_limiter: RateLimiter,
    /// Survey pages rendered recently, reused with a fresh token.
    pub survey_pages: PageCache,
    /// Survey definitions read recently, by slug and version, that
    /// submissions are checked against.
    pub survey_records: TtlMap<SurveyRecord>,
    /// Where digests go: SMTP or the outbox folder.
    pub mailer: crate::mail::Mailer,
    /// Digest schedule, sender and link base.
    pub digest: crate::digest::Settings,
    /// `API_RATE_LIMIT`: API requests per token per minute.
    pub api_limiter: crate::web::rate_limit::RateLimiter<i32>,
    /// Invitations and reminders: the rule, the sender, the link signer.
    pub outreach: crate::outreach::Settings,
}

impl Shared {
    /// Today's date in the configured time zone (campaign windows are local dates).
    pub fn today(&self) -> chrono::NaiveDate {
        self.clock
            .now()
            .with_timezone(&self.config.timezone)
            .date_naive()
    }
}
