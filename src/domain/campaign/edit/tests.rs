//! Showing every element of a generated campaign in its form and sending
//! the form back unchanged gives the same campaign, to the byte of TOML.

use super::*;
use crate::domain::campaign::{
    CampaignDefinition, ResourceDefinition, SurveyDefinition, WorkstreamDefinition,
};
use crate::domain::form::FormData;
use crate::domain::question::{Choice, Question, QuestionKind};
use proptest::prelude::*;

/// A browser sends a form's fields as they were shown: inputs on one line,
/// text areas with their line breaks, ticked boxes as "yes".
fn sent(pairs: Vec<(String, String)>) -> FormData {
    FormData::from_pairs(pairs)
}

/// A form's fields as a browser sends them: text as it is, a ticked box as
/// "yes" (an unticked one not at all), a list as one field per item, and
/// option rows as `option-{i}-…` with blank rows after them.
fn pairs_of(form: &impl serde::Serialize) -> Vec<(String, String)> {
    let serde_json::Value::Object(fields) = serde_json::to_value(form).unwrap() else {
        panic!("a form is a struct");
    };
    let mut pairs = Vec::new();
    for (name, value) in fields {
        match value {
            serde_json::Value::String(text) => pairs.push((name, text)),
            serde_json::Value::Bool(true) => pairs.push((name, "yes".into())),
            serde_json::Value::Array(items) if name == "options" => {
                let blanks = std::iter::repeat_n(serde_json::json!({}), 3);
                for (i, row) in items.into_iter().chain(blanks).enumerate() {
                    for field in ["value", "label", "hint", "cy_label"] {
                        let text = row[field].as_str().unwrap_or_default().to_string();
                        let sent = if field == "cy_label" { "cy" } else { field };
                        pairs.push((format!("option-{i}-{sent}"), text));
                    }
                }
            }
            serde_json::Value::Array(items) => {
                for item in items {
                    pairs.push((name.clone(), item.as_str().unwrap_or_default().to_string()));
                }
            }
            _ => {}
        }
    }
    pairs
}

/// How the forms go back: each element added to a fresh draft, as first
/// typed in; or each saved unchanged over the campaign itself, the ticked
/// workstreams in the campaign's order, as a browser sends them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sending {
    Added,
    InPlace,
}

/// Every element of `def` through its form and back.
fn through_the_forms(def: &CampaignDefinition, how: Sending) -> CampaignDefinition {
    let in_place = how == Sending::InPlace;
    let mut out = if in_place {
        def.clone()
    } else {
        CampaignDefinition::default()
    };
    let editing = |key: &str| in_place.then(|| key.to_string());
    DetailsForm::read(&sent(pairs_of(&DetailsForm::of(def))))
        .apply(&mut out, !in_place)
        .unwrap();
    for w in &def.workstreams {
        WorkstreamForm::read(&sent(pairs_of(&WorkstreamForm::of(w))))
            .apply(&mut out, editing(&w.key).as_deref())
            .unwrap();
    }
    for r in &def.resources {
        let mut f = ResourceForm::of(r);
        if how == Sending::InPlace {
            // The ticked boxes come in the campaign's order.
            f.workstreams = def
                .workstreams
                .iter()
                .filter(|w| r.workstreams.contains(&w.key))
                .map(|w| w.key.clone())
                .collect();
        }
        ResourceForm::read(&sent(pairs_of(&f)))
            .apply(&mut out, editing(&r.key).as_deref())
            .unwrap();
    }
    for s in &def.surveys {
        SurveyForm::read(&sent(pairs_of(&SurveyForm::of(s))))
            .apply(&mut out, editing(&s.slug).as_deref())
            .unwrap();
        for q in &s.questions {
            QuestionForm::read(&sent(pairs_of(&QuestionForm::of(q))))
                .unwrap()
                .apply(&mut out, &s.slug, editing(&q.key).as_deref())
                .unwrap();
        }
    }
    out
}

fn key() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9_]{0,10}"
}

fn slug() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,5}){0,2}"
}

/// One line of text as an input holds it: no line break, not blank.
fn line() -> impl Strategy<Value = String> {
    "[A-Za-zÀ-ÿŵŷ0-9 ,.?!&<>'\"()-]{0,30}[A-Za-zŵ0-9?]"
}

/// Text as a text area holds it: lines, possibly none.
fn lines() -> impl Strategy<Value = String> {
    prop::collection::vec(line(), 0..3).prop_map(|l| l.join("\n"))
}

fn optional_line() -> impl Strategy<Value = Option<String>> {
    prop::option::of(line())
}

fn question() -> impl Strategy<Value = Question> {
    let kinds = prop::sample::select(vec![
        QuestionKind::Rating,
        QuestionKind::Nps,
        QuestionKind::Single,
        QuestionKind::Multi,
        QuestionKind::YesNo,
        QuestionKind::Text,
        QuestionKind::LongText,
    ]);
    (
        key(),
        kinds,
        line(),
        optional_line(),
        any::<bool>(),
        prop::collection::btree_map(key(), (line(), optional_line()), 2..5),
        (optional_line(), optional_line()),
        prop::option::of(1usize..500),
        optional_line(),
        (optional_line(), optional_line(), any::<bool>()),
    )
        .prop_map(
            |(key, kind, text, hint, required, options, (low, high), limit, error, welsh)| {
                let scale = kind.scale().is_some();
                let (cy_text, cy_hint, cy_options) = welsh;
                let cy = crate::domain::welsh::Welsh {
                    text: cy_text,
                    hint: cy_hint.filter(|_| hint.is_some()),
                    low_label: low.clone().filter(|_| scale),
                    options: if kind.has_options() && cy_options {
                        options
                            .keys()
                            .map(|k| (k.clone(), format!("{k} yn Gymraeg")))
                            .collect()
                    } else {
                        Default::default()
                    },
                    ..Default::default()
                };
                Question {
                    key,
                    kind,
                    text,
                    hint,
                    required,
                    options: if kind.has_options() {
                        options
                            .into_iter()
                            .map(|(value, (label, hint))| Choice { value, label, hint })
                            .collect()
                    } else {
                        Vec::new()
                    },
                    low_label: if scale { low } else { None },
                    high_label: if scale { high } else { None },
                    max_chars: if kind.max_chars().is_some() {
                        limit
                    } else {
                        None
                    },
                    error,
                    cy: (!cy.is_empty()).then_some(cy),
                }
            },
        )
}

fn campaign() -> impl Strategy<Value = CampaignDefinition> {
    (
        slug(),
        line(),
        lines(),
        prop::option::of((0i64..3000, 0i64..400)),
        prop::collection::btree_map(key(), line(), 0..3),
        prop::collection::btree_map(
            key(),
            (
                line(),
                lines(),
                prop::option::of(Just("https://www.gov.uk/guidance".to_string())),
            ),
            0..3,
        ),
        prop::collection::btree_map(
            slug(),
            (
                line(),
                lines(),
                any::<bool>(),
                prop::collection::vec(question(), 1..5),
            ),
            1..3,
        ),
    )
        .prop_map(
            |(slug, title, description, dates, workstreams, resources, surveys)| {
                let day = |n: i64| {
                    chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Duration::days(n)
                };
                let workstreams: Vec<WorkstreamDefinition> = workstreams
                    .into_iter()
                    .map(|(key, name)| WorkstreamDefinition {
                        cy: (name.len() % 2 == 0).then(|| crate::domain::welsh::Welsh {
                            name: Some(format!("{name} (Cymraeg)")),
                            ..Default::default()
                        }),
                        key,
                        name,
                    })
                    .collect();
                let owners: Vec<String> = workstreams.iter().map(|w| w.key.clone()).collect();
                let resources: Vec<ResourceDefinition> = resources
                    .into_iter()
                    .enumerate()
                    .map(|(i, (key, (title, description, url)))| ResourceDefinition {
                        key,
                        title,
                        description,
                        url,
                        // Not always in the campaign's order, as a file may have them.
                        workstreams: {
                            let mut mine: Vec<String> = owners
                                .iter()
                                .take(i % (owners.len() + 1))
                                .cloned()
                                .collect();
                            if i % 2 == 1 {
                                mine.reverse();
                            }
                            mine
                        },
                        cy: (i % 3 == 0).then(|| crate::domain::welsh::Welsh {
                            title: Some(format!("Adnodd {i}")),
                            ..Default::default()
                        }),
                    })
                    .collect();
                let surveys = surveys
                    .into_iter()
                    .enumerate()
                    .map(|(i, (slug, (title, intro, closed, mut questions)))| {
                        questions.sort_by(|a, b| a.key.cmp(&b.key));
                        questions.dedup_by(|a, b| a.key == b.key);
                        SurveyDefinition {
                            slug,
                            title,
                            resource: resources.get(i).map(|r| r.key.clone()),
                            cy: (!intro.is_empty()).then(|| crate::domain::welsh::Welsh {
                                intro: Some(format!("{intro} (Cymraeg)")),
                                ..Default::default()
                            }),
                            intro,
                            closed,
                            embedded: false,
                            questions,
                        }
                    })
                    .collect();
                CampaignDefinition {
                    slug,
                    description,
                    opens_on: dates.map(|(from, _)| day(from)),
                    closes_on: dates.map(|(from, length)| day(from + length)),
                    cy: Some(crate::domain::welsh::Welsh {
                        title: Some(format!("{title} yn Gymraeg")),
                        ..Default::default()
                    }),
                    title,
                    workstreams,
                    resources,
                    surveys,
                }
            },
        )
        .prop_filter("a valid campaign", |c| c.check().is_ok())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn filling_in_every_form_gives_the_same_toml(def in campaign()) {
        let again = through_the_forms(&def, Sending::Added);
        prop_assert_eq!(&again, &def);
        prop_assert_eq!(again.to_toml().unwrap(), def.to_toml().unwrap());
    }

    #[test]
    fn saving_every_form_unchanged_changes_nothing(def in campaign()) {
        let again = through_the_forms(&def, Sending::InPlace);
        prop_assert_eq!(again.to_toml().unwrap(), def.to_toml().unwrap());
    }
}

#[test]
fn the_default_campaign_goes_through_the_forms_unchanged() {
    let def =
        CampaignDefinition::from_toml(crate::domain::campaign::DEFAULT_CAMPAIGN_TOML).unwrap();
    for how in [Sending::Added, Sending::InPlace] {
        assert_eq!(
            through_the_forms(&def, how).to_toml().unwrap(),
            def.to_toml().unwrap()
        );
    }
}
