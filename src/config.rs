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

fn fail(var: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        var,
        message: message.into(),
    }
}

/// Whole-number settings: default and the range accepted. The bounds keep
/// every sum on dates and durations made from them far from overflowing.
const NUMBERS: &[(&str, u32, u32, u32)] = &[
    // (variable, default, least, most)
    ("RETENTION_DAYS", 365, 1, 3_650),
    ("SUBMIT_RATE_LIMIT", 20, 0, 100_000),
    ("SURVEY_PAGE_CACHE_SECONDS", 2, 0, 3_600),
    ("SESSION_IDLE_MINUTES", 30, 1, 1_440),
    ("SESSION_MAX_HOURS", 12, 1, 720),
    ("MAX_CONNECTIONS", 2_048, 16, 100_000),
    ("REQUEST_TIMEOUT_SECONDS", 10, 1, 300),
];

/// The variables of one process, read once: blank counts as unset.
struct Vars<F>(F);

impl<F: Fn(&str) -> Option<String>> Vars<F> {
    fn get(&self, name: &str) -> Option<String> {
        (self.0)(name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }

    /// A whole number within its bounds from [`NUMBERS`].
    fn number(&self, name: &'static str) -> Result<u32, ConfigError> {
        let Some(&(_, default, least, most)) = NUMBERS.iter().find(|(n, ..)| *n == name) else {
            return Err(fail(name, "is not a known whole-number setting"));
        };
        let Some(text) = self.get(name) else {
            return Ok(default);
        };
        let bounds = || format!("a whole number from {least} to {most} (default {default})");
        let value: u64 = text
            .parse()
            .map_err(|_| fail(name, format!("{text:?} is not {}", bounds())))?;
        u32::try_from(value)
            .ok()
            .filter(|v| (least..=most).contains(v))
            .ok_or_else(|| fail(name, format!("{value} is out of range: use {}", bounds())))
    }

    fn address(&self, name: &'static str) -> Result<Option<SocketAddr>, ConfigError> {
        self.get(name)
            .map(|v| {
                v.parse()
                    .map_err(|_| fail(name, format!("{v:?} is not an address like 127.0.0.1:8080")))
            })
            .transpose()
    }

    fn secret(
        &self,
        name: &'static str,
        min_len: usize,
        hint: &str,
    ) -> Result<Option<Secret>, ConfigError> {
        match self.get(name) {
            Some(v) if v.len() >= min_len => Ok(Some(Secret(v))),
            Some(_) => Err(fail(
                name,
                format!("must be at least {min_len} characters; {hint}"),
            )),
            None => Ok(None),
        }
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
        let file = read_dotenv(Path::new(".env"))?;
        Self::from_lookup(|name| std::env::var(name).ok().or_else(|| file.get(name).cloned()))
    }

    /// Builds the configuration from any source of variables.
    ///
    /// # Errors
    /// The first [`ConfigError`] found.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let vars = Vars(get);
        let timezone = timezone(&vars)?;
        let session_idle_minutes = vars.number("SESSION_IDLE_MINUTES")?;
        let session_max_hours = vars.number("SESSION_MAX_HOURS")?;
        Ok(Self {
            database_url: database_url(&vars)?,
            bind_addr: vars
                .address("BIND_ADDR")?
                .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080))),
            base_url: base_url(&vars)?,
            secret_key: vars.secret("SECRET_KEY", 32, "try `openssl rand -hex 32`")?,
            smtp_url: smtp_url(&vars)?,
            mail_from: mail_from(&vars)?,
            mail_outbox_dir: PathBuf::from(
                vars.get("MAIL_OUTBOX_DIR")
                    .unwrap_or_else(|| "./outbox".into()),
            ),
            timezone,
            retention_days: vars.number("RETENTION_DAYS")?,
            submit_rate_limit: vars.number("SUBMIT_RATE_LIMIT")?,
            survey_page_cache_seconds: vars.number("SURVEY_PAGE_CACHE_SECONDS")?,
            log_format: log_format(&vars)?,
            schedule: schedule(&vars, timezone)?,
            session_idle_minutes,
            session_max_hours,
            max_connections: vars.number("MAX_CONNECTIONS")?,
            request_timeout_seconds: vars.number("REQUEST_TIMEOUT_SECONDS")?,
            metrics_addr: vars.address("METRICS_ADDR")?,
            metrics_token: vars.secret("METRICS_TOKEN", 16, "try `openssl rand -hex 16`")?,
        })
    }
}

fn database_url(vars: &Vars<impl Fn(&str) -> Option<String>>) -> Result<String, ConfigError> {
    let url = vars
        .get("DATABASE_URL")
        .unwrap_or_else(|| "sqlite://campaign-feedback.db?mode=rwc".into());
    let known = ["sqlite:", "postgres://", "postgresql://"];
    if known.iter().any(|scheme| url.starts_with(scheme)) {
        Ok(url)
    } else {
        Err(fail(
            "DATABASE_URL",
            "use sqlite://FILE?mode=rwc or postgres://USER@HOST/DB",
        ))
    }
}

fn base_url(vars: &Vars<impl Fn(&str) -> Option<String>>) -> Result<Option<String>, ConfigError> {
    match vars.get("BASE_URL") {
        Some(v) if v.starts_with("http://") || v.starts_with("https://") => {
            Ok(Some(v.trim_end_matches('/').to_string()))
        }
        Some(v) => Err(fail(
            "BASE_URL",
            format!("{v:?} must start with http:// or https://"),
        )),
        None => Ok(None),
    }
}

fn smtp_url(vars: &Vars<impl Fn(&str) -> Option<String>>) -> Result<Option<Secret>, ConfigError> {
    match vars.get("SMTP_URL") {
        Some(v) if v.starts_with("smtp://") || v.starts_with("smtps://") => Ok(Some(Secret(v))),
        Some(_) => Err(fail("SMTP_URL", "must start with smtp:// or smtps://")),
        None => Ok(None),
    }
}

fn mail_from(vars: &Vars<impl Fn(&str) -> Option<String>>) -> Result<String, ConfigError> {
    let from = vars
        .get("MAIL_FROM")
        .unwrap_or_else(|| "Campaign feedback <feedback@localhost>".into());
    if from.contains('@') {
        Ok(from)
    } else {
        Err(fail(
            "MAIL_FROM",
            format!("{from:?} is not an email address"),
        ))
    }
}

fn timezone(vars: &Vars<impl Fn(&str) -> Option<String>>) -> Result<chrono_tz::Tz, ConfigError> {
    match vars.get("DIGEST_TIMEZONE") {
        Some(v) => v.parse().map_err(|_| {
            fail(
                "DIGEST_TIMEZONE",
                format!("{v:?} is not an IANA time zone like Europe/London"),
            )
        }),
        None => Ok(chrono_tz::Europe::London),
    }
}

fn log_format(vars: &Vars<impl Fn(&str) -> Option<String>>) -> Result<LogFormat, ConfigError> {
    match vars.get("LOG_FORMAT").as_deref() {
        None | Some("text") => Ok(LogFormat::Text),
        Some("json") => Ok(LogFormat::Json),
        Some(other) => Err(fail(
            "LOG_FORMAT",
            format!("{other:?} is neither text nor json"),
        )),
    }
}

fn schedule(
    vars: &Vars<impl Fn(&str) -> Option<String>>,
    timezone: chrono_tz::Tz,
) -> Result<crate::domain::schedule::Schedule, ConfigError> {
    let daily = vars
        .get("DIGEST_DAILY_CRON")
        .unwrap_or_else(|| "0 8 * * *".into());
    let weekly = vars
        .get("DIGEST_WEEKLY_CRON")
        .unwrap_or_else(|| "0 8 * * MON".into());
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
    })
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
    fn every_whole_number_setting_is_bounded_and_the_refusal_names_it() {
        for &(name, default, least, most) in NUMBERS {
            for bad in [
                (u64::from(most) + 1).to_string(),
                u64::from(u32::MAX).to_string(),
                "18446744073709551616".to_string(),
                "-1".to_string(),
                "1.5".to_string(),
            ] {
                let e = config(&[(name, &bad)]).unwrap_err();
                assert_eq!(e.var, name, "{bad}");
                assert!(
                    e.message.contains(&format!("from {least} to {most}")),
                    "{name}={bad}: {}",
                    e.message
                );
            }
            if least > 0 {
                assert_eq!(
                    config(&[(name, &(least - 1).to_string())]).unwrap_err().var,
                    name
                );
            }
            assert!(
                config(&[(name, &most.to_string())]).is_ok(),
                "{name}={most}"
            );
            assert!(
                config(&[(name, &default.to_string())]).is_ok(),
                "{name}={default}"
            );
        }
    }

    #[test]
    fn the_longest_sessions_allowed_still_fit_on_the_calendar() {
        let c = config(&[
            ("SESSION_MAX_HOURS", "720"),
            ("SESSION_IDLE_MINUTES", "1440"),
        ])
        .unwrap();
        let life = c.session_lifetimes();
        let now = chrono::Utc::now();
        assert!(now.checked_add_signed(life.absolute).is_some());
        assert!(now.checked_sub_signed(life.idle).is_some());
    }

    #[test]
    fn secrets_do_not_show_in_debug_output() {
        let c = config(&[("SECRET_KEY", "0123456789abcdef0123456789abcdef-very-secret")]).unwrap();
        assert!(!format!("{c:?}").contains("very-secret"));
    }
}
