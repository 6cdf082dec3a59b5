//! The campaign as TOML: "Download as TOML" gives exactly what
//! `campaign export` gives (the published campaign, or the draft), and
//! "Upload TOML" takes exactly what `campaign import` takes, as a draft.

use super::working;
use crate::editor::{self, UploadError};
use crate::error::{AppError, AppResult};
use crate::store::sessions::Session;
use crate::web::AppState;
use crate::web::admin::multipart::{self, Part};
use crate::web::admin::{redirect_with_notice, render_page};
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use minijinja::context;

/// The most a campaign file may hold.
pub const UPLOAD_LIMIT: usize = 1024 * 1024;

fn toml_file(name: &str, text: String) -> Response {
    let disposition = format!("attachment; filename=\"{name}\"");
    let headers = [
        (
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/toml; charset=utf-8"),
        ),
        (
            header::CONTENT_DISPOSITION,
            HeaderValue::from_str(&disposition)
                .unwrap_or_else(|_| HeaderValue::from_static("attachment")),
        ),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
    ];
    (headers, text).into_response()
}

/// The published campaign as `campaign export` writes it.
///
/// # Errors
/// A campaign never published (404); the database's error.
pub async fn published(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let working = working(&state, &slug).await?;
    let def = working.published.ok_or(AppError::NotFound)?;
    let text = def
        .to_toml()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(toml_file(&format!("{slug}.toml"), text))
}

/// The draft, in the same form.
///
/// # Errors
/// A campaign with no draft (404); the database's error.
pub async fn draft(State(state): State<AppState>, Path(slug): Path<String>) -> AppResult<Response> {
    let working = working(&state, &slug).await?;
    let draft = working.draft.ok_or(AppError::NotFound)?;
    let text = draft
        .definition
        .to_toml()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(toml_file(&format!("{slug}-draft.toml"), text))
}

async fn upload_page(
    state: &AppState,
    session: &Session,
    error: Option<String>,
) -> AppResult<Response> {
    let (status, title) = super::status_and_title(error.is_some(), "Upload a campaign file");
    let html = render_page(
        state,
        "admin/campaigns/upload.html",
        session,
        "campaigns",
        context! { page_title => title, error },
    )
    .await?;
    Ok((status, html).into_response())
}

/// The form to upload a campaign file.
///
/// # Errors
/// The database's error.
pub async fn upload_form(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
) -> AppResult<Response> {
    upload_page(&state, &session, None).await
}

/// Opens a draft of the uploaded file, checked as `campaign import` checks it.
///
/// # Errors
/// A body that is not a multipart form (400); the database's error.
#[tracing::instrument(skip_all)]
pub async fn upload(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<Response> {
    let parts = multipart::upload(&headers, body).await?;
    let file = parts.iter().find(|p| p.name == "file");
    let (name, data) = match file {
        Some(Part {
            file_name: Some(name),
            data,
            ..
        }) if !name.is_empty() => (name.as_str(), data.as_ref()),
        _ => ("", &b""[..]),
    };
    let by = (session.officer.id, state.clock.now());
    match editor::upload(&state.db, (name, data), by).await {
        Ok(draft) => {
            let to = format!("/admin/campaigns/{}", draft.definition.slug);
            let notice = format!(
                "{name} was uploaded as a draft of {}. Check it, then review and publish it.",
                draft.definition.title
            );
            redirect_with_notice(&state, &session, &to, &notice).await
        }
        Err(UploadError::Db(e)) => Err(e.into()),
        Err(UploadError::Open(newer)) => {
            let message = format!(
                "The file was not uploaded: this campaign already has a draft ({}). Publish or discard that draft first, then upload the file again",
                super::stale(&state, &newer)
                    .message
                    .split_once(": ")
                    .map_or("", |(_, rest)| rest)
                    .split(". The page")
                    .next()
                    .unwrap_or("")
            );
            upload_page(&state, &session, Some(message)).await
        }
        Err(e) => upload_page(&state, &session, Some(e.to_string())).await,
    }
}
