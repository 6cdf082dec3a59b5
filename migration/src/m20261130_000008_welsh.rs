//! Welsh: the Welsh words of campaigns, workstreams, resources and surveys
//! (questions keep theirs in their version's JSON), and the language each
//! response was given in (`en` for every response before).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const WORDED: [&str; 4] = ["campaigns", "workstreams", "resources", "surveys"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in WORDED {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(json_null("welsh"))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table("responses")
                    .add_column(string_len("language", 2).default("en"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("responses")
                    .drop_column("language")
                    .to_owned(),
            )
            .await?;
        for table in WORDED {
            manager
                .alter_table(Table::alter().table(table).drop_column("welsh").to_owned())
                .await?;
        }
        Ok(())
    }
}
