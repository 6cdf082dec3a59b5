use super::*;
use crate::domain::campaign::{CampaignDefinition, DEFAULT_CAMPAIGN_TOML};
use proptest::prelude::*;

/// The English catalogue, where every message of the rules is worded.
const CATALOGUE: &str = include_str!("../../../locales/en/main.ftl");

fn governance() -> Vec<Question> {
    let campaign = CampaignDefinition::from_toml(DEFAULT_CAMPAIGN_TOML).unwrap();
    campaign
        .surveys
        .into_iter()
        .find(|s| s.slug == "governance")
        .unwrap()
        .questions
}

fn valid() -> Vec<(&'static str, String)> {
    vec![
        ("organisation", "council".into()),
        ("organisation-council", "BRD".into()),
        ("role", "cyber_security".into()),
        ("usefulness", "4".into()),
        ("ease", "3".into()),
        ("ncsc_principles", "partly".into()),
        ("recommend", "9".into()),
        ("missing", "More on CCTV.\r\nAnd sensors.".into()),
    ]
}

fn with(mut pairs: Vec<(&'static str, String)>, name: &'static str, value: &str) -> FormData {
    pairs.retain(|(n, _)| *n != name);
    pairs.push((name, value.to_string()));
    FormData::from_pairs(pairs)
}

fn errors(form: FormData) -> Vec<FieldError> {
    parse_submission(&governance(), &form, true).unwrap_err()
}

#[test]
fn a_complete_form_gives_typed_answers() {
    let submission = parse_submission(&governance(), &FormData::from_pairs(valid()), true).unwrap();
    assert_eq!(
        submission.organisation,
        Some(OrganisationAnswer::Council("BRD".into()))
    );
    assert_eq!(
        submission.answers[1],
        Answer {
            key: "usefulness".into(),
            kind: QuestionKind::Rating,
            value: AnswerValue::Number(4)
        }
    );
    let missing = submission
        .answers
        .iter()
        .find(|a| a.key == "missing")
        .unwrap();
    assert_eq!(
        missing.value,
        AnswerValue::Text("More on CCTV.\nAnd sensors.".into())
    );
    assert_eq!(submission.contact_email, None);
}

#[test]
fn an_empty_form_lists_every_required_question_with_its_own_message() {
    let errs = errors(FormData::default());
    let messages: Vec<_> = errs.iter().map(|e| e.msg.clone()).collect();
    let own = |text: &str| Msg::new("custom").text("text", text);
    assert_eq!(
        messages,
        vec![
            own("Select your council, or tell us your organisation’s name and sector"),
            own("Select your role"),
            own("Select how useful the resource was"),
            own("Select how easy the resource was to apply"),
            own("Select whether it helped you apply the NCSC principles"),
            own("Select how likely you are to recommend it"),
        ]
    );
    assert_eq!(errs[2].field, "usefulness-1");
    assert_eq!(errs[5].field, "recommend-0");
}

#[test]
fn long_text_is_limited_to_5000_characters_counting_a_line_break_as_one() {
    let exactly = format!("{}\r\n{}", "a".repeat(2_000), "ŵ".repeat(2_999));
    assert!(parse_submission(&governance(), &with(valid(), "missing", &exactly), true).is_ok());
    let errs = errors(with(valid(), "missing", &"a".repeat(5_001)));
    assert_eq!(
        errs[0].msg,
        Msg::new("error-too-long")
            .text("question", "What is missing, or what should change")
            .text("most", "5,000")
    );
    assert_eq!(errs[0].field, "missing");
}

#[test]
fn a_score_outside_the_scale_is_refused() {
    let score = |question: &str, low, high| {
        Msg::new("error-score")
            .text("question", question)
            .number("low", low)
            .number("high", high)
    };
    assert_eq!(
        errors(with(valid(), "usefulness", "6"))[0].msg,
        score("How useful was the Governance resource", 1, 5)
    );
    assert_eq!(
        errors(with(valid(), "recommend", "-1"))[0].msg,
        score(
            "How likely are you to recommend it to another organisation",
            0,
            10
        )
    );
}

#[test]
fn an_option_not_offered_is_refused() {
    assert_eq!(
        errors(with(valid(), "role", "astronaut"))[0].msg,
        Msg::new("error-one-of-options").text("question", "What is your role")
    );
}

#[test]
fn another_organisation_needs_a_name_and_a_sector() {
    let form = with(valid(), "organisation", "other");
    assert_eq!(errors(form.clone())[0].field, "organisation-name");
    let pairs: Vec<(String, String)> = form.pairs().to_vec();
    let mut named = pairs.clone();
    named.push(("organisation-name".into(), "University of Leeds".into()));
    assert_eq!(
        errors(FormData::from_pairs(named.clone()))[0].field,
        "organisation-sector"
    );
    named.push(("organisation-sector".into(), "university".into()));
    let ok = parse_submission(&governance(), &FormData::from_pairs(named), true).unwrap();
    assert_eq!(
        ok.organisation,
        Some(OrganisationAnswer::Other {
            name: "University of Leeds".into(),
            sector: "university".into()
        })
    );
}

#[test]
fn without_a_register_the_not_a_council_path_still_works() {
    let mut pairs = valid();
    pairs.retain(|(n, _)| !n.starts_with("organisation"));
    pairs.push(("organisation-name", "Port of Dover".into()));
    pairs.push(("organisation-sector", "port".into()));
    let ok = parse_submission(&governance(), &FormData::from_pairs(pairs), false).unwrap();
    assert!(matches!(
        ok.organisation,
        Some(OrganisationAnswer::Other { .. })
    ));
}

#[test]
fn an_email_is_kept_only_with_consent() {
    let form = with(valid(), "contact", "officer@bradford.gov.uk");
    assert_eq!(errors(form.clone())[0].field, "contact-consent");
    let mut pairs = form.pairs().to_vec();
    pairs.push(("contact-consent".into(), "yes".into()));
    let ok = parse_submission(&governance(), &FormData::from_pairs(pairs), true).unwrap();
    assert_eq!(ok.contact_email.as_deref(), Some("officer@bradford.gov.uk"));
    let mut bad = valid();
    bad.push(("contact", "not an email".into()));
    bad.push(("contact-consent", "yes".into()));
    assert_eq!(
        errors(FormData::from_pairs(bad))[0].msg,
        Msg::new("error-email-format")
    );
}

#[test]
fn a_multi_question_keeps_the_options_in_their_order() {
    let campaign = CampaignDefinition::from_toml(DEFAULT_CAMPAIGN_TOML).unwrap();
    let playbook = &campaign
        .surveys
        .iter()
        .find(|s| s.slug == "playbook")
        .unwrap()
        .questions;
    let form = FormData::from_pairs([
        ("organisation-council", "DOR"),
        ("resources_used", "video"),
        ("resources_used", "governance"),
        ("overall_usefulness", "5"),
    ]);
    let ok = parse_submission(playbook, &form, true).unwrap();
    assert_eq!(
        ok.answers[0].value,
        AnswerValue::List(vec!["governance".into(), "video".into()])
    );
    let bad = FormData::from_pairs([("resources_used", "governance"), ("resources_used", "nope")]);
    let errs = parse_submission(playbook, &bad, true).unwrap_err();
    assert!(errs.iter().any(|e| e.msg.id == "error-from-options"));
}

proptest! {
    #[test]
    fn any_form_is_either_accepted_or_refused_with_errors_naming_a_field(
        pairs in proptest::collection::vec(("[a-z_-]{1,25}", "\\PC{0,40}"), 0..30)
    ) {
        let form = FormData::from_pairs(pairs);
        if let Err(errs) = parse_submission(&governance(), &form, true) {
            prop_assert!(!errs.is_empty());
            for e in errs {
                prop_assert!(!e.field.is_empty());
                prop_assert!(CATALOGUE.contains(&format!("\n{} =", e.msg.id)), "{} is not in the catalogue", e.msg.id);
            }
        }
    }

    #[test]
    fn a_text_within_the_limit_is_stored_as_typed(text in "[^\r]{1,500}") {
        let trimmed = text.trim();
        prop_assume!(!trimmed.is_empty());
        let ok = parse_submission(&governance(), &with(valid(), "standards", &text), true).unwrap();
        let stored = ok.answers.iter().find(|a| a.key == "standards").unwrap();
        prop_assert_eq!(&stored.value, &AnswerValue::Text(trimmed.to_string()));
    }
}

#[test]
fn what_is_accepted_does_not_depend_on_the_wording() {
    // The submit handler reads a form against the questions as stored and
    // words them in the page's language only to explain what was wrong, so
    // both readings must accept, and refuse, the same.
    let stored = governance();
    let worded: Vec<Question> = stored
        .iter()
        .map(|q| crate::domain::welsh::question_in(q, crate::domain::lang::Lang::Cy, ("Ie", "Na")))
        .collect();
    assert_ne!(stored, worded, "the Welsh wording differs");
    let read = |questions: &[Question], form: &FormData| parse_submission(questions, form, true);
    let ok = FormData::from_pairs(valid());
    assert_eq!(read(&stored, &ok).unwrap(), read(&worded, &ok).unwrap());
    let fields = |errors: Vec<FieldError>| errors.into_iter().map(|e| e.field).collect::<Vec<_>>();
    for bad in [
        with(valid(), "usefulness", "9"),
        with(valid(), "role", "astronaut"),
        with(valid(), "ncsc_principles", ""),
        FormData::from_pairs(Vec::<(&str, String)>::new()),
    ] {
        let (a, b) = (
            read(&stored, &bad).unwrap_err(),
            read(&worded, &bad).unwrap_err(),
        );
        assert_eq!(fields(a), fields(b));
    }
}
