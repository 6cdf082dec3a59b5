//! The same submission sent again stores one response and leads to the same reference.

use crate::helpers::{
    Db, SECRET, location, spawn_app, spawn_app_with, start, token_in, valid_answers,
};
use crate::on_both_databases;
use campaign_feedback::domain::clock::SystemClock;
use campaign_feedback::domain::token::{FormToken, TokenSigner};
use std::sync::Arc;

on_both_databases!(
    a_refreshed_submission_is_stored_once_with_the_same_reference,
    ten_copies_sent_at_once_store_one_response,
    forty_forms_sent_twice_at_once_are_each_stored_once_under_their_own_reference,
    a_batch_with_copies_stores_each_submission_once_and_answers_in_order,
    a_tampered_token_keeps_the_answers_and_stores_nothing,
    an_expired_token_says_so_and_a_resubmission_is_accepted,
    a_form_opened_before_a_restart_still_submits_without_a_secret_key_set,
);

async fn a_refreshed_submission_is_stored_once_with_the_same_reference(db: Db) {
    let app = spawn_app(db).await;
    let token = app.form_token("governance").await;
    let first = location(
        &app.post_form("/surveys/governance", &valid_answers(&token))
            .await,
    );
    let again = location(
        &app.post_form("/surveys/governance", &valid_answers(&token))
            .await,
    );
    assert_eq!(first, again);
    assert_eq!(app.count("responses").await, 1);
    // A new form is a new response.
    let other = app.form_token("governance").await;
    let second = location(
        &app.post_form("/surveys/governance", &valid_answers(&other))
            .await,
    );
    assert_ne!(first, second);
    assert_eq!(app.count("responses").await, 2);
}

async fn ten_copies_sent_at_once_store_one_response(db: Db) {
    let app = Arc::new(spawn_app(db).await);
    let token = app.form_token("governance").await;
    let sends = (0..10).map(|_| {
        let app = app.clone();
        let token = token.clone();
        tokio::spawn(async move {
            let response = app
                .post_form("/surveys/governance", &valid_answers(&token))
                .await;
            assert_eq!(response.status(), 303);
            location(&response)
        })
    });
    let mut locations = Vec::new();
    for send in sends.collect::<Vec<_>>() {
        locations.push(send.await.unwrap());
    }
    locations.dedup();
    assert_eq!(
        locations.len(),
        1,
        "every copy leads to the same reference: {locations:?}"
    );
    assert_eq!(app.count("responses").await, 1);
    assert_eq!(app.count("answers").await, 7);
}

/// Submissions arriving together share a commit (`store::writer`): each must
/// still be stored once, whole, under its own reference.
async fn forty_forms_sent_twice_at_once_are_each_stored_once_under_their_own_reference(db: Db) {
    let app = Arc::new(spawn_app(db).await);
    let mut tokens = Vec::new();
    for _ in 0..40 {
        tokens.push(app.form_token("governance").await);
    }
    tokens.sort();
    tokens.dedup();
    assert_eq!(
        tokens.len(),
        40,
        "every visitor gets a form token of their own"
    );
    let sends: Vec<_> = tokens
        .iter()
        .flat_map(|token| [token.clone(), token.clone()])
        .map(|token| {
            let app = app.clone();
            tokio::spawn(async move {
                let response = app
                    .post_form("/surveys/governance", &valid_answers(&token))
                    .await;
                assert_eq!(response.status(), 303);
                (token, location(&response))
            })
        })
        .collect();
    let mut answered = Vec::new();
    for send in sends {
        answered.push(send.await.unwrap());
    }
    answered.sort();
    answered.dedup();
    assert_eq!(
        answered.len(),
        40,
        "both copies of a form lead to one reference"
    );
    let mut references: Vec<_> = answered.iter().map(|(_, to)| to.clone()).collect();
    references.sort();
    references.dedup();
    assert_eq!(
        references.len(),
        40,
        "forms sent together get their own references"
    );
    assert_eq!(app.count("responses").await, 40);
    assert_eq!(app.count("answers").await, 40 * 7);
    let whole = app
        .scalar(
            "SELECT COUNT(*) AS n FROM (SELECT r.id FROM responses r \
             JOIN answers a ON a.response_id = r.id GROUP BY r.id HAVING COUNT(*) = 7) w",
        )
        .await;
    assert_eq!(whole, 40, "each response has its own seven answers");
}

/// The group commit's batch, directly: copies of a submission stored before
/// and copies inside the batch all lead to one stored response each.
async fn a_batch_with_copies_stores_each_submission_once_and_answers_in_order(db: Db) {
    use campaign_feedback::domain::answer::{Answer, AnswerValue, Submission};
    use campaign_feedback::domain::question::QuestionKind;
    use campaign_feedback::store::responses::{NewResponse, Stored, store, store_batch};
    let app = spawn_app(db).await;
    let survey_id = app
        .scalar("SELECT id AS n FROM surveys WHERE slug = 'governance'")
        .await as i32;
    let version_id = app.scalar("SELECT MAX(id) AS n FROM survey_versions").await as i32;
    let response = |id: &str| NewResponse {
        survey_id,
        version_id,
        submission_id: id.to_string(),
        submission: Submission {
            answers: vec![Answer {
                key: "missing".into(),
                kind: QuestionKind::LongText,
                value: AnswerValue::Text(format!("from {id}")),
            }],
            organisation: None,
            contact_email: None,
        },
        channel: "web",
        language: campaign_feedback::domain::lang::Lang::En,
        submitted_at: chrono::Utc::now(),
        received_on: chrono::Utc::now().date_naive(),
    };
    let db = &app.state.db;
    let Stored::New(a) = store(db, response("a")).await.unwrap() else {
        panic!("a is new")
    };
    let batch = ["b", "a", "b", "c", "a"].map(response);
    let outcomes = store_batch(db, &batch).await.unwrap();
    let (Stored::New(b), Stored::New(c)) = (&outcomes[0], &outcomes[3]) else {
        panic!("b and c are new: {outcomes:?}")
    };
    assert_eq!(
        outcomes,
        vec![
            Stored::New(b.clone()),
            Stored::Existing(a.clone()),
            Stored::Existing(b.clone()),
            Stored::New(c.clone()),
            Stored::Existing(a.clone()),
        ]
    );
    assert_eq!(app.count("responses").await, 3);
    for (reference, id) in [(&a, "a"), (b, "b"), (c, "c")] {
        let text = app
            .scalar(&format!(
                "SELECT COUNT(*) AS n FROM answers x JOIN responses r ON r.id = x.response_id \
                 WHERE r.reference = '{reference}' AND r.submission_id = '{id}' \
                 AND x.text_value = 'from {id}'"
            ))
            .await;
        assert_eq!(
            text, 1,
            "{id}'s one answer is stored under its own reference"
        );
    }
}

async fn a_tampered_token_keeps_the_answers_and_stores_nothing(db: Db) {
    let app = spawn_app(db).await;
    let token = app.form_token("governance").await;
    let last = if token.ends_with('0') { "1" } else { "0" };
    let tampered = format!("{}{last}", &token[..token.len() - 1]);
    let response = app
        .post_form("/surveys/governance", &valid_answers(&tampered))
        .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("This form could not be checked. Your answers are below: check them and send the form again."));
    assert!(
        html.contains("id=\"recommend-9\" name=\"recommend\" type=\"radio\" value=\"9\" checked")
    );
    assert_eq!(app.count("responses").await, 0);
    // The form comes back with a fresh, valid token: sending it again works.
    let fresh = token_in(&html);
    assert_ne!(fresh, tampered);
    assert_eq!(
        app.post_form("/surveys/governance", &valid_answers(&fresh))
            .await
            .status(),
        303
    );
}

async fn an_expired_token_says_so_and_a_resubmission_is_accepted(db: Db) {
    let app = spawn_app(db).await;
    let fresh = app.form_token("governance").await;
    let version_id: i32 = fresh.split('.').next().unwrap().parse().unwrap();
    let old = FormToken {
        version_id,
        submission_id: "0123456789abcdef0123456789abcdef".into(),
        issued_at: chrono::Utc::now() - chrono::Duration::hours(25),
    };
    let expired = TokenSigner::new(SECRET.as_bytes()).sign("governance", &old);
    let response = app
        .post_form("/surveys/governance", &valid_answers(&expired))
        .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("This form was opened more than 24 hours ago and has expired."));
    assert_eq!(app.count("responses").await, 0);
    assert_eq!(
        app.post_form("/surveys/governance", &valid_answers(&token_in(&html)))
            .await
            .status(),
        303
    );
}

async fn a_form_opened_before_a_restart_still_submits_without_a_secret_key_set(db: Db) {
    let app = spawn_app_with(db, &[("SECRET_KEY", "")]).await;
    let token = app.form_token("governance").await;
    let generated = app
        .scalar("SELECT COUNT(*) AS n FROM settings WHERE key = 'secret_key'")
        .await;
    assert_eq!(generated, 1, "the generated key is kept in the database");
    let (url, dir) = (app.database_url.clone(), tempfile::tempdir().unwrap());
    let restarted = start(url, dir, &[("SECRET_KEY", "")], Arc::new(SystemClock)).await;
    let response = restarted
        .post_form("/surveys/governance", &valid_answers(&token))
        .await;
    assert_eq!(
        response.status(),
        303,
        "the restarted server accepts the form opened before"
    );
}
