//! The `organisations` table: the UK local-authority register.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "organisations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub code: String,
    pub gss_code: String,
    pub name: String,
    pub nation: String,
    pub region: String,
    pub org_type: String,
    pub current: bool,
    /// The name people use ("Bradford"); none before the register gave one.
    pub short_name: Option<String>,
    /// Other spellings, comma-separated, for the picker's search.
    pub alt_names: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
