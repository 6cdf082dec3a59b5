//! Outreach: the councils' contacts a campaign invites (personal data, kept
//! under the retention rules), the ledger that sends each invitation and
//! reminder exactly once, and surveys answered by the embeddable form.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("contacts")
                    .col(pk_auto("id"))
                    .col(integer("campaign_id"))
                    .col(string("email"))
                    .col(string_null("organisation_code"))
                    .col(string_null("organisation_name"))
                    .col(string_null("name"))
                    .col(string("nonce"))
                    .col(string_uniq("token_hash"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(timestamp_with_time_zone_null("link_followed_at"))
                    .col(timestamp_with_time_zone_null("unsubscribed_at"))
                    .col(timestamp_with_time_zone_null("failed_at"))
                    .col(text_null("failure"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("contacts", "campaign_id")
                            .to("campaigns", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("contacts_campaign_email")
                    .table("contacts")
                    .col("campaign_id")
                    .col("email")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("outreach_deliveries")
                    .col(big_pk_auto("id"))
                    .col(integer("contact_id"))
                    .col(string("kind"))
                    .col(string("status"))
                    .col(integer("attempts"))
                    .col(text_null("last_error"))
                    .col(timestamp_with_time_zone("next_attempt_at"))
                    .col(timestamp_with_time_zone_null("lease_until"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("sent_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("outreach_deliveries", "contact_id")
                            .to("contacts", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("outreach_deliveries_once")
                    .table("outreach_deliveries")
                    .col("contact_id")
                    .col("kind")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("surveys")
                    .add_column(boolean("embedded").default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("surveys")
                    .drop_column("embedded")
                    .to_owned(),
            )
            .await?;
        for table in ["outreach_deliveries", "contacts"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
