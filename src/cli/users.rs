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
}

pub async fn run(command: UsersCommand, db: &DatabaseConnection) -> anyhow::Result<()> {
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
    }
    Ok(())
}
