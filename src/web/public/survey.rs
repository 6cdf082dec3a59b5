//! `GET /surveys/{slug}`: the survey form, or a plain message when it is closed.

use super::form_view;
use crate::app::AppState;
use crate::domain::answer::{FieldError, HONEYPOT_FIELD, TOKEN_FIELD};
use crate::domain::availability::Availability;
use crate::domain::form::FormData;
use crate::domain::question::QuestionKind;
use crate::error::{AppError, AppResult};
use crate::store::{self, surveys::SurveyRecord};
use crate::web::render::render;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use minijinja::context;
use minijinja::value::Serde;

/// Shows a survey.
///
/// # Errors
/// [`AppError::NotFound`] for an unknown survey; the database's error.
#[tracing::instrument(skip_all, fields(survey = %slug))]
pub async fn get(State(state): State<AppState>, Path(slug): Path<String>) -> AppResult<Response> {
    let survey = store::surveys::find(&state.db, &slug, None)
        .await?
        .ok_or(AppError::NotFound)?;
    let token = state.signer.issue(
        &survey.slug,
        survey.version_id,
        state.clock.now(),
        &mut rand::rng(),
    );
    page(
        &state,
        &survey,
        &FormData::default(),
        &[],
        &token,
        StatusCode::OK,
    )
    .await
}

/// Whether the survey takes submissions today.
pub fn availability(state: &AppState, survey: &SurveyRecord) -> Availability {
    Availability::on(
        state.today(),
        survey.opens_on,
        survey.closes_on,
        survey.closed,
    )
}

/// Renders the survey page: the form with answers kept and errors shown, or
/// the closed message.
///
/// # Errors
/// The database's error, or a template bug.
pub async fn page(
    state: &AppState,
    survey: &SurveyRecord,
    form: &FormData,
    errors: &[FieldError],
    token: &str,
    status: StatusCode,
) -> AppResult<Response> {
    let asks_organisation = survey
        .questions
        .iter()
        .any(|q| q.kind == QuestionKind::Organisation);
    let councils = if asks_organisation {
        store::organisations::current_councils(&state.db).await?
    } else {
        Vec::new()
    };
    let chosen = form_view::chosen_council(&survey.questions, form);
    let closed_message = availability(state, survey).message();
    let title = if errors.is_empty() {
        survey.title.clone()
    } else {
        format!("Error: {}", survey.title)
    };
    let html = render(
        "public/survey.html",
        context! {
            page_title => title,
            survey => context! {
                slug => &survey.slug,
                title => &survey.title,
                intro => &survey.intro,
                campaign_title => &survey.campaign_title,
                resource_title => survey.resource.as_ref().map(|r| r.1.clone()),
                resource_url => survey.resource.as_ref().and_then(|r| r.2.clone()),
            },
            closed_message,
            questions => Serde(form_view::questions(&survey.questions, form, errors)),
            council_groups => Serde(form_view::council_groups(&councils, &chosen)),
            has_councils => !councils.is_empty(),
            errors => Serde(errors),
            token,
            token_field => TOKEN_FIELD,
            honeypot_field => HONEYPOT_FIELD,
            honeypot_value => form.get(HONEYPOT_FIELD).unwrap_or(""),
            retention_days => state.config.retention_days,
        },
    )?;
    let mut response = (status, html).into_response();
    // Not `no-store`: going back must show the same form with the same token,
    // so a back-and-submit is recognised as the same submission.
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    Ok(response)
}
