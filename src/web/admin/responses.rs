//! One response by its reference; an admin can delete one (spam), and the
//! deletion is recorded in the audit log.

use super::{redirect_with_notice, render_page};
use crate::domain::officer::Role;
use crate::domain::reference::Reference;
use crate::error::{AppError, AppResult};
use crate::store::{self, sessions::Session};
use crate::web::AppState;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::Serde;
use serde::Deserialize;

/// The lookup form's query.
#[derive(Debug, Deserialize)]
pub struct LookupQuery {
    #[serde(rename = "ref")]
    reference: Option<String>,
}

/// Finds a response by the reference a respondent quotes.
///
/// # Errors
/// The database's error.
pub async fn lookup(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Query(query): Query<LookupQuery>,
) -> AppResult<Response> {
    let typed = query.reference.unwrap_or_default();
    let error = if typed.trim().is_empty() {
        None
    } else {
        match Reference::parse(&typed) {
            Some(r) if store::responses::detail(&state.db, &r).await?.is_some() => {
                return Ok(Redirect::to(&format!("/admin/responses/{r}")).into_response());
            }
            Some(_) => Some("No response has this reference. Check it and try again."),
            None => Some("A reference is 8 letters and digits, like K7QMX3TA"),
        }
    };
    let html = render_page(
        &state,
        "admin/responses.html",
        &session,
        "responses",
        context! { page_title => if error.is_some() { "Error: Responses" } else { "Responses" }, typed, error },
    )
    .await?;
    Ok(html.into_response())
}

/// Shows one response.
///
/// # Errors
/// [`AppError::NotFound`] for an unknown reference; the database's error.
pub async fn get(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(reference): Path<String>,
) -> AppResult<Html<String>> {
    let reference = Reference::parse(&reference).ok_or(AppError::NotFound)?;
    let detail = store::responses::detail(&state.db, &reference)
        .await?
        .ok_or(AppError::NotFound)?;
    let texts: std::collections::HashMap<_, _> = detail
        .questions
        .iter()
        .map(|q| (q.key.clone(), q.text.clone()))
        .collect();
    let answers: Vec<(String, String)> = detail
        .answers
        .iter()
        .map(|(k, v)| {
            (
                texts.get(k).cloned().unwrap_or_else(|| k.clone()),
                v.clone(),
            )
        })
        .collect();
    let council = match &detail.organisation_code {
        Some(code) => store::organisations::name(&state.db, code).await?,
        None => None,
    };
    let can_delete = session.officer.role == Role::Admin;
    render_page(
        &state,
        "admin/response.html",
        &session,
        "responses",
        context! {
            page_title => format!("Response {}", detail.reference),
            r => Serde(&detail),
            answers,
            council,
            can_delete,
            show_contact => can_delete,
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
