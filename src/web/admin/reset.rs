//! `/admin/reset/{token}`: an officer sets a new password with the one-time
//! link an admin sent them. Not a sign-in: afterwards they sign in as usual.

use crate::domain::form::FormData;
use crate::error::{AppError, AppResult};
use crate::officers::{self, NewPasswordError};
use crate::store;
use crate::templates::render;
use crate::web::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;

/// What the form's signed token is for.
const RESET_FORM: &str = "admin-reset";

fn page(
    state: &AppState,
    link_token: &str,
    email: Option<&str>,
    error: Option<&str>,
    status: StatusCode,
) -> AppResult<Response> {
    let token = state
        .signer
        .issue(RESET_FORM, 0, state.clock.now(), &mut rand::rng());
    let title = match (email, error) {
        (None, _) => "Link expired",
        (_, Some(_)) => "Error: Set a new password",
        _ => "Set a new password",
    };
    let html = render(
        "admin/reset.html",
        context! { page_title => title, expired => email.is_none(), email, error, token, link_token },
    )?;
    let mut response = (status, html).into_response();
    // The link's token is in this page's address: keep it out of caches and referrers.
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    Ok(response)
}

/// The form to set a new password, or why the link no longer works.
///
/// # Errors
/// The database's error.
pub async fn form(State(state): State<AppState>, Path(token): Path<String>) -> AppResult<Response> {
    let officer = store::password_resets::officer_for(&state.db, &token, state.clock.now()).await?;
    match officer {
        Some(o) => page(&state, &token, Some(&o.email), None, StatusCode::OK),
        None => page(&state, &token, None, None, StatusCode::GONE),
    }
}

/// Sets the new password, then sends the officer to sign in with it.
///
/// # Errors
/// The database's error; a weak password shows the form again.
#[tracing::instrument(skip_all)]
pub async fn submit(
    State(state): State<AppState>,
    Path(token): Path<String>,
    body: Bytes,
) -> AppResult<Response> {
    let form = FormData::parse(&body).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let now = state.clock.now();
    let officer = store::password_resets::officer_for(&state.db, &token, now).await?;
    let Some(officer) = officer else {
        return page(&state, &token, None, None, StatusCode::GONE);
    };
    if state
        .signer
        .verify(RESET_FORM, form.get("form_token").unwrap_or(""), now)
        .is_err()
    {
        let message = "The page had expired. Enter your new password again";
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return page(&state, &token, Some(&officer.email), Some(message), status);
    }
    let password = form.get("password").unwrap_or("").to_string();
    match officers::set_password_with_link(&state.db, &token, password, now).await {
        Ok(_) => Ok(Redirect::to("/admin/login?reset=1").into_response()),
        Err(NewPasswordError::Invalid(message)) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            page(&state, &token, Some(&officer.email), Some(&message), status)
        }
        Err(NewPasswordError::LinkNotValid) => page(&state, &token, None, None, StatusCode::GONE),
        Err(NewPasswordError::Hashing(e)) => Err(AppError::Internal(e)),
        Err(NewPasswordError::Db(e)) => Err(e.into()),
    }
}
