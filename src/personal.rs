//! Keeping the promise made on the form: a contact email is kept only for
//! `RETENTION_DAYS`, and anyone can have theirs erased or see what is held
//! about them. The command line (`data purge|erase|report`), the admin
//! page `/admin/data` and the scheduled housekeeping all come here.

use crate::export::encoder::neutralise;
use crate::store::personal::{self, HeldAbout};
use crate::store::users::Actor;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{DatabaseConnection, DbErr};

/// The moment before which contact details are no longer kept.
pub fn retention_cutoff(now: DateTime<Utc>, retention_days: u32) -> DateTime<Utc> {
    now.checked_sub_signed(Duration::days(i64::from(retention_days)))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// Deletes every contact email older than `retention_days`; returns how
/// many, counted in `personal_data_purged_total` and the audit log.
///
/// # Errors
/// The database's error; then nothing is deleted.
pub async fn purge(
    db: &DatabaseConnection,
    retention_days: u32,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let cutoff = retention_cutoff(now, retention_days);
    let purged = personal::purge_contacts(db, cutoff, now).await?;
    if purged > 0 {
        metrics::counter!("personal_data_purged_total", "kind" => "contact_email")
            .increment(purged);
        tracing::info!(
            contact_emails = purged,
            "personal data past retention deleted"
        );
    }
    Ok(purged)
}

/// Erases an address from every response it was given with and deletes
/// the campaigns' contacts with it; returns how many of each.
///
/// # Errors
/// The database's error; then nothing is erased.
pub async fn erase(
    db: &DatabaseConnection,
    email: &str,
    by: (Actor, DateTime<Utc>),
) -> Result<(u64, u64), DbErr> {
    let (responses, contacts) = personal::erase_contact(db, email, by).await?;
    metrics::counter!("personal_data_erased_total").increment(responses + contacts);
    Ok((responses, contacts))
}

/// The two forms a subject-access report takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// Everything, nested, for machines and careful readers.
    Json,
    /// One line per item held, for a spreadsheet.
    Csv,
}

impl ReportFormat {
    /// `json` or `csv`.
    ///
    /// # Errors
    /// What the formats are, for anything else.
    pub fn parse(text: &str) -> Result<Self, String> {
        match text {
            "json" => Ok(Self::Json),
            "csv" => Ok(Self::Csv),
            other => Err(format!("{other:?} is not a report format: use json or csv")),
        }
    }

    /// The file name's ending and the media type.
    pub fn extension_and_type(self) -> (&'static str, &'static str) {
        match self {
            Self::Json => ("json", "application/json"),
            Self::Csv => ("csv", "text/csv; charset=utf-8"),
        }
    }
}

/// Writes what is held about an address in `format`.
///
/// # Errors
/// Only a bug in the writers (serialising in memory cannot fail otherwise).
pub fn render_report(held: &HeldAbout, format: ReportFormat) -> Result<Vec<u8>, String> {
    match format {
        ReportFormat::Json => serde_json::to_vec_pretty(held).map_err(|e| e.to_string()),
        ReportFormat::Csv => report_csv(held).map_err(|e| e.to_string()),
    }
}

/// `what,reference,field,value`: one line per thing held, every cell safe
/// to open in a spreadsheet.
fn report_csv(held: &HeldAbout) -> csv::Result<Vec<u8>> {
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    out.write_record(["what", "reference", "field", "value"])?;
    let mut line = |what: &str, reference: &str, field: &str, value: &str| {
        out.write_record([what, reference, &neutralise(field), &neutralise(value)])
    };
    for r in &held.responses {
        let organisation = r
            .organisation_code
            .clone()
            .or_else(|| r.other_organisation_name.clone())
            .unwrap_or_default();
        line("response", &r.reference, "survey", &r.survey)?;
        line(
            "response",
            &r.reference,
            "survey_version",
            &r.version.to_string(),
        )?;
        line(
            "response",
            &r.reference,
            "submitted_at",
            &r.submitted_at.to_rfc3339(),
        )?;
        line("response", &r.reference, "organisation", &organisation)?;
        let sector = r.other_organisation_sector.as_deref().unwrap_or_default();
        line("response", &r.reference, "organisation_sector", sector)?;
        let contact = r.contact_email.as_deref().unwrap_or_default();
        line("response", &r.reference, "contact_email", contact)?;
        for (key, value) in &r.answers {
            line("answer", &r.reference, key, value)?;
        }
    }
    for c in &held.contacts {
        line("contact", "", "campaign", &c.campaign)?;
        line("contact", "", "organisation", &c.organisation)?;
        line("contact", "", "name", c.name.as_deref().unwrap_or_default())?;
        let when = |t: Option<DateTime<Utc>>| t.map(|t| t.to_rfc3339()).unwrap_or_default();
        line("contact", "", "link_followed_at", &when(c.link_followed_at))?;
        line("contact", "", "unsubscribed_at", &when(c.unsubscribed_at))?;
        for (kind, sent_at) in &c.emails {
            line("contact", "", kind, &when(*sent_at))?;
        }
    }
    if let Some(o) = &held.officer {
        line("officer", "", "email", &o.email)?;
        line("officer", "", "name", &o.name)?;
        line("officer", "", "role", o.role.as_str())?;
        line("officer", "", "added_at", &o.created_at.to_rfc3339())?;
        line(
            "officer",
            "",
            "disabled",
            if o.disabled { "yes" } else { "no" },
        )?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_cutoff_is_the_retention_period_before_now() {
        let now = Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap();
        assert_eq!(
            retention_cutoff(now, 365),
            Utc.with_ymd_and_hms(2025, 11, 30, 12, 0, 0).unwrap()
        );
    }

    #[test]
    fn an_empty_report_still_has_its_header_and_says_no_officer() {
        let held = HeldAbout {
            email: "nobody@example.org".into(),
            responses: Vec::new(),
            officer: None,
            contacts: Vec::new(),
        };
        let csv = render_report(&held, ReportFormat::Csv).unwrap();
        assert_eq!(csv, b"what,reference,field,value\r\n");
        let json: serde_json::Value =
            serde_json::from_slice(&render_report(&held, ReportFormat::Json).unwrap()).unwrap();
        assert_eq!(json["officer"], serde_json::Value::Null);
        assert_eq!(json["responses"], serde_json::json!([]));
    }
}
