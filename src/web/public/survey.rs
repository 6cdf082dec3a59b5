//! `GET /surveys/{slug}`: the survey form, or a plain message when it is closed.

use super::cache::CachedPage;
use super::form_view;
use crate::domain::answer::{FieldError, HONEYPOT_FIELD, TOKEN_FIELD};
use crate::domain::availability::Availability;
use crate::domain::form::FormData;
use crate::domain::question::QuestionKind;
use crate::error::{AppError, AppResult};
use crate::store::{self, surveys::SurveyRecord};
use crate::templates::render;
use crate::web::AppState;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use minijinja::context;
use minijinja::value::Serde;

/// Shows a survey: the cached page with a fresh token when there is one.
/// Its span is at debug level (as are the other public pages'): a view logs
/// nothing at the default level, and a span per view was 5% of its CPU.
///
/// # Errors
/// [`AppError::NotFound`] for an unknown survey; the database's error.
#[tracing::instrument(level = "debug", skip_all, fields(survey = %slug))]
pub async fn get(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<SurveyQuery>,
) -> AppResult<Response> {
    let issue = |slug: &str, version_id: i32| {
        state
            .signer
            .issue(slug, version_id, state.clock.now(), &mut rand::rng())
    };
    if let Some(code) = query.council.filter(|c| !c.is_empty()) {
        return with_council(&state, &slug, &code.to_uppercase()).await;
    }
    let lang = crate::i18n::current();
    if let Some(cached) = state.survey_pages.get(&slug, lang) {
        let token = issue(&cached.slug, cached.version_id);
        return Ok(html_response(
            StatusCode::OK,
            Body::new(cached.with_token(&token)),
        ));
    }
    let survey = store::surveys::find(&state.db, &slug, None)
        .await?
        .ok_or(AppError::NotFound)?;
    let blank = FormData::default();
    if let Some(placeholder) = state.survey_pages.placeholder() {
        let view = View::blank(&blank, placeholder);
        let html = render_page(&state, &survey, view).await?;
        let key = (survey.slug.as_str(), survey.version_id, lang);
        if let Some(page) = CachedPage::split(key, &html, placeholder) {
            let body = Body::new(page.with_token(&issue(&survey.slug, survey.version_id)));
            state.survey_pages.put(page);
            return Ok(html_response(StatusCode::OK, body));
        }
    }
    let token = issue(&survey.slug, survey.version_id);
    page(&state, &survey, &blank, &[], &token, StatusCode::OK).await
}

/// The query of a survey page: `?council=CODE` (from a personal link)
/// opens it with that council chosen.
#[derive(Debug, Default, serde::Deserialize)]
pub struct SurveyQuery {
    council: Option<String>,
}

/// The survey with a council already chosen (not cached: it differs by council).
async fn with_council(state: &AppState, slug: &str, code: &str) -> AppResult<Response> {
    let survey = store::surveys::find(&state.db, slug, None)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut form = FormData::default();
    if store::organisations::is_current_council(&state.db, code).await? {
        form = form_view::council_chosen(&survey.questions, code);
    }
    let token = state.signer.issue(
        &survey.slug,
        survey.version_id,
        state.clock.now(),
        &mut rand::rng(),
    );
    page(state, &survey, &form, &[], &token, StatusCode::OK).await
}

/// The page for answers sent to a survey that no longer takes them (it
/// closed while the respondent was filling it in): why, and what they
/// wrote, so they can keep it.
///
/// # Errors
/// The database's error, or a template bug.
pub async fn not_saved_page(
    state: &AppState,
    survey: &SurveyRecord,
    form: &FormData,
    why: String,
) -> AppResult<Response> {
    let view = View {
        form,
        errors: &[],
        token: "",
        closed: Some(why),
        preview: None,
    };
    let html = render_page(state, survey, view).await?;
    Ok(html_response(StatusCode::FORBIDDEN, html.into_bytes()))
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

/// The survey page as a response: the form with answers kept and errors
/// shown, or the closed message.
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
    let view = View {
        form,
        errors,
        token,
        closed: None,
        preview: None,
    };
    let html = render_page(state, survey, view).await?;
    Ok(html_response(status, html.into_bytes()))
}

/// What the editor's preview adds to a survey page: where its form goes,
/// the officer's CSRF token, the way back, and what sending it found.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Preview {
    /// Where the form posts (the preview, never the survey).
    pub action: String,
    /// The officer's CSRF token.
    pub csrf_token: String,
    /// The editor's page of the survey.
    pub back: String,
    /// Whether the answers sent would be accepted.
    pub accepted: bool,
    /// What respondents would be told of the survey's dates, if it would be closed.
    pub availability: Option<String>,
}

/// A survey page as the editor previews it: the respondent's page exactly,
/// errors included, posting back to the preview; nothing is stored.
///
/// # Errors
/// The database's error, or a template bug.
pub async fn preview_page(
    state: &AppState,
    survey: &SurveyRecord,
    (form, errors): (&FormData, &[FieldError]),
    preview: Preview,
    status: StatusCode,
) -> AppResult<Response> {
    let view = View {
        form,
        errors,
        token: "",
        closed: None,
        preview: Some(preview),
    };
    let html = render_page(state, survey, view).await?;
    let headers = [
        (
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        ),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
    ];
    Ok((status, headers, html).into_response())
}

fn html_response(status: StatusCode, body: impl Into<Body>) -> Response {
    let mut response = Response::new(body.into());
    *response.status_mut() = status;
    // Room for every header the page will carry (the guard's security
    // headers and language included) at once, not grown and rehashed.
    let headers = response.headers_mut();
    headers.reserve(crate::web::middleware::RESPONSE_HEADERS);
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    // Not `no-store`: going back must show the same form with the same
    // token, so a back-and-submit is recognised as the same submission.
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    response
}

/// What a survey page shows besides the survey itself.
struct View<'a> {
    /// The answers sent, kept in the form.
    form: &'a FormData,
    /// What to fix, beside each field.
    errors: &'a [FieldError],
    /// The form token.
    token: &'a str,
    /// Why it takes no answers, when that is known already; otherwise the
    /// survey's dates decide.
    closed: Option<String>,
    /// The editor's preview, which is always open and stores nothing.
    preview: Option<Preview>,
}

impl<'a> View<'a> {
    fn blank(form: &'a FormData, token: &'a str) -> Self {
        Self {
            form,
            errors: &[],
            token,
            closed: None,
            preview: None,
        }
    }
}

async fn render_page(state: &AppState, survey: &SurveyRecord, view: View<'_>) -> AppResult<String> {
    let survey = &super::words::localised(survey);
    let View {
        form,
        errors,
        token,
        closed,
        preview,
    } = view;
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
    // Answers sent to a closed survey are shown back, so nothing typed is lost.
    let sent = closed.is_some();
    let written = match sent {
        true => form_view::written(&survey.questions, form, &councils),
        false => Vec::new(),
    };
    let closed_message = match &preview {
        Some(_) => None,
        None => closed.or_else(|| super::words::availability(availability(state, survey))),
    };
    let written = match &preview {
        Some(p) if p.accepted => form_view::written(&survey.questions, form, &councils),
        _ => written,
    };
    let title = if errors.is_empty() {
        survey.title.clone()
    } else {
        format!("{} {}", crate::i18n::text("error-prefix"), survey.title)
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
            sent,
            written => Serde(written),
            questions => Serde(form_view::questions(&survey.questions, form, errors, &councils)),
            problems => Serde(super::words::problems(errors)),
            council_groups => Serde(form_view::council_groups(&councils, &chosen)),
            has_councils => !councils.is_empty(),
            token,
            token_field => TOKEN_FIELD,
            honeypot_field => HONEYPOT_FIELD,
            honeypot_value => form.get(HONEYPOT_FIELD).unwrap_or(""),
            retention_days => state.config.retention_days,
            preview => Serde(preview),
        },
    )?;
    Ok(html.0)
}
