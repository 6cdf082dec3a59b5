//! One response by its reference, in words (`mod.rs`); the list of
//! responses and the lookup by reference (`list.rs`); deleting one, after
//! a confirmation, recorded in the audit log (`delete.rs`).

mod delete;
mod list;

pub use delete::{confirm_delete, delete};
pub use list::lookup;

use super::render_page;
use crate::domain::officer::Role;
use crate::domain::reference::Reference;
use crate::error::{AppError, AppResult};
use crate::store::{self, sessions::Session};
use crate::web::AppState;
use axum::Extension;
use axum::extract::{Path, State};
use axum::response::Html;
use minijinja::context;
use minijinja::value::Serde;

/// Shows one response.
///
/// # Errors
/// [`AppError::NotFound`] for an unknown reference; the database's error.
pub async fn get(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(reference): Path<String>,
) -> AppResult<Html<String>> {
    let reference = Reference::parse(&reference).ok_or(AppError::NotFound)?;
    let detail = store::responses::detail(&state.db, &reference)
        .await?
        .ok_or(AppError::NotFound)?;
    // Question texts and option labels of the version answered, not codes.
    let answers: Vec<(String, String)> = detail
        .answers
        .iter()
        .map(
            |(key, stored)| match detail.questions.iter().find(|q| &q.key == key) {
                Some(q) => (q.text.clone(), q.in_words(stored)),
                None => (key.clone(), stored.clone()),
            },
        )
        .collect();
    let tz = state.config.timezone;
    let submitted = detail
        .submitted_at
        .with_timezone(&tz)
        .format("%-d %B %Y at %H:%M %Z")
        .to_string();
    let sector = detail
        .other_organisation_sector
        .as_deref()
        .map(crate::domain::answer::sector_label);
    let council = match &detail.organisation_code {
        Some(code) => store::organisations::name(&state.db, code).await?,
        None => None,
    };
    let can_delete = session.officer.role == Role::Admin;
    render_page(
        &state,
        "admin/response.html",
        &session,
        "responses",
        context! {
            page_title => format!("Response {}", detail.reference),
            r => Serde(&detail),
            answers,
            submitted,
            sector,
            channel => crate::domain::answer::channel_label(&detail.channel),
            council,
            can_delete,
            show_contact => can_delete,
        },
    )
    .await
}
