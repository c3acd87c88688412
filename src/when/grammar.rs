//! The WHEN grammar over lower-cased, whitespace-split tokens.
//!
//! Every function answers `Option`: `None` means "not this form", and the caller turns a
//! final `None` into the one error message. All arithmetic is checked, so absurd numbers
//! and dates at the edge of the calendar fail instead of panicking.

use super::When;
use chrono::{
    Datelike, Days, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Timelike, Weekday,
};

/// Which way a bare weekday or month-day points: follow-ups look ahead, `--since` back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Direction {
    Ahead,
    Back,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unit {
    Day,
    Week,
    Month,
    Hour,
    Minute,
}

/// One whole WHEN.
pub(super) fn when(t: &[&str], now: NaiveDateTime, dir: Direction) -> Option<When> {
    if t.is_empty() {
        return None;
    }
    if let Some(time) = time(strip_at(t)) {
        return time_alone(time, now);
    }
    // `+4h` already names an instant, so no time may follow it.
    if let Some((n, unit)) = offset(t)
        && let Some(at) = clock_shift(now, n, unit, Direction::Ahead)
    {
        return Some(When::At(at));
    }
    // Day forms are one to three words; whatever follows must be a time.
    (1..=t.len()).find_map(|k| {
        let date = day(&t[..k], now.date(), dir)?;
        match &t[k..] {
            [] => Some(When::Day(date)),
            rest => time(strip_at(rest)).map(|tm| When::At(date.and_time(tm))),
        }
    })
}

/// The past-only forms of `--since`: `-30d`, `-2 weeks`, `30 days ago`, `a week ago`,
/// `yesterday`.
pub(super) fn ago(t: &[&str], now: NaiveDateTime) -> Option<NaiveDate> {
    if t == ["yesterday"] {
        return now.date().pred_opt();
    }
    let (n, unit) = ago_offset(t)?;
    match unit {
        Unit::Hour | Unit::Minute => clock_shift(now, n, unit, Direction::Back).map(|t| t.date()),
        _ => shift(now.date(), n, unit, Direction::Back),
    }
}

/// `-30d`, `-2 weeks`, `30 days ago`: a count and a unit back, not yet applied.
fn ago_offset(t: &[&str]) -> Option<(u64, Unit)> {
    match t {
        [one] => compact(one.strip_prefix('-')?),
        [n, u] if n.starts_with('-') => Some((n.strip_prefix('-').and_then(number)?, unit(u)?)),
        [one, "ago"] => compact(one),
        [n, u, "ago"] => Some((count(n)?, unit(u)?)),
        _ => None,
    }
}

/// A moment that has passed, for `note --at`: `-2h`, `3 days ago`, `yesterday 4pm`, `fri`,
/// `4pm`. Bare days and times point back; a day alone keeps now's time of day. The caller
/// refuses what still lands ahead (`tomorrow`, `today 11pm`).
pub(super) fn back(t: &[&str], now: NaiveDateTime) -> Option<NaiveDateTime> {
    if t.is_empty() {
        return None;
    }
    if let Some((n, unit)) = ago_offset(t) {
        return match unit {
            Unit::Hour | Unit::Minute => clock_shift(now, n, unit, Direction::Back),
            _ => shift(now.date(), n, unit, Direction::Back).map(|d| d.and_time(now.time())),
        };
    }
    if let Some(tm) = time(strip_at(t)) {
        let today = now.date().and_time(tm);
        return if today <= now {
            Some(today)
        } else {
            now.date().pred_opt().map(|d| d.and_time(tm))
        };
    }
    (1..=t.len()).find_map(|k| {
        let date = match &t[..k] {
            ["yesterday"] => now.date().pred_opt(),
            head => day(head, now.date(), Direction::Back),
        }?;
        match &t[k..] {
            [] => Some(date.and_time(now.time())),
            rest => time(strip_at(rest)).map(|tm| date.and_time(tm)),
        }
    })
}

/// Why `t` is no WHEN, as precisely as can be said: an impossible time or day, a number
/// beyond the calendar, a past form where the future is asked for. Called only once the
/// grammar has said no.
pub(super) fn diagnose(t: &[&str], now: NaiveDateTime, dir: Direction) -> super::Reason {
    use super::Reason;
    if t.is_empty() {
        return Reason::Unreadable;
    }
    if dir == Direction::Ahead && (back(t, now).is_some() || ago(t, now).is_some()) {
        return Reason::Past;
    }
    // A trailing time-shaped word: impossible, or after a day that is fine.
    for k in (1..=t.len().min(3)).rev() {
        let (head, tail) = t.split_at(t.len() - k);
        if time_shaped(tail) == Some((k, false)) {
            let head_ok =
                head.is_empty() || head == ["yesterday"] || day(head, now.date(), dir).is_some();
            if head_ok {
                return Reason::NoSuchTime(strip_at(tail).join(" "));
            }
            return match diagnose(head, now, dir) {
                Reason::Unreadable => Reason::Unreadable,
                specific => specific,
            };
        }
        if time(strip_at(tail)).is_some() && !head.is_empty() {
            if when(head, now, dir).is_some() {
                return Reason::SecondTime(strip_at(tail).join(" "));
            }
            // A good time after a bad day: the day is what is wrong.
            return diagnose(head, now, dir);
        }
    }
    if offset(t).is_some() || ago_offset(t).is_some() {
        // The shape is right, so only the size can be wrong.
        return Reason::OutOfRange;
    }
    match t {
        [a, b] => {
            let (m, d) = match (month(a), month(b)) {
                (Some(m), None) => (m, loose_day(b)),
                (None, Some(m)) => (m, loose_day(a)),
                _ => return Reason::Unreadable,
            };
            let Some(d) = d.filter(|&d| missing(m, d)) else {
                return Reason::Unreadable;
            };
            // Only a leap day is missing from some years and not others.
            let year = (m == 2 && d == 29).then(|| {
                let said = (now.month(), now.day());
                match dir {
                    Direction::Ahead if (m, d) >= said => now.year(),
                    Direction::Ahead => now.year().saturating_add(1),
                    Direction::Back if (m, d) <= said => now.year(),
                    Direction::Back => now.year().saturating_sub(1),
                }
            });
            Reason::NoSuchDay {
                month: m,
                day: d,
                year,
            }
        }
        [iso] => {
            let parts: Vec<&str> = iso.split('-').collect();
            match parts.as_slice() {
                [y, m, d] if y.len() == 4 && (1..=2).contains(&m.len()) => {
                    let (Some(y), Some(m), Some(d)) = (number(y), number(m), loose_day(d)) else {
                        return Reason::Unreadable;
                    };
                    let m = m as u32;
                    if !(1..=12).contains(&m) || !missing(m, d) {
                        return Reason::Unreadable;
                    }
                    let year = (m == 2 && d == 29).then_some(y as i32);
                    Reason::NoSuchDay {
                        month: m,
                        day: d,
                        year,
                    }
                }
                _ => Reason::Unreadable,
            }
        }
        _ => Reason::Unreadable,
    }
}

/// Whether day `d` is one that month `m` lacks, in every year or (the 29th of February)
/// in some: only then is "no such day" the reason a date failed.
fn missing(m: u32, d: u32) -> bool {
    let longest = match m {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    d > longest || (m == 2 && d == 29)
}

/// A day number as written (`30`, `31st`), without asking whether the month has it.
fn loose_day(s: &str) -> Option<u32> {
    let digits = s.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &s[digits.len()..];
    if !(1..=2).contains(&digits.len()) || !matches!(suffix, "" | "st" | "nd" | "rd" | "th") {
        return None;
    }
    let n = u32::try_from(number(digits)?).ok()?;
    (n >= 1).then_some(n)
}

/// Whether `rest` starts with words shaped like a time (`24:00`, `3pm`, `25 pm`, `at 9:30`):
/// how many words, and whether it is a time a clock shows.
pub(super) fn time_shaped(rest: &[&str]) -> Option<(usize, bool)> {
    let (skip, r) = match rest {
        ["at", r @ ..] => (1, r),
        r => (0, r),
    };
    let clock = |s: &str| {
        let (h, m) = match s.split_once(':') {
            Some((h, m)) => (h, Some(m)),
            None => (s, None),
        };
        let digits = |p: &str, n: std::ops::RangeInclusive<usize>| {
            n.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
        };
        digits(h, 1..=2) && m.is_none_or(|m| digits(m, 2..=2))
    };
    let k = match r {
        [w, ..] if w.contains(':') && clock(w) => 1,
        [w, ..] if (w.ends_with("am") || w.ends_with("pm")) && clock(&w[..w.len() - 2]) => 1,
        [n, "am" | "pm", ..] if clock(n) => 2,
        _ => return None,
    };
    let valid = time(&r[..k]).is_some();
    Some((skip + k, valid))
}

/// A day without a time.
fn day(t: &[&str], today: NaiveDate, dir: Direction) -> Option<NaiveDate> {
    match t {
        ["today"] => Some(today),
        ["tomorrow" | "tom"] => today.succ_opt(),
        ["next", "week"] => next_weekday(today, Weekday::Mon),
        ["next", "month"] => today.with_day(1)?.checked_add_months(Months::new(1)),
        ["next", wd] => next_weekday(today, weekday(wd)?),
        [wd] if weekday(wd).is_some() => {
            let wd = weekday(wd)?;
            match dir {
                Direction::Ahead => next_weekday(today, wd),
                Direction::Back => previous_weekday(today, wd),
            }
        }
        [iso] if iso.contains('-') => iso_date(iso),
        [a, b] if month(a).is_some() || month(b).is_some() => month_day(a, b, today, dir),
        _ => {
            let (n, unit) = offset(t)?;
            shift(today, n, unit, Direction::Ahead)
        }
    }
}

/// `+3d`, `+3 days`, `in 3d`, `in 3 days`, `in a week`: a count and a unit, not yet applied.
fn offset(t: &[&str]) -> Option<(u64, Unit)> {
    match t {
        [one] => compact(one.strip_prefix('+')?),
        ["in", one] => compact(one),
        [n, u] if n.starts_with('+') => Some((n.strip_prefix('+').and_then(number)?, unit(u)?)),
        ["in", n, u] => Some((count(n)?, unit(u)?)),
        _ => None,
    }
}

/// `3d`, `30min`: digits glued to a unit.
pub(super) fn compact(s: &str) -> Option<(u64, Unit)> {
    let split = s.find(|c: char| !c.is_ascii_digit())?;
    let (n, u) = s.split_at(split);
    Some((number(n)?, unit(u)?))
}

/// Plain ASCII digits only: `str::parse` alone would also take a sign, letting `++3d` in.
pub(super) fn number(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn count(s: &str) -> Option<u64> {
    match s {
        "a" | "an" | "one" => Some(1),
        _ => number(s),
    }
}

/// `m` is months, as in `+1m` and `--every 1m`; minutes must be spelled `min`.
pub(super) fn unit(s: &str) -> Option<Unit> {
    Some(match s {
        "d" | "day" | "days" => Unit::Day,
        "w" | "wk" | "wks" | "week" | "weeks" => Unit::Week,
        "m" | "mo" | "mos" | "month" | "months" => Unit::Month,
        "h" | "hr" | "hrs" | "hour" | "hours" => Unit::Hour,
        "min" | "mins" | "minute" | "minutes" => Unit::Minute,
        _ => return None,
    })
}

/// Moves a date by whole days, weeks or months; months clamp to the month's end.
fn shift(date: NaiveDate, n: u64, unit: Unit, dir: Direction) -> Option<NaiveDate> {
    let days = match unit {
        Unit::Day => n,
        Unit::Week => n.checked_mul(7)?,
        Unit::Month => {
            let months = Months::new(u32::try_from(n).ok()?);
            return match dir {
                Direction::Ahead => date.checked_add_months(months),
                Direction::Back => date.checked_sub_months(months),
            };
        }
        Unit::Hour | Unit::Minute => return None,
    };
    match dir {
        Direction::Ahead => date.checked_add_days(Days::new(days)),
        Direction::Back => date.checked_sub_days(Days::new(days)),
    }
}

/// Moves an instant by hours or minutes.
fn clock_shift(now: NaiveDateTime, n: u64, unit: Unit, dir: Direction) -> Option<NaiveDateTime> {
    let n = i64::try_from(n).ok()?;
    let delta = match unit {
        Unit::Hour => TimeDelta::try_hours(n)?,
        Unit::Minute => TimeDelta::try_minutes(n)?,
        _ => return None,
    };
    match dir {
        Direction::Ahead => now.checked_add_signed(delta),
        Direction::Back => now.checked_sub_signed(delta),
    }
}

fn weekday(s: &str) -> Option<Weekday> {
    crate::domain::workdays::parse_day(s)
}

/// Strictly after today: `fri` said on a Friday is a week away, never "today".
fn next_weekday(today: NaiveDate, wd: Weekday) -> Option<NaiveDate> {
    let ahead = (7 + wd.num_days_from_monday() - today.weekday().num_days_from_monday()) % 7;
    let ahead = if ahead == 0 { 7 } else { ahead };
    today.checked_add_days(Days::new(ahead.into()))
}

fn previous_weekday(today: NaiveDate, wd: Weekday) -> Option<NaiveDate> {
    let back = (7 + today.weekday().num_days_from_monday() - wd.num_days_from_monday()) % 7;
    let back = if back == 0 { 7 } else { back };
    today.checked_sub_days(Days::new(back.into()))
}

fn month(s: &str) -> Option<u32> {
    Some(match s {
        "jan" | "january" => 1,
        "feb" | "february" => 2,
        "mar" | "march" => 3,
        "apr" | "april" => 4,
        "may" => 5,
        "jun" | "june" => 6,
        "jul" | "july" => 7,
        "aug" | "august" => 8,
        "sep" | "sept" | "september" => 9,
        "oct" | "october" => 10,
        "nov" | "november" => 11,
        "dec" | "december" => 12,
        _ => return None,
    })
}

/// `2026-12-01`, taken as written even when it has passed.
fn iso_date(s: &str) -> Option<NaiveDate> {
    let mut parts = s.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let short = |p: &str| (1..=2).contains(&p.len());
    if parts.next().is_some() || y.len() != 4 || !short(m) || !short(d) {
        return None;
    }
    NaiveDate::from_ymd_opt(
        i32::try_from(number(y)?).ok()?,
        u32::try_from(number(m)?).ok()?,
        u32::try_from(number(d)?).ok()?,
    )
}

/// `dec 3`, `3 dec`, `december 3rd`: the next such date (today included) looking ahead,
/// the latest one looking back. A date the chosen year lacks (`feb 29` in 2027) is no date.
fn month_day(a: &str, b: &str, today: NaiveDate, dir: Direction) -> Option<NaiveDate> {
    let (m, d) = match (month(a), month(b)) {
        (Some(m), _) => (m, day_of_month(b)?),
        (None, Some(m)) => (m, day_of_month(a)?),
        (None, None) => return None,
    };
    let said = (today.month(), today.day());
    let year = match dir {
        Direction::Ahead if (m, d) >= said => today.year(),
        Direction::Ahead => today.year().checked_add(1)?,
        Direction::Back if (m, d) <= said => today.year(),
        Direction::Back => today.year().checked_sub(1)?,
    };
    NaiveDate::from_ymd_opt(year, m, d)
}

/// `3`, `03`, `3rd`; a wrong ordinal such as `3st` is no day.
fn day_of_month(s: &str) -> Option<u32> {
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (digits, suffix) = s.split_at(split);
    if digits.len() > 2 {
        return None;
    }
    let n = u32::try_from(number(digits)?).ok()?;
    let ordinal = match (n % 100, n % 10) {
        (11..=13, _) => "th",
        (_, 1) => "st",
        (_, 2) => "nd",
        (_, 3) => "rd",
        _ => "th",
    };
    if !suffix.is_empty() && suffix != ordinal {
        return None;
    }
    (1..=31).contains(&n).then_some(n)
}

/// Lets `tomorrow at 3pm` and `at 3pm` read like their shorter forms.
pub(super) fn strip_at<'a, 'b>(t: &'a [&'b str]) -> &'a [&'b str] {
    match t {
        ["at", rest @ ..] => rest,
        _ => t,
    }
}

/// `14:00`, `9:30`, `3pm`, `3:30pm`, `3 pm`, `noon`. A bare `14` is no time: it would
/// swallow a number that starts the note's text.
fn time(t: &[&str]) -> Option<NaiveTime> {
    match t {
        ["noon"] => NaiveTime::from_hms_opt(12, 0, 0),
        [s, "am"] => twelve_hour(s, false),
        [s, "pm"] => twelve_hour(s, true),
        [s] => {
            if let Some(h) = s.strip_suffix("am") {
                twelve_hour(h, false)
            } else if let Some(h) = s.strip_suffix("pm") {
                twelve_hour(h, true)
            } else {
                let (h, m) = s.split_once(':')?;
                hour_minute(h, Some(m), 0..=23)
            }
        }
        _ => None,
    }
}

/// `12am` is midnight and `12pm` noon, as on any clock.
fn twelve_hour(s: &str, pm: bool) -> Option<NaiveTime> {
    let (h, m) = match s.split_once(':') {
        Some((h, m)) => (h, Some(m)),
        None => (s, None),
    };
    let t = hour_minute(h, m, 1..=12)?;
    let h = t.hour() % 12 + if pm { 12 } else { 0 };
    NaiveTime::from_hms_opt(h, t.minute(), 0)
}

fn hour_minute(
    h: &str,
    m: Option<&str>,
    hours: std::ops::RangeInclusive<u32>,
) -> Option<NaiveTime> {
    if !(1..=2).contains(&h.len()) || m.is_some_and(|m| m.len() != 2) {
        return None;
    }
    let h = u32::try_from(number(h)?).ok()?;
    let m = match m {
        Some(m) => u32::try_from(number(m)?).ok()?,
        None => 0,
    };
    if !hours.contains(&h) {
        return None;
    }
    NaiveTime::from_hms_opt(h, m, 0)
}

/// Today if that time is still ahead, else tomorrow.
fn time_alone(time: NaiveTime, now: NaiveDateTime) -> Option<When> {
    let today = now.date().and_time(time);
    if today > now {
        return Some(When::At(today));
    }
    Some(When::At(now.date().succ_opt()?.and_time(time)))
}
