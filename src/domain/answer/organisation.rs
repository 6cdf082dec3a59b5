//! The two answers that are not kept with the others: the organisation
//! (a council of the register, or another organisation with its sector)
//! and the contact email, kept only with consent.

use super::{OrganisationAnswer, SECTORS, clean_text, first_input_id};
use crate::domain::form::FormData;
use crate::domain::question::{EMAIL_MAX_CHARS, ORGANISATION_NAME_MAX_CHARS, Question};

pub(super) type Problem = (String, String);

pub(super) fn parse_organisation(
    question: &Question,
    form: &FormData,
    councils_available: bool,
) -> Result<Option<OrganisationAnswer>, Problem> {
    let k = &question.key;
    let council = form
        .get(&format!("{k}-council"))
        .map(str::trim)
        .unwrap_or("");
    let name = clean_text(form.get(&format!("{k}-name")).unwrap_or(""));
    let sector = form
        .get(&format!("{k}-sector"))
        .map(str::trim)
        .unwrap_or("");
    let kind = match form.get(k) {
        Some(kind) => kind,
        None if !councils_available => "other",
        None if !council.is_empty() => "council",
        None if !name.is_empty() => "other",
        None if question.required => {
            return Err((first_input_id(question), question.missing_message()));
        }
        None => return Ok(None),
    };
    match kind {
        "council" if councils_available => {
            if council.is_empty() {
                return Err((
                    format!("{k}-council"),
                    "Select your council from the list".into(),
                ));
            }
            Ok(Some(OrganisationAnswer::Council(council.to_string())))
        }
        "other" => {
            if name.is_empty() && sector.is_empty() && !question.required {
                return Ok(None);
            }
            if name.is_empty() {
                return Err((
                    format!("{k}-name"),
                    "Enter the name of your organisation".into(),
                ));
            }
            if name.chars().count() > ORGANISATION_NAME_MAX_CHARS {
                return Err((
                    format!("{k}-name"),
                    format!(
                        "Enter {ORGANISATION_NAME_MAX_CHARS} characters or fewer for the name of your organisation"
                    ),
                ));
            }
            if !SECTORS.iter().any(|(v, _)| *v == sector) {
                return Err((
                    format!("{k}-sector"),
                    "Select the sector your organisation works in".into(),
                ));
            }
            Ok(Some(OrganisationAnswer::Other {
                name,
                sector: sector.to_string(),
            }))
        }
        _ => Err((
            first_input_id(question),
            format!("Select one of the options given for {}", question.quoted()),
        )),
    }
}

pub(super) fn parse_email(question: &Question, form: &FormData) -> Result<Option<String>, Problem> {
    let k = &question.key;
    let email = form.get(k).map(str::trim).unwrap_or("");
    let consent = form.get(&format!("{k}-consent")) == Some("yes");
    match (email.is_empty(), consent) {
        (true, false) if question.required => Err((k.clone(), question.missing_message())),
        (true, false) => Ok(None),
        (true, true) => Err((
            k.clone(),
            "Enter your email address, or untick the box if you do not want to be contacted".into(),
        )),
        (false, false) => Err((
            format!("{k}-consent"),
            "Tick the box to agree that we keep your email address, or delete the email address"
                .into(),
        )),
        (false, true) if !looks_like_email(email) => Err((
            k.clone(),
            "Enter an email address in the correct format, like name@example.gov.uk".into(),
        )),
        (false, true) => Ok(Some(email.to_string())),
    }
}

/// A deliberately simple check: one `@`, a dot in the domain, no spaces.
fn looks_like_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    email.chars().count() <= EMAIL_MAX_CHARS
        && !local.is_empty()
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && !domain.contains('@')
        && domain.split('.').count() >= 2
        && domain.split('.').all(|part| !part.is_empty())
}
