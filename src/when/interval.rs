//! Repeat intervals: `follow-up --every 2w` and `contact --cadence 30d`.

use super::grammar::{self, Unit};
use chrono::{Days, Months, NaiveDate, NaiveDateTime};
use std::fmt;
use std::str::FromStr;

/// A whole number of days, weeks or months, at least one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    pub n: u32,
    pub unit: IntervalUnit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntervalUnit {
    Day,
    Week,
    Month,
}

/// Words that are no interval.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "cannot read \"{input}\" as an interval; try: 30d, 2w, 1m, 3 days, 2 weeks, 1 month, \
     daily, weekly, monthly (at least 1 day, at most 100 years; m is months)"
)]
pub struct IntervalError {
    /// The offending input, trimmed.
    pub input: String,
}

/// The longest repeat or cadence: a century. Anything longer is a typo, and would carry the
/// next date past the calendar salesdesk keeps (9999-12-31).
const MAX_DAYS: u32 = 36_525;

impl Interval {
    /// `12h`, `90min`, `2 days`, `1w`: a span of time in minutes, hours, days or weeks (a
    /// month has no fixed length, so `1m` is none). None when it cannot be read or overflows.
    pub fn span(s: &str) -> Option<chrono::Duration> {
        let lower = s.trim().to_lowercase();
        let tokens: Vec<&str> = lower.split_whitespace().collect();
        let (n, unit) = match tokens.as_slice() {
            [one] => grammar::compact(one)?,
            [n, u] => (grammar::number(n)?, grammar::unit(u)?),
            _ => return None,
        };
        let n = i64::try_from(n).ok()?;
        match unit {
            Unit::Minute => chrono::Duration::try_minutes(n),
            Unit::Hour => chrono::Duration::try_hours(n),
            Unit::Day => chrono::Duration::try_days(n),
            Unit::Week => chrono::Duration::try_weeks(n),
            Unit::Month => None,
        }
    }

    /// `2w`, `+2w`, `30d`, `1m`, `3 days`, `2 weeks`, `daily`, `weekly`, `fortnightly`,
    /// `monthly`, any case.
    pub fn parse(s: &str) -> Result<Interval, IntervalError> {
        let lower = s.to_lowercase();
        let tokens: Vec<&str> = lower.split_whitespace().collect();
        let parsed = match tokens.as_slice() {
            ["daily"] => Some((1, Unit::Day)),
            ["weekly"] => Some((1, Unit::Week)),
            ["fortnightly"] => Some((2, Unit::Week)),
            ["monthly"] => Some((1, Unit::Month)),
            [one] => grammar::compact(one.strip_prefix('+').unwrap_or(one)),
            [n, u] => grammar::number(n.strip_prefix('+').unwrap_or(n)).zip(grammar::unit(u)),
            _ => None,
        };
        let interval = parsed.and_then(|(n, unit)| {
            let unit = match unit {
                Unit::Day => IntervalUnit::Day,
                Unit::Week => IntervalUnit::Week,
                Unit::Month => IntervalUnit::Month,
                // Repeats are scheduled by day; an hourly follow-up is a typo.
                Unit::Hour | Unit::Minute => return None,
            };
            let n = u32::try_from(n).ok().filter(|&n| n >= 1)?;
            let i = Interval { n, unit };
            (i.approx_days() <= MAX_DAYS).then_some(i)
        });
        interval.ok_or_else(|| IntervalError {
            input: s.trim().to_string(),
        })
    }

    /// `d` plus this interval; months clamp to the month's end (31 Jan + 1m = 28/29 Feb).
    pub fn add_to(&self, d: NaiveDate) -> NaiveDate {
        let next = match self.unit {
            IntervalUnit::Day => d.checked_add_days(Days::new(self.n.into())),
            IntervalUnit::Week => d.checked_add_days(Days::new(u64::from(self.n) * 7)),
            IntervalUnit::Month => d.checked_add_months(Months::new(self.n)),
        };
        // Only an absurd interval leaves the calendar; pinning it to the last day keeps
        // this total instead of making every caller handle a failure that never happens.
        next.unwrap_or(NaiveDate::MAX)
    }

    /// `d` plus this interval, or None past 9999-12-31.
    pub fn checked_add_to(&self, d: NaiveDate) -> Option<NaiveDate> {
        Some(self.add_to(d)).filter(|&d| super::in_range(d))
    }

    /// `t` plus this interval, at the same time of day.
    pub fn add_to_datetime(&self, t: NaiveDateTime) -> NaiveDateTime {
        self.add_to(t.date()).and_time(t.time())
    }

    /// A keep-in-touch cadence in days, as `--cadence` and the TUI's contact form both read
    /// it: any interval (`3w`, `1m`, `30d`), or a bare number of days (`30`).
    pub fn cadence_days(s: &str) -> Result<i64, IntervalError> {
        let t = s.trim();
        let days = match t.parse::<u32>() {
            Ok(n) if n >= 1 => n,
            _ => Interval::parse(t)?.approx_days(),
        };
        Ok(i64::from(days))
    }

    /// The length in days, a month counted as 30 (for `cadence_days`).
    pub fn approx_days(&self) -> u32 {
        let per = match self.unit {
            IntervalUnit::Day => 1,
            IntervalUnit::Week => 7,
            IntervalUnit::Month => 30,
        };
        self.n.saturating_mul(per)
    }
}

/// `30d`, `2w`, `1m`: the short form, which `Interval::parse` reads back.
impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.unit {
            IntervalUnit::Day => 'd',
            IntervalUnit::Week => 'w',
            IntervalUnit::Month => 'm',
        };
        write!(f, "{}{unit}", self.n)
    }
}

impl FromStr for Interval {
    type Err = IntervalError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Interval::parse(s)
    }
}
