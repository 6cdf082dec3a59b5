//! The two answers that are not kept with the others: the organisation
//! (a council of the register, or another organisation with its sector)
//! and the contact email, kept only with consent.

use super::{OrganisationAnswer, SECTORS, clean_text, first_input_id};
use crate::domain::form::FormData;
use crate::domain::lang::Msg;
use crate::domain::question::{EMAIL_MAX_CHARS, ORGANISATION_NAME_MAX_CHARS, Question};

pub(super) type Problem = (String, Msg);

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
                return Err((format!("{k}-council"), Msg::new("error-select-council")));
            }
            Ok(Some(OrganisationAnswer::Council(council.to_string())))
        }
        "other" => {
            if name.is_empty() && sector.is_empty() && !question.required {
                return Ok(None);
            }
            if name.is_empty() {
                return Err((format!("{k}-name"), Msg::new("error-enter-org-name")));
            }
            if name.chars().count() > ORGANISATION_NAME_MAX_CHARS {
                return Err((
                    format!("{k}-name"),
                    Msg::new("error-org-name-too-long")
                        .number("most", ORGANISATION_NAME_MAX_CHARS as i64),
                ));
            }
            if !SECTORS.iter().any(|(v, _)| *v == sector) {
                return Err((format!("{k}-sector"), Msg::new("error-select-sector")));
            }
            Ok(Some(OrganisationAnswer::Other {
                name,
                sector: sector.to_string(),
            }))
        }
        _ => Err((
            first_input_id(question),
            question.about("error-one-of-options"),
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
        (true, true) => Err((k.clone(), Msg::new("error-email-missing"))),
        (false, false) => Err((format!("{k}-consent"), Msg::new("error-email-consent"))),
        (false, true) if !looks_like_email(email) => {
            Err((k.clone(), Msg::new("error-email-format")))
        }
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
