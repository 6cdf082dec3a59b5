//! The API's query parameters: the export's filters, typed in the OpenAPI
//! document and checked strictly (a typed parameter given must be of its
//! type), and the page's cursor and length.

use super::problem::Problem;
use crate::domain::filter::{FilterError, RawFilter, ResponseFilter};
use chrono::{DateTime, Utc};
use utoipa::IntoParams;

fn filter_problem(e: FilterError) -> Problem {
    Problem::bad_parameter(e.field, e.message)
}

/// Whether a parameter's text is of its type.
type Check = fn(&str) -> bool;

/// The filters of the responses and figures, as on the web export.
#[derive(Debug, Default, serde::Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FilterParams {
    /// Only this campaign (its slug).
    #[param(pattern = "^[^\\u0000]*$", max_length = 200)]
    campaign: Option<String>,
    /// Only this survey (its slug).
    #[param(pattern = "^[^\\u0000]*$", max_length = 200)]
    survey: Option<String>,
    /// Only surveys about this resource (its key).
    #[param(pattern = "^[^\\u0000]*$", max_length = 200)]
    resource: Option<String>,
    /// From this local day, inclusive (YYYY-MM-DD).
    #[param(value_type = Option<String>, format = Date)]
    since: Option<String>,
    /// Up to this local day, inclusive (YYYY-MM-DD); before `since`, nothing matches.
    #[param(value_type = Option<String>, format = Date)]
    until: Option<String>,
    /// Only councils of this nation.
    #[param(pattern = "^[^\\u0000]*$", max_length = 200)]
    nation: Option<String>,
    /// Only councils of this region.
    #[param(pattern = "^[^\\u0000]*$", max_length = 200)]
    region: Option<String>,
    /// Only councils of this type.
    #[param(pattern = "^[^\\u0000]*$", max_length = 200)]
    org_type: Option<String>,
    /// Only answers to this survey version (1, 2, …).
    #[param(value_type = Option<i32>, minimum = 1)]
    version: Option<String>,
    /// Only responses from this council (its register code).
    #[param(pattern = "^[^\\u0000]*$", max_length = 200)]
    organisation: Option<String>,
    /// Only surveys about this workstream's resources (its key).
    #[param(pattern = "^[^\\u0000]*$", max_length = 200)]
    workstream: Option<String>,
    /// Only responses given in this language: en or cy.
    #[param(value_type = Option<String>, pattern = "^(en|cy)$")]
    language: Option<String>,
}

impl FilterParams {
    /// The filter, or `None` when it can match nothing (`until` before `since`).
    pub(super) fn parse(self) -> Result<Option<ResponseFilter>, Problem> {
        // Stricter than the web form, which sends empty fields: a typed
        // parameter given must be exactly of its type.
        let typed: [(&str, &Option<String>, Check); 4] = [
            ("since", &self.since, |v| {
                v.parse::<chrono::NaiveDate>().is_ok()
            }),
            ("until", &self.until, |v| {
                v.parse::<chrono::NaiveDate>().is_ok()
            }),
            ("version", &self.version, |v| {
                v.parse::<i32>().is_ok_and(|n| n >= 1)
            }),
            ("language", &self.language, |v| matches!(v, "en" | "cy")),
        ];
        for (name, value, valid) in typed {
            if let Some(v) = value
                && !valid(v)
            {
                let shown: String = v.chars().take(40).collect();
                return Err(Problem::bad_parameter(
                    name,
                    format!("{shown:?} is not a valid {name}: see /api/v1/openapi.json"),
                ));
            }
        }
        let texts = [
            ("campaign", &self.campaign),
            ("survey", &self.survey),
            ("resource", &self.resource),
            ("nation", &self.nation),
            ("region", &self.region),
            ("org_type", &self.org_type),
            ("organisation", &self.organisation),
            ("workstream", &self.workstream),
        ];
        for (name, value) in texts {
            if value
                .as_deref()
                .is_some_and(|v| v.contains('\0') || v.chars().count() > 200)
            {
                let detail =
                    format!("{name} has a NUL character or more than 200 characters: no name has");
                return Err(Problem::bad_parameter(name, detail));
            }
        }
        let raw = RawFilter {
            campaign: self.campaign,
            survey: self.survey,
            resource: self.resource,
            since: self.since,
            until: self.until,
            nation: self.nation,
            region: self.region,
            org_type: self.org_type,
            version: self.version,
            organisation: self.organisation,
            workstream: self.workstream,
            language: self.language,
        };
        let day = |d: &Option<String>| {
            d.as_deref()
                .and_then(|d| d.trim().parse::<chrono::NaiveDate>().ok())
        };
        if let (Some(since), Some(until)) = (day(&raw.since), day(&raw.until))
            && since > until
        {
            return Ok(None);
        }
        raw.parse().map(Some).map_err(filter_problem)
    }
}

/// The query's parameters, or a problem naming what could not be read
/// (a parameter given twice, say).
pub(super) fn params<T: serde::de::DeserializeOwned>(query: &Option<String>) -> Result<T, Problem> {
    serde_urlencoded::from_str(query.as_deref().unwrap_or(""))
        .map_err(|e| Problem::bad_parameter("query", format!("The query could not be read: {e}")))
}

/// Where a page starts and how long it is.
#[derive(Debug, Default, serde::Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// `next_cursor` of the page before; omit for the first page.
    #[param(value_type = Option<String>, pattern = "^[0-9]+-[0-9]+$")]
    pub(super) cursor: Option<String>,
    /// Responses per page, 1 to 1000 (default 100).
    #[param(value_type = Option<i32>, minimum = 1, maximum = 1000)]
    pub(super) limit: Option<String>,
}

/// The last response of a page, as the next page starts after it: its
/// submission time to the nanosecond (as stored) and its id.
pub(super) fn cursor_of(at: DateTime<Utc>, id: i64) -> Option<String> {
    Some(format!("{}-{id}", at.timestamp_nanos_opt()?))
}

pub(super) fn parse_cursor(text: &str) -> Option<(DateTime<Utc>, i64)> {
    let (nanos, id) = text.split_once('-')?;
    let at = DateTime::from_timestamp_nanos(nanos.parse().ok()?);
    Some((at, id.parse().ok().filter(|id: &i64| *id >= 0)?))
}
