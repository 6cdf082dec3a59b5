//! The survey form as the template sees it: each question with its inputs,
//! the respondent's answers kept, and its error beside it.

use crate::domain::answer::{FieldError, SECTORS, first_input_id};
use crate::domain::form::FormData;
use crate::domain::question::{Question, QuestionKind};
use crate::store::organisations::CouncilOption;
use serde::Serialize;

/// One radio, checkbox or select option.
#[derive(Debug, Serialize)]
pub struct OptionView {
    id: String,
    value: String,
    label: String,
    hint: Option<String>,
    checked: bool,
}

/// One question, ready to render.
#[derive(Debug, Serialize)]
pub struct QuestionView {
    key: String,
    kind: QuestionKind,
    text: String,
    hint: Option<String>,
    required: bool,
    error: Option<String>,
    first_id: String,
    options: Vec<OptionView>,
    value: String,
    /// Organisation: the name typed for a non-council organisation.
    value_name: String,
    max_chars: Option<usize>,
    /// Organisation: "council", "other" or "".
    org_kind: String,
    sectors: Vec<OptionView>,
    consent: bool,
}

/// Councils of one nation, for an `<optgroup>`.
#[derive(Debug, Serialize)]
pub struct CouncilGroup {
    nation: String,
    councils: Vec<OptionView>,
}

/// Builds the views of `questions`, keeping what `form` holds and placing `errors`.
pub fn questions(
    questions: &[Question],
    form: &FormData,
    errors: &[FieldError],
) -> Vec<QuestionView> {
    questions
        .iter()
        .map(|q| question(q, form, errors))
        .collect()
}

fn question(q: &Question, form: &FormData, errors: &[FieldError]) -> QuestionView {
    let k = &q.key;
    let sent = form.all(k);
    let option = |id: String, value: String, label: String, hint: Option<String>| OptionView {
        checked: sent.contains(&value.as_str()),
        id,
        value,
        label,
        hint,
    };
    let options = match q.kind.scale() {
        Some((low, high)) => (low..=high)
            .map(|n| {
                let label = match n {
                    n if n == low => q
                        .low_label
                        .as_ref()
                        .map_or(n.to_string(), |l| format!("{n} – {l}")),
                    n if n == high => q
                        .high_label
                        .as_ref()
                        .map_or(n.to_string(), |l| format!("{n} – {l}")),
                    n => n.to_string(),
                };
                option(format!("{k}-{n}"), n.to_string(), label, None)
            })
            .collect(),
        None => q
            .choices()
            .into_iter()
            .map(|c| option(format!("{k}-{}", c.value), c.value, c.label, c.hint))
            .collect(),
    };
    let sector = form.get(&format!("{k}-sector")).unwrap_or("");
    let sectors = SECTORS
        .iter()
        .map(|(value, label)| OptionView {
            id: format!("{k}-sector-{value}"),
            value: (*value).into(),
            label: (*label).into(),
            hint: None,
            checked: *value == sector,
        })
        .collect();
    let org_kind = match form.get(k) {
        Some(kind) => kind.to_string(),
        None if form
            .get(&format!("{k}-council"))
            .is_some_and(|c| !c.is_empty()) =>
        {
            "council".into()
        }
        None if form
            .get(&format!("{k}-name"))
            .is_some_and(|c| !c.is_empty()) =>
        {
            "other".into()
        }
        None => String::new(),
    };
    let value = match q.kind {
        QuestionKind::Organisation => form.get(&format!("{k}-council")).unwrap_or("").to_string(),
        _ => form.get(k).unwrap_or("").to_string(),
    };
    QuestionView {
        key: k.clone(),
        kind: q.kind,
        text: q.text.clone(),
        hint: q.hint.clone(),
        required: q.required,
        error: errors
            .iter()
            .find(|e| &e.question == k)
            .map(|e| e.message.clone()),
        first_id: first_input_id(q),
        options,
        value,
        value_name: form.get(&format!("{k}-name")).unwrap_or("").to_string(),
        max_chars: q.kind.max_chars(),
        org_kind,
        sectors,
        consent: form.get(&format!("{k}-consent")) == Some("yes"),
    }
}

/// Groups councils by nation, marking the one chosen.
pub fn council_groups(councils: &[CouncilOption], chosen: &str) -> Vec<CouncilGroup> {
    let mut groups: Vec<CouncilGroup> = Vec::new();
    for c in councils {
        let view = OptionView {
            id: String::new(),
            value: c.code.clone(),
            label: c.name.clone(),
            hint: None,
            checked: c.code == chosen,
        };
        match groups.last_mut() {
            Some(group) if group.nation == c.nation => group.councils.push(view),
            _ => groups.push(CouncilGroup {
                nation: c.nation.clone(),
                councils: vec![view],
            }),
        }
    }
    groups
}

/// The organisation code the respondent chose, to mark it in the list.
pub fn chosen_council(questions: &[Question], form: &FormData) -> String {
    questions
        .iter()
        .find(|q| q.kind == QuestionKind::Organisation)
        .and_then(|q| form.get(&format!("{}-council", q.key)))
        .unwrap_or("")
        .to_string()
}
