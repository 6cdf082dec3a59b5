//! campaign-feedback: feedback surveys for public awareness campaigns.
//!
//! Councils answer short surveys about each resource of a campaign (the
//! first is the Secure Connected Places Playbook); responses are stored
//! through sea-orm in SQLite or PostgreSQL.
//!
//! # Layout
//!
//! Dependencies point one way, from the top of this list towards the
//! bottom (`tests/api/architecture.rs` checks there is no cycle):
//!
//! - [`cli`]: the command line, one module per group of commands.
//! - [`app`]: start-up: open and migrate the database, seed the default
//!   campaign and the council register, build the state, serve.
//! - [`web`]: the router, middleware, connection handling and thin
//!   handlers (`web::public`, `web::admin`); [`web::AppState`] is what
//!   every handler can reach.
//! - [`error`]: the web layer's error, mapped once to a page and a status.
//! - [`outreach`]: invitations and reminders to councils' contacts, sent
//!   once each through their ledger, and their scheduler.
//! - [`webhook`]: responses pushed to other systems, signed, from a ledger.
//! - [`digest`]: digest periods, content and delivery, and their scheduler.
//! - [`export`]: the CSV export, streamed, for the web and the command line.
//! - [`editor`]: editing campaigns in the browser: drafts changed with
//!   the import's rules, refused when based on an older draft, published
//!   in one transaction.
//! - [`councils`], [`officers`] and [`personal`]: the register import,
//!   adding officers, and retention, erasure and subject access of personal
//!   data, shared by the command line, the web and the housekeeping.
//! - [`mail`]: sending email over SMTP or into the outbox folder.
//! - [`memory`]: handing freed memory back to the system when idle.
//! - [`templates`]: the pages' and emails' templates, embedded at build time.
//! - [`i18n`]: the public pages' words in English and Welsh (Fluent
//!   catalogues in `locales/`) and the language of the request served.
//! - [`config`] and [`telemetry`]: settings from the environment; logs and metrics.
//! - [`store`]: every query, taking and returning domain types; it owns its
//!   transactions.
//! - [`entities`]: sea-orm entities, one per table, no behaviour.
//! - [`domain`]: pure rules: campaign definitions, questions, answer
//!   parsing, references, form tokens, register rows, sign-in delays. No
//!   HTTP, no SQL.

pub mod app;
pub mod cli;
pub mod config;
pub mod councils;
pub mod digest;
pub mod domain;
pub mod editor;
pub mod entities;
pub mod error;
pub mod export;
pub mod i18n;
pub mod mail;
pub mod memory;
pub mod officers;
pub mod outreach;
pub mod personal;
pub mod store;
pub mod telemetry;
pub mod templates;
pub mod web;
pub mod webhook;
