//! `/admin/responses`: find one response by the reference a respondent
//! quotes, or read the list of responses, newest first, under the filters.

use super::super::{filters, render_page};
use crate::domain::filter::RawFilter;
use crate::domain::reference::Reference;
use crate::error::AppResult;
use crate::store::{self, sessions::Session};
use crate::web::AppState;
use axum::Extension;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::Serde;
use serde::Deserialize;

/// Responses on a page of the list.
const PER_PAGE: u64 = 25;

/// The page's query: a reference to find, or the list's filters and page.
#[derive(Debug, Deserialize)]
pub struct LookupQuery {
    #[serde(rename = "ref")]
    reference: Option<String>,
    page: Option<String>,
    #[serde(flatten)]
    filter: RawFilter,
}

/// Finds a response by its reference, or lists responses.
///
/// # Errors
/// The database's error.
pub async fn lookup(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Query(query): Query<LookupQuery>,
) -> AppResult<Response> {
    let typed = query.reference.unwrap_or_default();
    let error = if typed.trim().is_empty() {
        None
    } else {
        match Reference::read(&typed) {
            Ok(r) if store::responses::detail(&state.db, &r).await?.is_some() => {
                return Ok(Redirect::to(&format!("/admin/responses/{r}")).into_response());
            }
            Ok(r) => Some(format!(
                "No response has the reference {r}. Check it with the person who gave it"
            )),
            Err(message) => Some(message),
        }
    };
    let (filter, filter_error) = filters::parse(query.filter);
    let page = query
        .page
        .and_then(|p| p.parse::<u64>().ok())
        .unwrap_or(1)
        .clamp(1, u64::MAX / PER_PAGE);
    let tz = state.config.timezone;
    let (lines, total) =
        store::responses::page(&state.db, &filter, &tz, PER_PAGE, (page - 1) * PER_PAGE).await?;
    let lines: Vec<_> = lines
        .into_iter()
        .map(|l| {
            let when = l.submitted_at.with_timezone(&tz).format("%-d %b %Y %H:%M").to_string();
            context! { reference => l.reference, survey => l.survey_title, organisation => l.organisation, when }
        })
        .collect();
    let pages = (total.max(0) as u64).div_ceil(PER_PAGE).max(1);
    let failed = error.is_some() || filter_error.is_some();
    let html = render_page(
        &state,
        "admin/responses.html",
        &session,
        "responses",
        context! {
            page_title => if failed { "Error: Responses" } else { "Responses" },
            typed,
            error,
            lines,
            total,
            page,
            pages,
            surveys => Serde(store::stats::per_survey(&state.db).await?),
            ..filters::form_context(&state, &filter, filter_error.as_ref()).await?
        },
    )
    .await?;
    Ok(html.into_response())
}
