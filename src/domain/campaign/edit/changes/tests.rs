use super::*;
use crate::domain::campaign::DEFAULT_CAMPAIGN_TOML;

fn playbook() -> CampaignDefinition {
    CampaignDefinition::from_toml(DEFAULT_CAMPAIGN_TOML).unwrap()
}

fn leads(pairs: &[(&str, &[&str])]) -> LeadLists {
    pairs
        .iter()
        .map(|(k, emails)| {
            (
                k.to_string(),
                emails.iter().map(|e| e.to_string()).collect(),
            )
        })
        .collect()
}

#[test]
fn nothing_changed_says_nothing() {
    let def = playbook();
    let none = LeadLists::new();
    assert!(changes(Some((&def, &none)), (&def, &none)).is_empty());
}

#[test]
fn a_new_campaign_is_counted() {
    let def = playbook();
    let lines = changes(
        None,
        (&def, &leads(&[("supplier_policy", &["a@council.gov.uk"])])),
    );
    assert!(lines[0].contains("is new: 3 workstreams"), "{lines:?}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("a@council.gov.uk will get the weekly digest")),
        "{lines:?}"
    );
}

#[test]
fn each_kind_of_change_is_named() {
    let old = playbook();
    let mut new = old.clone();
    new.title = "Secure places".into();
    new.closes_on = Some("2027-03-31".parse().unwrap());
    new.workstreams.swap(0, 1);
    new.resources.remove(0);
    new.resources[0].url = Some("https://example.gov.uk/x".into());
    let survey = &mut new.surveys[1];
    survey.questions[0].text = "How useful was it overall?".into();
    survey.questions[1].required = !survey.questions[1].required;
    let removed = survey.questions.pop().unwrap();
    let survey_title = survey.title.clone();
    let lines = changes(
        Some((
            &old,
            &leads(&[("supplier_policy", &["gone@council.gov.uk"])]),
        )),
        (&new, &LeadLists::new()),
    );
    let has = |needle: &str| {
        assert!(
            lines.iter().any(|l| l.contains(needle)),
            "no line has {needle:?}: {lines:#?}"
        );
    };
    has("The campaign’s title changes from “Secure Connected Places Playbook");
    has("The closing day changes from");
    has("Workstreams are put in a new order.");
    has(&format!("Resource “{}”", old.resources[0].title));
    has("is removed.");
    has("the link changes.");
    has(&format!("In “{survey_title}”: question "));
    has("is reworded from");
    has("it becomes");
    has(&format!("({}) is removed.", removed.key));
    has("gone@council.gov.uk will no longer get the digest");
}
