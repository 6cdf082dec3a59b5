//! What analysts need to find their way: the list of responses with its
//! filters and pages, coverage by resource linked to the responses behind
//! each count, the comments' survey and question menus, results in the
//! wording of the version asked for, scales with their end labels, and a
//! reference lookup that says what was wrong.

use crate::helpers::{Db, TestApp, spawn_app};
use crate::on_both_databases;
use campaign_feedback::domain::officer::Role;

on_both_databases!(
    responses_are_listed_newest_first_in_pages_under_the_filters,
    coverage_breaks_down_by_resource_and_links_to_the_responses_behind_each_count,
    comments_have_survey_and_question_menus,
    results_of_a_version_use_its_wording_and_scales_keep_their_end_labels,
    a_mistyped_reference_is_told_what_is_wrong,
);

const PASSWORD: &str = "lantern meadow copper";

async fn signed_in(app: &TestApp) -> String {
    app.add_officer("analyst@example.gov.uk", Role::Analyst, PASSWORD)
        .await;
    app.sign_in("analyst@example.gov.uk", PASSWORD).await.cookie
}

async fn page(app: &TestApp, cookie: &str, path: &str) -> String {
    let response = app.get_as(cookie, path).await;
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.unwrap()
}

/// The references listed on a page of `/admin/responses`, in order.
fn listed(html: &str) -> Vec<String> {
    html.split("<td><a class=\"link\" href=\"/admin/responses/")
        .skip(1)
        .map(|rest| rest[..8].to_string())
        .collect()
}

async fn responses_are_listed_newest_first_in_pages_under_the_filters(db: Db) {
    let app = spawn_app(db).await;
    let mut references = Vec::new();
    for _ in 0..26 {
        references.push(
            app.respond("governance", ("council", "BRD"), (4, 4, 8), "")
                .await,
        );
    }
    let procurement = app
        .respond("procurement", ("Port of Tyne", "port"), (3, 3, 5), "")
        .await;
    let cookie = signed_in(&app).await;

    let first = page(&app, &cookie, "/admin/responses").await;
    assert!(first.contains("27 responses"), "the total");
    assert!(first.contains("Page 1 of 2"));
    let shown = listed(&first);
    assert_eq!(shown.len(), 25);
    assert_eq!(shown[0], procurement, "newest first");
    assert!(first.contains("href=\"/admin/responses?page=2&amp;\">Next page</a>"));
    let second = listed(&page(&app, &cookie, "/admin/responses?page=2").await);
    assert_eq!(second.len(), 2);
    assert_eq!(second.last(), references.first(), "the oldest last");

    let filtered = page(&app, &cookie, "/admin/responses?survey=procurement").await;
    assert_eq!(listed(&filtered), std::slice::from_ref(&procurement));
    assert!(
        filtered.contains("<td>Feedback on Procurement</td><td class=\"break\">Port of Tyne</td>")
    );
    let council = page(&app, &cookie, "/admin/responses?organisation=brd").await;
    assert!(council.contains("26 responses from the council BRD"));
}

async fn coverage_breaks_down_by_resource_and_links_to_the_responses_behind_each_count(db: Db) {
    let app = spawn_app(db).await;
    app.respond("governance", ("council", "BRD"), (4, 4, 8), "")
        .await;
    app.respond("governance", ("council", "BRD"), (4, 4, 8), "")
        .await;
    let mty = app
        .respond("procurement", ("council", "MTY"), (4, 4, 8), "")
        .await;
    let cookie = signed_in(&app).await;

    let all = page(&app, &cookie, "/admin/coverage?status=responded").await;
    assert!(all.contains("<strong>2 of"));
    assert!(all.contains(
        "<a class=\"link\" href=\"/admin/responses?organisation=BRD\">2<span class=\"visually-hidden\"> responses from City of Bradford Metropolitan District Council</span></a>"
    ));
    let procurement = page(
        &app,
        &cookie,
        "/admin/coverage?status=responded&resource=procurement",
    )
    .await;
    assert!(
        procurement.contains("<strong>1 of"),
        "one council answered about Procurement"
    );
    assert!(procurement.contains("have responded about Procurement."));
    assert!(
        procurement
            .contains("href=\"/admin/responses?organisation=MTY&amp;resource=procurement\">1<")
    );
    assert!(!procurement.contains("organisation=BRD"));
    let behind = page(
        &app,
        &cookie,
        "/admin/responses?organisation=MTY&resource=procurement",
    )
    .await;
    assert_eq!(listed(&behind), [mty]);
}

async fn comments_have_survey_and_question_menus(db: Db) {
    let app = spawn_app(db).await;
    app.respond(
        "governance",
        ("council", "BRD"),
        (4, 4, 8),
        "Needs a CCTV example",
    )
    .await;
    app.respond(
        "procurement",
        ("council", "MTY"),
        (4, 4, 8),
        "Supplier clauses",
    )
    .await;
    let cookie = signed_in(&app).await;
    let comments = page(&app, &cookie, "/admin/comments").await;
    assert!(comments.contains("<select class=\"select\" id=\"filter-survey\" name=\"survey\">"));
    assert!(comments.contains("<option value=\"procurement\">Feedback on Procurement</option>"));
    assert!(
        comments.contains("<select class=\"select\" id=\"filter-question\" name=\"question\">")
    );
    assert!(
        comments
            .contains("<option value=\"missing\">What is missing, or what should change?</option>")
    );
    let one = page(
        &app,
        &cookie,
        "/admin/comments?survey=procurement&question=missing",
    )
    .await;
    assert!(one.contains("Supplier clauses") && !one.contains("Needs a CCTV example"));
    assert!(one.contains("<option value=\"procurement\" selected>"));
    assert!(one.contains("<option value=\"missing\" selected>"));
}

async fn results_of_a_version_use_its_wording_and_scales_keep_their_end_labels(db: Db) {
    let app = spawn_app(db).await;
    app.respond("governance", ("council", "BRD"), (5, 4, 8), "")
        .await;
    // Version 2 rewords a question.
    app.reword_governance_missing("What would you add or change?");
    let cookie = signed_in(&app).await;

    let current = page(&app, &cookie, "/admin/surveys/governance").await;
    assert!(current.contains("What would you add or change?"));
    let first = page(&app, &cookie, "/admin/surveys/governance?version=1").await;
    assert!(
        first.contains("What is missing, or what should change?"),
        "version 1's wording"
    );
    assert!(!first.contains("What would you add or change?"));
    // The scale's ends keep their labels, in the table and the chart.
    assert!(first.contains("5 – Very useful"));
    assert!(first.contains("1 – Not at all useful"));
}

async fn a_mistyped_reference_is_told_what_is_wrong(db: Db) {
    let app = spawn_app(db).await;
    let cookie = signed_in(&app).await;
    let wrong = page(&app, &cookie, "/admin/responses?ref=NOPE1234").await;
    assert!(
        wrong.contains(
            "<a href=\"#ref\">“NOPE1234” has the characters O, 1, which no reference has"
        )
    );
    let short = page(&app, &cookie, "/admin/responses?ref=K7QMX3T").await;
    assert!(short.contains("“K7QMX3T” has 7 characters; a reference has 8, like K7QMX3TA"));
    let unknown = page(&app, &cookie, "/admin/responses?ref=K7QMX3TA").await;
    assert!(unknown.contains("No response has the reference K7QMX3TA"));
}
