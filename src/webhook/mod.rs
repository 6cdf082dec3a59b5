//! Pushing responses to other systems: every stored response becomes a
//! `response.created` event for each live endpoint of its campaign, posted
//! as JSON signed per the Standard Webhooks specification (`webhook-id`,
//! `webhook-timestamp`, `webhook-signature`), at least once.
//!
//! Nothing here runs in a submission: a scheduler inside `serve` records
//! events from the responses table and sends them, so a slow or failing
//! receiver never slows a respondent. Failures are retried with backoff
//! (1, 2, 4 … up to 60 minutes, for three days); an endpoint that fails
//! [`DISABLE_AFTER`] times in a row is turned off, shown to admins with
//! the reason, until an admin resends.

use crate::digest::RETRY_FOR;
use crate::domain::webhook::sign;
use crate::store::digests::Outcome;
use crate::store::webhooks::{self, Delivery};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{DatabaseConnection, DbErr};
use std::time::Duration as StdDuration;

/// Failed attempts in a row that turn an endpoint off.
pub const DISABLE_AFTER: i32 = 20;
/// How long a receiver has to answer.
const TIMEOUT: StdDuration = StdDuration::from_secs(10);

/// The HTTP client that posts events (rustls with ring, the system's roots).
///
/// # Errors
/// A TLS set-up the platform cannot give.
pub fn client() -> Result<reqwest::Client, String> {
    install_crypto();
    reqwest::Client::builder()
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent("campaign-feedback webhooks")
        .build()
        .map_err(|e| format!("the webhook client: {e}"))
}

/// Makes ring the process's TLS provider (the one lettre uses too), once;
/// every HTTP client needs one.
pub fn install_crypto() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Report {
    /// Events recorded from new responses.
    pub recorded: usize,
    /// Events the endpoints took.
    pub sent: usize,
    /// Attempts that will be retried.
    pub retrying: usize,
    /// Endpoints turned off in this run.
    pub disabled: usize,
}

/// Records events for new responses and sends every due one this process
/// can claim.
///
/// # Errors
/// The database's error.
pub async fn run(
    db: &DatabaseConnection,
    client: &reqwest::Client,
    now: DateTime<Utc>,
) -> Result<Report, DbErr> {
    let mut report = Report {
        recorded: webhooks::enqueue(db, now).await?,
        ..Report::default()
    };
    for delivery in webhooks::due(db, now).await? {
        if !webhooks::claim(db, delivery.id, now).await? {
            continue;
        }
        let outcome = attempt(db, client, &delivery, now).await?;
        match outcome {
            Outcome::Sent | Outcome::Skipped => report.sent += 1,
            _ => report.retrying += 1,
        }
        if webhooks::finish(db, &delivery, outcome, (now, DISABLE_AFTER)).await? {
            tracing::warn!(
                endpoint = delivery.endpoint_id,
                "webhook endpoint disabled after failing"
            );
            report.disabled += 1;
        }
    }
    Ok(report)
}

async fn attempt(
    db: &DatabaseConnection,
    client: &reqwest::Client,
    delivery: &Delivery,
    now: DateTime<Utc>,
) -> Result<Outcome, DbErr> {
    let Some((endpoint, secret)) = webhooks::with_secret(db, delivery.endpoint_id).await? else {
        return Ok(Outcome::Failed("the endpoint was removed".into()));
    };
    let Some(row) = crate::store::export::one(db, delivery.response_id).await? else {
        return Ok(Outcome::Failed("the response was deleted".into()));
    };
    let id = format!("msg_{}", delivery.id);
    let body = serde_json::to_vec(&serde_json::json!({
        "type": "response.created",
        "timestamp": now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "data": crate::export::jsonl::record(&row, false, None),
    }))
    .unwrap_or_default();
    let timestamp = now.timestamp();
    let signature = match sign(&secret, &id, timestamp, &body) {
        Ok(signature) => signature,
        Err(e) => return Ok(Outcome::Failed(e)),
    };
    let sent = client
        .post(&endpoint.url)
        .header("content-type", "application/json")
        .header("webhook-id", &id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(body)
        .send()
        .await;
    let error = match sent {
        Ok(response) if response.status().is_success() => return Ok(Outcome::Sent),
        Ok(response) => format!("the endpoint answered {}", response.status()),
        Err(e) => format!("the endpoint could not be reached: {e}"),
    };
    if now - delivery.created_at >= RETRY_FOR {
        return Ok(Outcome::Failed(error));
    }
    let wait = Duration::minutes((1i64 << delivery.attempts.clamp(0, 6)).min(60));
    Ok(Outcome::Retry(now + wait, error))
}

/// Runs every two seconds until the process stops.
pub async fn scheduler(
    db: DatabaseConnection,
    clock: std::sync::Arc<dyn crate::domain::clock::Clock>,
) {
    let client = match client() {
        Ok(client) => client,
        Err(e) => {
            tracing::error!(error = %e, "webhooks are not sent");
            return;
        }
    };
    let mut every = tokio::time::interval(StdDuration::from_secs(2));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        match run(&db, &client, clock.now()).await {
            Ok(report) if report != Report::default() => tracing::info!(?report, "webhooks"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "webhook run failed; will try again"),
        }
    }
}
