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

fn details_pairs(f: &DetailsForm) -> Vec<(String, String)> {
    vec![
        ("slug".into(), f.slug.clone()),
        ("title".into(), f.title.clone()),
        ("description".into(), f.description.clone()),
        ("opens_on".into(), f.opens_on.clone()),
        ("closes_on".into(), f.closes_on.clone()),
    ]
}

fn question_pairs(f: &QuestionForm) -> Vec<(String, String)> {
    let mut pairs = vec![
        ("key".into(), f.key.clone()),
        ("kind".into(), f.kind.as_str().to_string()),
        ("text".into(), f.text.clone()),
        ("hint".into(), f.hint.clone()),
        ("low_label".into(), f.low_label.clone()),
        ("high_label".into(), f.high_label.clone()),
        ("max_chars".into(), f.max_chars.clone()),
        ("error".into(), f.error.clone()),
    ];
    if f.required {
        pairs.push(("required".into(), "yes".into()));
    }
    // The rows shown, then blank rows for more options.
    for (i, row) in f
        .options
        .iter()
        .chain(std::iter::repeat_n(&OptionRow::default(), 3))
        .enumerate()
    {
        pairs.push((format!("option-{i}-value"), row.value.clone()));
        pairs.push((format!("option-{i}-label"), row.label.clone()));
        pairs.push((format!("option-{i}-hint"), row.hint.clone()));
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
    DetailsForm::read(&sent(details_pairs(&DetailsForm::of(def))))
        .apply(&mut out, !in_place)
        .unwrap();
    for w in &def.workstreams {
        let f = WorkstreamForm::of(w);
        WorkstreamForm::read(&sent(vec![("key".into(), f.key), ("name".into(), f.name)]))
            .apply(&mut out, editing(&w.key).as_deref())
            .unwrap();
    }
    for r in &def.resources {
        let f = ResourceForm::of(r);
        let owners: Vec<String> = match how {
            Sending::Added => f.workstreams,
            Sending::InPlace => def
                .workstreams
                .iter()
                .filter(|w| r.workstreams.contains(&w.key))
                .map(|w| w.key.clone())
                .collect(),
        };
        let mut pairs = vec![
            ("key".into(), f.key),
            ("title".into(), f.title),
            ("description".into(), f.description),
            ("url".into(), f.url),
        ];
        pairs.extend(owners.into_iter().map(|w| ("workstreams".to_string(), w)));
        ResourceForm::read(&sent(pairs))
            .apply(&mut out, editing(&r.key).as_deref())
            .unwrap();
    }
    for s in &def.surveys {
        let f = SurveyForm::of(s);
        let mut pairs = vec![
            ("slug".into(), f.slug),
            ("title".into(), f.title),
            ("resource".into(), f.resource),
            ("intro".into(), f.intro),
        ];
        if f.closed {
            pairs.push(("closed".into(), "yes".into()));
        }
        SurveyForm::read(&sent(pairs))
            .apply(&mut out, editing(&s.slug).as_deref())
            .unwrap();
        for q in &s.questions {
            QuestionForm::read(&sent(question_pairs(&QuestionForm::of(q))))
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
    )
        .prop_map(
            |(key, kind, text, hint, required, options, (low, high), limit, error)| {
                let scale = kind.scale().is_some();
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
                    .map(|(key, name)| WorkstreamDefinition { key, name })
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
                            intro,
                            closed,
                            questions,
                        }
                    })
                    .collect();
                CampaignDefinition {
                    slug,
                    title,
                    description,
                    opens_on: dates.map(|(from, _)| day(from)),
                    closes_on: dates.map(|(from, length)| day(from + length)),
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
