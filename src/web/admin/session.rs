//! The session cookie: reading it, setting it at sign-in, clearing it.

use crate::error::AppResult;
use crate::store::{self, sessions::Session};
use crate::web::AppState;
use axum::http::{HeaderMap, HeaderValue, header};

/// The cookie's name.
pub const COOKIE: &str = "cf_session";

/// The session of the request, if its cookie names a live one.
///
/// # Errors
/// The database's error.
pub async fn current(state: &AppState, headers: &HeaderMap) -> AppResult<Option<Session>> {
    let Some(token) = cookie(headers, COOKIE) else {
        return Ok(None);
    };
    let now = state.clock.now();
    Ok(store::sessions::find(&state.db, &token, now, state.config.session_lifetimes()).await?)
}

/// A cookie's value from the `Cookie` headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// `Set-Cookie` for a new session: HttpOnly, SameSite=Lax, Secure over https.
pub fn set_cookie(token: &str, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{COOKIE}={token}; Path=/admin; HttpOnly; SameSite=Lax{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("cf_session=; Path=/admin"))
}

/// `Set-Cookie` that removes the session cookie.
pub fn clear_cookie() -> HeaderValue {
    HeaderValue::from_static("cf_session=; Path=/admin; HttpOnly; SameSite=Lax; Max-Age=0")
}
