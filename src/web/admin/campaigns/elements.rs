//! The forms of a campaign's workstreams, resources and surveys, to add one
//! (`/admin/campaigns/{slug}/{part}`) or change one
//! (`/admin/campaigns/{slug}/{part}/{key}`). A survey's page also lists its
//! questions.

use super::{Again, author, form, outcome, page, revision, working};
use crate::domain::campaign::edit::{
    Element, Problems, ResourceForm, SurveyForm, WorkstreamForm, problem,
};
use crate::domain::form::FormData;
use crate::editor::{self, Working};
use crate::error::{AppError, AppResult};
use crate::store::sessions::Session;
use crate::web::AppState;
use crate::web::admin::redirect_with_notice;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use minijinja::value::Serde;
use minijinja::{Value, context};
use serde::Deserialize;

/// A workstream's form.
pub const WORKSTREAM: u8 = 0;
/// A resource's form.
pub const RESOURCE: u8 = 1;
/// A survey's form.
pub const SURVEY: u8 = 2;

/// The campaign, and the element's key when one is changed.
#[derive(Debug, Deserialize)]
pub struct ElementPath {
    slug: String,
    key: Option<String>,
}

fn element(part: u8, key: &str) -> Element {
    match part {
        WORKSTREAM => Element::Workstream(key.to_string()),
        RESOURCE => Element::Resource(key.to_string()),
        _ => Element::Survey(key.to_string()),
    }
}

/// The form as shown: the element's fields (and a workstream's leads, one per line).
fn shown(part: u8, working: &Working, key: Option<&str>) -> AppResult<Value> {
    let def = &working.definition;
    let missing = || AppError::NotFound;
    Ok(match (part, key) {
        (WORKSTREAM, Some(k)) => {
            let w = def
                .workstreams
                .iter()
                .find(|w| w.key == k)
                .ok_or_else(missing)?;
            let leads = working
                .leads
                .get(k)
                .map(|l| l.join("\n"))
                .unwrap_or_default();
            context! { form => Serde(WorkstreamForm::of(w)), leads_text => leads }
        }
        (WORKSTREAM, None) => context! { form => Serde(WorkstreamForm::default()) },
        (RESOURCE, Some(k)) => {
            let r = def
                .resources
                .iter()
                .find(|r| r.key == k)
                .ok_or_else(missing)?;
            context! { form => Serde(ResourceForm::of(r)) }
        }
        (RESOURCE, None) => context! { form => Serde(ResourceForm::default()) },
        (_, Some(k)) => {
            let s = def
                .surveys
                .iter()
                .find(|s| s.slug == k)
                .ok_or_else(missing)?;
            context! { form => Serde(SurveyForm::of(s)), survey => Serde(s) }
        }
        (_, None) => context! { form => Serde(SurveyForm::default()) },
    })
}

fn sent(part: u8, form: &FormData) -> Value {
    match part {
        WORKSTREAM => context! {
            form => Serde(WorkstreamForm::read(form)),
            leads_text => form.get("leads").unwrap_or(""),
        },
        RESOURCE => context! { form => Serde(ResourceForm::read(form)) },
        _ => context! { form => Serde(SurveyForm::read(form)) },
    }
}

async fn element_page(
    state: &AppState,
    session: &Session,
    (part, key): (u8, Option<&str>),
    (working, revision): (&Working, i32),
    (fields, problems): (Value, &Problems),
) -> AppResult<Response> {
    let (template, noun) = match part {
        WORKSTREAM => ("admin/campaigns/workstream.html", "workstream"),
        RESOURCE => ("admin/campaigns/resource.html", "resource"),
        _ => ("admin/campaigns/survey.html", "survey"),
    };
    let title = match key {
        Some(_) => format!("Change the {noun}"),
        None => format!("Add a {noun}"),
    };
    let fixed = key.is_some_and(|k| working.was_published(&element(part, k)));
    let ctx = context! { key, fixed, ..fields };
    page(
        state,
        session,
        (template, &title),
        (working, revision),
        problems,
        ctx,
    )
    .await
}

/// The form to add or change a workstream, resource or survey.
///
/// # Errors
/// An unknown campaign or element (404); the database's error.
pub async fn show<const PART: u8>(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(path): Path<ElementPath>,
) -> AppResult<Response> {
    let working = working(&state, &path.slug).await?;
    let key = path.key.as_deref();
    let fields = shown(PART, &working, key)?;
    let revision = working.revision();
    element_page(
        &state,
        &session,
        (PART, key),
        (&working, revision),
        (fields, &Vec::new()),
    )
    .await
}

/// A survey's page with the problems of a change to one of its questions.
///
/// # Errors
/// An unknown survey (404); the database's error.
pub async fn survey_page(
    state: &AppState,
    session: &Session,
    working: &Working,
    survey: &str,
    (problems, revision): (&Problems, i32),
) -> AppResult<Response> {
    let fields = shown(SURVEY, working, Some(survey))?;
    element_page(
        state,
        session,
        (SURVEY, Some(survey)),
        (working, revision),
        (fields, problems),
    )
    .await
}

/// Adds or changes a workstream, resource or survey.
///
/// # Errors
/// A form that cannot be read (400); an unknown campaign (404); the database's error.
#[tracing::instrument(skip_all)]
pub async fn save<const PART: u8>(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(path): Path<ElementPath>,
    body: Bytes,
) -> AppResult<Response> {
    let form = form(&body)?;
    let sent_revision = revision(&form)?;
    let editing = path.key.as_deref();
    let leads = match PART {
        WORKSTREAM => editor::lead_emails(&state.db, form.get("leads").unwrap_or("")).await?,
        _ => Ok(Vec::new()),
    };
    let (noun, new_key) = match PART {
        WORKSTREAM => ("workstream", WorkstreamForm::read(&form).key),
        RESOURCE => ("resource", ResourceForm::read(&form).key),
        _ => ("survey", SurveyForm::read(&form).slug),
    };
    let what = match editing {
        Some(k) => format!("changed {noun} {k}"),
        None => format!("added {noun} {new_key}"),
    };
    let key_field = if PART == SURVEY { "slug" } else { "key" };
    let result = editor::edit(
        &state.db,
        (&path.slug, sent_revision),
        author(&state, &session, &what),
        key_field,
        |def, lead_lists, working| {
            let mut problems = Problems::new();
            if let Some(k) = editing
                && let Err(p) = working.keep_key(&element(PART, k), &new_key, key_field)
            {
                problems.extend(p);
            }
            if let Err(p) = &leads {
                problems.push(p.clone());
            }
            let applied = match PART {
                WORKSTREAM => WorkstreamForm::read(&form).apply(def, editing),
                RESOURCE => ResourceForm::read(&form).apply(def, editing),
                _ => SurveyForm::read(&form).apply(def, editing),
            };
            if let Err(p) = applied {
                problems.extend(p);
            }
            if !problems.is_empty() {
                return Err(problems);
            }
            if let (WORKSTREAM, Ok(emails)) = (PART, &leads) {
                if let Some(old) = editing {
                    lead_lists.remove(old);
                }
                lead_lists.insert(new_key.clone(), emails.clone());
            }
            Ok(())
        },
    )
    .await;
    match outcome(&state, result, sent_revision)? {
        Ok(_) => {
            let (to, notice) = match PART {
                SURVEY => (
                    format!("/admin/campaigns/{}/surveys/{new_key}", path.slug),
                    match editing {
                        Some(_) => "The survey was saved.".to_string(),
                        None => "The survey was added. Now add its questions.".to_string(),
                    },
                ),
                _ => (
                    format!("/admin/campaigns/{}", path.slug),
                    format!("The {noun} {new_key} was saved."),
                ),
            };
            redirect_with_notice(&state, &session, &to, &notice).await
        }
        Err(Again { problems, revision }) => {
            let working = working(&state, &path.slug).await?;
            let problems = if problems.is_empty() {
                vec![problem(key_field, "Check the form and save again")]
            } else {
                problems
            };
            let mut fields = sent(PART, &form);
            if let (SURVEY, Some(k)) = (PART, editing)
                && let Some(s) = working.definition.survey(k)
            {
                fields = context! { survey => Serde(s), ..fields };
            }
            element_page(
                &state,
                &session,
                (PART, editing),
                (&working, revision),
                (fields, &problems),
            )
            .await
        }
    }
}
