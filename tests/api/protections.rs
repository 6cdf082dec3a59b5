//! Safety from the first day: origin check, body and field limits, rate
//! limit, honeypot, strict decoding, closed surveys, security headers.

use crate::helpers::{Db, spawn_app, spawn_app_with, valid_answers};
use crate::on_both_databases;

on_both_databases!(
    a_post_from_another_site_is_refused_and_changes_nothing,
    a_body_over_64_kib_gets_413_with_a_page_that_says_so,
    malformed_utf8_and_unknown_fields_are_refused_naming_the_field,
    submissions_over_the_rate_limit_get_429_with_retry_after,
    a_filled_honeypot_stores_nothing,
    every_page_carries_the_security_headers,
);

async fn a_post_from_another_site_is_refused_and_changes_nothing(db: Db) {
    let app = spawn_app(db).await;
    let token = app.form_token("governance").await;
    let response = app
        .client
        .post(app.url("/surveys/governance"))
        .header("origin", "https://evil.example")
        .form(&valid_answers(&token))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("The form was sent from another website.")
    );
    let cross_site = app
        .client
        .post(app.url("/surveys/governance"))
        .header("sec-fetch-site", "cross-site")
        .form(&valid_answers(&token))
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), 403);
    assert_eq!(app.count("responses").await, 0);
}

async fn a_body_over_64_kib_gets_413_with_a_page_that_says_so(db: Db) {
    let app = spawn_app(db).await;
    let token = app.form_token("governance").await;
    let huge = "a".repeat(70 * 1024);
    let mut answers = valid_answers(&token);
    answers.push(("standards", &huge));
    let response = app.post_form("/surveys/governance", &answers).await;
    assert_eq!(response.status(), 413);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Your answers are too long to send")
    );
    assert_eq!(app.count("responses").await, 0);
}

async fn malformed_utf8_and_unknown_fields_are_refused_naming_the_field(db: Db) {
    let app = spawn_app(db).await;
    let token = app.form_token("governance").await;
    let body = format!("form_token={token}&usefulness=4&missing=%FF%FE");
    let response = app.post_encoded("/surveys/governance", body).await;
    assert_eq!(response.status(), 400);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("The form field “missing” was not valid UTF-8 text.")
    );

    // A NUL, which PostgreSQL cannot store in text, is refused before it
    // reaches the database.
    let mut answers = valid_answers(&token);
    answers.retain(|(k, _)| *k != "missing");
    answers.push(("missing", "pasted\0text"));
    let response = app.post_form("/surveys/governance", &answers).await;
    assert_eq!(response.status(), 400);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("The form field “missing” contained a control character")
    );

    let mut answers = valid_answers(&token);
    answers.push(("is_admin", "1"));
    let response = app.post_form("/surveys/governance", &answers).await;
    assert_eq!(response.status(), 400);
    assert!(response.text().await.unwrap().contains("(“is_admin”)"));

    let json = app
        .client
        .post(app.url("/surveys/governance"))
        .json(&serde_json::json!({"usefulness": 4}))
        .send()
        .await
        .unwrap();
    assert_eq!(json.status(), 415);
    assert_eq!(app.count("responses").await, 0);
}

async fn submissions_over_the_rate_limit_get_429_with_retry_after(db: Db) {
    let app = spawn_app_with(db, &[("SUBMIT_RATE_LIMIT", "3")]).await;
    for _ in 0..3 {
        let token = app.form_token("governance").await;
        assert_eq!(
            app.post_form("/surveys/governance", &valid_answers(&token))
                .await
                .status(),
            303
        );
    }
    let token = app.form_token("governance").await;
    let response = app
        .post_form("/surveys/governance", &valid_answers(&token))
        .await;
    assert_eq!(response.status(), 429);
    let after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&after));
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("You have sent a lot of answers in a short time")
    );
    assert_eq!(app.count("responses").await, 3);
    assert_eq!(
        app.get("/surveys/governance").await.status(),
        200,
        "reading is not limited"
    );
}

async fn a_filled_honeypot_stores_nothing(db: Db) {
    let app = spawn_app(db).await;
    let token = app.form_token("governance").await;
    let mut answers = valid_answers(&token);
    answers.push(("website", "http://spam.example"));
    let response = app.post_form("/surveys/governance", &answers).await;
    assert_eq!(response.status(), 422);
    assert_eq!(app.count("responses").await, 0);
}

async fn every_page_carries_the_security_headers(db: Db) {
    let app = spawn_app(db).await;
    for path in [
        "/",
        "/surveys/governance",
        "/surveys/nope",
        "/healthz",
        "/assets/app.css",
    ] {
        let response = app.get(path).await;
        let h = response.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "same-origin", "{path}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        assert!(h.contains_key("x-request-id"), "{path}");
    }
}
