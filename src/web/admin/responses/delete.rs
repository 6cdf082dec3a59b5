//! Deleting a response (spam, a mistake): a page that asks first, naming
//! it, then the deletion, recorded with who did it.

use super::super::{redirect_with_notice, render_page};
use crate::domain::reference::Reference;
use crate::error::{AppError, AppResult};
use crate::store::{self, sessions::Session};
use crate::web::AppState;
use axum::Extension;
use axum::extract::{Path, State};
use axum::response::{Html, Response};
use minijinja::context;

/// Asks an admin to confirm a deletion, naming the response.
///
/// # Errors
/// [`AppError::NotFound`] for an unknown reference; the database's error.
pub async fn confirm_delete(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(reference): Path<String>,
) -> AppResult<Html<String>> {
    let reference = Reference::parse(&reference).ok_or(AppError::NotFound)?;
    let detail = store::responses::detail(&state.db, &reference)
        .await?
        .ok_or(AppError::NotFound)?;
    let when = detail
        .submitted_at
        .with_timezone(&state.config.timezone)
        .format("%-d %B %Y at %H:%M")
        .to_string();
    render_page(
        &state,
        "admin/delete_response.html",
        &session,
        "responses",
        context! {
            page_title => format!("Delete response {reference}"),
            reference => reference.as_str(),
            about => format!("to “{}” sent on {when}", detail.survey_title),
        },
    )
    .await
}

/// Deletes a response (admins only), recording who and when.
///
/// # Errors
/// [`AppError::NotFound`] for an unknown reference; the database's error.
#[tracing::instrument(skip_all)]
pub async fn delete(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(reference): Path<String>,
) -> AppResult<Response> {
    let reference = Reference::parse(&reference).ok_or(AppError::NotFound)?;
    let now = state.clock.now();
    if !store::responses::delete_recorded(&state.db, &reference, session.officer.id, now).await? {
        return Err(AppError::NotFound);
    }
    tracing::info!(officer_id = session.officer.id, "response deleted");
    let notice = format!("Response {reference} was deleted. The deletion is recorded.");
    redirect_with_notice(&state, &session, "/admin/responses", &notice).await
}
