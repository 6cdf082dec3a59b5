//! `GET /surveys/{slug}/thanks?ref=R`: the confirmation with the reference.

use crate::domain::reference::Reference;
use crate::error::{AppError, AppResult};
use crate::store;
use crate::templates::render;
use crate::web::AppState;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use minijinja::context;
use serde::Deserialize;

/// The query of the confirmation page.
#[derive(Deserialize)]
pub struct ThanksQuery {
    #[serde(rename = "ref")]
    reference: Option<String>,
}

/// Shows the confirmation for a stored response.
///
/// # Errors
/// [`AppError::NotFound`] for an unknown survey or reference.
#[tracing::instrument(level = "debug", skip_all, fields(survey = %slug))]
pub async fn get(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<ThanksQuery>,
) -> AppResult<Html<String>> {
    let survey = store::surveys::find(&state.db, &slug, None)
        .await?
        .ok_or(AppError::NotFound)?;
    let reference = query
        .reference
        .as_deref()
        .and_then(Reference::parse)
        .ok_or(AppError::NotFound)?;
    if !store::responses::exists(&state.db, survey.id, &reference).await? {
        return Err(AppError::NotFound);
    }
    let followers = store::digests::followers(&state.db, &survey.slug).await?;
    let survey = super::words::localised(&survey);
    Ok(render(
        "public/thanks.html",
        context! {
            reference => reference.as_str(),
            summary => super::words::summary(&followers),
            survey_title => survey.title,
            resource_title => survey.resource.map(|r| r.1),
            campaign_title => survey.campaign_title,
        },
    )?)
}
