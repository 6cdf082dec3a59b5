//! Storing responses, idempotent on the form's submission id, several to a
//! transaction when they arrive together (see `store::writer`).

use super::filter::SqlBuilder;
use crate::domain::answer::{AnswerValue, OrganisationAnswer, Submission};
use crate::domain::availability::Availability;
use crate::domain::reference::Reference;
use crate::entities::{answers, responses};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait,
    FromQueryResult, QueryFilter, TransactionTrait,
};
use std::collections::HashMap;

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
    /// The local date it was received, against which the campaign's dates
    /// and the survey's own switch are checked when it is stored.
    pub received_on: NaiveDate,
}

/// The outcome of [`store`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// Stored now, under this reference.
    New(Reference),
    /// The same submission was already stored under this reference.
    Existing(Reference),
    /// Not stored: the survey does not take submissions that day (the
    /// message says why, for the respondent).
    NotOpen(String),
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
/// (one fsync) makes them all durable, with one `INSERT` for the responses
/// and one for their answers whatever the batch's size. Each is stored once
/// per submission id: one stored before, by anyone, or earlier in the
/// batch, gives the reference it was stored under. The outcomes are in the
/// batch's order.
///
/// # Errors
/// The database's error; then none of the batch is written.
#[tracing::instrument(skip_all, fields(responses = batch.len()))]
pub async fn store_batch(
    db: &DatabaseConnection,
    batch: &[NewResponse],
) -> Result<Vec<Stored>, DbErr> {
    // Read before the transaction: on SQLite a transaction that reads first
    // cannot take the write lock if another process wrote meanwhile.
    let surveys = survey_states(db, batch).await?;
    let txn = db.begin().await?;
    let outcomes = insert_batch(&txn, batch, &surveys).await?;
    txn.commit().await?;
    Ok(outcomes)
}

async fn insert_batch(
    txn: &DatabaseTransaction,
    batch: &[NewResponse],
    surveys: &HashMap<i32, SurveyState>,
) -> Result<Vec<Stored>, DbErr> {
    let id_of = |i: usize| batch[i].submission_id.as_str();
    // The first copy of each submission id, in id order: concurrent batches
    // then take the unique index's locks in one order, never in a cycle.
    let mut pending: Vec<usize> = (0..batch.len()).collect();
    pending.sort_by(|&a, &b| id_of(a).cmp(id_of(b)).then(a.cmp(&b)));
    pending.dedup_by(|later, first| id_of(*later) == id_of(*first));
    let mut outcomes: Vec<Option<Stored>> = vec![None; batch.len()];
    // Checked as they are stored, so a survey closed a moment ago takes
    // nothing more whatever the handler saw.
    pending.retain(|&i| {
        let new = &batch[i];
        let Some(state) = surveys.get(&new.survey_id) else {
            return true; // no such survey: the foreign key refuses it
        };
        let open = Availability::on(
            new.received_on,
            state.opens_on,
            state.closes_on,
            state.closed,
        );
        match open.message() {
            Some(message) => {
                outcomes[i] = Some(Stored::NotOpen(message));
                false
            }
            None => true,
        }
    });
    for _ in 0..ATTEMPTS {
        if pending.is_empty() {
            break;
        }
        let references: Vec<Reference> = pending
            .iter()
            .map(|_| Reference::generate(&mut rand::rng()))
            .collect();
        let rows = pending
            .iter()
            .zip(&references)
            .map(|(&i, reference)| response_row(&batch[i], reference));
        // `DO NOTHING` on either unique key keeps the transaction usable.
        let inserted = responses::Entity::insert_many(rows)
            .on_conflict(OnConflict::new().do_nothing().to_owned())
            .exec_with_returning(txn)
            .await?;
        let inserted: HashMap<&str, i64> = inserted
            .iter()
            .map(|r| (r.submission_id.as_str(), r.id))
            .collect();
        let mut answers = Vec::new();
        let mut not_inserted = Vec::new();
        for (&i, reference) in pending.iter().zip(references) {
            match inserted.get(id_of(i)) {
                Some(&id) => {
                    answers.extend(answer_rows(id, &batch[i].submission));
                    outcomes[i] = Some(Stored::New(reference));
                }
                None => not_inserted.push(i),
            }
        }
        for chunk in answers.chunks(ANSWERS_PER_INSERT) {
            answers::Entity::insert_many(chunk.to_vec())
                .exec_without_returning(txn)
                .await?;
        }
        let stored_before =
            references_for_submissions(txn, not_inserted.iter().map(|&i| id_of(i))).await?;
        // What is neither inserted nor stored before drew a taken reference.
        pending = not_inserted
            .into_iter()
            .filter(|&i| match stored_before.get(id_of(i)) {
                Some(reference) => {
                    outcomes[i] = Some(Stored::Existing(reference.clone()));
                    false
                }
                None => true,
            })
            .collect();
    }
    if !pending.is_empty() {
        return Err(DbErr::Custom("could not allocate a reference".into()));
    }
    // Later copies in the batch fare as the first copy did.
    let mut first: HashMap<&str, Stored> = HashMap::new();
    for (i, outcome) in outcomes.iter().enumerate() {
        if let Some(stored) = outcome {
            let copy = match stored {
                Stored::New(r) | Stored::Existing(r) => Stored::Existing(r.clone()),
                Stored::NotOpen(m) => Stored::NotOpen(m.clone()),
            };
            first.insert(id_of(i), copy);
        }
    }
    (0..batch.len())
        .map(|i| match outcomes[i].take() {
            Some(stored) => Ok(stored),
            None => first
                .get(id_of(i))
                .cloned()
                .ok_or_else(|| DbErr::Custom("a copy in the batch lost its first".into())),
        })
        .collect()
}

/// What decides whether a survey takes submissions.
#[derive(Debug, FromQueryResult)]
struct SurveyState {
    id: i32,
    closed: bool,
    opens_on: Option<NaiveDate>,
    closes_on: Option<NaiveDate>,
}

/// The open/closed state of each survey the batch answers, by survey id.
async fn survey_states(
    db: &impl ConnectionTrait,
    batch: &[NewResponse],
) -> Result<HashMap<i32, SurveyState>, DbErr> {
    let mut ids: Vec<i32> = batch.iter().map(|r| r.survey_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut sql = SqlBuilder::new(
        db.get_database_backend(),
        "SELECT s.id, s.closed, c.opens_on, c.closes_on FROM surveys s \
         JOIN campaigns c ON c.id = s.campaign_id WHERE s.id IN (",
    );
    for (n, id) in ids.into_iter().enumerate() {
        if n > 0 {
            sql.push(", ");
        }
        sql.bind(id);
    }
    sql.push(")");
    let rows = SurveyState::find_by_statement(sql.build()).all(db).await?;
    Ok(rows.into_iter().map(|r| (r.id, r)).collect())
}

fn response_row(new: &NewResponse, reference: &Reference) -> responses::ActiveModel {
    let (code, other_name, other_sector) = match &new.submission.organisation {
        Some(OrganisationAnswer::Council(code)) => (Some(code.clone()), None, None),
        Some(OrganisationAnswer::Other { name, sector }) => {
            (None, Some(name.clone()), Some(sector.clone()))
        }
        None => (None, None, None),
    };
    responses::ActiveModel {
        id: NotSet,
        reference: Set(reference.to_string()),
        submission_id: Set(new.submission_id.clone()),
        survey_id: Set(new.survey_id),
        survey_version_id: Set(new.version_id),
        organisation_code: Set(code),
        other_organisation_name: Set(other_name),
        other_organisation_sector: Set(other_sector),
        channel: Set(new.channel.to_string()),
        contact_email: Set(new.submission.contact_email.clone()),
        submitted_at: Set(new.submitted_at),
    }
}

/// The references stored for these submission ids, by submission id.
async fn references_for_submissions<'a>(
    db: &impl ConnectionTrait,
    submission_ids: impl Iterator<Item = &'a str>,
) -> Result<HashMap<String, Reference>, DbErr> {
    let ids: Vec<&str> = submission_ids.collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = responses::Entity::find()
        .filter(responses::Column::SubmissionId.is_in(ids))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| Some((r.submission_id, Reference::parse(&r.reference)?)))
        .collect())
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
