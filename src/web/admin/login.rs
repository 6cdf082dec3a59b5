//! Signing in and out: same message and about the same time for an unknown
//! email and a wrong password; failures throttled per account and address.

use super::session;
use crate::domain::form::FormData;
use crate::domain::officer::normalise_email;
use crate::error::{AppError, AppResult};
use crate::store::{self, sessions::Session};
use crate::templates::render;
use crate::web::AppState;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use serde::Deserialize;
use std::net::SocketAddr;
use std::sync::LazyLock;

/// What the sign-in form signs its token for (it is not a survey).
const LOGIN_FORM: &str = "admin-login";

/// Verified instead of a real hash for unknown emails, so both take as long.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| password_auth::generate_hash("no officer has this password"));

/// The query of the sign-in page.
#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    signed_out: Option<String>,
    reset: Option<String>,
}

/// Where to go after signing in: a local `/admin` path of visible ASCII
/// only (no CR, LF or other control character can reach the `Location`).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with("/admin")
                && !n.starts_with("//")
                && !n.contains('\\')
                && n.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            n.to_string()
        }
        _ => "/admin".into(),
    }
}

fn page(
    state: &AppState,
    next: &str,
    email: &str,
    error: Option<&str>,
    notice: Option<&str>,
    status: StatusCode,
) -> AppResult<Response> {
    let token = state
        .signer
        .issue(LOGIN_FORM, 0, state.clock.now(), &mut rand::rng());
    let html = render(
        "admin/login.html",
        context! { next, email, error, notice, token, page_title => if error.is_some() { "Error: Sign in" } else { "Sign in" } },
    )?;
    let mut response = (status, html).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// The sign-in form.
///
/// # Errors
/// A template bug.
pub async fn form(
    State(state): State<AppState>,
    Query(query): Query<LoginQuery>,
) -> AppResult<Response> {
    let notice = match (query.signed_out.is_some(), query.reset.is_some()) {
        (_, true) => Some("Your password has been changed. Sign in with your new password."),
        (true, _) => Some("You have signed out."),
        _ => None,
    };
    page(
        &state,
        &safe_next(query.next.as_deref()),
        "",
        None,
        notice,
        StatusCode::OK,
    )
}

/// Checks the credentials and starts a session.
///
/// # Errors
/// The database's error; a throttled attempt gets the form again (429)
/// saying how long to wait.
#[tracing::instrument(skip_all)]
pub async fn submit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    body: Bytes,
) -> AppResult<Response> {
    let form = FormData::parse(&body).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let next = safe_next(form.get("next"));
    let typed_email = form.get("email").unwrap_or("").trim().to_string();
    let password = form.get("password").unwrap_or("").to_string();
    let now = state.clock.now();
    if state
        .signer
        .verify(LOGIN_FORM, form.get("form_token").unwrap_or(""), now)
        .is_err()
    {
        let message = "The sign-in page had expired. Enter your email address and password again.";
        return page(
            &state,
            &next,
            &typed_email,
            Some(message),
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let account = normalise_email(&typed_email).unwrap_or_else(|_| typed_email.to_lowercase());
    let ip = peer.ip().to_string();
    if let Some(until) = store::sign_in::blocked_until(&state.db, &account, &ip, now).await? {
        // The officers' own page: the sign-in form, saying how long to wait.
        let seconds = (until - now).num_seconds().max(1) as u64;
        let message = format!(
            "There have been too many attempts to sign in to this account. To protect it, wait {seconds} seconds, then try again"
        );
        let mut response = page(
            &state,
            &next,
            &typed_email,
            Some(&message),
            None,
            StatusCode::TOO_MANY_REQUESTS,
        )?;
        if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        return Ok(response);
    }
    let found = store::users::credentials(&state.db, &account).await?;
    let hash = found
        .as_ref()
        .map_or_else(|| DUMMY_HASH.clone(), |(_, h)| h.clone());
    let matches = tokio::task::spawn_blocking(move || {
        password_auth::verify_password(password, &hash).is_ok()
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let officer = found.map(|(o, _)| o).filter(|o| matches && !o.disabled);
    let Some(officer) = officer else {
        store::sign_in::record_failure(&state.db, &account, &ip, now).await?;
        tracing::info!("sign-in failed");
        let message = "Enter a correct email address and password";
        return page(
            &state,
            &next,
            &typed_email,
            Some(message),
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    store::sign_in::clear(&state.db, &account, &ip).await?;
    let token =
        store::sessions::create(&state.db, officer.id, now, state.config.session_lifetimes())
            .await?;
    tracing::info!(officer_id = officer.id, "signed in");
    let mut response = Redirect::to(&next).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        session::set_cookie(&token, state.config.secure_cookies()),
    );
    Ok(response)
}

/// Ends the session on the server and clears the cookie.
///
/// # Errors
/// The database's error.
pub async fn logout(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
) -> AppResult<Response> {
    store::sessions::delete(&state.db, &session.id).await?;
    let mut response = Redirect::to("/admin/login?signed_out=1").into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session::clear_cookie());
    Ok(response)
}
