//! One response by its reference; an admin can delete one (spam), and the
//! deletion is recorded in the audit log.

use super::render_page;
use crate::app::AppState;
use crate::domain::officer::Role;
use crate::domain::reference::Reference;
use crate::error::{AppError, AppResult};
use crate::store::{self, sessions::Session};
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::Serde;
use sea_orm::TransactionTrait;
use serde::Deserialize;

/// The lookup form's query.
#[derive(Debug, Deserialize)]
pub struct LookupQuery {
    #[serde(rename = "ref")]
    reference: Option<String>,
    deleted: Option<String>,
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
        "admin/responses.html",
        &session,
        "responses",
        context! { page_title => if error.is_some() { "Error: Responses" } else { "Responses" }, typed, error, deleted => query.deleted },
    )?;
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
    let survey = store::responses::detail(&state.db, &reference)
        .await?
        .ok_or(AppError::NotFound)?
        .survey;
    let txn = state.db.begin().await?;
    store::responses::delete(&txn, &reference).await?;
    let detail = serde_json::json!({ "reference": reference.as_str(), "survey": survey });
    store::audit::record(
        &txn,
        state.clock.now(),
        Some(session.officer.id),
        "response_deleted",
        detail,
    )
    .await?;
    txn.commit().await?;
    tracing::info!(officer_id = session.officer.id, "response deleted");
    Ok(Redirect::to(&format!("/admin/responses?deleted={reference}")).into_response())
}
