//! Health, readiness and metrics.

use crate::helpers::{Db, spawn_app, valid_answers};
use crate::on_both_databases;

on_both_databases!(
    health_readiness_and_metrics_answer,
    a_bad_configuration_value_stops_start_up_naming_the_variable
);

async fn health_readiness_and_metrics_answer(db: Db) {
    let app = spawn_app(db).await;
    assert_eq!(app.get("/healthz").await.text().await.unwrap(), "ok\n");
    assert_eq!(app.get("/readyz").await.status(), 200);
    let token = app.form_token("procurement").await;
    assert_eq!(
        app.post_form("/surveys/procurement", &valid_answers(&token))
            .await
            .status(),
        303
    );
    let metrics = app.get("/metrics").await.text().await.unwrap();
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
