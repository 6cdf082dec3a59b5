//! The stylesheet, embedded in the binary: no CDN, nothing to deploy beside it.

use crate::error::AppError;
use axum::extract::Path;
use axum::http::header;
use axum::response::IntoResponse;

const APP_CSS: &str = include_str!("../../templates/assets/app.css");

/// Serves an embedded asset.
///
/// # Errors
/// [`AppError::NotFound`] for any other file.
pub async fn get(Path(file): Path<String>) -> Result<impl IntoResponse, AppError> {
    match file.as_str() {
        "app.css" => Ok((
            [
                (header::CONTENT_TYPE, "text/css; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            APP_CSS,
        )),
        _ => Err(AppError::NotFound),
    }
}
