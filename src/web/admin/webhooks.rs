//! `/admin/webhooks`: admins add endpoints (the signing secret shown once),
//! see each delivery's status, resend one, and remove endpoints; an
//! endpoint turned off for failing says why.

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
    let when = |t: chrono::DateTime<chrono::Utc>| {
        t.with_timezone(&tz).format("%-d %b %Y %H:%M").to_string()
    };
    let campaigns = store::campaigns::outlines(&state.db).await?;
    let endpoints: Vec<_> = store::webhooks::list(&state.db)
        .await?
        .into_iter()
        .map(|e| {
            let campaign = campaigns.iter().find(|c| c.id == e.campaign_id).map(|c| c.title.clone());
            context! { disabled_at => e.disabled.as_ref().map(|(at, _)| when(*at)), campaign, e => Serde(e) }
        })
        .collect();
    let deliveries: Vec<_> = store::webhooks::history(&state.db, 50)
        .await?
        .into_iter()
        .map(|d| context! { created => when(d.created_at), sent => d.sent_at.map(when), d => Serde(d) })
        .collect();
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let choices: Vec<_> = campaigns
        .iter()
        .map(|c| (c.slug.clone(), c.title.clone()))
        .collect();
    let html = render_page(
        state,
        "admin/webhooks.html",
        session,
        "webhooks",
        context! {
            page_title => if error.is_some() { "Error: Webhooks" } else { "Webhooks" },
            endpoints, deliveries, campaigns => choices,
            made => made.map(|(secret, url)| context! { secret, url }),
            error => error.map(|(field, message)| context! { field, message }),
        },
    )
    .await?;
    Ok((status, html).into_response())
}

/// The endpoints, the latest deliveries and the form to add one.
///
/// # Errors
/// The database's error.
pub async fn list(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
) -> AppResult<Response> {
    page(&state, &session, None, None).await
}

/// Adds an endpoint and shows its secret, once.
///
/// # Errors
/// The database's error.
pub async fn add(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    body: Bytes,
) -> AppResult<Response> {
    let form = FormData::parse(&body).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let url = form.get("url").unwrap_or("").trim();
    if let Err(message) = crate::domain::webhook::check_url(url) {
        return page(
            &state,
            &session,
            None,
            Some(("url", format!("Enter the receiver's address: {message}"))),
        )
        .await;
    }
    let slug = form.get("campaign").unwrap_or("");
    let Some(campaign_id) = store::campaigns::id_of(&state.db, slug).await? else {
        return page(
            &state,
            &session,
            None,
            Some(("campaign", "Select a campaign".into())),
        )
        .await;
    };
    let secret = crate::domain::webhook::new_secret();
    let by = (Some(session.officer.id), state.clock.now());
    store::webhooks::add(&state.db, campaign_id, url, &secret, by).await?;
    page(&state, &session, Some((secret, url.to_string())), None).await
}

/// Removes an endpoint.
///
/// # Errors
/// The database's error.
pub async fn remove(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    body: Bytes,
) -> AppResult<Response> {
    let form = FormData::parse(&body).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let id: i32 = form.get("id").and_then(|i| i.parse().ok()).unwrap_or(0);
    let by = (Some(session.officer.id), state.clock.now());
    let notice = if store::webhooks::remove(&state.db, id, by).await? {
        format!("Endpoint {id} was removed: it gets no more events.")
    } else {
        "That endpoint was already removed.".to_string()
    };
    redirect_with_notice(&state, &session, "/admin/webhooks", &notice).await
}

/// Sends a delivery again (and turns its endpoint back on).
///
/// # Errors
/// The database's error.
pub async fn resend(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    body: Bytes,
) -> AppResult<Response> {
    let form = FormData::parse(&body).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let id: i64 = form.get("id").and_then(|i| i.parse().ok()).unwrap_or(0);
    let by = (Some(session.officer.id), state.clock.now());
    let notice = if store::webhooks::resend(&state.db, id, by).await? {
        format!("Delivery {id} will be sent again within seconds; its endpoint is on again.")
    } else {
        "There is no such delivery.".to_string()
    };
    redirect_with_notice(&state, &session, "/admin/webhooks", &notice).await
}
