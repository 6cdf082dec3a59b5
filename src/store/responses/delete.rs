//! Deleting a response (spam, a mistake) with the audit record that says
//! who deleted it, and what it counted taken off the tallies, in one
//! transaction.

use crate::domain::reference::Reference;
use crate::domain::tally;
use crate::entities::{answers, responses, surveys};
use crate::store::tallies;
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, TransactionTrait};

/// Deletes a response and its answers and records who did it, all or
/// nothing; false when there was no such response.
///
/// # Errors
/// The database's error; then nothing is deleted.
#[tracing::instrument(skip_all)]
pub async fn delete_recorded(
    db: &DatabaseConnection,
    reference: &Reference,
    officer_id: i32,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let txn = db.begin().await?;
    let Some(r) = responses::Entity::find()
        .filter(responses::Column::Reference.eq(reference.as_str()))
        .one(&txn)
        .await?
    else {
        return Ok(false);
    };
    let survey = surveys::Entity::find_by_id(r.survey_id)
        .one(&txn)
        .await?
        .map(|s| s.slug)
        .unwrap_or_default();
    let stored = answers::Entity::find()
        .filter(answers::Column::ResponseId.eq(r.id))
        .all(&txn)
        .await?;
    let answered: Vec<_> = stored.iter().filter_map(tallies::stored_answer).collect();
    let counted = tally::of_response(&answered);
    tallies::change(&txn, (r.survey_id, r.survey_version_id), counted, -1).await?;
    answers::Entity::delete_many()
        .filter(answers::Column::ResponseId.eq(r.id))
        .exec(&txn)
        .await?;
    responses::Entity::delete_by_id(r.id).exec(&txn).await?;
    let detail = serde_json::json!({ "reference": reference.as_str(), "survey": survey });
    crate::store::audit::record(&txn, now, Some(officer_id), "response_deleted", detail).await?;
    txn.commit().await?;
    Ok(true)
}
