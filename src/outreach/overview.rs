//! Each contact of a campaign as the outreach page lists it: who, for
//! which organisation, what was sent, whether the link was followed and
//! the organisation responded, and anything that stops mail to it.

use crate::store::contacts::{self, ledger};
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr};
use std::collections::HashMap;

/// One contact's outreach so far.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ContactStatus {
    /// The address.
    pub email: String,
    /// The person's name, when given.
    pub name: Option<String>,
    /// The organisation, by name.
    pub organisation: String,
    /// The council's code, for council contacts.
    pub code: Option<String>,
    /// When the invitation was sent.
    pub invited_at: Option<DateTime<Utc>>,
    /// Whether an invitation is waiting to go (or to be retried).
    pub pending: bool,
    /// Reminders sent.
    pub reminders: usize,
    /// When the personal link was first followed.
    pub followed_at: Option<DateTime<Utc>>,
    /// Whether the organisation has responded.
    pub responded: bool,
    /// When they unsubscribed.
    pub unsubscribed_at: Option<DateTime<Utc>>,
    /// Why mail to them failed for good.
    pub failure: Option<String>,
}

/// Every contact of a campaign, by address.
///
/// # Errors
/// The database's error.
pub async fn overview(
    db: &impl ConnectionTrait,
    campaign_id: i32,
) -> Result<Vec<ContactStatus>, DbErr> {
    let sent = ledger::by_contact(db, campaign_id).await?;
    let responded = contacts::responded(db, campaign_id).await?;
    let names: HashMap<String, String> = crate::store::organisations::current_councils(db)
        .await?
        .into_iter()
        .map(|c| (c.code, c.name))
        .collect();
    let empty = Vec::new();
    Ok(contacts::list(db, campaign_id)
        .await?
        .into_iter()
        .map(|c| {
            let history = sent.get(&c.id).unwrap_or(&empty);
            let done = |d: &&ledger::Delivery| d.status == "sent";
            ContactStatus {
                invited_at: history
                    .iter()
                    .filter(done)
                    .find(|d| d.kind == ledger::INVITATION)
                    .and_then(|d| d.sent_at),
                pending: history.iter().any(|d| d.status == "pending"),
                reminders: history
                    .iter()
                    .filter(done)
                    .filter(|d| d.kind != ledger::INVITATION)
                    .count(),
                responded: c.has_responded(&responded),
                organisation: match (&c.organisation_code, &c.organisation_name) {
                    (Some(code), _) => names.get(code).cloned().unwrap_or_else(|| code.clone()),
                    (None, name) => name.clone().unwrap_or_default(),
                },
                code: c.organisation_code,
                email: c.email,
                name: c.name,
                followed_at: c.link_followed_at,
                unsubscribed_at: c.unsubscribed_at,
                failure: c.failure,
            }
        })
        .collect())
}
