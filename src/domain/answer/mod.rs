//! Turning a submitted form into typed answers, or into the list of errors
//! a respondent needs to fix, each tied to the field it concerns.

mod organisation;
#[cfg(test)]
mod tests;

use super::form::FormData;
use super::lang::Msg;
use super::question::{Question, QuestionKind};
use organisation::{parse_email, parse_organisation};
use serde::{Deserialize, Serialize};

/// Name of the hidden field that people never fill and bots do.
pub const HONEYPOT_FIELD: &str = "website";
/// The field of a form's language switch: the same form, in that language.
pub const LANG_FIELD: &str = "lang";
/// Name of the form token field.
pub const TOKEN_FIELD: &str = "form_token";

/// A typed answer value, stored as such so results never re-parse strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AnswerValue {
    /// A rating or NPS score.
    Number(i32),
    /// A chosen option's value, or free text.
    Text(String),
    /// The values chosen in a `multi` question.
    List(Vec<String>),
}

/// One answered question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The question's stable key.
    pub key: String,
    /// The question's kind, stored so results and comments need no version lookup.
    pub kind: QuestionKind,
    /// What was answered.
    pub value: AnswerValue,
}

/// A sector's label ("Port" for `port`); the code itself when unknown.
pub fn sector_label(code: &str) -> &str {
    SECTORS
        .iter()
        .find(|(value, _)| *value == code)
        .map_or(code, |(_, label)| label)
}

/// How a response came in, in words.
pub fn channel_label(channel: &str) -> &str {
    match channel {
        "web" => "The survey form",
        "invite" => "A personal invitation link",
        "embed" => "A form embedded on another site",
        "api" => "The API",
        other => other,
    }
}

/// Sectors of organisations that are not local councils.
pub const SECTORS: &[(&str, &str)] = &[
    ("university", "University"),
    ("rail_station", "Rail station"),
    ("airport", "Airport"),
    ("port", "Port"),
    ("venue", "Cultural or sporting venue"),
    ("public_body", "Other public body"),
    ("supplier", "Supplier"),
    ("other", "Other"),
];

/// Who the respondent answers for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrganisationAnswer {
    /// A council from the register, by its three-letter code.
    Council(String),
    /// Any other organisation.
    Other {
        /// As typed.
        name: String,
        /// One of [`SECTORS`].
        sector: String,
    },
}

/// A valid submission, ready to store.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Submission {
    /// Answers to the questions answered, in question order.
    pub answers: Vec<Answer>,
    /// The organisation, when the survey asks for one and it was given.
    pub organisation: Option<OrganisationAnswer>,
    /// A contact email, only when the respondent consented.
    pub contact_email: Option<String>,
}

/// A problem with one field, shown in the error summary and beside the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The `id` of the input the summary links to.
    pub field: String,
    /// The question key the error belongs to, so the message shows beside it.
    pub question: String,
    /// What to do, in the GOV.UK style, worded by each language's catalogue.
    pub msg: Msg,
}

/// The field names a question reads, so unknown fields can be recognised.
pub fn field_names(question: &Question) -> Vec<String> {
    let k = &question.key;
    match question.kind {
        QuestionKind::Organisation => {
            vec![
                k.clone(),
                format!("{k}-council"),
                format!("{k}-name"),
                format!("{k}-sector"),
                format!("{k}-council-search"),
                format!("{k}-find"),
            ]
        }
        QuestionKind::Email => vec![k.clone(), format!("{k}-consent")],
        _ => vec![k.clone()],
    }
}

/// The `id` of the first input of a question: what an error links to.
pub fn first_input_id(question: &Question) -> String {
    match question.kind {
        QuestionKind::Single | QuestionKind::Multi | QuestionKind::YesNo => {
            let first = question
                .choices()
                .first()
                .map(|c| c.value.clone())
                .unwrap_or_default();
            format!("{}-{first}", question.key)
        }
        QuestionKind::Rating | QuestionKind::Nps => {
            format!(
                "{}-{}",
                question.key,
                question.kind.scale().map_or(0, |s| s.0)
            )
        }
        QuestionKind::Organisation => format!("{}-kind-council", question.key),
        _ => question.key.clone(),
    }
}

/// Reads a form against the questions of a survey version.
///
/// `councils_available` says whether the register has councils to pick from;
/// without it, the organisation question only offers "not a council".
///
/// # Errors
/// Every problem found, in question order, each naming its field.
pub fn parse_submission(
    questions: &[Question],
    form: &FormData,
    councils_available: bool,
) -> Result<Submission, Vec<FieldError>> {
    let mut submission = Submission::default();
    let mut errors = Vec::new();
    for question in questions {
        let error = |field: String, msg: Msg| FieldError {
            field,
            question: question.key.clone(),
            msg,
        };
        match question.kind {
            QuestionKind::Organisation => {
                match parse_organisation(question, form, councils_available) {
                    Ok(org) => submission.organisation = org,
                    Err((field, msg)) => errors.push(error(field, msg)),
                }
            }
            QuestionKind::Email => match parse_email(question, form) {
                Ok(email) => submission.contact_email = email,
                Err((field, msg)) => errors.push(error(field, msg)),
            },
            _ => match parse_value(question, form) {
                Ok(Some(value)) => submission.answers.push(Answer {
                    key: question.key.clone(),
                    kind: question.kind,
                    value,
                }),
                Ok(None) if question.required => {
                    errors.push(error(first_input_id(question), question.missing_message()))
                }
                Ok(None) => {}
                Err(msg) => errors.push(error(first_input_id(question), msg)),
            },
        }
    }
    if errors.is_empty() {
        Ok(submission)
    } else {
        Err(errors)
    }
}

/// Trims and turns CRLF into LF, as the respondent sees the text.
fn clean_text(raw: &str) -> String {
    raw.replace("\r\n", "\n")
        .replace('\r', "\n")
        .trim()
        .to_string()
}

fn parse_value(question: &Question, form: &FormData) -> Result<Option<AnswerValue>, Msg> {
    let kind = question.kind;
    if kind == QuestionKind::Multi {
        let chosen: Vec<&str> = form
            .all(&question.key)
            .into_iter()
            .filter(|v| !v.is_empty())
            .collect();
        let mut values = Vec::new();
        for option in question.choices() {
            if chosen.contains(&option.value.as_str()) {
                values.push(option.value);
            }
        }
        if values.len()
            != chosen
                .iter()
                .collect::<std::collections::HashSet<_>>()
                .len()
        {
            return Err(question.about("error-from-options"));
        }
        return Ok((!values.is_empty()).then_some(AnswerValue::List(values)));
    }
    let Some(raw) = form
        .get(&question.key)
        .map(clean_text)
        .filter(|v| !v.is_empty())
    else {
        return Ok(None);
    };
    if let Some((low, high)) = kind.scale() {
        return match raw.parse::<i32>() {
            Ok(n) if (low..=high).contains(&n) => Ok(Some(AnswerValue::Number(n))),
            _ => Err(question
                .about("error-score")
                .number("low", low.into())
                .number("high", high.into())),
        };
    }
    if let Some(max) = question.limit() {
        if raw.chars().count() > max {
            return Err(question
                .about("error-too-long")
                .text("most", thousands(max)));
        }
        return Ok(Some(AnswerValue::Text(raw)));
    }
    if question.choices().iter().any(|c| c.value == raw) {
        Ok(Some(AnswerValue::Text(raw)))
    } else {
        Err(question.about("error-one-of-options"))
    }
}

/// 5000 → "5,000", as GOV.UK writes numbers.
pub(crate) fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
