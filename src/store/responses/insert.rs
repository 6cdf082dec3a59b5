//! The inserts behind [`super::store_batch`]: one `INSERT … ON CONFLICT DO
//! NOTHING RETURNING` for a batch's responses and one for their answers,
//! references drawn again for the rare clash, copies resolved in memory.

use super::{NewResponse, Stored, WriteError};
use crate::domain::answer::{AnswerValue, OrganisationAnswer, Submission};
use crate::domain::availability::Availability;
use crate::domain::reference::Reference;
use crate::domain::tally;
use crate::entities::{answers, responses};
use crate::store::filter::SqlBuilder;
use crate::store::shaped_chunks;
use crate::store::tallies::Changes;
use chrono::NaiveDate;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, FromQueryResult,
    QueryFilter,
};
use std::collections::HashMap;

/// References drawn before giving up (a clash is one in billions).
pub(super) const ATTEMPTS: usize = 5;
/// Most answer rows in one `INSERT`, well under both databases' bound-value
/// limits.
const ANSWERS_PER_INSERT: usize = 512;

/// Stores a batch inside `txn`: first copies of each submission id only,
/// surveys that take submissions that day only, then each later copy fares
/// as its first did; what the new ones count is added to the running
/// tallies. The outcomes are in the batch's order.
pub(super) async fn insert_batch(
    txn: &DatabaseTransaction,
    batch: &[NewResponse],
    surveys: &HashMap<i32, SurveyState>,
) -> Result<Vec<Stored>, WriteError> {
    let mut outcomes: Vec<Option<Stored>> = vec![None; batch.len()];
    let mut pending = open_first_copies(batch, surveys, &mut outcomes);
    for _ in 0..ATTEMPTS {
        if pending.is_empty() {
            break;
        }
        pending = insert_round(txn, batch, pending, &mut outcomes).await?;
    }
    if !pending.is_empty() {
        return Err(WriteError::NoFreeReference);
    }
    let mut tallies = Changes::default();
    for (new, outcome) in batch.iter().zip(&outcomes) {
        if let Some(Stored::New(_)) = outcome {
            let counted = tally::of_response(&new.submission.answers);
            tallies.count((new.survey_id, new.version_id), counted, 1);
        }
    }
    tallies.apply(txn).await?;
    copies_as_first(batch, outcomes)
}

/// The first copy of each submission id, in id order (concurrent batches
/// then take the unique index's locks in one order, never in a cycle),
/// leaving out, with their outcome, those whose survey does not take
/// submissions that day: checked as they are stored, so a survey closed a
/// moment ago takes nothing more whatever the handler saw.
fn open_first_copies(
    batch: &[NewResponse],
    surveys: &HashMap<i32, SurveyState>,
    outcomes: &mut [Option<Stored>],
) -> Vec<usize> {
    let id_of = |i: usize| batch[i].submission_id.as_str();
    let mut pending: Vec<usize> = (0..batch.len()).collect();
    pending.sort_by(|&a, &b| id_of(a).cmp(id_of(b)).then(a.cmp(&b)));
    pending.dedup_by(|later, first| id_of(*later) == id_of(*first));
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
        if open.is_open() {
            true
        } else {
            outcomes[i] = Some(Stored::NotOpen(open));
            false
        }
    });
    pending
}

/// One attempt: inserts `pending` with freshly drawn references and their
/// answers; those already stored by anyone get their reference. Returns
/// the ones whose reference was taken, to draw again.
async fn insert_round(
    txn: &DatabaseTransaction,
    batch: &[NewResponse],
    pending: Vec<usize>,
    outcomes: &mut [Option<Stored>],
) -> Result<Vec<usize>, WriteError> {
    let id_of = |i: usize| batch[i].submission_id.as_str();
    let references: Vec<Reference> = pending
        .iter()
        .map(|_| Reference::generate(&mut rand::rng()))
        .collect();
    let rows: Vec<responses::ActiveModel> = pending
        .iter()
        .zip(&references)
        .map(|(&i, reference)| response_row(&batch[i], reference))
        .collect();
    let mut inserted: HashMap<String, i64> = HashMap::new();
    for chunk in shaped_chunks(&rows, usize::MAX) {
        // `DO NOTHING` on either unique key keeps the transaction usable.
        let rows = responses::Entity::insert_many(chunk.to_vec())
            .on_conflict(OnConflict::new().do_nothing().to_owned())
            .exec_with_returning(txn)
            .await?;
        inserted.extend(rows.into_iter().map(|r| (r.submission_id, r.id)));
    }
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
    for chunk in shaped_chunks(&answers, ANSWERS_PER_INSERT) {
        answers::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(txn)
            .await?;
    }
    let stored_before =
        references_for_submissions(txn, not_inserted.iter().map(|&i| id_of(i))).await?;
    // What is neither inserted nor stored before drew a taken reference.
    Ok(not_inserted
        .into_iter()
        .filter(|&i| match stored_before.get(id_of(i)) {
            Some(reference) => {
                outcomes[i] = Some(Stored::Existing(reference.clone()));
                false
            }
            None => true,
        })
        .collect())
}

/// Every outcome in the batch's order, later copies of a submission id
/// faring as the first copy did.
fn copies_as_first(
    batch: &[NewResponse],
    mut outcomes: Vec<Option<Stored>>,
) -> Result<Vec<Stored>, WriteError> {
    let id_of = |i: usize| batch[i].submission_id.as_str();
    let mut first: HashMap<&str, Stored> = HashMap::new();
    for (i, outcome) in outcomes.iter().enumerate() {
        if let Some(stored) = outcome {
            let copy = match stored {
                Stored::New(r) | Stored::Existing(r) => Stored::Existing(r.clone()),
                Stored::NotOpen(m) => Stored::NotOpen(*m),
            };
            first.insert(id_of(i), copy);
        }
    }
    let all: Option<Vec<Stored>> = (0..batch.len())
        .map(|i| outcomes[i].take().or_else(|| first.get(id_of(i)).cloned()))
        .collect();
    all.ok_or(WriteError::NoFreeReference)
}

/// What decides whether a survey takes submissions.
#[derive(Debug, FromQueryResult)]
pub(super) struct SurveyState {
    id: i32,
    closed: bool,
    opens_on: Option<NaiveDate>,
    closes_on: Option<NaiveDate>,
}

/// The open/closed state of each survey the batch answers, by survey id.
pub(super) async fn survey_states(
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
        language: Set(new.language.code().to_string()),
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
