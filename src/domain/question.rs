//! Questions: what a survey asks, and the kinds of answer each takes.

use super::lang::Msg;
use super::welsh::Welsh;
use serde::{Deserialize, Serialize};

/// Longest answer to a `text` question, in characters.
pub const TEXT_MAX_CHARS: usize = 500;
/// Longest answer to a `long_text` question, in characters.
pub const LONG_TEXT_MAX_CHARS: usize = 5_000;
/// Longest name typed for an organisation that is not a council.
pub const ORGANISATION_NAME_MAX_CHARS: usize = 200;
/// Longest email address accepted (RFC 5321 path limit).
pub const EMAIL_MAX_CHARS: usize = 254;

/// The kinds of question a survey can ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// 1 to 5, with labelled ends.
    Rating,
    /// Net Promoter Score: 0 to 10.
    Nps,
    /// One option, as radios.
    Single,
    /// Several options, as checkboxes.
    Multi,
    /// Yes or no.
    YesNo,
    /// A short text, at most [`TEXT_MAX_CHARS`].
    Text,
    /// A long text, at most [`LONG_TEXT_MAX_CHARS`].
    LongText,
    /// A council from the register, or another organisation with its sector.
    Organisation,
    /// A contact email, kept only with the respondent's consent.
    Email,
}

impl QuestionKind {
    /// Every kind, in the order the editor offers them.
    pub const ALL: [Self; 9] = [
        Self::Rating,
        Self::Nps,
        Self::Single,
        Self::Multi,
        Self::YesNo,
        Self::Text,
        Self::LongText,
        Self::Organisation,
        Self::Email,
    ];

    /// The kind with this name (`rating`, `yes_no`, …).
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// What the kind is, in words, for officers.
    pub fn label(self) -> &'static str {
        match self {
            Self::Rating => "Rating from 1 to 5",
            Self::Nps => "Likelihood to recommend, 0 to 10 (NPS)",
            Self::Single => "One choice from a list",
            Self::Multi => "Any number of choices from a list",
            Self::YesNo => "Yes or no",
            Self::Text => "Short text",
            Self::LongText => "Long text",
            Self::Organisation => "Organisation (a council from the register, or another)",
            Self::Email => "Contact email, kept only with consent",
        }
    }

    /// The name used in TOML, the database and templates.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Rating => "rating",
            Self::Nps => "nps",
            Self::Single => "single",
            Self::Multi => "multi",
            Self::YesNo => "yes_no",
            Self::Text => "text",
            Self::LongText => "long_text",
            Self::Organisation => "organisation",
            Self::Email => "email",
        }
    }

    /// Whether this kind takes its options from the definition.
    pub fn has_options(self) -> bool {
        matches!(self, Self::Single | Self::Multi)
    }

    /// The character limit of a free-text kind.
    pub fn max_chars(self) -> Option<usize> {
        match self {
            Self::Text => Some(TEXT_MAX_CHARS),
            Self::LongText => Some(LONG_TEXT_MAX_CHARS),
            _ => None,
        }
    }

    /// The lowest and highest score of a scale kind.
    pub fn scale(self) -> Option<(i32, i32)> {
        match self {
            Self::Rating => Some((1, 5)),
            Self::Nps => Some((0, 10)),
            _ => None,
        }
    }
}

/// One option of a `single` or `multi` question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// Stable value stored and exported; never shown.
    pub value: String,
    /// What the respondent reads.
    pub label: String,
    /// Optional help under the option.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

/// One question of a survey version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Stable across versions, so exports and dashboards line versions up.
    pub key: String,
    /// The kind of answer.
    pub kind: QuestionKind,
    /// The question as the respondent reads it (the legend or label).
    pub text: String,
    /// Help shown under the question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Whether an answer is needed; questions are required unless marked otherwise.
    #[serde(default = "required_by_default")]
    pub required: bool,
    /// The options of a `single` or `multi` question.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<Choice>,
    /// The label of the lowest score of a scale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low_label: Option<String>,
    /// The label of the highest score of a scale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high_label: Option<String>,
    /// A tighter character limit than the kind's, for a text answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_chars: Option<usize>,
    /// The message shown when a required answer is missing, such as
    /// "Select how useful the resource was"; a sensible one is made otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Its Welsh words, where given (`[….cy]` in the TOML).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cy: Option<Welsh>,
}

fn required_by_default() -> bool {
    true
}

impl Question {
    /// The options as offered, including the fixed ones of `yes_no`.
    pub fn choices(&self) -> Vec<Choice> {
        match self.kind {
            // Worded for a language by `welsh::question_in`.
            QuestionKind::YesNo if !self.options.is_empty() => self.options.clone(),
            QuestionKind::YesNo => vec![
                Choice {
                    value: "yes".into(),
                    label: "Yes".into(),
                    hint: None,
                },
                Choice {
                    value: "no".into(),
                    label: "No".into(),
                    hint: None,
                },
            ],
            _ => self.options.clone(),
        }
    }

    /// The message for a missing required answer.
    pub fn missing_message(&self) -> Msg {
        if let Some(message) = &self.error {
            return Msg::new("custom").text("text", message.clone());
        }
        let id = match self.kind {
            QuestionKind::Multi => "error-select-some",
            QuestionKind::Text | QuestionKind::LongText => "error-enter",
            QuestionKind::Email => "error-enter-email",
            _ => "error-select",
        };
        self.about(id)
    }

    /// A message about this question: `id` with the question's words as `question`.
    pub fn about(&self, id: &'static str) -> Msg {
        Msg::new(id).text("question", self.text.trim().trim_end_matches('?'))
    }

    /// Every answer code with its label, as a codebook lists them: the
    /// options of a choice question, or each point of a scale (its ends
    /// with their labels). Empty for free text.
    pub fn codes(&self) -> Vec<(String, String)> {
        if let Some((low, high)) = self.kind.scale() {
            return (low..=high)
                .map(|n| {
                    let label = match n {
                        n if n == low => self.low_label.clone(),
                        n if n == high => self.high_label.clone(),
                        _ => None,
                    };
                    (n.to_string(), label.unwrap_or_default())
                })
                .collect();
        }
        self.choices()
            .into_iter()
            .map(|c| (c.value, c.label))
            .collect()
    }

    /// A stored answer (a code, a score, codes joined by `; `, or text) in
    /// words: labels instead of codes, "4 out of 5 – Very useful" for a score.
    pub fn in_words(&self, stored: &str) -> String {
        if let Some((_, high)) = self.kind.scale() {
            let label = self
                .codes()
                .into_iter()
                .find(|(code, _)| code == stored)
                .map(|(_, label)| label)
                .filter(|label| !label.is_empty());
            return match label {
                Some(label) => format!("{stored} out of {high} – {label}"),
                None => format!("{stored} out of {high}"),
            };
        }
        let choices = self.choices();
        if choices.is_empty() {
            return stored.to_string();
        }
        stored
            .split("; ")
            .map(|code| {
                choices
                    .iter()
                    .find(|c| c.value == code)
                    .map_or(code, |c| c.label.as_str())
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The most characters an answer may have: the question's own limit,
    /// or its kind's. `None` for kinds that are not free text.
    pub fn limit(&self) -> Option<usize> {
        let kind_limit = self.kind.max_chars()?;
        Some(self.max_chars.map_or(kind_limit, |own| own.min(kind_limit)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::campaign::{CampaignDefinition, DEFAULT_CAMPAIGN_TOML};

    fn governance(key: &str) -> Question {
        let campaign = CampaignDefinition::from_toml(DEFAULT_CAMPAIGN_TOML).unwrap();
        let survey = campaign
            .surveys
            .iter()
            .find(|s| s.slug == "governance")
            .unwrap();
        survey
            .questions
            .iter()
            .find(|q| q.key == key)
            .unwrap()
            .clone()
    }

    #[test]
    fn stored_codes_read_as_words() {
        assert_eq!(
            governance("role").in_words("cyber_security"),
            "Cyber security"
        );
        assert_eq!(governance("ncsc_principles").in_words("partly"), "Partly");
        assert_eq!(
            governance("usefulness").in_words("5"),
            "5 out of 5 – Very useful"
        );
        assert_eq!(governance("usefulness").in_words("3"), "3 out of 5");
        assert_eq!(governance("recommend").in_words("9"), "9 out of 10");
        assert_eq!(
            governance("missing").in_words("a; b"),
            "a; b",
            "text stays as typed"
        );
        assert_eq!(
            governance("role").in_words("gone_now"),
            "gone_now",
            "a code no longer offered shows as stored"
        );
    }

    #[test]
    fn a_codebook_lists_each_option_and_each_point_of_a_scale() {
        let role = governance("role").codes();
        assert_eq!(role[0], ("cyber_security".into(), "Cyber security".into()));
        let scale = governance("usefulness").codes();
        assert_eq!(scale.len(), 5);
        assert_eq!(scale[0], ("1".into(), "Not at all useful".into()));
        assert_eq!(scale[2], ("3".into(), String::new()));
        assert!(governance("missing").codes().is_empty());
    }
}
