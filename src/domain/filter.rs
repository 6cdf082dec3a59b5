//! Filters on responses, shared by the results pages, the CSV export (web
//! and CLI) and the digests, so the same words select the same rows.

use super::lang::Lang;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

/// Which responses to look at. Every field is optional; empty means all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseFilter {
    /// Campaign slug.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<String>,
    /// Survey slug.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub survey: Option<String>,
    /// Resource key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// First local day included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<NaiveDate>,
    /// Last local day included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
    /// Nation of the council.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nation: Option<String>,
    /// Region of the council.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Type of the council, as the register names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_type: Option<String>,
    /// Survey version number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i32>,
    /// One council, by its register code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    /// The resources one workstream owns, by the workstream's key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workstream: Option<String>,
    /// The language the form was answered in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Lang>,
}

/// A filter value that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FilterError {
    /// The parameter's name.
    pub field: &'static str,
    /// What is wrong and what would be right.
    pub message: String,
}

/// A filter as typed in a query string or on the command line: all text.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawFilter {
    pub campaign: Option<String>,
    pub survey: Option<String>,
    pub resource: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub nation: Option<String>,
    pub region: Option<String>,
    pub org_type: Option<String>,
    pub version: Option<String>,
    pub organisation: Option<String>,
    pub workstream: Option<String>,
    pub language: Option<String>,
}

impl RawFilter {
    /// Checks and types the filter.
    ///
    /// # Errors
    /// [`FilterError`] naming the parameter: a bad date, a bad version, or
    /// `since` after `until`.
    pub fn parse(self) -> Result<ResponseFilter, FilterError> {
        let text = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        let date =
            |field: &'static str, v: Option<String>| -> Result<Option<NaiveDate>, FilterError> {
                match text(v) {
                    None => Ok(None),
                    Some(s) => s.parse().map(Some).map_err(|_| FilterError {
                        field,
                        message: format!("{s:?} is not a date; use YYYY-MM-DD, like 2026-11-20"),
                    }),
                }
            };
        let since = date("since", self.since)?;
        let until = date("until", self.until)?;
        if let (Some(s), Some(u)) = (since, until)
            && s > u
        {
            return Err(FilterError {
                field: "since",
                message: format!("{s} is after the end date {u}"),
            });
        }
        let version = match text(self.version) {
            None => None,
            Some(v) => Some(
                v.parse::<i32>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or(FilterError {
                        field: "version",
                        message: format!("{v:?} is not a version number like 1 or 2"),
                    })?,
            ),
        };
        let language = match text(self.language) {
            None => None,
            Some(code) => Some(Lang::parse(&code).ok_or(FilterError {
                field: "language",
                message: format!("{code:?} is not a language of the service: use en or cy"),
            })?),
        };
        Ok(ResponseFilter {
            language,
            campaign: text(self.campaign),
            survey: text(self.survey),
            resource: text(self.resource),
            since,
            until,
            nation: text(self.nation),
            region: text(self.region),
            org_type: text(self.org_type),
            version,
            organisation: text(self.organisation).map(|o| o.to_uppercase()),
            workstream: text(self.workstream),
        })
    }
}

impl ResponseFilter {
    /// The UTC instants bounding the local days: `[start, end)`.
    pub fn bounds<Tz: TimeZone>(&self, tz: &Tz) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        let start_of = |d: NaiveDate| {
            let midnight = d.and_hms_opt(0, 0, 0).unwrap_or_default();
            tz.from_local_datetime(&midnight)
                .earliest()
                .map(|t| t.with_timezone(&Utc))
        };
        (
            self.since.and_then(start_of),
            self.until.and_then(|d| d.succ_opt()).and_then(start_of),
        )
    }

    /// The filter as a query string (`a=b&c=d`), for links that keep the view.
    pub fn to_query(&self) -> String {
        serde_urlencoded::to_string(self).unwrap_or_default()
    }

    /// True when nothing is filtered.
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }

    /// The survey's slug and version when the filter selects a whole survey
    /// or one version of it and nothing else: what the running tallies
    /// answer without a scan.
    pub fn whole_survey(&self) -> Option<(&str, Option<i32>)> {
        let rest = Self {
            survey: None,
            version: None,
            ..self.clone()
        };
        let slug = self.survey.as_deref()?;
        rest.is_empty().then_some((slug, self.version))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_survey_and_its_version_select_a_whole_survey() {
        let survey = ResponseFilter {
            survey: Some("governance".into()),
            ..ResponseFilter::default()
        };
        assert_eq!(survey.whole_survey(), Some(("governance", None)));
        let version = ResponseFilter {
            version: Some(2),
            ..survey.clone()
        };
        assert_eq!(version.whole_survey(), Some(("governance", Some(2))));
        let nation = ResponseFilter {
            nation: Some("Wales".into()),
            ..survey
        };
        assert_eq!(nation.whole_survey(), None);
        assert_eq!(ResponseFilter::default().whole_survey(), None);
    }

    #[test]
    fn local_days_become_utc_bounds_across_the_clock_change() {
        let filter = RawFilter {
            since: Some("2026-03-29".into()),
            until: Some("2026-03-29".into()),
            ..Default::default()
        }
        .parse()
        .unwrap();
        let (start, end) = filter.bounds(&chrono_tz::Europe::London);
        assert_eq!(start.unwrap().to_rfc3339(), "2026-03-29T00:00:00+00:00");
        assert_eq!(
            end.unwrap().to_rfc3339(),
            "2026-03-29T23:00:00+00:00",
            "the day the clocks go forward has 23 hours"
        );
    }

    #[test]
    fn bad_values_name_their_parameter() {
        let bad = |raw: RawFilter| raw.parse().unwrap_err().field;
        assert_eq!(
            bad(RawFilter {
                since: Some("yesterday".into()),
                ..Default::default()
            }),
            "since"
        );
        assert_eq!(
            bad(RawFilter {
                version: Some("0".into()),
                ..Default::default()
            }),
            "version"
        );
        assert_eq!(
            bad(RawFilter {
                since: Some("2026-02-01".into()),
                until: Some("2026-01-01".into()),
                ..Default::default()
            }),
            "since"
        );
    }

    #[test]
    fn a_filter_survives_its_query_string() {
        let filter = ResponseFilter {
            resource: Some("governance".into()),
            nation: Some("Wales".into()),
            version: Some(2),
            ..Default::default()
        };
        let back: RawFilter = serde_urlencoded::from_str(&filter.to_query()).unwrap();
        assert_eq!(back.parse().unwrap(), filter);
    }
}
