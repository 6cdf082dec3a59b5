//! `/admin/campaigns` and `/admin/campaigns/new`: every campaign with its
//! state, and a new campaign from its details.

use super::{Again, form, outcome, status_and_title};
use crate::domain::availability::Availability;
use crate::domain::campaign::edit::{DetailsForm, Problems};
use crate::editor;
use crate::error::AppResult;
use crate::store::{self, sessions::Session};
use crate::web::AppState;
use crate::web::admin::{redirect_with_notice, render_page};
use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use minijinja::context;
use minijinja::value::Serde;
use serde::Serialize;

/// A campaign as the list shows it.
#[derive(Debug, Serialize)]
struct Row {
    slug: String,
    title: String,
    state: &'static str,
    has_draft: bool,
    dates: String,
}

/// Every campaign, published or being drafted.
///
/// # Errors
/// The database's error.
pub async fn get(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
) -> AppResult<Response> {
    let drafts = store::drafts::slugs(&state.db).await?;
    let mut rows = Vec::new();
    for c in store::campaigns::list(&state.db).await? {
        let open = Availability::on(state.today(), c.opens_on, c.closes_on, false);
        let dates = match (c.opens_on, c.closes_on) {
            (Some(o), Some(c)) => format!("{} to {}", o.format("%-d %b %Y"), c.format("%-d %b %Y")),
            (Some(o), None) => format!("From {}", o.format("%-d %b %Y")),
            (None, Some(c)) => format!("Until {}", c.format("%-d %b %Y")),
            (None, None) => "No dates set".into(),
        };
        rows.push(Row {
            has_draft: drafts.contains(&c.slug),
            slug: c.slug,
            title: c.title,
            state: match open {
                Availability::Open => "Open",
                Availability::NotYetOpen(_) => "Not open yet",
                Availability::Closed(_) => "Closed",
            },
            dates,
        });
    }
    for slug in drafts {
        if rows.iter().any(|r| r.slug == slug) {
            continue;
        }
        if let Ok(Some(draft)) = store::drafts::get(&state.db, &slug).await {
            rows.push(Row {
                slug,
                title: draft.definition.title,
                state: "Not yet published",
                has_draft: true,
                dates: String::new(),
            });
        }
    }
    let html = render_page(
        &state,
        "admin/campaigns/list.html",
        &session,
        "campaigns",
        context! { page_title => "Campaigns", rows => Serde(&rows) },
    )
    .await?;
    Ok(html.into_response())
}

async fn new_page(
    state: &AppState,
    session: &Session,
    details: &DetailsForm,
    problems: &Problems,
) -> AppResult<Response> {
    let (status, title) = status_and_title(!problems.is_empty(), "Create a campaign");
    let errors: std::collections::BTreeMap<_, _> = problems
        .iter()
        .rev()
        .map(|p| (p.field.clone(), p.message.clone()))
        .collect();
    let html = render_page(
        state,
        "admin/campaigns/new.html",
        session,
        "campaigns",
        context! {
            page_title => title,
            form => Serde(details),
            problems => Serde(problems),
            errors => Serde(errors),
        },
    )
    .await?;
    Ok((status, html).into_response())
}

/// The form for a new campaign's details.
///
/// # Errors
/// The database's error.
pub async fn new(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
) -> AppResult<Response> {
    new_page(&state, &session, &DetailsForm::default(), &Vec::new()).await
}

/// Opens the draft of a new campaign.
///
/// # Errors
/// A form that cannot be read (400); the database's error.
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    body: Bytes,
) -> AppResult<Response> {
    let details = DetailsForm::read(&form(&body)?);
    let by = (session.officer.id, state.clock.now());
    let created = editor::create(&state.db, &details, by).await;
    match outcome(&state, created, 0)? {
        Ok(draft) => {
            let to = format!("/admin/campaigns/{}", draft.definition.slug);
            let notice = "The campaign was created as a draft. Add its workstreams, resources and surveys, then publish it.";
            redirect_with_notice(&state, &session, &to, notice).await
        }
        Err(Again { problems, .. }) => new_page(&state, &session, &details, &problems).await,
    }
}
