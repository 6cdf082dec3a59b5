//! The command line: `serve`, `migrate`, `campaign ...`, `councils import`.

use crate::app::{Application, redact_url, shutdown_signal};
use crate::config::Config;
use crate::domain::campaign::CampaignDefinition;
use crate::domain::clock::{Clock, SystemClock};
use crate::{councils, store, telemetry};
use anyhow::{Context, anyhow};
use clap::{Parser, Subcommand};
use sea_orm::DatabaseConnection;
use std::path::PathBuf;
use std::process::ExitCode;

/// Feedback surveys for public awareness campaigns.
///
/// Configuration comes from environment variables (or a `.env` file):
/// DATABASE_URL, BIND_ADDR, BASE_URL, SECRET_KEY, SMTP_URL, MAIL_FROM,
/// MAIL_OUTBOX_DIR, DIGEST_TIMEZONE, RETENTION_DAYS, SUBMIT_RATE_LIMIT,
/// LOG_FORMAT. See the README for each.
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
}

/// `campaign ...`
#[derive(Debug, Subcommand)]
pub enum CampaignCommand {
    /// List campaigns: slug, title, status.
    List,
    /// Load or update a campaign from a TOML definition.
    Import {
        /// The TOML file (see campaigns/secure-connected-places.toml).
        file: PathBuf,
    },
    /// Print a campaign's definition as TOML that imports back to the same campaign.
    Export {
        /// The campaign's slug.
        slug: String,
    },
}

/// `councils ...`
#[derive(Debug, Subcommand)]
pub enum CouncilsCommand {
    /// Load the register from its CSV (the ONS/mySociety columns); re-running changes nothing.
    Import {
        /// The CSV file.
        file: PathBuf,
        /// Also import councils that no longer exist.
        #[arg(long)]
        include_former: bool,
    },
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
        Command::Campaign(c) => campaign(c, &database(&config).await?).await,
        Command::Councils(CouncilsCommand::Import {
            file,
            include_former,
        }) => import_councils(&database(&config).await?, &file, include_former).await,
    }
}

async fn database(config: &Config) -> anyhow::Result<DatabaseConnection> {
    let db = store::connect(&config.database_url)
        .await
        .with_context(|| {
            format!(
                "cannot open the database at DATABASE_URL ({})",
                redact_url(&config.database_url)
            )
        })?;
    store::migrate(&db)
        .await
        .context("migrating the database")?;
    Ok(db)
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let app = Application::build_default(config).await?;
    let state = app.state().clone();
    tracing::info!(address = %state.config.bind_addr, port = app.port(), "serving");
    app.run_until_stopped(shutdown_signal()).await?;
    state.db.close().await.ok();
    Ok(())
}

async fn campaign(command: CampaignCommand, db: &DatabaseConnection) -> anyhow::Result<()> {
    match command {
        CampaignCommand::List => {
            let today = chrono::Utc::now().date_naive();
            println!("{:<32} {:<8} TITLE", "SLUG", "STATUS");
            for c in store::campaigns::list(db).await? {
                let status = crate::domain::availability::Availability::on(
                    today,
                    c.opens_on,
                    c.closes_on,
                    false,
                );
                let status = match status {
                    crate::domain::availability::Availability::Open => "open",
                    crate::domain::availability::Availability::NotYetOpen(_) => "upcoming",
                    crate::domain::availability::Availability::Closed(_) => "closed",
                };
                println!("{:<32} {:<8} {}", c.slug, status, c.title);
            }
            Ok(())
        }
        CampaignCommand::Import { file } => {
            let source = std::fs::read_to_string(&file)
                .map_err(|e| UserError(format!("cannot read {}: {e}", file.display())))?;
            let def = CampaignDefinition::from_toml(&source)
                .map_err(|e| UserError(format!("{}: {e}", file.display())))?;
            let report = match store::campaigns::import(db, &def, SystemClock.now()).await {
                Ok(report) => report,
                Err(store::campaigns::ImportError::Conflict(m)) => {
                    return Err(UserError(format!("{}: {m}", file.display())).into());
                }
                Err(e) => return Err(e.into()),
            };
            let verb = if report.created { "Created" } else { "Updated" };
            println!(
                "{verb} campaign {} ({} surveys)",
                def.slug,
                def.surveys.len()
            );
            for (slug, version) in report.new_versions {
                println!("  survey {slug}: now at version {version}");
            }
            Ok(())
        }
        CampaignCommand::Export { slug } => {
            let def = store::campaigns::export(db, &slug).await?.ok_or_else(|| {
                UserError(format!(
                    "no campaign with slug {slug:?}; `campaign list` shows them"
                ))
            })?;
            print!(
                "{}",
                def.to_toml()
                    .map_err(|e| anyhow!("cannot write TOML: {e}"))?
            );
            Ok(())
        }
    }
}

async fn import_councils(
    db: &DatabaseConnection,
    file: &PathBuf,
    include_former: bool,
) -> anyhow::Result<()> {
    let bytes = std::fs::read(file)
        .map_err(|e| UserError(format!("cannot read {}: {e}", file.display())))?;
    let rows = bytes
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        .saturating_sub(1);
    let bar = indicatif::ProgressBar::new(rows as u64).with_message("reading the register");
    let report = match councils::import(db, bytes.as_slice(), include_former, || bar.inc(1)).await {
        Ok(report) => report,
        Err(councils::RegisterError::Db(e)) => return Err(e.into()),
        Err(e) => return Err(UserError(format!("{}: {e}", file.display())).into()),
    };
    bar.finish_and_clear();
    for (line, problem) in &report.refused {
        eprintln!("{}: line {line}: {problem}; row skipped", file.display());
    }
    let c = report.counts;
    println!(
        "Imported {} councils: {} added, {} updated, {} unchanged; {} former councils skipped{}; {} rows refused",
        c.added + c.updated + c.unchanged,
        c.added,
        c.updated,
        c.unchanged,
        report.former_skipped,
        if include_former {
            ""
        } else {
            " (use --include-former to keep them)"
        },
        report.refused.len()
    );
    Ok(())
}
