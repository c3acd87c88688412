use super::*;
use proptest::prelude::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    date(y, m, d).and_hms_opt(h, min, 0).unwrap()
}

fn day(y: i32, m: u32, d: u32) -> When {
    When::Day(date(y, m, d))
}

fn timed(y: i32, m: u32, d: u32, h: u32, min: u32) -> When {
    When::At(at(y, m, d, h, min))
}

/// The manual's "now": Monday 2026-11-23 at 09:00.
fn now() -> NaiveDateTime {
    at(2026, 11, 23, 9, 0)
}

#[test]
fn every_form_said_on_the_spec_monday() {
    let cases = [
        // the manual's worked examples
        ("today", day(2026, 11, 23)),
        ("tomorrow", day(2026, 11, 24)),
        ("tom", day(2026, 11, 24)),
        ("mon", day(2026, 11, 30)),
        ("fri", day(2026, 11, 27)),
        ("next week", day(2026, 11, 30)),
        ("tomorrow 3pm", timed(2026, 11, 24, 15, 0)),
        // weekdays, every spelling
        ("monday", day(2026, 11, 30)),
        ("tue", day(2026, 11, 24)),
        ("tues", day(2026, 11, 24)),
        ("tuesday", day(2026, 11, 24)),
        ("wed", day(2026, 11, 25)),
        ("wednesday", day(2026, 11, 25)),
        ("thu", day(2026, 11, 26)),
        ("thur", day(2026, 11, 26)),
        ("thurs", day(2026, 11, 26)),
        ("thursday", day(2026, 11, 26)),
        ("friday", day(2026, 11, 27)),
        ("sat", day(2026, 11, 28)),
        ("saturday", day(2026, 11, 28)),
        ("sun", day(2026, 11, 29)),
        ("sunday", day(2026, 11, 29)),
        ("next fri", day(2026, 11, 27)),
        ("next mon", day(2026, 11, 30)),
        ("next month", day(2026, 12, 1)),
        // relative days, weeks, months: all-day
        ("+0d", day(2026, 11, 23)),
        ("+3d", day(2026, 11, 26)),
        ("+2w", day(2026, 12, 7)),
        ("+1m", day(2026, 12, 23)),
        ("+3 days", day(2026, 11, 26)),
        ("in 3 days", day(2026, 11, 26)),
        ("in 1 day", day(2026, 11, 24)),
        ("in 2 weeks", day(2026, 12, 7)),
        ("in a week", day(2026, 11, 30)),
        ("in 1 month", day(2026, 12, 23)),
        ("in 3d", day(2026, 11, 26)),
        // relative hours and minutes: instants
        ("+4h", timed(2026, 11, 23, 13, 0)),
        ("+30min", timed(2026, 11, 23, 9, 30)),
        ("+90mins", timed(2026, 11, 23, 10, 30)),
        ("in 4 hours", timed(2026, 11, 23, 13, 0)),
        ("in an hour", timed(2026, 11, 23, 10, 0)),
        ("in 30 minutes", timed(2026, 11, 23, 9, 30)),
        ("in 30min", timed(2026, 11, 23, 9, 30)),
        ("+20h", timed(2026, 11, 24, 5, 0)),
        // dates
        ("2026-12-01", day(2026, 12, 1)),
        ("2020-01-05", day(2020, 1, 5)),
        ("2026-2-3", day(2026, 2, 3)),
        ("dec 3", day(2026, 12, 3)),
        ("3 dec", day(2026, 12, 3)),
        ("december 3", day(2026, 12, 3)),
        ("3 december", day(2026, 12, 3)),
        ("dec 3rd", day(2026, 12, 3)),
        ("1st jan", day(2027, 1, 1)),
        ("nov 23", day(2026, 11, 23)),
        ("nov 22", day(2027, 11, 22)),
        ("mar 1", day(2027, 3, 1)),
        // times after a day
        ("tomorrow 14:00", timed(2026, 11, 24, 14, 0)),
        ("tomorrow 9:30", timed(2026, 11, 24, 9, 30)),
        ("tomorrow 09:30", timed(2026, 11, 24, 9, 30)),
        ("tomorrow 9am", timed(2026, 11, 24, 9, 0)),
        ("tomorrow 3:30pm", timed(2026, 11, 24, 15, 30)),
        ("tomorrow 3 pm", timed(2026, 11, 24, 15, 0)),
        ("tomorrow 12am", timed(2026, 11, 24, 0, 0)),
        ("tomorrow 12pm", timed(2026, 11, 24, 12, 0)),
        ("tomorrow noon", timed(2026, 11, 24, 12, 0)),
        ("tomorrow at 3pm", timed(2026, 11, 24, 15, 0)),
        ("today 8:00", timed(2026, 11, 23, 8, 0)),
        ("fri 14:00", timed(2026, 11, 27, 14, 0)),
        ("next fri 3pm", timed(2026, 11, 27, 15, 0)),
        ("next week 10am", timed(2026, 11, 30, 10, 0)),
        ("+3d 9am", timed(2026, 11, 26, 9, 0)),
        ("in 3 days at 3 pm", timed(2026, 11, 26, 15, 0)),
        ("2026-12-01 0:05", timed(2026, 12, 1, 0, 5)),
        ("dec 3 at 23:59", timed(2026, 12, 3, 23, 59)),
        // a time alone: today while it is ahead, else tomorrow
        ("14:00", timed(2026, 11, 23, 14, 0)),
        ("3pm", timed(2026, 11, 23, 15, 0)),
        ("at 3pm", timed(2026, 11, 23, 15, 0)),
        ("9:01", timed(2026, 11, 23, 9, 1)),
        ("9:00", timed(2026, 11, 24, 9, 0)),
        ("9am", timed(2026, 11, 24, 9, 0)),
        ("8:30", timed(2026, 11, 24, 8, 30)),
        // case and spacing do not matter
        ("  Next   WEEK ", day(2026, 11, 30)),
        ("Tomorrow 3PM", timed(2026, 11, 24, 15, 0)),
        ("DEC 3", day(2026, 12, 3)),
    ];
    for (input, want) in cases {
        assert_eq!(parse(input, now()), Ok(want), "{input:?}");
    }
}

#[test]
fn bad_input_is_an_error_naming_the_input_and_the_forms() {
    let bad = [
        "",
        "   ",
        "blah",
        "yesterday",
        "fri 25:00",
        "fri 24:00",
        "fri 9:60",
        "fri 9:5",
        "fri 13pm",
        "fri 0am",
        "fri 14",
        "14",
        "dec 32",
        "dec 0",
        "feb 30",
        "2026-13-01",
        "2026-02-30",
        "26-12-01",
        "2026-12-01-01",
        "+4h 3pm",
        "+30min 14:00",
        "in 4 hours 3pm",
        "+30m 9am x",
        "++3d",
        "+-3d",
        "+3",
        "+d",
        "3d",
        "in",
        "in 3",
        "in days",
        "next",
        "next year",
        "tomorrow at",
        "at",
        "dec 3st",
        "dec 3 2027",
        "today today",
        "fri fri",
        "+99999999999d",
        "+99999999999999999999999d",
        "+4294967296m",
        "+9999999999999h",
        "in 99999999999 weeks",
        "-3d",
        "3 days ago",
    ];
    for input in bad {
        let err = parse(input, now()).expect_err(input);
        assert_eq!(err.input, input.trim());
        let m = err.to_string();
        // Either the accepted forms, or the one thing that is wrong, said plainly.
        let said = match &err.reason {
            Reason::Unreadable => m.contains("try: today, tomorrow"),
            Reason::NoSuchTime(t) => m.contains(&format!("{t} is not a time of day")),
            Reason::NoSuchDay { .. } => m.contains("has no day"),
            Reason::OutOfRange => m.contains("9999-12-31"),
            Reason::SecondTime(t) => m.contains(&format!("{t} is a second time")),
            Reason::Past => m.contains("in the past"),
            Reason::Future => false,
        };
        assert!(said, "{input:?}: {m}");
    }
    assert_eq!(
        parse("blah", now()).unwrap_err().to_string(),
        "cannot read \"blah\" as a date; try: today, tomorrow, fri, next week, +3d, +2w, +1m, \
         +4h, +30min, in 3 days, 2026-12-01, dec 3, 3 dec, optionally followed by a time: \
         14:00, 9:30, 3pm"
    );
}

#[test]
fn m_is_months_not_minutes() {
    assert_eq!(parse("+30m", now()), Ok(day(2029, 5, 23)));
}

#[test]
fn weekdays_are_strictly_after_today() {
    let friday = at(2026, 11, 27, 9, 0);
    assert_eq!(parse("fri", friday), Ok(day(2026, 12, 4)));
    assert_eq!(parse("next fri", friday), Ok(day(2026, 12, 4)));
    assert_eq!(parse("sat", friday), Ok(day(2026, 11, 28)));
    let sunday = at(2026, 11, 29, 9, 0);
    assert_eq!(parse("next week", sunday), Ok(day(2026, 11, 30)));
    assert_eq!(parse("mon", sunday), Ok(day(2026, 11, 30)));
}

#[test]
fn months_clamp_to_the_month_end() {
    let jan31 = at(2027, 1, 31, 9, 0);
    assert_eq!(parse("+1m", jan31), Ok(day(2027, 2, 28)));
    assert_eq!(parse("in 1 month", jan31), Ok(day(2027, 2, 28)));
    let leap = at(2028, 1, 31, 9, 0);
    assert_eq!(parse("+1m", leap), Ok(day(2028, 2, 29)));
    assert_eq!(parse("+13m", leap), Ok(day(2029, 2, 28)));
    assert_eq!(parse("next month", jan31), Ok(day(2027, 2, 1)));
    assert_eq!(
        parse("next month", at(2026, 12, 31, 9, 0)),
        Ok(day(2027, 1, 1))
    );
}

#[test]
fn leap_days_exist_only_in_leap_years() {
    // Said in late 2026 the next Feb 29 would fall in 2027, which has none.
    assert!(parse("feb 29", at(2026, 11, 23, 9, 0)).is_err());
    assert!(parse("29 feb", at(2026, 1, 10, 9, 0)).is_err());
    assert_eq!(parse("feb 29", at(2027, 3, 1, 9, 0)), Ok(day(2028, 2, 29)));
    assert_eq!(parse("feb 29", at(2028, 2, 29, 9, 0)), Ok(day(2028, 2, 29)));
    assert_eq!(parse("2028-02-29", now()), Ok(day(2028, 2, 29)));
    assert!(parse("2027-02-29", now()).is_err());
    assert_eq!(parse("+1d", at(2028, 2, 28, 9, 0)), Ok(day(2028, 2, 29)));
}

#[test]
fn month_days_roll_into_next_year_once_passed() {
    let dec31 = at(2026, 12, 31, 23, 0);
    assert_eq!(parse("jan 1", dec31), Ok(day(2027, 1, 1)));
    assert_eq!(parse("dec 31", dec31), Ok(day(2026, 12, 31)));
    assert_eq!(parse("dec 30", dec31), Ok(day(2027, 12, 30)));
    // A time alone late in the evening lands tomorrow, across the year end.
    assert_eq!(parse("9am", dec31), Ok(timed(2027, 1, 1, 9, 0)));
    assert_eq!(parse("23:30", dec31), Ok(timed(2026, 12, 31, 23, 30)));
    assert_eq!(parse("+2h", dec31), Ok(timed(2027, 1, 1, 1, 0)));
}

#[test]
fn the_edge_of_the_calendar_is_an_error_not_a_panic() {
    let last = NaiveDate::MAX.and_hms_opt(23, 0, 0).unwrap();
    for input in [
        "tomorrow",
        "fri",
        "next week",
        "next month",
        "+1d",
        "+1m",
        "+2h",
        "9am",
    ] {
        assert!(parse(input, last).is_err(), "{input}");
    }
    assert!(parse("dec 30", last).is_err());
    let first = NaiveDate::MIN.and_hms_opt(1, 0, 0).unwrap();
    assert!(parse_since("-1d", first).is_err());
    assert!(parse_since("yesterday", first).is_err());
    assert!(parse_since("3 hours ago", first).is_err());
}

#[test]
fn parse_leading_takes_the_longest_run() {
    let n = now();
    type Case<'a> = (&'a [&'a str], Option<(When, usize)>);
    let cases: [Case; 10] = [
        (
            &["next", "week", "call", "about", "pricing"],
            Some((day(2026, 11, 30), 2)),
        ),
        (
            &["fri", "3pm", "demo"],
            Some((timed(2026, 11, 27, 15, 0), 2)),
        ),
        (&["dave"], None),
        (&[], None),
        (
            &["tomorrow", "at", "3pm", "x"],
            Some((timed(2026, 11, 24, 15, 0), 3)),
        ),
        (&["tomorrow", "at", "noonish"], Some((day(2026, 11, 24), 1))),
        (
            &["in", "3", "days", "send", "deck"],
            Some((day(2026, 11, 26), 3)),
        ),
        (&["fri", "14", "seats"], Some((day(2026, 11, 27), 1))),
        (&["dec", "3", "2027"], Some((day(2026, 12, 3), 2))),
        (&["3pm"], Some((timed(2026, 11, 23, 15, 0), 1))),
    ];
    for (words, want) in cases {
        assert_eq!(parse_leading(words, n), Ok(want), "{words:?}");
    }
}

#[test]
fn parse_since_reads_the_past() {
    let n = now();
    let cases = [
        ("-30d", date(2026, 10, 24)),
        ("-2w", date(2026, 11, 9)),
        ("-1m", date(2026, 10, 23)),
        ("-2 weeks", date(2026, 11, 9)),
        ("30 days ago", date(2026, 10, 24)),
        ("30d ago", date(2026, 10, 24)),
        ("a week ago", date(2026, 11, 16)),
        ("1 month ago", date(2026, 10, 23)),
        ("10 hours ago", date(2026, 11, 22)),
        ("yesterday", date(2026, 11, 22)),
        ("today", date(2026, 11, 23)),
        ("2026-01-01", date(2026, 1, 1)),
        // bare month-days and weekdays look back
        ("jan 1", date(2026, 1, 1)),
        ("nov 23", date(2026, 11, 23)),
        ("dec 3", date(2025, 12, 3)),
        ("fri", date(2026, 11, 20)),
        ("mon", date(2026, 11, 16)),
        // explicit forward forms keep their meaning
        ("next week", date(2026, 11, 30)),
        ("+3d", date(2026, 11, 26)),
        ("tomorrow 3pm", date(2026, 11, 24)),
    ];
    for (input, want) in cases {
        assert_eq!(parse_since(input, n), Ok(want), "{input:?}");
    }
    for input in [
        "",
        "blah",
        "-3",
        "--3d",
        "-0x3d",
        "ago",
        "3 ago",
        "-99999999999999d",
    ] {
        assert!(parse_since(input, n).is_err(), "{input:?}");
    }
}

#[test]
fn snooze_keeps_the_time_of_day_when_none_is_given() {
    let old = timed(2026, 11, 23, 14, 30);
    assert_eq!(
        snooze_target(day(2026, 11, 24), old),
        timed(2026, 11, 24, 14, 30)
    );
    assert_eq!(
        snooze_target(timed(2026, 11, 24, 9, 0), old),
        timed(2026, 11, 24, 9, 0)
    );
    assert_eq!(
        snooze_target(day(2026, 11, 24), day(2026, 11, 23)),
        day(2026, 11, 24)
    );
    assert_eq!(
        snooze_target(timed(2026, 11, 24, 9, 0), day(2026, 11, 23)),
        timed(2026, 11, 24, 9, 0)
    );
}

#[test]
fn describe_says_it_in_words() {
    let n = now();
    let cases = [
        (day(2026, 11, 23), "today"),
        (timed(2026, 11, 23, 15, 0), "today 15:00"),
        (day(2026, 11, 24), "tomorrow"),
        (timed(2026, 11, 24, 15, 0), "tomorrow 15:00"),
        (day(2026, 11, 22), "yesterday"),
        (day(2026, 11, 27), "Fri 27 Nov"),
        (timed(2026, 11, 27, 14, 0), "Fri 27 Nov 14:00"),
        (day(2027, 1, 4), "Mon 4 Jan 2027"),
        (timed(2027, 1, 4, 9, 5), "Mon 4 Jan 2027 09:05"),
        (day(2025, 3, 1), "Sat 1 Mar 2025"),
    ];
    for (when, want) in cases {
        assert_eq!(describe(when, n), want, "{when:?}");
    }
}

#[test]
fn relative_is_compact() {
    let n = now();
    let cases = [
        (day(2026, 11, 23), "today"),
        (timed(2026, 11, 23, 14, 0), "today 14:00"),
        (timed(2026, 11, 23, 8, 0), "today 08:00"),
        (day(2026, 11, 24), "tomorrow"),
        (timed(2026, 11, 24, 14, 0), "tom 14:00"),
        (day(2026, 11, 26), "in 3d"),
        (day(2026, 12, 6), "in 13d"),
        (day(2026, 12, 7), "in 2w"),
        (day(2027, 1, 17), "in 7w"),
        (day(2027, 1, 18), "in 2mo"),
        (day(2027, 11, 23), "in 1y"),
        (day(2026, 11, 22), "yesterday"),
        (timed(2026, 11, 22, 14, 0), "yesterday"),
        (day(2026, 11, 20), "3d ago"),
        (day(2026, 11, 9), "2w ago"),
        (day(2024, 11, 23), "2y ago"),
        (timed(2026, 11, 30, 9, 0), "in 7d"),
    ];
    for (when, want) in cases {
        assert_eq!(relative(when, n), want, "{when:?}");
    }
    for when in [When::Day(NaiveDate::MAX), When::Day(NaiveDate::MIN)] {
        for now in [NaiveDate::MIN, NaiveDate::MAX] {
            let s = relative(when, now.and_hms_opt(0, 0, 0).unwrap());
            assert!(s.chars().count() <= 11, "{s}");
        }
    }
}

#[test]
fn intervals_parse_and_round_trip() {
    use IntervalUnit::*;
    let cases = [
        ("2w", 2, Week),
        ("30d", 30, Day),
        ("1m", 1, Month),
        ("+2w", 2, Week),
        ("3 days", 3, Day),
        ("2 weeks", 2, Week),
        ("1 month", 1, Month),
        ("6 Months", 6, Month),
        ("weekly", 1, Week),
        ("daily", 1, Day),
        ("fortnightly", 2, Week),
        ("MONTHLY", 1, Month),
        (" 14d ", 14, Day),
    ];
    for (input, n, unit) in cases {
        let i = Interval::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(i, Interval { n, unit }, "{input}");
        assert_eq!(i.to_string().parse::<Interval>(), Ok(i), "{input}");
    }
    assert_eq!(Interval { n: 2, unit: Week }.to_string(), "2w");
    assert_eq!(Interval { n: 30, unit: Day }.to_string(), "30d");
    assert_eq!(Interval { n: 1, unit: Month }.to_string(), "1m");
    for bad in [
        "",
        "0d",
        "+0w",
        "w",
        "2",
        "4h",
        "30min",
        "-2w",
        "2 w x",
        "weekly 2",
        "5000000000d",
    ] {
        let err = Interval::parse(bad).expect_err(bad);
        assert_eq!(err.input, bad.trim());
        assert!(err.to_string().contains("30d, 2w, 1m"), "{err}");
    }
}

#[test]
fn intervals_add_up() {
    use IntervalUnit::*;
    let month = Interval { n: 1, unit: Month };
    assert_eq!(month.add_to(date(2027, 1, 31)), date(2027, 2, 28));
    assert_eq!(month.add_to(date(2028, 1, 31)), date(2028, 2, 29));
    assert_eq!(
        Interval { n: 2, unit: Week }.add_to(date(2026, 12, 28)),
        date(2027, 1, 11)
    );
    assert_eq!(
        Interval { n: 30, unit: Day }.add_to(date(2026, 11, 23)),
        date(2026, 12, 23)
    );
    assert_eq!(
        month.add_to_datetime(at(2027, 1, 31, 14, 30)),
        at(2027, 2, 28, 14, 30)
    );
    assert_eq!(Interval { n: 3, unit: Day }.approx_days(), 3);
    assert_eq!(Interval { n: 2, unit: Week }.approx_days(), 14);
    assert_eq!(Interval { n: 2, unit: Month }.approx_days(), 60);
    assert_eq!(
        Interval {
            n: u32::MAX,
            unit: Month
        }
        .approx_days(),
        u32::MAX
    );
    for unit in [Day, Week, Month] {
        let huge = Interval { n: u32::MAX, unit };
        assert_eq!(huge.add_to(date(2026, 1, 1)), NaiveDate::MAX);
        assert_eq!(huge.checked_add_to(date(2026, 1, 1)), None);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn parsing_arbitrary_text_never_panics(s in "\\PC*") {
        let _ = parse(&s, now());
        let _ = parse_since(&s, now());
        let _ = Interval::parse(&s);
        let words: Vec<&str> = s.split(' ').collect();
        let _ = parse_leading(&words, now());
    }

    #[test]
    fn parsing_near_misses_never_panics(
        s in "((\\+|-|in |at |next )?[0-9]{0,21}(d|w|m|h|min|st|rd|am|pm|:[0-9]{1,3})?|today|fri|week|dec|ago| ){0,7}",
        minutes in 0i64..(24 * 60),
        edge in prop::sample::select(vec![NaiveDate::MIN, NaiveDate::MAX, date(2026, 11, 23)]),
    ) {
        let now = edge.and_hms_opt(0, 0, 0).unwrap() + chrono::TimeDelta::minutes(minutes);
        let _ = parse(&s, now);
        let _ = parse_since(&s, now);
        let words: Vec<&str> = s.split_whitespace().collect();
        if let Ok(Some((when, n))) = parse_leading(&words, now) {
            prop_assert!(n >= 1 && n <= words.len());
            let _ = describe(when, now);
            prop_assert!(relative(when, now).chars().count() <= 11);
        }
    }
}
