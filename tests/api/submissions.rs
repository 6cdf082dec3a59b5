//! Submitting a survey: stored once committed, or refused with every error shown.

use crate::helpers::{Db, location, spawn_app, valid_answers};
use crate::on_both_databases;

on_both_databases!(
    a_response_the_database_refuses_does_not_fail_those_committed_with_it,
    a_valid_submission_is_stored_with_typed_answers_and_confirmed_with_its_reference,
    an_empty_submission_lists_every_error_linked_to_its_field,
    answers_are_kept_when_the_form_comes_back_with_errors,
    a_long_answer_over_the_limit_says_how_many_characters_are_allowed,
    an_email_is_stored_only_with_consent,
    the_playbook_survey_stores_the_resources_used_as_a_list,
    the_confirmation_says_who_gets_a_summary_and_how_often,
);

async fn a_valid_submission_is_stored_with_typed_answers_and_confirmed_with_its_reference(db: Db) {
    let app = spawn_app(db).await;
    let token = app.form_token("governance").await;
    let response = app
        .post_form("/surveys/governance", &valid_answers(&token))
        .await;
    assert_eq!(response.status(), 303);
    let to = location(&response);
    let reference = to
        .strip_prefix("/surveys/governance/thanks?ref=")
        .expect("redirects to the confirmation")
        .to_string();
    assert_eq!(reference.len(), 8);
    assert!(
        reference
            .bytes()
            .all(|b| b"ABCDEFGHJKMNPQRTWXYZ2346789".contains(&b))
    );

    let thanks = app.get_html(&to).await;
    assert!(thanks.contains(&format!("<strong class=\"reference\">{reference}</strong>")));
    assert!(thanks.contains("What happens next"));

    assert_eq!(app.count("responses").await, 1);
    let usefulness = app
        .scalar("SELECT number_value AS n FROM answers WHERE question_key = 'usefulness'")
        .await;
    assert_eq!(usefulness, 4, "a rating is stored as a number");
    assert_eq!(
        app.count("answers").await,
        7,
        "seven questions answered besides organisation and email"
    );
    let other = app
        .scalar("SELECT COUNT(*) AS n FROM responses WHERE other_organisation_name = 'Port of Tyne' AND other_organisation_sector = 'port' AND channel = 'web' AND contact_email IS NULL")
        .await;
    assert_eq!(other, 1);
    // A made-up reference does not show a confirmation.
    assert_eq!(
        app.get("/surveys/governance/thanks?ref=AAAAAAAA")
            .await
            .status(),
        404
    );
    assert_eq!(
        app.get(&format!("/surveys/procurement/thanks?ref={reference}"))
            .await
            .status(),
        404
    );
}

async fn an_empty_submission_lists_every_error_linked_to_its_field(db: Db) {
    let app = spawn_app(db).await;
    let token = app.form_token("governance").await;
    let response = app
        .post_form("/surveys/governance", &[("form_token", &token)])
        .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("<title>Error: Feedback on Governance – Campaign feedback</title>"));
    assert!(html.contains("There is a problem"));
    let expected = [
        (
            "organisation-kind-council",
            "Select your council, or tell us your organisation’s name and sector",
        ),
        ("role-cyber_security", "Select your role"),
        ("usefulness-1", "Select how useful the resource was"),
        ("ease-1", "Select how easy the resource was to apply"),
        (
            "ncsc_principles-yes",
            "Select whether it helped you apply the NCSC principles",
        ),
        ("recommend-0", "Select how likely you are to recommend it"),
    ];
    for (field, message) in expected {
        assert!(
            html.contains(&format!("<li><a href=\"#{field}\">{message}</a></li>")),
            "summary links {message} to #{field}"
        );
        assert!(
            html.contains(&format!("id=\"{field}\"")),
            "#{field} exists in the page"
        );
        assert!(
            html.contains(&format!(
                "<span class=\"visually-hidden\">Error:</span> {message}</p>"
            )),
            "{message} shows beside the field"
        );
    }
    assert_eq!(app.count("responses").await, 0);
}

async fn answers_are_kept_when_the_form_comes_back_with_errors(db: Db) {
    let app = spawn_app(db).await;
    let token = app.form_token("governance").await;
    let mut answers = valid_answers(&token);
    answers.retain(|(k, _)| *k != "usefulness");
    answers.push(("contact", "officer@example.gov.uk"));
    let response = app.post_form("/surveys/governance", &answers).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("id=\"ease-3\" name=\"ease\" type=\"radio\" value=\"3\" checked"));
    assert!(
        html.contains("id=\"recommend-9\" name=\"recommend\" type=\"radio\" value=\"9\" checked")
    );
    assert!(
        html.contains(">More on CCTV &amp; &lt;sensors&gt;</textarea>"),
        "text is kept, escaped"
    );
    assert!(html.contains("value=\"Port of Tyne\""));
    assert!(html.contains("<option value=\"port\" selected>Port</option>"));
    assert!(html.contains("value=\"officer@example.gov.uk\""));
    assert!(html.contains(
        "Tick the box to agree that we keep your email address, or delete the email address"
    ));
    assert!(
        html.contains(&format!("name=\"form_token\" value=\"{token}\"")),
        "the same token, so a fixed resubmission is still one response"
    );
}

async fn a_long_answer_over_the_limit_says_how_many_characters_are_allowed(db: Db) {
    let app = spawn_app(db).await;
    let token = app.form_token("governance").await;
    let long = "ŵ".repeat(5_001);
    let mut answers = valid_answers(&token);
    answers.retain(|(k, _)| *k != "missing");
    answers.push(("missing", &long));
    let response = app.post_form("/surveys/governance", &answers).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains(
        "<li><a href=\"#missing\">Enter 5,000 characters or fewer for “What is missing, or what should change”</a></li>"
    ));
    assert_eq!(app.count("responses").await, 0);
}

async fn an_email_is_stored_only_with_consent(db: Db) {
    let app = spawn_app(db).await;
    let token = app.form_token("governance").await;
    let mut answers = valid_answers(&token);
    answers.push(("contact", "officer@example.gov.uk"));
    answers.push(("contact-consent", "yes"));
    assert_eq!(
        app.post_form("/surveys/governance", &answers)
            .await
            .status(),
        303
    );
    let kept = app
        .scalar(
            "SELECT COUNT(*) AS n FROM responses WHERE contact_email = 'officer@example.gov.uk'",
        )
        .await;
    assert_eq!(kept, 1);
    let in_answers = app
        .scalar("SELECT COUNT(*) AS n FROM answers WHERE text_value LIKE '%@%'")
        .await;
    assert_eq!(
        in_answers, 0,
        "the email is kept apart from the answers, for retention"
    );
}

async fn the_playbook_survey_stores_the_resources_used_as_a_list(db: Db) {
    let app = spawn_app(db).await;
    let token = app.form_token("playbook").await;
    let answers = [
        ("form_token", token.as_str()),
        ("organisation", "other"),
        ("organisation-name", "University of Bath"),
        ("organisation-sector", "university"),
        ("resources_used", "video"),
        ("resources_used", "governance"),
        ("overall_usefulness", "5"),
        ("gaps", "Stadiums"),
    ];
    assert_eq!(
        app.post_form("/surveys/playbook", &answers).await.status(),
        303
    );
    let backend = app.state.db.get_database_backend();
    let row = sea_orm::ConnectionTrait::query_one_raw(
        &app.state.db,
        sea_orm::Statement::from_string(
            backend,
            "SELECT list_value FROM answers WHERE question_key = 'resources_used'".to_string(),
        ),
    )
    .await
    .unwrap()
    .unwrap();
    let list: serde_json::Value = row.try_get("", "list_value").unwrap();
    assert_eq!(list, serde_json::json!(["governance", "video"]));
}

/// Responses sent together share a transaction (`store::writer`); one the
/// database refuses must fail alone, and the rest be stored.
async fn a_response_the_database_refuses_does_not_fail_those_committed_with_it(db: Db) {
    use campaign_feedback::domain::answer::{Answer, AnswerValue, Submission};
    use campaign_feedback::domain::question::QuestionKind;
    use campaign_feedback::store::responses::{NewResponse, Stored};
    use campaign_feedback::store::writer::commit_all;
    let app = spawn_app(db).await;
    let survey_id = app
        .scalar("SELECT id AS n FROM surveys WHERE slug = 'governance'")
        .await as i32;
    let version_id = app
        .scalar("SELECT MAX(v.id) AS n FROM survey_versions v JOIN surveys s ON s.id = v.survey_id WHERE s.slug = 'governance'")
        .await as i32;
    let response = |n: usize, survey_id: i32, text: &str| NewResponse {
        survey_id,
        version_id,
        submission_id: format!("batch-{n:02}"),
        submission: Submission {
            answers: vec![Answer {
                key: "missing".into(),
                kind: QuestionKind::LongText,
                value: AnswerValue::Text(text.into()),
            }],
            organisation: None,
            contact_email: None,
        },
        channel: "web",
        language: campaign_feedback::domain::lang::Lang::En,
        submitted_at: chrono::Utc::now(),
        received_on: chrono::Utc::now().date_naive(),
    };
    // Number 7 answers a survey that does not exist (a constraint); number
    // 12 holds a NUL, which PostgreSQL cannot store in text (SQLite can).
    let batch = (0..20)
        .map(|n| match n {
            7 => response(n, 999_999, "no such survey"),
            12 => response(n, survey_id, "x\0y"),
            _ => response(n, survey_id, "fine"),
        })
        .collect();
    let outcomes = commit_all(app.state.db.clone(), batch).await;
    assert_eq!(outcomes.len(), 20);
    for (n, outcome) in outcomes.iter().enumerate() {
        match (n, outcome) {
            (7, refused) => assert!(refused.is_err(), "{refused:?}"),
            (12, _) => {}
            (_, stored) => assert!(matches!(stored, Ok(Stored::New(_))), "{n}: {stored:?}"),
        }
    }
    let nul_stored = i64::from(outcomes[12].is_ok());
    assert_eq!(app.count("responses").await, 18 + nul_stored);
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM answers WHERE text_value = 'fine'")
            .await,
        18,
        "every other response is stored whole"
    );
}

async fn the_confirmation_says_who_gets_a_summary_and_how_often(db: Db) {
    use campaign_feedback::domain::officer::Role;
    use campaign_feedback::domain::schedule::Frequency;
    let app = spawn_app(db).await;
    let confirmation = |reference: String| {
        let app = &app;
        async move {
            app.get_html(&format!("/surveys/governance/thanks?ref={reference}"))
                .await
        }
    };
    let nobody = confirmation(
        app.respond("governance", ("Port of Tyne", "port"), (4, 4, 9), "")
            .await,
    )
    .await;
    assert!(
        !nobody.contains("each week") && !nobody.contains("every day"),
        "no promise without subscribers"
    );
    assert!(nobody.contains("The campaign team reads every response."));

    app.add_officer("lead@example.gov.uk", Role::Lead, "silver birch lantern")
        .await;
    let subscribe = |frequency| {
        campaign_feedback::store::digests::subscribe(
            &app.state.db,
            "lead@example.gov.uk",
            "demand_policy",
            frequency,
            false,
            chrono::Utc::now(),
        )
    };
    subscribe(Frequency::Daily).await.unwrap();
    let daily = confirmation(
        app.respond("governance", ("Port of Tyne", "port"), (4, 4, 9), "")
            .await,
    )
    .await;
    assert!(daily.contains("A summary of new feedback on this resource goes to the leads of the Demand policy workstream every day."), "{daily}");

    subscribe(Frequency::Weekly).await.unwrap();
    let weekly = confirmation(
        app.respond("governance", ("Port of Tyne", "port"), (4, 4, 9), "")
            .await,
    )
    .await;
    assert!(weekly.contains("to the leads of the Demand policy workstream each week."));
}
