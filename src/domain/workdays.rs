//! Workdays (docs/MANUAL.md, "Saying when"): a date salesdesk picks by itself (a snooze key, the next
//! step it pre-fills, the next date of a repeat) that falls on a day off moves to the next
//! workday. A date the user types is kept as typed, so nothing here is applied to it.

use chrono::{Datelike, NaiveDate, Weekday};

use crate::when::When;

/// The default: Monday to Friday.
pub const DEFAULT: [Weekday; 5] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
];

/// `mon`, `monday`, any case; the same spellings the WHEN grammar takes.
pub fn parse_day(s: &str) -> Option<Weekday> {
    Some(match s.trim().to_lowercase().as_str() {
        "mon" | "monday" => Weekday::Mon,
        "tue" | "tues" | "tuesday" => Weekday::Tue,
        "wed" | "weds" | "wednesday" => Weekday::Wed,
        "thu" | "thur" | "thurs" | "thursday" => Weekday::Thu,
        "fri" | "friday" => Weekday::Fri,
        "sat" | "saturday" => Weekday::Sat,
        "sun" | "sunday" => Weekday::Sun,
        _ => return None,
    })
}

/// `date` if it is a workday, else the first workday after it. With no workdays at all (the
/// config refuses that) or at the calendar's end, the date stays as it is.
pub fn workday_on_or_after(date: NaiveDate, workdays: &[Weekday]) -> NaiveDate {
    let mut d = date;
    for _ in 0..7 {
        if workdays.contains(&d.weekday()) {
            return d;
        }
        match d.succ_opt().filter(|n| crate::when::in_range(*n)) {
            Some(n) => d = n,
            None => return date,
        }
    }
    date
}

/// A WHEN salesdesk picked, moved to a workday; a timed one keeps its time of day.
pub fn picked(when: When, workdays: &[Weekday]) -> When {
    match when {
        When::Day(d) => When::Day(workday_on_or_after(d, workdays)),
        When::At(t) => When::At(workday_on_or_after(t.date(), workdays).and_time(t.time())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn weekends_move_to_monday_and_workdays_stay() {
        // 2026-12-04 is a Friday.
        let cases = [
            (date(2026, 12, 4), date(2026, 12, 4)),
            (date(2026, 12, 5), date(2026, 12, 7)),
            (date(2026, 12, 6), date(2026, 12, 7)),
            (date(2026, 12, 7), date(2026, 12, 7)),
            (date(2026, 12, 31), date(2026, 12, 31)),
            (date(2027, 1, 2), date(2027, 1, 4)),
        ];
        for (d, want) in cases {
            assert_eq!(workday_on_or_after(d, &DEFAULT), want, "{d}");
        }
    }

    #[test]
    fn any_set_of_workdays_is_honoured() {
        let sun_to_thu = [
            Weekday::Sun,
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
        ];
        assert_eq!(
            workday_on_or_after(date(2026, 12, 4), &sun_to_thu),
            date(2026, 12, 6)
        );
        assert_eq!(
            workday_on_or_after(date(2026, 12, 4), &[Weekday::Wed]),
            date(2026, 12, 9)
        );
        assert_eq!(
            workday_on_or_after(date(2026, 12, 5), &[]),
            date(2026, 12, 5)
        );
        // The last day of the calendar is a Friday: a Saturday after it cannot exist, and
        // nothing moves past the end.
        let last = crate::when::LAST_DATE;
        assert_eq!(workday_on_or_after(last, &[Weekday::Mon]), last);
    }

    #[test]
    fn a_timed_pick_keeps_its_time() {
        let sat = date(2026, 12, 5).and_hms_opt(15, 30, 0).unwrap();
        assert_eq!(
            picked(When::At(sat), &DEFAULT),
            When::At(date(2026, 12, 7).and_hms_opt(15, 30, 0).unwrap())
        );
    }

    #[test]
    fn day_names_read_both_ways() {
        assert_eq!(parse_day("MON"), Some(Weekday::Mon));
        assert_eq!(parse_day("saturday"), Some(Weekday::Sat));
        assert_eq!(parse_day("funday"), None);
    }
}
