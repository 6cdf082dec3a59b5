//! Personal data: the contact emails respondents give with consent. They
//! are deleted once older than the retention period, erased on request,
//! and reported on request (subject access); the answers themselves stay,
//! anonymous. Every purge and erasure is in the audit log, with counts and
//! never the address.

use super::responses::{ResponseDetail, detail};
use super::users::{Actor, Officer};
use crate::domain::reference::Reference;
use crate::entities::{contacts, responses};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};

/// Deletes the contact emails of responses submitted before `cutoff` and
/// records how many in the audit log (when there were any), together.
///
/// # Errors
/// The database's error; then nothing is deleted.
#[tracing::instrument(skip_all)]
pub async fn purge_contacts(
    db: &DatabaseConnection,
    cutoff: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let txn = db.begin().await?;
    let purged = responses::Entity::update_many()
        .col_expr(
            responses::Column::ContactEmail,
            Expr::value(Option::<String>::None),
        )
        .filter(responses::Column::ContactEmail.is_not_null())
        .filter(responses::Column::SubmittedAt.lt(cutoff))
        .exec(&txn)
        .await?
        .rows_affected;
    // Invited contacts not imported again within the period go too.
    let contacts = contacts::Entity::delete_many()
        .filter(contacts::Column::UpdatedAt.lt(cutoff))
        .exec(&txn)
        .await?
        .rows_affected;
    let purged = purged + contacts;
    if purged > 0 {
        let detail = serde_json::json!({
            "contact_emails": purged - contacts, "contacts": contacts, "submitted_before": cutoff,
        });
        super::audit::record(&txn, now, None, "personal_data_purged", detail).await?;
    }
    txn.commit().await?;
    Ok(purged)
}

/// The responses whose contact email is `email` (compared without case).
fn with_email(email: &str) -> sea_orm::Select<responses::Entity> {
    let lowered = Func::lower(Expr::col(responses::Column::ContactEmail));
    let matches = ExprTrait::eq(Expr::expr(lowered), email.trim().to_lowercase());
    responses::Entity::find().filter(matches)
}

/// Erases `email` from every response it was given with, deletes the
/// campaigns' contacts with it, and records the erasure (who, how many;
/// not the address), together. Returns how many responses held it and how
/// many contacts were deleted.
///
/// # Errors
/// The database's error; then nothing is erased.
#[tracing::instrument(skip_all)]
pub async fn erase_contact(
    db: &DatabaseConnection,
    email: &str,
    (actor, now): (Actor, DateTime<Utc>),
) -> Result<(u64, u64), DbErr> {
    let txn = db.begin().await?;
    let ids: Vec<i64> = with_email(email)
        .all(&txn)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    let erased = if ids.is_empty() {
        0
    } else {
        responses::Entity::update_many()
            .col_expr(
                responses::Column::ContactEmail,
                Expr::value(Option::<String>::None),
            )
            .filter(responses::Column::Id.is_in(ids))
            .exec(&txn)
            .await?
            .rows_affected
    };
    let contacts = contacts::Entity::delete_many()
        .filter(contacts::Column::Email.eq(email.trim().to_lowercase()))
        .exec(&txn)
        .await?
        .rows_affected;
    let via = if actor.is_some() { "web" } else { "cli" };
    let detail = serde_json::json!({ "responses": erased, "contacts": contacts, "via": via });
    super::audit::record(&txn, now, actor, "personal_data_erased", detail).await?;
    txn.commit().await?;
    Ok((erased, contacts))
}

/// Everything held about an email address.
#[derive(Debug, Clone, serde::Serialize)]
pub struct HeldAbout {
    /// The address asked about, as given.
    pub email: String,
    /// The responses it was given with, oldest first, with their answers.
    pub responses: Vec<ResponseDetail>,
    /// The officer account with this address, if there is one.
    pub officer: Option<Officer>,
    /// The campaigns that invite it, with what was sent.
    pub contacts: Vec<ContactHeld>,
}

/// A campaign's contact with this address, and the emails sent to it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ContactHeld {
    /// The campaign inviting it.
    pub campaign: String,
    /// The council's code or the organisation's name.
    pub organisation: String,
    /// The name given with it.
    pub name: Option<String>,
    /// When the personal link was first followed.
    pub link_followed_at: Option<DateTime<Utc>>,
    /// When it unsubscribed.
    pub unsubscribed_at: Option<DateTime<Utc>>,
    /// Each email: its kind and when it was sent.
    pub emails: Vec<(String, Option<DateTime<Utc>>)>,
}

/// What the service holds about `email`: responses given with it as a
/// contact address, and an officer account (subject access).
///
/// # Errors
/// The database's error.
#[tracing::instrument(skip_all)]
pub async fn held_about(db: &impl ConnectionTrait, email: &str) -> Result<HeldAbout, DbErr> {
    let rows = with_email(email)
        .order_by_asc(responses::Column::SubmittedAt)
        .order_by_asc(responses::Column::Id)
        .all(db)
        .await?;
    let mut held = Vec::with_capacity(rows.len());
    for row in rows {
        let Some(reference) = Reference::parse(&row.reference) else {
            continue;
        };
        if let Some(found) = detail(db, &reference).await? {
            held.push(found);
        }
    }
    let officer = super::users::by_email(db, &email.trim().to_lowercase()).await?;
    Ok(HeldAbout {
        email: email.to_string(),
        responses: held,
        officer,
        contacts: contacts_held(db, email).await?,
    })
}

async fn contacts_held(db: &impl ConnectionTrait, email: &str) -> Result<Vec<ContactHeld>, DbErr> {
    let rows = contacts::Entity::find()
        .filter(contacts::Column::Email.eq(email.trim().to_lowercase()))
        .order_by_asc(contacts::Column::Id)
        .all(db)
        .await?;
    let mut held = Vec::with_capacity(rows.len());
    for row in rows {
        let campaign = super::campaigns::outline(db, row.campaign_id).await?;
        let emails = super::contacts::ledger::by_contact(db, row.campaign_id)
            .await?
            .remove(&row.id)
            .unwrap_or_default()
            .into_iter()
            .map(|d| (d.kind, d.sent_at))
            .collect();
        held.push(ContactHeld {
            campaign: campaign.slug,
            organisation: row
                .organisation_code
                .or(row.organisation_name)
                .unwrap_or_default(),
            name: row.name,
            link_followed_at: row.link_followed_at,
            unsubscribed_at: row.unsubscribed_at,
            emails,
        });
    }
    Ok(held)
}
