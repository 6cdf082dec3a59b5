//! The application: its shared state, start-up (migrate, seed the default
//! campaign and the council register, secret key)
//! and serving with graceful shutdown.

use crate::config::Config;
use crate::domain::campaign::{CampaignDefinition, DEFAULT_CAMPAIGN_TOML};
use crate::domain::clock::{Clock, SystemClock};
use crate::domain::token::{TokenSigner, hex};
use crate::store::{self, writer::ResponseWriter};
use crate::web::public::cache::{PageCache, TtlMap};
use crate::web::state::Shared;
use crate::web::{self, AppState, rate_limit::RateLimiter};
use anyhow::Context;
use sea_orm::DatabaseConnection;
use std::future::Future;
use std::sync::Arc;
use tokio::net::TcpListener;

/// A built application, bound to its port and ready to serve.
pub struct Application {
    listener: TcpListener,
    /// `METRICS_ADDR`'s listener, when metrics are served apart.
    metrics_listener: Option<TcpListener>,
    state: AppState,
    /// The schedulers' own connection ([`store::connect_background`]).
    background: DatabaseConnection,
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
        let signer = signer(&db, &config).await?;
        let background = store::connect_background(&config.database_url).await?;
        let listener = TcpListener::bind(config.bind_addr)
            .await
            .with_context(|| format!("cannot listen on BIND_ADDR {}", config.bind_addr))?;
        let metrics_listener = match config.metrics_addr {
            Some(addr) => Some(
                TcpListener::bind(addr)
                    .await
                    .with_context(|| format!("cannot listen on METRICS_ADDR {addr}"))?,
            ),
            None => None,
        };
        let mailer = crate::mail::Mailer::from_config(&config).map_err(anyhow::Error::msg)?;
        let digest = crate::digest::Settings::from_config(&config);
        let outreach = crate::outreach::Settings::new(&config, signer.clone());
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
            outreach,
            submit_limiter: RateLimiter::per_minute(config.submit_rate_limit),
            api_limiter: RateLimiter::per_minute(config.api_rate_limit),
            survey_pages: PageCache::new(config.survey_page_cache_seconds),
            survey_records: TtlMap::new(config.survey_page_cache_seconds),
            config: Arc::new(config),
            signer,
            clock,
            metrics: crate::telemetry::metrics_handle(),
        }));
        Ok(Self {
            listener,
            metrics_listener,
            state,
            background,
        })
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

    /// The port metrics are served on apart (`METRICS_ADDR`), if any.
    pub fn metrics_port(&self) -> Option<u16> {
        let addr = self.metrics_listener.as_ref()?.local_addr().ok()?;
        Some(addr.port())
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
        let upkeep = tokio::spawn(upkeep(self.state.clone()));
        let s = &self.state;
        let digests = tokio::spawn(crate::digest::scheduler(
            self.background.clone(),
            s.mailer.clone(),
            s.digest.clone(),
            s.clock.clone(),
        ));
        let outreach = tokio::spawn(crate::outreach::scheduler(
            self.background.clone(),
            s.mailer.clone(),
            s.outreach.clone(),
            s.clock.clone(),
        ));
        let webhooks = tokio::spawn(crate::webhook::scheduler(
            self.background.clone(),
            s.clock.clone(),
        ));
        let metrics = self.metrics_listener.map(|listener| {
            let router = web::ops::metrics_router(self.state.clone());
            tokio::spawn(async move { axum::serve(listener, router).await })
        });
        let max_connections =
            web::serve::fit_open_file_limit(self.state.config.max_connections as usize);
        let router = web::router(self.state);
        let served = web::serve::serve(self.listener, router, max_connections, shutdown).await;
        housekeeping.abort();
        upkeep.abort();
        digests.abort();
        outreach.abort();
        webhooks.abort();
        if let Some(metrics) = metrics {
            metrics.abort();
        }
        served
    }
}

/// At start-up and every ten minutes after: deletes contact details past
/// `RETENTION_DAYS`, expired sessions and sign-in failures older than their
/// window.
async fn housekeeping(state: AppState) {
    // The first tick is at once: personal data past its time goes at start-up.
    let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
    loop {
        every.tick().await;
        let now = state.clock.now();
        let contacts = crate::personal::purge(&state.db, state.config.retention_days, now).await;
        let sessions =
            store::sessions::purge(&state.db, now, state.config.session_lifetimes()).await;
        let failures = store::sign_in::purge(&state.db, now).await;
        match (contacts, sessions, failures) {
            (Ok(c), Ok(s), Ok(f)) => {
                tracing::debug!(contacts = c, sessions = s, failures = f, "housekeeping");
            }
            (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
                tracing::warn!(error = %e, "housekeeping failed; will try again in ten minutes");
            }
        }
    }
}

/// Every second, folds the request-duration samples into their buckets
/// (the recorder keeps every sample until then, and nothing says
/// `/metrics` is scraped); every ten, hands freed memory back to the
/// system ([`crate::memory::trim`]).
async fn upkeep(state: AppState) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(1));
    for tick in 0u64.. {
        every.tick().await;
        state.metrics.run_upkeep();
        if tick % 10 == 9 {
            crate::memory::trim();
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
            added = report.counts.added,
            updated = report.counts.updated,
            "loaded the UK local-authority register shipped with the service"
        );
    }
    Ok(())
}

/// The instance's signer, over `SECRET_KEY` or the key generated and kept
/// in the database: the server and the command line sign alike.
///
/// # Errors
/// The database's error.
pub async fn signer(db: &DatabaseConnection, config: &Config) -> anyhow::Result<TokenSigner> {
    Ok(TokenSigner::new(secret_key(db, config).await?.as_bytes()))
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
