//! Councils' contacts a campaign invites: reading the contacts file, and
//! when a contact is due a reminder.
//!
//! The file is CSV with a header row naming `email`, then `council_code`
//! (the register's code) or `organisation` (a name, for bodies outside the
//! register), and optionally `name`. Every row is checked before anything is
//! written; a file with one bad row imports nothing.

use crate::domain::officer::normalise_email;
use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;

/// The most rows one file may hold.
pub const MAX_ROWS: usize = 20_000;
/// The longest name or organisation kept.
const MAX_NAME_CHARS: usize = 200;

/// Who a contact speaks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Organisation {
    /// A council of the register, by code.
    Council(String),
    /// Another body, by name.
    Named(String),
}

/// One good row of a contacts file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactRow {
    /// Its line in the file (the header is line 1).
    pub line: u64,
    /// The address, lower-case.
    pub email: String,
    /// Who they speak for.
    pub organisation: Organisation,
    /// Their name, when given.
    pub name: Option<String>,
}

/// Why a contacts file was refused as a whole.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContactsFileError {
    /// The header does not name the columns needed.
    #[error(
        "the first row must name the columns: email, then council_code or organisation, and optionally name (found: {0})"
    )]
    Header(String),
    /// Some rows are wrong: each with its line and what to fix.
    #[error("{} rows refused; nothing was imported: correct them and import again", .0.len())]
    Rows(Vec<(u64, String)>),
    /// More rows than [`MAX_ROWS`].
    #[error("the file has more than {MAX_ROWS} rows: split it into several files")]
    TooLong,
}

/// Reads a contacts file; `is_council` says whether a code is a current
/// council of the register.
///
/// # Errors
/// [`ContactsFileError`]: every bad row with its line, or a header that
/// names no address or organisation column.
pub fn read_contacts(
    text: &str,
    is_council: impl Fn(&str) -> bool,
) -> Result<Vec<ContactRow>, ContactsFileError> {
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| ContactsFileError::Header(e.to_string()))?
        .clone();
    let column = |names: &[&str]| {
        header.iter().position(|h| {
            let h = h.to_lowercase().replace([' ', '-'], "_");
            names.contains(&h.as_str())
        })
    };
    let email = column(&["email", "email_address"]);
    let code = column(&["council_code", "code", "organisation_code"]);
    let organisation = column(&["organisation", "organisation_name", "organization"]);
    let name = column(&["name", "contact_name"]);
    let (Some(email), true) = (email, code.is_some() || organisation.is_some()) else {
        return Err(ContactsFileError::Header(
            header.iter().collect::<Vec<_>>().join(", "),
        ));
    };
    let mut rows = Vec::new();
    let mut refused = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for record in reader.records() {
        let line = match &record {
            Ok(r) => r.position(),
            Err(e) => e.position(),
        }
        .map_or(0, |p| line_at(text, p.byte()));
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                refused.push((line, format!("not readable as CSV: {e}")));
                continue;
            }
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        if rows.len() + refused.len() >= MAX_ROWS {
            return Err(ContactsFileError::TooLong);
        }
        let cell = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("").to_string();
        match read_row(
            (
                cell(Some(email)),
                cell(code),
                cell(organisation),
                cell(name),
            ),
            &is_council,
        ) {
            Ok(row) => {
                if let Some(first) = seen.insert(row.email.clone(), line) {
                    refused.push((
                        line,
                        format!(
                            "{} is already on line {first}: keep one row per address",
                            row.email
                        ),
                    ));
                } else {
                    rows.push(ContactRow { line, ..row });
                }
            }
            Err(problem) => refused.push((line, problem)),
        }
    }
    if refused.is_empty() {
        Ok(rows)
    } else {
        Err(ContactsFileError::Rows(refused))
    }
}

/// The line a record starts on, from its byte offset: the reader's own
/// count leaves out blank lines before the record, which people count.
fn line_at(text: &str, byte: u64) -> u64 {
    let byte = usize::try_from(byte).unwrap_or(usize::MAX).min(text.len());
    let (before, after) = text.as_bytes().split_at(byte);
    let newlines = |bytes: &[u8]| bytes.iter().filter(|b| **b == b'\n').count() as u64;
    let blank = after
        .iter()
        .take_while(|b| matches!(b, b'\r' | b'\n'))
        .copied()
        .collect::<Vec<u8>>();
    1 + newlines(before) + newlines(&blank)
}

fn read_row(
    (email, code, organisation, name): (String, String, String, String),
    is_council: &impl Fn(&str) -> bool,
) -> Result<ContactRow, String> {
    let email = normalise_email(&email).map_err(|_| {
        if email.is_empty() {
            "the email is empty: give each contact's address".to_string()
        } else {
            format!("“{email}” is not an email address: write it like name@council.gov.uk")
        }
    })?;
    let too_long = |what: &str, s: &str| {
        (s.chars().count() > MAX_NAME_CHARS)
            .then(|| format!("the {what} is longer than {MAX_NAME_CHARS} characters"))
    };
    let organisation = match (code.as_str(), organisation.as_str()) {
        ("", "") => {
            return Err(
                "no council code or organisation: give the register's code (such as BRD) or the organisation's name"
                    .into(),
            );
        }
        ("", named) => {
            if let Some(problem) = too_long("organisation", named) {
                return Err(problem);
            }
            Organisation::Named(named.to_string())
        }
        (code, _) => {
            let code = code.to_uppercase();
            if !is_council(&code) {
                return Err(format!(
                    "“{code}” is not the code of a current council in the register: check it on the coverage page, or give the organisation's name instead"
                ));
            }
            Organisation::Council(code)
        }
    };
    if let Some(problem) = too_long("name", &name) {
        return Err(problem);
    }
    Ok(ContactRow {
        line: 0,
        email,
        organisation,
        name: (!name.is_empty()).then_some(name),
    })
}

/// When reminders go, from `REMINDER_AFTER_DAYS` and `REMINDER_MAX`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReminderRule {
    /// Days after the invitation (or the previous reminder) before the next.
    pub after_days: u32,
    /// The most reminders one contact gets.
    pub max: u32,
}

impl ReminderRule {
    /// Which reminder (1, 2, …) a contact is due now, if any: `sent` is how
    /// many it has had, `last` when the latest email (invitation or
    /// reminder) went. With `now_first`, the first reminder does not wait
    /// for its days (`reminders run --now`); later ones always do, so a
    /// second run at once sends nothing.
    pub fn due(
        &self,
        sent: u32,
        last: DateTime<Utc>,
        now: DateTime<Utc>,
        now_first: bool,
    ) -> Option<u32> {
        if sent >= self.max {
            return None;
        }
        let waited = now - last >= Duration::days(i64::from(self.after_days));
        (waited || (now_first && sent == 0)).then_some(sent + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn councils(code: &str) -> bool {
        ["BRD", "WSM", "MTY"].contains(&code)
    }

    #[test]
    fn good_rows_are_read_with_their_lines_and_addresses_lowercased() {
        let file = "\u{feff}Email,Council code,Name\nA.Lead@Bradford.gov.uk,brd,Asha\n\nb@westminster.gov.uk,WSM,\n";
        let rows = read_contacts(file, councils).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].email, "a.lead@bradford.gov.uk");
        assert_eq!(rows[0].organisation, Organisation::Council("BRD".into()));
        assert_eq!(rows[0].name.as_deref(), Some("Asha"));
        assert_eq!(rows[1].line, 4);
        assert_eq!(rows[1].name, None);
    }

    #[test]
    fn every_bad_row_is_refused_with_its_line_and_what_to_fix() {
        let file = "email,council_code,organisation\nnot-an-address,BRD,\nx@y.gov.uk,NOPE,\nz@y.gov.uk,,\nok@y.gov.uk,,Transport for the North\nOK@y.gov.uk,WSM,\n";
        let Err(ContactsFileError::Rows(refused)) = read_contacts(file, councils) else {
            panic!("expected refused rows");
        };
        let lines: Vec<u64> = refused.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [2, 3, 4, 6]);
        assert!(refused[0].1.contains("not an email address"), "{refused:?}");
        assert!(
            refused[1].1.contains("“NOPE” is not the code"),
            "{refused:?}"
        );
        assert!(refused[2].1.contains("no council code or organisation"));
        assert!(refused[3].1.contains("already on line 5"), "{refused:?}");
    }

    #[test]
    fn a_header_without_an_address_column_is_refused_naming_what_it_found() {
        let err = read_contacts("who,where\na,b\n", councils).unwrap_err();
        assert!(err.to_string().contains("found: who, where"), "{err}");
        let err = read_contacts("email,name\na@b.gov.uk,A\n", councils).unwrap_err();
        assert!(matches!(err, ContactsFileError::Header(_)));
    }

    #[test]
    fn reminders_wait_their_days_stop_at_the_most_and_now_skips_only_the_first_wait() {
        let rule = ReminderRule {
            after_days: 7,
            max: 2,
        };
        let sent: DateTime<Utc> = "2026-11-01T09:00:00Z".parse().unwrap();
        let day = |d: i64| sent + Duration::days(d);
        assert_eq!(rule.due(0, sent, day(6), false), None);
        assert_eq!(rule.due(0, sent, day(7), false), Some(1));
        assert_eq!(rule.due(0, sent, day(1), true), Some(1));
        assert_eq!(rule.due(1, day(1), day(1), true), None);
        assert_eq!(rule.due(1, day(7), day(14), false), Some(2));
        assert_eq!(rule.due(2, day(14), day(40), true), None);
    }
}
