//! `contacts import`, `invitations send` and `reminders run`.

use super::{UserError, database};
use crate::config::Config;
use crate::domain::clock::{Clock, SystemClock};
use crate::outreach::{self, OutreachError, Report};
use clap::Subcommand;
use std::path::PathBuf;

/// `contacts ...`
#[derive(Debug, Subcommand)]
pub enum ContactsCommand {
    /// Add or update a campaign's contacts from a CSV file with the columns
    /// email, council_code (or organisation) and optionally name. A file
    /// with any bad row imports nothing.
    Import {
        /// The CSV file.
        file: PathBuf,
        /// The campaign's slug.
        #[arg(long)]
        campaign: String,
    },
}

/// `invitations ...`
#[derive(Debug, Subcommand)]
pub enum InvitationsCommand {
    /// Email every contact of the campaign not yet invited their personal link.
    Send {
        /// The campaign's slug.
        #[arg(long)]
        campaign: String,
        /// List who would be invited, and send nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// `reminders ...`
#[derive(Debug, Subcommand)]
pub enum RemindersCommand {
    /// Send the reminders that are due (REMINDER_AFTER_DAYS, REMINDER_MAX),
    /// and retry emails that failed for a while, then exit.
    Run {
        /// Send first reminders without waiting REMINDER_AFTER_DAYS after the
        /// invitation (run twice, the second sends nothing).
        #[arg(long)]
        now: bool,
    },
}

async fn settings(
    config: &Config,
) -> anyhow::Result<(sea_orm::DatabaseConnection, outreach::Settings)> {
    let db = database(config).await?;
    let signer = crate::app::signer(&db, config).await?;
    Ok((db, outreach::Settings::new(config, signer)))
}

pub async fn contacts(command: ContactsCommand, config: &Config) -> anyhow::Result<()> {
    let ContactsCommand::Import { file, campaign } = command;
    let (db, settings) = settings(config).await?;
    let text = std::fs::read_to_string(&file)
        .map_err(|e| UserError(format!("cannot read {}: {e}", file.display())))?;
    let by = (SystemClock.now(), None);
    match outreach::contacts::import(&db, &settings, &campaign, &text, by).await {
        Ok(counts) => {
            println!(
                "Contacts for {campaign}: {} added, {} updated",
                counts.added, counts.updated
            );
            Ok(())
        }
        Err(outreach::contacts::ContactsError::Db(e)) => Err(e.into()),
        Err(e) => {
            for line in e.lines() {
                eprintln!("{line}");
            }
            Err(UserError(e.to_string()).into())
        }
    }
}

pub async fn invitations(command: InvitationsCommand, config: &Config) -> anyhow::Result<()> {
    let InvitationsCommand::Send { campaign, dry_run } = command;
    let (db, settings) = settings(config).await?;
    let mailer = crate::mail::Mailer::from_config(config).map_err(anyhow::Error::msg)?;
    let now = SystemClock.now();
    let report = outreach::invite(&db, &mailer, &settings, &campaign, (now, dry_run))
        .await
        .map_err(user_error)?;
    if dry_run {
        println!(
            "Dry run: {} contacts would be invited; nothing was sent",
            report.would_invite.len()
        );
        for email in &report.would_invite {
            println!("  {email}");
        }
    } else {
        print_report("Invitations", &report);
    }
    Ok(())
}

pub async fn reminders(command: RemindersCommand, config: &Config) -> anyhow::Result<()> {
    let RemindersCommand::Run { now: now_first } = command;
    let (db, settings) = settings(config).await?;
    let mailer = crate::mail::Mailer::from_config(config).map_err(anyhow::Error::msg)?;
    let report = outreach::remind(
        &db,
        &mailer,
        &settings,
        (SystemClock.now(), now_first),
        None,
    )
    .await
    .map_err(user_error)?;
    print_report("Reminders", &report);
    Ok(())
}

fn user_error(e: OutreachError) -> anyhow::Error {
    match e {
        OutreachError::UnknownCampaign(_) | OutreachError::Closed(_) => {
            UserError(e.to_string()).into()
        }
        e => e.into(),
    }
}

fn print_report(what: &str, r: &Report) {
    println!(
        "{what}: {} recorded, {} sent, {} to retry, {} failed",
        r.recorded, r.sent, r.retrying, r.failed
    );
}
