//! The edges of the grammar (issues 15 and 16): the calendar's end, impossible times and
//! days, past forms where the future is asked for, and `note --at`.

use super::*;
use proptest::prelude::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    date(y, m, d).and_hms_opt(h, min, 0).unwrap()
}

/// The manual's "now": Monday 2026-11-23 at 09:00.
fn now() -> NaiveDateTime {
    at(2026, 11, 23, 9, 0)
}

#[test]
fn dates_past_9999_are_refused_with_the_range() {
    for input in [
        "+99999999h",
        "+99999999d",
        "in 99999999 days",
        "+9999999w",
        "+99999m",
        "+99999999999min",
    ] {
        let e = parse(input, now()).expect_err(input);
        assert_eq!(e.reason, Reason::OutOfRange, "{input}: {e}");
        assert!(e.to_string().contains("9999-12-31"), "{e}");
    }
    // A leading run reports the range too, not "cannot read".
    let words = ["+99999999h", "call", "ana"];
    let e = parse_leading(&words, now()).expect_err("range");
    assert_eq!(e.reason, Reason::OutOfRange);
    // The last day is fine; the day after it is not.
    let last = at(9999, 12, 31, 9, 0);
    assert_eq!(parse("9999-12-31", now()), Ok(When::Day(LAST_DATE)));
    assert_eq!(parse("today", last), Ok(When::Day(LAST_DATE)));
    for input in ["tomorrow", "+1d", "+15h", "jan 1", "mon", "next month"] {
        let e = parse(input, last).expect_err(input);
        assert_eq!(e.reason, Reason::OutOfRange, "{input}: {e}");
    }
    let e = parse_since("-99999999d", now()).expect_err("since");
    assert_eq!(e.reason, Reason::OutOfRange);
    assert!(parse_since("-1000000m", now()).is_err());
    // Intervals stop at a century, so no repeat or cadence can leave the calendar.
    for bad in ["99999999m", "1300m", "5300w", "40000d"] {
        assert!(Interval::parse(bad).is_err(), "{bad}");
    }
    for good in ["1200m", "5200w", "36500d"] {
        assert!(Interval::parse(good).is_ok(), "{good}");
    }
    let century = Interval::parse("1200m").unwrap();
    assert_eq!(century.checked_add_to(date(9950, 1, 1)), None);
    assert_eq!(
        century.checked_add_to(date(2026, 1, 1)),
        Some(date(2126, 1, 1))
    );
}

#[test]
fn a_time_shaped_word_after_a_when_is_part_of_it() {
    type Case<'a> = (&'a [&'a str], Result<Option<(When, usize)>, Reason>);
    let no_time = |t: &str| Err(Reason::NoSuchTime(t.to_string()));
    let second = |t: &str| Err(Reason::SecondTime(t.to_string()));
    let tomorrow = When::Day(date(2026, 11, 24));
    let cases: Vec<Case> = vec![
        (&["tomorrow", "24:00", "call"], no_time("24:00")),
        (&["tomorrow", "23:60"], no_time("23:60")),
        (&["tomorrow", "25pm", "call"], no_time("25pm")),
        (&["tomorrow", "13am"], no_time("13am")),
        (&["tomorrow", "0pm"], no_time("0pm")),
        (&["fri", "00am"], no_time("00am")),
        (&["fri", "25", "pm", "x"], no_time("25 pm")),
        (&["tomorrow", "at", "24:00"], no_time("24:00")),
        (&["24:00", "call"], no_time("24:00")),
        (&["dec", "3", "99:99"], no_time("99:99")),
        (&["+4h", "3pm", "demo"], second("3pm")),
        (&["fri", "3pm", "4pm"], second("4pm")),
        // Not shaped like a time: the text starts there.
        (&["tomorrow", "14", "seats"], Ok(Some((tomorrow, 1)))),
        (&["tomorrow", "9:5"], Ok(Some((tomorrow, 1)))),
        (&["tomorrow", "123:00"], Ok(Some((tomorrow, 1)))),
        (&["tomorrow", "pm"], Ok(Some((tomorrow, 1)))),
        (
            &["tomorrow", "23:59"],
            Ok(Some((When::At(at(2026, 11, 24, 23, 59)), 2))),
        ),
        (
            &["tomorrow", "12am"],
            Ok(Some((When::At(at(2026, 11, 24, 0, 0)), 2))),
        ),
    ];
    for (words, want) in cases {
        let got = parse_leading(words, now()).map_err(|e| e.reason);
        assert_eq!(got, want, "{words:?}");
    }
    // Read whole, the same words say the same thing.
    for (input, t) in [
        ("tomorrow 24:00", "24:00"),
        ("tomorrow 23:60", "23:60"),
        ("fri at 25pm", "25pm"),
        ("13am", "13am"),
    ] {
        let e = parse(input, now()).expect_err(input);
        assert_eq!(e.reason, Reason::NoSuchTime(t.into()), "{input}");
        assert!(e.to_string().contains("00:00 to 23:59"), "{e}");
    }
}

#[test]
fn days_a_month_lacks_are_named() {
    let cases = [
        ("feb 30", "February has no day 30"),
        ("30 feb", "February has no day 30"),
        ("february 31st", "February has no day 31"),
        ("apr 31", "April has no day 31"),
        ("31 june", "June has no day 31"),
        ("dec 32", "December has no day 32"),
        ("2026-02-30", "February has no day 30"),
        ("2026-04-31", "April has no day 31"),
        // Said in November 2026, the next 29 February would be in 2027.
        ("feb 29", "February 2027 has no day 29"),
        ("2027-02-29", "February 2027 has no day 29"),
        ("feb 30 3pm", "February has no day 30"),
    ];
    for (input, want) in cases {
        let e = parse(input, now()).expect_err(input);
        assert!(e.to_string().contains(want), "{input}: {e}");
        assert!(!e.to_string().contains("cannot read"), "{input}: {e}");
    }
    // A day in range with a wrong ordinal is unreadable, not a missing day.
    assert_eq!(
        parse("dec 3st", now()).unwrap_err().reason,
        Reason::Unreadable
    );
    assert_eq!(
        parse("2026-13-01", now()).unwrap_err().reason,
        Reason::Unreadable
    );
}

#[test]
fn follow_ups_refuse_past_forms_with_a_clear_message() {
    for input in [
        "-2h",
        "yesterday",
        "yesterday 4pm",
        "3 days ago",
        "-1w",
        "-30min",
    ] {
        let e = parse(input, now()).expect_err(input);
        assert_eq!(e.reason, Reason::Past, "{input}: {e}");
        assert!(e.to_string().contains("is in the past"), "{e}");
    }
    let e = parse_leading(&["yesterday", "call"], now()).expect_err("past");
    assert_eq!(e.reason, Reason::Past);
}

#[test]
fn note_at_reads_each_form_as_the_most_recent_past() {
    let cases = [
        ("fri", at(2026, 11, 20, 9, 0)),
        ("mon", at(2026, 11, 16, 9, 0)),
        ("4pm", at(2026, 11, 22, 16, 0)),
        ("8am", at(2026, 11, 23, 8, 0)),
        ("9:00", at(2026, 11, 23, 9, 0)),
        ("yesterday", at(2026, 11, 22, 9, 0)),
        ("yesterday 4pm", at(2026, 11, 22, 16, 0)),
        ("yesterday at 16:30", at(2026, 11, 22, 16, 30)),
        ("fri 3pm", at(2026, 11, 20, 15, 0)),
        ("-2h", at(2026, 11, 23, 7, 0)),
        ("-30min", at(2026, 11, 23, 8, 30)),
        ("-3d", at(2026, 11, 20, 9, 0)),
        ("3 days ago", at(2026, 11, 20, 9, 0)),
        ("2 hours ago", at(2026, 11, 23, 7, 0)),
        ("today", now()),
        ("today 8am", at(2026, 11, 23, 8, 0)),
        ("nov 20", at(2026, 11, 20, 9, 0)),
        ("dec 24", at(2025, 12, 24, 9, 0)),
        ("2026-11-01 10:15", at(2026, 11, 1, 10, 15)),
    ];
    for (input, want) in cases {
        assert_eq!(parse_past(input, now()), Ok(want), "{input}");
    }
    for input in [
        "tomorrow",
        "today 5pm",
        "+2h",
        "in 3 days",
        "2027-01-01",
        "next week",
    ] {
        let e = parse_past(input, now()).expect_err(input);
        assert_eq!(e.reason, Reason::Future, "{input}: {e}");
    }
    assert_eq!(
        parse_past("blah", now()).unwrap_err().reason,
        Reason::Unreadable
    );
    assert_eq!(
        parse_past("yesterday 24:00", now()).unwrap_err().reason,
        Reason::NoSuchTime("24:00".into())
    );
    assert_eq!(
        parse_past("-99999999d", now()).unwrap_err().reason,
        Reason::OutOfRange
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Over the whole grammar, near misses and huge numbers included: every input is a date
    /// within 0001-01-01..=9999-12-31 or an error, never a panic; `--at` never ahead of now.
    #[test]
    fn any_when_is_in_the_calendar_or_an_error(
        s in "((\\+|-|in |at |next )?[0-9]{0,12}(d|w|m|h|min|st|rd|am|pm|:[0-9]{1,3})?|today|tomorrow|yesterday|fri|week|feb|dec|30|29|ago| ){0,7}",
        minutes in 0i64..(24 * 60),
        edge in prop::sample::select(vec![
            date(1, 1, 1), date(9999, 12, 31), date(9999, 12, 25), date(2026, 11, 23),
            NaiveDate::MIN, NaiveDate::MAX,
        ]),
    ) {
        let now = edge.and_hms_opt(0, 0, 0).unwrap() + chrono::TimeDelta::minutes(minutes);
        if let Ok(w) = parse(&s, now) {
            prop_assert!(in_range(w.date()), "{s:?} -> {w:?}");
        }
        if let Ok(d) = parse_since(&s, now) {
            prop_assert!(in_range(d), "{s:?} -> {d}");
        }
        if let Ok(t) = parse_past(&s, now) {
            prop_assert!(in_range(t.date()) && t <= now, "{s:?} -> {t}");
        }
        let words: Vec<&str> = s.split_whitespace().collect();
        match leading(&words, now) {
            Leading::Found(w, n) => {
                prop_assert!(in_range(w.date()));
                prop_assert!(n >= 1 && n <= words.len());
            }
            Leading::Bad(e, n) => {
                prop_assert!(e.reason != Reason::Unreadable);
                prop_assert!(n >= 1 && n <= words.len());
            }
            Leading::None => {}
        }
        if let Ok(i) = Interval::parse(&s)
            && let Some(d) = i.checked_add_to(now.date())
        {
            prop_assert!(in_range(d));
        }
    }
}
