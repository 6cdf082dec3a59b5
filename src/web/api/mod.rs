//! `/api/v1`: the read-only JSON API for analysts and other systems.
//!
//! Every request but the OpenAPI document carries `Authorization: Bearer
//! TOKEN` (tokens are made by admins: `tokens create`, `/admin/tokens`); it
//! acts with its officer's role, is limited to `API_RATE_LIMIT` requests a
//! minute per token and recorded in the audit log. Errors are
//! `application/problem+json` (RFC 9457). The OpenAPI 3.1 document at
//! `/api/v1/openapi.json` is generated from these handlers and types.

mod handlers;
mod params;
mod problem;
mod schema;

pub use problem::Problem;

use crate::web::AppState;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use utoipa::OpenApi;

/// The officer a request's token acts for, for the handlers.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The token's id.
    pub token_id: i32,
    /// Its officer.
    pub officer: crate::store::users::Officer,
}

/// The OpenAPI document, generated from the handlers and their types.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "campaign-feedback API",
        version = "1",
        description = "Read-only access to campaigns, surveys with their codebooks, responses and figures. Every request needs `Authorization: Bearer TOKEN`; admins make tokens. Errors are application/problem+json (RFC 9457)."
    ),
    paths(
        handlers::campaigns,
        handlers::surveys,
        handlers::survey,
        handlers::responses,
        handlers::figures
    ),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some("An API token made by an admin (`cfb_…`)"))
            .build();
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}

/// The API's routes.
pub fn router(state: &AppState) -> Router<AppState> {
    let guarded = Router::new()
        .route("/api/v1/campaigns", get(handlers::campaigns))
        .route("/api/v1/surveys", get(handlers::surveys))
        .route("/api/v1/surveys/{slug}", get(handlers::survey))
        .route("/api/v1/surveys/{slug}/figures", get(handlers::figures))
        .route("/api/v1/responses", get(handlers::responses))
        .route_layer(from_fn_with_state(state.clone(), authenticate));
    Router::new()
        .route("/api/v1/openapi.json", get(openapi))
        .merge(guarded)
        .route(
            "/api/v1/{*rest}",
            get(|| async {
                Problem::not_found("There is no such API address: see /api/v1/openapi.json")
            }),
        )
}

async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        ApiDoc::openapi().to_pretty_json().unwrap_or_default(),
    )
        .into_response()
}

/// Checks the bearer token, the rate limit, and records the request.
async fn authenticate(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or("");
    let now = state.clock.now();
    let caller = match crate::store::api_tokens::authenticate(&state.db, token, now).await {
        Ok(Some((token_id, officer))) => Caller { token_id, officer },
        Ok(None) => return Problem::unauthorized().into_response(),
        Err(e) => return Problem::unavailable(&e).into_response(),
    };
    if let Err(after) = state
        .api_limiter
        .check(caller.token_id, std::time::Instant::now())
    {
        return Problem::too_many(after).into_response();
    }
    let path = request.uri().path().to_string();
    let query = request
        .uri()
        .query()
        .unwrap_or("")
        .chars()
        .take(500)
        .collect::<String>();
    request.extensions_mut().insert(caller.clone());
    let response = next.run(request).await;
    let detail = serde_json::json!({
        "token": caller.token_id, "path": path, "query": query,
        "status": response.status().as_u16(),
    });
    if let Err(e) = crate::store::audit::record(
        &state.db,
        now,
        Some(caller.officer.id),
        "api_request",
        detail,
    )
    .await
    {
        tracing::warn!(error = %e, "could not record an API request");
    }
    response
}
