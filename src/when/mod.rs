//! WHEN: the small date language of follow-ups, snoozes, `report --since` and the `@` note
//! command, plus the repeat intervals of `--every` and `--cadence`.
//!
//! Everything here is pure: "now" is the caller's local wall-clock time, so the same words
//! always mean the same thing, in tests as in the app.

mod grammar;
mod interval;
#[cfg(test)]
mod tests;

pub use interval::{Interval, IntervalError, IntervalUnit};

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use grammar::Direction;

/// A resolved WHEN: either a whole local day or a local wall-clock instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// All-day: no time was given.
    Day(NaiveDate),
    /// A local wall-clock instant.
    At(NaiveDateTime),
}

impl When {
    /// The day this falls on.
    pub fn date(self) -> NaiveDate {
        match self {
            When::Day(d) => d,
            When::At(t) => t.date(),
        }
    }

    /// The time of day, or `None` for an all-day WHEN.
    pub fn time(self) -> Option<NaiveTime> {
        match self {
            When::Day(_) => None,
            When::At(t) => Some(t.time()),
        }
    }
}

/// The accepted forms, as listed in every error (and usable in help texts).
pub const ACCEPTED_FORMS: &str = "today, tomorrow, fri, next week, +3d, +2w, +1m, +4h, +30min, \
     in 3 days, 2026-12-01, dec 3, 3 dec, optionally followed by a time: 14:00, 9:30, 3pm";

/// Words that are no WHEN.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot read \"{input}\" as a date; try: {forms}", forms = ACCEPTED_FORMS)]
pub struct WhenError {
    /// The offending input, trimmed.
    pub input: String,
}

impl WhenError {
    fn new(input: &str) -> Self {
        WhenError {
            input: input.trim().to_string(),
        }
    }
}

/// No WHEN form is longer than six words (`in 3 days at 3 pm`); looking further along a
/// long note would only cost time.
const MAX_WHEN_WORDS: usize = 8;

/// Reads the whole of `input` as one WHEN, said at `now`.
pub fn parse(input: &str, now: NaiveDateTime) -> Result<When, WhenError> {
    let lower = input.to_lowercase();
    let tokens: Vec<&str> = lower.split_whitespace().collect();
    grammar::when(&tokens, now, Direction::Ahead).ok_or_else(|| WhenError::new(input))
}

/// The longest run of words from the start of `words` that reads as one WHEN, and how many
/// words it took; `None` when no run does. The words after it are free text
/// (`follow-up ana next week call about pricing`).
pub fn parse_leading(words: &[&str], now: NaiveDateTime) -> Option<(When, usize)> {
    let longest = words.len().min(MAX_WHEN_WORDS);
    (1..=longest)
        .rev()
        .find_map(|n| parse(&words[..n].join(" "), now).ok().map(|w| (w, n)))
}

/// The start of a report period: `-30d`, `-2w`, `-1m`, `30 days ago`, `yesterday`, or any
/// WHEN form, taken as its date.
///
/// A bare weekday or month-day here means the most recent one, not the next: a period that
/// starts in the future would always be empty (`--since jan 1` said in November means this
/// January; `--since fri` means last Friday).
pub fn parse_since(input: &str, now: NaiveDateTime) -> Result<NaiveDate, WhenError> {
    let lower = input.to_lowercase();
    let tokens: Vec<&str> = lower.split_whitespace().collect();
    grammar::ago(&tokens, now)
        .or_else(|| grammar::when(&tokens, now, Direction::Back).map(When::date))
        .ok_or_else(|| WhenError::new(input))
}

/// Where a snoozed item lands: a WHEN without a time keeps the item's time of day.
pub fn snooze_target(when: When, old: When) -> When {
    match (when, old) {
        (When::Day(d), When::At(t)) => When::At(d.and_time(t.time())),
        _ => when,
    }
}

/// Human words for a WHEN, as a preview while it is typed: `today 15:00`, `tomorrow`,
/// `Fri 27 Nov 14:00`, `Mon 4 Jan 2027` (the year only when it is not now's).
pub fn describe(when: When, now: NaiveDateTime) -> String {
    let today = now.date();
    let date = when.date();
    let day = if date == today {
        "today".to_string()
    } else if today.succ_opt() == Some(date) {
        "tomorrow".to_string()
    } else if today.pred_opt() == Some(date) {
        "yesterday".to_string()
    } else if date.year() == today.year() {
        date.format("%a %-d %b").to_string()
    } else {
        date.format("%a %-d %b %Y").to_string()
    };
    match when.time() {
        Some(t) => format!("{day} {}", t.format("%H:%M")),
        None => day,
    }
}

/// A compact distance from now for table cells, at most 11 characters: `today 14:00`,
/// `tomorrow`, `tom 14:00`, `in 3d`, `in 2w`, `in 3mo`, `in 2y`, `yesterday`, `3d ago`.
///
/// The time is shown only for today and tomorrow, where it is what matters.
pub fn relative(when: When, now: NaiveDateTime) -> String {
    let days = (when.date() - now.date()).num_days();
    let hm = |t: NaiveTime| t.format("%H:%M").to_string();
    match (days, when.time()) {
        (0, None) => "today".to_string(),
        (0, Some(t)) => format!("today {}", hm(t)),
        (1, None) => "tomorrow".to_string(),
        (1, Some(t)) => format!("tom {}", hm(t)),
        (-1, _) => "yesterday".to_string(),
        (d, _) if d > 0 => format!("in {}", span(d)),
        (d, _) => format!("{} ago", span(-d)),
    }
}

/// Rounds a distance of two days or more to the unit a person would say.
fn span(days: i64) -> String {
    if days < 14 {
        format!("{days}d")
    } else if days < 56 {
        format!("{}w", days / 7)
    } else if days < 365 {
        format!("{}mo", (days + 15) / 30)
    } else {
        format!("{}y", days / 365)
    }
}
