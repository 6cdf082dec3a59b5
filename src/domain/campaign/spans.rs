//! Where a problem is in the TOML source: the line of the table (or the
//! field) a rule of `check.rs` points at.

use serde::Deserialize;

/// Where in the definition a problem is, before it becomes a line number.
#[derive(Debug, Clone, Copy)]
pub(super) enum Place {
    Top,
    Workstream(usize),
    Resource(usize),
    ResourceUrl(usize),
    Survey(usize),
    Question(usize, usize),
}

/// Only the spans of the tables, to turn a [`Place`] into a line.
#[derive(Deserialize, Default)]
pub(super) struct Spans {
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
    pub(super) fn line(&self, source: &str, place: Place) -> Option<usize> {
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

pub(super) fn line_of(source: &str, offset: usize) -> usize {
    source.as_bytes()[..offset.min(source.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}
