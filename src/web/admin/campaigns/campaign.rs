//! `/admin/campaigns/{slug}`: a campaign in the editor, everything it holds
//! with a way to change, move or remove each; its details' form; and the
//! Move up, Move down and Remove buttons, which work without a script.

use super::{Again, author, form, outcome, page, revision, working};
use crate::domain::campaign::edit::{Arrangement, DetailsForm, Element, Move, Problems, problem};
use crate::editor;
use crate::error::{AppError, AppResult};
use crate::store::sessions::Session;
use crate::web::AppState;
use crate::web::admin::redirect_with_notice;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use minijinja::context;
use minijinja::value::Serde;

/// The campaign's page.
///
/// # Errors
/// An unknown campaign (404); the database's error.
pub async fn get(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let working = working(&state, &slug).await?;
    let revision = working.revision();
    campaign_page(&state, &session, (&working, revision), &Vec::new()).await
}

async fn campaign_page(
    state: &AppState,
    session: &Session,
    (working, revision): (&editor::Working, i32),
    problems: &Problems,
) -> AppResult<Response> {
    let title = working.definition.title.clone();
    page(
        state,
        session,
        ("admin/campaigns/campaign.html", &title),
        (working, revision),
        problems,
        context! {},
    )
    .await
}

/// Moves or removes one element (the buttons on the campaign's and a survey's page).
///
/// # Errors
/// A form that cannot be read (400); an unknown campaign (404); the database's error.
#[tracing::instrument(skip_all)]
pub async fn arrange(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(slug): Path<String>,
    body: Bytes,
) -> AppResult<Response> {
    let form = form(&body)?;
    let sent = revision(&form)?;
    let field = |name: &str| form.get(name).unwrap_or("").to_string();
    let element = Element::named(&field("list"), &field("key"), &field("survey"))
        .ok_or_else(|| AppError::BadRequest("The form names no part of a campaign.".into()))?;
    let what = match form.get("action") {
        Some("up") => Arrangement::Move(Move::Up),
        Some("down") => Arrangement::Move(Move::Down),
        Some("remove") => Arrangement::Remove,
        _ => return Err(AppError::BadRequest("The form asks for no action.".into())),
    };
    let verb = match what {
        Arrangement::Move(Move::Up) => "moved up",
        Arrangement::Move(Move::Down) => "moved down",
        Arrangement::Remove => "removed",
    };
    let change = format!("{verb} {}", element.describe());
    let result = editor::arrange(
        &state.db,
        (&slug, sent),
        author(&state, &session, &change),
        &element,
        what,
    )
    .await;
    let back = match &element {
        Element::Question(survey, _) => format!("/admin/campaigns/{slug}/surveys/{survey}"),
        _ => format!("/admin/campaigns/{slug}"),
    };
    match outcome(&state, result, sent)? {
        Ok(_) => {
            let notice = format!("{} {verb}.", capitalised(&element.describe()));
            redirect_with_notice(&state, &session, &back, &notice).await
        }
        Err(Again { problems, revision }) => {
            let working = working(&state, &slug).await?;
            shown_again(&state, &session, &working, (&element, &problems, revision)).await
        }
    }
}

async fn shown_again(
    state: &AppState,
    session: &Session,
    working: &editor::Working,
    (element, problems, revision): (&Element, &Problems, i32),
) -> AppResult<Response> {
    if let Element::Question(survey, _) = element {
        return super::elements::survey_page(state, session, working, survey, (problems, revision))
            .await;
    }
    campaign_page(state, session, (working, revision), problems).await
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().chain(chars).collect::<String>()
    })
}

/// The form of the campaign's details.
///
/// # Errors
/// An unknown campaign (404); the database's error.
pub async fn details(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let working = working(&state, &slug).await?;
    let shown = DetailsForm::of(&working.definition);
    let revision = working.revision();
    details_page(&state, &session, (&working, revision), &shown, &Vec::new()).await
}

async fn details_page(
    state: &AppState,
    session: &Session,
    (working, revision): (&editor::Working, i32),
    shown: &DetailsForm,
    problems: &Problems,
) -> AppResult<Response> {
    page(
        state,
        session,
        (
            "admin/campaigns/details.html",
            "Change the campaign’s details",
        ),
        (working, revision),
        problems,
        context! { form => Serde(shown) },
    )
    .await
}

/// Saves the campaign's details.
///
/// # Errors
/// A form that cannot be read (400); an unknown campaign (404); the database's error.
#[tracing::instrument(skip_all)]
pub async fn save_details(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(slug): Path<String>,
    body: Bytes,
) -> AppResult<Response> {
    let form = form(&body)?;
    let sent = revision(&form)?;
    let details = DetailsForm::read(&form);
    let result = editor::edit(
        &state.db,
        (&slug, sent),
        author(&state, &session, "changed the campaign’s details"),
        "title",
        |def, _, working| {
            details.apply(def, working.published.is_none())?;
            if details.slug != slug && editor::RESERVED_SLUGS.contains(&details.slug.as_str()) {
                return Err(vec![problem(
                    "slug",
                    format!("The address “{}” is taken: choose another", details.slug),
                )]);
            }
            Ok(())
        },
    )
    .await;
    match outcome(&state, result, sent)? {
        Ok(draft) => {
            let to = format!("/admin/campaigns/{}", draft.definition.slug);
            redirect_with_notice(&state, &session, &to, "The campaign’s details were saved.").await
        }
        Err(Again { problems, revision }) => {
            let working = working(&state, &slug).await?;
            details_page(&state, &session, (&working, revision), &details, &problems).await
        }
    }
}
