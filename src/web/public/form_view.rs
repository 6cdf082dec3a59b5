//! The survey form as the template sees it: each question with its inputs,
//! the respondent's answers kept, and its error beside it.

use crate::domain::answer::{FieldError, SECTORS, first_input_id};
use crate::domain::council::search::{Findable, search};
use crate::domain::form::FormData;
use crate::domain::lang::Arg;
use crate::domain::question::{Question, QuestionKind};
use crate::i18n;
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
    /// Organisation: what was typed in the council search.
    search: String,
    /// Organisation: whether a search was asked for (the Search button).
    searched: bool,
    /// Organisation: the councils matching the search, best first.
    matches: Vec<OptionView>,
}

/// Councils of one nation, for an `<optgroup>`.
#[derive(Debug, Serialize)]
pub struct CouncilGroup {
    #[serde(skip)]
    register_nation: String,
    nation: String,
    councils: Vec<OptionView>,
}

/// The most councils a search lists.
const SEARCH_RESULTS: usize = 20;

/// Builds the views of `questions`, keeping what `form` holds, placing
/// `errors`, and answering a council search against `councils`.
pub fn questions(
    questions: &[Question],
    form: &FormData,
    errors: &[FieldError],
    councils: &[CouncilOption],
) -> Vec<QuestionView> {
    questions
        .iter()
        .map(|q| question(q, form, errors, councils))
        .collect()
}

/// The field of an organisation question's council search, and its button.
pub fn search_fields(key: &str) -> (String, String) {
    (format!("{key}-council-search"), format!("{key}-find"))
}

/// Whether the form asks for a council search (its Search button, with
/// something typed) rather than to be sent.
pub fn asks_council_search(questions: &[Question], form: &FormData) -> bool {
    questions
        .iter()
        .filter(|q| q.kind == QuestionKind::Organisation)
        .any(|q| {
            let (search, find) = search_fields(&q.key);
            form.get(&find).is_some() && form.get(&search).is_some_and(|s| !s.trim().is_empty())
        })
}

/// The councils matching `typed`, as radio options.
fn matches(key: &str, typed: &str, councils: &[CouncilOption], chosen: &str) -> Vec<OptionView> {
    let findable: Vec<Findable<'_>> = councils
        .iter()
        .map(|c| Findable {
            short_name: &c.short_name,
            name: &c.name,
            alt_names: &c.alt_names,
        })
        .collect();
    search(typed, &findable, SEARCH_RESULTS)
        .into_iter()
        .map(|i| &councils[i])
        .map(|c| OptionView {
            id: format!("{key}-council-{}", c.code),
            value: c.code.clone(),
            label: council_label(c),
            hint: (!c.is_council).then(|| i18n::text("org-not-a-council")),
            checked: c.code == chosen,
        })
        .collect()
}

fn question(
    q: &Question,
    form: &FormData,
    errors: &[FieldError],
    councils: &[CouncilOption],
) -> QuestionView {
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
                let end = match n {
                    n if n == low => q.low_label.as_ref(),
                    n if n == high => q.high_label.as_ref(),
                    _ => None,
                };
                let label = end.map_or(n.to_string(), |l| {
                    i18n::text_in(
                        i18n::current(),
                        "survey-score",
                        &[
                            ("score", Arg::Number(n.into())),
                            ("label", Arg::Text(l.clone())),
                        ],
                    )
                });
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
        .map(|(value, _)| OptionView {
            id: format!("{k}-sector-{value}"),
            value: (*value).into(),
            label: i18n::text(&format!("sector-{value}")),
            hint: None,
            checked: *value == sector,
        })
        .collect();
    let (search_field, find_field) = search_fields(k);
    let search = form.get(&search_field).unwrap_or("").trim().to_string();
    let searched = q.kind == QuestionKind::Organisation
        && form.get(&find_field).is_some()
        && !search.is_empty();
    let org_kind = match form.get(k) {
        _ if searched => "council".into(),
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
    let matches = match searched {
        true => matches(k, &search, councils, &value),
        false => Vec::new(),
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
            .map(|e| crate::i18n::message(&e.msg)),
        first_id: first_input_id(q),
        options,
        value,
        value_name: form.get(&format!("{k}-name")).unwrap_or("").to_string(),
        max_chars: q.limit(),
        org_kind,
        sectors,
        consent: form.get(&format!("{k}-consent")) == Some("yes"),
        search,
        searched,
        matches,
    }
}

/// "Bradford (City of Bradford Metropolitan District Council)": the name
/// people use first, the official name beside it unless it says no more.
fn council_label(c: &CouncilOption) -> String {
    let official = c.name.trim();
    let short = c.short_name.trim();
    if official.eq_ignore_ascii_case(short)
        || official.eq_ignore_ascii_case(&format!("{short} Council"))
    {
        short.to_string()
    } else {
        format!("{short} ({official})")
    }
}

/// A nation of the register in the page's language.
fn nation_name(nation: &str) -> String {
    let id = match nation {
        "England" => "nation-england",
        "Wales" => "nation-wales",
        "Scotland" => "nation-scotland",
        "Northern Ireland" => "nation-northern-ireland",
        other => return other.to_string(),
    };
    i18n::text(id)
}

/// Groups councils by nation (in the order given), then the combined
/// authorities and other bodies in a group of their own; marks the one chosen.
pub fn council_groups(councils: &[CouncilOption], chosen: &str) -> Vec<CouncilGroup> {
    let mut groups: Vec<CouncilGroup> = Vec::new();
    let mut others = Vec::new();
    for c in councils {
        let view = OptionView {
            id: String::new(),
            value: c.code.clone(),
            label: council_label(c),
            hint: None,
            checked: c.code == chosen,
        };
        if !c.is_council {
            others.push(view);
            continue;
        }
        match groups.last_mut() {
            Some(group) if group.register_nation == c.nation => group.councils.push(view),
            _ => groups.push(CouncilGroup {
                register_nation: c.nation.clone(),
                nation: nation_name(&c.nation),
                councils: vec![view],
            }),
        }
    }
    if !others.is_empty() {
        groups.push(CouncilGroup {
            register_nation: String::new(),
            nation: i18n::text("org-other-bodies"),
            councils: others,
        });
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

/// A blank form with the survey's organisation question answered with
/// this council, as a personal link opens it.
pub fn council_chosen(questions: &[Question], code: &str) -> FormData {
    questions
        .iter()
        .find(|q| q.kind == QuestionKind::Organisation)
        .map(|q| {
            FormData::from_pairs([
                (q.key.clone(), "council".to_string()),
                (format!("{}-council", q.key), code.to_string()),
            ])
        })
        .unwrap_or_default()
}

/// One answer as the respondent wrote it, in words.
#[derive(Debug, Serialize)]
pub struct Written {
    question: String,
    answer: String,
}

/// What a form holds, question by question, as the respondent would read
/// it back: option labels rather than codes, the council's name, their own
/// text. Questions left empty are left out.
pub fn written(
    questions: &[Question],
    form: &FormData,
    councils: &[CouncilOption],
) -> Vec<Written> {
    questions
        .iter()
        .filter_map(|q| {
            let answer = written_answer(q, form, councils);
            (!answer.trim().is_empty()).then(|| Written {
                question: q.text.clone(),
                answer,
            })
        })
        .collect()
}

fn written_answer(q: &Question, form: &FormData, councils: &[CouncilOption]) -> String {
    let k = &q.key;
    let field = |suffix: &str| {
        form.get(&format!("{k}-{suffix}"))
            .unwrap_or("")
            .trim()
            .to_string()
    };
    match q.kind {
        QuestionKind::Organisation => {
            let code = field("council");
            let council = councils.iter().find(|c| c.code == code).map(council_label);
            match (form.get(k), council) {
                (Some("other"), _) | (None, None) => {
                    let sector = field("sector");
                    let sector = SECTORS
                        .iter()
                        .find(|(v, _)| *v == sector)
                        .map_or(String::new(), |(v, _)| {
                            format!(" ({})", i18n::text(&format!("sector-{v}")))
                        });
                    let name = field("name");
                    if name.is_empty() {
                        String::new()
                    } else {
                        format!("{name}{sector}")
                    }
                }
                (_, Some(name)) => name,
                (_, None) => code,
            }
        }
        QuestionKind::Email => form.get(k).unwrap_or("").trim().to_string(),
        _ => {
            let sent: Vec<&str> = form
                .all(k)
                .into_iter()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .collect();
            if sent.is_empty() {
                return String::new();
            }
            if let Some((_, most)) = q.kind.scale() {
                let score = sent.join("; ");
                let label = q
                    .codes()
                    .into_iter()
                    .find(|(c, _)| *c == score)
                    .map(|(_, l)| l);
                let mut args = vec![
                    ("score", Arg::Text(score)),
                    ("most", Arg::Number(most.into())),
                ];
                let id = match label.filter(|l| !l.is_empty()) {
                    Some(label) => {
                        args.push(("label", Arg::Text(label)));
                        "survey-score-words-label"
                    }
                    None => "survey-score-words",
                };
                return i18n::text_in(i18n::current(), id, &args);
            }
            q.in_words(&sent.join("; "))
        }
    }
}
