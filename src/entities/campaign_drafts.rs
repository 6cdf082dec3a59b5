//! The `campaign_drafts` table: a campaign being edited in the browser, as TOML, with its revision.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "campaign_drafts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub slug: String,
    pub definition: String,
    pub leads: String,
    pub revision: i32,
    pub updated_by: Option<i32>,
    pub updated_at: DateTimeUtc,
    pub last_change: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
