//! The `surveys` table: surveys; their questions live in `survey_versions`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "surveys")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub campaign_id: i32,
    #[sea_orm(unique)]
    pub slug: String,
    pub title: String,
    pub intro: String,
    pub resource_key: Option<String>,
    pub closed: bool,
    /// Answered by the embeddable "Was this useful?" form, not listed.
    pub embedded: bool,
    /// The Welsh words (`domain::welsh::Welsh`), if any.
    pub welsh: Option<Json>,
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
