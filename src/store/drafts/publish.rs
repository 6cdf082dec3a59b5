//! The audited ends of a draft: publishing it (the import's rules, the
//! leads' subscriptions and the draft's removal in one transaction),
//! trying a publish without keeping it, discarding it, and replacing it
//! with an uploaded definition.

use super::{Draft, Leads, SaveError, get};
use crate::entities::campaign_drafts as drafts;
use crate::store::audit;
use crate::store::campaigns::{ImportError, ImportReport, import_within};
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait, QueryFilter,
    TransactionTrait,
};
use serde_json::json;

/// Why a draft was not published; nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// The draft changed (or went) since the editor read what would change.
    #[error("the draft changed since you opened it")]
    Stale,
    /// A rule of the import refused it.
    #[error("{0}")]
    Refused(String),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl From<ImportError> for PublishError {
    fn from(e: ImportError) -> Self {
        match e {
            ImportError::Conflict(message) => Self::Refused(message),
            ImportError::Db(e) => Self::Db(e),
        }
    }
}

/// Deletes the draft as it was at its revision; refused if it moved on.
async fn take(txn: &DatabaseTransaction, draft: &Draft) -> Result<(), PublishError> {
    let taken = drafts::Entity::delete_many()
        .filter(drafts::Column::Id.eq(draft.id))
        .filter(drafts::Column::Revision.eq(draft.revision))
        .exec(txn)
        .await?;
    if taken.rows_affected == 1 {
        Ok(())
    } else {
        Err(PublishError::Stale)
    }
}

/// Publishes `draft` as it was at its revision: imports it, makes each
/// workstream's leads those of the draft, deletes the draft and records
/// who published and what changed, all in one transaction.
///
/// # Errors
/// [`PublishError::Stale`] when the draft was saved, published or
/// discarded meanwhile; [`PublishError::Refused`] with the import's rule.
pub async fn publish(
    db: &DatabaseConnection,
    draft: &Draft,
    changes: &[String],
    (by, now): (i32, DateTime<Utc>),
) -> Result<ImportReport, PublishError> {
    let txn = db.begin().await?;
    take(&txn, draft).await?;
    let report = import_within(&txn, &draft.definition, now).await?;
    let campaign_id = crate::store::campaigns::id_of(&txn, &draft.definition.slug)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(draft.definition.slug.clone()))?;
    crate::store::digests::set_leads(&txn, campaign_id, &draft.leads, now).await?;
    let versions: Vec<String> = report
        .new_versions
        .iter()
        .map(|(slug, v)| format!("{slug} version {v}"))
        .collect();
    let detail = json!({
        "campaign": draft.definition.slug,
        "changes": changes.join(" "),
        "new_versions": versions.join(", "),
    });
    audit::record(&txn, now, Some(by), "campaign_published", detail).await?;
    txn.commit().await?;
    Ok(report)
}

/// What publishing `draft` would do, found by doing it in a transaction
/// that is then rolled back: the new versions, or the rule it breaks.
///
/// # Errors
/// [`PublishError::Refused`] with the import's rule; the database's error.
pub async fn try_publish(
    db: &DatabaseConnection,
    draft: &Draft,
    now: DateTime<Utc>,
) -> Result<ImportReport, PublishError> {
    let txn = db.begin().await?;
    let report = import_within(&txn, &draft.definition, now).await;
    txn.rollback().await?;
    Ok(report?)
}

/// Deletes the draft at `revision`, recording who discarded it.
///
/// # Errors
/// [`PublishError::Stale`] when it was saved, published or discarded meanwhile.
pub async fn discard(
    db: &DatabaseConnection,
    draft: &Draft,
    (by, now): (i32, DateTime<Utc>),
) -> Result<(), PublishError> {
    let txn = db.begin().await?;
    take(&txn, draft).await?;
    let detail = json!({
        "campaign": draft.definition.slug,
        "revision": draft.revision,
        "last_change": draft.last_change,
    });
    audit::record(&txn, now, Some(by), "campaign_draft_discarded", detail).await?;
    txn.commit().await?;
    Ok(())
}

/// Opens a draft of an uploaded definition, recording who uploaded what.
/// An open draft is never replaced: it is published or discarded first.
///
/// # Errors
/// [`SaveError::Stale`] with the open draft; the database's error.
pub async fn upload(
    db: &DatabaseConnection,
    definition: &crate::domain::campaign::CampaignDefinition,
    leads: &Leads,
    (by, now): (i32, DateTime<Utc>),
    file_name: &str,
) -> Result<Draft, SaveError> {
    let txn = db.begin().await?;
    if let Some(open) = get(&txn, &definition.slug).await? {
        return Err(SaveError::Stale(Box::new(open)));
    }
    let change = format!("uploaded {file_name}");
    let draft = super::create(&txn, definition, leads, (by, now), &change).await?;
    let detail = json!({
        "campaign": definition.slug,
        "file": file_name,
        "surveys": definition.surveys.len(),
    });
    audit::record(&txn, now, Some(by), "campaign_uploaded", detail).await?;
    txn.commit().await?;
    Ok(draft)
}
