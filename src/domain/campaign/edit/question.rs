//! The form of one question, for every kind: its key and text, hint,
//! whether it must be answered, its options (a row of inputs each, so no
//! script is needed to add one), a scale's end labels and a text's limit.

use super::{Problems, cy, kept, optional, problem, text};
use crate::domain::campaign::CampaignDefinition;
use crate::domain::campaign::check::check_key;
use crate::domain::form::FormData;
use crate::domain::question::{Choice, Question, QuestionKind};
use crate::domain::welsh::Welsh;

/// The most option rows a form reads.
pub const MAX_OPTION_ROWS: usize = 60;

/// One option of a choice question as its row of inputs shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct OptionRow {
    /// The code stored and exported.
    pub value: String,
    /// What respondents read.
    pub label: String,
    /// Help under the option, or empty.
    pub hint: String,
    /// What Welsh respondents read, or empty.
    pub cy_label: String,
}

/// A question as its form shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct QuestionForm {
    /// Its key, stable across versions.
    pub key: String,
    /// Its kind.
    pub kind: QuestionKind,
    /// The question as respondents read it.
    pub text: String,
    /// Help under it, or empty.
    pub hint: String,
    /// Whether it must be answered.
    pub required: bool,
    /// The options of a single or multiple choice question.
    pub options: Vec<OptionRow>,
    /// A scale's lowest point's label, or empty.
    pub low_label: String,
    /// A scale's highest point's label, or empty.
    pub high_label: String,
    /// A text's own limit in characters, or empty for the kind's.
    pub max_chars: String,
    /// The message when a required answer is missing, or empty for one made up.
    pub error: String,
    /// The Welsh of its words, each empty where there is none.
    pub cy_text: String,
    /// The hint in Welsh.
    pub cy_hint: String,
    /// The lowest point's label in Welsh.
    pub cy_low_label: String,
    /// The highest point's label in Welsh.
    pub cy_high_label: String,
    /// The missing-answer message in Welsh.
    pub cy_error: String,
}

impl QuestionForm {
    /// A new question of `kind`, as the empty form shows it.
    pub fn new(kind: QuestionKind) -> Self {
        Self {
            key: String::new(),
            kind,
            text: String::new(),
            hint: String::new(),
            required: !matches!(kind, QuestionKind::Email),
            options: Vec::new(),
            low_label: String::new(),
            high_label: String::new(),
            max_chars: String::new(),
            error: String::new(),
            cy_text: String::new(),
            cy_hint: String::new(),
            cy_low_label: String::new(),
            cy_high_label: String::new(),
            cy_error: String::new(),
        }
    }

    /// The question as the form shows it.
    pub fn of(q: &Question) -> Self {
        Self {
            key: q.key.clone(),
            kind: q.kind,
            text: q.text.clone(),
            hint: q.hint.clone().unwrap_or_default(),
            required: q.required,
            options: q
                .options
                .iter()
                .map(|o| OptionRow {
                    value: o.value.clone(),
                    label: o.label.clone(),
                    hint: o.hint.clone().unwrap_or_default(),
                    cy_label: cy(q.cy.as_ref(), |w| w.options.get(&o.value)),
                })
                .collect(),
            low_label: q.low_label.clone().unwrap_or_default(),
            high_label: q.high_label.clone().unwrap_or_default(),
            max_chars: q.max_chars.map(|n| n.to_string()).unwrap_or_default(),
            error: q.error.clone().unwrap_or_default(),
            cy_text: cy(q.cy.as_ref(), |w| w.text.as_ref()),
            cy_hint: cy(q.cy.as_ref(), |w| w.hint.as_ref()),
            cy_low_label: cy(q.cy.as_ref(), |w| w.low_label.as_ref()),
            cy_high_label: cy(q.cy.as_ref(), |w| w.high_label.as_ref()),
            cy_error: cy(q.cy.as_ref(), |w| w.error.as_ref()),
        }
    }

    /// The form as sent; `None` when it names no kind this service knows.
    pub fn read(form: &FormData) -> Option<Self> {
        let kind = QuestionKind::parse(form.get("kind")?)?;
        let options = (0..MAX_OPTION_ROWS)
            .map(|i| OptionRow {
                value: form
                    .get(&format!("option-{i}-value"))
                    .unwrap_or("")
                    .trim()
                    .to_string(),
                label: text(form, &format!("option-{i}-label")),
                hint: text(form, &format!("option-{i}-hint")),
                cy_label: text(form, &format!("option-{i}-cy")),
            })
            .filter(|row| {
                !(row.value.is_empty()
                    && row.label.trim().is_empty()
                    && row.hint.trim().is_empty()
                    && row.cy_label.trim().is_empty())
            })
            .collect();
        let options = super::codes::with_codes(options);
        Some(Self {
            key: form.get("key").unwrap_or("").trim().to_string(),
            kind,
            text: text(form, "text"),
            hint: text(form, "hint"),
            required: form.get("required") == Some("yes"),
            options,
            low_label: text(form, "low_label"),
            high_label: text(form, "high_label"),
            max_chars: form.get("max_chars").unwrap_or("").trim().to_string(),
            error: text(form, "error"),
            cy_text: text(form, "cy_text"),
            cy_hint: text(form, "cy_hint"),
            cy_low_label: text(form, "cy_low_label"),
            cy_high_label: text(form, "cy_high_label"),
            cy_error: text(form, "cy_error"),
        })
    }

    /// The question the form describes.
    ///
    /// # Errors
    /// Each field's problem (an option's under its own row).
    pub fn question(&self) -> Result<Question, Problems> {
        let mut problems = Problems::new();
        if let Err(m) = check_key(&self.key) {
            problems.push(problem("key", format!("The key {m}")));
        }
        if self.text.trim().is_empty() {
            problems.push(problem("text", "Enter the question"));
        }
        let options = if self.kind.has_options() {
            self.checked_options(&mut problems)
        } else {
            Vec::new()
        };
        let scale = self.kind.scale().is_some();
        let max_chars = self.checked_limit(&mut problems);
        let welsh_options = options
            .iter()
            .zip(&self.options)
            .filter(|(_, row)| !row.cy_label.trim().is_empty())
            .map(|(choice, row)| (choice.value.clone(), row.cy_label.clone()))
            .collect();
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Question {
            key: self.key.clone(),
            kind: self.kind,
            text: self.text.clone(),
            hint: optional(self.hint.clone()),
            required: self.required,
            options,
            low_label: scale.then(|| optional(self.low_label.clone())).flatten(),
            high_label: scale.then(|| optional(self.high_label.clone())).flatten(),
            max_chars,
            error: optional(self.error.clone()),
            cy: kept(Welsh {
                text: optional(self.cy_text.clone()),
                hint: optional(self.cy_hint.clone()),
                low_label: scale.then(|| optional(self.cy_low_label.clone())).flatten(),
                high_label: scale
                    .then(|| optional(self.cy_high_label.clone()))
                    .flatten(),
                error: optional(self.cy_error.clone()),
                options: welsh_options,
                ..Welsh::default()
            }),
        })
    }

    fn checked_options(&self, problems: &mut Problems) -> Vec<Choice> {
        if self.options.len() < 2 {
            // Beside the first empty row: where the next option goes.
            let next = self.options.len();
            problems.push(problem(
                format!("option-{next}-label"),
                "Give at least two options",
            ));
        }
        let mut seen: Vec<&str> = Vec::new();
        for (i, row) in self.options.iter().enumerate() {
            if let Err(m) = check_key(&row.value) {
                problems.push(problem(
                    format!("option-{i}-value"),
                    format!("Option {}: the code {m}", i + 1),
                ));
            } else if seen.contains(&row.value.as_str()) {
                problems.push(problem(
                    format!("option-{i}-value"),
                    format!(
                        "Option {}: another option has the code “{}”",
                        i + 1,
                        row.value
                    ),
                ));
            }
            seen.push(&row.value);
            if row.label.trim().is_empty() {
                problems.push(problem(
                    format!("option-{i}-label"),
                    format!("Option {}: enter the label respondents read", i + 1),
                ));
            }
        }
        self.options
            .iter()
            .map(|row| Choice {
                value: row.value.clone(),
                label: row.label.clone(),
                hint: optional(row.hint.clone()),
            })
            .collect()
    }

    fn checked_limit(&self, problems: &mut Problems) -> Option<usize> {
        let most = self.kind.max_chars()?;
        if self.max_chars.is_empty() {
            return None;
        }
        match self.max_chars.parse::<usize>() {
            Ok(n) if (1..=most).contains(&n) => Some(n),
            _ => {
                problems.push(problem(
                    "max_chars",
                    format!("Enter a number of characters from 1 to {most}, or leave it empty for {most}"),
                ));
                None
            }
        }
    }

    /// Adds the question to the survey `survey`, or replaces the one keyed `editing`.
    ///
    /// # Errors
    /// Each field's problem, or the key taken by another question.
    pub fn apply(
        &self,
        def: &mut CampaignDefinition,
        survey: &str,
        editing: Option<&str>,
    ) -> Result<(), Problems> {
        let question = self.question()?;
        let Some(survey) = def.surveys.iter_mut().find(|s| s.slug == survey) else {
            return Err(vec![problem(
                "key",
                format!("There is no survey “{survey}”"),
            )]);
        };
        if Some(question.key.as_str()) != editing
            && survey.questions.iter().any(|q| q.key == question.key)
        {
            return Err(vec![problem(
                "key",
                format!(
                    "Another question of this survey has the key “{}”: choose another",
                    question.key
                ),
            )]);
        }
        match editing.and_then(|k| survey.questions.iter().position(|q| q.key == k)) {
            Some(i) => survey.questions[i] = question,
            None => survey.questions.push(question),
        }
        Ok(())
    }
}
