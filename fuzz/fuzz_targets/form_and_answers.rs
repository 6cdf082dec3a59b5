//! Arbitrary bytes → `FormData::parse` → `parse_submission` against every
//! survey of the default campaign. The first byte's low bit says whether
//! the register has councils; the rest is the form body.

#![no_main]

use campaign_feedback::domain::answer::{
    AnswerValue, OrganisationAnswer, SECTORS, parse_submission,
};
use campaign_feedback::domain::campaign::{CampaignDefinition, DEFAULT_CAMPAIGN_TOML};
use campaign_feedback::domain::form::{FormData, MAX_FIELDS};
use campaign_feedback::domain::question::{
    EMAIL_MAX_CHARS, ORGANISATION_NAME_MAX_CHARS, QuestionKind,
};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn campaign() -> &'static CampaignDefinition {
    static CAMPAIGN: OnceLock<CampaignDefinition> = OnceLock::new();
    CAMPAIGN.get_or_init(|| {
        CampaignDefinition::from_toml(DEFAULT_CAMPAIGN_TOML).expect("default campaign parses")
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&flag, body)) = data.split_first() else {
        return;
    };
    let councils_available = flag & 1 == 1;
    let Ok(form) = FormData::parse(body) else {
        return;
    };
    assert!(form.pairs().len() <= MAX_FIELDS);
    for survey in &campaign().surveys {
        let questions = &survey.questions;
        match parse_submission(questions, &form, councils_available) {
            Ok(submission) => {
                let mut previous = None;
                for answer in &submission.answers {
                    let (index, question) = questions
                        .iter()
                        .enumerate()
                        .find(|(_, q)| q.key == answer.key)
                        .unwrap_or_else(|| panic!("answer to unknown question {:?}", answer.key));
                    assert!(
                        previous < Some(index),
                        "answers out of question order or repeated: {:?}",
                        answer.key
                    );
                    previous = Some(index);
                    assert_eq!(answer.kind, question.kind);
                    let kind = question.kind;
                    let choices: Vec<String> =
                        question.choices().into_iter().map(|c| c.value).collect();
                    match &answer.value {
                        AnswerValue::Number(n) => {
                            let (low, high) = kind
                                .scale()
                                .unwrap_or_else(|| panic!("number for a {kind:?} question"));
                            assert!((low..=high).contains(n), "{n} outside {low}..={high}");
                        }
                        AnswerValue::Text(text) => {
                            assert!(!text.is_empty(), "empty text answer to {:?}", answer.key);
                            if let Some(max) = kind.max_chars() {
                                assert!(
                                    text.chars().count() <= max,
                                    "{} chars > {max} for {:?}",
                                    text.chars().count(),
                                    answer.key
                                );
                            } else {
                                assert!(
                                    matches!(kind, QuestionKind::Single | QuestionKind::YesNo),
                                    "text for a {kind:?} question"
                                );
                                assert!(choices.contains(text), "{text:?} not among {choices:?}");
                            }
                        }
                        AnswerValue::List(values) => {
                            assert_eq!(kind, QuestionKind::Multi, "list for a {kind:?} question");
                            assert!(!values.is_empty(), "empty list for {:?}", answer.key);
                            for v in values {
                                assert!(choices.contains(v), "{v:?} not among {choices:?}");
                            }
                            let mut unique = values.clone();
                            unique.sort();
                            unique.dedup();
                            assert_eq!(unique.len(), values.len(), "repeated choice");
                        }
                    }
                }
                // Every required question of a scale, choice or text kind is answered.
                for q in questions.iter().filter(|q| {
                    q.required
                        && !matches!(q.kind, QuestionKind::Organisation | QuestionKind::Email)
                }) {
                    assert!(
                        submission.answers.iter().any(|a| a.key == q.key),
                        "required {:?} missing from an Ok submission",
                        q.key
                    );
                }
                let asks_organisation = questions
                    .iter()
                    .any(|q| q.kind == QuestionKind::Organisation);
                match &submission.organisation {
                    None => {}
                    Some(_) if !asks_organisation => {
                        panic!("organisation for a survey without one")
                    }
                    Some(OrganisationAnswer::Council(code)) => {
                        assert!(councils_available, "council chosen with no register");
                        assert!(!code.is_empty());
                    }
                    Some(OrganisationAnswer::Other { name, sector }) => {
                        assert!(!name.is_empty());
                        assert!(name.chars().count() <= ORGANISATION_NAME_MAX_CHARS);
                        assert!(
                            SECTORS.iter().any(|(v, _)| v == sector),
                            "sector {sector:?}"
                        );
                    }
                }
                if let Some(email) = &submission.contact_email {
                    assert!(questions.iter().any(|q| q.kind == QuestionKind::Email));
                    assert!(!email.is_empty() && email.chars().count() <= EMAIL_MAX_CHARS);
                    assert!(email.contains('@'));
                }
            }
            Err(errors) => {
                assert!(!errors.is_empty(), "Err with no field errors");
                for e in &errors {
                    assert!(!e.field.is_empty(), "error with an empty field id: {e:?}");
                    assert!(!e.message.is_empty(), "error with no message: {e:?}");
                    assert!(
                        questions.iter().any(|q| q.key == e.question),
                        "error for unknown question: {e:?}"
                    );
                }
            }
        }
    }
});
