//! The running tallies of each survey version's answers (`answer_tallies`,
//! what `domain::tally` counts): changed in the transaction that stores,
//! completes or deletes a response, read by the results page when it looks
//! at a whole survey or one version of it.

use crate::domain::answer::{Answer, AnswerValue};
use crate::domain::question::QuestionKind;
use crate::domain::tally::Tally;
use crate::entities::answers;
use crate::store::filter::SqlBuilder;
use crate::store::shaped_chunks;
use sea_orm::{ConnectionTrait, DbErr, Statement};
use std::collections::BTreeMap;

/// Most rows in one upsert (in chunks of a few fixed sizes, see
/// [`shaped_chunks`]): six values each, far under both databases' limits.
const ROWS_PER_UPSERT: usize = 128;
/// Rows each count is split over (see the migration): PostgreSQL's writers
/// committing side by side seldom wait on each other's rows.
const SHARDS: i16 = 8;

/// Changes to the tallies, summed by survey, version, key and value before
/// they are written, and written in that order: two transactions changing
/// the same tallies lock them in the same order, never in a cycle.
#[derive(Debug, Default)]
pub struct Changes(BTreeMap<Counted, i64>);

/// What a tally row counts: survey id, version id, question key, value.
type Counted = (i32, i32, String, String);

impl Changes {
    /// Counts `tallies` of a response to `survey_id` in `version_id`,
    /// `by` times (−1 takes a response away).
    pub fn count(&mut self, (survey_id, version_id): (i32, i32), tallies: Vec<Tally>, by: i64) {
        for (key, value) in tallies {
            *self
                .0
                .entry((survey_id, version_id, key, value))
                .or_default() += by;
        }
    }

    /// Writes the changes inside the caller's transaction, to one shard
    /// drawn at random.
    ///
    /// # Errors
    /// The database's error; the caller's transaction then writes nothing.
    pub async fn apply(self, db: &impl ConnectionTrait) -> Result<(), DbErr> {
        let rows: Vec<_> = self.0.into_iter().filter(|(_, n)| *n != 0).collect();
        let shard = rand::random_range(0..SHARDS);
        for chunk in shaped_chunks(&rows, ROWS_PER_UPSERT) {
            db.execute_raw(upsert(db.get_database_backend(), chunk, shard))
                .await?;
        }
        Ok(())
    }
}

/// Counts the tallies of one response `by` times (−1 takes it away),
/// inside the caller's transaction.
///
/// # Errors
/// The database's error; the caller's transaction then writes nothing.
pub async fn change(
    db: &impl ConnectionTrait,
    survey_and_version: (i32, i32),
    tallies: Vec<Tally>,
    by: i64,
) -> Result<(), DbErr> {
    let mut changes = Changes::default();
    changes.count(survey_and_version, tallies, by);
    changes.apply(db).await
}

fn upsert(backend: sea_orm::DbBackend, rows: &[(Counted, i64)], shard: i16) -> Statement {
    let mut sql = SqlBuilder::new(
        backend,
        "INSERT INTO answer_tallies (survey_id, survey_version_id, question_key, value, shard, n) \
         VALUES ",
    );
    for (i, ((survey, version, key, value), n)) in rows.iter().enumerate() {
        sql.push(if i == 0 { "(" } else { ", (" })
            .bind(*survey)
            .push(", ")
            .bind(*version)
            .push(", ")
            .bind(key.clone())
            .push(", ")
            .bind(value.clone())
            .push(", ")
            .bind(shard)
            .push(", ")
            .bind(*n)
            .push(")");
    }
    sql.push(
        " ON CONFLICT (survey_id, survey_version_id, question_key, value, shard) \
         DO UPDATE SET n = answer_tallies.n + excluded.n",
    );
    sql.build()
}

/// A stored answer as the domain has it, to take away what it counted;
/// `None` for a kind or value this version of the service does not know.
pub fn stored_answer(row: &answers::Model) -> Option<Answer> {
    let value = match (&row.number_value, &row.text_value, &row.list_value) {
        (Some(n), _, _) => AnswerValue::Number(*n),
        (None, Some(text), _) => AnswerValue::Text(text.clone()),
        (None, None, Some(list)) => {
            AnswerValue::List(serde_json::from_value(list.clone()).unwrap_or_default())
        }
        (None, None, None) => return None,
    };
    Some(Answer {
        key: row.question_key.clone(),
        kind: QuestionKind::parse(&row.kind)?,
        value,
    })
}

/// The tallies of one survey (by slug), or of one version of it: rows of
/// `question_key`, `value` and their count `n`, none of them zero.
pub(crate) fn select(backend: sea_orm::DbBackend, slug: &str, version: Option<i32>) -> Statement {
    let mut sql = SqlBuilder::new(
        backend,
        "SELECT t.question_key AS question_key, t.value AS value, CAST(SUM(t.n) AS BIGINT) AS n \
         FROM answer_tallies t JOIN surveys s ON s.id = t.survey_id \
         JOIN survey_versions v ON v.id = t.survey_version_id WHERE s.slug = ",
    );
    sql.bind(slug.to_string());
    if let Some(version) = version {
        sql.push(" AND v.version = ").bind(version);
    }
    sql.push(" GROUP BY t.question_key, t.value HAVING SUM(t.n) <> 0");
    sql.build()
}
