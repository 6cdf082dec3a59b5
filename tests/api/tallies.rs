//! The results of a whole survey, or of one version, come from running
//! tallies kept as responses are stored, completed and deleted (issue 15:
//! the page no longer reads every answer). They must add up exactly as a
//! recount of the answers does, and a database from before them gets them
//! built from what it holds.

use crate::helpers::{Db, TestApp, location, spawn_app_with};
use crate::on_both_databases;
use campaign_feedback::domain::filter::ResponseFilter;
use campaign_feedback::domain::officer::Role;
use campaign_feedback::store::stats::{SurveyCounts, survey_counts};
use chrono::NaiveDate;
use migration::{Migrator, MigratorTrait};

on_both_databases!(
    a_whole_surveys_results_add_up_as_a_recount_after_submissions_follow_ups_and_deletions,
    tallies_are_built_from_the_answers_stored_before_them,
);

const SITE: &str = "https://www.example.gov.uk";
const PASSWORD: &str = "lantern meadow copper";

/// The counts of `slug` (or one version) as the results page reads them,
/// after checking they equal a recount of the answers: the same filter with
/// a window from long ago selects the same responses but scans them.
async fn tallied(app: &TestApp, slug: &str, version: Option<i32>) -> SurveyCounts {
    let whole = ResponseFilter {
        survey: Some(slug.into()),
        version,
        ..ResponseFilter::default()
    };
    let scanned = ResponseFilter {
        since: NaiveDate::from_ymd_opt(2000, 1, 1),
        ..whole.clone()
    };
    assert_eq!(scanned.whole_survey(), None, "the recount scans");
    let tz = app.state.config.timezone;
    let db = &app.state.db;
    let tallied = survey_counts(db, &whole, &tz, None).await.unwrap();
    let recount = survey_counts(db, &scanned, &tz, None).await.unwrap();
    assert_eq!(tallied.responses, recount.responses, "{slug} {version:?}");
    assert_eq!(tallied.answered, recount.answered, "{slug} {version:?}");
    assert_eq!(tallied.values, recount.values, "{slug} {version:?}");
    tallied
}

fn count(counts: &SurveyCounts, key: &str, value: &str) -> i64 {
    counts
        .values
        .get(key)
        .and_then(|v| v.get(value))
        .copied()
        .unwrap_or(0)
}

/// Answers the playbook survey, whose resources question is a multiple choice.
async fn playbook(app: &TestApp, chosen: &[&str], usefulness: &str) {
    let token = app.form_token("playbook").await;
    let mut answers = vec![
        ("form_token", token.as_str()),
        ("organisation", "council"),
        ("organisation-council", "BRD"),
        ("overall_usefulness", usefulness),
    ];
    answers.extend(chosen.iter().map(|c| ("resources_used", *c)));
    let response = app.post_form("/surveys/playbook", &answers).await;
    assert_eq!(response.status(), 303, "the playbook response is accepted");
}

/// A "No" in the embedded form, then what was missing, as the follow-up.
async fn embedded_no_then_missing(app: &TestApp, missing: &str) {
    let no = app
        .client
        .post(app.url("/e/governance-page"))
        .header("origin", SITE)
        .form(&[("useful", "no")])
        .send()
        .await
        .unwrap();
    let more = location(&no);
    let token = more.split("t=").nth(1).unwrap().to_string();
    let sent = app
        .post_form(
            "/e/governance-page/more",
            &[("t", &token), ("missing", missing)],
        )
        .await;
    assert_eq!(sent.status(), 303);
}

async fn a_whole_surveys_results_add_up_as_a_recount_after_submissions_follow_ups_and_deletions(
    db: Db,
) {
    // Pages read afresh: the response after `campaign import` answers version 2.
    let fresh = [("EMBED_ORIGINS", SITE), ("SURVEY_PAGE_CACHE_SECONDS", "0")];
    let app = spawn_app_with(db, &fresh).await;
    let council = ("council", "BRD");
    app.respond("governance", council, (5, 4, 8), "Needs a CCTV example")
        .await;
    let spam = app.respond("governance", council, (3, 2, 6), "").await;
    app.respond("governance", ("Port of Dover", "port"), (4, 4, 10), "IoT")
        .await;
    playbook(&app, &["governance", "procurement"], "4").await;
    playbook(&app, &["video"], "2").await;
    embedded_no_then_missing(&app, "A CCTV checklist").await;
    app.reword_governance_missing("What would you add or change?");
    app.respond("governance", council, (2, 2, 3), "More on sensors")
        .await;

    app.add_officer("admin2@example.gov.uk", Role::Admin, PASSWORD)
        .await;
    let admin = app.sign_in("admin2@example.gov.uk", PASSWORD).await;
    let deleted = app
        .post_as(
            &admin.cookie,
            &format!("/admin/responses/{spam}/delete"),
            &[("csrf_token", &admin.csrf)],
        )
        .await;
    assert_eq!(deleted.status(), 303, "the response is deleted");

    // Four governance responses, one deleted: three, two of version 1.
    let governance = tallied(&app, "governance", None).await;
    assert_eq!(governance.responses, 3);
    assert_eq!(
        count(&governance, "usefulness", "3"),
        0,
        "the deleted score"
    );
    assert_eq!(count(&governance, "usefulness", "5"), 1);
    assert_eq!(governance.answered.get("missing"), Some(&3));
    assert_eq!(tallied(&app, "governance", Some(1)).await.responses, 2);
    let second = tallied(&app, "governance", Some(2)).await;
    assert_eq!(count(&second, "recommend", "3"), 1);
    // Each option of a multiple choice is counted once per response choosing it.
    let chosen = tallied(&app, "playbook", None).await;
    assert_eq!(chosen.answered.get("resources_used"), Some(&2));
    assert_eq!(count(&chosen, "resources_used", "governance"), 1);
    assert_eq!(count(&chosen, "resources_used", "video"), 1);
    // The follow-up counts as an answer to the response it completes.
    let embedded = tallied(&app, "governance-page", None).await;
    assert_eq!(embedded.responses, 1);
    assert_eq!(embedded.answered.get("missing"), Some(&1));

    // And the page says so.
    let page = app
        .get_as(&admin.cookie, "/admin/surveys/governance")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("<strong>3</strong> responses match."),
        "{page}"
    );
}

async fn tallies_are_built_from_the_answers_stored_before_them(db: Db) {
    let app = spawn_app_with(db, &[]).await;
    let council = ("council", "BRD");
    app.respond("governance", council, (5, 4, 8), "Needs a CCTV example")
        .await;
    app.respond("governance", council, (4, 4, 9), "").await;
    playbook(&app, &["governance", "video"], "5").await;
    // The database as it was before the tallies, then migrated again.
    Migrator::down(&app.state.db, Some(1)).await.unwrap();
    Migrator::up(&app.state.db, None).await.unwrap();
    let governance = tallied(&app, "governance", None).await;
    assert_eq!(governance.responses, 2);
    assert_eq!(count(&governance, "usefulness", "4"), 1);
    assert_eq!(governance.answered.get("missing"), Some(&1));
    let chosen = tallied(&app, "playbook", None).await;
    assert_eq!(count(&chosen, "resources_used", "video"), 1);
}
