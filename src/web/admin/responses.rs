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
    // Question texts and option labels of the version answered, not codes.
    let answers: Vec<(String, String)> = detail
        .answers
        .iter()
        .map(
            |(key, stored)| match detail.questions.iter().find(|q| &q.key == key) {
                Some(q) => (q.text.clone(), q.in_words(stored)),
                None => (key.clone(), stored.clone()),
            },
        )
        .collect();
    let tz = state.config.timezone;
    let submitted = detail
        .submitted_at
        .with_timezone(&tz)
        .format("%-d %B %Y at %H:%M %Z")
        .to_string();
    let sector = detail
        .other_organisation_sector
        .as_deref()
        .map(crate::domain::answer::sector_label);
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
            submitted,
            sector,
            channel => crate::domain::answer::channel_label(&detail.channel),
            council,
            can_delete,
            show_contact => can_delete,
        },
    )
    .await
}

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
