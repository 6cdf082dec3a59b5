//! The command line: `serve`, `migrate`, and one module for each group of
//! subcommands (`campaign`, `councils`, `users`, `digests`, `export`, `data`).

mod campaign;
mod councils;
mod data;
mod digests;
mod export;
mod outreach;
mod tokens;
mod users;
mod webhooks;

pub use campaign::CampaignCommand;
pub use councils::CouncilsCommand;
pub use data::DataCommand;
pub use digests::DigestsCommand;
pub use export::{ExportCodebookArgs, ExportCommand, ExportResponsesArgs, FilterArgs};
pub use outreach::{ContactsCommand, InvitationsCommand, RemindersCommand};
pub use tokens::TokensCommand;
pub use users::UsersCommand;
pub use webhooks::WebhooksCommand;

use crate::app::{Application, redact_url, shutdown_signal};
use crate::config::Config;
use crate::telemetry;
use clap::{Parser, Subcommand};
use sea_orm::DatabaseConnection;
use std::process::ExitCode;

/// Feedback surveys for public awareness campaigns.
///
/// Configuration comes from environment variables (or a `.env` file):
/// DATABASE_URL, BIND_ADDR, BASE_URL, SECRET_KEY, SMTP_URL, MAIL_FROM,
/// MAIL_OUTBOX_DIR, DIGEST_TIMEZONE, DIGEST_DAILY_CRON, DIGEST_WEEKLY_CRON,
/// SESSION_IDLE_MINUTES, SESSION_MAX_HOURS, RETENTION_DAYS,
/// SUBMIT_RATE_LIMIT, SURVEY_PAGE_CACHE_SECONDS, REMINDER_AFTER_DAYS,
/// REMINDER_MAX, EMBED_ORIGINS, API_RATE_LIMIT, LOG_FORMAT. See the README
/// for each.
#[derive(Debug, Parser)]
#[command(name = "campaign-feedback", version, about, long_about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate, seed the default campaign if the database is empty, and serve HTTP.
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// List, load or print campaign definitions.
    #[command(subcommand)]
    Campaign(CampaignCommand),
    /// Manage the UK local-authority register.
    #[command(subcommand)]
    Councils(CouncilsCommand),
    /// Manage officers (the password is read from standard input).
    #[command(subcommand)]
    Users(UsersCommand),
    /// Manage and send workstream digests.
    #[command(subcommand)]
    Digests(DigestsCommand),
    /// Export data as CSV.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Push each stored response to other systems, signed.
    #[command(subcommand)]
    Webhooks(WebhooksCommand),
    /// The JSON API's bearer tokens.
    #[command(subcommand)]
    Tokens(TokensCommand),
    /// Councils' contacts a campaign invites.
    #[command(subcommand)]
    Contacts(ContactsCommand),
    /// Email contacts their personal invitation link.
    #[command(subcommand)]
    Invitations(InvitationsCommand),
    /// Remind contacts whose council has not responded.
    #[command(subcommand)]
    Reminders(RemindersCommand),
    /// Personal data: delete what is past RETENTION_DAYS, erase or report one address.
    #[command(subcommand)]
    Data(DataCommand),
}

/// A failure the user can fix, reported without a backtrace, exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct UserError(String);

/// Runs a command and turns its outcome into an exit code.
pub async fn run(cli: Cli) -> ExitCode {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("error: configuration: {e}");
            return ExitCode::from(2);
        }
    };
    telemetry::init_logging(config.log_format);
    match dispatch(cli.command, config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.is::<UserError>() => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn dispatch(command: Command, config: Config) -> anyhow::Result<()> {
    match command {
        Command::Serve => serve(config).await,
        Command::Migrate => {
            database(&config).await?;
            println!("Migrations applied to {}", redact_url(&config.database_url));
            Ok(())
        }
        Command::Campaign(c) => campaign::run(c, &database(&config).await?).await,
        Command::Councils(CouncilsCommand::Import {
            file,
            include_former,
        }) => councils::import(&database(&config).await?, &file, include_former).await,
        Command::Export(ExportCommand::Responses(args)) => export::responses(*args, &config).await,
        Command::Export(ExportCommand::Codebook(args)) => export::codebook(*args, &config).await,
        Command::Users(command) => users::run(command, &database(&config).await?, &config).await,
        Command::Digests(command) => digests::run(command, &config).await,
        Command::Webhooks(command) => webhooks::run(command, &database(&config).await?).await,
        Command::Tokens(command) => tokens::run(command, &database(&config).await?).await,
        Command::Contacts(command) => outreach::contacts(command, &config).await,
        Command::Invitations(command) => outreach::invitations(command, &config).await,
        Command::Reminders(command) => outreach::reminders(command, &config).await,
        Command::Data(command) => data::run(command, &database(&config).await?, &config).await,
    }
}

async fn database(config: &Config) -> anyhow::Result<DatabaseConnection> {
    crate::app::open_database(config).await
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let app = Application::build_default(config).await?;
    let db = app.state().db.clone();
    tracing::info!(address = %app.state().config.bind_addr, port = app.port(), "serving");
    app.run_until_stopped(shutdown_signal()).await?;
    db.close().await.ok();
    Ok(())
}
