//! The import's rules in the editor, each shown beside its field with
//! nothing saved; two editors on one draft; new versions on publish.

use super::{CAMPAIGN, Editor, beside, exported, problems};
use crate::helpers::{Db, spawn_app};
use crate::on_both_databases;
use campaign_feedback::domain::campaign::DEFAULT_CAMPAIGN_TOML;

on_both_databases!(
    every_rule_is_shown_beside_its_field_and_nothing_is_saved,
    a_save_based_on_an_older_draft_is_refused_saying_who_changed_what,
    publishing_changed_answered_questions_makes_a_new_version,
);

/// A page, the form's action, the changes made, the field, and the message beside it.
type Case = (
    String,
    String,
    Vec<(&'static str, &'static str)>,
    &'static str,
    &'static str,
);

const USEFULNESS: &str =
    "/admin/campaigns/secure-connected-places/surveys/governance/questions/usefulness";
const QUESTIONS: &str = "/admin/campaigns/secure-connected-places/surveys/governance/questions";

async fn every_rule_is_shown_beside_its_field_and_nothing_is_saved(db: Db) {
    let app = spawn_app(db).await;
    app.respond("governance", ("Port of Tyne", "port"), (4, 4, 9), "")
        .await;
    let ed = Editor::new(&app, "editor@example.gov.uk").await;
    let cases: Vec<Case> = vec![
        (
            USEFULNESS.into(),
            USEFULNESS.into(),
            vec![("kind", "text")],
            "kind",
            "has 1 answer as “Rating from 1 to 5”, so its kind cannot change",
        ),
        (
            format!("{QUESTIONS}?kind=yes_no"),
            QUESTIONS.into(),
            vec![("key", "usefulness"), ("text", "Again?")],
            "key",
            "Another question of this survey has the key “usefulness”",
        ),
        (
            format!("{QUESTIONS}?kind=single"),
            QUESTIONS.into(),
            vec![("key", "sector"), ("text", "Sector?")],
            "option-0-label",
            "Give at least two options",
        ),
        (
            format!("{QUESTIONS}?kind=text"),
            QUESTIONS.into(),
            vec![("key", "notes"), ("text", "Notes"), ("max_chars", "0")],
            "max_chars",
            "Enter a number of characters from 1 to",
        ),
        (
            format!("{CAMPAIGN}/details"),
            format!("{CAMPAIGN}/details"),
            vec![("opens_on", "2027-03-01"), ("closes_on", "2027-02-01")],
            "closes_on",
            "The closing day must be on or after the opening day (2027-03-01)",
        ),
        (
            format!("{CAMPAIGN}/details"),
            format!("{CAMPAIGN}/details"),
            vec![("opens_on", "1 March")],
            "opens_on",
            "is not a date: write it as YYYY-MM-DD",
        ),
        (
            format!("{CAMPAIGN}/workstreams/supplier_policy"),
            format!("{CAMPAIGN}/workstreams/supplier_policy"),
            vec![("leads", "nobody@example.gov.uk")],
            "leads",
            "No officer can sign in as nobody@example.gov.uk",
        ),
        (
            format!("{CAMPAIGN}/workstreams/supplier_policy"),
            format!("{CAMPAIGN}/workstreams/supplier_policy"),
            vec![("key", "suppliers")],
            "key",
            "has been published, so it stays",
        ),
        (
            format!("{CAMPAIGN}/resources"),
            format!("{CAMPAIGN}/resources"),
            vec![("key", "video"), ("title", "Another video")],
            "key",
            "Another resource has the key “video”",
        ),
        (
            format!("{CAMPAIGN}/resources"),
            format!("{CAMPAIGN}/resources"),
            vec![
                ("key", "clip"),
                ("title", "Clip"),
                ("url", "javascript:alert(1)"),
            ],
            "url",
            "The address",
        ),
        (
            format!("{CAMPAIGN}/surveys"),
            format!("{CAMPAIGN}/surveys"),
            vec![("slug", "Bad Slug"), ("title", "")],
            "slug",
            "must be 1 to 64 characters",
        ),
    ];
    for (page, action, changes, field, expected) in cases {
        let response = ed.fill(&page, &action, &changes).await;
        assert_eq!(response.status(), 422, "{action} {changes:?}");
        let html = response.text().await.unwrap();
        let message = beside(&html, field)
            .unwrap_or_else(|| panic!("no message beside {field}: {}", problems(&html)));
        assert!(message.contains(expected), "beside {field}: {message}");
        assert!(
            problems(&html).contains(expected),
            "the summary links to it"
        );
        assert!(html.contains(&format!("<a href=\"#{field}\">")));
    }
    let removed = ed
        .post(
            &format!("{CAMPAIGN}/arrange"),
            &[
                ("list", "surveys"),
                ("key", "governance"),
                ("action", "remove"),
                ("revision", "0"),
                ("csrf_token", &ed.who.csrf),
            ]
            .map(|(k, v)| (k.to_string(), v.to_string())),
        )
        .await;
    assert_eq!(removed.status(), 422);
    assert!(
        problems(&removed.text().await.unwrap()).contains("has 1 response and cannot be removed")
    );
    assert_eq!(
        app.count("campaign_drafts").await,
        0,
        "no refused change opened a draft"
    );
    assert_eq!(
        campaign_feedback::domain::campaign::CampaignDefinition::from_toml(&exported(
            &app,
            "secure-connected-places"
        ))
        .unwrap(),
        campaign_feedback::domain::campaign::CampaignDefinition::from_toml(DEFAULT_CAMPAIGN_TOML)
            .unwrap()
    );
}

async fn a_save_based_on_an_older_draft_is_refused_saying_who_changed_what(db: Db) {
    let app = spawn_app(db).await;
    let first = Editor::new(&app, "first@example.gov.uk").await;
    let second = Editor::new(&app, "second@example.gov.uk").await;
    let details = format!("{CAMPAIGN}/details");
    let seen_by_second = crate::forms::fields(&second.page(&details).await, &details);
    first
        .save(&details, &details, &[("title", "Secure places")])
        .await;

    let late = crate::forms::with(
        seen_by_second,
        &[("description", "Written by the second editor.")],
    );
    let refused = second.post(&details, &late).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    let message = problems(&html);
    assert!(
        message.contains("Your change was not saved: first@example.gov.uk changed the draft at"),
        "{message}"
    );
    assert!(
        message.contains("(changed the campaign’s details)"),
        "{message}"
    );
    let draft = first.page(&format!("{CAMPAIGN}/draft.toml")).await;
    assert!(
        draft.contains("title = \"Secure places\"")
            && !draft.contains("Written by the second editor")
    );

    // The form shown again carries the newer revision: sending it saves over theirs knowingly.
    let again = crate::forms::fields(&html, &details);
    assert!(again.contains(&("revision".to_string(), "1".to_string())));
    let saved = second.post(&details, &again).await;
    assert_eq!(saved.status(), 303);
    let draft = first.page(&format!("{CAMPAIGN}/draft.toml")).await;
    assert!(draft.contains("Written by the second editor"));
}

async fn publishing_changed_answered_questions_makes_a_new_version(db: Db) {
    let app = spawn_app(db).await;
    let reference = app
        .respond("governance", ("Port of Tyne", "port"), (4, 4, 9), "")
        .await;
    let ed = Editor::new(&app, "editor@example.gov.uk").await;
    ed.save(
        USEFULNESS,
        USEFULNESS,
        &[("text", "How useful is the Governance guidance?")],
    )
    .await;
    let review = ed.page(&format!("{CAMPAIGN}/publish")).await;
    assert!(
        review.contains("In “Feedback on Governance”: question usefulness is reworded"),
        "{review}"
    );
    assert!(review.contains("“Feedback on Governance” has responses, so its questions become version 2; every response so far keeps version 1"));
    let published = ed
        .fill(
            &format!("{CAMPAIGN}/publish"),
            &format!("{CAMPAIGN}/publish"),
            &[],
        )
        .await;
    assert_eq!(published.status(), 303);
    assert!(
        app.get_html("/surveys/governance")
            .await
            .contains("How useful is the Governance guidance?")
    );
    let kept = app
        .scalar(&format!("SELECT v.version AS n FROM responses r JOIN survey_versions v ON v.id = r.survey_version_id WHERE r.reference = '{reference}'"))
        .await;
    assert_eq!(
        kept, 1,
        "the earlier response keeps the version it answered"
    );
    let versions = app
        .scalar("SELECT COUNT(*) AS n FROM survey_versions v JOIN surveys s ON s.id = v.survey_id WHERE s.slug = 'governance'")
        .await;
    assert_eq!(versions, 2);
}
