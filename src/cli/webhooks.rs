//! `webhooks add|list|remove`: where a campaign's responses are pushed.

use super::UserError;
use crate::domain::clock::{Clock, SystemClock};
use crate::store;
use clap::Subcommand;
use sea_orm::DatabaseConnection;

/// `webhooks ...`
#[derive(Debug, Subcommand)]
pub enum WebhooksCommand {
    /// Send each response stored from now on to this address, signed; prints the signing secret once.
    Add {
        /// The campaign's slug.
        #[arg(long)]
        campaign: String,
        /// An https address (plain http only to 127.0.0.1 or localhost).
        #[arg(long)]
        url: String,
    },
    /// List endpoints, with any that were turned off for failing.
    List,
    /// Remove an endpoint and its deliveries.
    Remove {
        /// The endpoint's id, as `webhooks list` shows it.
        #[arg(long)]
        id: i32,
    },
}

pub async fn run(command: WebhooksCommand, db: &DatabaseConnection) -> anyhow::Result<()> {
    let now = SystemClock.now();
    match command {
        WebhooksCommand::Add { campaign, url } => {
            crate::domain::webhook::check_url(&url)
                .map_err(|m| UserError(format!("--url: {m}")))?;
            let campaign_id = store::campaigns::id_of(db, &campaign)
                .await?
                .ok_or_else(|| {
                    UserError(format!(
                        "there is no campaign {campaign:?}: `campaign list` shows their slugs"
                    ))
                })?;
            let secret = crate::domain::webhook::new_secret();
            let id = store::webhooks::add(db, campaign_id, &url, &secret, (None, now)).await?;
            eprintln!(
                "Endpoint {id} gets {campaign}'s responses from now on. Its signing secret, shown only now:"
            );
            println!("{secret}");
        }
        WebhooksCommand::List => {
            println!("{:<5} {:<8} {:<50} STATUS", "ID", "FAILURES", "URL");
            for e in store::webhooks::list(db).await? {
                let status = match &e.disabled {
                    Some((_, why)) => format!("disabled: {why}"),
                    None => "live".into(),
                };
                println!("{:<5} {:<8} {:<50} {status}", e.id, e.failures, e.url);
            }
        }
        WebhooksCommand::Remove { id } => {
            if !store::webhooks::remove(db, id, (None, now)).await? {
                return Err(UserError(format!(
                    "there is no endpoint {id}: `webhooks list` shows them"
                ))
                .into());
            }
            println!("Removed endpoint {id}");
        }
    }
    Ok(())
}
