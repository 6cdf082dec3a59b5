//! `digests subscribe|unsubscribe|run|preview`.

use super::{UserError, database};
use crate::config::Config;
use crate::domain::clock::{Clock, SystemClock};
use crate::store;
use clap::Subcommand;

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
        /// Also send, for every subscription, a digest of what came in since its last
        /// one, when something did (run twice, the second sends nothing new).
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

pub async fn run(command: DigestsCommand, config: &Config) -> anyhow::Result<()> {
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
                Err(e @ crate::digest::DigestError::UnknownWorkstream(_)) => {
                    return Err(UserError(e.to_string()).into());
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
    Ok(())
}
