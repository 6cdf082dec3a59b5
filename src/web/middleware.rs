//! Cross-cutting protections and measurements: security headers, the origin
//! check on state changes, the submission rate limit and request metrics.

use crate::error::AppError;
use crate::web::AppState;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;
use std::time::Instant;

const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; \
                   frame-ancestors 'none'; base-uri 'none'";

/// Adds the security headers to every response, error pages included.
pub async fn security_headers(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let officers_page = request.uri().path().starts_with("/admin");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let has_cache_control = headers.contains_key(header::CACHE_CONTROL);
    let has_csp = headers.contains_key(header::CONTENT_SECURITY_POLICY);
    let has_referrer_policy = headers.contains_key(header::REFERRER_POLICY);
    let mut set = |name: &'static str, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    if !has_csp {
        set("content-security-policy", CSP);
    }
    set("x-content-type-options", "nosniff");
    if !has_referrer_policy {
        set("referrer-policy", "same-origin");
    }
    set("x-frame-options", "DENY");
    set("cross-origin-opener-policy", "same-origin");
    set(
        "permissions-policy",
        "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    );
    if state
        .config
        .base_url
        .as_deref()
        .is_some_and(|u| u.starts_with("https://"))
    {
        set(
            "strict-transport-security",
            "max-age=31536000; includeSubDomains",
        );
    }
    if officers_page {
        // Officers' pages hold personal data: never kept in any cache.
        set("cache-control", "no-store");
    } else if !has_cache_control {
        set("cache-control", "no-cache");
    }
    response
}

/// Refuses state changes sent from another site (the signed form token is the second check).
pub async fn origin_check(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe
        && !checks_its_own_origin(request.uri().path())
        && !same_origin(request.headers(), state.config.base_url.as_deref())
    {
        return AppError::Forbidden(
            "The form was sent from another website. Open the survey on this site and send it from there.".into(),
        )
        .into_response();
    }
    next.run(request).await
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

/// Answers `408` with the service's error page when a request is not
/// answered within `REQUEST_TIMEOUT_SECONDS` (a client that stops sending
/// its body, a query that hangs).
pub async fn request_timeout(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let limit = std::time::Duration::from_secs(u64::from(state.config.request_timeout_seconds));
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => AppError::RequestTimeout.into_response(),
    }
}

/// Refuses a body announced as over the limit before reading any of it
/// (the extractors' own limit still catches bodies without a length).
pub async fn announced_body_limit(request: Request, next: Next) -> Response {
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let limit = crate::web::admin::body_limit(request.uri().path());
    if announced.is_some_and(|n| n > limit as u64) {
        return AppError::PayloadTooLarge.into_response();
    }
    next.run(request).await
}

/// Limits survey submissions per client IP.
pub async fn submit_rate_limit(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    if request.method() == Method::POST
        && (path.starts_with("/surveys/") || path.starts_with("/e/"))
    {
        let ip = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        if let Some(ip) = ip
            && let Err(after) = state.submit_limiter.check(ip, Instant::now())
        {
            metrics::counter!("submissions_rate_limited_total").increment(1);
            return AppError::TooManyRequests(after).into_response();
        }
    }
    next.run(request).await
}

/// Counts requests by route and status, and times them.
pub async fn record_metrics(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let method = method_label(request.method());
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("http_requests_total", "method" => method, "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("http_request_duration_seconds", "method" => method, "route" => route)
        .record(started.elapsed().as_secs_f64());
    response
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
