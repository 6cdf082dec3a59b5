//! What a respondent sees before answering.

use crate::helpers::{Db, spawn_app};
use crate::on_both_databases;

on_both_databases!(
    the_landing_page_lists_every_resource_with_its_survey,
    a_survey_is_one_accessible_form_with_a_fieldset_for_each_group_of_options,
    an_unknown_survey_gets_a_plain_not_found_page,
);

async fn the_landing_page_lists_every_resource_with_its_survey(db: Db) {
    let app = spawn_app(db).await;
    let html = app.get_html("/").await;
    assert!(html.contains("<h1 class=\"heading-xl\">Secure Connected Places Playbook</h1>"));
    for (title, slug) in [
        ("Governance", "governance"),
        ("Procurement", "procurement"),
        ("Threat analysis", "threat-analysis"),
        (
            "Introduction to connected places and the NCSC Connected Places Cyber Security Principles",
            "introduction",
        ),
        ("Case studies", "case-studies"),
        ("Video", "video"),
    ] {
        assert!(
            html.contains(&format!("<h3 class=\"heading-m\">{title}</h3>")),
            "{title} is listed"
        );
        assert!(
            html.contains(&format!(
                "href=\"/surveys/{slug}\">Give feedback on {title}</a>"
            )),
            "{title} links to its survey"
        );
    }
    assert!(html.contains("Secure Connected Places Playbook as a whole"));
    assert!(html.contains("href=\"/surveys/playbook\""));
}

async fn a_survey_is_one_accessible_form_with_a_fieldset_for_each_group_of_options(db: Db) {
    let app = spawn_app(db).await;
    let response = app.get("/surveys/governance").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "private, no-cache");
    let html = response.text().await.unwrap();
    assert!(html.contains("<title>Feedback on Governance – Campaign feedback</title>"));
    assert!(html.contains(
        "<form method=\"post\" action=\"/surveys/governance\" id=\"survey-form\" novalidate>"
    ));
    assert!(!html.contains("<script"), "the page needs no JavaScript");
    // Eight questions group their inputs in a fieldset with a legend; the text questions have labels.
    assert_eq!(html.matches("<fieldset class=\"fieldset\"").count(), 7);
    assert!(html.contains(
        "<legend class=\"fieldset__legend\">How useful was the Governance resource?</legend>"
    ));
    for n in 1..=5 {
        assert!(html.contains(&format!(
            "id=\"usefulness-{n}\" name=\"usefulness\" type=\"radio\" value=\"{n}\""
        )));
    }
    assert!(html.contains(
        "<label class=\"radios__label\" for=\"usefulness-1\">1 – Not at all useful</label>"
    ));
    assert!(html.contains("<label class=\"label\" for=\"missing\">What is missing, or what should change? (optional)</label>"));
    assert!(html.contains("You can enter up to 5,000 characters."));
    assert!(
        html.contains("<label for=\"website\">Leave this empty</label>"),
        "the honeypot is labelled for screen readers"
    );
    // The shipped register is loaded: a council from the list, or another organisation.
    assert!(html.contains(
        "id=\"organisation-kind-council\" name=\"organisation\" type=\"radio\" value=\"council\""
    ));
    assert!(html.contains(
        "<option value=\"BRD\">Bradford (City of Bradford Metropolitan District Council)</option>"
    ));
    assert!(html.contains(
        "id=\"organisation-kind-other\" name=\"organisation\" type=\"radio\" value=\"other\""
    ));
    assert!(html.contains("<option value=\"venue\">Cultural or sporting venue</option>"));
    let css = app.get("/assets/app.css").await;
    assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
}

async fn an_unknown_survey_gets_a_plain_not_found_page(db: Db) {
    let app = spawn_app(db).await;
    let response = app.get("/surveys/no-such-survey").await;
    assert_eq!(response.status(), 404);
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    let html = response.text().await.unwrap();
    assert!(html.contains("<h1 class=\"heading-l\">Page not found</h1>"));
}
