//! The forms of what a campaign publishes and asks: its resources and surveys.

use super::{Problems, cy, fresh_key, kept, optional, problem, text};
use crate::domain::campaign::check::{check_key, check_link, check_slug};
use crate::domain::campaign::{CampaignDefinition, ResourceDefinition, SurveyDefinition};
use crate::domain::form::FormData;
use crate::domain::welsh::Welsh;

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
    /// Its title in Welsh, or empty.
    pub cy_title: String,
    /// Its description in Welsh, or empty.
    pub cy_description: String,
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
            cy_title: cy(r.cy.as_ref(), |w| w.title.as_ref()),
            cy_description: cy(r.cy.as_ref(), |w| w.description.as_ref()),
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
            cy_title: text(form, "cy_title"),
            cy_description: text(form, "cy_description"),
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
        let taken = def.resources.iter().map(|r| r.key.as_str());
        fresh_key(
            &mut problems,
            ("key", &self.key),
            (editing, taken),
            ("resource", "key"),
            check_key,
        );
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
            cy: kept(Welsh {
                title: optional(self.cy_title.clone()),
                description: optional(self.cy_description.clone()),
                ..Welsh::default()
            }),
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
    /// Answered by the embeddable "Was this useful?" form.
    pub embedded: bool,
    /// Its title in Welsh, or empty.
    pub cy_title: String,
    /// Its introduction in Welsh, or empty.
    pub cy_intro: String,
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
            embedded: s.embedded,
            cy_title: cy(s.cy.as_ref(), |w| w.title.as_ref()),
            cy_intro: cy(s.cy.as_ref(), |w| w.intro.as_ref()),
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
            embedded: form.get("embedded") == Some("yes"),
            cy_title: text(form, "cy_title"),
            cy_intro: text(form, "cy_intro"),
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
        let taken = def.surveys.iter().map(|s| s.slug.as_str());
        fresh_key(
            &mut problems,
            ("slug", &self.slug),
            (editing, taken),
            ("survey", "address"),
            check_slug,
        );
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
            embedded: self.embedded,
            questions,
            cy: kept(Welsh {
                title: optional(self.cy_title.clone()),
                intro: optional(self.cy_intro.clone()),
                ..Welsh::default()
            }),
        };
        match position {
            Some(i) => def.surveys[i] = made,
            None => def.surveys.push(made),
        }
        Ok(())
    }
}
