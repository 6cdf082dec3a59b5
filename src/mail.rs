//! Sending email: over SMTP (lettre's URL form in `SMTP_URL`), or, without
//! it, as `.eml` files in `MAIL_OUTBOX_DIR`. Mail is never dropped silently:
//! every failure comes back as transient (try again) or permanent.

use crate::config::Config;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

/// One email to send: both a plain-text and an HTML part.
#[derive(Debug, Clone)]
pub struct Email {
    /// The recipient's address.
    pub to: String,
    /// The subject line.
    pub subject: String,
    /// The plain-text part.
    pub text: String,
    /// The HTML part (inline styles only).
    pub html: String,
    /// Fixed per delivery, so a resend can be recognised: `<id@host>`.
    pub message_id: String,
    /// The `Date` header.
    pub date: SystemTime,
    /// A one-click unsubscribe address: sent as `List-Unsubscribe` with
    /// `List-Unsubscribe-Post` (RFC 8058), for invitations and reminders.
    pub unsubscribe: Option<String>,
}

impl Email {
    /// Renders `templates/email/{folder}/subject.txt`, `body.txt` and
    /// `body.html` with `ctx`; the subject on one line.
    ///
    /// # Errors
    /// A template bug.
    pub fn from_templates(
        folder: &str,
        ctx: minijinja::Value,
        to: &str,
        message_id: String,
    ) -> Result<Self, minijinja::Error> {
        let render = |file: &str| {
            crate::templates::render_text(&format!("email/{folder}/{file}"), ctx.clone())
        };
        Ok(Self {
            to: to.to_string(),
            subject: render("subject.txt")?
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            text: render("body.txt")?,
            html: render("body.html")?,
            message_id,
            date: SystemTime::now(),
            unsubscribe: None,
        })
    }
}

/// The host name of a base URL, for `Message-ID`s.
pub fn host_of(base_url: &str) -> &str {
    base_url
        .split("://")
        .nth(1)
        .unwrap_or("localhost")
        .split(['/', ':'])
        .next()
        .filter(|h| !h.is_empty())
        .unwrap_or("localhost")
}

/// Why an email was not sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Worth trying again later: connection refused, timeout, SMTP 4xx.
    #[error("temporary failure: {0}")]
    Transient(String),
    /// Will not succeed as it is: SMTP 5xx, a bad address, a bad message.
    #[error("permanent failure: {0}")]
    Permanent(String),
}

/// Where mail goes.
#[derive(Clone)]
pub enum Mailer {
    /// A real SMTP server.
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// `.eml` files in a folder, one per message id.
    Outbox(PathBuf),
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Smtp(_) => f.write_str("Mailer::Smtp"),
            Self::Outbox(dir) => write!(f, "Mailer::Outbox({})", dir.display()),
        }
    }
}

impl Mailer {
    /// The mailer the configuration asks for.
    ///
    /// # Errors
    /// An `SMTP_URL` lettre cannot read.
    pub fn from_config(config: &Config) -> Result<Self, String> {
        match &config.smtp_url {
            Some(url) => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
                    .map_err(|e| format!("SMTP_URL: {e}"))?
                    .timeout(Some(Duration::from_secs(20)))
                    .build();
                Ok(Self::Smtp(transport))
            }
            None => Ok(Self::Outbox(config.mail_outbox_dir.clone())),
        }
    }

    /// Sends `email` from `from`.
    ///
    /// # Errors
    /// [`SendError`], transient or permanent.
    pub async fn send(&self, from: &str, email: &Email) -> Result<(), SendError> {
        let message = build(from, email)?;
        match self {
            Self::Smtp(transport) => transport.send(message).await.map(|_| ()).map_err(|e| {
                if e.is_permanent() {
                    SendError::Permanent(e.to_string())
                } else {
                    SendError::Transient(e.to_string())
                }
            }),
            Self::Outbox(dir) => {
                tokio::fs::create_dir_all(dir)
                    .await
                    .map_err(|e| SendError::Transient(format!("{}: {e}", dir.display())))?;
                let name: String = email
                    .message_id
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect();
                let path = dir.join(format!("{name}.eml"));
                let partial = dir.join(format!(".{name}.eml.part"));
                tokio::fs::write(&partial, message.formatted())
                    .await
                    .map_err(|e| SendError::Transient(e.to_string()))?;
                tokio::fs::rename(&partial, &path)
                    .await
                    .map_err(|e| SendError::Transient(e.to_string()))
            }
        }
    }
}

fn build(from: &str, email: &Email) -> Result<Message, SendError> {
    let from: Mailbox = from
        .parse()
        .map_err(|e| SendError::Permanent(format!("MAIL_FROM: {e}")))?;
    let to: Mailbox = email
        .to
        .parse()
        .map_err(|e| SendError::Permanent(format!("recipient address: {e}")))?;
    let mut builder = Message::builder()
        .from(from)
        .to(to)
        .subject(&email.subject)
        .message_id(Some(email.message_id.clone()))
        .date(email.date);
    if let Some(url) = &email.unsubscribe {
        let header = |name: &'static str, value: String| {
            HeaderValue::new(HeaderName::new_from_ascii_str(name), value)
        };
        builder = builder
            .raw_header(header("List-Unsubscribe", format!("<{url}>")))
            .raw_header(header(
                "List-Unsubscribe-Post",
                "List-Unsubscribe=One-Click".into(),
            ));
    }
    builder
        .multipart(MultiPart::alternative_plain_html(
            email.text.clone(),
            email.html.clone(),
        ))
        .map_err(|e| SendError::Permanent(format!("building the message: {e}")))
}
