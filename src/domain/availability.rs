//! Whether a survey takes submissions on a given day.

use chrono::NaiveDate;

/// Whether a survey is open, and if not, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    /// Submissions are accepted.
    Open,
    /// The campaign opens on this date.
    NotYetOpen(NaiveDate),
    /// The campaign closed after this date, or (with `None`) the survey was closed on its own.
    Closed(Option<NaiveDate>),
}

impl Availability {
    /// Decides from the campaign's dates (inclusive), the survey's own switch and today's local date.
    pub fn on(
        today: NaiveDate,
        opens_on: Option<NaiveDate>,
        closes_on: Option<NaiveDate>,
        survey_closed: bool,
    ) -> Self {
        match (opens_on, closes_on) {
            (Some(opens), _) if today < opens => Self::NotYetOpen(opens),
            (_, Some(closes)) if today > closes => Self::Closed(Some(closes)),
            _ if survey_closed => Self::Closed(None),
            _ => Self::Open,
        }
    }

    /// True when submissions are accepted.
    pub fn is_open(self) -> bool {
        self == Self::Open
    }

    /// A plain sentence for the survey page and the landing page.
    pub fn message(self) -> Option<String> {
        let long = |d: NaiveDate| d.format("%-d %B %Y").to_string();
        match self {
            Self::Open => None,
            Self::NotYetOpen(d) => Some(format!("This survey opens on {}.", long(d))),
            Self::Closed(Some(d)) => Some(format!("This survey closed on {}.", long(d))),
            Self::Closed(None) => Some("This survey is closed.".to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_opening_and_closing_days_are_both_open() {
        let (o, c) = (Some(d("2026-01-10")), Some(d("2026-01-20")));
        assert_eq!(
            Availability::on(d("2026-01-09"), o, c, false),
            Availability::NotYetOpen(d("2026-01-10"))
        );
        assert!(Availability::on(d("2026-01-10"), o, c, false).is_open());
        assert!(Availability::on(d("2026-01-20"), o, c, false).is_open());
        assert_eq!(
            Availability::on(d("2026-01-21"), o, c, false),
            Availability::Closed(Some(d("2026-01-20")))
        );
    }

    #[test]
    fn a_survey_closed_on_its_own_says_so() {
        let a = Availability::on(d("2026-01-10"), None, None, true);
        assert_eq!(a.message().unwrap(), "This survey is closed.");
        assert_eq!(
            Availability::NotYetOpen(d("2026-03-01")).message().unwrap(),
            "This survey opens on 1 March 2026."
        );
    }
}
