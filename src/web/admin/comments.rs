//! `GET /admin/comments`: every free-text answer, newest first, paged and
//! searchable; always escaped.

use super::{filters, render_page};
use crate::domain::filter::RawFilter;
use crate::error::AppResult;
use crate::store::{self, comments::Search, sessions::Session};
use crate::web::AppState;
use axum::Extension;
use axum::extract::{Query, State};
use axum::response::Html;
use minijinja::context;
use minijinja::value::Serde;
use serde::Deserialize;
use std::collections::HashMap;

const PER_PAGE: u64 = 25;

/// The query of the comments page: the shared filters plus a search.
#[derive(Debug, Deserialize)]
pub struct CommentsQuery {
    q: Option<String>,
    question: Option<String>,
    page: Option<String>,
    #[serde(flatten)]
    filter: RawFilter,
}

/// The menus of the page: every survey (slug, title), and the free-text
/// questions (key, text) of the chosen survey, or of all of them.
async fn menus(
    state: &AppState,
    chosen: Option<&str>,
) -> AppResult<(Vec<(String, String)>, Vec<(String, String)>)> {
    let surveys: Vec<(String, String)> = store::stats::per_survey(&state.db)
        .await?
        .into_iter()
        .map(|(slug, title, _)| (slug, title))
        .collect();
    let mut questions: Vec<(String, String)> = Vec::new();
    for (slug, _) in surveys
        .iter()
        .filter(|(s, _)| chosen.is_none_or(|c| c == s))
    {
        let Some(survey) = store::surveys::find(&state.db, slug, None).await? else {
            continue;
        };
        let versions = store::surveys::versions(&state.db, survey.id).await?;
        for q in store::surveys::questions_across_versions(&versions) {
            if q.kind.max_chars().is_some() && !questions.iter().any(|(k, _)| *k == q.key) {
                questions.push((q.key, q.text));
            }
        }
    }
    Ok((surveys, questions))
}

/// The comments page.
///
/// # Errors
/// The database's error.
#[tracing::instrument(skip_all)]
pub async fn get(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Query(query): Query<CommentsQuery>,
) -> AppResult<Html<String>> {
    let (filter, error) = filters::parse(query.filter);
    let clean = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let search = Search {
        contains: clean(query.q),
        question: clean(query.question),
        window: None,
    };
    let page = query
        .page
        .and_then(|p| p.parse::<u64>().ok())
        .unwrap_or(1)
        .max(1);
    let (comments, total) = store::comments::page(
        &state.db,
        &filter,
        &state.config.timezone,
        &search,
        PER_PAGE,
        (page - 1) * PER_PAGE,
    )
    .await?;
    let mut titles: HashMap<String, HashMap<String, String>> = HashMap::new();
    for c in &comments {
        if !titles.contains_key(&c.survey)
            && let Some(survey) = store::surveys::find(&state.db, &c.survey, None).await?
        {
            let versions = store::surveys::versions(&state.db, survey.id).await?;
            let texts = store::surveys::questions_across_versions(&versions)
                .into_iter()
                .map(|q| (q.key, q.text))
                .collect();
            titles.insert(c.survey.clone(), texts);
        }
    }
    let pages = (total.max(0) as u64).div_ceil(PER_PAGE).max(1);
    let (surveys, questions) = menus(&state, filter.survey.as_deref()).await?;
    let mut keep = vec![];
    if let Some(q) = &search.contains {
        keep.push(("q", q.clone()));
    }
    if let Some(q) = &search.question {
        keep.push(("question", q.clone()));
    }
    let keep = serde_urlencoded::to_string(&keep).unwrap_or_default();
    render_page(
        &state,
        "admin/comments.html",
        &session,
        "comments",
        context! {
            page_title => if error.is_some() { "Error: Comments" } else { "Comments" },
            comments => Serde(&comments),
            question_texts => Serde(&titles),
            total, page, pages,
            q => search.contains,
            question => search.question,
            keep,
            surveys,
            questions,
            ..filters::form_context(&state, &filter, error.as_ref()).await?
        },
    )
    .await
}
