//! `/admin/campaigns/{slug}/outreach`: the campaign's contacts and
//! response rates, importing contacts, sending invitations and reminders;
//! `/admin/campaigns/{slug}/share`: short links, QR codes and the
//! embeddable form to copy.

use super::multipart;
use super::{redirect_with_notice, render_page};
use crate::error::{AppError, AppResult};
use crate::outreach::{self, contacts::ContactsError};
use crate::store::{self, sessions::Session};
use crate::web::AppState;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use minijinja::context;
use minijinja::value::Serde;

/// The most a contacts file may hold.
pub const UPLOAD_LIMIT: usize = 2 * 1024 * 1024;

async fn campaign_id(state: &AppState, slug: &str) -> AppResult<i32> {
    store::campaigns::id_of(&state.db, slug)
        .await?
        .ok_or(AppError::NotFound)
}

/// The outreach page.
///
/// # Errors
/// An unknown campaign (404); the database's error.
pub async fn get(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    page(&state, &session, &slug, None).await
}

async fn page(
    state: &AppState,
    session: &Session,
    slug: &str,
    refused: Option<(String, Vec<String>)>,
) -> AppResult<Response> {
    let id = campaign_id(state, slug).await?;
    let campaign = store::campaigns::outline(&state.db, id).await?;
    let contacts = outreach::overview(&state.db, id).await?;
    let rates = store::contacts::rates::rates(&state.db, id).await?;
    let not_invited = contacts
        .iter()
        .filter(|c| c.invited_at.is_none() && !c.pending)
        .filter(|c| c.unsubscribed_at.is_none() && c.failure.is_none())
        .count();
    let status = if refused.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    let (problem, lines) = refused.unzip();
    let tz = state.config.timezone;
    let day = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map(|t| t.with_timezone(&tz).format("%-d %b %Y").to_string())
    };
    let rows: Vec<_> = contacts
        .iter()
        .map(|c| context! { c => Serde(c), invited => day(c.invited_at), followed => day(c.followed_at) })
        .collect();
    let html = render_page(
        state,
        "admin/outreach.html",
        session,
        "campaigns",
        context! {
            page_title => if problem.is_some() { "Error: Outreach" } else { "Outreach" },
            slug,
            campaign => Serde(&campaign),
            contacts => rows,
            rates => Serde(&rates),
            not_invited,
            rule => context! {
                after_days => state.config.reminders.after_days,
                max => state.config.reminders.max,
            },
            problem,
            lines,
            retention_days => state.config.retention_days,
        },
    )
    .await?;
    Ok((status, html).into_response())
}

/// Imports the uploaded contacts file: all its rows, or none.
///
/// # Errors
/// A body that is not a multipart form (400); the database's error.
#[tracing::instrument(skip_all)]
pub async fn import(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<Response> {
    let parts = multipart::upload(&headers, body).await?;
    let file = parts
        .iter()
        .find(|p| p.name == "file" && p.file_name.as_deref().is_some_and(|n| !n.is_empty()));
    let Some(file) = file else {
        let problem = "Choose a CSV file of contacts to upload".to_string();
        return page(&state, &session, &slug, Some((problem, Vec::new()))).await;
    };
    let Ok(text) = std::str::from_utf8(&file.data) else {
        let problem = "The file is not text in UTF-8: save it from the spreadsheet as “CSV UTF-8” and upload it again".to_string();
        return page(&state, &session, &slug, Some((problem, Vec::new()))).await;
    };
    let by = (state.clock.now(), Some(session.officer.id));
    match outreach::contacts::import(&state.db, &state.outreach, &slug, text, by).await {
        Ok(counts) => {
            let notice = format!(
                "Contacts imported: {} added, {} updated.",
                counts.added, counts.updated
            );
            let to = format!("/admin/campaigns/{slug}/outreach");
            redirect_with_notice(&state, &session, &to, &notice).await
        }
        Err(ContactsError::Db(e)) => Err(e.into()),
        Err(ContactsError::UnknownCampaign(_)) => Err(AppError::NotFound),
        Err(e) => {
            let lines = e.lines();
            let problem = format!("The file was not imported: {e}");
            page(&state, &session, &slug, Some((problem, lines))).await
        }
    }
}

/// Sends the invitations not sent yet.
///
/// # Errors
/// An unknown campaign (404); the database's error.
#[tracing::instrument(skip_all)]
pub async fn invite(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let now = state.clock.now();
    let run = outreach::invite(
        &state.db,
        &state.mailer,
        &state.outreach,
        &slug,
        (now, false),
    );
    let notice = match run.await {
        Ok(report) => report_notice("Invitations", &report),
        Err(outreach::OutreachError::UnknownCampaign(_)) => return Err(AppError::NotFound),
        Err(e @ outreach::OutreachError::Closed(_)) => format!("Nothing was sent: {e}."),
        Err(e) => return Err(AppError::Internal(e.to_string())),
    };
    let to = format!("/admin/campaigns/{slug}/outreach");
    redirect_with_notice(&state, &session, &to, &notice).await
}

/// Sends the reminders due, first reminders without waiting their days.
///
/// # Errors
/// An unknown campaign (404); the database's error.
#[tracing::instrument(skip_all)]
pub async fn remind(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let id = campaign_id(&state, &slug).await?;
    let now = state.clock.now();
    let report = outreach::remind(
        &state.db,
        &state.mailer,
        &state.outreach,
        (now, true),
        Some(id),
    )
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let notice = report_notice("Reminders", &report);
    let to = format!("/admin/campaigns/{slug}/outreach");
    redirect_with_notice(&state, &session, &to, &notice).await
}

fn report_notice(what: &str, r: &outreach::Report) -> String {
    if r.recorded == 0 && r.sent == 0 && r.failed == 0 && r.retrying == 0 {
        return format!("{what}: none was due, nothing was sent.");
    }
    let mut notice = format!("{what}: {} sent.", r.sent);
    if r.retrying > 0 {
        notice.push_str(&format!(" {} will be tried again shortly.", r.retrying));
    }
    if r.failed > 0 {
        notice.push_str(&format!(
            " {} could not be delivered: see the contacts marked below.",
            r.failed
        ));
    }
    notice
}

/// The public address of the service, for links to print.
fn base_url(state: &AppState) -> String {
    state.outreach.digest.base_url.clone()
}

/// The share page: each survey's short link and QR code, and the HTML of
/// each embedded survey's form.
///
/// # Errors
/// An unknown campaign (404); the database's error.
pub async fn share(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let id = campaign_id(&state, &slug).await?;
    let campaign = store::campaigns::outline(&state.db, id).await?;
    let base = base_url(&state);
    let mut links = vec![context! {
        name => "campaign", title => format!("{} (the campaign page)", campaign.title),
        url => format!("{base}/s/{slug}"),
    }];
    let mut embeds = Vec::new();
    let surveys = campaign
        .resources
        .iter()
        .flat_map(|r| r.surveys.iter())
        .chain(&campaign.whole);
    for survey in surveys {
        if survey.embedded {
            let found = store::surveys::find(&state.db, &survey.slug, None).await?;
            if let Some(record) = found {
                embeds.push(context! {
                    title => &survey.title,
                    slug => &survey.slug,
                    html => crate::templates::render_text(
                        "admin/embed_snippet.html",
                        context! { base => &base, slug => &survey.slug, question => record.questions.first().map(|q| q.text.clone()), key => record.questions.first().map(|q| q.key.clone()) },
                    )?,
                });
            }
        } else {
            links.push(context! {
                name => &survey.slug, title => &survey.title,
                url => format!("{base}/s/{}", survey.slug),
            });
        }
    }
    let html = render_page(
        &state,
        "admin/share.html",
        &session,
        "campaigns",
        context! {
            page_title => "Share",
            slug, campaign => Serde(&campaign), links, embeds,
            origins => &state.config.embed_origins,
            base_set => state.config.base_url.is_some(),
        },
    )
    .await?;
    Ok(html.into_response())
}

/// A short link's QR code: `{name}.svg` or `{name}.png`, where the name is
/// a survey's slug or `campaign`.
///
/// # Errors
/// An unknown campaign, survey or format (404); the database's error.
pub async fn qr(
    State(state): State<AppState>,
    Path((slug, file)): Path<(String, String)>,
) -> AppResult<Response> {
    let id = campaign_id(&state, &slug).await?;
    let (name, format) = file.rsplit_once('.').ok_or(AppError::NotFound)?;
    let target = if name == "campaign" {
        slug.clone()
    } else {
        let survey = store::surveys::find(&state.db, name, None)
            .await?
            .ok_or(AppError::NotFound)?;
        let campaign = store::campaigns::outline(&state.db, id).await?;
        let ours = campaign
            .resources
            .iter()
            .flat_map(|r| r.surveys.iter())
            .chain(&campaign.whole)
            .any(|s| s.slug == survey.slug);
        if !ours {
            return Err(AppError::NotFound);
        }
        survey.slug
    };
    let url = format!("{}/s/{target}", base_url(&state));
    let (bytes, media) = match format {
        "svg" => (
            crate::domain::qr::svg(&url).map(String::into_bytes),
            "image/svg+xml",
        ),
        "png" => (crate::domain::qr::png(&url, 10), "image/png"),
        _ => return Err(AppError::NotFound),
    };
    let bytes = bytes.map_err(AppError::Internal)?;
    let disposition = format!("inline; filename=\"{slug}-{name}-qr.{format}\"");
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static(media)),
        (
            header::CONTENT_DISPOSITION,
            HeaderValue::from_str(&disposition)
                .unwrap_or_else(|_| HeaderValue::from_static("inline")),
        ),
    ];
    Ok((headers, bytes).into_response())
}
