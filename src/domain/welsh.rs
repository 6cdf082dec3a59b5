//! The Welsh words of a campaign: each element (the campaign, a workstream,
//! a resource, a survey, a question) may carry a `cy` table with the Welsh
//! of its words; any word left out is shown in English. Answers are kept by
//! key and code, so answers in either language count together.

use super::lang::Lang;
use super::question::{Choice, Question, QuestionKind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The Welsh of an element's words; which fields an element may have is
/// checked with the campaign (a resource has no `intro`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Welsh {
    /// A campaign's, resource's or survey's title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// A campaign's or resource's description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A workstream's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A survey's introduction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intro: Option<String>,
    /// A question's text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// A question's hint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// A scale's lowest point's label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low_label: Option<String>,
    /// A scale's highest point's label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high_label: Option<String>,
    /// The message when a required answer is missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The options' labels, by code.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, String>,
}

impl Welsh {
    /// The names of the fields given, as the TOML writes them.
    pub fn given(&self) -> Vec<&'static str> {
        let fields = [
            ("title", &self.title),
            ("description", &self.description),
            ("name", &self.name),
            ("intro", &self.intro),
            ("text", &self.text),
            ("hint", &self.hint),
            ("low_label", &self.low_label),
            ("high_label", &self.high_label),
            ("error", &self.error),
        ];
        let mut given: Vec<&'static str> = fields
            .into_iter()
            .filter(|(_, v)| v.as_ref().is_some_and(|v| !v.trim().is_empty()))
            .map(|(name, _)| name)
            .collect();
        if !self.options.is_empty() {
            given.push("options");
        }
        given
    }

    /// Whether nothing is given.
    pub fn is_empty(&self) -> bool {
        self.given().is_empty()
    }
}

/// `english`, or its Welsh when `lang` is Welsh and the Welsh is given.
pub fn pick(lang: Lang, english: &str, welsh: Option<&String>) -> String {
    match (lang, welsh) {
        (Lang::Cy, Some(w)) if !w.trim().is_empty() => w.clone(),
        _ => english.to_string(),
    }
}

/// As [`pick`], for words that may be missing in English too.
pub fn pick_optional(
    lang: Lang,
    english: Option<&String>,
    welsh: Option<&String>,
) -> Option<String> {
    match (lang, welsh) {
        (Lang::Cy, Some(w)) if !w.trim().is_empty() => Some(w.clone()),
        _ => english.cloned(),
    }
}

/// One element's words that have no Welsh: (field, English words).
pub fn untranslated<'a>(
    welsh: Option<&Welsh>,
    english: &[(&'static str, Option<&'a str>)],
) -> Vec<(&'static str, &'a str)> {
    let given = welsh.map(Welsh::given).unwrap_or_default();
    english
        .iter()
        .filter_map(|(field, words)| {
            let words = words.filter(|w| !w.trim().is_empty())?;
            (!given.contains(field)).then_some((*field, words))
        })
        .collect()
}

/// A question as it reads in `lang`: its Welsh words where given, and
/// `yes_no` labels for a yes-or-no question. Keys and codes stay, so
/// answers count the same in both languages.
pub fn question_in(q: &Question, lang: Lang, yes_no: (&str, &str)) -> Question {
    let mut out = q.clone();
    if q.kind == QuestionKind::YesNo {
        out.options = vec![
            Choice {
                value: "yes".into(),
                label: yes_no.0.into(),
                hint: None,
            },
            Choice {
                value: "no".into(),
                label: yes_no.1.into(),
                hint: None,
            },
        ];
    }
    let (Lang::Cy, Some(cy)) = (lang, &q.cy) else {
        return out;
    };
    out.text = pick(lang, &q.text, cy.text.as_ref());
    out.hint = pick_optional(lang, q.hint.as_ref(), cy.hint.as_ref());
    out.low_label = pick_optional(lang, q.low_label.as_ref(), cy.low_label.as_ref());
    out.high_label = pick_optional(lang, q.high_label.as_ref(), cy.high_label.as_ref());
    out.error = pick_optional(lang, q.error.as_ref(), cy.error.as_ref());
    for option in &mut out.options {
        if let Some(label) = cy.options.get(&option.value) {
            option.label.clone_from(label);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn welsh_words_are_shown_where_given_and_english_elsewhere() {
        let cy = Some("Adborth".to_string());
        assert_eq!(pick(Lang::Cy, "Feedback", cy.as_ref()), "Adborth");
        assert_eq!(pick(Lang::En, "Feedback", cy.as_ref()), "Feedback");
        assert_eq!(pick(Lang::Cy, "Feedback", None), "Feedback");
        assert_eq!(
            pick(Lang::Cy, "Feedback", Some(&" ".to_string())),
            "Feedback"
        );
        let welsh = Welsh {
            title: Some("Adborth".into()),
            ..Welsh::default()
        };
        assert_eq!(
            untranslated(
                Some(&welsh),
                &[
                    ("title", Some("Feedback")),
                    ("intro", Some("Tell us")),
                    ("description", None)
                ]
            ),
            [("intro", "Tell us")]
        );
    }
}
