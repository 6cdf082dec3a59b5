//! Database migrations for campaign-feedback, one file per migration.
//!
//! A migration that has landed is never edited: a change to the schema is a
//! new file appended to [`Migrator::migrations`].

pub use sea_orm_migration::prelude::*;

mod m20261127_000001_foundation;
mod m20261127_000002_officers;
mod m20261127_000003_digests;
mod m20261130_000004_session_notices;
mod m20261130_000005_council_names;
mod m20261130_000006_password_resets;
mod m20261130_000007_campaign_drafts;
mod m20261130_000008_welsh;
mod m20261130_000009_outreach;
mod m20261130_000010_api_tokens;
mod m20261130_000011_webhooks;
mod m20261130_000012_answer_tallies;

/// Applies every migration in order; `serve` and `migrate` both run it.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261127_000001_foundation::Migration),
            Box::new(m20261127_000002_officers::Migration),
            Box::new(m20261127_000003_digests::Migration),
            Box::new(m20261130_000004_session_notices::Migration),
            Box::new(m20261130_000005_council_names::Migration),
            Box::new(m20261130_000006_password_resets::Migration),
            Box::new(m20261130_000007_campaign_drafts::Migration),
            Box::new(m20261130_000008_welsh::Migration),
            Box::new(m20261130_000009_outreach::Migration),
            Box::new(m20261130_000010_api_tokens::Migration),
            Box::new(m20261130_000011_webhooks::Migration),
            Box::new(m20261130_000012_answer_tallies::Migration),
        ]
    }
}
