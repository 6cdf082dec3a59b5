//! `GET /accessibility` and `GET /privacy`: the accessibility statement and
//! the privacy notice every UK public-sector service publishes, in the
//! page's language, with who runs the service from the configuration.

use crate::error::AppResult;
use crate::templates::render;
use crate::web::AppState;
use axum::extract::State;
use axum::response::Html;
use minijinja::context;

fn operator(state: &AppState) -> minijinja::Value {
    let operator = &state.config.operator;
    context! {
        name => operator.name.clone(),
        contact => operator.contact.clone(),
        reviewed_on => operator.reviewed_on.map(crate::i18n::date),
    }
}

/// The accessibility statement.
///
/// # Errors
/// A template bug.
pub async fn accessibility(State(state): State<AppState>) -> AppResult<Html<String>> {
    Ok(render(
        "public/accessibility.html",
        context! { operator => operator(&state) },
    )?)
}

/// The privacy notice.
///
/// # Errors
/// A template bug.
pub async fn privacy(State(state): State<AppState>) -> AppResult<Html<String>> {
    Ok(render(
        "public/privacy.html",
        context! {
            operator => operator(&state),
            retention_days => state.config.retention_days,
        },
    )?)
}
