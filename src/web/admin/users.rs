//! `/admin/users`: admins list, add and disable officers.

use super::{redirect_with_notice, render_page};
use crate::domain::form::FormData;
use crate::domain::officer::{Role, normalise_email};
use crate::error::{AppError, AppResult};
use crate::officers::{self, AddOfficerError, LinkSender, ResetLinkError};
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
    form: &FormData,
    error: Option<(&str, String)>,
) -> AppResult<Response> {
    let users = store::users::list(&state.db).await?;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let html = render_page(
        state,
        "admin/users.html",
        session,
        "users",
        context! {
            page_title => if error.is_some() { "Error: Users" } else { "Users" },
            users => Serde(&users),
            error => error.map(|(field, message)| context! { field, message }),
            email => form.get("email").unwrap_or(""),
            name => form.get("name").unwrap_or(""),
            role => form.get("role").unwrap_or("analyst"),
        },
    )
    .await?;
    Ok((status, html).into_response())
}

/// The list of officers and the form to add one.
///
/// # Errors
/// The database's error.
pub async fn list(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
) -> AppResult<Response> {
    page(&state, &session, &FormData::default(), None).await
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
            )
            .await;
        }
    };
    let (email, name, password) = (
        form.get("email").unwrap_or(""),
        form.get("name").unwrap_or(""),
        form.get("password").unwrap_or("").to_string(),
    );
    let by = (Some(session.officer.id), state.clock.now());
    match officers::add(&state.db, (email, name, role), password, by).await {
        Ok(officer) => {
            let notice = format!("{} was added.", officer.email);
            redirect_with_notice(&state, &session, "/admin/users", &notice).await
        }
        Err(AddOfficerError::Invalid(field, message)) => {
            page(&state, &session, &form, Some((field, message))).await
        }
        Err(AddOfficerError::Db(e)) => Err(e.into()),
        Err(e @ AddOfficerError::Hashing(_)) => Err(AppError::Internal(e.to_string())),
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
    let by = (Some(session.officer.id), state.clock.now());
    if !store::users::disable(&state.db, &email, by).await? {
        return Err(AppError::NotFound);
    }
    let notice = format!("{email} was disabled and signed out.");
    redirect_with_notice(&state, &session, "/admin/users", &notice).await
}

/// Lets a disabled officer sign in again.
///
/// # Errors
/// An unknown officer (404); the database's error.
#[tracing::instrument(skip_all)]
pub async fn enable(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    body: Bytes,
) -> AppResult<Response> {
    let form = FormData::parse(&body).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let email = normalise_email(form.get("email").unwrap_or("")).map_err(AppError::BadRequest)?;
    let by = (Some(session.officer.id), state.clock.now());
    if !store::users::enable(&state.db, &email, by).await? {
        return Err(AppError::NotFound);
    }
    let notice = format!("{email} can sign in again with their password.");
    redirect_with_notice(&state, &session, "/admin/users", &notice).await
}

/// Emails an officer a one-time link to set a new password.
///
/// # Errors
/// An unknown officer (404); the database's error. A mail server that
/// refuses is told on the page, and the link is not usable.
#[tracing::instrument(skip_all)]
pub async fn send_reset_link(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    body: Bytes,
) -> AppResult<Response> {
    let form = FormData::parse(&body).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let email = form.get("email").unwrap_or("");
    let sender = LinkSender {
        mailer: &state.mailer,
        from: &state.digest.from,
        base_url: &state.digest.base_url,
        timezone: state.config.timezone,
    };
    let by = (Some(session.officer.id), state.clock.now());
    let notice = match officers::send_reset_link(&state.db, &sender, email, by).await {
        Ok(officer) => format!(
            "A link to set a new password was sent to {}. It works once, for two hours.",
            officer.email
        ),
        Err(ResetLinkError::Unknown) => return Err(AppError::NotFound),
        Err(ResetLinkError::Db(e)) => return Err(e.into()),
        Err(e @ ResetLinkError::Template(_)) => return Err(AppError::Internal(e.to_string())),
        Err(e @ (ResetLinkError::Disabled | ResetLinkError::Mail(_))) => {
            format!(
                "No link was sent: {e}. Try again later, or set the password with the command line."
            )
        }
    };
    redirect_with_notice(&state, &session, "/admin/users", &notice).await
}
