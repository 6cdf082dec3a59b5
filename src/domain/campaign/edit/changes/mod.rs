//! What publishing a draft will change, in words, for the page an editor
//! reads before publishing: the published campaign compared with the draft,
//! element by element, and the leads who will start or stop getting digests.

use crate::domain::campaign::{
    CampaignDefinition, ResourceDefinition, SurveyDefinition, WorkstreamDefinition,
};
use crate::domain::question::Question;
use std::collections::BTreeMap;

#[cfg(test)]
mod tests;

/// The leads of each workstream: key → email addresses.
pub type LeadLists = BTreeMap<String, Vec<String>>;

/// Every change from `published` (none for a new campaign) to `draft`,
/// one sentence each, in the order of the draft; empty when nothing changes.
pub fn changes(
    published: Option<(&CampaignDefinition, &LeadLists)>,
    draft: (&CampaignDefinition, &LeadLists),
) -> Vec<String> {
    let (def, leads) = draft;
    let mut out = Vec::new();
    let Some((old, old_leads)) = published else {
        out.push(format!(
            "The campaign “{}” is new: {} workstream{}, {} resource{} and {} survey{} will be published.",
            def.title,
            def.workstreams.len(),
            plural(def.workstreams.len()),
            def.resources.len(),
            plural(def.resources.len()),
            def.surveys.len(),
            plural(def.surveys.len()),
        ));
        lead_changes(def, &LeadLists::new(), leads, &mut out);
        return out;
    };
    field(&mut out, "The campaign’s title", &old.title, &def.title);
    if old.description != def.description {
        out.push("The campaign’s description changes.".into());
    }
    let day = |d: Option<chrono::NaiveDate>| d.map_or("not set".into(), |d| d.to_string());
    field(
        &mut out,
        "The opening day",
        &day(old.opens_on),
        &day(def.opens_on),
    );
    field(
        &mut out,
        "The closing day",
        &day(old.closes_on),
        &day(def.closes_on),
    );
    list(
        &mut out,
        (
            ("Workstream", "renamed"),
            &old.workstreams,
            &def.workstreams,
        ),
        |w: &WorkstreamDefinition| (w.key.clone(), w.name.clone()),
        |_, _| Vec::new(),
    );
    list(
        &mut out,
        (("Resource", "renamed"), &old.resources, &def.resources),
        |r: &ResourceDefinition| (r.key.clone(), r.title.clone()),
        |a, b| {
            let mut what = Vec::new();
            if a.description != b.description {
                what.push("the description changes");
            }
            if a.url != b.url {
                what.push("the link changes");
            }
            if a.workstreams != b.workstreams {
                what.push("the workstreams that own it change");
            }
            what
        },
    );
    list(
        &mut out,
        (("Survey", "renamed"), &old.surveys, &def.surveys),
        |s: &SurveyDefinition| (s.slug.clone(), s.title.clone()),
        survey_details,
    );
    for survey in &def.surveys {
        if let Some(before) = old.surveys.iter().find(|s| s.slug == survey.slug) {
            let mut lines = Vec::new();
            list(
                &mut lines,
                (
                    ("Question", "reworded"),
                    &before.questions,
                    &survey.questions,
                ),
                |q: &Question| (q.key.clone(), q.text.clone()),
                question_details,
            );
            out.extend(
                lines
                    .into_iter()
                    .map(|l| format!("In “{}”: {}", survey.title, lower_first(&l))),
            );
        }
    }
    lead_changes(def, old_leads, leads, &mut out);
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_lowercase().chain(chars).collect::<String>()
    })
}

fn field(out: &mut Vec<String>, what: &str, old: &str, new: &str) {
    if old != new {
        out.push(format!("{what} changes from “{old}” to “{new}”."));
    }
}

/// Added, removed, renamed, changed and moved elements of one list, each
/// known by its key; `differences` names what else changed in one element.
fn list<T>(
    out: &mut Vec<String>,
    (noun, old, new): ((&str, &str), &[T], &[T]),
    name: impl Fn(&T) -> (String, String),
    differences: impl Fn(&T, &T) -> Vec<&'static str>,
) {
    let (noun, renamed) = noun;
    let old_keys: Vec<_> = old.iter().map(|o| name(o).0).collect();
    for item in new {
        let (key, title) = name(item);
        match old.iter().find(|o| name(o).0 == key) {
            None => out.push(format!("{noun} “{title}” ({key}) is added.")),
            Some(before) => {
                let (_, old_title) = name(before);
                if old_title != title {
                    out.push(format!(
                        "{noun} {key} is {renamed} from “{old_title}” to “{title}”."
                    ));
                }
                let what = differences(before, item);
                if !what.is_empty() {
                    out.push(format!("{noun} “{title}”: {}.", what.join("; ")));
                }
            }
        }
    }
    for before in old {
        let (key, title) = name(before);
        if !new.iter().any(|n| name(n).0 == key) {
            out.push(format!("{noun} “{title}” ({key}) is removed."));
        }
    }
    let kept_old: Vec<_> = old_keys
        .iter()
        .filter(|k| new.iter().any(|n| &name(n).0 == *k))
        .collect();
    let kept_new: Vec<_> = new
        .iter()
        .map(|n| name(n).0)
        .filter(|k| old_keys.contains(k))
        .collect();
    if kept_old.into_iter().ne(kept_new.iter()) {
        out.push(format!("{noun}s are put in a new order."));
    }
}

fn survey_details(a: &SurveyDefinition, b: &SurveyDefinition) -> Vec<&'static str> {
    let mut what = Vec::new();
    if a.intro != b.intro {
        what.push("the introduction changes");
    }
    if a.resource != b.resource {
        what.push("the resource it asks about changes");
    }
    if a.closed != b.closed {
        what.push(if b.closed {
            "it closes"
        } else {
            "it opens again"
        });
    }
    what
}

fn question_details(a: &Question, b: &Question) -> Vec<&'static str> {
    let mut what = Vec::new();
    if a.kind != b.kind {
        what.push("the kind changes");
    }
    if a.hint != b.hint {
        what.push("the hint changes");
    }
    if a.required != b.required {
        what.push(if b.required {
            "it becomes required"
        } else {
            "it becomes optional"
        });
    }
    if a.options != b.options {
        what.push("the options change");
    }
    if a.low_label != b.low_label || a.high_label != b.high_label {
        what.push("the scale’s end labels change");
    }
    if a.max_chars != b.max_chars {
        what.push("the length limit changes");
    }
    if a.error != b.error {
        what.push("the error message changes");
    }
    what
}

fn lead_changes(def: &CampaignDefinition, old: &LeadLists, new: &LeadLists, out: &mut Vec<String>) {
    for w in &def.workstreams {
        let before = old.get(&w.key).map(Vec::as_slice).unwrap_or_default();
        let after = new.get(&w.key).map(Vec::as_slice).unwrap_or_default();
        let added: Vec<_> = after
            .iter()
            .filter(|e| !before.contains(e))
            .cloned()
            .collect();
        let gone: Vec<_> = before
            .iter()
            .filter(|e| !after.contains(e))
            .cloned()
            .collect();
        if !added.is_empty() {
            out.push(format!(
                "{} will get the weekly digest of “{}”.",
                added.join(", "),
                w.name
            ));
        }
        if !gone.is_empty() {
            out.push(format!(
                "{} will no longer get the digest of “{}”.",
                gone.join(", "),
                w.name
            ));
        }
    }
}
