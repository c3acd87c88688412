//! Open follow-ups as an iCalendar file: one event each, all-day when the follow-up has no
//! time, with an alarm, and a UID that stays the same for a follow-up so a calendar that
//! imports the file again updates its events instead of duplicating them (SEQUENCE is the
//! row's version, LAST-MODIFIED its last change).

use std::io::Write;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use icalendar::{Alarm, Component, Event, EventLike, Trigger};
use rusqlite::Connection;

use crate::clock::Clock;
use crate::error::Result;

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
pub fn write(conn: &Connection, clock: &Clock, out: &mut dyn Write) -> Result<u64> {
    out.write_all(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//salesdesk//salesdesk follow-ups//EN\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nX-WR-CALNAME:salesdesk follow-ups\r\n",
    )?;
    let mut stmt = conn.prepare(
        "SELECT f.id, f.kind, f.text, f.due_date, f.due_at, f.version, f.created_at, f.updated_at,
            c.name, co.name, d.title, f.every
         FROM follow_ups f JOIN contacts c ON c.id = f.contact_id
         LEFT JOIN companies co ON co.id = c.company_id LEFT JOIN deals d ON d.id = f.deal_id
         WHERE f.status = 'open' ORDER BY f.due_date, f.due_at IS NOT NULL, f.due_at, f.id",
    )?;
    let mut rows = stmt.query([])?;
    let now = clock.now().with_timezone(&Utc);
    let mut n = 0u64;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let kind: String = r.get(1)?;
        let text = text_value(&r.get::<_, String>(2)?);
        let due_date: String = r.get(3)?;
        let due_at: Option<String> = r.get(4)?;
        let version: i64 = r.get(5)?;
        let created: Option<String> = r.get(6)?;
        let updated: Option<String> = r.get(7)?;
        let contact = text_value(&r.get::<_, String>(8)?);
        let company = r.get::<_, Option<String>>(9)?.map(|s| text_value(&s));
        let deal = r.get::<_, Option<String>>(10)?.map(|s| text_value(&s));
        let every = r.get::<_, Option<String>>(11)?.map(|s| text_value(&s));
        let who = match &company {
            Some(co) => format!("{contact} ({co})"),
            None => contact.clone(),
        };
        let mut verb = kind.clone();
        if let Some(first) = verb.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        let summary = if text.trim().is_empty() {
            format!("{verb} {who}")
        } else {
            format!("{verb} {who}: {}", text.trim())
        };
        let mut desc = vec![format!("{kind} · {who}")];
        if let Some(d) = &deal {
            desc.push(format!("deal: {d}"));
        }
        if !text.trim().is_empty() {
            desc.push(text.trim().to_string());
        }
        if let Some(e) = &every {
            desc.push(format!("repeats every {e}"));
        }
        desc.push(format!("salesdesk follow-up #{id}: `salesdesk done {id}`"));
        let mut ev = Event::new();
        ev.uid(&uid(id))
            .summary(&summary)
            .description(&desc.join("\n"))
            .sequence(version.max(0) as u32)
            .timestamp(now);
        if let Some(t) = created.as_deref().and_then(utc) {
            ev.created(t);
        }
        if let Some(t) = updated.as_deref().and_then(utc) {
            ev.last_modified(t);
        }
        match due_at.as_deref().and_then(utc) {
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
                let Ok(day) = NaiveDate::parse_from_str(&due_date, "%Y-%m-%d") else {
                    continue;
                };
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
        let ev = ev.done();
        write!(out, "{}", ev.to_string())?;
        n += 1;
    }
    out.write_all(b"END:VCALENDAR\r\n")?;
    Ok(n)
}
