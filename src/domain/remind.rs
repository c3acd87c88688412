//! Reminders: what the pass sends and when (docs/MANUAL.md, "Reminders"). Pure: the pass in
//! ops gives it the follow-ups and the time; storage keeps what was sent.
//!
//! Due times are instants (stored in UTC), so the window a pass looks at is a span of
//! instants: a daylight-saving change or a laptop flown to another zone moves the wall clock,
//! never the window. Only what a person reads (the time in the summary, quiet hours, the
//! morning) is wall-clock time.

use chrono::{DateTime, Duration, Local, NaiveDate, NaiveTime, Weekday};

use crate::domain::follow_up::{FollowUp, FollowUpKind};

/// How a reminder reaches the salesperson (`[remind] via`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// A freedesktop notification over D-Bus (the notification centre on a Mac).
    Desktop,
    /// Lines on stdout.
    Print,
    /// `[remind] command`, with the summary and body as two more arguments.
    Command,
}

impl Via {
    pub const NAMES: &'static str = "desktop, print, command";

    pub fn as_str(self) -> &'static str {
        match self {
            Via::Desktop => "desktop",
            Via::Print => "print",
            Via::Command => "command",
        }
    }

    pub fn parse(s: &str) -> Option<Via> {
        match s.trim().to_ascii_lowercase().as_str() {
            "desktop" => Some(Via::Desktop),
            "print" => Some(Via::Print),
            "command" => Some(Via::Command),
            _ => None,
        }
    }
}

/// How insistent a notification is: a call an hour late stays on screen until dismissed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Urgency {
    Normal,
    Critical,
}

/// Later than this and the reminder is critical: the moment has been missed.
pub const CRITICAL_AFTER: Duration = Duration::hours(1);
/// How many follow-ups the morning summary names.
pub const MORNING_ITEMS: usize = 5;

/// One notification, as every way of delivering it shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Message {
    pub summary: String,
    pub body: String,
    pub urgency: Urgency,
}

/// `[remind] quiet = "20:00-08:00"`: nothing is sent from the first time until the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quiet {
    pub from: NaiveTime,
    pub to: NaiveTime,
}

impl Quiet {
    /// `HH:MM-HH:MM`; it may run past midnight. None when it cannot be read.
    pub fn parse(s: &str) -> Option<Quiet> {
        let (a, b) = s.split_once('-')?;
        let q = Quiet {
            from: clock_time(a)?,
            to: clock_time(b)?,
        };
        (q.from != q.to).then_some(q)
    }

    pub fn holds(&self, t: NaiveTime) -> bool {
        if self.from < self.to {
            self.from <= t && t < self.to
        } else {
            t >= self.from || t < self.to
        }
    }
}

/// `08:30`, `8:30`: a wall-clock time of day.
pub fn clock_time(s: &str) -> Option<NaiveTime> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (m < 60 && h < 24)
        .then(|| NaiveTime::from_hms_opt(h, m, 0))
        .flatten()
}

/// Where a pass at `now` starts looking: `catch_up` back, and further back to the start of
/// quiet hours that ended within `catch_up`, so what fell due while they held is sent when
/// they end, however long they were.
pub fn window_start(
    now: DateTime<Local>,
    catch_up: Duration,
    quiet: Option<Quiet>,
) -> DateTime<Local> {
    let mut from = now - catch_up;
    let Some(q) = quiet else {
        return from;
    };
    let today = now.date_naive();
    for start_day in [today - chrono::Days::new(1), today] {
        let start = crate::clock::local_instant(start_day.and_time(q.from));
        let end_day = if q.from < q.to {
            start_day
        } else {
            start_day + chrono::Days::new(1)
        };
        let end = crate::clock::local_instant(end_day.and_time(q.to));
        if end <= now && now - end < catch_up {
            // One second before, so a follow-up due the moment quiet began is inside.
            from = from.min(start - Duration::seconds(1));
        }
    }
    from
}

/// What the pass sends now, given the wall clock: nothing in quiet hours.
pub fn quiet_now(quiet: Option<Quiet>, now: DateTime<Local>) -> bool {
    quiet.is_some_and(|q| q.holds(now.time()))
}

/// The morning summary goes out once a workday, at the first pass at or after `morning`.
pub fn morning_due(now: DateTime<Local>, morning: NaiveTime, workdays: &[Weekday]) -> bool {
    use chrono::Datelike;
    workdays.contains(&now.weekday()) && now.time() >= morning
}

/// The key the morning summary of `day` is recorded under (a follow-up id is never 0).
pub const MORNING_ID: i64 = 0;

pub fn morning_key(day: NaiveDate) -> (i64, String) {
    (MORNING_ID, day.to_string())
}

/// `Call Ana Pereira · 15:00`: what to do, with whom, when; read in a second.
pub fn summary(f: &FollowUp, due: DateTime<Local>, now: DateTime<Local>) -> String {
    let verb = match f.kind {
        FollowUpKind::Call => "Call",
        FollowUpKind::Email => "Email",
        FollowUpKind::Meeting => "Meet",
        FollowUpKind::Task => "Follow up with",
    };
    let when = if due.date_naive() == now.date_naive() {
        due.format("%H:%M").to_string()
    } else {
        due.format("%a %-d %b %H:%M").to_string()
    };
    format!("{verb} {} · {when}", f.contact_name)
}

/// The text (with the sequence step it is, `new-lead 2/3`), then the company, the deal and
/// its value: one line each, those there are.
pub fn body(f: &FollowUp) -> String {
    let mut lines = Vec::new();
    let text = f.text.trim();
    match &f.sequence {
        Some(step) if text.is_empty() => lines.push(step.to_string()),
        Some(step) => lines.push(format!("{text} ({step})")),
        None if !text.is_empty() => lines.push(text.to_string()),
        None => {}
    }
    if let Some(c) = f.company.as_deref().filter(|c| !c.is_empty()) {
        lines.push(c.to_string());
    }
    if let Some(d) = f.deal_title.as_deref() {
        match (f.deal_value_cents, f.deal_currency.as_deref()) {
            (Some(v), Some(cur)) if v > 0 => {
                lines.push(format!("{d} · {}", crate::domain::money::format(v, cur)))
            }
            _ => lines.push(d.to_string()),
        }
    }
    lines.join("\n")
}

pub fn urgency(due: DateTime<Local>, now: DateTime<Local>) -> Urgency {
    if now - due >= CRITICAL_AFTER {
        Urgency::Critical
    } else {
        Urgency::Normal
    }
}

/// One timed follow-up that came due.
pub fn due_message(f: &FollowUp, due: DateTime<Local>, now: DateTime<Local>) -> Message {
    Message {
        summary: summary(f, due, now),
        body: body(f),
        urgency: urgency(due, now),
    }
}

/// `3 overdue · 5 today`, then the first items (an overdue one with its day, a timed one with
/// its time); None when nothing is due.
pub fn morning_message(
    overdue: i64,
    today: i64,
    first: &[FollowUp],
    day: NaiveDate,
) -> Option<Message> {
    if overdue + today == 0 {
        return None;
    }
    let mut parts = Vec::new();
    if overdue > 0 {
        parts.push(format!("{overdue} overdue"));
    }
    parts.push(format!("{today} today"));
    let mut lines: Vec<String> = first
        .iter()
        .take(MORNING_ITEMS)
        .map(|f| {
            let text = if f.text.trim().is_empty() {
                String::new()
            } else {
                format!(": {}", f.text.trim())
            };
            let when = match f.due {
                crate::when::When::At(t) if t.date() == day => t.format("%H:%M ").to_string(),
                crate::when::When::At(t) => t.format("%a %-d %b %H:%M ").to_string(),
                crate::when::When::Day(d) if d == day => String::new(),
                crate::when::When::Day(d) => d.format("%a %-d %b ").to_string(),
            };
            format!("{when}{}{text}", f.contact_name)
        })
        .collect();
    let shown = lines.len() as i64;
    if overdue + today > shown {
        lines.push(format!("and {} more", overdue + today - shown));
    }
    Some(Message {
        summary: parts.join(" · "),
        body: lines.join("\n"),
        urgency: Urgency::Normal,
    })
}

/// `12h`, `90min`, `2d`, `1w`: how far back a pass reaches. Months are refused (a reminder a
/// month late is no reminder).
pub fn parse_span(s: &str) -> Option<Duration> {
    let d = crate::when::Interval::span(s)?;
    (d >= Duration::minutes(1) && d <= MAX_CATCH_UP).then_some(d)
}

/// The furthest back `catch_up` may reach.
pub const MAX_CATCH_UP: Duration = Duration::days(30);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::follow_up::{DueState, FollowUpStatus};
    use crate::when::When;
    use chrono::TimeZone;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn at(s: &str) -> DateTime<Local> {
        DateTime::parse_from_rfc3339(s)
            .unwrap()
            .with_timezone(&Local)
    }

    fn follow_up(kind: FollowUpKind) -> FollowUp {
        FollowUp {
            id: 1,
            contact_id: 1,
            contact_name: "Ana Pereira".into(),
            company: Some("Acme".into()),
            deal_id: Some(1),
            deal_title: Some("Acme renewal".into()),
            deal_value_cents: Some(1_200_000),
            deal_currency: Some("USD".into()),
            kind,
            text: "pricing".into(),
            due_at: String::new(),
            all_day: false,
            late: false,
            every: None,
            done_at: None,
            status: DueState::Today,
            open: FollowUpStatus::Open,
            due: When::Day(NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()),
            version: 1,
            owner: crate::domain::team::LOCAL_USER.into(),
            sequence: None,
            seq_id: None,
        }
    }

    #[test]
    fn quiet_hours_past_midnight_and_within_a_day() {
        let night = Quiet::parse("20:00-08:00").unwrap();
        assert!(night.holds(t(20, 0)) && night.holds(t(23, 59)) && night.holds(t(7, 59)));
        assert!(!night.holds(t(8, 0)) && !night.holds(t(19, 59)));
        let lunch = Quiet::parse("12:00-13:30").unwrap();
        assert!(lunch.holds(t(12, 0)) && lunch.holds(t(13, 29)));
        assert!(!lunch.holds(t(13, 30)) && !lunch.holds(t(11, 59)));
        for bad in [
            "",
            "20:00",
            "20:00-20:00",
            "25:00-08:00",
            "8-9",
            "20:60-08:00",
        ] {
            assert_eq!(Quiet::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_window_reaches_back_over_quiet_hours_that_just_ended() {
        let q = Quiet::parse("20:00-08:00");
        let now = Local.with_ymd_and_hms(2026, 12, 5, 8, 0, 0).unwrap();
        let quiet_began = Local.with_ymd_and_hms(2026, 12, 4, 20, 0, 0).unwrap();
        assert!(window_start(now, Duration::hours(12), q) < quiet_began);
        assert!(window_start(now, Duration::hours(2), q) < quiet_began);
        // Long after they ended, catch_up alone.
        let later = now + Duration::hours(3);
        assert_eq!(
            window_start(later, Duration::hours(2), q),
            later - Duration::hours(2)
        );
        assert_eq!(
            window_start(now, Duration::hours(2), None),
            now - Duration::hours(2)
        );
        let lunch = Quiet::parse("12:00-13:30");
        let after = Local.with_ymd_and_hms(2026, 12, 5, 13, 31, 0).unwrap();
        let began = Local.with_ymd_and_hms(2026, 12, 5, 12, 0, 0).unwrap();
        assert!(window_start(after, Duration::minutes(30), lunch) < began);
    }

    #[test]
    fn spans_in_minutes_hours_days_weeks_only() {
        assert_eq!(parse_span("12h"), Some(Duration::hours(12)));
        assert_eq!(parse_span("90min"), Some(Duration::minutes(90)));
        assert_eq!(parse_span("2 days"), Some(Duration::days(2)));
        for bad in [
            "",
            "0h",
            "1m",
            "h",
            "-3h",
            "31d",
            "99999999999999999999h",
            "3000000000000h",
            "99999999999w",
        ] {
            assert_eq!(parse_span(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_summary_says_what_with_whom_and_when() {
        let now = at("2026-12-04T15:01:00+00:00");
        let due = at("2026-12-04T15:00:00+00:00");
        let f = follow_up(FollowUpKind::Call);
        let local = due.format("%H:%M").to_string();
        assert_eq!(summary(&f, due, now), format!("Call Ana Pereira · {local}"));
        assert_eq!(body(&f), "pricing\nAcme\nAcme renewal · 12,000 USD");
        assert_eq!(urgency(due, now), Urgency::Normal);
        assert_eq!(urgency(due, now + Duration::hours(2)), Urgency::Critical);
        let mut bare = follow_up(FollowUpKind::Email);
        bare.company = None;
        bare.deal_title = None;
        bare.text = String::new();
        assert_eq!(body(&bare), "");
        bare.sequence = Some(crate::domain::sequence::SeqLabel {
            name: "new-lead".into(),
            step: 2,
            steps: 3,
        });
        assert_eq!(body(&bare), "new-lead 2/3");
        bare.text = "Send the case study".into();
        assert_eq!(body(&bare), "Send the case study (new-lead 2/3)");
        assert!(summary(&bare, due, now).starts_with("Email Ana Pereira · "));
    }

    #[test]
    fn the_morning_summary_counts_and_names_the_first() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        assert_eq!(morning_message(0, 0, &[], day), None);
        let mut items: Vec<FollowUp> = (0..7).map(|_| follow_up(FollowUpKind::Call)).collect();
        let m = morning_message(3, 5, &items, day).unwrap();
        assert_eq!(m.summary, "3 overdue · 5 today");
        assert_eq!(m.body.lines().count(), MORNING_ITEMS + 1);
        assert!(m.body.starts_with("Ana Pereira: pricing"));
        assert!(m.body.ends_with("and 3 more"));
        // An overdue one says its day; a timed one today its time.
        items[0].due = When::At(
            NaiveDate::from_ymd_opt(2026, 12, 3)
                .unwrap()
                .and_hms_opt(16, 0, 0)
                .unwrap(),
        );
        items[1].due = When::At(day.and_hms_opt(15, 0, 0).unwrap());
        let m = morning_message(3, 5, &items, day).unwrap();
        assert!(
            m.body
                .starts_with("Thu 3 Dec 16:00 Ana Pereira: pricing\n15:00 Ana Pereira"),
            "{}",
            m.body
        );
        assert_eq!(
            morning_message(0, 2, &items[..2], day).unwrap().summary,
            "2 today"
        );
    }

    #[test]
    fn the_morning_is_a_workday_from_its_time_on() {
        let workdays = [Weekday::Mon, Weekday::Fri];
        let fri = |h, m| Local.with_ymd_and_hms(2026, 12, 4, h, m, 0).unwrap();
        assert!(!morning_due(fri(8, 29), t(8, 30), &workdays));
        assert!(morning_due(fri(8, 30), t(8, 30), &workdays));
        assert!(morning_due(fri(14, 0), t(8, 30), &workdays));
        let sat = Local.with_ymd_and_hms(2026, 12, 5, 9, 0, 0).unwrap();
        assert!(!morning_due(sat, t(8, 30), &workdays));
    }
}
