//! Moving and removing the elements of a draft: workstreams, resources,
//! surveys and questions, each found by its key.

use super::{Move, Problems, problem, shift};
use crate::domain::campaign::CampaignDefinition;

/// An element of a campaign, by its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Element {
    /// A workstream.
    Workstream(String),
    /// A resource.
    Resource(String),
    /// A survey, by its slug.
    Survey(String),
    /// A question of a survey: (survey slug, question key).
    Question(String, String),
}

/// What to do with an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrangement {
    /// Move it one place.
    Move(Move),
    /// Take it out of the draft.
    Remove,
}

impl Element {
    /// The element a form names: `list` is `workstreams`, `resources`,
    /// `surveys` or `questions` (which also needs `survey`).
    pub fn named(list: &str, key: &str, survey: &str) -> Option<Self> {
        let key = key.to_string();
        match list {
            "workstreams" => Some(Self::Workstream(key)),
            "resources" => Some(Self::Resource(key)),
            "surveys" => Some(Self::Survey(key)),
            "questions" => Some(Self::Question(survey.to_string(), key)),
            _ => None,
        }
    }

    /// The element in words, for the draft's record of changes.
    pub fn describe(&self) -> String {
        match self {
            Self::Workstream(k) => format!("workstream {k}"),
            Self::Resource(k) => format!("resource {k}"),
            Self::Survey(s) => format!("survey {s}"),
            Self::Question(s, k) => format!("question {k} of survey {s}"),
        }
    }
}

fn position<T>(items: &[T], found: impl Fn(&T) -> bool, what: &Element) -> Result<usize, Problems> {
    items.iter().position(found).ok_or_else(|| {
        vec![problem(
            "main",
            format!(
                "The draft has no {} any more: someone may have removed it",
                what.describe()
            ),
        )]
    })
}

/// Moves or removes `element` in `def`. Removing a workstream takes it off
/// the resources it owned; a resource that a survey asks about is kept.
///
/// # Errors
/// An element the draft no longer has; a resource still asked about.
pub fn arrange(
    def: &mut CampaignDefinition,
    element: &Element,
    what: Arrangement,
) -> Result<(), Problems> {
    match element {
        Element::Workstream(key) => {
            let at = position(&def.workstreams, |w| &w.key == key, element)?;
            if what == Arrangement::Remove {
                def.workstreams.remove(at);
                for r in &mut def.resources {
                    r.workstreams.retain(|w| w != key);
                }
            }
            apply(&mut def.workstreams, at, what);
        }
        Element::Resource(key) => {
            let at = position(&def.resources, |r| &r.key == key, element)?;
            if what == Arrangement::Remove {
                if let Some(survey) = def.surveys_for(key).next() {
                    return Err(vec![problem(
                        "main",
                        format!(
                            "The survey “{}” asks about this resource: remove that survey, or change the resource it asks about, first",
                            survey.title
                        ),
                    )]);
                }
                def.resources.remove(at);
            }
            apply(&mut def.resources, at, what);
        }
        Element::Survey(slug) => {
            let at = position(&def.surveys, |s| &s.slug == slug, element)?;
            if what == Arrangement::Remove {
                def.surveys.remove(at);
            }
            apply(&mut def.surveys, at, what);
        }
        Element::Question(slug, key) => {
            let survey_at = position(&def.surveys, |s| &s.slug == slug, element)?;
            let questions = &mut def.surveys[survey_at].questions;
            let at = position(questions, |q| &q.key == key, element)?;
            if what == Arrangement::Remove {
                questions.remove(at);
            }
            apply(questions, at, what);
        }
    }
    Ok(())
}

fn apply<T>(items: &mut [T], at: usize, what: Arrangement) {
    if let Arrangement::Move(direction) = what {
        shift(items, at, direction);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::campaign::DEFAULT_CAMPAIGN_TOML;

    fn playbook() -> CampaignDefinition {
        CampaignDefinition::from_toml(DEFAULT_CAMPAIGN_TOML).unwrap()
    }

    #[test]
    fn removing_a_workstream_frees_its_resources() {
        let mut def = playbook();
        let key = def.workstreams[0].key.clone();
        arrange(
            &mut def,
            &Element::Workstream(key.clone()),
            Arrangement::Remove,
        )
        .unwrap();
        assert!(def.resources.iter().all(|r| !r.workstreams.contains(&key)));
        def.check_draft().unwrap();
    }

    #[test]
    fn a_resource_asked_about_stays() {
        let mut def = playbook();
        let key = def.surveys.iter().find_map(|s| s.resource.clone()).unwrap();
        let before = def.clone();
        let problems = arrange(&mut def, &Element::Resource(key), Arrangement::Remove).unwrap_err();
        assert!(problems[0].message.contains("asks about this resource"));
        assert_eq!(def, before);
    }

    #[test]
    fn questions_move_within_their_survey() {
        let mut def = playbook();
        let slug = def.surveys[0].slug.clone();
        let first = def.surveys[0].questions[0].key.clone();
        let element = Element::Question(slug, first.clone());
        arrange(&mut def, &element, Arrangement::Move(Move::Down)).unwrap();
        assert_eq!(def.surveys[0].questions[1].key, first);
        arrange(&mut def, &element, Arrangement::Remove).unwrap();
        assert!(def.surveys[0].questions.iter().all(|q| q.key != first));
        let gone = arrange(&mut def, &element, Arrangement::Remove).unwrap_err();
        assert!(gone[0].message.contains("no question"));
    }
}
