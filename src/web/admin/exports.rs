//! `/admin/exports` (the export form and, for admins, the record of every
//! export) and `GET /admin/export.csv` (the CSV, streamed, the same bytes as
//! `campaign-feedback export responses` for the same filters).

use super::{filters, render_page};
use crate::domain::filter::RawFilter;
use crate::domain::officer::Role;
use crate::error::{AppError, AppResult};
use crate::export::{self, Channel, ExportError, ExportRequest};
use crate::store::{self, sessions::Session};
use crate::web::AppState;
use axum::Extension;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use minijinja::context;
use minijinja::value::Serde;
use serde::Deserialize;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// The export's query: the shared filters and its options.
#[derive(Debug, Deserialize)]
pub struct ExportQuery {
    format: Option<String>,
    bom: Option<String>,
    contact: Option<String>,
    labels: Option<String>,
    #[serde(flatten)]
    filter: RawFilter,
}

fn ticked(v: &Option<String>) -> bool {
    matches!(v.as_deref(), Some("1" | "yes" | "on" | "true"))
}

/// The export form, and the record of exports for admins.
///
/// # Errors
/// The database's error.
pub async fn get(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
) -> AppResult<Html<String>> {
    let is_admin = session.officer.role == Role::Admin;
    let records = if is_admin {
        store::audit::latest(&state.db, "export", 100).await?
    } else {
        Vec::new()
    };
    let officers: std::collections::HashMap<i32, String> = store::users::list(&state.db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.email))
        .collect();
    let records: Vec<_> = records
        .into_iter()
        .map(|r| {
            context! {
                at => r.at.format("%Y-%m-%d %H:%M UTC").to_string(),
                who => r.user_id.and_then(|id| officers.get(&id).cloned()).unwrap_or_else(|| "command line".into()),
                rows => r.detail.get("rows").cloned().map(Serde),
                filters => r.detail.get("filters").map(|f| f.to_string()).unwrap_or_default(),
                contact => r.detail.get("include_contact").and_then(serde_json::Value::as_bool).unwrap_or(false),
            }
        })
        .collect();
    let surveys = store::stats::per_survey(&state.db).await?;
    let filter = crate::domain::filter::ResponseFilter::default();
    let resources = super::coverage::resources(&state).await?;
    let newest = store::export::survey_versions(&state.db, &filter)
        .await
        .map_err(ExportError::from)?
        .iter()
        .map(|v| v.version)
        .max()
        .unwrap_or(1);
    render_page(
        &state,
        "admin/exports.html",
        &session,
        "exports",
        context! {
            page_title => "Exports",
            records,
            surveys => Serde(&surveys),
            resources,
            versions => (1..=newest).collect::<Vec<i32>>(),
            ..filters::form_context(&state, &filter, None).await?
        },
    )
    .await
}

/// Streams the CSV and records the export once it has been sent.
///
/// # Errors
/// A request from another site (403), a bad filter (400), contact details
/// asked by a non-admin (403), or the database's error.
#[tracing::instrument(skip_all)]
pub async fn download(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    headers: HeaderMap,
    Query(query): Query<ExportQuery>,
) -> AppResult<Response> {
    refuse_other_sites(&state, &headers)?;
    let filter = query
        .filter
        .parse()
        .map_err(|e| AppError::BadRequest(format!("The export filter {e}")))?;
    let include_contact = ticked(&query.contact);
    if include_contact && session.officer.role != Role::Admin {
        return Err(AppError::Forbidden(
            "Only admins can export contact email addresses.".into(),
        ));
    }
    let request = ExportRequest {
        filter,
        timezone: state.config.timezone,
        include_contact,
        bom: ticked(&query.bom),
        labels: ticked(&query.labels),
        format: match query.format.as_deref().filter(|f| !f.is_empty()) {
            Some(f) => export::Format::parse(f).map_err(AppError::BadRequest)?,
            None => export::Format::Csv,
        },
    };
    let (body, done) = export::start(state.db.clone(), request.clone()).await?;
    let (db, now, officer_id) = (state.db.clone(), state.clock.now(), session.officer.id);
    let name = file_name(
        request
            .filter
            .campaign
            .as_deref()
            .or(request.filter.survey.as_deref()),
        now,
    )
    .replace(".csv", &format!(".{}", request.format.extension()));
    let media = request.format.media_type();
    // Recorded before the download ends, so the record exists once the file does.
    let record = Box::pin(async move {
        if let Ok(Ok(rows)) = done.await {
            let recorded =
                export::record(&db, &request, rows, Some(officer_id), Channel::Web, now).await;
            if let Err(e) = recorded {
                tracing::error!(error = %e, "could not record an export");
            }
        }
    });
    let body = RecordedStream {
        inner: body,
        record: Some(record),
    };
    download_as(Body::from_stream(body).into_response(), &name, media)
}

/// The session cookie goes along with a link from another site
/// (SameSite=Lax): such a link must not download anything.
fn refuse_other_sites(state: &AppState, headers: &HeaderMap) -> AppResult<()> {
    if crate::web::middleware::same_origin(headers, state.config.base_url.as_deref()) {
        return Ok(());
    }
    Err(AppError::Forbidden(
        "This export was requested from a link on another website, so it was not made. Open the exports page on this site and download it from there.".into(),
    ))
}

/// The codebook of the surveys the filter selects, as CSV.
///
/// # Errors
/// A request from another site (403), a bad filter (400), the database's error.
pub async fn codebook(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<ExportQuery>,
) -> AppResult<Response> {
    refuse_other_sites(&state, &headers)?;
    let filter = query
        .filter
        .parse()
        .map_err(|e| AppError::BadRequest(format!("The export filter {e}")))?;
    let bytes = export::codebook::codebook(&state.db, &filter, ticked(&query.bom))
        .await
        .map_err(ExportError::from)?;
    let scope = filter.campaign.as_deref().or(filter.survey.as_deref());
    let name = file_name(scope, state.clock.now()).replace(".csv", "-codebook.csv");
    download_as(bytes.into_response(), &name, "text/csv; charset=utf-8")
}

fn download_as(mut response: Response, name: &str, media: &'static str) -> AppResult<Response> {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    headers.insert(header::CONTENT_DISPOSITION, disposition);
    Ok(response)
}

/// `campaign-feedback-{campaign}-{date}.csv`; the slug is already URL-safe.
fn file_name(scope: Option<&str>, now: chrono::DateTime<chrono::Utc>) -> String {
    let scope: String = scope
        .unwrap_or("all")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    format!("campaign-feedback-{scope}-{}.csv", now.format("%Y-%m-%d"))
}

/// The CSV chunks, then the audit record once the last chunk is out.
struct RecordedStream {
    inner: export::CsvStream,
    record: Option<Pin<Box<dyn Future<Output = ()> + Send>>>,
}

impl futures_core::Stream for RecordedStream {
    type Item = Result<Vec<u8>, std::io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        match Pin::new(&mut self.inner).poll_next(cx) {
            Poll::Ready(None) => match self.record.as_mut() {
                Some(record) => {
                    std::task::ready!(record.as_mut().poll(cx));
                    self.record = None;
                    Poll::Ready(None)
                }
                None => Poll::Ready(None),
            },
            other => other,
        }
    }
}
