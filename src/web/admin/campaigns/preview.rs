//! `/admin/campaigns/{slug}/preview/{survey}`: a survey of the draft shown
//! exactly as respondents will see it. Sending it checks the answers as a
//! submission would, and shows the errors or what would be recorded;
//! nothing is stored.

use super::working;
use crate::domain::answer::{FieldError, parse_submission};
use crate::domain::availability::Availability;
use crate::domain::form::FormData;
use crate::domain::lang::Lang;
use crate::error::{AppError, AppResult};
use crate::store::{self, sessions::Session, surveys::SurveyRecord};
use crate::web::AppState;
use crate::web::public::form_view;
use crate::web::public::survey::{Preview, preview_page};
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;

async fn record(state: &AppState, slug: &str, survey: &str) -> AppResult<SurveyRecord> {
    let working = working(state, slug).await?;
    let def = working.definition;
    let s = def.survey(survey).ok_or(AppError::NotFound)?;
    let resource = s.resource.as_ref().and_then(|key| {
        def.resources
            .iter()
            .find(|r| &r.key == key)
            .map(|r| (r.key.clone(), r.title.clone(), r.url.clone()))
    });
    Ok(SurveyRecord {
        id: 0,
        slug: s.slug.clone(),
        title: s.title.clone(),
        intro: s.intro.clone(),
        closed: s.closed,
        embedded: s.embedded,
        resource,
        campaign_title: def.title.clone(),
        opens_on: def.opens_on,
        closes_on: def.closes_on,
        version_id: 0,
        questions: s.questions.clone(),
        register_loaded: !store::organisations::is_empty(&state.db).await?,
        cy: crate::store::surveys::RecordWelsh {
            survey: s.cy.clone(),
            resource: s
                .resource
                .as_ref()
                .and_then(|key| def.resources.iter().find(|r| &r.key == key))
                .and_then(|r| r.cy.clone()),
            campaign: def.cy.clone(),
        },
    })
}

fn preview(state: &AppState, session: &Session, (slug, survey): (&str, &SurveyRecord)) -> Preview {
    let availability = Availability::on(
        state.today(),
        survey.opens_on,
        survey.closes_on,
        survey.closed,
    );
    let lang = crate::i18n::current();
    Preview {
        action: format!(
            "/admin/campaigns/{slug}/preview/{}?lang={}",
            survey.slug,
            lang.code()
        ),
        csrf_token: session.csrf_token.clone(),
        back: format!("/admin/campaigns/{slug}/surveys/{}", survey.slug),
        accepted: false,
        availability: crate::web::public::words::availability(availability),
    }
}

/// The language a preview is asked in (`?lang=cy` previews the Welsh).
#[derive(Debug, serde::Deserialize)]
pub struct PreviewQuery {
    lang: Option<String>,
}

/// Runs a preview in the language asked for, at its own address.
async fn in_language<F: std::future::Future>(
    (slug, survey): (&str, &str),
    query: &PreviewQuery,
    work: F,
) -> F::Output {
    let here = crate::i18n::Here {
        lang: query
            .lang
            .as_deref()
            .and_then(Lang::parse)
            .unwrap_or_default(),
        address: format!("/admin/campaigns/{slug}/preview/{survey}"),
    };
    crate::i18n::scope(here, work).await
}

/// The survey as respondents will see it.
///
/// # Errors
/// An unknown campaign or survey (404); the database's error.
pub async fn get(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path((slug, survey)): Path<(String, String)>,
    Query(query): Query<PreviewQuery>,
) -> AppResult<Response> {
    in_language((&slug, &survey), &query, async {
        let record = record(&state, &slug, &survey).await?;
        let shown = preview(&state, &session, (&slug, &record));
        let form = FormData::default();
        preview_page(&state, &record, (&form, &[]), shown, StatusCode::OK).await
    })
    .await
}

/// Checks answers sent to the preview as a submission would; stores nothing.
///
/// # Errors
/// A form that cannot be read (400); an unknown survey (404); the database's error.
pub async fn post(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path((slug, survey)): Path<(String, String)>,
    Query(query): Query<PreviewQuery>,
    body: Bytes,
) -> AppResult<Response> {
    in_language(
        (&slug, &survey),
        &query,
        checked(&state, &session, (&slug, &survey), &body),
    )
    .await
}

async fn checked(
    state: &AppState,
    session: &Session,
    (slug, survey): (&str, &str),
    body: &[u8],
) -> AppResult<Response> {
    let form = super::form(body)?;
    let record = record(state, slug, survey).await?;
    let mut shown = preview(state, session, (slug, &record));
    if form_view::asks_council_search(&record.questions, &form) {
        return preview_page(state, &record, (&form, &[]), shown, StatusCode::OK).await;
    }
    let worded = crate::web::public::words::localised(&record).questions;
    let errors: Vec<FieldError> = match parse_submission(&worded, &form, record.register_loaded) {
        Ok(_) => Vec::new(),
        Err(errors) => errors,
    };
    shown.accepted = errors.is_empty();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    preview_page(state, &record, (&form, &errors), shown, status).await
}
