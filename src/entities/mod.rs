//! sea-orm entities, one file per table, with no behaviour: queries live in
//! `store/`, rules in `domain/`. They mirror the `migration` crate.

pub mod answers;
pub mod api_tokens;
pub mod audit_log;
pub mod campaign_drafts;
pub mod campaigns;
pub mod contacts;
pub mod digest_deliveries;
pub mod digest_subscriptions;
pub mod login_failures;
pub mod organisations;
pub mod outreach_deliveries;
pub mod password_resets;
pub mod resources;
pub mod responses;
pub mod sessions;
pub mod settings;
pub mod survey_versions;
pub mod surveys;
pub mod users;
pub mod webhook_deliveries;
pub mod webhook_endpoints;
pub mod workstreams;
