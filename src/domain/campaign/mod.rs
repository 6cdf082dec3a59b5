//! Campaign definitions: the TOML that describes a campaign, its
//! workstreams, resources and surveys, parsed and checked in one place
//! (the rules in `check.rs`; where in the file a problem is, in `spans.rs`).

mod check;
pub mod edit;
mod spans;
#[cfg(test)]
mod tests;
mod untranslated;

use super::question::Question;
use super::welsh::Welsh;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use spans::{Spans, line_of};

/// The default campaign, embedded so the service is useful the moment it starts.
pub const DEFAULT_CAMPAIGN_TOML: &str =
    include_str!("../../../campaigns/secure-connected-places.toml");

/// A whole campaign as written in TOML and as exported (the default is
/// the empty campaign a new draft starts from).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignDefinition {
    /// URL-safe identifier, stable for the campaign's life.
    pub slug: String,
    /// Shown as the landing page's heading.
    pub title: String,
    /// A short paragraph under the title.
    #[serde(default)]
    pub description: String,
    /// First day submissions are accepted (local date, inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opens_on: Option<NaiveDate>,
    /// Last day submissions are accepted (local date, inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closes_on: Option<NaiveDate>,
    /// The policy workstreams that read the feedback.
    #[serde(default, rename = "workstream")]
    pub workstreams: Vec<WorkstreamDefinition>,
    /// The campaign's published resources.
    #[serde(default, rename = "resource")]
    pub resources: Vec<ResourceDefinition>,
    /// The surveys, in the order the landing page lists them.
    #[serde(default, rename = "survey")]
    pub surveys: Vec<SurveyDefinition>,
    /// Its Welsh words, where given (`[….cy]` in the TOML).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cy: Option<Welsh>,
}

/// A policy workstream whose leads read feedback on the resources it owns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkstreamDefinition {
    /// Stable identifier (`a-z`, `0-9`, `_`).
    pub key: String,
    /// Display name.
    pub name: String,
    /// Its Welsh words, where given (`[….cy]` in the TOML).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cy: Option<Welsh>,
}

/// A published resource of the campaign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceDefinition {
    /// Stable identifier (`a-z`, `0-9`, `_`).
    pub key: String,
    /// Display title.
    pub title: String,
    /// One or two sentences on the landing page.
    #[serde(default)]
    pub description: String,
    /// Where the resource is published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Keys of the workstreams that own it.
    #[serde(default)]
    pub workstreams: Vec<String>,
    /// Its Welsh words, where given (`[….cy]` in the TOML).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cy: Option<Welsh>,
}

/// A survey and its current questions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyDefinition {
    /// The survey's address: `/surveys/{slug}`; unique across campaigns.
    pub slug: String,
    /// The page heading.
    pub title: String,
    /// The resource it asks about; none for the campaign as a whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// A paragraph above the questions.
    #[serde(default)]
    pub intro: String,
    /// Closes this survey alone, whatever the campaign's dates.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub closed: bool,
    /// Answered by the embeddable "Was this useful?" form on the campaign's
    /// own pages rather than listed: a yes-or-no question, then optionally
    /// a long text asked after "No".
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub embedded: bool,
    /// The questions, in order.
    #[serde(default, rename = "question")]
    pub questions: Vec<Question>,
    /// Its Welsh words, where given (`[….cy]` in the TOML).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cy: Option<Welsh>,
}

/// Why a campaign definition was refused, with the line it concerns.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
pub struct DefinitionError {
    /// The 1-based line of the TOML source, when known.
    pub line: Option<usize>,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl CampaignDefinition {
    /// Parses and checks a TOML definition.
    ///
    /// # Errors
    /// A [`DefinitionError`] naming the line and the problem: TOML syntax,
    /// an unknown or missing field, or a rule of [`CampaignDefinition::check`].
    pub fn from_toml(source: &str) -> Result<Self, DefinitionError> {
        let definition: Self = toml::from_str(source).map_err(|e| DefinitionError {
            line: e.span().map(|s| line_of(source, s.start)),
            message: e.message().trim().to_string(),
        })?;
        definition.check().map_err(|(place, message)| {
            let spans: Spans = toml::from_str(source).unwrap_or_default();
            DefinitionError {
                line: spans.line(source, place),
                message,
            }
        })?;
        Ok(definition)
    }

    /// Reads a draft kept by the editor: the rules of [`Self::from_toml`]
    /// but completeness (a survey may have no question yet).
    ///
    /// # Errors
    /// As [`Self::from_toml`].
    pub fn from_draft_toml(source: &str) -> Result<Self, DefinitionError> {
        let definition: Self = toml::from_str(source).map_err(|e| DefinitionError {
            line: e.span().map(|s| line_of(source, s.start)),
            message: e.message().trim().to_string(),
        })?;
        definition
            .check_draft()
            .map_err(|message| DefinitionError {
                line: None,
                message,
            })?;
        Ok(definition)
    }

    /// Writes the definition back as TOML that [`CampaignDefinition::from_toml`] reads.
    ///
    /// # Errors
    /// Only if a value cannot be represented in TOML, which the types rule out.
    pub fn to_toml(&self) -> Result<String, toml::ser::Error> {
        toml::to_string_pretty(self)
    }

    /// The survey with this slug.
    pub fn survey(&self, slug: &str) -> Option<&SurveyDefinition> {
        self.surveys.iter().find(|s| s.slug == slug)
    }

    /// The surveys that ask about `resource_key`.
    pub fn surveys_for<'a>(
        &'a self,
        resource_key: &'a str,
    ) -> impl Iterator<Item = &'a SurveyDefinition> {
        self.surveys
            .iter()
            .filter(move |s| s.resource.as_deref() == Some(resource_key))
    }
}

/// A digest of a question list: equal lists give equal fingerprints, so a
/// changed survey is recognised and versioned.
pub fn fingerprint(questions: &[Question]) -> String {
    // The words of a version are its English ones: a translation, added or
    // corrected, never makes a new version.
    let english: Vec<Question> = questions
        .iter()
        .map(|q| Question {
            cy: None,
            ..q.clone()
        })
        .collect();
    let json = serde_json::to_vec(&english).unwrap_or_default();
    Sha256::digest(&json)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
