//! `GET /admin`: the campaign at a glance.

use super::charts::bar_chart;
use super::render_page;
use crate::error::AppResult;
use crate::store::{self, sessions::Session};
use crate::web::AppState;
use axum::Extension;
use axum::extract::State;
use axum::response::Html;
use minijinja::context;
use minijinja::value::Serde;

/// The dashboard.
///
/// # Errors
/// The database's error.
#[tracing::instrument(skip_all)]
pub async fn get(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
) -> AppResult<Html<String>> {
    let d = store::stats::dashboard(&state.db, state.clock.now()).await?;
    let councils_total: i64 = d.by_nation.iter().map(|c| c.total).sum();
    let councils_covered: i64 = d.by_nation.iter().map(|c| c.covered).sum();
    let weeks: Vec<(String, i64)> = d
        .per_week
        .iter()
        .map(|(w, n)| (format!("Week of {}", w.format("%-d %b %Y")), *n))
        .collect();
    let surveys: Vec<(String, i64)> = d
        .per_survey
        .iter()
        .map(|(_, title, n)| (title.clone(), *n))
        .collect();
    render_page(
        &state,
        "admin/dashboard.html",
        &session,
        "dashboard",
        context! {
            page_title => "Dashboard",
            d => Serde(&d),
            councils_total,
            councils_covered,
            weeks => Serde(&weeks),
            week_chart => bar_chart("weeks", "Responses per week", &weeks),
            survey_chart => bar_chart("surveys", "Responses per survey", &surveys),
        },
    )
    .await
}
