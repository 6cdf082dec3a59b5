//! `GET /`: each campaign with its resources, each with its survey.

use crate::domain::availability::Availability;
use crate::error::AppResult;
use crate::store;
use crate::templates::render;
use crate::web::AppState;
use axum::extract::State;
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

/// The landing page.
///
/// # Errors
/// The database's error, shown as a "try again" page.
#[tracing::instrument(skip_all)]
pub async fn get(State(state): State<AppState>) -> AppResult<Html<String>> {
    let today = state.today();
    let mut campaigns = Vec::new();
    for campaign in store::campaigns::rows(&state.db).await? {
        let surveys = store::surveys::rows_for_campaign(&state.db, campaign.id).await?;
        let link = |s: &crate::entities::surveys::Model| {
            let availability =
                Availability::on(today, campaign.opens_on, campaign.closes_on, s.closed);
            SurveyLink {
                slug: s.slug.clone(),
                title: s.title.clone(),
                open: availability.is_open(),
                message: availability.message(),
            }
        };
        let resources = store::campaigns::resource_rows(&state.db, campaign.id)
            .await?
            .into_iter()
            .map(|r| ResourceView {
                surveys: surveys
                    .iter()
                    .filter(|s| s.resource_key.as_deref() == Some(r.key.as_str()))
                    .map(link)
                    .collect(),
                title: r.title,
                description: r.description,
                url: r.url,
            })
            .collect();
        let whole = surveys
            .iter()
            .filter(|s| s.resource_key.is_none())
            .map(link)
            .collect();
        campaigns.push(CampaignView {
            title: campaign.title,
            description: campaign.description,
            resources,
            whole,
        });
    }
    Ok(render(
        "public/landing.html",
        context! { campaigns => Serde(&campaigns) },
    )?)
}
