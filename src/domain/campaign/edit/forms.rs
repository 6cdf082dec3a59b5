//! The forms of the campaign's own details and of its workstreams.

use super::{Problems, cy, fresh_key, kept, optional, problem, text};
use crate::domain::campaign::check::{check_key, check_slug};
use crate::domain::campaign::{CampaignDefinition, WorkstreamDefinition};
use crate::domain::form::FormData;
use crate::domain::welsh::Welsh;
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
    /// Its title in Welsh, or empty.
    pub cy_title: String,
    /// Its description in Welsh, or empty.
    pub cy_description: String,
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
            cy_title: cy(def.cy.as_ref(), |w| w.title.as_ref()),
            cy_description: cy(def.cy.as_ref(), |w| w.description.as_ref()),
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
            cy_title: text(form, "cy_title"),
            cy_description: text(form, "cy_description"),
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
        def.cy = kept(Welsh {
            title: optional(self.cy_title.clone()),
            description: optional(self.cy_description.clone()),
            ..def.cy.clone().unwrap_or_default()
        });
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
    /// Its name in Welsh, or empty.
    pub cy_name: String,
}

impl WorkstreamForm {
    /// The workstream as the form shows it.
    pub fn of(w: &WorkstreamDefinition) -> Self {
        Self {
            key: w.key.clone(),
            name: w.name.clone(),
            cy_name: cy(w.cy.as_ref(), |w| w.name.as_ref()),
        }
    }

    /// The form as sent.
    pub fn read(form: &FormData) -> Self {
        Self {
            key: form.get("key").unwrap_or("").trim().to_string(),
            name: text(form, "name"),
            cy_name: text(form, "cy_name"),
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
        let taken = def.workstreams.iter().map(|w| w.key.as_str());
        fresh_key(
            &mut problems,
            ("key", &self.key),
            (editing, taken),
            ("workstream", "key"),
            check_key,
        );
        if self.name.trim().is_empty() {
            problems.push(problem("name", "Enter the workstream’s name"));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let made = WorkstreamDefinition {
            key: self.key.clone(),
            name: self.name.clone(),
            cy: kept(Welsh {
                name: optional(self.cy_name.clone()),
                ..Welsh::default()
            }),
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
