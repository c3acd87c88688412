//! The whole book as JSON, lossless: every row with its id, version and times, deals with
//! their history. `import --format json` into an empty book gives the same book back.
//!
//! Field names follow SPEC.md's JSON shapes (times in RFC 3339 with the local offset), with
//! the extra fields a restore needs (`company_id`, `updated_at`, history entries' ids...).

use chrono::{DateTime, NaiveDate};
use rusqlite::params;

use crate::clock::{Clock, stamp};
pub use crate::domain::book::{Book, Company, Contact, Deal, FollowUp, HistoryEntry, Note};
use crate::domain::follow_up::FollowUpStatus;
use crate::error::{Error, Result};
use crate::storage::export::{self, History, NextDue};
use crate::storage::{Change, Snapshot};

pub const FORMAT: &str = "salesdesk-book";
pub const VERSION: u32 = 1;

/// The tables whose ids an export carries.
const SEQUENCED: &[&str] = &[
    "companies",
    "contacts",
    "deals",
    "deal_events",
    "follow_ups",
    "notes",
];

/// Reads the whole book.
pub fn read_book(conn: &Snapshot, clock: &Clock) -> Result<Book> {
    let mut sequences = export::sequences(conn)?;
    sequences.retain(|k, _| SEQUENCED.contains(&k.as_str()));
    Ok(Book {
        format: FORMAT.into(),
        version: VERSION,
        exported_at: Some(
            clock
                .now()
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        ),
        companies: export::companies(conn)?,
        contacts: collect(|f| export::for_each_contact(conn, NextDue::Read, f))?,
        deals: collect(|f| export::for_each_deal(conn, History::Read, f))?,
        follow_ups: collect(|f| export::for_each_follow_up(conn, clock.today(), f))?,
        notes: collect(|f| export::for_each_note(conn, f))?,
        sequences,
    })
}

/// The rows a storage reader hands out one at a time, as a list.
fn collect<T>(read: impl FnOnce(&mut dyn FnMut(T) -> Result<()>) -> Result<()>) -> Result<Vec<T>> {
    let mut out = Vec::new();
    read(&mut |row| {
        out.push(row);
        Ok(())
    })?;
    Ok(out)
}

/// A time from the file as the book stores it (UTC), or an input error naming the field.
fn utc(what: &str, s: &str) -> Result<String> {
    DateTime::parse_from_rfc3339(s)
        .map(stamp)
        .map_err(|_| Error::input(format!("{what}: {s:?} is not an RFC 3339 time")))
}

fn opt_utc(what: &str, s: &Option<String>) -> Result<Option<String>> {
    s.as_deref().map(|s| utc(what, s)).transpose()
}

/// SQLite refusing a row of the file (a dangling id, a duplicate id) is the file's fault.
fn rows_err(what: String) -> impl Fn(rusqlite::Error) -> Error {
    move |e| match &e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            Error::input(format!("{what}: {e}"))
        }
        _ => Error::from(e),
    }
}

/// What a restore wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Restored {
    pub companies: u64,
    pub contacts: u64,
    pub deals: u64,
    pub follow_ups: u64,
    pub notes: u64,
}

/// Parses an export, refusing anything that is not one.
pub fn parse(text: &str, name: &str) -> Result<Book> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        Error::input(format!(
            "{name} is not a salesdesk JSON export: {e}; make one with `salesdesk export --format json`"
        ))
    })?;
    // Its format first: a file that is no export is said to be none, not picked apart.
    let format = value.get("format").and_then(serde_json::Value::as_str);
    if format.is_some_and(|f| f != FORMAT) {
        return Err(Error::input(format!(
            "{name} is not a salesdesk JSON export (format {:?}, expected {FORMAT:?})",
            format.unwrap_or_default()
        )));
    }
    let book = super::json_check::from_value(value, name)?;
    if book.format != FORMAT {
        return Err(Error::input(format!(
            "{name} is not a salesdesk JSON export (format {:?}, expected {FORMAT:?})",
            book.format
        )));
    }
    if book.version > VERSION {
        return Err(Error::input(format!(
            "{name} was written by a newer salesdesk (export version {}); upgrade salesdesk to import it",
            book.version
        )));
    }
    Ok(book)
}

/// Writes every row of the book with its id. The caller checks the book is empty.
pub fn restore(chg: &mut Change<'_>, book: &Book) -> Result<Restored> {
    let mut n = Restored::default();
    for c in &book.companies {
        let what = format!("company #{}", c.id);
        chg.prepare_cached(
            "INSERT INTO companies(id, name, name_key, created_at, updated_at, version)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            c.id,
            c.name,
            crate::text::fold(&c.name),
            utc(&what, &c.created_at)?,
            utc(&what, &c.updated_at)?,
            c.version
        ])
        .map_err(rows_err(what))?;
        n.companies += 1;
    }
    for c in &book.contacts {
        let what = format!("contact #{}", c.id);
        if c.name.trim().is_empty() {
            return Err(Error::input(format!("{what} has no name")));
        }
        chg.prepare_cached(
            "INSERT INTO contacts(id, name, name_key, company_id, title, emails, phones, tags, source,
                status, temperature, cadence_days, archived, linkedin_url, connected_on,
                last_contacted_at, created_at, updated_at, version)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
        )?
        .execute(params![
            c.id,
            c.name,
            crate::text::fold(&c.name),
            c.company_id,
            c.title,
            serde_json::to_string(&c.emails)?,
            serde_json::to_string(&c.phones)?,
            serde_json::to_string(&c.tags)?,
            c.source,
            c.status,
            c.temperature,
            c.cadence_days,
            c.archived as i64,
            c.linkedin_url,
            c.connected_on,
            opt_utc(&what, &c.last_contacted_at)?,
            utc(&what, &c.created_at)?,
            utc(&what, &c.updated_at)?,
            c.version
        ])
        .map_err(rows_err(what))?;
        n.contacts += 1;
    }
    for d in &book.deals {
        let what = format!("deal #{}", d.id);
        chg.prepare_cached(
            "INSERT INTO deals(id, title, contact_id, value_cents, currency, stage, status, lost_reason,
                expected_close, closed_at, stage_entered_at, created_at, updated_at, version)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        )?
        .execute(params![
            d.id,
            d.title,
            d.contact_id,
            d.value_cents,
            d.currency,
            d.stage,
            d.status,
            d.lost_reason,
            d.expected_close,
            opt_utc(&what, &d.closed_at)?,
            utc(&what, &d.stage_entered_at)?,
            utc(&what, &d.created_at)?,
            utc(&what, &d.updated_at)?,
            d.version
        ])
        .map_err(rows_err(what.clone()))?;
        for h in &d.history {
            chg.prepare_cached(
                "INSERT INTO deal_events(id, deal_id, event, stage, at, version)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                h.id,
                d.id,
                h.event,
                h.stage,
                utc(&what, &h.at)?,
                h.version
            ])
            .map_err(rows_err(format!("{what}'s history")))?;
        }
        n.deals += 1;
    }
    for x in &book.notes {
        let what = format!("note #{}", x.id);
        chg.prepare_cached(
            "INSERT INTO notes(id, contact_id, deal_id, kind, outcome, body, created_at, updated_at, version)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            x.id,
            x.contact_id,
            x.deal_id,
            x.kind,
            x.outcome,
            x.body,
            utc(&what, &x.created_at)?,
            utc(&what, &x.updated_at)?,
            x.version
        ])
        .map_err(rows_err(what))?;
        n.notes += 1;
    }
    for f in &book.follow_ups {
        let what = format!("follow-up #{}", f.id);
        let (due_date, due_at) = if f.all_day {
            let d = NaiveDate::parse_from_str(&f.due_at, "%Y-%m-%d")
                .ok()
                .filter(|d| crate::when::in_range(*d))
                .ok_or_else(|| {
                    Error::input(format!(
                        "{what}: due_at {:?} is not a date from 0001-01-01 to 9999-12-31",
                        f.due_at
                    ))
                })?;
            (d.to_string(), None)
        } else {
            let t = DateTime::parse_from_rfc3339(&f.due_at).map_err(|_| {
                Error::input(format!(
                    "{what}: due_at {:?} is not an RFC 3339 time",
                    f.due_at
                ))
            })?;
            (
                t.with_timezone(&chrono::Local).date_naive().to_string(),
                Some(stamp(t)),
            )
        };
        let status = match f.status.as_str() {
            "done" => FollowUpStatus::Done,
            "cancelled" => FollowUpStatus::Cancelled,
            "overdue" | "today" | "upcoming" | "open" => FollowUpStatus::Open,
            other => {
                return Err(Error::input(format!(
                    "{what}: status {other:?} is not one of overdue, today, upcoming, done, cancelled"
                )));
            }
        };
        chg.prepare_cached(
            "INSERT INTO follow_ups(id, contact_id, deal_id, kind, text, due_date, due_at, every, status,
                done_at, created_at, updated_at, version)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )?
        .execute(params![
            f.id,
            f.contact_id,
            f.deal_id,
            f.kind,
            f.text,
            due_date,
            due_at,
            f.every,
            status,
            opt_utc(&what, &f.done_at)?,
            utc(&what, &f.created_at)?,
            utc(&what, &f.updated_at)?,
            f.version
        ])
        .map_err(rows_err(what))?;
        n.follow_ups += 1;
    }
    for (tbl, seq) in &book.sequences {
        if !SEQUENCED.contains(&tbl.as_str()) {
            continue;
        }
        chg.prepare_cached("UPDATE sqlite_sequence SET seq = max(seq, ?2) WHERE name = ?1")?
            .execute(params![tbl, seq])?;
        chg.prepare_cached(
            "INSERT INTO sqlite_sequence(name, seq) SELECT ?1, ?2
             WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?1)",
        )?
        .execute(params![tbl, seq])?;
    }
    Ok(n)
}
