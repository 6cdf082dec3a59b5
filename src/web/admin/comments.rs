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
    let pages = (total as u64).div_ceil(PER_PAGE).max(1);
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
            ..filters::form_context(&state, &filter, error.as_ref()).await?
        },
    )
    .await
}
