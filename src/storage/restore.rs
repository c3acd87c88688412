//! Writing a whole book: the JSON restore (every row with its id, into an empty book, as
//! an import: undone whole by its id ranges) and the demo's wipe (a barrier).

use crate::storage::pg::copy::CopyRows;
use crate::storage::pg::values::Arg;
use crate::storage::sql::{self, Value, params};
use chrono::{DateTime, NaiveDate};

use crate::clock::stamp;
use crate::domain::book::{Book, Company, Contact, Deal, FollowUp, Note, SequenceEnrollment};
use crate::domain::follow_up::FollowUpStatus;
use crate::error::{Error, Result};
use crate::storage::{Importing, Unlogged};

/// Where a deal of a file from before pipelines goes when nothing named its pipeline (the
/// import names the config's first one before it gets here).
const LEGACY_PIPELINE: &str = "sales";

/// The tables whose ids an export carries.
pub const SEQUENCED: &[&str] = &[
    "companies",
    "contacts",
    "deals",
    "deal_events",
    "follow_ups",
    "notes",
    "sequence_enrollments",
];

/// What a restore wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Restored {
    pub companies: u64,
    pub contacts: u64,
    pub deals: u64,
    pub follow_ups: u64,
    pub notes: u64,
}

/// Removes every row of the book (ids keep counting up: they are never reused).
pub fn wipe(w: &mut Unlogged<'_>) -> Result<()> {
    w.exec_batch(
        "DELETE FROM reassignments; DELETE FROM notes; DELETE FROM follow_ups;
         DELETE FROM deal_events; DELETE FROM deals;
         DELETE FROM sequence_enrollments; DELETE FROM contacts; DELETE FROM companies;",
    )
}

/// Writes every row of the book with its id. The caller checks the book is empty.
pub fn book(imp: &mut Importing<'_>, book: &Book) -> Result<Restored> {
    // On a server, the search triggers step aside and the rows are indexed at the end, and
    // the rows are copied in a table at a time (see `Rows`).
    let bulk = crate::storage::bulk::BulkLoad::begin_restore(imp)?;
    let mut rows = Rows {
        imp,
        held: bulk.as_ref().map(|_| Vec::new()),
    };
    let n = write(&mut rows, book)?;
    if let Some(bulk) = bulk {
        bulk.finish_import(imp)?;
    }
    Ok(n)
}

fn write(imp: &mut Rows<'_, '_>, book: &Book) -> Result<Restored> {
    let mut n = Restored::default();
    for c in &book.companies {
        company(imp, c)?;
        imp.next()?;
        n.companies += 1;
    }
    imp.flush()?;
    for c in &book.contacts {
        contact(imp, c)?;
        imp.next()?;
        n.contacts += 1;
    }
    imp.flush()?;
    for d in &book.deals {
        deal(imp, d)?;
        imp.next()?;
        n.deals += 1;
    }
    imp.flush()?;
    for x in &book.notes {
        note(imp, x)?;
        imp.next()?;
        n.notes += 1;
    }
    imp.flush()?;
    for e in &book.sequence_enrollments {
        enrollment(imp, e)?;
        imp.next()?;
    }
    imp.flush()?;
    for f in &book.follow_ups {
        follow_up(imp, f)?;
        imp.next()?;
        n.follow_ups += 1;
    }
    imp.flush()?;
    for (tbl, seq) in &book.sequences {
        if SEQUENCED.contains(&tbl.as_str()) {
            imp.imp.set_sequence(tbl, *seq)?;
        }
    }
    Ok(n)
}

/// Where a restore's rows go. On SQLite each is written at once, one statement a row (fast
/// there). On a server each statement is a round trip and raises the table's id counter, so
/// rows are held, up to [`HELD`], and copied in a table at a time (`COPY`); when the server
/// refuses a copy (a duplicate id, a missing row), it is undone to its savepoint and the same
/// rows are written one by one, in their order, so the refusal names its row as on SQLite.
struct Rows<'i, 'c> {
    imp: &'i Importing<'c>,
    held: Option<Vec<Held>>,
}

/// Rows held at most before they are copied in.
const HELD: usize = 5_000;

struct Held {
    what: String,
    sql: &'static str,
    values: Vec<Value>,
}

impl Rows<'_, '_> {
    /// After each row of the file with the rows it brings (a contact's keys, a deal's
    /// history): copies in what is held once it is [`HELD`] rows, so that a copy never starts
    /// with rows whose parent comes later in it.
    fn next(&mut self) -> Result<()> {
        if self.held.as_ref().is_some_and(|h| h.len() >= HELD) {
            self.flush()?;
        }
        Ok(())
    }

    /// Copies in what is held, a table at a time in the order each first appears.
    fn flush(&mut self) -> Result<()> {
        let Some(held) = self.held.as_mut() else {
            return Ok(());
        };
        if held.is_empty() {
            return Ok(());
        }
        let held = std::mem::take(held);
        let mut tables: Vec<(&str, CopyRows)> = Vec::new();
        for h in &held {
            // `INSERT INTO table(columns)` … : the table and its columns, as COPY names them.
            let into = h.sql.trim_start().trim_start_matches("INSERT INTO ");
            let into = &into[..into.find(')').map_or(into.len(), |i| i + 1)];
            let at = match tables.iter().position(|(t, _)| *t == into) {
                Some(at) => at,
                None => {
                    tables.push((into, CopyRows::new()));
                    tables.len() - 1
                }
            };
            for v in &h.values {
                tables[at].1.value(v).map_err(Error::env)?;
            }
            tables[at].1.end_row();
        }
        let tx = self.imp.tx();
        tx.execute_batch("SAVEPOINT restore_copy")?;
        let copied = tables
            .iter()
            .try_for_each(|(into, rows)| self.imp.copy(into, rows).map(|_| ()));
        if copied.is_ok() {
            return Ok(tx.execute_batch("RELEASE SAVEPOINT restore_copy")?);
        }
        tx.execute_batch("ROLLBACK TO SAVEPOINT restore_copy; RELEASE SAVEPOINT restore_copy")?;
        for h in held {
            add_now(self.imp, &h.what, h.sql, h.values)?;
        }
        Ok(())
    }
}

fn utc(what: &str, s: &str) -> Result<String> {
    DateTime::parse_from_rfc3339(s)
        .map(stamp)
        .map_err(|_| Error::input(format!("{what}: {s:?} is not an RFC 3339 time")))
}

fn opt_utc(what: &str, s: &Option<String>) -> Result<Option<String>> {
    s.as_deref().map(|s| utc(what, s)).transpose()
}

/// Adds one row of the file, or holds it to be copied in with others (see [`Rows`]).
fn add(imp: &mut Rows<'_, '_>, what: &str, sql: &'static str, p: impl sql::Args) -> Result<()> {
    let Some(held) = imp.held.as_mut() else {
        return add_now(imp.imp, what, sql, p);
    };
    let mut values = Vec::new();
    p.each(&mut |v| {
        values.push(Arg::of(v)?.0);
        Ok(())
    })?;
    held.push(Held {
        what: what.to_string(),
        sql,
        values,
    });
    Ok(())
}

/// Adds one row of the file. SQLite refusing it (a dangling id, a duplicate id) is the
/// file's fault: `what` names the row.
fn add_now(imp: &Importing<'_>, what: &str, sql: &str, p: impl sql::Args) -> Result<()> {
    match imp.add(sql, p) {
        Ok(_) => Ok(()),
        Err(sql::Error::Lite(e @ rusqlite::Error::SqliteFailure(f, _)))
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            Err(Error::input(format!("{what}: {e}")))
        }
        // A server's integrity constraint (class 23: a duplicate id, a missing row).
        Err(e @ sql::Error::Pg(_)) if e.sql_state().is_some_and(|c| c.starts_with("23")) => {
            Err(Error::input(format!("{what}: {e}")))
        }
        Err(e) => Err(Error::from(e)),
    }
}

fn company(imp: &mut Rows<'_, '_>, c: &Company) -> Result<()> {
    let what = format!("company #{}", c.id);
    add(
        imp,
        &what,
        "INSERT INTO companies(id, name, name_key, created_at, updated_at, version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            c.id,
            c.name,
            crate::text::fold(&c.name),
            utc(&what, &c.created_at)?,
            utc(&what, &c.updated_at)?,
            c.version
        ],
    )
}

fn contact(imp: &mut Rows<'_, '_>, c: &Contact) -> Result<()> {
    let what = format!("contact #{}", c.id);
    if c.name.trim().is_empty() {
        return Err(Error::input(format!("{what} has no name")));
    }
    add(
        imp,
        &what,
        "INSERT INTO contacts(id, name, name_key, company_id, title, emails, phones, tags, source,
            status, temperature, cadence_days, archived, linkedin_url, connected_on,
            last_contacted_at, created_at, updated_at, version, referred_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
        params![
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
            c.version,
            c.referred_by.as_ref().map(|r| r.id)
        ],
    )?;
    // On a server the keys trigger steps aside for the restore (see `Rows`): the keys are
    // written here, as an import writes them, and copied in with the contacts.
    if imp.held.is_some() {
        for (kind, key) in crate::storage::contacts::keys(&c.emails, &c.phones, &c.tags) {
            add(
                imp,
                &what,
                "INSERT INTO contact_keys(contact_id, kind, key) VALUES (?1, ?2, ?3)",
                params![c.id, kind, key],
            )?;
        }
    }
    Ok(())
}

fn deal(imp: &mut Rows<'_, '_>, d: &Deal) -> Result<()> {
    let what = format!("deal #{}", d.id);
    add(
        imp,
        &what,
        "INSERT INTO deals(id, title, contact_id, value_cents, currency, stage, status, lost_reason,
            expected_close, closed_at, stage_entered_at, created_at, updated_at, version, pipeline)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        params![
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
            d.version,
            d.pipeline.as_deref().unwrap_or(LEGACY_PIPELINE)
        ],
    )?;
    let history = format!("{what}'s history");
    for h in &d.history {
        add(
            imp,
            &history,
            "INSERT INTO deal_events(id, deal_id, event, stage, at, version)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![h.id, d.id, h.event, h.stage, utc(&what, &h.at)?, h.version],
        )?;
    }
    Ok(())
}

fn note(imp: &mut Rows<'_, '_>, x: &Note) -> Result<()> {
    let what = format!("note #{}", x.id);
    add(
        imp,
        &what,
        "INSERT INTO notes(id, contact_id, deal_id, kind, outcome, body, created_at, updated_at, version,
                           private)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            x.id,
            x.contact_id,
            x.deal_id,
            x.kind,
            x.outcome,
            x.body,
            utc(&what, &x.created_at)?,
            utc(&what, &x.updated_at)?,
            x.version,
            x.private as i64
        ],
    )
}

/// The stored columns of a follow-up's due in the file: the local date, and the UTC
/// instant when timed.
fn due_columns(what: &str, f: &FollowUp) -> Result<(String, Option<String>)> {
    if f.all_day {
        let d = NaiveDate::parse_from_str(&f.due_at, "%Y-%m-%d")
            .ok()
            .filter(|d| crate::when::in_range(*d))
            .ok_or_else(|| {
                Error::input(format!(
                    "{what}: due_at {:?} is not a date from 0001-01-01 to 9999-12-31",
                    f.due_at
                ))
            })?;
        return Ok((d.to_string(), None));
    }
    let t = DateTime::parse_from_rfc3339(&f.due_at).map_err(|_| {
        Error::input(format!(
            "{what}: due_at {:?} is not an RFC 3339 time",
            f.due_at
        ))
    })?;
    Ok((
        t.with_timezone(&chrono::Local).date_naive().to_string(),
        Some(stamp(t)),
    ))
}

fn follow_up(imp: &mut Rows<'_, '_>, f: &FollowUp) -> Result<()> {
    let what = format!("follow-up #{}", f.id);
    let (due_date, due_at) = due_columns(&what, f)?;
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
    add(
        imp,
        &what,
        "INSERT INTO follow_ups(id, contact_id, deal_id, kind, text, due_date, due_at, every, status,
            done_at, created_at, updated_at, version, seq_id, seq_name, seq_step, seq_steps)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
        params![
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
            f.version,
            f.sequence.as_ref().map(|s| s.enrollment_id),
            f.sequence.as_ref().map(|s| s.name.as_str()),
            f.sequence.as_ref().map(|s| s.step),
            f.sequence.as_ref().map(|s| s.steps),
        ],
    )
}

fn enrollment(imp: &mut Rows<'_, '_>, e: &SequenceEnrollment) -> Result<()> {
    let what = format!("sequence enrolment #{}", e.id);
    add(
        imp,
        &what,
        "INSERT INTO sequence_enrollments(id, contact_id, deal_id, name, steps, stop_on, step,
            status, stop_reason, started_at, ended_at, updated_at, version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            e.id,
            e.contact_id,
            e.deal_id,
            e.name,
            serde_json::to_string(&e.steps)?,
            serde_json::to_string(&e.stop_on)?,
            e.step,
            e.status,
            e.stop_reason,
            utc(&what, &e.started_at)?,
            opt_utc(&what, &e.ended_at)?,
            utc(&what, &e.updated_at)?,
            e.version
        ],
    )
}
