//! Where outreach lands: `GET /i/{token}` (a contact's personal link),
//! `GET|POST /unsubscribe/{token}` (one click, RFC 8058) and `GET /s/{slug}`
//! (the short link on posters and slides).

use crate::domain::token::token_hash;
use crate::error::{AppError, AppResult};
use crate::store::{self, contacts::Contact};
use crate::templates::render;
use crate::web::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;

/// A page of the error layout with its own heading and message.
pub fn message_page(status: StatusCode, heading: String, message: String) -> AppResult<Response> {
    let html = render("error.html", context! { heading, message })?;
    Ok((status, html).into_response())
}

async fn contact(state: &AppState, token: &str) -> AppResult<Option<Contact>> {
    // Tokens are 40 hex digits: anything else is not looked up at all.
    if token.len() != 40 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    Ok(store::contacts::by_token_hash(&state.db, &token_hash(token)).await?)
}

fn unknown_link() -> AppResult<Response> {
    message_page(
        StatusCode::NOT_FOUND,
        crate::i18n::text("link-unknown-title"),
        crate::i18n::text("link-unknown-body"),
    )
}

/// Follows a personal link: notes it, and opens the campaign with the
/// contact's council chosen. Not a sign-in: nothing is remembered.
///
/// # Errors
/// The database's error.
#[tracing::instrument(skip_all)]
pub async fn invitation(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let Some(contact) = contact(&state, &token).await? else {
        return unknown_link();
    };
    store::contacts::followed(&state.db, contact.id, state.clock.now()).await?;
    metrics::counter!("invitation_links_followed_total").increment(1);
    let to = match &contact.organisation_code {
        Some(code) => format!("/?council={code}"),
        None => "/".to_string(),
    };
    Ok(Redirect::to(&to).into_response())
}

/// The unsubscribe page: what it stops, and the button.
///
/// # Errors
/// The database's error, a template bug.
pub async fn unsubscribe_page(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let Some(contact) = contact(&state, &token).await? else {
        return unknown_link();
    };
    page(&state, &contact, &token, contact.unsubscribed_at.is_some()).await
}

/// Unsubscribes at once: from the page's button, or a mail client's
/// one-click `List-Unsubscribe-Post`.
///
/// # Errors
/// The database's error, a template bug.
#[tracing::instrument(skip_all)]
pub async fn unsubscribe(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let Some(contact) = contact(&state, &token).await? else {
        return unknown_link();
    };
    store::contacts::unsubscribe(&state.db, contact.id, state.clock.now()).await?;
    tracing::info!(contact_id = contact.id, "contact unsubscribed");
    page(&state, &contact, &token, true).await
}

async fn page(state: &AppState, contact: &Contact, token: &str, done: bool) -> AppResult<Response> {
    let campaign = store::campaigns::outline(&state.db, contact.campaign_id).await?;
    let title = crate::domain::welsh::pick(
        crate::i18n::current(),
        &campaign.title,
        campaign.cy.as_ref().and_then(|w| w.title.as_ref()),
    );
    let html = render(
        "public/unsubscribe.html",
        context! { campaign => title, email => &contact.email, token, done },
    )?;
    Ok(html.into_response())
}

/// A short link: `/s/{survey}` to the survey, `/s/{campaign}` to the
/// campaign's page.
///
/// # Errors
/// [`AppError::NotFound`] for a name that is neither; the database's error.
pub async fn short_link(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    if store::surveys::find(&state.db, &slug, None)
        .await?
        .is_some()
    {
        return Ok(Redirect::temporary(&format!("/surveys/{slug}")).into_response());
    }
    if store::campaigns::id_of(&state.db, &slug).await?.is_some() {
        return Ok(Redirect::temporary("/").into_response());
    }
    Err(AppError::NotFound)
}
