//! The API's errors as `application/problem+json` (RFC 9457): a type, a
//! title, the status and what to do about it.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// An error, as RFC 9457 describes it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// What kind of problem: `about:blank` or a name under this service.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong and how to put it right.
    pub detail: String,
    /// For a bad parameter: its name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
    /// For a rate limit: seconds to wait.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

impl Problem {
    fn new(status: StatusCode, title: &str, detail: String) -> Self {
        Self {
            kind: "about:blank".into(),
            title: title.into(),
            status: status.as_u16(),
            detail,
            parameter: None,
            retry_after: None,
        }
    }

    /// 401: no token, or one not known.
    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "Send a live API token as `Authorization: Bearer TOKEN`; an admin makes one with `tokens create` or on /admin/tokens.".into(),
        )
    }

    /// 404: no such survey, or no such address.
    pub fn not_found(detail: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, "Not Found", detail.into())
    }

    /// 400: a parameter that cannot be used, named.
    pub fn bad_parameter(parameter: &str, detail: String) -> Self {
        Self {
            parameter: Some(parameter.into()),
            ..Self::new(StatusCode::BAD_REQUEST, "Bad Request", detail)
        }
    }

    /// 429: over the token's limit.
    pub fn too_many(after: u64) -> Self {
        Self {
            retry_after: Some(after),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "Too Many Requests",
                format!(
                    "This token has made API_RATE_LIMIT requests this minute; try again in {after} seconds."
                ),
            )
        }
    }

    /// 503: the database failed; nothing to fix but waiting.
    pub fn unavailable(e: &dyn std::fmt::Display) -> Self {
        tracing::error!(error = %e, "API request failed");
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "Service Unavailable",
            "The database did not answer; try again in a minute.".into(),
        )
    }
}

impl From<sea_orm::DbErr> for Problem {
    fn from(e: sea_orm::DbErr) -> Self {
        Self::unavailable(&e)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, axum::Json(&self)).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(after) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(after));
        }
        response
    }
}
