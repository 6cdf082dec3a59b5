//! The officers' side under `/admin`: every route is declared once in
//! [`entries`] with the least role it needs, and [`guard`] enforces sign-in,
//! role and CSRF for all of them.

pub mod audit;
pub mod campaigns;
pub mod charts;
pub mod comments;
pub mod coverage;
pub mod dashboard;
pub mod data;
pub mod digests;
pub mod exports;
pub mod filters;
pub mod login;
pub mod multipart;
pub mod outreach;
pub mod reset;
pub mod responses;
pub mod results;
pub mod session;
pub mod tokens;
pub mod users;
pub mod webhooks;

use crate::domain::form::FormData;
use crate::domain::officer::Role;
use crate::domain::token::constant_time_eq;
use crate::error::AppError;
use crate::web::AppState;
use crate::web::FORM_BODY_LIMIT;
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{MethodRouter, get, post};

/// Name of the CSRF field in every admin form.
pub const CSRF_FIELD: &str = "csrf_token";

/// One guarded route.
pub struct Entry {
    /// The path, with `{param}` placeholders.
    pub path: &'static str,
    /// The least role allowed.
    pub role: Role,
    /// The methods it answers.
    pub methods: &'static [Method],
    /// The handlers.
    pub router: MethodRouter<AppState>,
}

fn entry(
    path: &'static str,
    role: Role,
    methods: &'static [Method],
    router: MethodRouter<AppState>,
) -> Entry {
    Entry {
        path,
        role,
        methods,
        router,
    }
}

/// Every guarded admin route, with the least role it needs.
pub fn entries() -> Vec<Entry> {
    use Role::{Admin, Analyst, Editor, Lead};
    use campaigns::elements::{self, RESOURCE, SURVEY, WORKSTREAM};
    use campaigns::{campaign, files, list, preview, publish, questions};
    const GET: &[Method] = &[Method::GET];
    const POST: &[Method] = &[Method::POST];
    const BOTH: &[Method] = &[Method::GET, Method::POST];
    vec![
        entry("/admin", Analyst, GET, get(dashboard::get)),
        entry("/admin/surveys/{slug}", Analyst, GET, get(results::get)),
        entry("/admin/comments", Analyst, GET, get(comments::get)),
        entry("/admin/coverage", Analyst, GET, get(coverage::get)),
        entry("/admin/responses", Analyst, GET, get(responses::lookup)),
        entry(
            "/admin/responses/{reference}",
            Analyst,
            GET,
            get(responses::get),
        ),
        entry(
            "/admin/responses/{reference}/delete",
            Admin,
            BOTH,
            get(responses::confirm_delete).post(responses::delete),
        ),
        entry("/admin/exports", Analyst, GET, get(exports::get)),
        entry("/admin/export.csv", Analyst, GET, get(exports::download)),
        entry("/admin/export", Analyst, GET, get(exports::download)),
        entry("/admin/codebook.csv", Analyst, GET, get(exports::codebook)),
        entry("/admin/digests", Lead, GET, get(digests::get)),
        entry("/admin/digests/preview", Lead, GET, get(digests::preview)),
        entry(
            "/admin/digests/subscribe",
            Lead,
            POST,
            post(digests::subscribe),
        ),
        entry(
            "/admin/digests/unsubscribe",
            Lead,
            POST,
            post(digests::unsubscribe),
        ),
        entry("/admin/digests/resend", Admin, POST, post(digests::resend)),
        entry(
            "/admin/users",
            Admin,
            BOTH,
            get(users::list).post(users::add),
        ),
        entry("/admin/users/disable", Admin, POST, post(users::disable)),
        entry("/admin/users/enable", Admin, POST, post(users::enable)),
        entry(
            "/admin/users/reset",
            Admin,
            POST,
            post(users::send_reset_link),
        ),
        entry(
            "/admin/tokens",
            Admin,
            BOTH,
            get(tokens::list).post(tokens::create),
        ),
        entry("/admin/tokens/revoke", Admin, POST, post(tokens::revoke)),
        entry(
            "/admin/webhooks",
            Admin,
            BOTH,
            get(webhooks::list).post(webhooks::add),
        ),
        entry(
            "/admin/webhooks/remove",
            Admin,
            POST,
            post(webhooks::remove),
        ),
        entry(
            "/admin/webhooks/resend",
            Admin,
            POST,
            post(webhooks::resend),
        ),
        entry("/admin/data", Admin, GET, get(data::get)),
        entry("/admin/audit", Admin, GET, get(audit::get)),
        entry("/admin/audit.csv", Admin, GET, get(audit::download)),
        entry("/admin/data/report", Admin, POST, post(data::report)),
        entry("/admin/data/erase", Admin, POST, post(data::erase)),
        entry("/admin/logout", Analyst, POST, post(login::logout)),
        entry("/admin/campaigns", Editor, GET, get(list::get)),
        entry(
            "/admin/campaigns/new",
            Editor,
            BOTH,
            get(list::new).post(list::create),
        ),
        entry(
            "/admin/campaigns/upload",
            Editor,
            BOTH,
            get(files::upload_form)
                .post(files::upload)
                .layer(axum::extract::DefaultBodyLimit::max(files::UPLOAD_LIMIT)),
        ),
        entry("/admin/campaigns/{slug}", Editor, GET, get(campaign::get)),
        entry(
            "/admin/campaigns/{slug}/details",
            Editor,
            BOTH,
            get(campaign::details).post(campaign::save_details),
        ),
        entry(
            "/admin/campaigns/{slug}/arrange",
            Editor,
            POST,
            post(campaign::arrange),
        ),
        entry(
            "/admin/campaigns/{slug}/workstreams",
            Editor,
            BOTH,
            get(elements::show::<WORKSTREAM>).post(elements::save::<WORKSTREAM>),
        ),
        entry(
            "/admin/campaigns/{slug}/workstreams/{key}",
            Editor,
            BOTH,
            get(elements::show::<WORKSTREAM>).post(elements::save::<WORKSTREAM>),
        ),
        entry(
            "/admin/campaigns/{slug}/resources",
            Editor,
            BOTH,
            get(elements::show::<RESOURCE>).post(elements::save::<RESOURCE>),
        ),
        entry(
            "/admin/campaigns/{slug}/resources/{key}",
            Editor,
            BOTH,
            get(elements::show::<RESOURCE>).post(elements::save::<RESOURCE>),
        ),
        entry(
            "/admin/campaigns/{slug}/surveys",
            Editor,
            BOTH,
            get(elements::show::<SURVEY>).post(elements::save::<SURVEY>),
        ),
        entry(
            "/admin/campaigns/{slug}/surveys/{key}",
            Editor,
            BOTH,
            get(elements::show::<SURVEY>).post(elements::save::<SURVEY>),
        ),
        entry(
            "/admin/campaigns/{slug}/surveys/{survey}/questions",
            Editor,
            BOTH,
            get(questions::new).post(questions::save),
        ),
        entry(
            "/admin/campaigns/{slug}/surveys/{survey}/questions/{key}",
            Editor,
            BOTH,
            get(questions::show).post(questions::save),
        ),
        entry(
            "/admin/campaigns/{slug}/preview/{survey}",
            Editor,
            BOTH,
            get(preview::get).post(preview::post),
        ),
        entry(
            "/admin/campaigns/{slug}/publish",
            Editor,
            BOTH,
            get(publish::review).post(publish::publish),
        ),
        entry(
            "/admin/campaigns/{slug}/discard",
            Editor,
            BOTH,
            get(publish::confirm_discard).post(publish::discard),
        ),
        entry(
            "/admin/campaigns/{slug}/outreach",
            Editor,
            GET,
            get(outreach::get),
        ),
        entry(
            "/admin/campaigns/{slug}/outreach/contacts",
            Editor,
            POST,
            post(outreach::import)
                .layer(axum::extract::DefaultBodyLimit::max(outreach::UPLOAD_LIMIT)),
        ),
        entry(
            "/admin/campaigns/{slug}/outreach/invitations",
            Editor,
            POST,
            post(outreach::invite),
        ),
        entry(
            "/admin/campaigns/{slug}/outreach/reminders",
            Editor,
            POST,
            post(outreach::remind),
        ),
        entry(
            "/admin/campaigns/{slug}/share",
            Editor,
            GET,
            get(outreach::share),
        ),
        entry(
            "/admin/campaigns/{slug}/qr/{file}",
            Editor,
            GET,
            get(outreach::qr),
        ),
        entry(
            "/admin/campaigns/{slug}/campaign.toml",
            Editor,
            GET,
            get(files::published),
        ),
        entry(
            "/admin/campaigns/{slug}/draft.toml",
            Editor,
            GET,
            get(files::draft),
        ),
    ]
}

/// The route table without handlers: (path, least role, methods), for tests.
pub fn route_table() -> Vec<(&'static str, Role, &'static [Method])> {
    entries()
        .into_iter()
        .map(|e| (e.path, e.role, e.methods))
        .collect()
}

/// The `/admin` routes: sign-in pages open, everything else guarded.
pub fn router(state: &AppState) -> Router<AppState> {
    let mut router = Router::new()
        .route("/admin/login", get(login::form).post(login::submit))
        .route("/admin/reset/{token}", get(reset::form).post(reset::submit));
    for e in entries() {
        router = router.route(
            e.path,
            e.router
                .route_layer(from_fn_with_state((state.clone(), e.role), guard)),
        );
    }
    router
}

/// Signed in, allowed, and (for a POST) carrying this session's CSRF token;
/// the session is then available to the handler as an extension.
pub async fn guard(
    State((state, role)): State<(AppState, Role)>,
    request: Request,
    next: Next,
) -> Response {
    let session = match session::current(&state, request.headers()).await {
        Ok(Some(session)) => session,
        Ok(None) => {
            let wanted = request
                .uri()
                .path_and_query()
                .map_or("/admin", |p| p.as_str());
            let next_param = serde_urlencoded::to_string([("next", wanted)]).unwrap_or_default();
            return Redirect::to(&format!("/admin/login?{next_param}")).into_response();
        }
        Err(e) => return e.into_response(),
    };
    if session.officer.role < role {
        return AppError::Forbidden(format!(
            "This page is for officers with the {} role. Ask an admin if you need it.",
            role.as_str()
        ))
        .into_response();
    }
    let mut request = request;
    if request.method() == Method::POST {
        let (parts, body) = request.into_parts();
        let limit = body_limit(parts.uri.path());
        let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
            return AppError::PayloadTooLarge.into_response();
        };
        let sent = match multipart::boundary(&parts.headers) {
            Some(boundary) => multipart::parts(bytes.clone(), &boundary)
                .await
                .ok()
                .and_then(|p| multipart::text(&p, CSRF_FIELD).map(str::to_string)),
            None => FormData::parse(&bytes)
                .ok()
                .and_then(|f| f.get(CSRF_FIELD).map(str::to_string)),
        };
        if !sent.is_some_and(|t| constant_time_eq(t.as_bytes(), session.csrf_token.as_bytes())) {
            return AppError::Forbidden(
                "This form has expired or did not come from this site. Go back, reload the page and try again.".into(),
            )
            .into_response();
        }
        request = Request::from_parts(parts, Body::from(bytes));
    }
    request.extensions_mut().insert(session);
    next.run(request).await
}

/// The most a POST to `path` may send: a campaign file is larger than a form.
pub fn body_limit(path: &str) -> usize {
    if path == "/admin/campaigns/upload" {
        campaigns::files::UPLOAD_LIMIT
    } else {
        FORM_BODY_LIMIT
    }
}

/// Renders an officers' page with what every one needs: who is signed in,
/// the CSRF token for forms, the section for the navigation, and the
/// one-time notice the last action left (taken, so a reload does not repeat it).
///
/// # Errors
/// A template bug, or the database's error.
pub async fn render_page(
    state: &AppState,
    name: &str,
    session: &crate::store::sessions::Session,
    section: &str,
    ctx: minijinja::Value,
) -> crate::error::AppResult<axum::response::Html<String>> {
    let notice = crate::store::sessions::take_notice(&state.db, session).await?;
    let base = minijinja::context! {
        officer => minijinja::value::Serde(&session.officer),
        csrf_token => &session.csrf_token,
        section,
        is_admin => session.officer.role == Role::Admin,
        is_editor => session.officer.role >= Role::Editor,
        notice,
    };
    Ok(crate::templates::render(
        name,
        minijinja::context! { ..base, ..ctx },
    )?)
}

/// Redirects after an action, leaving `notice` for the next page: it is
/// kept with the session, never put in the URL (where it would reach logs
/// and anyone could write one).
///
/// # Errors
/// The database's error.
pub async fn redirect_with_notice(
    state: &AppState,
    session: &crate::store::sessions::Session,
    to: &str,
    notice: &str,
) -> crate::error::AppResult<Response> {
    crate::store::sessions::set_notice(&state.db, &session.id, notice).await?;
    Ok(Redirect::to(to).into_response())
}
