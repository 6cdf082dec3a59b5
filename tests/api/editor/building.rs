//! An editor builds a campaign from nothing, previews it and publishes it;
//! respondents can then answer it and its lead gets its digest.

use super::{Editor, PASSWORD, problems};
use crate::helpers::{Db, location, spawn_app, token_in};
use crate::on_both_databases;
use campaign_feedback::domain::officer::Role;

on_both_databases!(
    an_editor_builds_a_campaign_from_nothing_previews_and_publishes_it,
    a_publish_the_import_refuses_changes_nothing,
);

const NEW: &str = "/admin/campaigns/cyber-ready";

/// Creates "Cyber ready" with a workstream led by `lead`, a resource, and a
/// survey of a rating, a single choice and a long text.
pub async fn build(ed: &Editor<'_>, lead: &str, survey_slug: &str) {
    let created = ed
        .fill(
            "/admin/campaigns/new",
            "/admin/campaigns/new",
            &[("title", "Cyber ready"), ("slug", "cyber-ready")],
        )
        .await;
    assert_eq!(
        created.status(),
        303,
        "{}",
        problems(&created.text().await.unwrap())
    );
    let page = ed
        .save(
            &format!("{NEW}/workstreams"),
            &format!("{NEW}/workstreams"),
            &[
                ("name", "Supplier policy"),
                ("key", "supplier"),
                ("leads", lead),
            ],
        )
        .await;
    assert!(page.contains(lead), "the campaign's page lists the lead");
    ed.save(
        &format!("{NEW}/resources"),
        &format!("{NEW}/resources"),
        &[
            ("title", "Readiness guide"),
            ("key", "guide"),
            ("url", "https://example.gov.uk/guide"),
            ("workstreams", "supplier"),
        ],
    )
    .await;
    let survey = ed
        .save(
            &format!("{NEW}/surveys"),
            &format!("{NEW}/surveys"),
            &[
                ("title", "Feedback on the guide"),
                ("slug", survey_slug),
                ("resource", "guide"),
            ],
        )
        .await;
    assert!(survey.contains("No question yet"));
    let questions = format!("{NEW}/surveys/{survey_slug}/questions");
    for (kind, changes) in [
        (
            "rating",
            vec![
                ("key", "useful"),
                ("text", "How useful was the guide?"),
                ("required", "yes"),
                ("low_label", "Not useful"),
                ("high_label", "Very useful"),
            ],
        ),
        (
            "single",
            vec![
                ("key", "role"),
                ("text", "What is your role?"),
                ("required", "yes"),
                ("option-0-value", "officer"),
                ("option-0-label", "Council officer"),
                ("option-1-value", "councillor"),
                ("option-1-label", "Councillor"),
            ],
        ),
        (
            "long_text",
            vec![
                ("key", "missing"),
                ("text", "What is missing?"),
                ("max_chars", "500"),
                ("-required", ""),
            ],
        ),
    ] {
        ed.save(&format!("{questions}?kind={kind}"), &questions, &changes)
            .await;
    }
}

async fn an_editor_builds_a_campaign_from_nothing_previews_and_publishes_it(db: Db) {
    let app = spawn_app(db).await;
    app.add_officer("lead@example.gov.uk", Role::Lead, PASSWORD)
        .await;
    let ed = Editor::new(&app, "editor@example.gov.uk").await;
    build(&ed, "lead@example.gov.uk", "guide-feedback").await;
    assert_eq!(
        app.get("/surveys/guide-feedback").await.status(),
        404,
        "a draft is not public"
    );

    // The preview is the respondent's page, errors included; nothing is stored.
    let preview = format!("{NEW}/preview/guide-feedback");
    let sent_to = format!("{preview}?lang=en");
    let page = ed.page(&preview).await;
    assert!(page.contains("Preview of the draft") && page.contains("How useful was the guide?"));
    assert!(page.contains("Not useful") && page.contains("Council officer"));
    let missing = ed.fill(&preview, &sent_to, &[("useful", "4")]).await;
    assert_eq!(missing.status(), 422);
    assert!(problems(&missing.text().await.unwrap()).contains("What is your role"));
    let accepted = ed
        .fill(
            &preview,
            &sent_to,
            &[("useful", "4"), ("role", "officer"), ("missing", "Costs")],
        )
        .await;
    assert_eq!(accepted.status(), 200);
    let accepted = accepted.text().await.unwrap();
    assert!(
        accepted.contains("These answers would be accepted")
            && accepted.contains("Council officer")
    );
    let in_welsh = ed.page(&format!("{preview}?lang=cy")).await;
    assert!(
        in_welsh.contains("<html lang=\"cy\">") && in_welsh.contains("Anfon adborth"),
        "the preview in Welsh"
    );
    assert!(
        in_welsh.contains("How useful was the guide?"),
        "words without Welsh are shown in English"
    );
    assert_eq!(app.count("responses").await, 0, "a preview stores nothing");

    // What will change, then publish.
    let review = ed.page(&format!("{NEW}/publish")).await;
    assert!(
        review.contains("is new: 1 workstream, 1 resource and 1 survey"),
        "{review}"
    );
    assert!(review.contains("lead@example.gov.uk will get the weekly digest of “Supplier policy”"));
    let published = ed
        .fill(&format!("{NEW}/publish"), &format!("{NEW}/publish"), &[])
        .await;
    assert_eq!(published.status(), 303);
    assert_eq!(location(&published), NEW);
    assert_eq!(
        app.count("campaign_drafts").await,
        0,
        "the draft became the campaign"
    );

    // Respondents answer it; its lead follows it.
    let form = app.get_html("/surveys/guide-feedback").await;
    assert!(form.contains("How useful was the guide?") && form.contains("Readiness guide"));
    let token = token_in(&form);
    let sent = app
        .post_form(
            "/surveys/guide-feedback",
            &[
                ("form_token", &token),
                ("useful", "5"),
                ("role", "councillor"),
            ],
        )
        .await;
    assert_eq!(
        sent.status(),
        303,
        "{}",
        problems(&sent.text().await.unwrap())
    );
    assert_eq!(app.count("responses").await, 1);
    let followers = app
        .scalar("SELECT COUNT(*) AS n FROM digest_subscriptions s JOIN users u ON u.id = s.user_id WHERE u.email = 'lead@example.gov.uk' AND s.workstream_key = 'supplier' AND s.frequency = 'weekly'")
        .await;
    assert_eq!(followers, 1, "the lead gets the weekly digest");
    let audited = app
        .scalar("SELECT COUNT(*) AS n FROM audit_log a JOIN users u ON u.id = a.user_id WHERE a.action = 'campaign_published' AND u.email = 'editor@example.gov.uk'")
        .await;
    assert_eq!(audited, 1, "publishing is audited with who did it");
}

async fn a_publish_the_import_refuses_changes_nothing(db: Db) {
    let app = spawn_app(db).await;
    let ed = Editor::new(&app, "editor@example.gov.uk").await;
    // "governance" is a survey of the seeded campaign already.
    build(&ed, "", "governance").await;
    let review = ed.page(&format!("{NEW}/publish")).await;
    assert!(review.contains("It cannot be published yet"), "{review}");
    assert!(review.contains("already used by another campaign"));
    assert!(!review.contains("Publish now"));
    let fields = vec![
        ("csrf_token".to_string(), ed.who.csrf.clone()),
        ("revision".to_string(), "7".to_string()),
    ];
    let refused = ed.post(&format!("{NEW}/publish"), &fields).await;
    assert_eq!(refused.status(), 422);
    assert!(problems(&refused.text().await.unwrap()).contains("already used by another campaign"));
    assert_eq!(app.count("campaigns").await, 1, "nothing was published");
    assert_eq!(
        app.count("campaign_drafts").await,
        1,
        "the draft is kept to put right"
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'campaign_published'")
            .await,
        0
    );
}
