//! Open follow-ups as an iCalendar file: one event each, all-day when the follow-up has no
//! time, with an alarm, and a UID that stays the same for a follow-up so a calendar that
//! imports the file again updates its events instead of duplicating them (SEQUENCE is the
//! row's version, LAST-MODIFIED its last change).

use std::io::Write;

use crate::clock::Clock;
use crate::domain::book::CalendarEntry;
use crate::error::Result;
use crate::storage::Snapshot;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use icalendar::{Alarm, Component, Event, EventLike, Trigger};

/// A timed follow-up is shown as a 30-minute event.
const TIMED_LENGTH_MIN: i64 = 30;

fn utc(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// The UID of a follow-up's event: the same on every export.
pub fn uid(id: i64) -> String {
    format!("follow-up-{id}@salesdesk")
}

/// A display alarm with a UID of its own that stays the same too (the crate would otherwise
/// give it a random one, and every export would differ).
fn alarm(id: i64, summary: &str, trigger: Trigger, now: DateTime<Utc>) -> Alarm {
    let mut a = Alarm::display(summary, trigger);
    a.uid(&format!("follow-up-{id}-alarm@salesdesk"))
        .timestamp(now);
    a.done()
}

/// A text value as an iCalendar TEXT may hold it (RFC 5545 3.3.11: no control but tab). The
/// crate escapes newlines as `\n` but copies a CR raw, which any reader that splits lines on
/// CR takes as a new property (`Bob\rX-INJ:1`): every line break (CRLF, CR, and the
/// vertical tab, form feed, NEL and line and paragraph separators some readers split on)
/// becomes a newline, for the crate to escape, and other controls are dropped.
pub fn text_value(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\n' | '\u{0b}' | '\u{0c}' | '\u{85}' | '\u{2028}' | '\u{2029}' => out.push('\n'),
            '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes the open follow-ups as a calendar; returns how many events.
pub fn write(conn: &Snapshot, clock: &Clock, out: &mut dyn Write) -> Result<u64> {
    out.write_all(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//salesdesk//salesdesk follow-ups//EN\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nX-WR-CALNAME:salesdesk follow-ups\r\n",
    )?;
    let now = clock.now().with_timezone(&Utc);
    let mut n = 0u64;
    crate::storage::export::for_each_open_follow_up(conn, |f| {
        if let Some(ev) = event(f, now) {
            write!(out, "{}", ev.to_string())?;
            n += 1;
        }
        Ok(())
    })?;
    out.write_all(b"END:VCALENDAR\r\n")?;
    Ok(n)
}

/// One follow-up's event with its alarm; none for an all-day one whose date cannot be read.
fn event(f: CalendarEntry, now: DateTime<Utc>) -> Option<Event> {
    let id = f.id;
    let text = text_value(&f.text);
    let contact = text_value(&f.contact);
    let who = match f.company.map(|s| text_value(&s)) {
        Some(co) => format!("{contact} ({co})"),
        None => contact,
    };
    let mut verb = f.kind.clone();
    if let Some(first) = verb.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    let summary = if text.trim().is_empty() {
        format!("{verb} {who}")
    } else {
        format!("{verb} {who}: {}", text.trim())
    };
    let mut desc = vec![format!("{} · {who}", f.kind)];
    if let Some(d) = f.deal.map(|s| text_value(&s)) {
        desc.push(format!("deal: {d}"));
    }
    if !text.trim().is_empty() {
        desc.push(text.trim().to_string());
    }
    if let Some(e) = f.every.map(|s| text_value(&s)) {
        desc.push(format!("repeats every {e}"));
    }
    desc.push(format!("salesdesk follow-up #{id}: `salesdesk done {id}`"));
    let mut ev = Event::new();
    ev.uid(&uid(id))
        .summary(&summary)
        .description(&desc.join("\n"))
        .sequence(f.version.max(0) as u32)
        .timestamp(now);
    if let Some(t) = f.created_at.as_deref().and_then(utc) {
        ev.created(t);
    }
    if let Some(t) = f.updated_at.as_deref().and_then(utc) {
        ev.last_modified(t);
    }
    match f.due_at.as_deref().and_then(utc) {
        Some(start) => {
            ev.starts(start)
                .ends(start + Duration::minutes(TIMED_LENGTH_MIN));
            ev.alarm(alarm(
                id,
                &summary,
                Trigger::before_start(Duration::minutes(15)),
                now,
            ));
        }
        None => {
            let day = NaiveDate::parse_from_str(&f.due_date, "%Y-%m-%d").ok()?;
            // DTEND is exclusive: the next day, so the event covers the one day.
            ev.starts(day).ends(day.succ_opt().unwrap_or(day));
            // 09:00 on the day.
            ev.alarm(alarm(
                id,
                &summary,
                Trigger::after_start(Duration::hours(9)),
                now,
            ));
        }
    }
    Some(ev.done())
}
