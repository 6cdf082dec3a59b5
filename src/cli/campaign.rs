//! `campaign list|import|export|check`.

use super::UserError;
use crate::domain::campaign::CampaignDefinition;
use crate::domain::clock::{Clock, SystemClock};
use crate::store;
use anyhow::anyhow;
use clap::Subcommand;
use sea_orm::DatabaseConnection;
use std::path::PathBuf;

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
    /// List the campaign's words that have no Welsh yet (shown in English
    /// to Welsh readers); exits 0 either way.
    Check {
        /// The campaign's slug.
        slug: String,
    },
}

pub async fn run(command: CampaignCommand, db: &DatabaseConnection) -> anyhow::Result<()> {
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
        CampaignCommand::Check { slug } => {
            let def = store::campaigns::export(db, &slug).await?.ok_or_else(|| {
                UserError(format!(
                    "no campaign with slug {slug:?}; `campaign list` shows them"
                ))
            })?;
            let missing = def.untranslated();
            if missing.is_empty() {
                println!("{slug}: every word has its Welsh.");
            } else {
                println!(
                    "{slug}: {} words have no Welsh and are shown in English:",
                    missing.len()
                );
                for line in missing {
                    println!("  {line}");
                }
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
