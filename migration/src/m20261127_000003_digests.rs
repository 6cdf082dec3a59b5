//! Digests: who gets which workstream's digest how often, and the ledger of
//! deliveries that makes each period go out exactly once.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("digest_subscriptions")
                    .col(pk_auto("id"))
                    .col(integer("user_id"))
                    .col(integer("campaign_id"))
                    .col(string("workstream_key"))
                    .col(string("frequency"))
                    .col(boolean("skip_empty"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("digest_subscriptions", "user_id")
                            .to("users", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("digest_subscriptions", "campaign_id")
                            .to("campaigns", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("digest_subscriptions_unique")
                    .table("digest_subscriptions")
                    .col("user_id")
                    .col("campaign_id")
                    .col("workstream_key")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("digest_deliveries")
                    .col(big_pk_auto("id"))
                    .col(integer("subscription_id"))
                    .col(timestamp_with_time_zone("period_start"))
                    .col(timestamp_with_time_zone("period_end"))
                    .col(string("status"))
                    .col(integer("attempts"))
                    .col(text_null("last_error"))
                    .col(timestamp_with_time_zone("next_attempt_at"))
                    .col(timestamp_with_time_zone_null("lease_until"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("sent_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("digest_deliveries", "subscription_id")
                            .to("digest_subscriptions", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("digest_deliveries_period")
                    .table("digest_deliveries")
                    .col("subscription_id")
                    .col("period_start")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("digest_deliveries_due")
                    .table("digest_deliveries")
                    .col("status")
                    .col("next_attempt_at")
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("digest_deliveries").to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table("digest_subscriptions").to_owned())
            .await?;
        Ok(())
    }
}
