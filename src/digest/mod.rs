//! Digests for workstream leads: each subscription's periods delivered once.
//!
//! [`deliver_due_digests`] is the whole job, a plain function of the
//! database, the mailer and the time; the scheduler inside `serve` and
//! `campaign-feedback digests run` only decide when to call it.
//!
//! Exactly once: a delivery row is unique per subscription and period, and a
//! process sends it only after claiming its lease; a crash after sending and
//! before recording leaves the lease to expire and the same message (same
//! `Message-ID`) to be sent again, so nothing is lost and a resend is
//! recognisable.

pub mod build;

use crate::config::Config;
use crate::domain::schedule::Schedule;
use crate::mail::{Mailer, SendError};
use crate::store::digests::{self, Outcome, Subscription};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{DatabaseConnection, DbErr};

/// How long after its period ends a digest that keeps failing transiently
/// (server down, 4xx) is retried before it is marked failed: long enough to
/// ride out a mail server's weekend outage.
pub const RETRY_FOR: Duration = Duration::days(3);
/// The longest wait between two attempts.
const MAX_BACKOFF_MINUTES: i64 = 60;

/// What the digest job needs from the configuration.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `MAIL_FROM`.
    pub from: String,
    /// `BASE_URL`, or the bind address, for links.
    pub base_url: String,
    /// When digests are due.
    pub schedule: Schedule,
}

impl Settings {
    /// Reads them from the configuration.
    pub fn from_config(config: &Config) -> Self {
        let base_url = config
            .base_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", config.bind_addr));
        Self {
            from: config.mail_from.clone(),
            base_url,
            schedule: config.schedule.clone(),
        }
    }
}

/// Why a digest could not be built or a run could not go on.
#[derive(Debug, thiserror::Error)]
pub enum DigestError {
    /// The database failed; the run is tried again a minute later.
    #[error("database: {0}")]
    Db(#[from] DbErr),
    /// No workstream has this key (a preview asked for one).
    #[error("no workstream has the key {0:?}")]
    UnknownWorkstream(String),
    /// A digest template failed to render: a bug.
    #[error("digest template: {0:#}")]
    Template(#[from] minijinja::Error),
}

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Report {
    /// Digests sent.
    pub sent: usize,
    /// Empty periods skipped at the subscriber's request.
    pub skipped: usize,
    /// Attempts that will be retried.
    pub retrying: usize,
    /// Deliveries given up on (shown to admins).
    pub failed: usize,
}

/// Records every period that is due (or, with `close_now`, the current one
/// up to `now`, when responses about the workstream's resources came in
/// during it) and sends every pending delivery this process can claim.
///
/// # Errors
/// The database's error; mail errors are recorded on the delivery instead.
#[tracing::instrument(skip_all)]
pub async fn deliver_due_digests(
    db: &DatabaseConnection,
    mailer: &Mailer,
    settings: &Settings,
    now: DateTime<Utc>,
    close_now: bool,
) -> Result<Report, DigestError> {
    let subscriptions = digests::list(db, None).await?;
    for sub in &subscriptions {
        let since = match digests::last_period_end(db, sub.id).await? {
            Some(end) => end,
            None => settings.schedule.first_start(sub.frequency, sub.created_at),
        };
        let period = if close_now {
            // `--now`: everything since the last digest, if anything came in;
            // run twice, the second finds nothing new and sends nothing.
            let new = since < now && digests::responses_between(db, sub, (since, now)).await? > 0;
            new.then_some((since, now))
        } else {
            settings.schedule.due(sub.frequency, since, now)
        };
        if let Some(period) = period {
            digests::record_period(db, sub.id, period, now).await?;
        }
    }
    let mut report = Report::default();
    for delivery in digests::due(db, now).await? {
        if !digests::claim(db, delivery.id, now).await? {
            continue;
        }
        let Some(sub) = subscriptions
            .iter()
            .find(|s| s.id == delivery.subscription_id)
        else {
            digests::finish(
                db,
                delivery.id,
                Outcome::Failed("the subscription's officer is disabled".into()),
                now,
            )
            .await?;
            report.failed += 1;
            continue;
        };
        let period = (delivery.period_start, delivery.period_end);
        let outcome = attempt(
            db,
            mailer,
            settings,
            sub,
            delivery.id,
            period,
            delivery.attempts + 1,
            now,
        )
        .await?;
        match &outcome {
            Outcome::Sent => report.sent += 1,
            Outcome::Skipped => report.skipped += 1,
            Outcome::Retry(..) => report.retrying += 1,
            Outcome::Failed(_) => report.failed += 1,
        }
        digests::finish(db, delivery.id, outcome, now).await?;
    }
    Ok(report)
}

#[allow(clippy::too_many_arguments)]
async fn attempt(
    db: &DatabaseConnection,
    mailer: &Mailer,
    settings: &Settings,
    sub: &Subscription,
    delivery_id: i64,
    period: (DateTime<Utc>, DateTime<Utc>),
    attempt: i32,
    now: DateTime<Utc>,
) -> Result<Outcome, DigestError> {
    let digest = build::build(
        db,
        sub,
        period,
        settings.schedule.timezone(),
        &settings.base_url,
    )
    .await?;
    if digest.new == 0 && sub.skip_empty {
        tracing::info!(delivery_id, "empty period skipped");
        return Ok(Outcome::Skipped);
    }
    let host = crate::mail::host_of(&settings.base_url);
    let message_id = format!("<digest-{delivery_id}-{}@{host}>", period.0.timestamp());
    let email = build::render(&digest, &sub.email, message_id)?;
    Ok(match mailer.send(&settings.from, &email).await {
        Ok(()) => {
            tracing::info!(delivery_id, "digest sent");
            Outcome::Sent
        }
        Err(SendError::Transient(e)) if now - period.1 < RETRY_FOR => {
            let wait =
                Duration::minutes((1i64 << (attempt - 1).clamp(0, 6)).min(MAX_BACKOFF_MINUTES));
            tracing::warn!(delivery_id, attempt, error = %e, "digest not sent; will retry");
            Outcome::Retry(now + wait, e)
        }
        Err(SendError::Transient(e) | SendError::Permanent(e)) => {
            tracing::error!(delivery_id, attempt, error = %e, "digest failed");
            Outcome::Failed(e)
        }
    })
}

/// Runs the job every minute until the process stops.
pub async fn scheduler(
    db: DatabaseConnection,
    mailer: Mailer,
    settings: Settings,
    clock: std::sync::Arc<dyn crate::domain::clock::Clock>,
) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        match deliver_due_digests(&db, &mailer, &settings, clock.now(), false).await {
            Ok(report) if report != Report::default() => tracing::info!(?report, "digests"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "digest run failed; will try again"),
        }
    }
}

/// The digest a workstream's lead would get for the period running now
/// (since the last weekly fire time), for previews.
///
/// # Errors
/// [`DigestError::UnknownWorkstream`]; the database's error; a template bug.
pub async fn preview(
    db: &DatabaseConnection,
    settings: &Settings,
    workstream_key: &str,
    now: DateTime<Utc>,
) -> Result<crate::mail::Email, DigestError> {
    use crate::domain::schedule::Frequency;
    let (campaign_id, name) = digests::workstream(db, workstream_key)
        .await?
        .ok_or_else(|| DigestError::UnknownWorkstream(workstream_key.to_string()))?;
    let start = settings
        .schedule
        .last_fire(Frequency::Weekly, now)
        .unwrap_or(now - Duration::days(7));
    let sub = Subscription {
        id: 0,
        user_id: 0,
        email: "preview@example.invalid".into(),
        campaign_id,
        workstream_key: workstream_key.into(),
        workstream_name: name,
        frequency: Frequency::Weekly,
        skip_empty: false,
        created_at: now,
    };
    let digest = build::build(
        db,
        &sub,
        (start, now),
        settings.schedule.timezone(),
        &settings.base_url,
    )
    .await?;
    Ok(build::render(
        &digest,
        &sub.email,
        "<preview@campaign-feedback>".into(),
    )?)
}
