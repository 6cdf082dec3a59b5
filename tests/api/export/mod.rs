//! `export responses`: the CSV an analyst opens, seeded through the real
//! survey form and read back as a user would. `rows`: what the file holds;
//! `options`: filters, the byte-order mark, contact emails, the audit log.

mod formats;
mod options;
mod rows;

use crate::helpers::{TestApp, location, valid_answers};
use campaign_feedback::domain::campaign::{CampaignDefinition, DEFAULT_CAMPAIGN_TOML};

pub(super) const FIXED: &str = "reference,submitted_at,campaign,resource,survey,survey_version,language,\
    organisation_code,organisation_gss_code,organisation_name,organisation_type,nation,region,\
    other_organisation_sector";
pub(super) const RESOURCE_KEYS: &str =
    "role,usefulness,ease,ncsc_principles,recommend,missing,standards";
pub(super) const PLAYBOOK_KEYS: &str = "resources_used,overall_usefulness,surprises,gaps";

/// Runs `export responses ARGS`, expects success, returns the bytes.
pub(super) fn export(app: &TestApp, args: &[&str]) -> Vec<u8> {
    let mut all = vec!["export", "responses"];
    all.extend_from_slice(args);
    let output = app.cli(&all);
    assert!(
        output.status.success(),
        "export {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// The data rows of a CSV, parsed as a spreadsheet would (header skipped).
pub(super) fn rows(csv: &[u8]) -> Vec<Vec<String>> {
    csv::Reader::from_reader(csv)
        .records()
        .map(|r| r.expect("valid CSV").iter().map(String::from).collect())
        .collect()
}

pub(super) fn header(csv: &[u8]) -> String {
    let text = String::from_utf8_lossy(csv);
    text.split("\r\n").next().unwrap_or_default().to_string()
}

/// Submits a survey through its form, with `changes` replacing or adding
/// fields of a valid answer (any `organisation…` field replaces all three);
/// returns the reference.
pub(super) async fn submit(app: &TestApp, slug: &str, changes: &[(&str, &str)]) -> String {
    let token = app.form_token(slug).await;
    let mut answers: Vec<(&str, &str)> = valid_answers(&token);
    if slug == "playbook" {
        answers.truncate(4); // token and organisation only
    }
    for (key, _) in changes {
        if key.starts_with("organisation") {
            answers.retain(|(k, _)| !k.starts_with("organisation"));
        } else {
            answers.retain(|(k, _)| k != key);
        }
    }
    answers.extend_from_slice(changes);
    let response = app.post_form(&format!("/surveys/{slug}"), &answers).await;
    assert_eq!(response.status(), 303, "{slug} {changes:?}");
    let to = location(&response);
    to.rsplit('=').next().expect("a reference").to_string()
}

/// A council as the organisation.
pub(super) fn council(code: &str) -> [(&'static str, &str); 2] {
    [("organisation", "council"), ("organisation-council", code)]
}

/// Imports the default campaign with a question added to the governance survey.
pub(super) fn add_budget_question(app: &TestApp) {
    let mut def = CampaignDefinition::from_toml(DEFAULT_CAMPAIGN_TOML).unwrap();
    let survey = def
        .surveys
        .iter_mut()
        .find(|s| s.slug == "governance")
        .unwrap();
    let mut budget = survey
        .questions
        .iter()
        .find(|q| q.key == "standards")
        .unwrap()
        .clone();
    budget.key = "budget".into();
    budget.text = "What budget do you have for connected places security?".into();
    survey.questions.push(budget);
    let path = app.dir.path().join("v2.toml");
    std::fs::write(&path, def.to_toml().unwrap()).unwrap();
    let output = app.cli(&["campaign", "import", path.to_str().unwrap()]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
