//! The application: its shared state, start-up (migrate, seed the default
//! campaign and the council register, secret key)
//! and serving with graceful shutdown.

use crate::config::Config;
use crate::domain::campaign::{CampaignDefinition, DEFAULT_CAMPAIGN_TOML};
use crate::domain::clock::{Clock, SystemClock};
use crate::domain::token::{TokenSigner, hex};
use crate::store::surveys::SurveyRecord;
use crate::store::{self, writer::ResponseWriter};
use crate::web::public::cache::{PageCache, TtlMap};
use crate::web::{self, rate_limit::RateLimiter};
use anyhow::Context;
use metrics_exporter_prometheus::PrometheusHandle;
use sea_orm::DatabaseConnection;
use std::future::Future;
use std::sync::Arc;
use tokio::net::TcpListener;

/// What every handler can reach, behind one `Arc`: each request clones it
/// several times (every middleware layer and the `State` extractor), so a
/// clone is one reference count. Nothing here is state another replica
/// needs: sessions and idempotency live in the database.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

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

/// A built application, bound to its port and ready to serve.
pub struct Application {
    listener: TcpListener,
    state: AppState,
}

impl Application {
    /// Connects, migrates, seeds the default campaign into an empty database,
    /// resolves the secret key and binds the listener.
    ///
    /// # Errors
    /// An unreachable database, a failed migration or an address in use.
    pub async fn build(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let db = open_database(&config).await?;
        seed_default_campaign(&db, clock.as_ref()).await?;
        seed_register(&db).await?;
        let signer = TokenSigner::new(secret_key(&db, &config).await?.as_bytes());
        let listener = TcpListener::bind(config.bind_addr)
            .await
            .with_context(|| format!("cannot listen on BIND_ADDR {}", config.bind_addr))?;
        let mailer = crate::mail::Mailer::from_config(&config).map_err(anyhow::Error::msg)?;
        let digest = crate::digest::Settings::from_config(&config);
        // SQLite has one writer whatever we do; PostgreSQL commits in parallel.
        let writers = match db.get_database_backend() {
            sea_orm::DbBackend::Sqlite => 1,
            _ => 4,
        };
        let state = AppState(Arc::new(Shared {
            responses: ResponseWriter::start(&db, writers),
            db,
            mailer,
            digest,
            submit_limiter: RateLimiter::per_minute(config.submit_rate_limit),
            survey_pages: PageCache::new(config.survey_page_cache_seconds),
            survey_records: TtlMap::new(config.survey_page_cache_seconds),
            config: Arc::new(config),
            signer,
            clock,
            metrics: crate::telemetry::metrics_handle(),
        }));
        Ok(Self { listener, state })
    }

    /// Builds with the real clock.
    ///
    /// # Errors
    /// As [`Application::build`].
    pub async fn build_default(config: Config) -> anyhow::Result<Self> {
        Self::build(config, Arc::new(SystemClock)).await
    }

    /// The port actually bound (useful with port 0).
    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// The shared state, for tests and jobs that run beside the server.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes; in-flight requests finish first.
    /// Housekeeping (expired sessions, old sign-in failures) runs beside it.
    ///
    /// # Errors
    /// An I/O error of the listener.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let housekeeping = tokio::spawn(housekeeping(self.state.clone()));
        let s = &self.state;
        let digests = tokio::spawn(crate::digest::scheduler(
            s.db.clone(),
            s.mailer.clone(),
            s.digest.clone(),
            s.clock.clone(),
        ));
        let served = web::serve::serve(self.listener, web::router(self.state), shutdown).await;
        housekeeping.abort();
        digests.abort();
        served
    }
}

/// Every ten minutes, deletes expired sessions and sign-in failures older than their window.
async fn housekeeping(state: AppState) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
    loop {
        every.tick().await;
        let now = state.clock.now();
        let sessions =
            store::sessions::purge(&state.db, now, state.config.session_lifetimes()).await;
        let failures = store::sign_in::purge(&state.db, now).await;
        match (sessions, failures) {
            (Ok(s), Ok(f)) => tracing::debug!(sessions = s, failures = f, "housekeeping"),
            (Err(e), _) | (_, Err(e)) => tracing::warn!(error = %e, "housekeeping failed"),
        }
    }
}

/// Opens the database named by `DATABASE_URL` and applies every migration.
///
/// # Errors
/// An unreachable database (the message names the URL without its password) or a failed migration.
pub async fn open_database(config: &Config) -> anyhow::Result<DatabaseConnection> {
    let db = store::connect(&config.database_url)
        .await
        .with_context(|| {
            format!(
                "cannot open the database at DATABASE_URL ({})",
                redact_url(&config.database_url)
            )
        })?;
    store::migrate(&db)
        .await
        .context("migrating the database")?;
    Ok(db)
}

/// Loads the embedded Secure Connected Places campaign when no campaign exists.
async fn seed_default_campaign(db: &DatabaseConnection, clock: &dyn Clock) -> anyhow::Result<()> {
    if store::campaigns::is_empty(db).await? {
        let def = CampaignDefinition::from_toml(DEFAULT_CAMPAIGN_TOML)
            .context("the embedded default campaign")?;
        store::campaigns::import(db, &def, clock.now()).await?;
        tracing::info!(campaign = %def.slug, "seeded the default campaign");
    }
    Ok(())
}

/// Loads the embedded council register when no council exists.
async fn seed_register(db: &DatabaseConnection) -> anyhow::Result<()> {
    if let Some(report) = crate::councils::seed_if_empty(db)
        .await
        .context("loading the embedded council register")?
    {
        tracing::info!(
            councils = report.counts.added,
            "loaded the UK local-authority register"
        );
    }
    Ok(())
}

async fn secret_key(db: &DatabaseConnection, config: &Config) -> anyhow::Result<String> {
    if let Some(key) = &config.secret_key {
        return Ok(key.expose().to_string());
    }
    let candidate = hex(&rand::random::<[u8; 32]>());
    let (key, created) = store::settings::generated_secret_key(db, &candidate).await?;
    if created {
        tracing::warn!(
            "SECRET_KEY is not set: generated one and stored it in the database; set SECRET_KEY to manage it yourself"
        );
    } else {
        tracing::warn!(
            "SECRET_KEY is not set: using the key generated earlier and stored in the database"
        );
    }
    Ok(key)
}

/// The URL without its password, for messages.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{user}:***{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_string(),
    }
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
