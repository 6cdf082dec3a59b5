//! `GET /admin/surveys/{slug}`: every question's answers as a chart and a
//! table, under filters kept in the URL.

use super::charts::bar_chart;
use super::{filters, render_page};
use crate::domain::filter::RawFilter;
use crate::domain::question::QuestionKind;
use crate::domain::results::summarise;
use crate::error::{AppError, AppResult};
use crate::store::{self, sessions::Session};
use crate::web::AppState;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use minijinja::context;
use minijinja::value::Serde;
use serde::Serialize;

#[derive(Serialize)]
struct QuestionResult {
    summary: crate::domain::results::Summary,
    chart: Option<String>,
    free_text: bool,
}

/// The results of one survey.
///
/// # Errors
/// [`AppError::NotFound`] for an unknown survey; the database's error.
#[tracing::instrument(skip_all, fields(survey = %slug))]
pub async fn get(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(slug): Path<String>,
    Query(raw): Query<RawFilter>,
) -> AppResult<Html<String>> {
    let survey = store::surveys::find(&state.db, &slug, None)
        .await?
        .ok_or(AppError::NotFound)?;
    let (mut filter, error) = filters::parse(raw);
    filter.survey = Some(slug.clone());
    filter.resource = None;
    filter.campaign = None;
    let versions = store::surveys::versions(&state.db, survey.id).await?;
    // One version asked for: its own wording; otherwise every question asked, as last worded.
    let questions = match versions.iter().find(|(v, _)| Some(*v) == filter.version) {
        Some((_, asked)) => asked.clone(),
        None => store::surveys::questions_across_versions(&versions),
    };
    let counts =
        store::stats::survey_counts(&state.db, &filter, &state.config.timezone, None).await?;
    let results: Vec<QuestionResult> = questions
        .iter()
        .filter(|q| !matches!(q.kind, QuestionKind::Organisation | QuestionKind::Email))
        .enumerate()
        .map(|(i, q)| {
            let answered = counts.answered.get(&q.key).copied().unwrap_or(0);
            let empty = Default::default();
            let summary = summarise(q, counts.values.get(&q.key).unwrap_or(&empty), answered);
            let free_text = q.kind.max_chars().is_some();
            let bars: Vec<(String, i64)> = summary
                .bars
                .iter()
                .map(|b| (b.label.clone(), b.count))
                .collect();
            let chart = (!free_text).then(|| bar_chart(&format!("q{i}"), &q.text, &bars));
            QuestionResult {
                summary,
                chart,
                free_text,
            }
        })
        .collect();
    let version_numbers: Vec<i32> = versions.iter().map(|(v, _)| *v).collect();
    render_page(
        &state,
        "admin/results.html",
        &session,
        "dashboard",
        context! {
            page_title => format!("{}Results: {}", if error.is_some() { "Error: " } else { "" }, survey.title),
            filter_failed => error.is_some(),
            survey_title => survey.title,
            slug,
            responses => counts.responses,
            results => Serde(&results),
            versions => version_numbers,
            ..filters::form_context(&state, &filter, error.as_ref()).await?
        },
    )
    .await
}
