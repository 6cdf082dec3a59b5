//! Campaign definitions: the TOML that describes a campaign, its
//! workstreams, resources and surveys, parsed and checked in one place.

use super::question::{Question, QuestionKind};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashSet;

/// The default campaign, embedded so the service is useful the moment it starts.
pub const DEFAULT_CAMPAIGN_TOML: &str =
    include_str!("../../campaigns/secure-connected-places.toml");

/// A whole campaign as written in TOML and as exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
}

/// A policy workstream whose leads read feedback on the resources it owns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkstreamDefinition {
    /// Stable identifier (`a-z`, `0-9`, `_`).
    pub key: String,
    /// Display name.
    pub name: String,
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
    /// The questions, in order.
    #[serde(rename = "question")]
    pub questions: Vec<Question>,
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

/// Where in the definition a problem is, before it becomes a line number.
#[derive(Debug, Clone, Copy)]
enum Place {
    Top,
    Workstream(usize),
    Resource(usize),
    ResourceUrl(usize),
    Survey(usize),
    Question(usize, usize),
}

/// Only the spans of the tables, to turn a [`Place`] into a line.
#[derive(Deserialize, Default)]
struct Spans {
    #[serde(default)]
    workstream: Vec<toml::Spanned<serde::de::IgnoredAny>>,
    #[serde(default)]
    resource: Vec<toml::Spanned<ResourceSpans>>,
    #[serde(default)]
    survey: Vec<toml::Spanned<SurveySpans>>,
}

#[derive(Deserialize, Default)]
struct ResourceSpans {
    url: Option<toml::Spanned<serde::de::IgnoredAny>>,
}

#[derive(Deserialize, Default)]
struct SurveySpans {
    #[serde(default)]
    question: Vec<toml::Spanned<serde::de::IgnoredAny>>,
}

impl Spans {
    fn line(&self, source: &str, place: Place) -> Option<usize> {
        let start = match place {
            Place::Top => return None,
            Place::Workstream(i) => self.workstream.get(i)?.span().start,
            Place::Resource(i) => self.resource.get(i)?.span().start,
            Place::ResourceUrl(i) => {
                let resource = self.resource.get(i)?;
                match &resource.get_ref().url {
                    Some(url) => url.span().start,
                    None => resource.span().start,
                }
            }
            Place::Survey(i) => self.survey.get(i)?.span().start,
            Place::Question(s, q) => self.survey.get(s)?.get_ref().question.get(q)?.span().start,
        };
        Some(line_of(source, start))
    }
}

fn line_of(source: &str, offset: usize) -> usize {
    source.as_bytes()[..offset.min(source.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
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

    /// Writes the definition back as TOML that [`CampaignDefinition::from_toml`] reads.
    ///
    /// # Errors
    /// Only if a value cannot be represented in TOML, which the types rule out.
    pub fn to_toml(&self) -> Result<String, toml::ser::Error> {
        toml::to_string_pretty(self)
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

    fn check(&self) -> Result<(), (Place, String)> {
        let top = |m: String| (Place::Top, m);
        check_slug(&self.slug).map_err(|m| top(format!("slug: {m}")))?;
        if self.title.trim().is_empty() {
            return Err(top("title: give the campaign a title".into()));
        }
        if let (Some(o), Some(c)) = (self.opens_on, self.closes_on)
            && c < o
        {
            return Err(top(format!("closes_on ({c}) is before opens_on ({o})")));
        }
        let mut seen = HashSet::new();
        for (i, w) in self.workstreams.iter().enumerate() {
            let at = |m: String| (Place::Workstream(i), format!("workstream {:?}: {m}", w.key));
            check_key(&w.key).map_err(at)?;
            if !seen.insert(w.key.as_str()) {
                return Err(at(
                    "this key is used twice; give each workstream its own".into()
                ));
            }
            if w.name.trim().is_empty() {
                return Err(at("give the workstream a name".into()));
            }
        }
        let workstreams = seen;
        let mut resources = HashSet::new();
        for (i, r) in self.resources.iter().enumerate() {
            let at = |m: String| (Place::Resource(i), format!("resource {:?}: {m}", r.key));
            check_key(&r.key).map_err(at)?;
            if !resources.insert(r.key.as_str()) {
                return Err(at(
                    "this key is used twice; give each resource its own".into()
                ));
            }
            if r.title.trim().is_empty() {
                return Err(at("give the resource a title".into()));
            }
            if let Some(url) = &r.url {
                check_link(url).map_err(|m| {
                    (
                        Place::ResourceUrl(i),
                        format!("resource {:?}: url {url:?} {m}", r.key),
                    )
                })?;
            }
            if let Some(w) = r
                .workstreams
                .iter()
                .find(|w| !workstreams.contains(w.as_str()))
            {
                return Err(at(format!(
                    "workstream {w:?} is not defined; add a [[workstream]] with that key"
                )));
            }
        }
        if self.surveys.is_empty() {
            return Err(top("add at least one [[survey]]".into()));
        }
        let mut slugs = HashSet::new();
        for (s, survey) in self.surveys.iter().enumerate() {
            let at = |m: String| (Place::Survey(s), format!("survey {:?}: {m}", survey.slug));
            check_slug(&survey.slug).map_err(at)?;
            if !slugs.insert(survey.slug.as_str()) {
                return Err(at(
                    "this slug is used twice; give each survey its own".into()
                ));
            }
            if let Some(r) = &survey.resource
                && !resources.contains(r.as_str())
            {
                return Err(at(format!(
                    "resource {r:?} is not defined; add a [[resource]] with that key"
                )));
            }
            if survey.questions.is_empty() {
                return Err(at("add at least one [[survey.question]]".into()));
            }
            check_questions(&survey.questions).map_err(|(q, m)| {
                (
                    Place::Question(s, q),
                    format!("survey {:?}, question {}: {m}", survey.slug, q + 1),
                )
            })?;
        }
        Ok(())
    }
}

fn check_questions(questions: &[Question]) -> Result<(), (usize, String)> {
    let mut keys = HashSet::new();
    let (mut organisations, mut emails) = (0, 0);
    for (i, q) in questions.iter().enumerate() {
        let fail = |m: String| Err((i, m));
        if let Err(m) = check_key(&q.key) {
            return fail(format!("key: {m}"));
        }
        if !keys.insert(q.key.as_str()) {
            return fail(format!("key {:?} is used twice in this survey", q.key));
        }
        if q.text.trim().is_empty() {
            return fail("give the question a text".into());
        }
        organisations += usize::from(q.kind == QuestionKind::Organisation);
        emails += usize::from(q.kind == QuestionKind::Email);
        if organisations > 1 || emails > 1 {
            return fail(
                "a survey can ask for one organisation and one email address at most".into(),
            );
        }
        if q.kind.has_options() {
            if q.options.len() < 2 {
                return fail("give a single or multi question at least two options".into());
            }
            let mut values = HashSet::new();
            for o in &q.options {
                if check_key(&o.value).is_err() {
                    return fail(format!(
                        "option value {:?}: use a-z, 0-9 and _ only",
                        o.value
                    ));
                }
                if !values.insert(o.value.as_str()) || o.label.trim().is_empty() {
                    return fail(format!("option {:?} is repeated or has no label", o.value));
                }
            }
        } else if !q.options.is_empty() {
            return fail(format!(
                "a {:?} question takes no options; remove them",
                q.kind
            ));
        }
        if q.kind.scale().is_none() && (q.low_label.is_some() || q.high_label.is_some()) {
            return fail("low_label and high_label are only for rating and nps questions".into());
        }
    }
    Ok(())
}

/// Checks a slug: lowercase letters, digits and single hyphens, at most 64 characters.
/// A link shown to respondents: `https:`, `http:` or relative, nothing a
/// browser would run (`javascript:`, `data:`) or read differently from us.
fn check_link(url: &str) -> Result<(), String> {
    if url.is_empty() {
        return Err("is empty: give the address of the resource, or leave url out".into());
    }
    if url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err("contains a space or control character: write it as one address".into());
    }
    let scheme = url
        .split_once(':')
        .map(|(before, _)| before)
        .filter(|before| !before.contains(['/', '?', '#']));
    match scheme {
        None => Ok(()),
        Some(s) if s.eq_ignore_ascii_case("https") || s.eq_ignore_ascii_case("http") => {
            if url[s.len()..].starts_with("://") && url.len() > s.len() + 3 {
                Ok(())
            } else {
                Err("needs a host after the scheme, such as https://www.gov.uk/…".into())
            }
        }
        Some(_) => {
            Err("is not allowed: use an https:// or http:// address, or a path on this site".into())
        }
    }
}

fn check_slug(slug: &str) -> Result<(), String> {
    let ok = !slug.is_empty()
        && slug.len() <= 64
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{slug:?} must be 1 to 64 characters of a-z, 0-9 and -"
        ))
    }
}

/// Checks a key: lowercase letters, digits and underscores, at most 64 characters.
fn check_key(key: &str) -> Result<(), String> {
    let ok = !key.is_empty()
        && key.len() <= 64
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !key.starts_with(|c: char| c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{key:?} must be 1 to 64 characters of a-z, 0-9 and _, not starting with a digit"
        ))
    }
}

/// A digest of a question list: equal lists give equal fingerprints, so a
/// changed survey is recognised and versioned.
pub fn fingerprint(questions: &[Question]) -> String {
    let json = serde_json::to_vec(questions).unwrap_or_default();
    Sha256::digest(&json)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_campaign_is_valid_and_round_trips() {
        let campaign =
            CampaignDefinition::from_toml(DEFAULT_CAMPAIGN_TOML).expect("default campaign parses");
        assert_eq!(campaign.slug, "secure-connected-places");
        assert_eq!(campaign.resources.len(), 6);
        assert_eq!(campaign.surveys.len(), 7);
        let again = CampaignDefinition::from_toml(&campaign.to_toml().unwrap()).unwrap();
        assert_eq!(again, campaign);
    }

    #[test]
    fn a_syntax_error_names_its_line() {
        let err = CampaignDefinition::from_toml("slug = \"a\"\ntitle = \"T\"\n\n[[survey]\n")
            .unwrap_err();
        assert_eq!(err.line, Some(4), "{err}");
    }

    #[test]
    fn an_unknown_workstream_names_the_resource_line() {
        let source = "slug = \"c\"\ntitle = \"C\"\n\n[[resource]]\nkey = \"r\"\ntitle = \"R\"\nworkstreams = [\"nope\"]\n\n[[survey]]\nslug = \"s\"\ntitle = \"S\"\n[[survey.question]]\nkey = \"q\"\nkind = \"text\"\ntext = \"Q?\"\n";
        let err = CampaignDefinition::from_toml(source).unwrap_err();
        assert_eq!(err.line, Some(4), "{err}");
        assert!(
            err.message.contains("workstream \"nope\" is not defined"),
            "{err}"
        );
    }

    #[test]
    fn a_bad_question_names_its_line() {
        let source = "slug = \"c\"\ntitle = \"C\"\n[[survey]]\nslug = \"s\"\ntitle = \"S\"\n[[survey.question]]\nkey = \"q\"\nkind = \"text\"\ntext = \"Q?\"\n[[survey.question]]\nkey = \"q\"\nkind = \"text\"\ntext = \"Again?\"\n";
        let err = CampaignDefinition::from_toml(source).unwrap_err();
        assert_eq!(err.line, Some(10), "{err}");
        assert!(err.message.contains("used twice"), "{err}");
    }

    #[test]
    fn a_resource_link_must_be_http_or_relative_and_the_refusal_names_its_line() {
        let with_url = |url: &str| {
            format!(
                "slug = \"c\"\ntitle = \"C\"\n\n[[resource]]\nkey = \"r\"\ntitle = \"R\"\nurl = {url:?}\n\n[[survey]]\nslug = \"s\"\ntitle = \"S\"\n[[survey.question]]\nkey = \"q\"\nkind = \"text\"\ntext = \"Q?\"\n"
            )
        };
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "java\tscript:alert(1)",
            " javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)",
            "https:",
            "",
        ] {
            let err = CampaignDefinition::from_toml(&with_url(bad)).unwrap_err();
            assert_eq!(err.line, Some(7), "{bad:?}: {err}");
            assert!(err.message.contains("resource \"r\": url"), "{err}");
        }
        for good in [
            "https://www.gov.uk/government/publications/secure-connected-places-playbook",
            "http://example.org/a?b=c#d",
            "/resources/governance",
            "governance.html",
            "//cdn.example.org/file.pdf",
        ] {
            assert!(
                CampaignDefinition::from_toml(&with_url(good)).is_ok(),
                "{good:?}"
            );
        }
    }

    #[test]
    fn changing_a_question_changes_the_fingerprint() {
        let campaign = CampaignDefinition::from_toml(DEFAULT_CAMPAIGN_TOML).unwrap();
        let mut questions = campaign.surveys[0].questions.clone();
        let before = fingerprint(&questions);
        assert_eq!(before, fingerprint(&questions));
        questions[1].text.push_str(" now");
        assert_ne!(before, fingerprint(&questions));
    }
}
