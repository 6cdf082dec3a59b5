//! `data purge|erase|report`: personal data past its retention, erased on
//! request, or reported (subject access).

use super::UserError;
use crate::config::Config;
use crate::domain::clock::{Clock, SystemClock};
use crate::domain::officer::normalise_email;
use crate::personal::{self, ReportFormat};
use clap::Subcommand;
use sea_orm::DatabaseConnection;
use std::io::Write;

/// `data ...`
#[derive(Debug, Subcommand)]
pub enum DataCommand {
    /// Delete contact emails older than RETENTION_DAYS (`serve` does it at
    /// start-up and every ten minutes; this is for system cron).
    Purge,
    /// Erase an email address from every response it was given with; the
    /// answers stay, anonymous. Recorded in the audit log without the address.
    Erase {
        /// The address to erase.
        #[arg(long)]
        email: String,
    },
    /// Print everything held about an email address (subject access).
    Report {
        /// The address asked about.
        #[arg(long)]
        email: String,
        /// json (the default) or csv.
        #[arg(long, default_value = "json")]
        format: String,
    },
}

pub async fn run(
    command: DataCommand,
    db: &DatabaseConnection,
    config: &Config,
) -> anyhow::Result<()> {
    let now = SystemClock.now();
    let email =
        |given: &str| normalise_email(given).map_err(|m| UserError(format!("--email: {m}")));
    match command {
        DataCommand::Purge => {
            let purged = personal::purge(db, config.retention_days, now).await?;
            println!(
                "Deleted {purged} contact email(s) older than {} days",
                config.retention_days
            );
        }
        DataCommand::Erase { email: given } => {
            let (erased, contacts) = personal::erase(db, &email(&given)?, (None, now)).await?;
            println!("Erased the contact email from {erased} response(s)");
            if contacts > 0 {
                println!(
                    "Deleted {contacts} campaign contact(s) with it: no more invitations or reminders go to it"
                );
            }
        }
        DataCommand::Report {
            email: given,
            format,
        } => {
            let format =
                ReportFormat::parse(&format).map_err(|m| UserError(format!("--format: {m}")))?;
            let held = crate::store::personal::held_about(db, &email(&given)?).await?;
            let bytes = personal::render_report(&held, format).map_err(anyhow::Error::msg)?;
            std::io::stdout().write_all(&bytes)?;
        }
    }
    Ok(())
}
