//! `councils import`.

use super::UserError;
use crate::councils;
use clap::Subcommand;
use sea_orm::DatabaseConnection;
use std::path::PathBuf;

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

pub async fn import(
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
    let imported = councils::import(db, bytes.as_slice(), include_former, || bar.inc(1)).await;
    bar.finish_and_clear();
    let report = match imported {
        Ok(report) => report,
        Err(councils::RegisterError::Db(e)) => return Err(e.into()),
        Err(councils::RegisterError::Refused(refused)) => {
            for (line, problem) in &refused {
                eprintln!("{}: line {line}: {problem}", file.display());
            }
            let e = councils::RegisterError::Refused(refused);
            return Err(UserError(format!("{}: {e}", file.display())).into());
        }
        Err(e) => return Err(UserError(format!("{}: {e}", file.display())).into()),
    };
    let c = report.counts;
    println!(
        "Imported {} councils: {} added, {} updated, {} unchanged; {} former councils skipped{}",
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
    );
    Ok(())
}
