//! `/admin/users`: admins list, add and disable officers.

use super::render_page;
use crate::app::AppState;
use crate::domain::form::FormData;
use crate::domain::officer::{Role, normalise_email};
use crate::error::{AppError, AppResult};
use crate::officers::{self, AddOfficerError};
use crate::store::{self, sessions::Session};
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::Serde;
use serde::Deserialize;

/// Messages after a change.
#[derive(Debug, Deserialize)]
pub struct UsersQuery {
    added: Option<String>,
    disabled: Option<String>,
}

async fn page(
    state: &AppState,
    session: &Session,
    form: &FormData,
    error: Option<(&str, String)>,
    notice: Option<String>,
) -> AppResult<Response> {
    let users = store::users::list(&state.db).await?;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let html = render_page(
        "admin/users.html",
        session,
        "users",
        context! {
            page_title => if error.is_some() { "Error: Users" } else { "Users" },
            users => Serde(&users),
            error => error.map(|(field, message)| context! { field, message }),
            notice,
            email => form.get("email").unwrap_or(""),
            name => form.get("name").unwrap_or(""),
            role => form.get("role").unwrap_or("analyst"),
        },
    )?;
    Ok((status, html).into_response())
}

/// The list of officers and the form to add one.
///
/// # Errors
/// The database's error.
pub async fn list(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Query(q): Query<UsersQuery>,
) -> AppResult<Response> {
    let notice = match (q.added, q.disabled) {
        (Some(e), _) => Some(format!("{e} was added.")),
        (_, Some(e)) => Some(format!("{e} was disabled and signed out.")),
        _ => None,
    };
    page(&state, &session, &FormData::default(), None, notice).await
}

/// Adds an officer.
///
/// # Errors
/// The database's error.
#[tracing::instrument(skip_all)]
pub async fn add(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    body: Bytes,
) -> AppResult<Response> {
    let form = FormData::parse(&body).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let role = match Role::parse(form.get("role").unwrap_or("")) {
        Ok(role) => role,
        Err(_) => {
            return page(
                &state,
                &session,
                &form,
                Some(("role", "Select a role".into())),
                None,
            )
            .await;
        }
    };
    let (email, name, password) = (
        form.get("email").unwrap_or(""),
        form.get("name").unwrap_or(""),
        form.get("password").unwrap_or("").to_string(),
    );
    match officers::add(&state.db, email, name, role, password, state.clock.now()).await {
        Ok(officer) => {
            let to = format!(
                "/admin/users?{}",
                serde_urlencoded::to_string([("added", officer.email)]).unwrap_or_default()
            );
            Ok(Redirect::to(&to).into_response())
        }
        Err(AddOfficerError::Invalid(field, message)) => {
            page(&state, &session, &form, Some((field, message)), None).await
        }
        Err(AddOfficerError::Db(e)) => Err(e.into()),
    }
}

/// Disables an officer and ends their sessions.
///
/// # Errors
/// The database's error.
#[tracing::instrument(skip_all)]
pub async fn disable(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    body: Bytes,
) -> AppResult<Response> {
    let form = FormData::parse(&body).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let email = normalise_email(form.get("email").unwrap_or("")).map_err(AppError::BadRequest)?;
    if email == session.officer.email {
        return Err(AppError::Forbidden(
            "You cannot disable yourself. Ask another admin.".into(),
        ));
    }
    if !store::users::disable(&state.db, &email).await? {
        return Err(AppError::NotFound);
    }
    let detail = serde_json::json!({ "email_domain": email.split('@').nth(1).unwrap_or("") });
    store::audit::record(
        &state.db,
        state.clock.now(),
        Some(session.officer.id),
        "user_disabled",
        detail,
    )
    .await?;
    let to = format!(
        "/admin/users?{}",
        serde_urlencoded::to_string([("disabled", email)]).unwrap_or_default()
    );
    Ok(Redirect::to(&to).into_response())
}
