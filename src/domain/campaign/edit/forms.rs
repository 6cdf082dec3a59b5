//! The forms of the campaign, its workstreams, resources and surveys.

use super::{Problems, optional, problem, text};
use crate::domain::campaign::check::{check_key, check_link, check_slug};
use crate::domain::campaign::{
    CampaignDefinition, ResourceDefinition, SurveyDefinition, WorkstreamDefinition,
};
use crate::domain::form::FormData;
use chrono::NaiveDate;

/// The campaign's own details.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct DetailsForm {
    /// Its address, fixed once published.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// What it is about.
    pub description: String,
    /// First day open, `YYYY-MM-DD` or empty.
    pub opens_on: String,
    /// Last day open, `YYYY-MM-DD` or empty.
    pub closes_on: String,
}

fn date_text(date: Option<NaiveDate>) -> String {
    date.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn read_date(value: &str, field: &str, problems: &mut Problems) -> Option<NaiveDate> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    match value.parse() {
        Ok(date) => Some(date),
        Err(_) => {
            problems.push(problem(
                field,
                format!("“{value}” is not a date: write it as YYYY-MM-DD, like 2027-03-31"),
            ));
            None
        }
    }
}

impl DetailsForm {
    /// The details as the form shows them.
    pub fn of(def: &CampaignDefinition) -> Self {
        Self {
            slug: def.slug.clone(),
            title: def.title.clone(),
            description: def.description.clone(),
            opens_on: date_text(def.opens_on),
            closes_on: date_text(def.closes_on),
        }
    }

    /// The form as sent.
    pub fn read(form: &FormData) -> Self {
        Self {
            slug: form.get("slug").unwrap_or("").trim().to_string(),
            title: text(form, "title"),
            description: text(form, "description"),
            opens_on: text(form, "opens_on"),
            closes_on: text(form, "closes_on"),
        }
    }

    /// Puts the details into `def`; the slug only when `slug_free` (a
    /// campaign not yet published).
    ///
    /// # Errors
    /// Each field's problem.
    pub fn apply(&self, def: &mut CampaignDefinition, slug_free: bool) -> Result<(), Problems> {
        let mut problems = Problems::new();
        if slug_free {
            if let Err(m) = check_slug(&self.slug) {
                problems.push(problem("slug", format!("The address {m}")));
            }
        } else if self.slug != def.slug {
            problems.push(problem(
                "slug",
                "A published campaign keeps its address; make a new campaign for a new address",
            ));
        }
        if self.title.trim().is_empty() {
            problems.push(problem("title", "Enter a title for the campaign"));
        }
        let opens_on = read_date(&self.opens_on, "opens_on", &mut problems);
        let closes_on = read_date(&self.closes_on, "closes_on", &mut problems);
        if let (Some(o), Some(c)) = (opens_on, closes_on)
            && c < o
        {
            problems.push(problem(
                "closes_on",
                format!("The closing day must be on or after the opening day ({o})"),
            ));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        def.slug.clone_from(&self.slug);
        def.title.clone_from(&self.title);
        def.description.clone_from(&self.description);
        def.opens_on = opens_on;
        def.closes_on = closes_on;
        Ok(())
    }
}

/// A workstream.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct WorkstreamForm {
    /// Its key, as digests and subscriptions name it.
    pub key: String,
    /// Its name.
    pub name: String,
}

impl WorkstreamForm {
    /// The workstream as the form shows it.
    pub fn of(w: &WorkstreamDefinition) -> Self {
        Self {
            key: w.key.clone(),
            name: w.name.clone(),
        }
    }

    /// The form as sent.
    pub fn read(form: &FormData) -> Self {
        Self {
            key: form.get("key").unwrap_or("").trim().to_string(),
            name: text(form, "name"),
        }
    }

    /// Adds the workstream, or replaces the one keyed `editing`; a new key
    /// follows into the resources it owns.
    ///
    /// # Errors
    /// Each field's problem.
    pub fn apply(
        &self,
        def: &mut CampaignDefinition,
        editing: Option<&str>,
    ) -> Result<(), Problems> {
        let mut problems = Problems::new();
        if let Err(m) = check_key(&self.key) {
            problems.push(problem("key", format!("The key {m}")));
        } else if Some(self.key.as_str()) != editing
            && def.workstreams.iter().any(|w| w.key == self.key)
        {
            problems.push(problem(
                "key",
                format!(
                    "Another workstream has the key “{}”: choose another",
                    self.key
                ),
            ));
        }
        if self.name.trim().is_empty() {
            problems.push(problem("name", "Enter the workstream’s name"));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let made = WorkstreamDefinition {
            key: self.key.clone(),
            name: self.name.clone(),
        };
        match editing.and_then(|k| def.workstreams.iter().position(|w| w.key == k)) {
            Some(i) => {
                let old = std::mem::replace(&mut def.workstreams[i], made);
                for owners in def.resources.iter_mut().map(|r| &mut r.workstreams) {
                    for owner in owners.iter_mut().filter(|o| **o == old.key) {
                        owner.clone_from(&self.key);
                    }
                }
            }
            None => def.workstreams.push(made),
        }
        Ok(())
    }
}

/// A resource.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ResourceForm {
    /// Its key.
    pub key: String,
    /// Its title.
    pub title: String,
    /// What it is.
    pub description: String,
    /// Where it is published, or empty.
    pub url: String,
    /// The keys of the workstreams that own it.
    pub workstreams: Vec<String>,
}

impl ResourceForm {
    /// The resource as the form shows it.
    pub fn of(r: &ResourceDefinition) -> Self {
        Self {
            key: r.key.clone(),
            title: r.title.clone(),
            description: r.description.clone(),
            url: r.url.clone().unwrap_or_default(),
            workstreams: r.workstreams.clone(),
        }
    }

    /// The form as sent.
    pub fn read(form: &FormData) -> Self {
        Self {
            key: form.get("key").unwrap_or("").trim().to_string(),
            title: text(form, "title"),
            description: text(form, "description"),
            url: form.get("url").unwrap_or("").trim().to_string(),
            workstreams: form
                .all("workstreams")
                .into_iter()
                .map(String::from)
                .collect(),
        }
    }

    /// Adds the resource, or replaces the one keyed `editing`; a new key
    /// follows into the surveys about it.
    ///
    /// # Errors
    /// Each field's problem.
    pub fn apply(
        &self,
        def: &mut CampaignDefinition,
        editing: Option<&str>,
    ) -> Result<(), Problems> {
        let mut problems = Problems::new();
        if let Err(m) = check_key(&self.key) {
            problems.push(problem("key", format!("The key {m}")));
        } else if Some(self.key.as_str()) != editing
            && def.resources.iter().any(|r| r.key == self.key)
        {
            problems.push(problem(
                "key",
                format!(
                    "Another resource has the key “{}”: choose another",
                    self.key
                ),
            ));
        }
        if self.title.trim().is_empty() {
            problems.push(problem("title", "Enter the resource’s title"));
        }
        if !self.url.is_empty()
            && let Err(m) = check_link(&self.url)
        {
            problems.push(problem("url", format!("The address {m}")));
        }
        if let Some(unknown) = self
            .workstreams
            .iter()
            .find(|w| !def.workstreams.iter().any(|d| &d.key == *w))
        {
            problems.push(problem(
                "workstreams",
                format!("There is no workstream “{unknown}”"),
            ));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        // A browser sends the ticked boxes in the campaign's order: owners
        // kept keep their order, new ones follow.
        let before = editing
            .and_then(|k| def.resources.iter().find(|r| r.key == k))
            .map(|r| r.workstreams.clone())
            .unwrap_or_default();
        let mut owners: Vec<String> = before
            .into_iter()
            .filter(|w| self.workstreams.contains(w))
            .collect();
        for w in &self.workstreams {
            if !owners.contains(w) {
                owners.push(w.clone());
            }
        }
        let made = ResourceDefinition {
            key: self.key.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            url: optional(self.url.clone()),
            workstreams: owners,
        };
        match editing.and_then(|k| def.resources.iter().position(|r| r.key == k)) {
            Some(i) => {
                let old = std::mem::replace(&mut def.resources[i], made);
                for survey in def
                    .surveys
                    .iter_mut()
                    .filter(|s| s.resource.as_ref() == Some(&old.key))
                {
                    survey.resource = Some(self.key.clone());
                }
            }
            None => def.resources.push(made),
        }
        Ok(())
    }
}

/// A survey's own details (its questions have forms of their own).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct SurveyForm {
    /// Its address: `/surveys/{slug}`.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// The resource it asks about, or empty for the campaign as a whole.
    pub resource: String,
    /// The paragraph above its questions.
    pub intro: String,
    /// Closed on its own.
    pub closed: bool,
}

impl SurveyForm {
    /// The survey as the form shows it.
    pub fn of(s: &SurveyDefinition) -> Self {
        Self {
            slug: s.slug.clone(),
            title: s.title.clone(),
            resource: s.resource.clone().unwrap_or_default(),
            intro: s.intro.clone(),
            closed: s.closed,
        }
    }

    /// The form as sent.
    pub fn read(form: &FormData) -> Self {
        Self {
            slug: form.get("slug").unwrap_or("").trim().to_string(),
            title: text(form, "title"),
            resource: form.get("resource").unwrap_or("").to_string(),
            intro: text(form, "intro"),
            closed: form.get("closed") == Some("yes"),
        }
    }

    /// Adds the survey (with no question yet), or updates the one at `editing`.
    ///
    /// # Errors
    /// Each field's problem.
    pub fn apply(
        &self,
        def: &mut CampaignDefinition,
        editing: Option<&str>,
    ) -> Result<(), Problems> {
        let mut problems = Problems::new();
        if let Err(m) = check_slug(&self.slug) {
            problems.push(problem("slug", format!("The address {m}")));
        } else if Some(self.slug.as_str()) != editing
            && def.surveys.iter().any(|s| s.slug == self.slug)
        {
            problems.push(problem(
                "slug",
                format!(
                    "Another survey has the address “{}”: choose another",
                    self.slug
                ),
            ));
        }
        if self.title.trim().is_empty() {
            problems.push(problem("title", "Enter the survey’s title"));
        }
        if !self.resource.is_empty() && !def.resources.iter().any(|r| r.key == self.resource) {
            problems.push(problem(
                "resource",
                format!("There is no resource “{}”", self.resource),
            ));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let position = editing.and_then(|s| def.surveys.iter().position(|d| d.slug == s));
        let questions = position
            .map(|i| def.surveys[i].questions.clone())
            .unwrap_or_default();
        let made = SurveyDefinition {
            slug: self.slug.clone(),
            title: self.title.clone(),
            resource: optional(self.resource.clone()),
            intro: self.intro.clone(),
            closed: self.closed,
            questions,
        };
        match position {
            Some(i) => def.surveys[i] = made,
            None => def.surveys.push(made),
        }
        Ok(())
    }
}
