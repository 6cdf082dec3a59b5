//! `GET /admin/coverage`: which councils have responded and which have not,
//! so the campaign can chase the silent ones.

use super::{filters, render_page};
use crate::domain::filter::RawFilter;
use crate::error::AppResult;
use crate::store::{self, sessions::Session};
use crate::web::AppState;
use axum::Extension;
use axum::extract::{Query, State};
use axum::response::Html;
use minijinja::context;
use minijinja::value::Serde;
use serde::Deserialize;

/// The query: the register filters and which councils to list.
#[derive(Debug, Deserialize)]
pub struct CoverageQuery {
    status: Option<String>,
    #[serde(flatten)]
    filter: RawFilter,
}

/// Every resource of every campaign: (key, title), for the resource menu.
///
/// # Errors
/// The database's error.
pub async fn resources(state: &AppState) -> AppResult<Vec<(String, String)>> {
    Ok(store::campaigns::outlines(&state.db)
        .await?
        .into_iter()
        .flat_map(|c| c.resources)
        .map(|r| (r.key, r.title))
        .collect())
}

/// The coverage page.
///
/// # Errors
/// The database's error.
#[tracing::instrument(skip_all)]
pub async fn get(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Query(query): Query<CoverageQuery>,
) -> AppResult<Html<String>> {
    let (filter, error) = filters::parse(query.filter);
    let all = store::stats::coverage(&state.db, &filter).await?;
    let responded = all.iter().filter(|c| c.responses > 0).count();
    let status = query.status.unwrap_or_default();
    let councils: Vec<_> = all
        .iter()
        .filter(|c| match status.as_str() {
            "responded" => c.responses > 0,
            "silent" => c.responses == 0,
            _ => true,
        })
        .collect();
    render_page(
        &state,
        "admin/coverage.html",
        &session,
        "coverage",
        context! {
            page_title => if error.is_some() { "Error: Coverage" } else { "Coverage" },
            councils => Serde(&councils),
            total => all.len(),
            responded,
            status,
            resources => resources(&state).await?,
            outreach => store::campaigns::outlines(&state.db)
                .await?
                .into_iter()
                .map(|c| (c.slug, c.title))
                .collect::<Vec<_>>(),
            ..filters::form_context(&state, &filter, error.as_ref()).await?
        },
    )
    .await
}
