//! The embeddable "Was this useful? Yes / No": a plain HTML form on the
//! campaign's own pages posts to `POST /e/{slug}` (accepted from the
//! `EMBED_ORIGINS` sites only, rate-limited, no cookie set). A "No" leads
//! to `/e/{slug}/more`, one question on what was missing, added to the
//! same response once; then `/e/{slug}/thanks`.

use super::outreach::message_page;
use crate::domain::answer::parse_submission;
use crate::domain::form::FormData;
use crate::domain::question::{Question, QuestionKind};
use crate::error::{AppError, AppResult};
use crate::store::{self, responses::NewResponse, responses::Stored, surveys::SurveyRecord};
use crate::templates::render;
use crate::web::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;

/// Whether the request comes from a page of one of the listed sites.
fn allowed_origin(headers: &HeaderMap, allowed: &[String]) -> bool {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let origin = text(header::ORIGIN).map(str::to_string).or_else(|| {
        // Without Origin (older browsers), the referring page's origin.
        let referer = text(header::REFERER)?;
        let (scheme, rest) = referer.split_once("://")?;
        let host = rest.split(['/', '?', '#']).next()?;
        Some(format!("{scheme}://{host}"))
    });
    origin.is_some_and(|o| allowed.iter().any(|a| a.eq_ignore_ascii_case(&o)))
}

async fn embedded_survey(state: &AppState, slug: &str) -> AppResult<SurveyRecord> {
    store::surveys::find(&state.db, slug, None)
        .await?
        .filter(|s| s.embedded)
        .ok_or(AppError::NotFound)
}

fn follow_up_question(survey: &SurveyRecord) -> Option<&Question> {
    survey
        .questions
        .iter()
        .find(|q| q.kind == QuestionKind::LongText)
}

fn read(headers: &HeaderMap, body: Result<Bytes, BytesRejection>) -> AppResult<FormData> {
    super::submit::read_form(headers, body)
}

/// Stores a yes or no sent from an embedded form.
///
/// # Errors
/// 403 from a site not listed or for a closed survey; 400 for a form
/// without a yes or no; the database's error.
#[tracing::instrument(level = "debug", skip_all, fields(survey = %slug))]
pub async fn post(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> AppResult<Response> {
    if !allowed_origin(&headers, &state.config.embed_origins) {
        return Err(AppError::Forbidden(crate::i18n::text("embed-wrong-site")));
    }
    let form = read(&headers, body)?;
    let survey = embedded_survey(&state, &slug).await?;
    let Some(question) = survey.questions.first() else {
        return Err(AppError::NotFound);
    };
    let answer = form.get(&question.key).unwrap_or("");
    if !matches!(answer, "yes" | "no") {
        return Err(AppError::BadRequest(crate::i18n::text("embed-yes-or-no")));
    }
    let only = FormData::from_pairs([(question.key.as_str(), answer)]);
    let submission = parse_submission(std::slice::from_ref(question), &only, false)
        .map_err(|_| AppError::BadRequest(crate::i18n::text("embed-yes-or-no")))?;
    let submission_id = crate::domain::token::hex(&rand::random::<[u8; 16]>());
    let new = NewResponse {
        survey_id: survey.id,
        version_id: survey.version_id,
        submission_id: submission_id.clone(),
        submission,
        channel: "embed",
        language: crate::i18n::current(),
        submitted_at: state.clock.now(),
        received_on: state.today(),
    };
    match state.responses.store(new).await? {
        Stored::New(_) | Stored::Existing(_) => {
            metrics::counter!("responses_stored_total", "survey" => survey.slug.clone())
                .increment(1);
        }
        Stored::NotOpen(why) => {
            let message = super::words::availability(why).unwrap_or_default();
            return Err(AppError::Forbidden(message));
        }
    }
    let to = match (answer, follow_up_question(&survey)) {
        ("no", Some(_)) => format!(
            "/e/{}/more?t={}",
            survey.slug,
            state.signer.follow_up(&survey.slug, &submission_id)
        ),
        _ => format!("/e/{}/thanks", survey.slug),
    };
    Ok(Redirect::to(&to).into_response())
}

/// The query of the follow-up page: the signed follow-up token.
#[derive(Debug, serde::Deserialize)]
pub struct MoreQuery {
    t: Option<String>,
}

/// "What was missing?": the one question asked after "No".
///
/// # Errors
/// 404 for a survey or token not known; the database's error.
pub async fn more_page(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<MoreQuery>,
) -> AppResult<Response> {
    let survey = embedded_survey(&state, &slug).await?;
    let token = query.t.unwrap_or_default();
    if state.signer.verify_follow_up(&slug, &token).is_none() {
        return Err(AppError::NotFound);
    }
    more(&survey, &token, "", None, StatusCode::OK)
}

fn more(
    survey: &SurveyRecord,
    token: &str,
    text: &str,
    error: Option<String>,
    status: StatusCode,
) -> AppResult<Response> {
    let survey = super::words::localised(survey);
    let question = follow_up_question(&survey).ok_or(AppError::NotFound)?;
    let html = render(
        "public/embed_more.html",
        context! {
            slug => &survey.slug,
            question => &question.text,
            hint => &question.hint,
            key => &question.key,
            token, text, error,
        },
    )?;
    Ok((status, html).into_response())
}

/// Adds what was missing to the response, once.
///
/// # Errors
/// 404 for a survey or token not known; 422 for a text too long; the
/// database's error.
pub async fn more_post(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> AppResult<Response> {
    let form = read(&headers, body)?;
    let survey = embedded_survey(&state, &slug).await?;
    let token = form.get("t").unwrap_or("");
    let submission_id = state
        .signer
        .verify_follow_up(&slug, token)
        .ok_or(AppError::NotFound)?;
    let question = follow_up_question(&survey).ok_or(AppError::NotFound)?;
    let text = form.get(&question.key).unwrap_or("");
    let only = FormData::from_pairs([(question.key.as_str(), text)]);
    let worded = super::words::localised(&survey);
    let asked = follow_up_question(&worded).unwrap_or(question);
    match parse_submission(std::slice::from_ref(asked), &only, false) {
        Ok(submission) => {
            if let Some(answer) = submission.answers.first()
                && let crate::domain::answer::AnswerValue::Text(text) = &answer.value
            {
                store::responses::add_follow_up(&state.db, &submission_id, &answer.key, text)
                    .await?;
            }
            Ok(Redirect::to(&format!("/e/{}/thanks", survey.slug)).into_response())
        }
        Err(errors) => {
            let message = errors.first().map(|e| crate::i18n::message(&e.msg));
            more(
                &survey,
                token,
                text,
                message,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    }
}

/// Thanks, after the yes or no (and what was missing).
///
/// # Errors
/// 404 for a survey not embedded.
pub async fn thanks(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    embedded_survey(&state, &slug).await?;
    message_page(
        StatusCode::OK,
        crate::i18n::text("embed-thanks-title"),
        crate::i18n::text("embed-thanks-body"),
    )
}
