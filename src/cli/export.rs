//! `export responses` and `export codebook`.

use super::{UserError, database};
use crate::config::Config;
use crate::domain::clock::{Clock, SystemClock};
use crate::domain::filter::{FilterError, RawFilter, ResponseFilter};
use crate::export::{self, ExportError, ExportRequest};
use crate::store::export::ScopeError;
use anyhow::Context;
use clap::Subcommand;
use std::io::Write;
use std::path::PathBuf;

/// `export ...`
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Write responses as CSV, one row per response, oldest first: the same
    /// bytes as /admin/export.csv with the same filters. Local dates are in
    /// DIGEST_TIMEZONE.
    Responses(Box<ExportResponsesArgs>),
    /// Write the codebook of the surveys the filters select, as CSV: each
    /// version's questions (key, kind, text) and each answer code's label.
    Codebook(Box<ExportCodebookArgs>),
}

/// The filters both exports take.
#[derive(Debug, clap::Args)]
pub struct FilterArgs {
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
    /// Only responses from this council (its register code, such as BRD).
    #[arg(long)]
    pub organisation: Option<String>,
    /// Only surveys about the resources this workstream owns (its key).
    #[arg(long)]
    pub workstream: Option<String>,
    /// Only responses given in this language: en or cy.
    #[arg(long)]
    pub language: Option<String>,
}

impl FilterArgs {
    fn parse(self) -> Result<ResponseFilter, UserError> {
        RawFilter {
            campaign: self.campaign,
            survey: self.survey,
            resource: self.resource,
            since: self.since,
            until: self.until,
            nation: self.nation,
            region: self.region,
            org_type: self.org_type,
            version: self.version,
            organisation: self.organisation,
            workstream: self.workstream,
            language: self.language,
        }
        .parse()
        .map_err(user_error)
    }
}

fn user_error(e: FilterError) -> UserError {
    UserError(format!("--{}: {}", e.field.replace('_', "-"), e.message))
}

/// The filters and options of `export responses`.
#[derive(Debug, clap::Args)]
pub struct ExportResponsesArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Start with a UTF-8 byte-order mark, so Excel shows accents and Welsh names right.
    #[arg(long)]
    pub bom: bool,
    /// Add the consented contact emails as a last column (personal data: keep the file safe).
    #[arg(long)]
    pub include_contact: bool,
    /// Write option labels ("Cyber security") instead of codes
    /// (cyber_security) in the answer columns; scores stay numbers.
    #[arg(long)]
    pub labels: bool,
    /// csv, xlsx (an Excel workbook with a codebook sheet) or jsonl (one JSON object per line).
    #[arg(long, default_value = "csv")]
    pub format: String,
    /// Write to this file instead of standard output (a file is replaced only once the
    /// export succeeds; a device or FIFO such as /dev/null is written into).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// The filters and options of `export codebook`.
#[derive(Debug, clap::Args)]
pub struct ExportCodebookArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Start with a UTF-8 byte-order mark, for Excel.
    #[arg(long)]
    pub bom: bool,
}

pub async fn responses(args: ExportResponsesArgs, config: &Config) -> anyhow::Result<()> {
    let request = ExportRequest {
        filter: args.filter.parse()?,
        timezone: config.timezone,
        include_contact: args.include_contact,
        bom: args.bom,
        labels: args.labels,
        format: export::Format::parse(&args.format)
            .map_err(|m| UserError(format!("--format: {m}")))?,
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

pub async fn codebook(args: ExportCodebookArgs, config: &Config) -> anyhow::Result<()> {
    let filter = args.filter.parse()?;
    let db = database(config).await?;
    let bytes = match export::codebook::codebook(&db, &filter, args.bom).await {
        Ok(bytes) => bytes,
        Err(ScopeError::Unknown(e)) => return Err(user_error(e).into()),
        Err(ScopeError::Db(e)) => return Err(e.into()),
    };
    std::io::stdout().write_all(&bytes)?;
    Ok(())
}
