//! The request metrics' handles (`http_requests_total`,
//! `http_request_duration_seconds`), asked of the recorder once per method,
//! route and status rather than per request: building the labelled key
//! allocated two strings and hashed it into the registry on every request.

use metrics::{Counter, Histogram};
use std::collections::HashMap;
use std::sync::{LazyLock, RwLock};

/// A method, route and status's two handles.
#[derive(Clone)]
struct Handles {
    requests: Counter,
    duration: Histogram,
}

/// Handles by route, then by method and status. Routes are the router's
/// patterns (plus "unmatched"), so this stays as small as the router.
type ByRoute = HashMap<String, HashMap<(&'static str, u16), Handles>>;

/// One per process, like the recorder they come from (installed when the
/// application is built, before any request: a handle taken earlier would
/// record nowhere).
static HANDLES: LazyLock<RwLock<ByRoute>> = LazyLock::new(RwLock::default);

/// Counts a request and records how long it took.
pub fn record(method: &'static str, route: &str, status: u16, seconds: f64) {
    let handles = cached(method, route, status).unwrap_or_else(|| register(method, route, status));
    handles.requests.increment(1);
    handles.duration.record(seconds);
}

fn cached(method: &'static str, route: &str, status: u16) -> Option<Handles> {
    let by_route = HANDLES.read().ok()?;
    by_route.get(route)?.get(&(method, status)).cloned()
}

fn register(method: &'static str, route: &str, status: u16) -> Handles {
    let label = status.to_string();
    let handles = Handles {
        requests: metrics::counter!("http_requests_total", "method" => method, "route" => route.to_string(), "status" => label),
        duration: metrics::histogram!("http_request_duration_seconds", "method" => method, "route" => route.to_string()),
    };
    if let Ok(mut by_route) = HANDLES.write() {
        by_route
            .entry(route.to_string())
            .or_default()
            .insert((method, status), handles.clone());
    }
    handles
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_request_is_counted_under_its_method_route_and_status() {
        let handle = crate::telemetry::metrics_handle();
        for _ in 0..3 {
            record("GET", "/test/{metrics}", 200, 0.001);
        }
        record("GET", "/test/{metrics}", 404, 0.3);
        record("POST", "/test/{metrics}", 200, 0.001);
        let text = handle.render();
        for line in [
            r#"http_requests_total{method="GET",route="/test/{metrics}",status="200"} 3"#,
            r#"http_requests_total{method="GET",route="/test/{metrics}",status="404"} 1"#,
            r#"http_requests_total{method="POST",route="/test/{metrics}",status="200"} 1"#,
            r#"http_request_duration_seconds_count{method="GET",route="/test/{metrics}"} 4"#,
            r#"http_request_duration_seconds_bucket{method="GET",route="/test/{metrics}",le="0.25"} 3"#,
        ] {
            assert!(text.contains(line), "{line} in:\n{text}");
        }
    }
}
