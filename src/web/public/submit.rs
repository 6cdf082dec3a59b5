//! `POST /surveys/{slug}`: check, store once, and redirect to the confirmation.

use super::survey::{availability, not_saved_page, page};
use super::{form_view, words};
use crate::domain::answer::{
    self, FieldError, HONEYPOT_FIELD, LANG_FIELD, OrganisationAnswer, Submission, TOKEN_FIELD,
    parse_submission,
};
use crate::domain::form::FormData;
use crate::domain::lang::{Lang, Msg};
use crate::domain::reference::Reference;
use crate::domain::token::FormToken;
use crate::error::{AppError, AppResult};
use crate::store::{self, responses::NewResponse, responses::Stored, surveys::SurveyRecord};
use crate::web::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashSet;
use std::sync::Arc;

/// Receives a submission.
///
/// # Errors
/// [`AppError`] for a body that cannot be read (413, 415, 400), a closed
/// survey (403) or a database failure (503, nothing stored).
#[tracing::instrument(level = "debug", skip_all, fields(survey = %slug))]
pub async fn post(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> AppResult<Response> {
    let form = read_form(&headers, body)?;
    let now = state.clock.now();
    let sent_token = form.get(TOKEN_FIELD).unwrap_or("");
    let verified = state.signer.verify(&slug, sent_token, now);
    let pinned = verified.as_ref().ok().map(|t| t.version_id);
    let survey = survey_for(&state, &slug, pinned).await?;
    if let Some(message) = words::availability(availability(&state, &survey)) {
        return not_saved_page(&state, &survey, &form, message).await;
    }
    refuse_unknown_fields(&survey.questions, &form)?;
    if let Some(lang) = form.get(LANG_FIELD).and_then(Lang::parse) {
        // The language switch of a form: the same form in the other
        // language, every answer kept; nothing is stored.
        let token = match &verified {
            Ok(_) => sent_token.to_string(),
            Err(_) => state
                .signer
                .issue(&survey.slug, survey.version_id, now, &mut rand::rng()),
        };
        let secure = state.config.secure_cookies();
        let shown = crate::i18n::scope_lang(
            lang,
            page(&state, &survey, &form, &[], &token, StatusCode::OK),
        );
        let mut response = shown.await?;
        crate::web::lang::remember(&mut response, lang, secure);
        response.headers_mut().insert(
            header::CONTENT_LANGUAGE,
            axum::http::HeaderValue::from_static(lang.html()),
        );
        return Ok(response);
    }
    if form_view::asks_council_search(&survey.questions, &form) {
        // The council search without JavaScript: the same form again, every
        // answer kept, with the councils that match; nothing is stored.
        let token = match &verified {
            Ok(_) => sent_token.to_string(),
            Err(_) => state
                .signer
                .issue(&survey.slug, survey.version_id, now, &mut rand::rng()),
        };
        return page(&state, &survey, &form, &[], &token, StatusCode::OK).await;
    }

    let councils_available = survey.register_loaded;
    let honeypot_filled = form.get(HONEYPOT_FIELD).is_some_and(|v| !v.is_empty());
    // What is accepted does not depend on the wording, so the questions are
    // worded in the page's language (a copy of each) only when something
    // was wrong, for each problem to quote its question as shown.
    let parsed = parse_submission(&survey.questions, &form, councils_available).or_else(|_| {
        let worded = words::localised(&survey).questions;
        parse_submission(&worded, &form, councils_available)
    });
    let mut errors = match parsed {
        Ok(submission) => {
            let council_known = match &submission.organisation {
                Some(OrganisationAnswer::Council(code)) => {
                    store::organisations::is_current_council(&state.db, code).await?
                }
                _ => true,
            };
            match (&verified, council_known, honeypot_filled) {
                (Ok(token), true, false) => {
                    return match store_response(&state, &survey, token, &submission).await? {
                        Ok(reference) => {
                            let to = format!("/surveys/{}/thanks?ref={reference}", survey.slug);
                            Ok(Redirect::to(&to).into_response())
                        }
                        Err(why) => not_saved_page(&state, &survey, &form, why).await,
                    };
                }
                (_, false, _) => council_not_found(&survey.questions),
                _ => Vec::new(),
            }
        }
        Err(errors) => errors,
    };
    if honeypot_filled {
        errors.push(FieldError {
            field: HONEYPOT_FIELD.into(),
            question: HONEYPOT_FIELD.into(),
            msg: Msg::new("error-honeypot"),
        });
    }
    let token = match &verified {
        Ok(_) => sent_token.to_string(),
        Err(e) => {
            // An expired or broken token: say so first, and give a fresh one
            // so that sending the kept answers again works.
            errors.insert(
                0,
                FieldError {
                    field: "submit".into(),
                    question: String::new(),
                    msg: words::token_problem(*e),
                },
            );
            let mut rng = rand::rng();
            state
                .signer
                .issue(&survey.slug, survey.version_id, now, &mut rng)
        }
    };
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    page(&state, &survey, &form, &errors, &token, status).await
}

/// The body as a form: the right content type, within the size limit,
/// valid UTF-8, not too many fields.
pub(crate) fn read_form(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> AppResult<FormData> {
    let body = body.map_err(|e| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge,
        _ => AppError::BadRequest(crate::i18n::text("error-form-unreadable")),
    })?;
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(AppError::UnsupportedMediaType);
    }
    FormData::parse(&body).map_err(|e| AppError::BadRequest(e.to_string()))
}

/// The survey at the version the form showed, as read at most
/// `SURVEY_PAGE_CACHE_SECONDS` ago; read afresh when that copy says it is
/// closed (it may have reopened since). Whether it is open is checked again
/// when the response is stored.
async fn survey_for(
    state: &AppState,
    slug: &str,
    pinned: Option<i32>,
) -> AppResult<Arc<SurveyRecord>> {
    let key = format!("{slug}#{}", pinned.unwrap_or(0));
    if let Some(survey) = state.survey_records.get(&key)
        && availability(state, &survey).is_open()
    {
        return Ok(survey);
    }
    let survey = Arc::new(
        store::surveys::find(&state.db, slug, pinned)
            .await?
            .ok_or(AppError::NotFound)?,
    );
    state.survey_records.put(key, Arc::clone(&survey));
    Ok(survey)
}

/// Stores the response (once per form token): its reference, or why the
/// survey took nothing (it closed a moment ago).
async fn store_response(
    state: &AppState,
    survey: &SurveyRecord,
    token: &FormToken,
    submission: &Submission,
) -> AppResult<Result<Reference, String>> {
    let new = NewResponse {
        survey_id: survey.id,
        version_id: survey.version_id,
        submission_id: token.submission_id.clone(),
        submission: submission.clone(),
        channel: "web",
        language: crate::i18n::current(),
        submitted_at: state.clock.now(),
        received_on: state.today(),
    };
    let reference = match state.responses.store(new).await? {
        Stored::New(reference) => {
            metrics::counter!("responses_stored_total", "survey" => survey.slug.clone())
                .increment(1);
            tracing::debug!("response stored");
            reference
        }
        Stored::Existing(reference) => reference,
        Stored::NotOpen(why) => {
            return Ok(Err(words::availability(why).unwrap_or_default()));
        }
    };
    Ok(Ok(reference))
}

fn council_not_found(questions: &[crate::domain::question::Question]) -> Vec<FieldError> {
    questions
        .iter()
        .filter(|q| q.kind == crate::domain::question::QuestionKind::Organisation)
        .map(|q| FieldError {
            field: format!("{}-council", q.key),
            question: q.key.clone(),
            msg: Msg::new("error-select-council"),
        })
        .collect()
}

/// Refuses fields that no question of the survey reads, naming the first.
fn refuse_unknown_fields(
    questions: &[crate::domain::question::Question],
    form: &FormData,
) -> AppResult<()> {
    let known: HashSet<String> = questions
        .iter()
        .flat_map(answer::field_names)
        .chain([TOKEN_FIELD, HONEYPOT_FIELD, LANG_FIELD].map(String::from))
        .collect();
    match form.names().find(|n| !known.contains(*n)) {
        Some(unknown) => Err(AppError::BadRequest(crate::i18n::text_in(
            crate::i18n::current(),
            "error-unknown-field",
            &[(
                "field",
                crate::domain::lang::Arg::Text(unknown.chars().take(60).collect()),
            )],
        ))),
        None => Ok(()),
    }
}
