//! Minimal axum handler returning a fixed page, for scripts/bench-load.
//!
//! Usage: `BIND_ADDR=127.0.0.1:PORT bench-baseline PAGE.html`
//! Serves the bytes of PAGE.html (a copy of the real survey page, so the
//! size is the same) as `text/html` at every path, on the same runtime
//! (tokio multi-thread) and server (`axum::serve`) as the service.

use axum::Router;
use axum::body::Bytes;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

#[tokio::main]
async fn main() {
    let path = std::env::args().nth(1).expect("usage: bench-baseline PAGE.html");
    let page = Bytes::from(std::fs::read(&path).expect("the page file"));
    let addr = std::env::var("BIND_ADDR").unwrap_or_else(|_| "127.0.0.1:8081".into());
    let app = Router::new()
        .route("/readyz", get(|| async { "ready\n" }))
        .fallback(get(move || {
            let page = page.clone();
            async move { ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response() }
        }));
    let listener = tokio::net::TcpListener::bind(&addr).await.expect("bind BIND_ADDR");
    axum::serve(listener, app).await.expect("serve");
}
