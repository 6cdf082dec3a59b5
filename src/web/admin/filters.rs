//! The filter form shared by results, comments and exports: read from the
//! query string, shown with the menus of the register's values.

use crate::domain::filter::{FilterError, RawFilter, ResponseFilter};
use crate::error::AppResult;
use crate::store;
use crate::web::AppState;
use minijinja::context;
use minijinja::value::{Serde, Value};

/// A parsed filter, or the empty one with the error to show.
pub fn parse(raw: RawFilter) -> (ResponseFilter, Option<FilterError>) {
    match raw.parse() {
        Ok(filter) => (filter, None),
        Err(e) => (ResponseFilter::default(), Some(e)),
    }
}

/// What the filter form needs: the current values and the menus.
///
/// # Errors
/// The database's error.
pub async fn form_context(
    state: &AppState,
    filter: &ResponseFilter,
    error: Option<&FilterError>,
) -> AppResult<Value> {
    let (nations, regions, types) = store::stats::register_values(&state.db).await?;
    Ok(context! {
        filter => Serde(filter),
        filter_query => filter.to_query(),
        filter_error => error.map(|e| context! { field => e.field, message => e.message.clone() }),
        nations, regions, types,
    })
}
