//! `/admin/audit` and `/admin/audit.csv`: the audit log for admins,
//! filtered by what, who and when, read on the page or downloaded.

use super::render_page;
use crate::domain::audit::{ACTIONS, action_label, describe};
use crate::domain::filter::{FilterError, RawFilter};
use crate::error::{AppError, AppResult};
use crate::export::encoder::neutralise;
use crate::store::audit::{AuditEntry, AuditFilter};
use crate::store::{self, sessions::Session, users::Officer};
use crate::web::AppState;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use minijinja::context;
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};

/// Entries on a page.
const PER_PAGE: u64 = 50;
/// The most entries a download holds.
const MOST_IN_A_FILE: u64 = 100_000;

/// The page's query: what, who, from and to, and the page.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct AuditQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    action: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    officer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    since: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    until: Option<String>,
    #[serde(skip_serializing)]
    page: Option<String>,
}

fn filter_of(
    state: &AppState,
    q: &AuditQuery,
    officers: &[Officer],
) -> Result<AuditFilter, FilterError> {
    let dates = RawFilter {
        since: q.since.clone(),
        until: q.until.clone(),
        ..RawFilter::default()
    }
    .parse()?;
    let (since, until) = dates.bounds(&state.config.timezone);
    let officer = q
        .officer
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty());
    let user_id = match officer {
        None => None,
        Some(email) => Some(
            officers
                .iter()
                .find(|o| o.email.eq_ignore_ascii_case(email))
                .map(|o| o.id)
                .ok_or(FilterError {
                    field: "officer",
                    message: format!("no officer has the email address {email:?}"),
                })?,
        ),
    };
    Ok(AuditFilter {
        action: q.action.clone().filter(|a| !a.trim().is_empty()),
        user_id,
        since,
        until,
    })
}

/// Who did it, in words.
fn who(entry: &AuditEntry, officers: &[Officer]) -> String {
    match entry.user_id {
        Some(id) => officers
            .iter()
            .find(|o| o.id == id)
            .map_or_else(|| format!("Officer {id}"), |o| o.email.clone()),
        None if entry.action == "personal_data_purged" => "The service".into(),
        None => "Command line".into(),
    }
}

/// The audit log page.
///
/// # Errors
/// The database's error.
pub async fn get(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Query(q): Query<AuditQuery>,
) -> AppResult<Html<String>> {
    let officers = store::users::list(&state.db).await?;
    let (filter, error) = match filter_of(&state, &q, &officers) {
        Ok(f) => (f, None),
        Err(e) => (AuditFilter::default(), Some(e)),
    };
    let page = q
        .page
        .as_deref()
        .and_then(|p| p.parse::<u64>().ok())
        .unwrap_or(1)
        .clamp(1, u64::MAX / PER_PAGE);
    let (entries, total) =
        store::audit::page(&state.db, &filter, PER_PAGE, (page - 1) * PER_PAGE).await?;
    let tz = state.config.timezone;
    let entries: Vec<_> = entries
        .iter()
        .map(|e| {
            context! {
                when => e.at.with_timezone(&tz).format("%-d %b %Y %H:%M").to_string(),
                who => who(e, &officers),
                what => action_label(&e.action),
                details => describe(&e.detail),
            }
        })
        .collect();
    // Actions known, and any others already recorded.
    let mut actions: Vec<(String, String)> = ACTIONS
        .iter()
        .map(|(c, l)| (c.to_string(), l.to_string()))
        .collect();
    for code in store::audit::actions(&state.db).await? {
        if !actions.iter().any(|(c, _)| *c == code) {
            actions.push((code.clone(), code));
        }
    }
    render_page(
        &state,
        "admin/audit.html",
        &session,
        "audit",
        context! {
            page_title => if error.is_some() { "Error: Audit log" } else { "Audit log" },
            entries,
            total,
            page,
            pages => total.div_ceil(PER_PAGE).max(1),
            actions,
            officers => Serde(&officers),
            q => Serde(&q),
            keep => serde_urlencoded::to_string(&q).unwrap_or_default(),
            filter_error => error.map(|e| context! { field => e.field, message => e.message }),
        },
    )
    .await
}

/// The audit log under the same filters, as CSV.
///
/// # Errors
/// A request from another site (403), a bad filter (400), the database's error.
pub async fn download(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<AuditQuery>,
) -> AppResult<Response> {
    if !crate::web::middleware::same_origin(&headers, state.config.base_url.as_deref()) {
        return Err(AppError::Forbidden(
            "This download was requested from another website. Open the audit log on this site and download it from there.".into(),
        ));
    }
    let officers = store::users::list(&state.db).await?;
    let filter = filter_of(&state, &q, &officers)
        .map_err(|e| AppError::BadRequest(format!("The filter {e}")))?;
    let (entries, _) = store::audit::page(&state.db, &filter, MOST_IN_A_FILE, 0).await?;
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let write = |out: &mut csv::Writer<Vec<u8>>, cells: [&str; 6]| {
        let cells = cells.map(|c| neutralise(c).into_owned());
        out.write_record(&cells)
            .map_err(|e| AppError::Internal(e.to_string()))
    };
    write(
        &mut out,
        ["at", "who", "action", "what", "details", "detail_json"],
    )?;
    for e in &entries {
        let at = e.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let json = e.detail.to_string();
        let row = [
            at.as_str(),
            &who(e, &officers),
            &e.action,
            action_label(&e.action),
            &describe(&e.detail),
            &json,
        ];
        write(&mut out, row)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    let name = format!(
        "attachment; filename=\"audit-log-{}.csv\"",
        state.clock.now().format("%Y-%m-%d")
    );
    if let Ok(value) = HeaderValue::from_str(&name) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}
