//! Every request's protections and measurements, in one layer ([`guard`]):
//! the request id, the language, the security headers, the origin check on
//! state changes, the announced body limit, the submission rate limit, the
//! timeout, a handler's panic turned into a 500, request metrics and the
//! request log (debug level).
//!
//! One layer rather than one each: every `from_fn` layer boxes a future and
//! clones the services below it per request, and eight of them took about
//! half of a survey page's time (bench/README.md).

use crate::error::AppError;
use crate::web::{AppState, lang, request_metrics};
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::FutureExt;
use std::net::SocketAddr;
use std::panic::AssertUnwindSafe;
use std::time::Instant;

/// How many headers a page carries, about: its own (type, caching,
/// language, `Vary`, a cookie) and the security headers and request id
/// added here. A map made with room for them is never grown.
pub const RESPONSE_HEADERS: usize = 16;

const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; \
                   frame-ancestors 'none'; base-uri 'none'";

/// The header naming a request in the logs; one sent is kept.
const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
const CROSS_ORIGIN_OPENER_POLICY: HeaderName =
    HeaderName::from_static("cross-origin-opener-policy");
const PERMISSIONS_POLICY: HeaderName = HeaderName::from_static("permissions-policy");

/// Runs a request through every protection, in this order: it gets an id,
/// its language is chosen, it may be refused (another site's state change,
/// a body announced too large, too many submissions), and it is answered
/// within `REQUEST_TIMEOUT_SECONDS` (408) or with a 500 if the handler
/// panics; every answer, refusals and errors included, then carries the
/// security headers and the id, and is counted and timed.
pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = request_id(&request);
    let method = method_label(request.method());
    let route = request.extensions().get::<MatchedPath>().cloned();
    let officers_page = request.uri().path().starts_with("/admin");
    let mut response = match lang::choose(&request) {
        Some(mut choice) => {
            let mut response = choice.serve(answer(&state, request, next)).await;
            choice.finish(&mut response, state.config.secure_cookies());
            response
        }
        None => answer(&state, request, next).await,
    };
    let headers = response.headers_mut();
    security_headers(&state, officers_page, headers);
    headers.insert(REQUEST_ID, id);
    let route = route.as_ref().map_or("unmatched", MatchedPath::as_str);
    let seconds = started.elapsed().as_secs_f64();
    let status = response.status().as_u16();
    request_metrics::record(method, route, status, seconds);
    // The request log, at debug level (`RUST_LOG=campaign_feedback=debug`):
    // route patterns, never addresses with their tokens or references.
    tracing::debug!(method, route, status, ms = seconds * 1e3, "request");
    response
}

/// The request's id: the one it came with, or a new random one (a UUID
/// drawn from the thread's generator, not a system call per request).
fn request_id(request: &Request) -> HeaderValue {
    if let Some(id) = request.headers().get(&REQUEST_ID) {
        return id.clone();
    }
    let uuid = uuid::Builder::from_random_bytes(rand::random()).into_uuid();
    let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
    HeaderValue::from_bytes(uuid.hyphenated().encode_lower(&mut text).as_bytes())
        .unwrap_or_else(|_| HeaderValue::from_static("-"))
}

/// The handler's answer, or the refusal, the 408 or the 500 in its place.
async fn answer(state: &AppState, request: Request, next: Next) -> Response {
    let limit = std::time::Duration::from_secs(u64::from(state.config.request_timeout_seconds));
    let checked = async move {
        match refusal(state, &request) {
            Some(refused) => refused,
            None => next.run(request).await,
        }
    };
    match tokio::time::timeout(limit, AssertUnwindSafe(checked).catch_unwind()).await {
        Ok(Ok(response)) => response,
        Ok(Err(_)) => AppError::Internal("a handler panicked".into()).into_response(),
        Err(_) => AppError::RequestTimeout.into_response(),
    }
}

/// Why a request is refused before its handler runs, if it is: a state
/// change from another site (the signed form token is the second check),
/// too many submissions from one address, or a body announced over the
/// limit (the extractors' own limit still catches bodies without a length).
fn refusal(state: &AppState, request: &Request) -> Option<Response> {
    let path = request.uri().path();
    let method = request.method();
    let safe = matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe
        && !checks_its_own_origin(path)
        && !same_origin(request.headers(), state.config.base_url.as_deref())
    {
        return Some(AppError::Forbidden(
            "The form was sent from another website. Open the survey on this site and send it from there.".into(),
        )
        .into_response());
    }
    if method == Method::POST && (path.starts_with("/surveys/") || path.starts_with("/e/")) {
        let ip = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        if let Some(ip) = ip
            && let Err(after) = state.submit_limiter.check(ip, Instant::now())
        {
            metrics::counter!("submissions_rate_limited_total").increment(1);
            return Some(AppError::TooManyRequests(after).into_response());
        }
    }
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > crate::web::admin::body_limit(path) as u64) {
        return Some(AppError::PayloadTooLarge.into_response());
    }
    None
}

/// The security headers of every response, error pages included; a page
/// that set its own policy, referrer policy or caching keeps them.
fn security_headers(state: &AppState, officers_page: bool, headers: &mut HeaderMap) {
    // Room for the headers below at once, not grown (and rehashed) twice.
    headers.reserve(RESPONSE_HEADERS.saturating_sub(headers.len()));
    let has_cache_control = headers.contains_key(header::CACHE_CONTROL);
    let has_csp = headers.contains_key(header::CONTENT_SECURITY_POLICY);
    let has_referrer_policy = headers.contains_key(header::REFERRER_POLICY);
    // Names as `HeaderName` constants: a `&str` name is parsed per insert.
    let mut set = |name: HeaderName, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    if !has_csp {
        set(header::CONTENT_SECURITY_POLICY, CSP);
    }
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    if !has_referrer_policy {
        set(header::REFERRER_POLICY, "same-origin");
    }
    set(header::X_FRAME_OPTIONS, "DENY");
    set(CROSS_ORIGIN_OPENER_POLICY, "same-origin");
    set(
        PERMISSIONS_POLICY,
        "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    );
    if state
        .config
        .base_url
        .as_deref()
        .is_some_and(|u| u.starts_with("https://"))
    {
        set(
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
    if officers_page {
        // Officers' pages hold personal data: never kept in any cache.
        set(header::CACHE_CONTROL, "no-store");
    } else if !has_cache_control {
        set(header::CACHE_CONTROL, "no-cache");
    }
}

/// The two state changes sent from elsewhere by design: the embedded form
/// (`POST /e/{slug}`, which checks `EMBED_ORIGINS` itself) and one-click
/// unsubscribing (`POST /unsubscribe/{token}`, sent by mail providers;
/// the secret token is its own proof).
fn checks_its_own_origin(path: &str) -> bool {
    let embedded_form = path
        .strip_prefix("/e/")
        .is_some_and(|rest| !rest.is_empty() && !rest.contains('/'));
    embedded_form || path.starts_with("/unsubscribe/")
}

/// Whether a request came from this site (or from no site: typed, a
/// bookmark, a non-browser client): `Sec-Fetch-Site` and `Origin` agree.
pub fn same_origin(headers: &HeaderMap, base_url: Option<&str>) -> bool {
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && !matches!(site, "same-origin" | "none")
    {
        return false;
    }
    let Some(origin) = text(header::ORIGIN) else {
        return true;
    };
    if origin == "null" {
        return false;
    }
    match base_url {
        Some(base) => origin.eq_ignore_ascii_case(base),
        None => {
            let host = text(header::HOST).unwrap_or("");
            origin
                .split_once("://")
                .is_some_and(|(_, rest)| rest.eq_ignore_ascii_case(host))
        }
    }
}

/// The method as a label without allocating; the rare others grouped.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn the_origin_must_match_the_host_or_base_url() {
        assert!(same_origin(
            &headers(&[
                ("host", "localhost:8080"),
                ("origin", "http://localhost:8080")
            ]),
            None
        ));
        assert!(!same_origin(
            &headers(&[
                ("host", "localhost:8080"),
                ("origin", "http://evil.example")
            ]),
            None
        ));
        assert!(same_origin(
            &headers(&[("origin", "https://feedback.gov.uk")]),
            Some("https://feedback.gov.uk")
        ));
        assert!(!same_origin(
            &headers(&[("origin", "http://feedback.gov.uk")]),
            Some("https://feedback.gov.uk")
        ));
        assert!(!same_origin(
            &headers(&[("sec-fetch-site", "cross-site")]),
            None
        ));
        assert!(
            same_origin(&headers(&[]), None),
            "non-browser clients rely on the form token"
        );
    }
}
