//! Storing responses, idempotent on the form's submission id, several to a
//! transaction when they arrive together (see `store::writer`).

use crate::domain::answer::{AnswerValue, OrganisationAnswer, Submission};
use crate::domain::reference::Reference;
use crate::entities::{answers, responses};
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait,
    QueryFilter, TransactionTrait, TryInsertResult,
};

/// A response ready to store.
#[derive(Debug, Clone)]
pub struct NewResponse {
    /// The survey answered.
    pub survey_id: i32,
    /// The version whose questions were answered.
    pub version_id: i32,
    /// From the form token: the same form sent twice has the same id.
    pub submission_id: String,
    /// The answers.
    pub submission: Submission,
    /// `web`, `api` or `invite`.
    pub channel: &'static str,
    /// When it was received.
    pub submitted_at: DateTime<Utc>,
}

/// The outcome of [`store`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// Stored now, under this reference.
    New(Reference),
    /// The same submission was already stored under this reference.
    Existing(Reference),
}

impl Stored {
    /// The reference, new or not.
    pub fn reference(&self) -> &Reference {
        match self {
            Self::New(r) | Self::Existing(r) => r,
        }
    }
}

/// References drawn before giving up (a clash is one in billions).
const ATTEMPTS: usize = 5;
/// Answer rows per `INSERT`, well under both databases' bound-value limits.
const ANSWERS_PER_INSERT: usize = 1000;

/// Stores one response and its answers in one transaction, or finds the one
/// already stored for the same submission id.
///
/// # Errors
/// The database's error; nothing is half-written.
pub async fn store(db: &DatabaseConnection, new: NewResponse) -> Result<Stored, DbErr> {
    let mut stored = store_batch(db, std::slice::from_ref(&new)).await?;
    stored
        .pop()
        .ok_or_else(|| DbErr::Custom("a batch of one stored nothing".into()))
}

/// Stores responses and their answers in one transaction, so one commit
/// (one fsync) makes them all durable. Each is stored once per submission
/// id: one stored before, by anyone, or earlier in the batch, gives the
/// reference it was stored under. The outcomes are in the batch's order.
///
/// # Errors
/// The database's error; then none of the batch is written.
#[tracing::instrument(skip_all, fields(responses = batch.len()))]
pub async fn store_batch(
    db: &DatabaseConnection,
    batch: &[NewResponse],
) -> Result<Vec<Stored>, DbErr> {
    // In submission-id order, so concurrent batches take the unique index's
    // locks in the same order and never wait on each other in a cycle.
    let mut order: Vec<usize> = (0..batch.len()).collect();
    order.sort_by(|&a, &b| batch[a].submission_id.cmp(&batch[b].submission_id));
    let txn = db.begin().await?;
    let mut outcomes = vec![None; batch.len()];
    let mut rows = Vec::new();
    for i in order {
        let (stored, response_id) = insert_response(&txn, &batch[i]).await?;
        if let Some(id) = response_id {
            rows.extend(answer_rows(id, &batch[i].submission));
        }
        outcomes[i] = Some(stored);
    }
    for chunk in rows.chunks(ANSWERS_PER_INSERT) {
        answers::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(outcomes.into_iter().flatten().collect())
}

/// Inserts the response row under a fresh reference, or finds the row
/// already there for its submission id. `ON CONFLICT DO NOTHING` keeps the
/// transaction usable when either unique key clashes.
async fn insert_response(
    txn: &DatabaseTransaction,
    new: &NewResponse,
) -> Result<(Stored, Option<i64>), DbErr> {
    let (code, other_name, other_sector) = match &new.submission.organisation {
        Some(OrganisationAnswer::Council(code)) => (Some(code.clone()), None, None),
        Some(OrganisationAnswer::Other { name, sector }) => {
            (None, Some(name.clone()), Some(sector.clone()))
        }
        None => (None, None, None),
    };
    for _ in 0..ATTEMPTS {
        let reference = Reference::generate(&mut rand::rng());
        let row = responses::ActiveModel {
            id: NotSet,
            reference: Set(reference.to_string()),
            submission_id: Set(new.submission_id.clone()),
            survey_id: Set(new.survey_id),
            survey_version_id: Set(new.version_id),
            organisation_code: Set(code.clone()),
            other_organisation_name: Set(other_name.clone()),
            other_organisation_sector: Set(other_sector.clone()),
            channel: Set(new.channel.to_string()),
            contact_email: Set(new.submission.contact_email.clone()),
            submitted_at: Set(new.submitted_at),
        };
        let inserted = responses::Entity::insert(row)
            .on_conflict(OnConflict::new().do_nothing().to_owned())
            .try_insert()
            .exec(txn)
            .await?;
        if let TryInsertResult::Inserted(row) = inserted {
            return Ok((Stored::New(reference), Some(row.last_insert_id)));
        }
        if let Some(existing) = reference_for_submission(txn, &new.submission_id).await? {
            return Ok((Stored::Existing(existing), None));
        }
        // Not the submission id: the reference was taken. Draw another.
    }
    Err(DbErr::Custom("could not allocate a reference".into()))
}

fn answer_rows(
    response_id: i64,
    submission: &Submission,
) -> impl Iterator<Item = answers::ActiveModel> + '_ {
    submission.answers.iter().map(move |a| {
        let (number, text, list) = match &a.value {
            AnswerValue::Number(n) => (Some(*n), None, None),
            AnswerValue::Text(t) => (None, Some(t.clone()), None),
            AnswerValue::List(l) => (None, None, Some(serde_json::json!(l))),
        };
        answers::ActiveModel {
            id: NotSet,
            response_id: Set(response_id),
            question_key: Set(a.key.clone()),
            kind: Set(a.kind.as_str().to_string()),
            number_value: Set(number),
            text_value: Set(text),
            list_value: Set(list),
        }
    })
}

/// The reference of the response stored for a submission id, if any.
///
/// # Errors
/// The database's error.
pub async fn reference_for_submission(
    db: &impl ConnectionTrait,
    submission_id: &str,
) -> Result<Option<Reference>, DbErr> {
    let row = responses::Entity::find()
        .filter(responses::Column::SubmissionId.eq(submission_id))
        .one(db)
        .await?;
    Ok(row.and_then(|r| Reference::parse(&r.reference)))
}

/// Whether a response with this reference exists for this survey.
///
/// # Errors
/// The database's error.
pub async fn exists(
    db: &impl ConnectionTrait,
    survey_id: i32,
    reference: &Reference,
) -> Result<bool, DbErr> {
    let row = responses::Entity::find()
        .filter(responses::Column::Reference.eq(reference.as_str()))
        .filter(responses::Column::SurveyId.eq(survey_id))
        .one(db)
        .await?;
    Ok(row.is_some())
}

/// A stored response with its answers, for officers.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ResponseDetail {
    /// Its reference.
    pub reference: String,
    /// The survey's slug.
    pub survey: String,
    /// The survey's id.
    pub survey_id: i32,
    /// The version number answered.
    pub version: i32,
    /// The questions of that version.
    pub questions: Vec<crate::domain::question::Question>,
    /// When it was submitted.
    pub submitted_at: DateTime<Utc>,
    /// The council's code, if a council.
    pub organisation_code: Option<String>,
    /// The other organisation's name, if not a council.
    pub other_organisation_name: Option<String>,
    /// The other organisation's sector.
    pub other_organisation_sector: Option<String>,
    /// The consented contact email.
    pub contact_email: Option<String>,
    /// `web`, `api` or `invite`.
    pub channel: String,
    /// (question key, answer as text), in the order stored.
    pub answers: Vec<(String, String)>,
}

/// A response by reference, with its answers.
///
/// # Errors
/// The database's error.
#[tracing::instrument(skip_all)]
pub async fn detail(
    db: &impl ConnectionTrait,
    reference: &Reference,
) -> Result<Option<ResponseDetail>, DbErr> {
    use crate::entities::{survey_versions, surveys};
    use sea_orm::QueryOrder;
    let Some(r) = responses::Entity::find()
        .filter(responses::Column::Reference.eq(reference.as_str()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let survey = surveys::Entity::find_by_id(r.survey_id).one(db).await?;
    let version = survey_versions::Entity::find_by_id(r.survey_version_id)
        .one(db)
        .await?;
    let answers = answers::Entity::find()
        .filter(answers::Column::ResponseId.eq(r.id))
        .order_by_asc(answers::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|a| {
            let value = match (a.number_value, a.text_value, a.list_value) {
                (Some(n), _, _) => n.to_string(),
                (_, Some(t), _) => t,
                (_, _, Some(list)) => serde_json::from_value::<Vec<String>>(list)
                    .unwrap_or_default()
                    .join("; "),
                _ => String::new(),
            };
            (a.question_key, value)
        })
        .collect();
    Ok(Some(ResponseDetail {
        reference: r.reference,
        survey: survey.map(|s| s.slug).unwrap_or_default(),
        survey_id: r.survey_id,
        version: version.as_ref().map_or(0, |v| v.version),
        questions: match &version {
            Some(v) => super::surveys::questions_of(v)?,
            None => Vec::new(),
        },
        submitted_at: r.submitted_at,
        organisation_code: r.organisation_code,
        other_organisation_name: r.other_organisation_name,
        other_organisation_sector: r.other_organisation_sector,
        contact_email: r.contact_email,
        channel: r.channel,
        answers,
    }))
}

/// Deletes a response and its answers; false when there was none.
///
/// # Errors
/// The database's error.
#[tracing::instrument(skip_all)]
pub async fn delete(db: &impl ConnectionTrait, reference: &Reference) -> Result<bool, DbErr> {
    let Some(r) = responses::Entity::find()
        .filter(responses::Column::Reference.eq(reference.as_str()))
        .one(db)
        .await?
    else {
        return Ok(false);
    };
    answers::Entity::delete_many()
        .filter(answers::Column::ResponseId.eq(r.id))
        .exec(db)
        .await?;
    responses::Entity::delete_by_id(r.id).exec(db).await?;
    Ok(true)
}
