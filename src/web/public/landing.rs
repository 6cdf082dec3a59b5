//! `GET /`: each campaign with its resources, each with its survey.

use crate::domain::availability::Availability;
use crate::domain::welsh::{Welsh, pick};
use crate::error::AppResult;
use crate::store::{self, campaigns::SurveyOutline};
use crate::templates::render;
use crate::web::AppState;
use axum::extract::{Query, State};
use axum::response::Html;
use minijinja::context;
use minijinja::value::Serde;
use serde::Serialize;

#[derive(Serialize)]
struct SurveyLink {
    slug: String,
    title: String,
    open: bool,
    message: Option<String>,
}

#[derive(Serialize)]
struct ResourceView {
    title: String,
    description: String,
    url: Option<String>,
    surveys: Vec<SurveyLink>,
}

#[derive(Serialize)]
struct CampaignView {
    title: String,
    description: String,
    resources: Vec<ResourceView>,
    whole: Vec<SurveyLink>,
}

/// The query: `?council=CODE`, where a personal link lands, carries the
/// council into every survey link.
#[derive(Debug, Default, serde::Deserialize)]
pub struct LandingQuery {
    council: Option<String>,
}

/// The landing page.
///
/// # Errors
/// The database's error, shown as a "try again" page.
#[tracing::instrument(skip_all)]
pub async fn get(
    State(state): State<AppState>,
    Query(query): Query<LandingQuery>,
) -> AppResult<Html<String>> {
    let council = match query.council.map(|c| c.to_uppercase()) {
        Some(code) if store::organisations::is_current_council(&state.db, &code).await? => {
            let name = store::organisations::name(&state.db, &code).await?;
            Some(context! { code, name })
        }
        _ => None,
    };
    let today = state.today();
    let lang = crate::i18n::current();
    let title = |english: &str, cy: &Option<Welsh>| {
        pick(lang, english, cy.as_ref().and_then(|w| w.title.as_ref()))
    };
    let description = |english: &str, cy: &Option<Welsh>| {
        pick(
            lang,
            english,
            cy.as_ref().and_then(|w| w.description.as_ref()),
        )
    };
    let campaigns: Vec<CampaignView> = store::campaigns::outlines(&state.db)
        .await?
        .into_iter()
        .map(|c| {
            let links = |surveys: Vec<SurveyOutline>| -> Vec<SurveyLink> {
                surveys
                    .into_iter()
                    .filter(|s| !s.embedded)
                    .map(|s| {
                        let availability =
                            Availability::on(today, c.opens_on, c.closes_on, s.closed);
                        SurveyLink {
                            title: title(&s.title, &s.cy),
                            slug: s.slug,
                            open: availability.is_open(),
                            message: super::words::availability(availability),
                        }
                    })
                    .collect()
            };
            CampaignView {
                resources: c
                    .resources
                    .into_iter()
                    .map(|r| ResourceView {
                        surveys: links(r.surveys),
                        title: title(&r.title, &r.cy),
                        description: description(&r.description, &r.cy),
                        url: r.url,
                    })
                    .collect(),
                whole: links(c.whole),
                title: title(&c.title, &c.cy),
                description: description(&c.description, &c.cy),
            }
        })
        .collect();
    Ok(render(
        "public/landing.html",
        context! { campaigns => Serde(&campaigns), council },
    )?)
}
