//! `export responses`.

use super::{UserError, database};
use crate::config::Config;
use crate::domain::clock::{Clock, SystemClock};
use crate::domain::filter::{FilterError, RawFilter};
use crate::export::{self, ExportError, ExportRequest};
use anyhow::Context;
use clap::Subcommand;
use std::path::PathBuf;

/// `export ...`
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Write responses as CSV, one row per response, oldest first: the same
    /// bytes as /admin/export.csv with the same filters. Local dates are in
    /// DIGEST_TIMEZONE.
    Responses(ExportResponsesArgs),
}

/// The filters and options of `export responses`.
#[derive(Debug, clap::Args)]
pub struct ExportResponsesArgs {
    /// Only this campaign (its slug).
    #[arg(long)]
    pub campaign: Option<String>,
    /// Only surveys about this resource (its key).
    #[arg(long)]
    pub resource: Option<String>,
    /// Only this survey (its slug).
    #[arg(long)]
    pub survey: Option<String>,
    /// From this local day, inclusive (YYYY-MM-DD).
    #[arg(long)]
    pub since: Option<String>,
    /// Up to this local day, inclusive (YYYY-MM-DD).
    #[arg(long)]
    pub until: Option<String>,
    /// Only councils of this nation (England, Scotland, Wales, Northern Ireland).
    #[arg(long)]
    pub nation: Option<String>,
    /// Only councils of this region.
    #[arg(long)]
    pub region: Option<String>,
    /// Only councils of this type, as the register names it.
    #[arg(long)]
    pub org_type: Option<String>,
    /// Only answers to this survey version (1, 2, ...).
    #[arg(long)]
    pub version: Option<String>,
    /// Start with a UTF-8 byte-order mark, so Excel shows accents and Welsh names right.
    #[arg(long)]
    pub bom: bool,
    /// Add the consented contact emails as a last column (personal data: keep the file safe).
    #[arg(long)]
    pub include_contact: bool,
    /// Write to this file instead of standard output (a file is replaced only once the
    /// export succeeds; a device or FIFO such as /dev/null is written into).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

pub async fn responses(args: ExportResponsesArgs, config: &Config) -> anyhow::Result<()> {
    let user_error =
        |e: FilterError| UserError(format!("--{}: {}", e.field.replace('_', "-"), e.message));
    let filter = RawFilter {
        campaign: args.campaign,
        survey: args.survey,
        resource: args.resource,
        since: args.since,
        until: args.until,
        nation: args.nation,
        region: args.region,
        org_type: args.org_type,
        version: args.version,
    }
    .parse()
    .map_err(user_error)?;
    let request = ExportRequest {
        filter,
        timezone: config.timezone,
        include_contact: args.include_contact,
        bom: args.bom,
    };
    let db = database(config).await?;
    let outcome = match &args.out {
        None => export::write_to(&db, &request, &mut tokio::io::stdout()).await,
        Some(path) => export::file::write_to_path(&db, &request, path).await,
    };
    let rows = match outcome {
        Ok(rows) => rows,
        Err(ExportError::Filter(e)) => return Err(user_error(e).into()),
        Err(e) => return Err(e.into()),
    };
    let now = SystemClock.now();
    export::record(&db, &request, rows, None, export::Channel::Cli, now)
        .await
        .context("recording the export in the audit log")?;
    match &args.out {
        Some(path) => eprintln!("Exported {rows} responses to {}", path.display()),
        None => eprintln!("Exported {rows} responses"),
    }
    Ok(())
}
