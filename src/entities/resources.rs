//! The `resources` table: the published resources of a campaign; `workstreams` is a JSON list of keys.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "resources")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub campaign_id: i32,
    pub key: String,
    pub title: String,
    pub description: String,
    pub url: Option<String>,
    pub workstreams: Json,
    /// The Welsh words (`domain::welsh::Welsh`), if any.
    pub welsh: Option<Json>,
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
