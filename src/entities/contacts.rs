//! The `contacts` table: a council's contact a campaign invites (personal
//! data), found by the hash of the token in its personal link.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "contacts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub campaign_id: i32,
    pub email: String,
    pub organisation_code: Option<String>,
    pub organisation_name: Option<String>,
    pub name: Option<String>,
    pub nonce: String,
    #[sea_orm(unique)]
    pub token_hash: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub link_followed_at: Option<DateTimeUtc>,
    pub unsubscribed_at: Option<DateTimeUtc>,
    pub failed_at: Option<DateTimeUtc>,
    pub failure: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
