//! The foundation: campaigns, their workstreams, resources and versioned
//! surveys, the local-authority register, responses with typed answers, and
//! instance settings.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(from: (&'static str, &'static str), to: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to, "id")
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

fn unique_index(
    table: &'static str,
    name: &'static str,
    cols: &[&'static str],
) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(table).unique();
    for col in cols {
        index.col(*col);
    }
    index.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("settings")
                    .col(string("key").primary_key())
                    .col(text("value"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("campaigns")
                    .col(pk_auto("id"))
                    .col(string_uniq("slug"))
                    .col(string("title"))
                    .col(text("description"))
                    .col(date_null("opens_on"))
                    .col(date_null("closes_on"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("workstreams")
                    .col(pk_auto("id"))
                    .col(integer("campaign_id"))
                    .col(string("key"))
                    .col(string("name"))
                    .col(integer("position"))
                    .foreign_key(&mut fk(("workstreams", "campaign_id"), "campaigns"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(unique_index(
                "workstreams",
                "workstreams_campaign_key",
                &["campaign_id", "key"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("resources")
                    .col(pk_auto("id"))
                    .col(integer("campaign_id"))
                    .col(string("key"))
                    .col(string("title"))
                    .col(text("description"))
                    .col(text_null("url"))
                    .col(json("workstreams"))
                    .col(integer("position"))
                    .foreign_key(&mut fk(("resources", "campaign_id"), "campaigns"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(unique_index(
                "resources",
                "resources_campaign_key",
                &["campaign_id", "key"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("surveys")
                    .col(pk_auto("id"))
                    .col(integer("campaign_id"))
                    .col(string_uniq("slug"))
                    .col(string("title"))
                    .col(text("intro"))
                    .col(string_null("resource_key"))
                    .col(boolean("closed"))
                    .col(integer("position"))
                    .foreign_key(&mut fk(("surveys", "campaign_id"), "campaigns"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("survey_versions")
                    .col(pk_auto("id"))
                    .col(integer("survey_id"))
                    .col(integer("version"))
                    .col(json("questions"))
                    .col(string("fingerprint"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk(("survey_versions", "survey_id"), "surveys"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(unique_index(
                "survey_versions",
                "survey_versions_survey_version",
                &["survey_id", "version"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("organisations")
                    .col(pk_auto("id"))
                    .col(string_uniq("code"))
                    .col(string("gss_code"))
                    .col(string("name"))
                    .col(string("nation"))
                    .col(string("region"))
                    .col(string("org_type"))
                    .col(boolean("current"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("responses")
                    .col(big_pk_auto("id"))
                    .col(string_uniq("reference"))
                    .col(string_uniq("submission_id"))
                    .col(integer("survey_id"))
                    .col(integer("survey_version_id"))
                    .col(string_null("organisation_code"))
                    .col(string_null("other_organisation_name"))
                    .col(string_null("other_organisation_sector"))
                    .col(string("channel"))
                    .col(string_null("contact_email"))
                    .col(timestamp_with_time_zone("submitted_at"))
                    .foreign_key(&mut fk(("responses", "survey_id"), "surveys"))
                    .foreign_key(&mut fk(
                        ("responses", "survey_version_id"),
                        "survey_versions",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("responses_survey_submitted")
                    .table("responses")
                    .col("survey_id")
                    .col("submitted_at")
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("answers")
                    .col(big_pk_auto("id"))
                    .col(big_integer("response_id"))
                    .col(string("question_key"))
                    .col(string("kind"))
                    .col(integer_null("number_value"))
                    .col(text_null("text_value"))
                    .col(json_null("list_value"))
                    .foreign_key(&mut fk(("answers", "response_id"), "responses"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(unique_index(
                "answers",
                "answers_response_question",
                &["response_id", "question_key"],
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "answers",
            "responses",
            "organisations",
            "survey_versions",
            "surveys",
            "resources",
            "workstreams",
            "campaigns",
            "settings",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
