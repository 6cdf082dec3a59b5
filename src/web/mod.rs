//! HTTP: the router, its middleware and the handlers. Handlers are thin:
//! extract, call `domain` and `store`, render.

pub mod admin;
pub mod api;
pub mod assets;
pub mod lang;
pub mod middleware;
pub mod ops;
pub mod public;
pub mod rate_limit;
pub mod request_metrics;
pub mod serve;
pub mod state;

pub use state::AppState;

use crate::error::AppError;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;

/// The largest form body accepted.
pub const FORM_BODY_LIMIT: usize = 64 * 1024;

/// Every route of the service, with its middleware.
pub fn router(state: AppState) -> Router {
    let routes = Router::new()
        .route("/", get(public::landing::get))
        .route(
            "/surveys/{slug}",
            get(public::survey::get).post(public::submit::post),
        )
        .route("/surveys/{slug}/thanks", get(public::thanks::get))
        .route("/i/{token}", get(public::outreach::invitation))
        .route(
            "/unsubscribe/{token}",
            get(public::outreach::unsubscribe_page).post(public::outreach::unsubscribe),
        )
        .route("/s/{slug}", get(public::outreach::short_link))
        .route("/e/{slug}", axum::routing::post(public::embed::post))
        .route(
            "/e/{slug}/more",
            get(public::embed::more_page).post(public::embed::more_post),
        )
        .route("/e/{slug}/thanks", get(public::embed::thanks))
        .route("/accessibility", get(public::statements::accessibility))
        .route("/privacy", get(public::statements::privacy))
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
        .route("/assets/{file}", get(assets::get))
        .merge(admin::router(&state))
        .merge(api::router(&state))
        .fallback(|| async { AppError::NotFound });
    layered(routes, state)
}

/// Wraps routes in the service's middleware: one guard
/// ([`middleware::guard`]) around every route, so every response, the
/// timeout's 408 and a caught panic's 500 included, carries the security
/// headers and the request id.
///
/// The layers are composed first and wrap each route once: every
/// `Router::layer` call boxes each route again, which is one more boxed
/// clone and future per request.
pub fn layered(routes: Router<AppState>, state: AppState) -> Router {
    let layers = tower::ServiceBuilder::new()
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::guard,
        ))
        .layer(DefaultBodyLimit::max(FORM_BODY_LIMIT));
    routes.layer(layers).with_state(state)
}
