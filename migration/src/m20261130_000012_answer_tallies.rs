//! Running tallies of each survey version's answers, kept in the same
//! transaction as the answers themselves, so the results page reads a few
//! hundred rows instead of every answer (issue 15's soak). Built here from
//! the answers already stored.
//!
//! A row counts one thing for one survey version: with `question_key` and
//! `value` empty, the responses; with `value` empty, the responses that
//! answered the question; otherwise how often that value was chosen. Each
//! count is split over a few `shard` rows, summed when read: PostgreSQL's
//! writers commit side by side, and on one row per count each would wait
//! for the others' commits.

use sea_orm_migration::sea_orm::DbBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Adds to the tallies what a `SELECT` of (survey, version, key, value, n)
/// counted.
fn add(select: &str) -> String {
    format!(
        "INSERT INTO answer_tallies (survey_id, survey_version_id, question_key, value, shard, n) \
         {select} ON CONFLICT (survey_id, survey_version_id, question_key, value, shard) \
         DO UPDATE SET n = answer_tallies.n + excluded.n"
    )
}

const FROM: &str = "FROM answers a JOIN responses r ON r.id = a.response_id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("answer_tallies")
                    .col(integer("survey_id"))
                    .col(integer("survey_version_id"))
                    .col(string("question_key"))
                    .col(text("value"))
                    .col(small_integer("shard"))
                    .col(big_integer("n"))
                    .primary_key(
                        Index::create()
                            .col("survey_id")
                            .col("survey_version_id")
                            .col("question_key")
                            .col("value")
                            .col("shard"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("answer_tallies", "survey_id")
                            .to("surveys", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("answer_tallies", "survey_version_id")
                            .to("survey_versions", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        let chosen = match manager.get_database_backend() {
            DbBackend::Postgres => {
                "CROSS JOIN LATERAL jsonb_array_elements_text(a.list_value::jsonb) AS chosen(value)"
            }
            _ => "JOIN json_each(a.list_value) AS chosen",
        };
        let db = manager.get_connection();
        for select in [
            "SELECT survey_id, survey_version_id, '', '', 0, COUNT(*) FROM responses \
             WHERE TRUE GROUP BY survey_id, survey_version_id"
                .to_string(),
            format!(
                "SELECT r.survey_id, r.survey_version_id, a.question_key, '', 0, COUNT(*) {FROM} \
                 WHERE a.kind IN ('rating', 'nps', 'single', 'yes_no', 'multi', 'text', 'long_text') \
                 GROUP BY r.survey_id, r.survey_version_id, a.question_key"
            ),
            format!(
                "SELECT r.survey_id, r.survey_version_id, a.question_key, \
                 COALESCE(CAST(a.number_value AS TEXT), a.text_value), 0, COUNT(*) {FROM} \
                 WHERE a.kind IN ('rating', 'nps', 'single', 'yes_no') \
                 AND COALESCE(CAST(a.number_value AS TEXT), a.text_value) <> '' \
                 GROUP BY r.survey_id, r.survey_version_id, a.question_key, \
                 COALESCE(CAST(a.number_value AS TEXT), a.text_value)"
            ),
            format!(
                "SELECT r.survey_id, r.survey_version_id, a.question_key, chosen.value, 0, COUNT(*) \
                 {FROM} {chosen} WHERE a.kind = 'multi' AND chosen.value <> '' \
                 GROUP BY r.survey_id, r.survey_version_id, a.question_key, chosen.value"
            ),
        ] {
            db.execute_unprepared(&add(&select)).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("answer_tallies").to_owned())
            .await
    }
}
