//! `/admin/campaigns`: editors set up and change campaigns in the browser.
//! Every change goes to the campaign's draft through [`crate::editor`];
//! these handlers read forms, show pages and say what went wrong.

pub mod campaign;
pub mod elements;
pub mod files;
pub mod list;
pub mod preview;
pub mod publish;
pub mod questions;

use super::render_page;
use crate::domain::campaign::edit::{Problem, Problems, problem};
use crate::domain::form::FormData;
use crate::editor::{self, Author, EditError, Newer, Working};
use crate::error::{AppError, AppResult};
use crate::store::{drafts::Draft, sessions::Session};
use crate::web::AppState;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use minijinja::value::Serde;
use minijinja::{Value, context};
use std::collections::BTreeMap;

/// The form as sent, or a 400 saying why it cannot be read.
pub(crate) fn form(body: &[u8]) -> AppResult<FormData> {
    FormData::parse(body).map_err(|e| AppError::BadRequest(e.to_string()))
}

/// The revision the form was based on.
pub(crate) fn revision(form: &FormData) -> AppResult<i32> {
    form.get("revision")
        .and_then(|r| r.parse().ok())
        .ok_or_else(|| {
            AppError::BadRequest(
                "The form has no draft revision. Go back, reload the page and try again.".into(),
            )
        })
}

/// The campaign as the editor works on it, or 404.
pub(crate) async fn working(state: &AppState, slug: &str) -> AppResult<Working> {
    editor::open(&state.db, slug)
        .await
        .map_err(edit_failure)?
        .ok_or(AppError::NotFound)
}

/// Who is changing what, now.
pub(crate) fn author<'a>(state: &AppState, session: &Session, what: &'a str) -> Author<'a> {
    Author {
        by: session.officer.id,
        now: state.clock.now(),
        what,
    }
}

/// An editing error that is not the form's to show.
pub(crate) fn edit_failure(e: EditError) -> AppError {
    match e {
        EditError::Unknown => AppError::NotFound,
        EditError::Db(e) => e.into(),
        e => AppError::Internal(e.to_string()),
    }
}

/// What to show again after a change was not saved: the problems, and the
/// revision the form should now carry.
pub(crate) struct Again {
    pub problems: Problems,
    pub revision: i32,
}

/// Sorts a change's outcome: the saved draft, or the form again with what
/// to fix (a newer draft's author and change among it).
pub(crate) fn outcome(
    state: &AppState,
    result: Result<Draft, EditError>,
    sent: i32,
) -> AppResult<Result<Draft, Again>> {
    match result {
        Ok(draft) => Ok(Ok(draft)),
        Err(EditError::Invalid(problems)) => Ok(Err(Again {
            problems,
            revision: sent,
        })),
        Err(EditError::Stale(newer)) => Ok(Err(Again {
            problems: vec![stale(state, &newer)],
            revision: newer.revision,
        })),
        Err(e) => Err(edit_failure(e)),
    }
}

/// The message for a change based on an older draft: who changed what, when.
pub(crate) fn stale(state: &AppState, newer: &Newer) -> Problem {
    let message = match (&newer.by, newer.at) {
        (Some(by), Some(at)) => format!(
            "Your change was not saved: {by} changed the draft at {} ({}). The page now shows the draft with their change; check it and save again if yours is still needed",
            at.with_timezone(&state.config.timezone)
                .format("%H:%M on %-d %B %Y"),
            newer.change
        ),
        _ => "Your change was not saved: the draft was published or discarded since you opened this page. Check the page, which now shows the campaign as published, and save again to start a new draft".into(),
    };
    problem("main", message)
}

/// Problems by field, for the message beside each field.
fn by_field(problems: &Problems) -> BTreeMap<&str, &str> {
    let mut out = BTreeMap::new();
    for p in problems {
        out.entry(p.field.as_str()).or_insert(p.message.as_str());
    }
    out
}

/// The context every editor page shares: the campaign, its draft's state
/// and the revision its forms send.
fn campaign_context(state: &AppState, working: &Working, revision: i32) -> Value {
    let draft = working.draft.as_ref().map(|d| {
        context! {
            by => d.updated_by.as_ref().map(|o| o.email.clone()),
            at => d.updated_at.with_timezone(&state.config.timezone).format("%H:%M on %-d %B %Y").to_string(),
            change => &d.last_change,
        }
    });
    context! {
        slug => &working.definition.slug,
        campaign => Serde(&working.definition),
        leads => Serde(&working.leads),
        draft,
        published => working.published.is_some(),
        revision,
    }
}

/// A page's status and title: 422 and "Error: …" when it shows problems.
pub(crate) fn status_and_title(has_problems: bool, title: &str) -> (StatusCode, String) {
    if has_problems {
        (StatusCode::UNPROCESSABLE_ENTITY, format!("Error: {title}"))
    } else {
        (StatusCode::OK, title.to_string())
    }
}

/// An editor's page: `template` with the campaign's context, `ctx`, and
/// the problems (422 when there are any).
pub(crate) async fn page(
    state: &AppState,
    session: &Session,
    (template, title): (&str, &str),
    (working, revision): (&Working, i32),
    problems: &Problems,
    ctx: Value,
) -> AppResult<Response> {
    let (status, title) = status_and_title(!problems.is_empty(), title);
    let base = campaign_context(state, working, revision);
    let html = render_page(
        state,
        template,
        session,
        "campaigns",
        context! {
            ..context! {
                page_title => title,
                problems => Serde(problems),
                errors => Serde(by_field(problems)),
            },
            ..base,
            ..ctx
        },
    )
    .await?;
    Ok((status, html).into_response())
}
