//! Reaching the councils: an invitation to each contact with a personal
//! link, reminders to those whose council has not responded, each email
//! sent exactly once through the outreach ledger, by the same mailer and
//! with the same retry rules as the digests.
//!
//! [`invite`] and [`remind`] only record what is due; [`deliver`] sends
//! whatever is recorded and pending. The scheduler inside `serve` runs
//! [`remind`] and [`deliver`] every few minutes; `invitations send` and
//! `reminders run` call them once.

pub mod contacts;
mod email;
mod overview;

use crate::digest::RETRY_FOR;
use crate::domain::availability::Availability;
use crate::domain::contact::ReminderRule;
use crate::domain::token::{TokenSigner, token_hash};
use crate::mail::{Mailer, SendError};
use crate::store::campaigns::CampaignOutline;
use crate::store::contacts::{self as store_contacts, Contact, ledger};
use crate::store::digests::Outcome;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{DatabaseConnection, DbErr};
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

pub use email::{Letter, render};
pub use overview::{ContactStatus, overview};

/// What outreach needs from the configuration and the instance.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `MAIL_FROM` and the base URL for links.
    pub digest: crate::digest::Settings,
    /// `REMINDER_AFTER_DAYS` and `REMINDER_MAX`.
    pub rule: ReminderRule,
    /// `DIGEST_TIMEZONE`: campaigns open and close on local dates.
    pub timezone: chrono_tz::Tz,
    /// `OPERATOR_NAME`, named in every email as who sends it.
    pub operator: Option<String>,
    /// Derives each contact's link token.
    pub signer: TokenSigner,
}

impl Settings {
    /// Reads them from the configuration, with the instance's signer.
    pub fn new(config: &crate::config::Config, signer: TokenSigner) -> Self {
        Self {
            digest: crate::digest::Settings::from_config(config),
            rule: config.reminders,
            timezone: config.timezone,
            operator: config.operator.name.clone(),
            signer,
        }
    }

    /// A new contact's (nonce, hash of its link's token).
    pub fn new_link(&self) -> (String, String) {
        let nonce = crate::domain::token::hex(&rand::random::<[u8; 16]>());
        let hash = token_hash(&self.signer.contact_token(&nonce));
        (nonce, hash)
    }

    fn open(&self, campaign: &CampaignOutline, now: DateTime<Utc>) -> Availability {
        let today = now.with_timezone(&self.timezone).date_naive();
        Availability::on(today, campaign.opens_on, campaign.closes_on, false)
    }
}

/// Why outreach could not go on.
#[derive(Debug, thiserror::Error)]
pub enum OutreachError {
    /// The database failed.
    #[error("database: {0}")]
    Db(#[from] DbErr),
    /// No campaign has this slug.
    #[error("there is no campaign {0:?}: `campaign list` shows their slugs")]
    UnknownCampaign(String),
    /// The campaign takes no responses now.
    #[error("{0} is closed: invitations are sent only while a campaign is open")]
    Closed(String),
    /// An email template failed to render: a bug.
    #[error("email template: {0:#}")]
    Template(#[from] minijinja::Error),
}

/// What one run did: for `invitations send --dry-run`, who would get one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Emails recorded to send in this run.
    pub recorded: usize,
    /// Emails sent.
    pub sent: usize,
    /// Attempts that will be retried.
    pub retrying: usize,
    /// Emails given up on (shown on the contact).
    pub failed: usize,
    /// With a dry run: the addresses that would be invited.
    pub would_invite: Vec<String>,
}

/// Records an invitation for each contact of the campaign that has none
/// and can be written to, then sends them (unless `dry_run`).
///
/// # Errors
/// [`OutreachError`]: an unknown or closed campaign, the database, a template.
pub async fn invite(
    db: &DatabaseConnection,
    mailer: &Mailer,
    settings: &Settings,
    slug: &str,
    (now, dry_run): (DateTime<Utc>, bool),
) -> Result<Report, OutreachError> {
    let campaign_id = crate::store::campaigns::id_of(db, slug)
        .await?
        .ok_or_else(|| OutreachError::UnknownCampaign(slug.to_string()))?;
    let campaign = crate::store::campaigns::outline(db, campaign_id).await?;
    if !dry_run && matches!(settings.open(&campaign, now), Availability::Closed(_)) {
        return Err(OutreachError::Closed(campaign.title));
    }
    let sent = ledger::by_contact(db, campaign_id).await?;
    let mut report = Report::default();
    for contact in store_contacts::list(db, campaign_id).await? {
        let invited = sent
            .get(&contact.id)
            .is_some_and(|d| d.iter().any(|d| d.kind == ledger::INVITATION));
        if invited || !contact.reachable() {
            continue;
        }
        if dry_run {
            report.would_invite.push(contact.email);
        } else if ledger::record(db, contact.id, ledger::INVITATION, now).await? {
            report.recorded += 1;
        }
    }
    if !dry_run {
        deliver(db, mailer, settings, now, &mut report).await?;
    }
    Ok(report)
}

/// Records the reminder each contact is due (their council has not
/// responded, the campaign is open, the rule's days have passed), in every
/// campaign or `only` one, then sends every pending email. With
/// `now_first`, first reminders go without waiting their days
/// (`reminders run --now`).
///
/// # Errors
/// The database's error, a template bug.
pub async fn remind(
    db: &DatabaseConnection,
    mailer: &Mailer,
    settings: &Settings,
    (now, now_first): (DateTime<Utc>, bool),
    only: Option<i32>,
) -> Result<Report, OutreachError> {
    let mut report = Report::default();
    for campaign in crate::store::campaigns::outlines(db).await? {
        if only.is_some_and(|id| id != campaign.id) || !settings.open(&campaign, now).is_open() {
            continue;
        }
        let sent = ledger::by_contact(db, campaign.id).await?;
        let responded = store_contacts::responded(db, campaign.id).await?;
        for contact in store_contacts::list(db, campaign.id).await? {
            if !contact.reachable() || contact.has_responded(&responded) {
                continue;
            }
            let Some(history) = sent.get(&contact.id) else {
                continue;
            };
            let emails: Vec<_> = history.iter().filter(|d| d.status == "sent").collect();
            if !emails.iter().any(|d| d.kind == ledger::INVITATION) {
                continue;
            }
            let reminders = u32::try_from(history.len().saturating_sub(1)).unwrap_or(u32::MAX);
            let last = emails.iter().filter_map(|d| d.sent_at).max().unwrap_or(now);
            if history.iter().any(|d| d.status == "pending") {
                continue;
            }
            if let Some(n) = settings.rule.due(reminders, last, now, now_first)
                && ledger::record(db, contact.id, &ledger::reminder(n), now).await?
            {
                report.recorded += 1;
            }
        }
    }
    deliver(db, mailer, settings, now, &mut report).await?;
    Ok(report)
}

/// The councils (by code) and other organisations (by name) that have
/// responded to a campaign.
type Responded = (HashSet<String>, HashSet<String>);

/// Sends every pending email this process can claim.
async fn deliver(
    db: &DatabaseConnection,
    mailer: &Mailer,
    settings: &Settings,
    now: DateTime<Utc>,
    report: &mut Report,
) -> Result<(), OutreachError> {
    // Each campaign's outline and who has responded, read once per run.
    let mut campaigns: HashMap<i32, (CampaignOutline, Responded)> = HashMap::new();
    for delivery in ledger::due(db, now).await? {
        if !ledger::claim(db, delivery.id, now).await? {
            continue;
        }
        let outcome = match store_contacts::by_id(db, delivery.contact_id).await? {
            Some(contact) => {
                let campaign = match campaigns.entry(contact.campaign_id) {
                    Entry::Occupied(known) => known.into_mut(),
                    Entry::Vacant(slot) => slot.insert((
                        crate::store::campaigns::outline(db, contact.campaign_id).await?,
                        store_contacts::responded(db, contact.campaign_id).await?,
                    )),
                };
                attempt(db, mailer, settings, (&contact, campaign), &delivery, now).await?
            }
            None => Outcome::Failed("the contact was removed".into()),
        };
        match &outcome {
            Outcome::Sent | Outcome::Skipped => report.sent += 1,
            Outcome::Retry(..) => report.retrying += 1,
            Outcome::Failed(_) => report.failed += 1,
        }
        ledger::finish(db, delivery.id, outcome, now).await?;
    }
    Ok(())
}

async fn attempt(
    db: &DatabaseConnection,
    mailer: &Mailer,
    settings: &Settings,
    (contact, (campaign, responded)): (&Contact, &(CampaignOutline, Responded)),
    delivery: &ledger::Delivery,
    now: DateTime<Utc>,
) -> Result<Outcome, OutreachError> {
    if !contact.reachable() {
        return Ok(Outcome::Failed(
            "no longer sent: the contact unsubscribed".into(),
        ));
    }
    let is_reminder = delivery.kind != ledger::INVITATION;
    if is_reminder && (contact.has_responded(responded) || !settings.open(campaign, now).is_open())
    {
        return Ok(Outcome::Failed(
            "no longer sent: the council responded or the campaign closed".into(),
        ));
    }
    let organisation = match &contact.organisation_code {
        Some(code) => crate::store::organisations::name(db, code)
            .await?
            .unwrap_or_else(|| code.clone()),
        None => contact.organisation_name.clone().unwrap_or_default(),
    };
    let letter = Letter {
        contact,
        organisation: &organisation,
        campaign,
        reminder: is_reminder,
        token: settings.signer.contact_token(&contact.nonce),
        operator: settings.operator.as_deref(),
    };
    let message_id = format!(
        "<outreach-{}@{}>",
        delivery.id,
        crate::mail::host_of(&settings.digest.base_url)
    );
    let email = render(&letter, &settings.digest.base_url, message_id)?;
    Ok(match mailer.send(&settings.digest.from, &email).await {
        Ok(()) => {
            tracing::info!(delivery_id = delivery.id, kind = %delivery.kind, "outreach email sent");
            Outcome::Sent
        }
        Err(SendError::Transient(e)) if now - delivery.created_at < RETRY_FOR => {
            let wait = Duration::minutes((1i64 << delivery.attempts.clamp(0, 6)).min(60));
            tracing::warn!(delivery_id = delivery.id, error = %e, "outreach email not sent; will retry");
            Outcome::Retry(now + wait, e)
        }
        Err(SendError::Transient(e) | SendError::Permanent(e)) => {
            tracing::error!(delivery_id = delivery.id, error = %e, "outreach email failed");
            store_contacts::failed(db, contact.id, &e, now).await?;
            Outcome::Failed(e)
        }
    })
}

/// Sends due reminders and retries every five minutes until the process stops.
pub async fn scheduler(
    db: DatabaseConnection,
    mailer: Mailer,
    settings: Settings,
    clock: std::sync::Arc<dyn crate::domain::clock::Clock>,
) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(300));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        match remind(&db, &mailer, &settings, (clock.now(), false), None).await {
            Ok(report) if report != Report::default() => tracing::info!(?report, "outreach"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "outreach run failed; will try again"),
        }
    }
}
