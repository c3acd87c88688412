//! The whole book as JSON, lossless: every row with its id, version and times, deals with
//! their history. `import --format json` into an empty book gives the same book back.
//!
//! Field names follow SPEC.md's JSON shapes (times in RFC 3339 with the local offset), with
//! the extra fields a restore needs (`company_id`, `updated_at`, history entries' ids...).

use chrono::{DateTime, NaiveDate};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use crate::clock::{Clock, stamp, to_local_rfc3339};
use crate::domain::contact::{Status, Temperature};
use crate::domain::deal::{DealEvent, DealStatus};
use crate::domain::follow_up::{FollowUpKind, FollowUpStatus, due_state};
use crate::domain::note::{NoteKind, Outcome};
use crate::error::{Error, Result};
use crate::storage::Change;

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

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Book {
    pub format: String,
    pub version: u32,
    #[serde(default)]
    pub exported_at: Option<String>,
    #[serde(default)]
    pub companies: Vec<Company>,
    #[serde(default)]
    pub contacts: Vec<Contact>,
    #[serde(default)]
    pub deals: Vec<Deal>,
    #[serde(default)]
    pub follow_ups: Vec<FollowUp>,
    #[serde(default)]
    pub notes: Vec<Note>,
    /// The highest id each table ever gave, so a restored book never reuses one.
    #[serde(default)]
    pub sequences: std::collections::BTreeMap<String, i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Company {
    pub id: i64,
    pub name: String,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Contact {
    pub id: i64,
    pub name: String,
    pub company: Option<String>,
    pub company_id: Option<i64>,
    pub title: Option<String>,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub tags: Vec<String>,
    pub source: Option<String>,
    pub status: Status,
    pub temperature: Option<Temperature>,
    pub cadence_days: Option<i64>,
    pub archived: bool,
    pub linkedin_url: Option<String>,
    pub connected_on: Option<String>,
    pub last_contacted_at: Option<String>,
    /// Derived from the follow-ups; written for readers, ignored on import.
    #[serde(default)]
    pub next_follow_up_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct HistoryEntry {
    #[serde(default)]
    pub id: Option<i64>,
    pub event: DealEvent,
    pub stage: String,
    pub at: String,
    #[serde(default = "one")]
    pub version: i64,
}

fn one() -> i64 {
    1
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Deal {
    pub id: i64,
    pub title: String,
    pub contact_id: i64,
    #[serde(default)]
    pub contact_name: Option<String>,
    #[serde(default)]
    pub company: Option<String>,
    pub value_cents: i64,
    pub currency: String,
    pub stage: String,
    pub status: DealStatus,
    pub lost_reason: Option<String>,
    pub expected_close: Option<String>,
    pub created_at: String,
    pub closed_at: Option<String>,
    pub stage_entered_at: String,
    pub updated_at: String,
    pub history: Vec<HistoryEntry>,
    pub version: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FollowUp {
    pub id: i64,
    pub contact_id: i64,
    #[serde(default)]
    pub contact_name: Option<String>,
    #[serde(default)]
    pub company: Option<String>,
    pub deal_id: Option<i64>,
    pub kind: FollowUpKind,
    pub text: String,
    /// `2026-11-24` when all-day, else RFC 3339.
    pub due_at: String,
    pub all_day: bool,
    pub every: Option<String>,
    pub done_at: Option<String>,
    /// overdue, today, upcoming (all open), done or cancelled.
    pub status: String,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Note {
    pub id: i64,
    pub contact_id: i64,
    pub deal_id: Option<i64>,
    pub kind: NoteKind,
    pub outcome: Option<Outcome>,
    pub body: String,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
}

fn local(s: String) -> String {
    to_local_rfc3339(&s)
}

fn opt_local(s: Option<String>) -> Option<String> {
    s.map(local)
}

fn json_list(s: String) -> Vec<String> {
    serde_json::from_str(&s).unwrap_or_default()
}

/// Reads the whole book.
pub fn read_book(conn: &Connection, clock: &Clock) -> Result<Book> {
    let mut book = Book {
        format: FORMAT.into(),
        version: VERSION,
        exported_at: Some(
            clock
                .now()
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        ),
        companies: Vec::new(),
        contacts: Vec::new(),
        deals: Vec::new(),
        follow_ups: Vec::new(),
        notes: Vec::new(),
        sequences: Default::default(),
    };
    let mut stmt = conn.prepare("SELECT name, seq FROM sqlite_sequence ORDER BY name")?;
    book.sequences = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    book.sequences
        .retain(|k, _| SEQUENCED.contains(&k.as_str()));
    let mut stmt = conn
        .prepare("SELECT id, name, created_at, updated_at, version FROM companies ORDER BY id")?;
    book.companies = stmt
        .query_map([], |r| {
            Ok(Company {
                id: r.get(0)?,
                name: r.get(1)?,
                created_at: local(r.get(2)?),
                updated_at: local(r.get(3)?),
                version: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare(
        "SELECT c.id, c.name, co.name, c.company_id, c.title, c.emails, c.phones, c.tags, c.source,
            c.status, c.temperature, c.cadence_days, c.archived, c.linkedin_url, c.connected_on,
            c.last_contacted_at,
            (SELECT coalesce(f.due_at, f.due_date) FROM follow_ups f WHERE f.contact_id = c.id AND f.status = 'open'
               ORDER BY f.due_date, f.due_at IS NOT NULL, f.due_at LIMIT 1),
            c.created_at, c.updated_at, c.version
         FROM contacts c LEFT JOIN companies co ON co.id = c.company_id ORDER BY c.id",
    )?;
    book.contacts = stmt
        .query_map([], |r| {
            Ok(Contact {
                id: r.get(0)?,
                name: r.get(1)?,
                company: r.get(2)?,
                company_id: r.get(3)?,
                title: r.get(4)?,
                emails: json_list(r.get(5)?),
                phones: json_list(r.get(6)?),
                tags: json_list(r.get(7)?),
                source: r.get(8)?,
                status: r.get(9)?,
                temperature: r.get(10)?,
                cadence_days: r.get(11)?,
                archived: r.get::<_, i64>(12)? != 0,
                linkedin_url: r.get(13)?,
                connected_on: r.get(14)?,
                last_contacted_at: opt_local(r.get(15)?),
                next_follow_up_at: r
                    .get::<_, Option<String>>(16)?
                    .map(crate::storage::contacts::due_text),
                created_at: local(r.get(17)?),
                updated_at: local(r.get(18)?),
                version: r.get(19)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut events = conn.prepare(
        "SELECT id, event, stage, at, version FROM deal_events WHERE deal_id = ?1 ORDER BY at, id",
    )?;
    let mut stmt = conn.prepare(
        "SELECT d.id, d.title, d.contact_id, c.name, co.name, d.value_cents, d.currency, d.stage,
            d.status, d.lost_reason, d.expected_close, d.created_at, d.closed_at, d.stage_entered_at,
            d.updated_at, d.version
         FROM deals d JOIN contacts c ON c.id = d.contact_id
         LEFT JOIN companies co ON co.id = c.company_id ORDER BY d.id",
    )?;
    let deals: Vec<Deal> = stmt
        .query_map([], |r| {
            Ok(Deal {
                id: r.get(0)?,
                title: r.get(1)?,
                contact_id: r.get(2)?,
                contact_name: r.get(3)?,
                company: r.get(4)?,
                value_cents: r.get(5)?,
                currency: r.get(6)?,
                stage: r.get(7)?,
                status: r.get(8)?,
                lost_reason: r.get(9)?,
                expected_close: r.get(10)?,
                created_at: local(r.get(11)?),
                closed_at: opt_local(r.get(12)?),
                stage_entered_at: local(r.get(13)?),
                updated_at: local(r.get(14)?),
                history: Vec::new(),
                version: r.get(15)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    for mut d in deals {
        d.history = events
            .query_map([d.id], |r| {
                Ok(HistoryEntry {
                    id: Some(r.get(0)?),
                    event: r.get(1)?,
                    stage: r.get(2)?,
                    at: local(r.get(3)?),
                    version: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        book.deals.push(d);
    }
    let today = clock.today();
    let mut stmt = conn.prepare(
        "SELECT f.id, f.contact_id, c.name, co.name, f.deal_id, f.kind, f.text, f.due_date, f.due_at,
            f.every, f.done_at, f.status, f.created_at, f.updated_at, f.version
         FROM follow_ups f JOIN contacts c ON c.id = f.contact_id
         LEFT JOIN companies co ON co.id = c.company_id ORDER BY f.id",
    )?;
    book.follow_ups = stmt
        .query_map([], |r| {
            let due_date: String = r.get(7)?;
            let due_at: Option<String> = r.get(8)?;
            let status: FollowUpStatus = r.get(11)?;
            let date = NaiveDate::parse_from_str(&due_date, "%Y-%m-%d").unwrap_or_default();
            Ok(FollowUp {
                id: r.get(0)?,
                contact_id: r.get(1)?,
                contact_name: r.get(2)?,
                company: r.get(3)?,
                deal_id: r.get(4)?,
                kind: r.get(5)?,
                text: r.get(6)?,
                all_day: due_at.is_none(),
                due_at: due_at.map_or(due_date, local),
                every: r.get(9)?,
                done_at: opt_local(r.get(10)?),
                status: due_state(status, date, today).to_string(),
                created_at: local(r.get(12)?),
                updated_at: local(r.get(13)?),
                version: r.get(14)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare(
        "SELECT id, contact_id, deal_id, kind, outcome, body, created_at, updated_at, version
         FROM notes ORDER BY id",
    )?;
    book.notes = stmt
        .query_map([], |r| {
            Ok(Note {
                id: r.get(0)?,
                contact_id: r.get(1)?,
                deal_id: r.get(2)?,
                kind: r.get(3)?,
                outcome: r.get(4)?,
                body: r.get(5)?,
                created_at: local(r.get(6)?),
                updated_at: local(r.get(7)?),
                version: r.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(book)
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

/// Whether the book holds nothing a restore could collide with.
pub fn book_is_empty(conn: &Connection) -> Result<bool> {
    let n: i64 = conn.query_row(
        "SELECT (SELECT count(*) FROM contacts) + (SELECT count(*) FROM companies)
              + (SELECT count(*) FROM deals) + (SELECT count(*) FROM notes)
              + (SELECT count(*) FROM follow_ups)",
        [],
        |r| r.get(0),
    )?;
    Ok(n == 0)
}
