//! A survey's questions in the editor: choose the kind of a new question,
//! then fill in its form; change one. Option rows are plain inputs, with a
//! button for more rows, so no script is needed.

use super::{Again, author, form, outcome, page, revision, working};
use crate::domain::campaign::edit::{Element, MAX_OPTION_ROWS, Problems, QuestionForm};
use crate::domain::form::FormData;
use crate::domain::question::QuestionKind;
use crate::editor::{self, Working};
use crate::error::{AppError, AppResult};
use crate::store::sessions::Session;
use crate::web::AppState;
use crate::web::admin::redirect_with_notice;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use minijinja::context;
use minijinja::value::Serde;
use serde::Deserialize;

/// The campaign, the survey and, when one is changed, the question's key.
#[derive(Debug, Deserialize)]
pub struct QuestionPath {
    slug: String,
    survey: String,
    key: Option<String>,
}

/// The kind chosen for a new question.
#[derive(Debug, Deserialize)]
pub struct KindQuery {
    kind: Option<String>,
}

/// Blank option rows shown below the options there are.
const BLANK_ROWS: usize = 2;
/// Rows the "Add more option rows" button adds.
const MORE_ROWS: usize = 5;

fn kinds() -> Vec<minijinja::Value> {
    QuestionKind::ALL
        .iter()
        .map(|k| context! { value => k.as_str(), label => k.label() })
        .collect()
}

async fn question_page(
    state: &AppState,
    session: &Session,
    (working, revision): (&Working, i32),
    (path, shown, rows): (&QuestionPath, &QuestionForm, usize),
    problems: &Problems,
) -> AppResult<Response> {
    let survey = working
        .definition
        .survey(&path.survey)
        .ok_or(AppError::NotFound)?;
    let mut options = shown.options.clone();
    options.resize(
        rows.clamp(options.len(), MAX_OPTION_ROWS),
        Default::default(),
    );
    let title = match &path.key {
        Some(_) => "Change the question",
        None => "Add a question",
    };
    let fixed = path
        .key
        .as_ref()
        .is_some_and(|k| working.was_published(&Element::Question(path.survey.clone(), k.clone())));
    let kind = shown.kind;
    let ctx = context! {
        survey => Serde(survey),
        key => &path.key,
        form => Serde(shown),
        options => Serde(options),
        has_options => kind.has_options(),
        has_scale => kind.scale().is_some(),
        kind_limit => kind.max_chars(),
        kind_label => kind.label(),
        kinds => kinds(),
        fixed,
        more_rows => MORE_ROWS,
    };
    page(
        state,
        session,
        ("admin/campaigns/question.html", title),
        (working, revision),
        problems,
        ctx,
    )
    .await
}

/// The kinds to choose from for a new question, or (with `?kind=`) its form.
///
/// # Errors
/// An unknown campaign or survey (404); the database's error.
pub async fn new(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(path): Path<QuestionPath>,
    Query(query): Query<KindQuery>,
) -> AppResult<Response> {
    let working = working(&state, &path.slug).await?;
    let revision = working.revision();
    let chosen = query.kind.as_deref().and_then(QuestionKind::parse);
    if let Some(kind) = chosen {
        let shown = QuestionForm::new(kind);
        let rows = if kind.has_options() { 3 } else { 0 };
        return question_page(
            &state,
            &session,
            (&working, revision),
            (&path, &shown, rows),
            &Vec::new(),
        )
        .await;
    }
    let survey = working
        .definition
        .survey(&path.survey)
        .ok_or(AppError::NotFound)?;
    let problems = match query.kind {
        Some(_) => vec![crate::domain::campaign::edit::problem(
            "kind-rating",
            "Select the kind of question",
        )],
        None => Vec::new(),
    };
    page(
        &state,
        &session,
        (
            "admin/campaigns/question_kind.html",
            "What kind of question?",
        ),
        (&working, revision),
        &problems,
        context! { survey => Serde(survey), kinds => kinds() },
    )
    .await
}

/// A question's form.
///
/// # Errors
/// An unknown campaign, survey or question (404); the database's error.
pub async fn show(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(path): Path<QuestionPath>,
) -> AppResult<Response> {
    let working = working(&state, &path.slug).await?;
    let question = working
        .definition
        .survey(&path.survey)
        .and_then(|s| {
            s.questions
                .iter()
                .find(|q| Some(&q.key) == path.key.as_ref())
        })
        .ok_or(AppError::NotFound)?;
    let shown = QuestionForm::of(question);
    let rows = shown.options.len()
        + if shown.kind.has_options() {
            BLANK_ROWS
        } else {
            0
        };
    let revision = working.revision();
    question_page(
        &state,
        &session,
        (&working, revision),
        (&path, &shown, rows),
        &Vec::new(),
    )
    .await
}

fn rows_sent(form: &FormData, shown: &QuestionForm) -> usize {
    let before: usize = form.get("rows").and_then(|r| r.parse().ok()).unwrap_or(0);
    before.max(shown.options.len() + BLANK_ROWS)
}

/// Adds or changes a question; "Add more option rows" shows the form again
/// with more rows and saves nothing.
///
/// # Errors
/// A form that cannot be read (400); an unknown campaign (404); the database's error.
#[tracing::instrument(skip_all)]
pub async fn save(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(path): Path<QuestionPath>,
    body: Bytes,
) -> AppResult<Response> {
    let form = form(&body)?;
    let sent = revision(&form)?;
    let shown = QuestionForm::read(&form)
        .ok_or_else(|| AppError::BadRequest("The form names no kind of question.".into()))?;
    if form.get("more").is_some() {
        let working = working(&state, &path.slug).await?;
        let rows = rows_sent(&form, &shown) + MORE_ROWS;
        return question_page(
            &state,
            &session,
            (&working, sent),
            (&path, &shown, rows),
            &Vec::new(),
        )
        .await;
    }
    let kind_problem =
        editor::kind_problem(&state.db, (&path.survey, &shown.key), shown.kind).await?;
    let what = match &path.key {
        Some(k) => format!("changed question {k} of survey {}", path.survey),
        None => format!("added question {} to survey {}", shown.key, path.survey),
    };
    let result = editor::edit(
        &state.db,
        (&path.slug, sent),
        author(&state, &session, &what),
        "key",
        |def, _, working| {
            let mut problems: Problems = kind_problem.into_iter().collect();
            if let Some(k) = &path.key {
                let element = Element::Question(path.survey.clone(), k.clone());
                if let Err(p) = working.keep_key(&element, &shown.key, "key") {
                    problems.extend(p);
                }
            }
            if let Err(p) = shown.apply(def, &path.survey, path.key.as_deref()) {
                problems.extend(p);
            }
            if problems.is_empty() {
                Ok(())
            } else {
                Err(problems)
            }
        },
    )
    .await;
    match outcome(&state, result, sent)? {
        Ok(_) => {
            let to = format!("/admin/campaigns/{}/surveys/{}", path.slug, path.survey);
            let notice = format!("The question {} was saved.", shown.key);
            redirect_with_notice(&state, &session, &to, &notice).await
        }
        Err(Again { problems, revision }) => {
            let working = working(&state, &path.slug).await?;
            let rows = rows_sent(&form, &shown);
            question_page(
                &state,
                &session,
                (&working, revision),
                (&path, &shown, rows),
                &problems,
            )
            .await
        }
    }
}
