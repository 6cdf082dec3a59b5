//! Health, readiness and metrics.

use crate::helpers::{Db, spawn_app, spawn_app_with, valid_answers};
use crate::on_both_databases;
use campaign_feedback::domain::officer::Role;

on_both_databases!(
    health_readiness_and_metrics_answer,
    metrics_are_private_behind_a_token_or_on_their_own_address,
    a_bad_configuration_value_stops_start_up_naming_the_variable,
    an_out_of_range_number_stops_start_up_and_the_longest_sessions_allowed_sign_in,
);

async fn health_readiness_and_metrics_answer(db: Db) {
    let app = spawn_app_with(db, &[("METRICS_TOKEN", "metrics-token-0123456789")]).await;
    assert_eq!(app.get("/healthz").await.text().await.unwrap(), "ok\n");
    assert_eq!(app.get("/readyz").await.status(), 200);
    let token = app.form_token("procurement").await;
    assert_eq!(
        app.post_form("/surveys/procurement", &valid_answers(&token))
            .await
            .status(),
        303
    );
    let metrics = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth("metrics-token-0123456789")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("responses_stored_total{survey=\"procurement\"}"),
        "{metrics}"
    );
    assert!(
        metrics.contains(
            "http_requests_total{method=\"POST\",route=\"/surveys/{slug}\",status=\"303\"}"
        )
    );
    assert!(metrics.contains("http_request_duration_seconds_bucket{method=\"GET\",route=\"/surveys/{slug}\",le=\"0.005\"}"));

    app.state.db.clone().close().await.unwrap();
    assert_eq!(
        app.get("/readyz").await.status(),
        503,
        "readiness follows the database"
    );
    assert_eq!(app.get("/healthz").await.status(), 200);
}

async fn a_bad_configuration_value_stops_start_up_naming_the_variable(db: Db) {
    let app = spawn_app(db).await;
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_campaign-feedback"))
        .arg("serve")
        .env("DATABASE_URL", &app.database_url)
        .env("BIND_ADDR", "not-an-address")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("BIND_ADDR: \"not-an-address\" is not an address like 127.0.0.1:8080")
    );
}

async fn an_out_of_range_number_stops_start_up_and_the_longest_sessions_allowed_sign_in(db: Db) {
    let app = spawn_app(db).await;
    for (var, value, expected) in [
        (
            "SESSION_MAX_HOURS",
            "4294967295",
            "SESSION_MAX_HOURS: 4294967295 is out of range: use a whole number from 1 to 720 (default 12)",
        ),
        (
            "SESSION_IDLE_MINUTES",
            "99999999999",
            "SESSION_IDLE_MINUTES: 99999999999 is out of range: use a whole number from 1 to 1440 (default 30)",
        ),
        (
            "RETENTION_DAYS",
            "0",
            "RETENTION_DAYS: 0 is out of range: use a whole number from 1 to 3650 (default 365)",
        ),
    ] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_campaign-feedback"))
            .arg("serve")
            .env("DATABASE_URL", &app.database_url)
            .env(var, value)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{var}={value}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{stderr}");
    }

    let longest = spawn_app_with(
        db,
        &[
            ("SESSION_MAX_HOURS", "720"),
            ("SESSION_IDLE_MINUTES", "1440"),
        ],
    )
    .await;
    longest
        .add_officer(
            "admin@example.gov.uk",
            Role::Admin,
            "correct horse battery staple",
        )
        .await;
    let signed_in = longest
        .sign_in("admin@example.gov.uk", "correct horse battery staple")
        .await;
    assert_eq!(
        longest.get_as(&signed_in.cookie, "/admin").await.status(),
        200
    );
}

async fn metrics_are_private_behind_a_token_or_on_their_own_address(db: Db) {
    let public = spawn_app(db).await;
    let none = public.get("/metrics").await;
    assert_eq!(
        none.status(),
        404,
        "no token configured: not served publicly"
    );
    assert!(!none.text().await.unwrap().contains("http_requests_total"));

    let with_token = spawn_app_with(db, &[("METRICS_TOKEN", "metrics-token-0123456789")]).await;
    for wrong in [
        "",
        "Bearer nope",
        "Bearer metrics-token-012345678",
        "metrics-token-0123456789",
    ] {
        let mut request = with_token.client.get(with_token.url("/metrics"));
        if !wrong.is_empty() {
            request = request.header("authorization", wrong);
        }
        let refused = request.send().await.unwrap();
        assert_eq!(refused.status(), 401, "{wrong:?}");
        assert_eq!(
            refused.headers()["www-authenticate"],
            "Bearer realm=\"metrics\""
        );
        assert!(
            !refused
                .text()
                .await
                .unwrap()
                .contains("http_requests_total")
        );
    }

    let apart = spawn_app_with(db, &[("METRICS_ADDR", "127.0.0.1:0")]).await;
    apart.get("/healthz").await;
    assert_eq!(apart.get("/metrics").await.status(), 404);
    let metrics_address = apart.metrics_address.clone().expect("a metrics address");
    let scraped = apart
        .client
        .get(format!("{metrics_address}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(scraped.status(), 200);
    assert!(
        scraped
            .text()
            .await
            .unwrap()
            .contains("http_requests_total")
    );
}
