//! Faults a client can cause (one byte a second, 1 GB bodies, 10,000
//! fields) and the security-header crawl of every route and error page.

use crate::helpers::Db;
use crate::on_both_databases;
use axum::http::HeaderMap;
use campaign_feedback::domain::officer::Role;
use std::time::{Duration, Instant};

on_both_databases!(slow_oversized_and_overstuffed_requests_are_cut_off_while_others_are_served);

async fn slow_oversized_and_overstuffed_requests_are_cut_off_while_others_are_served(db: Db) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = crate::helpers::spawn_app(db).await;
    let address = app.address.trim_start_matches("http://").to_string();

    // A client sending its request one byte a second.
    let slow = tokio::spawn({
        let address = address.clone();
        async move {
            let mut socket = tokio::net::TcpStream::connect(&address).await.unwrap();
            let started = Instant::now();
            for byte in b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: yes yes yes yes yes yes yes yes yes yes yes yes yes\r\n\r\n" {
                if socket.write_all(&[*byte]).await.is_err() {
                    break;
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
                let mut peek = [0u8; 1];
                if let Ok(Ok(0)) = tokio::time::timeout(Duration::from_millis(1), socket.read(&mut peek)).await {
                    break;
                }
            }
            started.elapsed()
        }
    });
    // Meanwhile everyone else is served.
    for _ in 0..5 {
        let started = Instant::now();
        assert_eq!(app.get("/surveys/governance").await.status(), 200);
        assert!(started.elapsed() < Duration::from_secs(2));
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    let cut_after = slow.await.unwrap();
    assert!(
        cut_after <= Duration::from_secs(12),
        "the slow client was cut off after {cut_after:?}"
    );
    // ... and counted, so an operator sees why connections are closed.
    let metrics = app.state.metrics.render();
    assert!(
        metrics.contains(r#"http_connections_closed_total{why="slow_headers"}"#),
        "{metrics}"
    );

    // A 1 GB body is refused from its Content-Length, before it is sent.
    let mut socket = tokio::net::TcpStream::connect(&address).await.unwrap();
    socket
        .write_all(b"POST /surveys/governance HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1073741824\r\n\r\nform_token=")
        .await
        .unwrap();
    let mut reply = vec![0u8; 512];
    let n = tokio::time::timeout(Duration::from_secs(5), socket.read(&mut reply))
        .await
        .unwrap()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&reply[..n]).starts_with("HTTP/1.1 413"),
        "{}",
        String::from_utf8_lossy(&reply[..n])
    );

    // 10,000 form fields get a clear refusal.
    let token = app.form_token("governance").await;
    let body = format!("form_token={token}&{}", vec!["a=1"; 10_000].join("&"));
    let response = app.post_encoded("/surveys/governance", body).await;
    assert_eq!(response.status(), 400);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("The form sent more than 300 fields")
    );
    assert_eq!(app.count("responses").await, 0);
}

on_both_databases!(every_route_and_error_page_carries_the_security_headers);

async fn every_route_and_error_page_carries_the_security_headers(db: Db) {
    let app = crate::helpers::spawn_app(db).await;
    let reference = app
        .respond("governance", ("Port of Tyne", "port"), (4, 4, 9), "")
        .await;
    app.add_officer("admin@example.gov.uk", Role::Admin, "copper meadow signal")
        .await;
    let admin = app
        .sign_in("admin@example.gov.uk", "copper meadow signal")
        .await;
    let mut responses = Vec::new();
    for path in [
        "/",
        "/surveys/governance",
        &format!("/surveys/governance/thanks?ref={reference}"),
        "/healthz",
        "/readyz",
        "/metrics",
        "/assets/app.css",
        "/nope",
        "/surveys/nope",
        "/admin/login",
    ] {
        responses.push((path.to_string(), app.get(path).await));
    }
    for (path, _, methods) in campaign_feedback::web::admin::route_table() {
        if methods.contains(&axum::http::Method::GET) {
            let path = path
                .replace("{slug}", "governance")
                .replace("{reference}", &reference);
            responses.push((path.clone(), app.get_as(&admin.cookie, &path).await));
            responses.push((format!("{path} (signed out)"), app.get(&path).await));
        }
    }
    let cross = app
        .client
        .post(app.url("/surveys/governance"))
        .header("origin", "https://evil.example")
        .form(&[("a", "b")])
        .send()
        .await
        .unwrap();
    responses.push(("cross-site POST".into(), cross));
    let big = app
        .post_encoded("/surveys/governance", "a=".repeat(40_000))
        .await;
    responses.push(("oversized POST".into(), big));
    let mut responses: Vec<(String, u16, HeaderMap)> = responses
        .into_iter()
        .map(|(path, r)| (path, r.status().as_u16(), r.headers().clone()))
        .collect();
    responses.extend(timed_out_requests(db).await);
    responses.extend(panicking_handlers(&app).await);
    let statuses: Vec<u16> = responses.iter().map(|(_, status, _)| *status).collect();
    for wanted in [200, 303, 403, 404, 408, 413, 500] {
        assert!(statuses.contains(&wanted), "the crawl includes a {wanted}");
    }
    for (path, status, h) in &responses {
        for name in [
            "content-security-policy",
            "x-content-type-options",
            "referrer-policy",
            "x-frame-options",
            "x-request-id",
        ] {
            assert!(h.contains_key(name), "{path} ({status}) lacks {name}");
        }
        assert!(
            h["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("frame-ancestors 'none'"),
            "{path}"
        );
        if path.starts_with("/admin") {
            assert_eq!(h["cache-control"], "no-store", "{path} ({status})");
        }
    }
}

/// Sends `request` over a raw connection and reads the status and headers
/// of the reply.
async fn raw(address: &str, request: &[u8]) -> (u16, HeaderMap) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut socket = tokio::net::TcpStream::connect(address).await.unwrap();
    socket.write_all(request).await.unwrap();
    let mut reply = Vec::new();
    let mut buffer = [0u8; 4096];
    while !reply.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = tokio::time::timeout(Duration::from_secs(10), socket.read(&mut buffer))
            .await
            .expect("a reply within 10 s")
            .unwrap();
        assert!(n > 0, "the connection closed before a reply");
        reply.extend_from_slice(&buffer[..n]);
    }
    let text = String::from_utf8_lossy(&reply).into_owned();
    let mut lines = text.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let mut headers = HeaderMap::new();
    for line in lines.take_while(|l| !l.is_empty()) {
        let (name, value) = line.split_once(':').unwrap();
        headers.append(
            axum::http::HeaderName::from_bytes(name.trim().as_bytes()).unwrap(),
            value.trim().parse().unwrap(),
        );
    }
    (status, headers)
}

/// 408s: clients that stop sending their body, on an app with a 1-second limit.
async fn timed_out_requests(db: Db) -> Vec<(String, u16, HeaderMap)> {
    let app = crate::helpers::spawn_app_with(db, &[("REQUEST_TIMEOUT_SECONDS", "1")]).await;
    let address = app.address.trim_start_matches("http://").to_string();
    let mut out = Vec::new();
    for path in ["/surveys/governance", "/admin/login"] {
        let request = format!(
            "POST {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nform_token="
        );
        let (status, headers) = raw(&address, request.as_bytes()).await;
        assert_eq!(status, 408, "{path}");
        out.push((format!("{path} (body never finished)"), status, headers));
    }
    out
}

/// 500s: a handler that panics, served with the service's own middleware.
async fn panicking_handlers(app: &crate::helpers::TestApp) -> Vec<(String, u16, HeaderMap)> {
    async fn boom() -> &'static str {
        panic!("a bug in a handler")
    }
    let routes = axum::Router::new()
        .route("/boom", axum::routing::get(boom))
        .route("/admin/boom", axum::routing::get(boom));
    let router = campaign_feedback::web::layered(routes, app.state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    tokio::spawn(campaign_feedback::web::serve::serve(
        listener,
        router,
        16,
        std::future::pending(),
    ));
    let mut out = Vec::new();
    for path in ["/boom", "/admin/boom"] {
        let request = format!("GET {path} HTTP/1.1\r\nHost: {address}\r\n\r\n");
        let (status, headers) = raw(&address, request.as_bytes()).await;
        assert_eq!(status, 500, "{path}");
        out.push((format!("{path} (panicked)"), status, headers));
    }
    out
}
