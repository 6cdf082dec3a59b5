//! One error type for the web layer, mapped once to a response: the user
//! sees what to do, the log sees why.

use crate::web::render;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No such page, survey or reference.
    #[error("not found")]
    NotFound,
    /// The request cannot be read; the message says why and what to do.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// The request is refused (origin check, closed survey); the message says why.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The body is over the limit.
    #[error("payload too large")]
    PayloadTooLarge,
    /// The body is not a form.
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// Too many submissions from one address; try again after this many seconds.
    #[error("rate limited")]
    TooManyRequests(u64),
    /// The database failed; nothing was stored.
    #[error("database unavailable: {0}")]
    Unavailable(#[from] sea_orm::DbErr),
    /// A bug: a template or an invariant failed.
    #[error("internal error: {0}")]
    Internal(String),
}

/// The result type of handlers.
pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    fn parts(&self) -> (StatusCode, &'static str, String) {
        match self {
            Self::NotFound => (
                StatusCode::NOT_FOUND,
                "Page not found",
                "If you typed the web address, check it is correct. If you pasted it, check you copied the whole address.".into(),
            ),
            Self::BadRequest(m) => (StatusCode::BAD_REQUEST, "There is a problem with the form", m.clone()),
            Self::Forbidden(m) => (StatusCode::FORBIDDEN, "This request was refused", m.clone()),
            Self::PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "Your answers are too long to send",
                "The form sent more than 64 KB. Shorten your longest answers, then send the form again.".into(),
            ),
            Self::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "There is a problem with the form",
                "The answers were not sent as a web form. Send them from the survey page.".into(),
            ),
            Self::TooManyRequests(after) => (
                StatusCode::TOO_MANY_REQUESTS,
                "You have sent a lot of answers in a short time",
                format!("To protect the service, wait {after} seconds, then go back and send your answers again."),
            ),
            Self::Unavailable(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "Sorry, there is a problem with the service",
                "Your answers have not been saved. Go back and try again in a few minutes.".into(),
            ),
            Self::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Sorry, there is a problem with the service",
                "Your answers have not been saved. Go back and try again later.".into(),
            ),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, heading, message) = self.parts();
        match &self {
            Self::Unavailable(e) => tracing::error!(error = %e, "database error"),
            Self::Internal(e) => tracing::error!(error = %e, "internal error"),
            _ => tracing::debug!(status = status.as_u16(), "request refused"),
        }
        let mut response = render::error_page(status, heading, &message);
        if let Self::TooManyRequests(after) = self
            && let Ok(value) = HeaderValue::from_str(&after.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("10"));
        }
        response
    }
}

impl From<minijinja::Error> for AppError {
    fn from(e: minijinja::Error) -> Self {
        Self::Internal(format!("template: {e:#}"))
    }
}
