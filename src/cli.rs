//! The command line: `serve`, `migrate`, `campaign ...`, `councils import`.

use crate::app::{Application, redact_url, shutdown_signal};
use crate::config::Config;
use crate::domain::campaign::CampaignDefinition;
use crate::domain::clock::{Clock, SystemClock};
use crate::domain::filter::{FilterError, RawFilter};
use crate::export::{self, ExportError, ExportRequest};
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
    /// Manage officers (the password is read from standard input).
    #[command(subcommand)]
    Users(UsersCommand),
    /// Manage and send workstream digests.
    #[command(subcommand)]
    Digests(DigestsCommand),
    /// Export data as CSV.
    #[command(subcommand)]
    Export(ExportCommand),
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

/// `digests ...`
#[derive(Debug, Subcommand)]
pub enum DigestsCommand {
    /// Subscribe an officer to a workstream's digest (or change how often).
    Subscribe {
        /// The officer's email address.
        #[arg(long)]
        email: String,
        /// The workstream's key, such as demand_policy.
        #[arg(long)]
        workstream: String,
        /// daily or weekly.
        #[arg(long)]
        frequency: String,
        /// Send nothing for a period with no new feedback.
        #[arg(long)]
        skip_empty: bool,
    },
    /// Remove an officer's subscription.
    Unsubscribe {
        /// The officer's email address.
        #[arg(long)]
        email: String,
        /// The workstream's key.
        #[arg(long)]
        workstream: String,
    },
    /// Send every digest that is due (for system cron), then exit.
    Run {
        /// Close the current period now for every subscription and send it.
        #[arg(long)]
        now: bool,
    },
    /// Print the text of the digest a workstream would get now.
    Preview {
        /// The workstream's key.
        #[arg(long)]
        workstream: String,
    },
}

/// `users ...`
#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Add an officer; the password is the first line of standard input.
    Add {
        /// Their email address, used to sign in.
        #[arg(long)]
        email: String,
        /// What they may do: admin, lead or analyst.
        #[arg(long)]
        role: String,
        /// Their name, shown in the interface.
        #[arg(long, default_value = "")]
        name: String,
    },
    /// List officers.
    List,
    /// Disable an officer and end their sessions.
    Disable {
        /// Their email address.
        #[arg(long)]
        email: String,
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
    /// Write to this file instead of standard output (replaced only once the export succeeds).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
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
        Command::Export(ExportCommand::Responses(args)) => export_responses(args, &config).await,
        Command::Users(command) => users(command, &database(&config).await?).await,
        Command::Digests(command) => digests(command, &config).await,
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

async fn export_responses(args: ExportResponsesArgs, config: &Config) -> anyhow::Result<()> {
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
        Some(path) => export_to_file(&db, &request, path).await,
    };
    let rows = match outcome {
        Ok(rows) => rows,
        Err(ExportError::Filter(e)) => return Err(user_error(e).into()),
        Err(e) => return Err(e.into()),
    };
    store::audit::record(
        &db,
        SystemClock.now(),
        None,
        "export",
        request.audit_detail(rows, export::Channel::Cli),
    )
    .await
    .context("recording the export in the audit log")?;
    match &args.out {
        Some(path) => eprintln!("Exported {rows} responses to {}", path.display()),
        None => eprintln!("Exported {rows} responses"),
    }
    Ok(())
}

/// Writes beside `path` and renames over it once complete, so a failed
/// export never leaves a file that looks whole.
async fn export_to_file(
    db: &DatabaseConnection,
    request: &ExportRequest,
    path: &std::path::Path,
) -> Result<u64, ExportError> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let result = async {
        let mut file = tokio::fs::File::create(&partial).await?;
        let rows = export::write_to(db, request, &mut file).await?;
        file.sync_all().await?;
        tokio::fs::rename(&partial, path).await?;
        Ok::<u64, ExportError>(rows)
    }
    .await;
    if result.is_err() {
        let _ = tokio::fs::remove_file(&partial).await;
    }
    result.map_err(|e| match e {
        ExportError::Io(io) => ExportError::Io(std::io::Error::new(
            io.kind(),
            format!("{}: {io}", path.display()),
        )),
        other => other,
    })
}

async fn users(command: UsersCommand, db: &DatabaseConnection) -> anyhow::Result<()> {
    use crate::officers::{self, AddOfficerError};
    match command {
        UsersCommand::Add { email, role, name } => {
            let role = crate::domain::officer::Role::parse(&role)
                .map_err(|m| UserError(format!("--role: {m}")))?;
            let mut password = String::new();
            std::io::stdin().read_line(&mut password).map_err(|e| {
                UserError(format!("cannot read the password from standard input: {e}"))
            })?;
            let password = password.trim_end_matches(['\n', '\r']).to_string();
            match officers::add(db, &email, &name, role, password, SystemClock.now()).await {
                Ok(officer) => println!("Added {} ({})", officer.email, officer.role.as_str()),
                Err(AddOfficerError::Invalid(field, m)) => {
                    return Err(UserError(format!("--{field}: {m}")).into());
                }
                Err(AddOfficerError::Db(e)) => return Err(e.into()),
            }
        }
        UsersCommand::List => {
            println!("{:<40} {:<8} {:<9} NAME", "EMAIL", "ROLE", "STATUS");
            for o in store::users::list(db).await? {
                let status = if o.disabled { "disabled" } else { "active" };
                println!(
                    "{:<40} {:<8} {:<9} {}",
                    o.email,
                    o.role.as_str(),
                    status,
                    o.name
                );
            }
        }
        UsersCommand::Disable { email } => {
            let email = email.trim().to_lowercase();
            if !store::users::disable(db, &email).await? {
                return Err(UserError(format!(
                    "no officer with email {email:?}; `users list` shows them"
                ))
                .into());
            }
            store::audit::record(
                db,
                SystemClock.now(),
                None,
                "user_disabled",
                serde_json::json!({ "via": "cli" }),
            )
            .await?;
            println!("Disabled {email} and ended their sessions");
        }
    }
    Ok(())
}

async fn digests(command: DigestsCommand, config: &Config) -> anyhow::Result<()> {
    use crate::domain::schedule::Frequency;
    use crate::store::digests::SubscribeError;
    let db = database(config).await?;
    let settings = crate::digest::Settings::from_config(config);
    let now = SystemClock.now();
    match command {
        DigestsCommand::Subscribe {
            email,
            workstream,
            frequency,
            skip_empty,
        } => {
            let frequency =
                Frequency::parse(&frequency).map_err(|m| UserError(format!("--frequency: {m}")))?;
            match store::digests::subscribe(&db, &email, &workstream, frequency, skip_empty, now)
                .await
            {
                Ok(sub) => println!(
                    "{} gets the {} digest {}",
                    sub.email,
                    sub.workstream_name,
                    frequency.as_str()
                ),
                Err(SubscribeError::Db(e)) => return Err(e.into()),
                Err(e) => return Err(UserError(e.to_string()).into()),
            }
        }
        DigestsCommand::Unsubscribe { email, workstream } => {
            if !store::digests::unsubscribe(&db, &email, &workstream).await? {
                return Err(
                    UserError(format!("{email} has no subscription to {workstream:?}")).into(),
                );
            }
            println!("Unsubscribed {email} from {workstream}");
        }
        DigestsCommand::Run { now: close_now } => {
            let mailer = crate::mail::Mailer::from_config(config).map_err(anyhow::Error::msg)?;
            let r =
                crate::digest::deliver_due_digests(&db, &mailer, &settings, now, close_now).await?;
            println!(
                "Digests: {} sent, {} skipped as empty, {} to retry, {} failed",
                r.sent, r.skipped, r.retrying, r.failed
            );
        }
        DigestsCommand::Preview { workstream } => {
            match crate::digest::preview(&db, &settings, &workstream, now).await {
                Ok(email) => print!("Subject: {}\n\n{}", email.subject, email.text),
                Err(sea_orm::DbErr::RecordNotFound(m)) => return Err(UserError(m).into()),
                Err(e) => return Err(e.into()),
            }
        }
    }
    Ok(())
}
