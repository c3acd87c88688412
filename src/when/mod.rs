//! WHEN: the small date language of follow-ups, snoozes, `report --since` and the `@` note
//! command, plus the repeat intervals of `--every` and `--cadence`.
//!
//! Everything here is pure: "now" is the caller's local wall-clock time, so the same words
//! always mean the same thing, in tests as in the app.

#[cfg(test)]
mod edge_tests;
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

/// The calendar salesdesk keeps: what lies outside it cannot be stored, compared or shown
/// the same way by every reader (SQLite's date functions stop at year 9999).
pub const FIRST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(1, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};
pub const LAST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(d) => d,
    None => NaiveDate::MAX,
};

/// Whether a date lies within the calendar salesdesk keeps.
pub fn in_range(d: NaiveDate) -> bool {
    (FIRST_DATE..=LAST_DATE).contains(&d)
}

/// Words that are no WHEN, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub struct WhenError {
    /// The offending input, trimmed.
    pub input: String,
    pub reason: Reason,
}

/// Why a WHEN was refused: the most specific thing that can be said about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// None of the forms.
    Unreadable,
    /// Before 0001-01-01 or after 9999-12-31.
    OutOfRange,
    /// A word shaped like a time that no clock shows (`24:00`, `23:60`, `13am`).
    NoSuchTime(String),
    /// A time after a WHEN that already names its time (`+4h 3pm`).
    SecondTime(String),
    /// A real month without that day (`feb 30`, `2027-02-29`); the year when only that
    /// year lacks it.
    NoSuchDay {
        month: u32,
        day: u32,
        year: Option<i32>,
    },
    /// A past form where the future is asked for (a follow-up's `-2h`, `yesterday`).
    Past,
    /// A moment still ahead where one that has passed is asked for (`note --at`).
    Future,
}

impl WhenError {
    pub fn new(input: &str) -> Self {
        Self::because(input, Reason::Unreadable)
    }

    fn because(input: &str, reason: Reason) -> Self {
        WhenError {
            input: input.trim().to_string(),
            reason,
        }
    }

    fn message(&self) -> String {
        let input = &self.input;
        match &self.reason {
            Reason::Unreadable => {
                format!("cannot read \"{input}\" as a date; try: {ACCEPTED_FORMS}")
            }
            Reason::OutOfRange => format!(
                "\"{input}\" is outside the calendar: dates run from {FIRST_DATE} to {LAST_DATE}"
            ),
            Reason::NoSuchTime(t) => format!(
                "\"{input}\": {t} is not a time of day; use 00:00 to 23:59, or 12am to 11:59pm"
            ),
            Reason::SecondTime(t) => {
                format!("\"{input}\": {t} is a second time; the WHEN before it already names one")
            }
            Reason::NoSuchDay { month, day, year } => {
                let name = MONTH_NAMES[(*month as usize).saturating_sub(1) % 12];
                match year {
                    Some(y) => format!("\"{input}\": {name} {y} has no day {day}"),
                    None => format!("\"{input}\": {name} has no day {day}"),
                }
            }
            Reason::Past => format!(
                "\"{input}\" is in the past; a follow-up needs a date ahead (past forms are for \
                 `note --at` and `report --since`)"
            ),
            Reason::Future => format!(
                "\"{input}\" has not happened yet; `--at` backdates a note to a moment that has \
                 passed (fri, 4pm, yesterday 4pm, -2h)"
            ),
        }
    }
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// No WHEN form is longer than six words (`in 3 days at 3 pm`); looking further along a
/// long note would only cost time.
const MAX_WHEN_WORDS: usize = 8;

/// Reads the whole of `input` as one WHEN, said at `now`.
pub fn parse(input: &str, now: NaiveDateTime) -> Result<When, WhenError> {
    let lower = input.to_lowercase();
    let t: Vec<&str> = lower.split_whitespace().collect();
    match grammar::when(&t, now, Direction::Ahead) {
        Some(w) if in_range(w.date()) => Ok(w),
        Some(_) => Err(WhenError::because(input, Reason::OutOfRange)),
        None => Err(WhenError::because(
            input,
            grammar::diagnose(&t, now, Direction::Ahead),
        )),
    }
}

/// What the start of a run of words holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Leading {
    /// No WHEN starts here.
    None,
    /// A WHEN of that many words.
    Found(When, usize),
    /// Words that are plainly meant as a WHEN but name none (`tomorrow 24:00`, `feb 30`,
    /// `+99999999h`), and how many words that takes.
    Bad(WhenError, usize),
}

/// The longest run of words from the start of `words` that reads as one WHEN. A word
/// shaped like a time right after it belongs to it, so an impossible time is an error,
/// never the start of the text.
pub fn leading(words: &[&str], now: NaiveDateTime) -> Leading {
    let longest = words.len().min(MAX_WHEN_WORDS);
    let mut bad = None;
    for n in (1..=longest).rev() {
        let said = words[..n].join(" ");
        match parse(&said, now) {
            Ok(w) => {
                return match grammar::time_shaped(&words[n..]) {
                    None => Leading::Found(w, n),
                    Some((k, valid)) => {
                        let t = grammar::strip_at(&words[n..n + k]).join(" ");
                        let all = words[..n + k].join(" ");
                        let reason = if valid {
                            Reason::SecondTime(t)
                        } else {
                            Reason::NoSuchTime(t)
                        };
                        Leading::Bad(WhenError::because(&all, reason), n + k)
                    }
                };
            }
            Err(e) if e.reason != Reason::Unreadable && bad.is_none() => bad = Some((e, n)),
            Err(_) => {}
        }
    }
    match bad {
        Some((e, n)) => Leading::Bad(e, n),
        None => Leading::None,
    }
}

/// [`leading`] for callers that refuse a bad WHEN: `Ok(None)` when no WHEN starts here.
pub fn parse_leading(
    words: &[&str],
    now: NaiveDateTime,
) -> Result<Option<(When, usize)>, WhenError> {
    match leading(words, now) {
        Leading::None => Ok(None),
        Leading::Found(w, n) => Ok(Some((w, n))),
        Leading::Bad(e, _) => Err(e),
    }
}

/// The start of a report period: `-30d`, `-2w`, `-1m`, `30 days ago`, `yesterday`, or any
/// WHEN form, taken as its date.
///
/// A bare weekday or month-day here means the most recent one, not the next: a period that
/// starts in the future would always be empty (`--since jan 1` said in November means this
/// January; `--since fri` means last Friday).
pub fn parse_since(input: &str, now: NaiveDateTime) -> Result<NaiveDate, WhenError> {
    let lower = input.to_lowercase();
    let t: Vec<&str> = lower.split_whitespace().collect();
    match grammar::ago(&t, now).or_else(|| grammar::when(&t, now, Direction::Back).map(When::date))
    {
        Some(d) if in_range(d) => Ok(d),
        Some(_) => Err(WhenError::because(input, Reason::OutOfRange)),
        None => Err(WhenError::because(
            input,
            grammar::diagnose(&t, now, Direction::Back),
        )),
    }
}

/// When a note logged late happened (`note --at`): each form read as the most recent past.
/// `fri` is last Friday, `4pm` today if it has passed (else yesterday), `yesterday 4pm`,
/// `-2h`, `3 days ago`; a day without a time keeps now's time of day. A moment still ahead
/// is refused.
pub fn parse_past(input: &str, now: NaiveDateTime) -> Result<NaiveDateTime, WhenError> {
    let lower = input.to_lowercase();
    let t: Vec<&str> = lower.split_whitespace().collect();
    match grammar::back(&t, now) {
        Some(at) if !in_range(at.date()) => Err(WhenError::because(input, Reason::OutOfRange)),
        Some(at) if at > now => Err(WhenError::because(input, Reason::Future)),
        Some(at) => Ok(at),
        None if grammar::when(&t, now, Direction::Ahead).is_some() => {
            Err(WhenError::because(input, Reason::Future))
        }
        None => Err(WhenError::because(
            input,
            grammar::diagnose(&t, now, Direction::Back),
        )),
    }
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
