//! `/admin/digests`: leads manage their own digest subscriptions, admins
//! anyone's; the delivery history, resends and a preview.

use super::{redirect_with_notice, render_page};
use crate::domain::form::FormData;
use crate::domain::officer::Role;
use crate::domain::schedule::Frequency;
use crate::error::{AppError, AppResult};
use crate::store::{self, digests::SubscribeError, sessions::Session};
use crate::web::AppState;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use minijinja::context;
use minijinja::value::Serde;
use serde::Deserialize;

/// Subscriptions, the form to subscribe, and the delivery history.
///
/// # Errors
/// The database's error.
pub async fn get(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
) -> AppResult<Html<String>> {
    let is_admin = session.officer.role == Role::Admin;
    let mine = (!is_admin).then_some(session.officer.id);
    let subscriptions = store::digests::list(&state.db, mine).await?;
    let ids: Vec<i32> = subscriptions.iter().map(|s| s.id).collect();
    let history =
        store::digests::history(&state.db, (!is_admin).then_some(ids.as_slice()), 50).await?;
    let tz = state.config.timezone;
    let history: Vec<_> = history
        .into_iter()
        .map(|d| {
            let sub = subscriptions.iter().find(|s| s.id == d.subscription_id);
            context! {
                id => d.id,
                who => sub.map(|s| s.email.clone()).unwrap_or_default(),
                workstream => sub.map(|s| s.workstream_name.clone()).unwrap_or_default(),
                period => crate::digest::build::period_label(d.period_start, d.period_end, tz),
                status => d.status,
                attempts => d.attempts,
                error => d.last_error,
            }
        })
        .collect();
    let officers = if is_admin {
        store::users::list(&state.db).await?
    } else {
        Vec::new()
    };
    render_page(
        &state,
        "admin/digests.html",
        &session,
        "digests",
        context! {
            page_title => "Digests",
            subscriptions => Serde(&subscriptions),
            workstreams => store::digests::workstreams(&state.db).await?,
            officers => Serde(&officers),
            history,
        },
    )
    .await
}

/// Whose subscription a form changes: the officer's own, or (admins) anyone's.
fn target_email(session: &Session, form: &FormData) -> AppResult<String> {
    match form.get("email").map(str::trim).filter(|e| !e.is_empty()) {
        Some(email) if session.officer.role == Role::Admin => Ok(email.to_lowercase()),
        Some(email) if email.eq_ignore_ascii_case(&session.officer.email) => {
            Ok(session.officer.email.clone())
        }
        Some(_) => Err(AppError::Forbidden(
            "Leads manage their own digests only. Ask an admin to change someone else's.".into(),
        )),
        None => Ok(session.officer.email.clone()),
    }
}

async fn done(state: &AppState, session: &Session, message: &str) -> AppResult<Response> {
    redirect_with_notice(state, session, "/admin/digests", message).await
}

/// Subscribes (or changes the frequency).
///
/// # Errors
/// A bad value (400), someone else's subscription for a lead (403), the database's error.
pub async fn subscribe(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    body: Bytes,
) -> AppResult<Response> {
    let form = FormData::parse(&body).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let email = target_email(&session, &form)?;
    let frequency =
        Frequency::parse(form.get("frequency").unwrap_or("")).map_err(AppError::BadRequest)?;
    let workstream = form.get("workstream").unwrap_or("");
    let skip_empty = form.get("skip_empty") == Some("yes");
    match store::digests::subscribe(
        &state.db,
        &email,
        workstream,
        frequency,
        skip_empty,
        state.clock.now(),
    )
    .await
    {
        Ok(sub) => {
            let message = format!(
                "{} will get the {} digest {}.",
                sub.email,
                sub.workstream_name,
                frequency.as_str()
            );
            done(&state, &session, &message).await
        }
        Err(SubscribeError::Db(e)) => Err(e.into()),
        Err(e) => Err(AppError::BadRequest(format!("Could not subscribe: {e}."))),
    }
}

/// Unsubscribes.
///
/// # Errors
/// Someone else's subscription for a lead (403), the database's error.
pub async fn unsubscribe(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    body: Bytes,
) -> AppResult<Response> {
    let form = FormData::parse(&body).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let email = target_email(&session, &form)?;
    let workstream = form.get("workstream").unwrap_or("");
    if !store::digests::unsubscribe(&state.db, &email, workstream).await? {
        return Err(AppError::NotFound);
    }
    let message = format!("{email} no longer gets that digest.");
    done(&state, &session, &message).await
}

/// Sends a delivery again (admins).
///
/// # Errors
/// An unknown delivery (404), the database's error.
pub async fn resend(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    body: Bytes,
) -> AppResult<Response> {
    let form = FormData::parse(&body).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let id: i64 = form
        .get("delivery")
        .and_then(|d| d.parse().ok())
        .ok_or(AppError::NotFound)?;
    let now = state.clock.now();
    if !store::digests::resend(&state.db, id, now, session.officer.id).await? {
        return Err(AppError::NotFound);
    }
    let message = "The digest is queued to be sent again within a minute.";
    done(&state, &session, message).await
}

/// The query of the preview.
#[derive(Debug, Deserialize)]
pub struct PreviewQuery {
    workstream: Option<String>,
}

/// The HTML part of the digest a workstream would get now.
///
/// # Errors
/// An unknown workstream (404), the database's error.
pub async fn preview(
    State(state): State<AppState>,
    Query(q): Query<PreviewQuery>,
) -> AppResult<Response> {
    let key = match q.workstream.filter(|k| !k.is_empty()) {
        Some(key) => key,
        None => store::digests::workstreams(&state.db)
            .await?
            .into_iter()
            .next()
            .map(|w| w.0)
            .ok_or(AppError::NotFound)?,
    };
    let email = crate::digest::preview(&state.db, &state.digest, &key, state.clock.now()).await?;
    let mut response = Html(email.html).into_response();
    // The email's own inline styles, and nothing else.
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"),
    );
    Ok(response)
}
