//! Typed settings from environment variables (and an optional `.env` file),
//! validated once at start-up. A bad value stops start-up with the
//! variable's name and what is wrong; secrets are never printed.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

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
        let file = read_dotenv(Path::new(".env"))?;
        Self::from_lookup(|name| std::env::var(name).ok().or_else(|| file.get(name).cloned()))
    }

    /// Builds the configuration from any source of variables.
    ///
    /// # Errors
    /// The first [`ConfigError`] found.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let var = |name: &str| {
            get(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let fail = |var: &'static str, message: String| ConfigError { var, message };

        let database_url =
            var("DATABASE_URL").unwrap_or_else(|| "sqlite://campaign-feedback.db?mode=rwc".into());
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            return Err(fail(
                "DATABASE_URL",
                "use sqlite://FILE?mode=rwc or postgres://USER@HOST/DB".into(),
            ));
        }
        let bind_addr = match var("BIND_ADDR") {
            Some(v) => v.parse().map_err(|_| {
                fail(
                    "BIND_ADDR",
                    format!("{v:?} is not an address like 127.0.0.1:8080"),
                )
            })?,
            None => SocketAddr::from(([127, 0, 0, 1], 8080)),
        };
        let base_url = match var("BASE_URL") {
            Some(v) if v.starts_with("http://") || v.starts_with("https://") => {
                Some(v.trim_end_matches('/').to_string())
            }
            Some(v) => {
                return Err(fail(
                    "BASE_URL",
                    format!("{v:?} must start with http:// or https://"),
                ));
            }
            None => None,
        };
        let secret_key = match var("SECRET_KEY") {
            Some(v) if v.len() >= 32 => Some(Secret(v)),
            Some(_) => {
                return Err(fail(
                    "SECRET_KEY",
                    "must be at least 32 characters; try `openssl rand -hex 32`".into(),
                ));
            }
            None => None,
        };
        let smtp_url = match var("SMTP_URL") {
            Some(v) if v.starts_with("smtp://") || v.starts_with("smtps://") => Some(Secret(v)),
            Some(_) => {
                return Err(fail(
                    "SMTP_URL",
                    "must start with smtp:// or smtps://".into(),
                ));
            }
            None => None,
        };
        let mail_from =
            var("MAIL_FROM").unwrap_or_else(|| "Campaign feedback <feedback@localhost>".into());
        if !mail_from.contains('@') {
            return Err(fail(
                "MAIL_FROM",
                format!("{mail_from:?} is not an email address"),
            ));
        }
        let mail_outbox_dir =
            PathBuf::from(var("MAIL_OUTBOX_DIR").unwrap_or_else(|| "./outbox".into()));
        let timezone = match var("DIGEST_TIMEZONE") {
            Some(v) => v.parse().map_err(|_| {
                fail(
                    "DIGEST_TIMEZONE",
                    format!("{v:?} is not an IANA time zone like Europe/London"),
                )
            })?,
            None => chrono_tz::Europe::London,
        };
        let number = |name: &'static str, default: u32| -> Result<u32, ConfigError> {
            match var(name) {
                Some(v) => v
                    .parse()
                    .map_err(|_| fail(name, format!("{v:?} is not a whole number"))),
                None => Ok(default),
            }
        };
        let retention_days = number("RETENTION_DAYS", 365)?;
        if retention_days == 0 {
            return Err(fail("RETENTION_DAYS", "must be at least 1".into()));
        }
        let submit_rate_limit = number("SUBMIT_RATE_LIMIT", 20)?;
        let survey_page_cache_seconds = number("SURVEY_PAGE_CACHE_SECONDS", 2)?;
        if survey_page_cache_seconds > 3600 {
            return Err(fail(
                "SURVEY_PAGE_CACHE_SECONDS",
                "must be at most 3600 (an hour), so changes to a survey show within it".into(),
            ));
        }
        let log_format = match var("LOG_FORMAT").as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(fail(
                    "LOG_FORMAT",
                    format!("{other:?} is neither text nor json"),
                ));
            }
        };
        let daily = var("DIGEST_DAILY_CRON").unwrap_or_else(|| "0 8 * * *".into());
        let weekly = var("DIGEST_WEEKLY_CRON").unwrap_or_else(|| "0 8 * * MON".into());
        let schedule =
            crate::domain::schedule::Schedule::new(&daily, &weekly, timezone).map_err(|m| {
                let var = if m.starts_with("daily") {
                    "DIGEST_DAILY_CRON"
                } else {
                    "DIGEST_WEEKLY_CRON"
                };
                fail(
                    var,
                    format!("{m}; use five cron fields such as \"0 8 * * MON\""),
                )
            })?;
        let session_idle_minutes = number("SESSION_IDLE_MINUTES", 30)?;
        let session_max_hours = number("SESSION_MAX_HOURS", 12)?;
        if session_idle_minutes == 0 || session_max_hours == 0 {
            let var = if session_idle_minutes == 0 {
                "SESSION_IDLE_MINUTES"
            } else {
                "SESSION_MAX_HOURS"
            };
            return Err(fail(var, "must be at least 1".into()));
        }
        Ok(Self {
            database_url,
            bind_addr,
            base_url,
            secret_key,
            smtp_url,
            mail_from,
            mail_outbox_dir,
            timezone,
            retention_days,
            submit_rate_limit,
            survey_page_cache_seconds,
            log_format,
            schedule,
            session_idle_minutes,
            session_max_hours,
        })
    }
}

fn read_dotenv(path: &Path) -> Result<HashMap<String, String>, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(HashMap::new()),
        Err(e) => {
            return Err(ConfigError {
                var: ".env",
                message: e.to_string(),
            });
        }
    };
    let mut vars = HashMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.trim_start_matches("export ").split_once('=') else {
            return Err(ConfigError {
                var: ".env",
                message: format!("line {} is not NAME=value", n + 1),
            });
        };
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        vars.insert(key.trim().to_string(), value.to_string());
    }
    Ok(vars)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|n| map.get(n).cloned())
    }

    #[test]
    fn the_defaults_are_the_embedded_setup() {
        let c = config(&[]).unwrap();
        assert_eq!(c.database_url, "sqlite://campaign-feedback.db?mode=rwc");
        assert_eq!(c.bind_addr.to_string(), "127.0.0.1:8080");
        assert_eq!(c.mail_outbox_dir, PathBuf::from("./outbox"));
        assert_eq!(c.timezone, chrono_tz::Europe::London);
    }

    #[test]
    fn a_bad_value_names_its_variable() {
        assert_eq!(
            config(&[("BIND_ADDR", "nowhere")]).unwrap_err().var,
            "BIND_ADDR"
        );
        assert_eq!(
            config(&[("SECRET_KEY", "short")]).unwrap_err().var,
            "SECRET_KEY"
        );
        assert_eq!(
            config(&[("DIGEST_TIMEZONE", "Mars/Olympus")])
                .unwrap_err()
                .var,
            "DIGEST_TIMEZONE"
        );
        assert_eq!(
            config(&[("SUBMIT_RATE_LIMIT", "-3")]).unwrap_err().var,
            "SUBMIT_RATE_LIMIT"
        );
        assert_eq!(
            config(&[("LOG_FORMAT", "xml")]).unwrap_err().var,
            "LOG_FORMAT"
        );
    }

    #[test]
    fn secrets_do_not_show_in_debug_output() {
        let c = config(&[("SECRET_KEY", "0123456789abcdef0123456789abcdef-very-secret")]).unwrap();
        assert!(!format!("{c:?}").contains("very-secret"));
    }
}
