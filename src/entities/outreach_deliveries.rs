//! The `outreach_deliveries` table: the ledger: one row per contact and
//! email (the invitation, each reminder), claimed with a lease.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "outreach_deliveries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub contact_id: i32,
    pub kind: String,
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub next_attempt_at: DateTimeUtc,
    pub lease_until: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
