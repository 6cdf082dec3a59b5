//! Changing a campaign definition one element at a time, as the editor's
//! forms do: each form is read from what the browser sent, checked field
//! by field (the problems name the field, for the GOV.UK error summary),
//! then applied to the draft, which must still follow every rule of the
//! import but completeness.
//!
//! Every form has `of` (the element as the form shows it) and `read` (the
//! form as sent). Showing an element and sending its form back unchanged
//! gives the element back exactly (`tests.rs` checks it on generated
//! campaigns), so editing nothing changes nothing.

mod arrange;
mod changes;
mod codes;
mod content;
mod forms;
#[cfg(test)]
mod problem_tests;
mod question;
#[cfg(test)]
mod tests;

pub use arrange::{Arrangement, Element, arrange};
pub use changes::{LeadLists, changes};
pub use content::{ResourceForm, SurveyForm};
pub use forms::{DetailsForm, WorkstreamForm};
pub use question::{MAX_OPTION_ROWS, OptionRow, QuestionForm};

use super::CampaignDefinition;
use crate::domain::welsh::Welsh;

/// A problem with one field of a form: the field's id and what to do.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// The `id` of the field the message belongs beside.
    pub field: String,
    /// What is wrong and how to put it right.
    pub message: String,
}

/// The problems of a form, in the order of its fields.
pub type Problems = Vec<Problem>;

pub(crate) fn problem(field: impl Into<String>, message: impl Into<String>) -> Problem {
    Problem {
        field: field.into(),
        message: message.into(),
    }
}

/// Which way an element moves in its list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// Towards the start.
    Up,
    /// Towards the end.
    Down,
}

/// Moves `items[at]` one place; nothing happens at either end.
pub fn shift<T>(items: &mut [T], at: usize, direction: Move) {
    match direction {
        Move::Up if at > 0 && at < items.len() => items.swap(at, at - 1),
        Move::Down if at + 1 < items.len() => items.swap(at, at + 1),
        _ => {}
    }
}

/// Applies `change` to a copy of `draft` and keeps it only if the draft
/// still follows the rules; `field` is where a broken rule is shown.
///
/// # Errors
/// The change's own problems, or the rule the changed draft breaks.
pub fn changed(
    draft: &CampaignDefinition,
    field: &str,
    change: impl FnOnce(&mut CampaignDefinition) -> Result<(), Problems>,
) -> Result<CampaignDefinition, Problems> {
    let mut next = draft.clone();
    change(&mut next)?;
    next.check_draft()
        .map_err(|message| vec![problem(field, capitalised(&message))])?;
    Ok(next)
}

fn capitalised(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Checks a key (or slug) for an element: well formed by `rule`, and not
/// another element's (`taken`, when it is not the one being edited). `what`
/// names it: ("workstream", "key") gives "Another workstream has the key …".
pub(crate) fn fresh_key<'a>(
    problems: &mut Problems,
    (field, key): (&str, &str),
    (editing, taken): (Option<&str>, impl IntoIterator<Item = &'a str>),
    (noun, what): (&str, &str),
    rule: fn(&str) -> Result<(), String>,
) {
    if let Err(m) = rule(key) {
        problems.push(problem(field, format!("The {what} {m}")));
    } else if Some(key) != editing && taken.into_iter().any(|k| k == key) {
        problems.push(problem(
            field,
            format!("Another {noun} has the {what} “{key}”: choose another"),
        ));
    }
}

/// Text as a form sends it: line breaks as the definition keeps them (LF).
pub(crate) fn text(form: &crate::domain::form::FormData, name: &str) -> String {
    form.get(name).unwrap_or("").replace("\r\n", "\n")
}

/// A Welsh word as a form shows it: the element's, or empty.
pub(crate) fn cy<'a>(
    welsh: Option<&'a Welsh>,
    field: impl Fn(&'a Welsh) -> Option<&'a String>,
) -> String {
    welsh.and_then(field).cloned().unwrap_or_default()
}

/// Welsh words as kept: none when nothing is given.
pub(crate) fn kept(welsh: Welsh) -> Option<Welsh> {
    (!welsh.is_empty()).then_some(welsh)
}

/// `None` for a field left empty.
pub(crate) fn optional(value: String) -> Option<String> {
    (!value.trim().is_empty()).then_some(value)
}

#[cfg(test)]
mod shift_tests {
    use super::*;

    #[test]
    fn moving_stays_within_the_list() {
        let mut items = vec![1, 2, 3];
        shift(&mut items, 0, Move::Up);
        assert_eq!(items, [1, 2, 3]);
        shift(&mut items, 0, Move::Down);
        assert_eq!(items, [2, 1, 3]);
        shift(&mut items, 2, Move::Down);
        assert_eq!(items, [2, 1, 3]);
        shift(&mut items, 2, Move::Up);
        assert_eq!(items, [2, 3, 1]);
        shift(&mut items, 9, Move::Up);
        assert_eq!(items, [2, 3, 1]);
    }
}
