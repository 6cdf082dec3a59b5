//! One integration test binary: every test starts the real server on port 0
//! against a fresh database, and each database test runs on SQLite and on
//! PostgreSQL (`TEST_POSTGRES_URL`, default `postgres://postgres@127.0.0.1:5432/test`).

mod admin_access;
mod admin_pages;
mod analysts;
mod architecture;
mod browser;
mod campaigns;
mod client_faults;
mod connections;
mod councils;
mod digests;
mod editor;
mod export;
mod faults;
mod forms;
mod helpers;
mod idempotency;
mod json_api;
mod officers;
mod operations;
mod outreach;
mod personal_data;
mod postgres_restart;
mod protections;
mod public_pages;
mod sign_in;
mod smtp;
mod submissions;
mod tallies;
mod webhooks;
mod welsh;
