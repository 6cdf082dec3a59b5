//! `tokens create|list|revoke`: the API's bearer tokens.

use super::UserError;
use crate::domain::clock::{Clock, SystemClock};
use crate::store;
use clap::Subcommand;
use sea_orm::DatabaseConnection;

/// `tokens ...`
#[derive(Debug, Subcommand)]
pub enum TokensCommand {
    /// Make a token for an officer; it acts with their role. Printed once, never again.
    Create {
        /// The officer's email address.
        #[arg(long)]
        email: String,
        /// What it is for, such as "Power BI".
        #[arg(long)]
        name: String,
    },
    /// List tokens with their last use.
    List,
    /// Revoke a token at once.
    Revoke {
        /// The token's id, as `tokens list` shows it.
        #[arg(long)]
        id: i32,
    },
}

pub async fn run(command: TokensCommand, db: &DatabaseConnection) -> anyhow::Result<()> {
    let now = SystemClock.now();
    match command {
        TokensCommand::Create { email, name } => {
            let name = name.trim();
            if name.is_empty() || name.chars().count() > 100 {
                return Err(UserError(
                    "--name: give the token a name of 1 to 100 characters, such as \"Power BI\""
                        .into(),
                )
                .into());
            }
            let officer = store::users::by_email(db, &email.trim().to_lowercase())
                .await?
                .filter(|o| !o.disabled)
                .ok_or_else(|| {
                    UserError(format!(
                        "{email} is not an active officer: add them with `users add` first"
                    ))
                })?;
            let (id, token) = store::api_tokens::create(db, &officer, name, (None, now)).await?;
            eprintln!(
                "Token {id} for {} ({}); it is shown only now:",
                officer.email,
                officer.role.as_str()
            );
            println!("{token}");
        }
        TokensCommand::List => {
            println!(
                "{:<5} {:<32} {:<24} {:<17} STATUS",
                "ID", "OFFICER", "NAME", "LAST USED"
            );
            for t in store::api_tokens::list(db).await? {
                let used = t.last_used_at.map_or("never".to_string(), |u| {
                    u.format("%Y-%m-%d %H:%M").to_string()
                });
                let status = if t.revoked_at.is_some() {
                    "revoked"
                } else {
                    "live"
                };
                println!(
                    "{:<5} {:<32} {:<24} {:<17} {status}",
                    t.id, t.officer_email, t.name, used
                );
            }
        }
        TokensCommand::Revoke { id } => {
            if !store::api_tokens::revoke(db, id, (None, now)).await? {
                return Err(UserError(format!(
                    "there is no live token {id}: `tokens list` shows them"
                ))
                .into());
            }
            println!("Revoked token {id}");
        }
    }
    Ok(())
}
