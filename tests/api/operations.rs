//! Health, readiness and metrics.

use crate::helpers::{
    Db, SECRET, client, free_port, fresh_database, location, ready, spawn_app, spawn_app_with,
    token_in, valid_answers,
};
use crate::on_both_databases;
use campaign_feedback::domain::officer::Role;

on_both_databases!(
    health_readiness_and_metrics_answer,
    metrics_are_private_behind_a_token_or_on_their_own_address,
    a_bad_configuration_value_stops_start_up_naming_the_variable,
    an_out_of_range_number_stops_start_up_and_the_longest_sessions_allowed_sign_in,
    at_debug_level_each_request_logs_its_route_never_its_address,
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

/// `RUST_LOG=info,campaign_feedback=debug` logs a line per request (method,
/// route pattern, status, time), never the address with its query, the
/// reference or the token; a log that is not a terminal has no colour codes.
async fn at_debug_level_each_request_logs_its_route_never_its_address(db: Db) {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(db, &dir).await;
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let log_path = dir.path().join("serve.log");
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_campaign-feedback"))
        .arg("serve")
        .current_dir(dir.path())
        .env("DATABASE_URL", &url)
        .env("BIND_ADDR", format!("127.0.0.1:{port}"))
        .env("SECRET_KEY", SECRET)
        .env("RUST_LOG", "info,campaign_feedback=debug")
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&log_path).unwrap())
        .spawn()
        .expect("the server starts");
    let client = client();
    ready(&client, &base).await;
    let page = client
        .get(format!("{base}/surveys/governance?council=E06000047"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let token = token_in(&page.text().await.unwrap());
    let sent = client
        .post(format!("{base}/surveys/governance"))
        .form(&valid_answers(&token))
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 303);
    let thanks = location(&sent);
    let reference = thanks
        .split("ref=")
        .nth(1)
        .expect("a reference")
        .to_string();
    let shown = client.get(format!("{base}{thanks}")).send().await.unwrap();
    assert_eq!(shown.status(), 200);
    server.kill().unwrap();
    server.wait().unwrap();

    let log = std::fs::read_to_string(&log_path).unwrap();
    let logged = |method: &str, route: &str, status: u16| {
        log.lines().any(|l| {
            l.contains(&format!("method=\"{method}\""))
                && l.contains(&format!("route=\"{route}\""))
                && l.contains(&format!("status={status}"))
        })
    };
    assert!(logged("GET", "/surveys/{slug}", 200), "{log}");
    assert!(logged("POST", "/surveys/{slug}", 303), "{log}");
    assert!(logged("GET", "/surveys/{slug}/thanks", 200), "{log}");
    for private in [
        reference.as_str(),
        token.as_str(),
        "E06000047",
        "Port of Tyne",
    ] {
        assert!(!log.contains(private), "{private} in the log:\n{log}");
    }
    assert!(
        !log.contains('\u{1b}'),
        "colour codes in a log file:\n{log}"
    );
}
