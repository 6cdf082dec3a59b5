//! One error type for the web layer, mapped once to a response: the user
//! sees what to do, the log sees why (the whole chain of causes). The
//! errors of the layers below (writing responses, digests, exports, the
//! database) are turned into it here and nowhere else.

use crate::digest::DigestError;
use crate::export::ExportError;
use crate::store::responses::WriteError;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sea_orm::DbErr;

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
    /// The request was not answered in time (a client stopped sending).
    #[error("request timeout")]
    RequestTimeout,
    /// Too many submissions from one address; try again after this many seconds.
    #[error("rate limited")]
    TooManyRequests(u64),
    /// The database cannot be reached or failed; nothing was stored. The
    /// text is the chain of causes, for the log.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// A bug: a template or an invariant failed. The text is for the log.
    #[error("internal error: {0}")]
    Internal(String),
}

/// The result type of handlers.
pub type AppResult<T> = Result<T, AppError>;

/// An error and its causes, one after another, for the log.
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.ends_with(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

impl From<DbErr> for AppError {
    fn from(e: DbErr) -> Self {
        match e {
            DbErr::RecordNotFound(_) => Self::NotFound,
            other => Self::Unavailable(chain(&other)),
        }
    }
}

impl From<WriteError> for AppError {
    fn from(e: WriteError) -> Self {
        match e {
            WriteError::Db(db) => db.into(),
            WriteError::Unreachable(_) | WriteError::WriterStopped => Self::Unavailable(chain(&e)),
            WriteError::NoFreeReference => Self::Internal(chain(&e)),
        }
    }
}

impl From<DigestError> for AppError {
    fn from(e: DigestError) -> Self {
        match e {
            DigestError::Db(db) => db.into(),
            DigestError::UnknownWorkstream(_) => Self::NotFound,
            DigestError::Template(_) => Self::Internal(chain(&e)),
        }
    }
}

impl From<ExportError> for AppError {
    fn from(e: ExportError) -> Self {
        match e {
            ExportError::Filter(f) => Self::BadRequest(format!("The export filter {f}")),
            ExportError::Db(db) => db.into(),
            other => Self::Internal(chain(&other)),
        }
    }
}

impl From<minijinja::Error> for AppError {
    fn from(e: minijinja::Error) -> Self {
        Self::Internal(format!("template: {e:#}"))
    }
}

impl AppError {
    /// The status, and the page's heading and message in the language of
    /// the request (officers' pages are English).
    fn parts(&self) -> (StatusCode, String, String) {
        use crate::domain::lang::Arg;
        use crate::i18n::{current, text, text_in};
        match self {
            Self::NotFound => (
                StatusCode::NOT_FOUND,
                text("error-404-title"),
                text("error-404-body"),
            ),
            Self::BadRequest(m) => (StatusCode::BAD_REQUEST, text("error-400-title"), m.clone()),
            Self::Forbidden(m) => (StatusCode::FORBIDDEN, text("error-403-title"), m.clone()),
            Self::PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                text("error-413-title"),
                text("error-413-body"),
            ),
            Self::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                text("error-400-title"),
                text("error-415-body"),
            ),
            Self::RequestTimeout => (
                StatusCode::REQUEST_TIMEOUT,
                text("error-408-title"),
                text("error-408-body"),
            ),
            Self::TooManyRequests(after) => (
                StatusCode::TOO_MANY_REQUESTS,
                text("error-429-title"),
                text_in(
                    current(),
                    "error-429-body",
                    &[(
                        "seconds",
                        Arg::Number(i64::try_from(*after).unwrap_or(i64::MAX)),
                    )],
                ),
            ),
            Self::Unavailable(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                text("error-503-title"),
                text("error-503-body"),
            ),
            Self::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                text("error-503-title"),
                text("error-500-body"),
            ),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, heading, message) = self.parts();
        match &self {
            Self::Unavailable(cause) => tracing::error!(error = %cause, "database unavailable"),
            Self::Internal(cause) => tracing::error!(error = %cause, "internal error"),
            _ => tracing::debug!(status = status.as_u16(), "request refused"),
        }
        let mut response = error_page(status, &heading, &message);
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

/// A page for an error, falling back to plain text if the template fails.
fn error_page(status: StatusCode, heading: &str, message: &str) -> Response {
    let ctx = minijinja::context! { status => status.as_u16(), heading, message };
    match crate::templates::render("error.html", ctx) {
        Ok(html) => (status, html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "error page failed to render");
            (status, format!("{heading}\n\n{message}\n")).into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_layer_s_errors_get_the_status_a_user_should_see() {
        let status = |e: AppError| e.parts().0;
        let unreachable = DbErr::Conn(sea_orm::RuntimeErr::Internal("refused".into()));
        assert_eq!(status(unreachable.into()), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            status(DbErr::RecordNotFound("x".into()).into()),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            status(DigestError::UnknownWorkstream("nope".into()).into()),
            StatusCode::NOT_FOUND
        );
        let template = minijinja::Error::new(minijinja::ErrorKind::UndefinedError, "oops");
        assert_eq!(
            status(DigestError::Template(template).into()),
            StatusCode::INTERNAL_SERVER_ERROR,
            "a template bug is not 'the database is unavailable'"
        );
        assert_eq!(
            status(WriteError::WriterStopped.into()),
            StatusCode::SERVICE_UNAVAILABLE
        );
        assert_eq!(
            status(WriteError::NoFreeReference.into()),
            StatusCode::INTERNAL_SERVER_ERROR
        );
        assert_eq!(
            status(ExportError::Closed.into()),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }

    #[test]
    fn the_log_gets_the_chain_of_causes() {
        let io = std::io::Error::other("disk full");
        let e = AppError::from(ExportError::Io(io));
        assert!(
            matches!(&e, AppError::Internal(text) if text.contains("disk full")),
            "{e:?}"
        );
    }
}
