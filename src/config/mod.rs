//! Typed settings from environment variables (and an optional `.env` file),
//! validated once at start-up. A bad value stops start-up with the
//! variable's name and what is wrong; secrets are never printed.

mod dotenv;
#[cfg(test)]
mod tests;
mod vars;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use vars::Vars;

/// How logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// A secret that never shows in logs or `Debug` output.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// The secret's value, for the one place that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The whole configuration of a process.
#[derive(Debug, Clone)]
pub struct Config {
    /// `DATABASE_URL`: SQLite file (the default) or PostgreSQL.
    pub database_url: String,
    /// `BIND_ADDR`: where HTTP is served.
    pub bind_addr: SocketAddr,
    /// `BASE_URL`: the public address, for links in emails and the origin check.
    pub base_url: Option<String>,
    /// `SECRET_KEY`: signs form tokens; generated and stored in the database when unset.
    pub secret_key: Option<Secret>,
    /// `SMTP_URL`: lettre's URL form; mail goes to the outbox folder when unset.
    pub smtp_url: Option<Secret>,
    /// `MAIL_FROM`: the sender of digests.
    pub mail_from: String,
    /// `MAIL_OUTBOX_DIR`: where `.eml` files go without SMTP.
    pub mail_outbox_dir: PathBuf,
    /// `DIGEST_TIMEZONE`: local dates for campaign windows and digests.
    pub timezone: chrono_tz::Tz,
    /// `RETENTION_DAYS`: how long consented contact emails are kept.
    pub retention_days: u32,
    /// `SUBMIT_RATE_LIMIT`: submissions per client IP per minute; 0 turns it off.
    pub submit_rate_limit: u32,
    /// `SURVEY_PAGE_CACHE_SECONDS`: how long a rendered survey page and a
    /// survey's questions are reused (each visitor still gets a fresh form
    /// token; whether a survey is open is checked as a response is stored);
    /// 0 reads every time.
    pub survey_page_cache_seconds: u32,
    /// `LOG_FORMAT`: `text` or `json`.
    pub log_format: LogFormat,
    /// `DIGEST_DAILY_CRON` and `DIGEST_WEEKLY_CRON`, validated, in `DIGEST_TIMEZONE`.
    pub schedule: crate::domain::schedule::Schedule,
    /// `SESSION_IDLE_MINUTES`: an officer's session ends after this long unused.
    pub session_idle_minutes: u32,
    /// `SESSION_MAX_HOURS`: an officer's session ends this long after sign-in.
    pub session_max_hours: u32,
    /// `MAX_CONNECTIONS`: open connections served at once; past it, idle
    /// ones are closed to make room, and when none is idle a new one is refused.
    pub max_connections: u32,
    /// `REQUEST_TIMEOUT_SECONDS`: how long a request may take to be answered.
    pub request_timeout_seconds: u32,
    /// `METRICS_ADDR`: a separate address serving only `/metrics`, for a
    /// private network; the public address then has no `/metrics`.
    pub metrics_addr: Option<SocketAddr>,
    /// `METRICS_TOKEN`: when set, `/metrics` on the public address answers
    /// requests carrying `Authorization: Bearer TOKEN`; unset, it is not served there.
    pub metrics_token: Option<Secret>,
    /// `OPERATOR_NAME`, `OPERATOR_CONTACT` and `STATEMENTS_REVIEWED_ON`:
    /// who runs the service, for the privacy notice and the accessibility
    /// statement. Unset, those pages say plainly they must be set.
    pub operator: Operator,
    /// `REMINDER_AFTER_DAYS` and `REMINDER_MAX`: a contact whose council has
    /// not responded gets a reminder this many days after the invitation (and
    /// after each reminder), at most this many times.
    pub reminders: crate::domain::contact::ReminderRule,
    /// `API_RATE_LIMIT`: requests per API token per minute; 0 turns it off.
    pub api_rate_limit: u32,
    /// `EMBED_ORIGINS`: the sites whose pages may post the embeddable
    /// "Was this useful?" form; empty, it is refused from everywhere.
    pub embed_origins: Vec<String>,
}

/// Who runs the service and answers for it, as the public statements name them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Operator {
    /// `OPERATOR_NAME`: the data controller, such as a department.
    pub name: Option<String>,
    /// `OPERATOR_CONTACT`: an email address for questions and requests.
    pub contact: Option<String>,
    /// `STATEMENTS_REVIEWED_ON`: when the statements were last reviewed.
    pub reviewed_on: Option<chrono::NaiveDate>,
}

/// A configuration value that was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{var}: {message}")]
pub struct ConfigError {
    /// The variable's name.
    pub var: &'static str,
    /// What is wrong and what would be right.
    pub message: String,
}

pub(crate) fn fail(var: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        var,
        message: message.into(),
    }
}

impl Config {
    /// How long officers' sessions last.
    pub fn session_lifetimes(&self) -> crate::store::sessions::Lifetimes {
        crate::store::sessions::Lifetimes {
            idle: chrono::Duration::minutes(i64::from(self.session_idle_minutes)),
            absolute: chrono::Duration::hours(i64::from(self.session_max_hours)),
        }
    }

    /// Whether cookies must be `Secure` (the public address is https).
    pub fn secure_cookies(&self) -> bool {
        self.base_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }

    /// Reads the process environment, then `.env` in the working directory for
    /// anything the environment does not set.
    ///
    /// # Errors
    /// The first [`ConfigError`] found, or an unreadable `.env` file.
    pub fn from_env() -> Result<Self, ConfigError> {
        let file = dotenv::read(Path::new(".env"))?;
        Self::from_lookup(|name| std::env::var(name).ok().or_else(|| file.get(name).cloned()))
    }

    /// Builds the configuration from any source of variables.
    ///
    /// # Errors
    /// The first [`ConfigError`] found.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let vars = Vars(get);
        let timezone = vars::timezone(&vars)?;
        let session_idle_minutes = vars.number("SESSION_IDLE_MINUTES")?;
        let session_max_hours = vars.number("SESSION_MAX_HOURS")?;
        Ok(Self {
            database_url: vars::database_url(&vars)?,
            bind_addr: vars
                .address("BIND_ADDR")?
                .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080))),
            base_url: vars::base_url(&vars)?,
            secret_key: vars.secret("SECRET_KEY", 32, "try `openssl rand -hex 32`")?,
            smtp_url: vars::smtp_url(&vars)?,
            mail_from: vars::mail_from(&vars)?,
            mail_outbox_dir: PathBuf::from(
                vars.get("MAIL_OUTBOX_DIR")
                    .unwrap_or_else(|| "./outbox".into()),
            ),
            timezone,
            retention_days: vars.number("RETENTION_DAYS")?,
            submit_rate_limit: vars.number("SUBMIT_RATE_LIMIT")?,
            survey_page_cache_seconds: vars.number("SURVEY_PAGE_CACHE_SECONDS")?,
            log_format: vars::log_format(&vars)?,
            schedule: vars::schedule(&vars, timezone)?,
            session_idle_minutes,
            session_max_hours,
            max_connections: vars.number("MAX_CONNECTIONS")?,
            request_timeout_seconds: vars.number("REQUEST_TIMEOUT_SECONDS")?,
            metrics_addr: vars.address("METRICS_ADDR")?,
            metrics_token: vars.secret("METRICS_TOKEN", 16, "try `openssl rand -hex 16`")?,
            operator: vars::operator(&vars)?,
            reminders: crate::domain::contact::ReminderRule {
                after_days: vars.number("REMINDER_AFTER_DAYS")?,
                max: vars.number("REMINDER_MAX")?,
            },
            embed_origins: vars::embed_origins(&vars)?,
            api_rate_limit: vars.number("API_RATE_LIMIT")?,
        })
    }
}
