//! `/admin/tokens`: admins make API tokens for officers (shown once),
//! see when each was last used, and revoke them.

use super::{redirect_with_notice, render_page};
use crate::domain::form::FormData;
use crate::error::{AppError, AppResult};
use crate::store::{self, sessions::Session};
use crate::web::AppState;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use minijinja::context;
use minijinja::value::Serde;

async fn page(
    state: &AppState,
    session: &Session,
    made: Option<(String, String)>,
    error: Option<(&str, String)>,
) -> AppResult<Response> {
    let tz = state.config.timezone;
    let when = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map(|t| t.with_timezone(&tz).format("%-d %b %Y %H:%M").to_string())
    };
    let tokens: Vec<_> = store::api_tokens::list(&state.db)
        .await?
        .into_iter()
        .map(|t| {
            context! {
                created => when(Some(t.created_at)), used => when(t.last_used_at),
                revoked => when(t.revoked_at), t => Serde(t),
            }
        })
        .collect();
    let officers: Vec<_> = store::users::list(&state.db)
        .await?
        .into_iter()
        .filter(|o| !o.disabled)
        .collect();
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let html = render_page(
        state,
        "admin/tokens.html",
        session,
        "tokens",
        context! {
            page_title => if error.is_some() { "Error: API tokens" } else { "API tokens" },
            tokens, officers => Serde(&officers),
            made => made.map(|(token, email)| context! { token, email }),
            error => error.map(|(field, message)| context! { field, message }),
        },
    )
    .await?;
    Ok((status, html).into_response())
}

/// The tokens and the form to make one.
///
/// # Errors
/// The database's error.
pub async fn list(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
) -> AppResult<Response> {
    page(&state, &session, None, None).await
}

/// Makes a token and shows it, once.
///
/// # Errors
/// The database's error.
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    body: Bytes,
) -> AppResult<Response> {
    let form = FormData::parse(&body).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let name = form.get("name").unwrap_or("").trim();
    if name.is_empty() || name.chars().count() > 100 {
        let message = "Enter a name of 1 to 100 characters, such as “Power BI”".to_string();
        return page(&state, &session, None, Some(("name", message))).await;
    }
    let email = form.get("officer").unwrap_or("");
    let Some(officer) = store::users::by_email(&state.db, email)
        .await?
        .filter(|o| !o.disabled)
    else {
        let message = "Select the officer the token acts for".to_string();
        return page(&state, &session, None, Some(("officer", message))).await;
    };
    let by = (Some(session.officer.id), state.clock.now());
    let (_, token) = store::api_tokens::create(&state.db, &officer, name, by).await?;
    page(&state, &session, Some((token, officer.email)), None).await
}

/// Revokes a token.
///
/// # Errors
/// The database's error.
pub async fn revoke(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    body: Bytes,
) -> AppResult<Response> {
    let form = FormData::parse(&body).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let id: i32 = form.get("id").and_then(|i| i.parse().ok()).unwrap_or(0);
    let by = (Some(session.officer.id), state.clock.now());
    let notice = if store::api_tokens::revoke(&state.db, id, by).await? {
        format!("Token {id} was revoked: it stopped working at once.")
    } else {
        "That token was already revoked.".to_string()
    };
    redirect_with_notice(&state, &session, "/admin/tokens", &notice).await
}
