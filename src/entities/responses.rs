//! The `responses` table: one row per acknowledged submission.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "responses")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub reference: String,
    #[sea_orm(unique)]
    pub submission_id: String,
    pub survey_id: i32,
    pub survey_version_id: i32,
    pub organisation_code: Option<String>,
    pub other_organisation_name: Option<String>,
    pub other_organisation_sector: Option<String>,
    pub channel: String,
    /// `en` or `cy`: the language the form was answered in.
    pub language: String,
    pub contact_email: Option<String>,
    pub submitted_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
