//! When digests are due. A subscription's digests cover consecutive periods
//! between the times its schedule fires, computed in the configured time
//! zone, so the clock changes neither drop nor double an hour: each period
//! ends exactly where the next begins.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use croner::Cron;
use std::str::FromStr;

/// How often a subscription's digest goes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// Every day, by default at 08:00.
    Daily,
    /// Every week, by default on Monday at 08:00.
    Weekly,
}

impl Frequency {
    /// The name as stored and typed.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Daily => "daily",
            Self::Weekly => "weekly",
        }
    }

    /// Reads `daily` or `weekly`.
    ///
    /// # Errors
    /// A message naming the two choices.
    pub fn parse(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "daily" => Ok(Self::Daily),
            "weekly" => Ok(Self::Weekly),
            other => Err(format!("{other:?} is not a frequency; use daily or weekly")),
        }
    }
}

/// The digest schedules in their time zone.
#[derive(Debug, Clone)]
pub struct Schedule {
    daily: Cron,
    weekly: Cron,
    tz: Tz,
}

impl Schedule {
    /// Parses the two cron expressions (five fields, such as `0 8 * * MON`).
    ///
    /// # Errors
    /// Which expression is wrong and why.
    pub fn new(daily: &str, weekly: &str, tz: Tz) -> Result<Self, String> {
        let parse = |which: &str, expr: &str| {
            Cron::from_str(expr).map_err(|e| format!("{which} {expr:?}: {e}"))
        };
        Ok(Self {
            daily: parse("daily", daily)?,
            weekly: parse("weekly", weekly)?,
            tz,
        })
    }

    /// The time zone periods are computed in.
    pub fn timezone(&self) -> Tz {
        self.tz
    }

    fn cron(&self, frequency: Frequency) -> &Cron {
        match frequency {
            Frequency::Daily => &self.daily,
            Frequency::Weekly => &self.weekly,
        }
    }

    /// The latest time the schedule fired at or before `at`.
    pub fn last_fire(&self, frequency: Frequency, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let local = at.with_timezone(&self.tz);
        self.cron(frequency)
            .find_previous_occurrence(&local, true)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }

    /// The next time the schedule fires after `at`.
    pub fn next_fire(&self, frequency: Frequency, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let local = at.with_timezone(&self.tz);
        self.cron(frequency)
            .find_next_occurrence(&local, false)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }

    /// Where a new subscription's first period starts: the last time its
    /// schedule fired before it was created.
    pub fn first_start(&self, frequency: Frequency, created_at: DateTime<Utc>) -> DateTime<Utc> {
        self.last_fire(frequency, created_at).unwrap_or(created_at)
    }

    /// The period due at `now` for a series whose last period ended at
    /// `since`: from `since` to the latest fire time. After downtime that is
    /// one catch-up period covering everything since the last one.
    pub fn due(
        &self,
        frequency: Frequency,
        since: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        let end = self.last_fire(frequency, now)?;
        (end > since).then_some((since, end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone, Timelike};

    fn schedule() -> Schedule {
        Schedule::new("0 8 * * *", "0 8 * * MON", chrono_tz::Europe::London).unwrap()
    }

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn daily_periods_are_contiguous_across_the_march_and_october_clock_changes() {
        let s = schedule();
        for (from, until) in [
            ("2026-03-26T12:00:00Z", "2026-04-02T12:00:00Z"),
            ("2026-10-22T12:00:00Z", "2026-10-29T12:00:00Z"),
        ] {
            let mut since = s.first_start(Frequency::Daily, utc(from));
            let mut now = utc(from);
            let mut lengths = Vec::new();
            while now < utc(until) {
                now += Duration::hours(1);
                if let Some((start, end)) = s.due(Frequency::Daily, since, now) {
                    assert_eq!(start, since, "each period starts where the last ended");
                    assert_eq!(
                        end.with_timezone(&chrono_tz::Europe::London).hour(),
                        8,
                        "at 08:00 local time"
                    );
                    lengths.push((end - start).num_hours());
                    since = end;
                }
            }
            assert_eq!(lengths.len(), 7);
            assert!(
                lengths.contains(&23) || lengths.contains(&25),
                "one day is 23 or 25 hours: {lengths:?}"
            );
            assert_eq!(
                lengths.iter().sum::<i64>(),
                7 * 24 + if from.starts_with("2026-03") { -1 } else { 1 }
            );
        }
    }

    #[test]
    fn a_missed_week_is_caught_up_in_one_period() {
        let s = schedule();
        let since = chrono_tz::Europe::London
            .with_ymd_and_hms(2026, 11, 2, 8, 0, 0)
            .unwrap()
            .with_timezone(&Utc);
        let (start, end) = s
            .due(Frequency::Weekly, since, utc("2026-11-25T10:00:00Z"))
            .unwrap();
        assert_eq!(start, since);
        assert_eq!(
            end,
            utc("2026-11-23T08:00:00Z"),
            "three weeks in one catch-up digest"
        );
        assert_eq!(
            s.due(Frequency::Weekly, end, utc("2026-11-25T10:00:00Z")),
            None,
            "nothing more is due"
        );
    }

    #[test]
    fn bad_cron_expressions_are_named() {
        assert!(
            Schedule::new("every morning", "0 8 * * MON", chrono_tz::UTC)
                .unwrap_err()
                .starts_with("daily")
        );
        assert_eq!(Frequency::parse("Weekly"), Ok(Frequency::Weekly));
    }
}
