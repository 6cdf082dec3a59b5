//! campaign-feedback: feedback surveys for public awareness campaigns.
//!
//! Councils answer short surveys about each resource of a campaign (the
//! first is the Secure Connected Places Playbook); responses are stored
//! through sea-orm in SQLite or PostgreSQL.
//!
//! # Layout
//!
//! - [`domain`]: pure rules: campaign definitions, questions, answer
//!   parsing, references, form tokens, register rows. No HTTP, no SQL.
//! - [`entities`]: sea-orm entities, one per table, no behaviour.
//! - [`store`]: every query, taking and returning domain types.
//! - [`web`]: the router, middleware and thin handlers; templates are in
//!   `templates/`, embedded at build time.
//! - [`app`]: the shared state, start-up and serving.
//! - [`cli`] and [`councils`]: the command line and its jobs.
//! - [`config`], [`telemetry`], [`error`]: settings, logs and metrics, errors.

pub mod app;
pub mod cli;
pub mod config;
pub mod councils;
pub mod digest;
pub mod domain;
pub mod entities;
pub mod error;
pub mod export;
pub mod mail;
pub mod officers;
pub mod store;
pub mod telemetry;
pub mod templates;
pub mod web;
