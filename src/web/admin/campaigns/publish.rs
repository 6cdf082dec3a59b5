//! `/admin/campaigns/{slug}/publish` and `/discard`: what publishing the
//! draft will change, then publishing it; or discarding it, after saying
//! what will be lost.

use super::{form, page, revision, stale, working};
use crate::domain::campaign::edit::Problems;
use crate::editor::{self, EditError};
use crate::error::{AppError, AppResult};
use crate::store::sessions::Session;
use crate::web::AppState;
use crate::web::admin::redirect_with_notice;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;

async fn publish_page(
    state: &AppState,
    session: &Session,
    slug: &str,
    problems: &Problems,
) -> AppResult<Response> {
    let plan = editor::plan(&state.db, slug, state.clock.now())
        .await
        .map_err(super::edit_failure)?;
    let Some(plan) = plan else {
        return Ok(Redirect::to(&format!("/admin/campaigns/{slug}")).into_response());
    };
    let revision = plan.working.revision();
    let title = format!("Publish {}", plan.working.definition.title);
    page(
        state,
        session,
        ("admin/campaigns/publish.html", &title),
        (&plan.working, revision),
        problems,
        context! {
            changes => plan.changes,
            new_versions => plan.new_versions,
            blocker => plan.blocker,
        },
    )
    .await
}

/// What publishing the draft will change.
///
/// # Errors
/// The database's error.
pub async fn review(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    publish_page(&state, &session, &slug, &Vec::new()).await
}

/// Publishes the draft as it was when the page was shown.
///
/// # Errors
/// A form that cannot be read (400); the database's error.
#[tracing::instrument(skip_all)]
pub async fn publish(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(slug): Path<String>,
    body: Bytes,
) -> AppResult<Response> {
    let sent = revision(&form(&body)?)?;
    let by = (session.officer.id, state.clock.now());
    match editor::publish(&state.db, (&slug, sent), by).await {
        Ok((def, report)) => {
            state.survey_pages.clear();
            state.survey_records.clear();
            let versions = if report.new_versions.iter().any(|(_, v)| *v > 1) {
                " Surveys whose questions changed after they were answered have a new version; earlier responses keep theirs."
            } else {
                ""
            };
            let notice = format!(
                "{} was published: respondents see it now.{versions}",
                def.title
            );
            redirect_with_notice(
                &state,
                &session,
                &format!("/admin/campaigns/{slug}"),
                &notice,
            )
            .await
        }
        Err(EditError::Invalid(problems)) => publish_page(&state, &session, &slug, &problems).await,
        Err(EditError::Stale(newer)) => {
            publish_page(&state, &session, &slug, &vec![stale(&state, &newer)]).await
        }
        Err(e) => Err(super::edit_failure(e)),
    }
}

/// Asks whether to discard the draft, saying what will be lost.
///
/// # Errors
/// An unknown campaign (404); the database's error.
pub async fn confirm_discard(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let working = working(&state, &slug).await?;
    if working.draft.is_none() {
        return Ok(Redirect::to(&format!("/admin/campaigns/{slug}")).into_response());
    }
    discard_page(&state, &session, &working, &Vec::new()).await
}

async fn discard_page(
    state: &AppState,
    session: &Session,
    working: &editor::Working,
    problems: &Problems,
) -> AppResult<Response> {
    let title = format!("Discard the draft of {}?", working.definition.title);
    let revision = working.revision();
    page(
        state,
        session,
        ("admin/campaigns/discard.html", &title),
        (working, revision),
        problems,
        context! {},
    )
    .await
}

/// Discards the draft as it was when the question was asked.
///
/// # Errors
/// A form that cannot be read (400); the database's error.
#[tracing::instrument(skip_all)]
pub async fn discard(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(slug): Path<String>,
    body: Bytes,
) -> AppResult<Response> {
    let sent = revision(&form(&body)?)?;
    let by = (session.officer.id, state.clock.now());
    match editor::discard(&state.db, (&slug, sent), by).await {
        Ok(def) => {
            let published = editor::open(&state.db, &slug)
                .await
                .map_err(super::edit_failure)?
                .is_some();
            let (to, notice) = if published {
                (
                    format!("/admin/campaigns/{slug}"),
                    "The draft was discarded: the campaign is as it was last published."
                        .to_string(),
                )
            } else {
                (
                    "/admin/campaigns".to_string(),
                    format!("The draft of {} was discarded.", def.title),
                )
            };
            redirect_with_notice(&state, &session, &to, &notice).await
        }
        Err(EditError::Stale(newer)) => {
            let working = working(&state, &slug).await?;
            discard_page(&state, &session, &working, &vec![stale(&state, &newer)]).await
        }
        Err(e) => Err(match e {
            EditError::Unknown => AppError::NotFound,
            e => super::edit_failure(e),
        }),
    }
}
