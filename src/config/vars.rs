//! Reading each variable: whole numbers within their bounds, addresses,
//! secrets, and the variables with rules of their own.

use super::{ConfigError, LogFormat, Secret, fail};
use std::net::SocketAddr;

/// Whole-number settings: default and the range accepted. The bounds keep
/// every sum on dates and durations made from them far from overflowing.
pub(super) const NUMBERS: &[(&str, u32, u32, u32)] = &[
    // (variable, default, least, most)
    ("RETENTION_DAYS", 365, 1, 3_650),
    ("SUBMIT_RATE_LIMIT", 20, 0, 100_000),
    ("SURVEY_PAGE_CACHE_SECONDS", 2, 0, 3_600),
    ("SESSION_IDLE_MINUTES", 30, 1, 1_440),
    ("SESSION_MAX_HOURS", 12, 1, 720),
    ("MAX_CONNECTIONS", 2_048, 16, 100_000),
    ("REQUEST_TIMEOUT_SECONDS", 10, 1, 300),
    ("REMINDER_AFTER_DAYS", 7, 0, 365),
    ("REMINDER_MAX", 2, 0, 10),
    ("API_RATE_LIMIT", 600, 0, 100_000),
];

/// The variables of one process, read once: blank counts as unset.
pub(super) struct Vars<F>(pub(super) F);

impl<F: Fn(&str) -> Option<String>> Vars<F> {
    pub(super) fn get(&self, name: &str) -> Option<String> {
        (self.0)(name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }

    /// A whole number within its bounds from [`NUMBERS`].
    pub(super) fn number(&self, name: &'static str) -> Result<u32, ConfigError> {
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

    pub(super) fn address(&self, name: &'static str) -> Result<Option<SocketAddr>, ConfigError> {
        self.get(name)
            .map(|v| {
                v.parse()
                    .map_err(|_| fail(name, format!("{v:?} is not an address like 127.0.0.1:8080")))
            })
            .transpose()
    }

    pub(super) fn secret(
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

pub(super) fn database_url(
    vars: &Vars<impl Fn(&str) -> Option<String>>,
) -> Result<String, ConfigError> {
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

pub(super) fn base_url(
    vars: &Vars<impl Fn(&str) -> Option<String>>,
) -> Result<Option<String>, ConfigError> {
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

pub(super) fn smtp_url(
    vars: &Vars<impl Fn(&str) -> Option<String>>,
) -> Result<Option<Secret>, ConfigError> {
    match vars.get("SMTP_URL") {
        Some(v) if v.starts_with("smtp://") || v.starts_with("smtps://") => Ok(Some(Secret(v))),
        Some(_) => Err(fail("SMTP_URL", "must start with smtp:// or smtps://")),
        None => Ok(None),
    }
}

pub(super) fn mail_from(
    vars: &Vars<impl Fn(&str) -> Option<String>>,
) -> Result<String, ConfigError> {
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

pub(super) fn operator(
    vars: &Vars<impl Fn(&str) -> Option<String>>,
) -> Result<super::Operator, ConfigError> {
    let text = |name| {
        vars.get(name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let contact = text("OPERATOR_CONTACT");
    if let Some(c) = &contact
        && !c.contains('@')
    {
        return Err(fail(
            "OPERATOR_CONTACT",
            format!("{c:?} is not an email address; give the address people write to"),
        ));
    }
    let reviewed_on = match text("STATEMENTS_REVIEWED_ON") {
        Some(day) => Some(day.parse().map_err(|_| {
            fail(
                "STATEMENTS_REVIEWED_ON",
                format!("{day:?} is not a date: write it as YYYY-MM-DD"),
            )
        })?),
        None => None,
    };
    Ok(super::Operator {
        name: text("OPERATOR_NAME"),
        contact,
        reviewed_on,
    })
}

pub(super) fn timezone(
    vars: &Vars<impl Fn(&str) -> Option<String>>,
) -> Result<chrono_tz::Tz, ConfigError> {
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

pub(super) fn log_format(
    vars: &Vars<impl Fn(&str) -> Option<String>>,
) -> Result<LogFormat, ConfigError> {
    match vars.get("LOG_FORMAT").as_deref() {
        None | Some("text") => Ok(LogFormat::Text),
        Some("json") => Ok(LogFormat::Json),
        Some(other) => Err(fail(
            "LOG_FORMAT",
            format!("{other:?} is neither text nor json"),
        )),
    }
}

pub(super) fn schedule(
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

/// `EMBED_ORIGINS`: the sites allowed to post the embeddable form, as
/// origins (`https://www.example.gov.uk`) separated by commas or spaces.
pub(super) fn embed_origins(
    vars: &Vars<impl Fn(&str) -> Option<String>>,
) -> Result<Vec<String>, ConfigError> {
    let Some(list) = vars.get("EMBED_ORIGINS") else {
        return Ok(Vec::new());
    };
    list.split([',', ' '])
        .filter(|o| !o.is_empty())
        .map(|origin| {
            let origin = origin.trim_end_matches('/').to_lowercase();
            let host = origin
                .strip_prefix("https://")
                .or_else(|| origin.strip_prefix("http://"));
            match host {
                Some(host) if !host.is_empty() && !host.contains(['/', '?', '#', '@']) => {
                    Ok(origin)
                }
                _ => Err(fail(
                    "EMBED_ORIGINS",
                    format!(
                        "{origin:?} is not an origin: write the scheme and host only, like https://www.example.gov.uk"
                    ),
                )),
            }
        })
        .collect()
}
