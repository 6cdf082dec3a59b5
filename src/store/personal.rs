//! Personal data: the contact emails respondents give with consent. They
//! are deleted once older than the retention period, erased on request,
//! and reported on request (subject access); the answers themselves stay,
//! anonymous. Every purge and erasure is in the audit log, with counts and
//! never the address.

use super::responses::{ResponseDetail, detail};
use super::users::{Actor, Officer};
use crate::domain::reference::Reference;
use crate::entities::responses;
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
    if purged > 0 {
        let detail = serde_json::json!({ "contact_emails": purged, "submitted_before": cutoff });
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

/// Erases `email` from every response it was given with and records the
/// erasure (who, how many; not the address), together. Returns how many
/// responses held it.
///
/// # Errors
/// The database's error; then nothing is erased.
#[tracing::instrument(skip_all)]
pub async fn erase_contact(
    db: &DatabaseConnection,
    email: &str,
    (actor, now): (Actor, DateTime<Utc>),
) -> Result<u64, DbErr> {
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
    let via = if actor.is_some() { "web" } else { "cli" };
    let detail = serde_json::json!({ "responses": erased, "via": via });
    super::audit::record(&txn, now, actor, "personal_data_erased", detail).await?;
    txn.commit().await?;
    Ok(erased)
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
    })
}
