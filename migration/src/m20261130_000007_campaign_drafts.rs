//! Drafts of campaigns being set up or changed in the browser: the whole
//! definition as TOML (the format `campaign import` takes), the leads to
//! subscribe on publishing, and a revision that stops two editors
//! overwriting each other.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("campaign_drafts")
                    .col(pk_auto("id"))
                    .col(string_uniq("slug"))
                    .col(text("definition"))
                    .col(text("leads"))
                    .col(integer("revision"))
                    .col(integer_null("updated_by"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(text("last_change"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("campaign_drafts", "updated_by")
                            .to("users", "id")
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("campaign_drafts").to_owned())
            .await
    }
}
