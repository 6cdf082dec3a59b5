//! The follow-up of an embedded answer: after "No", what was missing is
//! added to the same response, once, and to the tallies.

use crate::domain::question::QuestionKind;
use crate::domain::tally;
use crate::entities::{answers, responses};
use crate::store::tallies;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, TransactionTrait,
};

/// Adds a long-text answer to the response stored with `submission_id`;
/// false when there is no such response or it has that answer already.
///
/// # Errors
/// The database's error; then nothing is added.
pub async fn add_follow_up(
    db: &DatabaseConnection,
    submission_id: &str,
    question_key: &str,
    text: &str,
) -> Result<bool, DbErr> {
    let txn = db.begin().await?;
    let Some(response) = responses::Entity::find()
        .filter(responses::Column::SubmissionId.eq(submission_id))
        .one(&txn)
        .await?
    else {
        return Ok(false);
    };
    let answered = answers::Entity::find()
        .filter(answers::Column::ResponseId.eq(response.id))
        .filter(answers::Column::QuestionKey.eq(question_key))
        .count(&txn)
        .await?;
    if answered > 0 {
        return Ok(false);
    }
    let answer = answers::ActiveModel {
        id: NotSet,
        response_id: Set(response.id),
        question_key: Set(question_key.to_string()),
        kind: Set(QuestionKind::LongText.as_str().to_string()),
        number_value: Set(None),
        text_value: Set(Some(text.to_string())),
        list_value: Set(None),
    }
    .insert(&txn)
    .await?;
    if let Some(answer) = tallies::stored_answer(&answer) {
        let version = (response.survey_id, response.survey_version_id);
        tallies::change(&txn, version, tally::of_answer(&answer), 1).await?;
    }
    txn.commit().await?;
    Ok(true)
}
