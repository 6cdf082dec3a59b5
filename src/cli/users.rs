//! `users add|list|disable`.

use super::UserError;
use crate::domain::clock::{Clock, SystemClock};
use crate::store;
use clap::Subcommand;
use sea_orm::DatabaseConnection;

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
    /// Let a disabled officer sign in again.
    Enable {
        /// Their email address.
        #[arg(long)]
        email: String,
    },
    /// Email an officer a one-time link to set a new password (valid two hours).
    Reset {
        /// Their email address.
        #[arg(long)]
        email: String,
    },
}

pub async fn run(
    command: UsersCommand,
    db: &DatabaseConnection,
    config: &crate::config::Config,
) -> anyhow::Result<()> {
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
            let by = (None, SystemClock.now());
            match officers::add(db, (&email, &name, role), password, by).await {
                Ok(officer) => println!("Added {} ({})", officer.email, officer.role.as_str()),
                Err(AddOfficerError::Invalid(field, m)) => {
                    return Err(UserError(format!("--{field}: {m}")).into());
                }
                Err(AddOfficerError::Db(e)) => return Err(e.into()),
                Err(e @ AddOfficerError::Hashing(_)) => return Err(e.into()),
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
            if !store::users::disable(db, &email, (None, SystemClock.now())).await? {
                return Err(UserError(format!(
                    "no officer with email {email:?}; `users list` shows them"
                ))
                .into());
            }
            println!("Disabled {email} and ended their sessions");
        }
        UsersCommand::Enable { email } => {
            let email = email.trim().to_lowercase();
            if !store::users::enable(db, &email, (None, SystemClock.now())).await? {
                return Err(UserError(format!(
                    "no officer with email {email:?}; `users list` shows them"
                ))
                .into());
            }
            println!("Enabled {email}: they can sign in with their password again");
        }
        UsersCommand::Reset { email } => {
            let mailer = crate::mail::Mailer::from_config(config).map_err(anyhow::Error::msg)?;
            let settings = crate::digest::Settings::from_config(config);
            let sender = officers::LinkSender {
                mailer: &mailer,
                from: &settings.from,
                base_url: &settings.base_url,
                timezone: config.timezone,
            };
            match officers::send_reset_link(db, &sender, &email, (None, SystemClock.now())).await {
                Ok(o) => println!(
                    "Sent {} a link to set a new password; it works once, for two hours",
                    o.email
                ),
                Err(
                    e @ (officers::ResetLinkError::Unknown | officers::ResetLinkError::Disabled),
                ) => {
                    return Err(UserError(format!("{email}: {e}")).into());
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
    Ok(())
}
