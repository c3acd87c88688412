//! "Now" and "today". Read once per process (from `SALESDESK_NOW` or the system clock) and
//! passed to everything that asks whether something is due, so tests fix time in one place.

use chrono::{
    DateTime, Local, LocalResult, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone, Utc,
};

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy)]
pub struct Clock {
    now: DateTime<Local>,
}

impl Clock {
    /// `SALESDESK_NOW` (RFC 3339) if set, else the system clock.
    pub fn from_env() -> Result<Self> {
        match std::env::var("SALESDESK_NOW") {
            Ok(s) if !s.trim().is_empty() => Self::parse(s.trim()),
            _ => Ok(Self { now: Local::now() }),
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        let t = DateTime::parse_from_rfc3339(s).map_err(|e| {
            Error::input(format!(
                "SALESDESK_NOW={s:?} is not an RFC 3339 time like 2026-11-23T09:00:00+00:00 ({e})"
            ))
        })?;
        Ok(Self {
            now: t.with_timezone(&Local),
        })
    }

    pub fn fixed(now: DateTime<Local>) -> Self {
        Self { now }
    }

    pub fn now(&self) -> DateTime<Local> {
        self.now
    }
    pub fn now_naive(&self) -> NaiveDateTime {
        self.now.naive_local()
    }
    pub fn today(&self) -> NaiveDate {
        self.now.date_naive()
    }
    /// The stored form of "now": UTC, second precision, so text order is time order.
    pub fn stamp(&self) -> String {
        stamp(self.now)
    }
}

pub fn stamp<Tz: TimeZone>(t: DateTime<Tz>) -> String {
    t.with_timezone(&Utc)
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A local wall-clock time as an instant. In a DST gap the clock jumps forward, so the
/// first valid instant after it is what a person means.
pub fn local_instant(t: NaiveDateTime) -> DateTime<Local> {
    match Local.from_local_datetime(&t) {
        LocalResult::Single(x) => x,
        LocalResult::Ambiguous(a, _) => a,
        LocalResult::None => {
            let later = t + chrono::Duration::hours(1);
            Local
                .from_local_datetime(&later)
                .earliest()
                .unwrap_or_else(|| Utc.from_utc_datetime(&t).with_timezone(&Local))
        }
    }
}

/// A stored UTC stamp back to local time; None when the text is not one of ours.
pub fn parse_stamp(s: &str) -> Option<DateTime<Local>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Local))
}

/// RFC 3339 with the local offset, as the JSON output shows times.
pub fn to_local_rfc3339(stored: &str) -> String {
    parse_stamp(stored)
        .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, false))
        .unwrap_or_else(|| stored.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamp_is_utc_and_sortable() {
        let c = Clock::parse("2026-11-23T09:00:00+02:00").unwrap();
        assert_eq!(c.stamp(), "2026-11-23T07:00:00Z");
    }

    #[test]
    fn bad_now_is_input_error() {
        let e = Clock::parse("monday").unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(e.to_string().contains("SALESDESK_NOW"));
    }
}

/// Serde helpers: times in JSON as RFC 3339 with the local offset (`+01:00`, never `Z`).
pub mod json {
    use chrono::{DateTime, Local, SecondsFormat};
    use serde::Serializer;

    pub fn time<S: Serializer>(t: &DateTime<Local>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&t.to_rfc3339_opts(SecondsFormat::Secs, false))
    }

    pub fn opt_time<S: Serializer>(t: &Option<DateTime<Local>>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => time(t, s),
            None => s.serialize_none(),
        }
    }
}
