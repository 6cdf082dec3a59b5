//! `/admin/data`: admins answer subject-access and erasure requests. The
//! email address travels in a POST body only, never in a URL (where it
//! would reach logs and browser history).

use super::{redirect_with_notice, render_page};
use crate::domain::form::FormData;
use crate::domain::officer::normalise_email;
use crate::error::{AppError, AppResult};
use crate::personal::{self, ReportFormat};
use crate::store::{self, sessions::Session};
use crate::web::AppState;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use minijinja::context;

/// A problem with one field of the page's forms.
#[derive(Debug, serde::Serialize)]
struct Problem {
    field: &'static str,
    message: String,
}

async fn page(
    state: &AppState,
    session: &Session,
    (report_email, erase_email): (&str, &str),
    errors: &[Problem],
) -> AppResult<Response> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let title = if errors.is_empty() {
        "Personal data"
    } else {
        "Error: Personal data"
    };
    let html = render_page(
        state,
        "admin/data.html",
        session,
        "data",
        context! {
            page_title => title,
            retention_days => state.config.retention_days,
            report_email,
            erase_email,
            errors => minijinja::value::Serde(errors),
        },
    )
    .await?;
    Ok((status, html).into_response())
}

/// The page: a report form and an erasure form.
///
/// # Errors
/// The database's error.
pub async fn get(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
) -> AppResult<Response> {
    page(&state, &session, ("", ""), &[]).await
}

/// The address of a form, or the problem to show beside `field`.
fn email_of(form: &FormData, field: &'static str) -> Result<String, Problem> {
    let typed = form.get("email").unwrap_or("").trim();
    if typed.is_empty() {
        return Err(Problem {
            field,
            message: "Enter the email address the request is about".into(),
        });
    }
    normalise_email(typed).map_err(|message| Problem { field, message })
}

/// Everything held about an address, as a CSV or JSON download.
///
/// # Errors
/// The database's error; a bad address shows the page with the error.
#[tracing::instrument(skip_all)]
pub async fn report(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    body: Bytes,
) -> AppResult<Response> {
    let form = FormData::parse(&body).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let format =
        ReportFormat::parse(form.get("format").unwrap_or("json")).map_err(AppError::BadRequest)?;
    let email = match email_of(&form, "report-email") {
        Ok(email) => email,
        Err(problem) => {
            let typed = form.get("email").unwrap_or("");
            return page(&state, &session, (typed, ""), &[problem]).await;
        }
    };
    let held = store::personal::held_about(&state.db, &email).await?;
    let bytes = personal::render_report(&held, format).map_err(AppError::Internal)?;
    let detail =
        serde_json::json!({ "responses": held.responses.len(), "officer": held.officer.is_some() });
    let now = state.clock.now();
    store::audit::record(
        &state.db,
        now,
        Some(session.officer.id),
        "personal_data_reported",
        detail,
    )
    .await?;
    let (extension, media_type) = format.extension_and_type();
    let disposition = format!(
        "attachment; filename=\"personal-data-{}.{extension}\"",
        now.format("%Y-%m-%d")
    );
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// Erases an address from every response, once confirmed.
///
/// # Errors
/// The database's error; a bad address or no confirmation shows the page
/// with the errors and changes nothing.
#[tracing::instrument(skip_all)]
pub async fn erase(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    body: Bytes,
) -> AppResult<Response> {
    let form = FormData::parse(&body).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let confirmed = form.get("confirm") == Some("yes");
    let email = match (email_of(&form, "erase-email"), confirmed) {
        (Ok(email), true) => email,
        (email, confirmed) => {
            let mut errors: Vec<Problem> = email.err().into_iter().collect();
            if !confirmed {
                errors.push(Problem {
                    field: "erase-confirm",
                    message: "Confirm that the address cannot be recovered".into(),
                });
            }
            let typed = form.get("email").unwrap_or("");
            return page(&state, &session, ("", typed), &errors).await;
        }
    };
    let by = (Some(session.officer.id), state.clock.now());
    let (erased, contacts) = personal::erase(&state.db, &email, by).await?;
    let mut notice = match erased {
        0 => "No response held that email address. The request is recorded.".to_string(),
        1 => "The email address was erased from 1 response.".to_string(),
        n => format!("The email address was erased from {n} responses."),
    };
    if contacts > 0 {
        notice.push_str(&format!(
            " It was also deleted from {contacts} campaign contact list(s): no more invitations or reminders go to it."
        ));
    }
    redirect_with_notice(&state, &session, "/admin/data", &notice).await
}
