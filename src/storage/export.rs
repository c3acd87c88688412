//! Reading the book out for the export formats: every row of a kind in id order, handed to a
//! callback one at a time, so an export of 200,000 contacts holds one row, not the book.
//! Times come out as the JSON and CSV show them (RFC 3339 with the local offset).

use crate::storage::sql;
use std::collections::BTreeMap;

use crate::storage::sql::Row;
use chrono::NaiveDate;

use crate::clock::to_local_rfc3339;
use crate::domain::book::{
    CalendarEntry, Company, Contact, Deal, FollowUp, HistoryEntry, Note, SequenceEnrollment, StepOf,
};
use crate::domain::follow_up::{FollowUpStatus, due_state};
use crate::error::Result;
use crate::storage::Snapshot;
use crate::storage::contacts::{due_text, json_list};

fn local(s: String) -> String {
    to_local_rfc3339(&s)
}

fn opt_local(s: Option<String>) -> Option<String> {
    s.map(local)
}

/// Runs `sql` (no parameters) and hands each row, mapped by `map`, to `f`.
fn for_each<T>(
    conn: &Snapshot,
    sql: &str,
    map: impl Fn(&Row<'_>) -> sql::Result<T>,
    mut f: impl FnMut(T) -> Result<()>,
) -> Result<()> {
    // The callback's own error (a row that could not be written) comes back as it was.
    Ok(conn.for_each_row(sql, |r| {
        f(map(r)?).map_err(|e| sql::Error::Other(Box::new(e)))
    })?)
}

/// The highest id each table ever gave (`sqlite_sequence`), by table name.
pub fn sequences(conn: &Snapshot) -> Result<BTreeMap<String, i64>> {
    let mut stmt = conn.prepare(conn.pick(
        "SELECT name, seq FROM sqlite_sequence ORDER BY name",
        "SELECT name, seq FROM id_sequences ORDER BY name",
    ))?;
    let seqs = stmt
        .query_map((), |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
        .collect::<sql::Result<_>>()?;
    Ok(seqs)
}

pub fn companies(conn: &Snapshot) -> Result<Vec<Company>> {
    let mut stmt = conn
        .prepare("SELECT id, name, created_at, updated_at, version FROM companies ORDER BY id")?;
    let rows = stmt
        .query_map((), |r| {
            Ok(Company {
                id: r.get(0)?,
                name: r.get(1)?,
                created_at: local(r.get(2)?),
                updated_at: local(r.get(3)?),
                version: r.get(4)?,
            })
        })?
        .collect::<sql::Result<_>>()?;
    Ok(rows)
}

/// Whether each contact's next open follow-up is read too (a subquery a contact: the JSON
/// shows it, the CSV does not and does not pay for it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextDue {
    Read,
    Skip,
}

/// Every contact with its company's name, in id order.
pub fn for_each_contact(
    conn: &Snapshot,
    next_due: NextDue,
    f: impl FnMut(Contact) -> Result<()>,
) -> Result<()> {
    let next = match next_due {
        NextDue::Read => {
            "(SELECT coalesce(f.due_at, f.due_date) FROM follow_ups f WHERE f.contact_id = c.id AND f.status = 'open'
               ORDER BY f.due_date, f.due_at IS NOT NULL, f.due_at LIMIT 1)"
        }
        NextDue::Skip => "NULL",
    };
    let sql = format!(
        "SELECT c.id, c.name, co.name, c.company_id, c.title, c.emails, c.phones, c.tags, c.source,
            c.status, c.temperature, c.cadence_days, c.archived, c.linkedin_url, c.connected_on,
            c.last_contacted_at, {next}, c.created_at, c.updated_at, c.version,
            c.referred_by, (SELECT r.name FROM contacts r WHERE r.id = c.referred_by), c.owner
         FROM contacts c LEFT JOIN companies co ON co.id = c.company_id ORDER BY c.id"
    );
    let map = |r: &Row<'_>| {
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
            next_follow_up_at: r.get::<_, Option<String>>(16)?.map(due_text),
            created_at: local(r.get(17)?),
            updated_at: local(r.get(18)?),
            version: r.get(19)?,
            referred_by: r.get::<_, Option<i64>>(20)?.map(|id| {
                let name = r.get::<_, Option<String>>(21).ok().flatten();
                crate::domain::contact::ContactRef {
                    id,
                    name: name.unwrap_or_default(),
                }
            }),
            owner: r.get(22)?,
        })
    };
    for_each(conn, &sql, map, f)
}

/// Every contact as the contact pages show one (`storage::contacts::from_row`), in id order.
pub fn for_each_contact_page(
    conn: &Snapshot,
    f: impl FnMut(crate::domain::contact::Contact) -> Result<()>,
) -> Result<()> {
    let sql = format!("{} ORDER BY c.id", crate::storage::contacts::SELECT);
    for_each(conn, &sql, crate::storage::contacts::from_row, f)
}

/// Whether each deal's history is read too (one query a deal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum History {
    Read,
    Skip,
}

/// Every deal with its contact's and company's names, in id order.
pub fn for_each_deal(
    conn: &Snapshot,
    history: History,
    mut f: impl FnMut(Deal) -> Result<()>,
) -> Result<()> {
    let mut events = conn.prepare(
        "SELECT id, event, stage, at, version, by_user FROM deal_events WHERE deal_id = ?1
         ORDER BY at, id",
    )?;
    let map = |r: &Row<'_>| {
        Ok(Deal {
            id: r.get(0)?,
            title: r.get(1)?,
            contact_id: r.get(2)?,
            contact_name: r.get(3)?,
            company: r.get(4)?,
            value_cents: r.get(5)?,
            currency: r.get(6)?,
            pipeline: Some(r.get(16)?),
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
            owner: r.get(17)?,
        })
    };
    let sql = "SELECT d.id, d.title, d.contact_id, c.name, co.name, d.value_cents, d.currency, d.stage,
            d.status, d.lost_reason, d.expected_close, d.created_at, d.closed_at, d.stage_entered_at,
            d.updated_at, d.version, d.pipeline, d.owner
         FROM deals d JOIN contacts c ON c.id = d.contact_id
         LEFT JOIN companies co ON co.id = c.company_id ORDER BY d.id";
    for_each(conn, sql, map, |mut d| {
        if history == History::Read {
            d.history = events
                .query_map([d.id], |r| {
                    Ok(HistoryEntry {
                        id: Some(r.get(0)?),
                        event: r.get(1)?,
                        stage: r.get(2)?,
                        at: local(r.get(3)?),
                        version: r.get(4)?,
                        by: r.get(5)?,
                    })
                })?
                .collect::<sql::Result<_>>()?;
        }
        f(d)
    })
}

/// Every follow-up with its contact's and company's names, in id order; an open one's status
/// is how it stands on `today` (overdue, today, upcoming).
pub fn for_each_follow_up(
    conn: &Snapshot,
    today: NaiveDate,
    f: impl FnMut(FollowUp) -> Result<()>,
) -> Result<()> {
    let map = |r: &Row<'_>| {
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
            sequence: match (r.get(15)?, r.get(16)?, r.get(17)?, r.get(18)?) {
                (Some(enrollment_id), Some(name), Some(step), Some(steps)) => Some(StepOf {
                    enrollment_id,
                    name,
                    step,
                    steps,
                }),
                _ => None,
            },
            created_at: local(r.get(12)?),
            updated_at: local(r.get(13)?),
            version: r.get(14)?,
            owner: r.get(19)?,
        })
    };
    let sql = "SELECT f.id, f.contact_id, c.name, co.name, f.deal_id, f.kind, f.text, f.due_date, f.due_at,
            f.every, f.done_at, f.status, f.created_at, f.updated_at, f.version,
            f.seq_id, f.seq_name, f.seq_step, f.seq_steps, f.owner
         FROM follow_ups f JOIN contacts c ON c.id = f.contact_id
         LEFT JOIN companies co ON co.id = c.company_id ORDER BY f.id";
    for_each(conn, sql, map, f)
}

fn note(r: &Row<'_>) -> sql::Result<Note> {
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
        author: r.get(9)?,
        private: r.get::<_, i64>(10)? != 0,
    })
}

/// Every note, in id order.
pub fn for_each_note(conn: &Snapshot, f: impl FnMut(Note) -> Result<()>) -> Result<()> {
    let sql =
        "SELECT id, contact_id, deal_id, kind, outcome, body, created_at, updated_at, version,
            author, private
         FROM notes ORDER BY id";
    for_each(conn, sql, note, f)
}

/// Every note with its contact's name, in id order.
pub fn for_each_note_with_contact(
    conn: &Snapshot,
    f: impl FnMut((Note, String)) -> Result<()>,
) -> Result<()> {
    let sql = "SELECT n.id, n.contact_id, n.deal_id, n.kind, n.outcome, n.body, n.created_at,
            n.updated_at, n.version, n.author, n.private, c.name
         FROM notes n JOIN contacts c ON c.id = n.contact_id ORDER BY n.id";
    for_each(conn, sql, |r| Ok((note(r)?, r.get(11)?)), f)
}

/// Every open follow-up as a calendar shows it, soonest first (all-day before timed on a day).
pub fn for_each_open_follow_up(
    conn: &Snapshot,
    f: impl FnMut(CalendarEntry) -> Result<()>,
) -> Result<()> {
    let sql =
        "SELECT f.id, f.kind, f.text, f.due_date, f.due_at, f.version, f.created_at, f.updated_at,
            c.name, co.name, d.title, f.every
         FROM follow_ups f JOIN contacts c ON c.id = f.contact_id
         LEFT JOIN companies co ON co.id = c.company_id LEFT JOIN deals d ON d.id = f.deal_id
         WHERE f.status = 'open' ORDER BY f.due_date, f.due_at IS NOT NULL, f.due_at, f.id";
    let map = |r: &Row<'_>| {
        Ok(CalendarEntry {
            id: r.get(0)?,
            kind: r.get(1)?,
            text: r.get(2)?,
            due_date: r.get(3)?,
            due_at: r.get(4)?,
            version: r.get(5)?,
            created_at: r.get(6)?,
            updated_at: r.get(7)?,
            contact: r.get(8)?,
            company: r.get(9)?,
            deal: r.get(10)?,
            every: r.get(11)?,
        })
    };
    for_each(conn, sql, map, f)
}

/// Whether the book holds no row a restore could collide with.
pub fn holds_no_rows(conn: &Snapshot) -> Result<bool> {
    let n: i64 = conn.query_row(
        "SELECT (SELECT count(*) FROM contacts) + (SELECT count(*) FROM companies)
              + (SELECT count(*) FROM deals) + (SELECT count(*) FROM notes)
              + (SELECT count(*) FROM follow_ups)",
        (),
        |r| r.get(0),
    )?;
    Ok(n == 0)
}

/// Every sequence enrolment, in id order.
pub fn sequence_enrollments(conn: &Snapshot) -> Result<Vec<SequenceEnrollment>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, contact_id, deal_id, name, steps, stop_on, step, status, stop_reason,
            started_at, ended_at, updated_at, version
         FROM sequence_enrollments ORDER BY id",
    )?;
    let rows = stmt.query_map((), |r| {
        let steps: String = r.get(4)?;
        let stop_on: String = r.get(5)?;
        Ok(SequenceEnrollment {
            id: r.get(0)?,
            contact_id: r.get(1)?,
            deal_id: r.get(2)?,
            name: r.get(3)?,
            steps: serde_json::from_str(&steps).unwrap_or_default(),
            stop_on: serde_json::from_str(&stop_on).unwrap_or_default(),
            step: r.get(6)?,
            status: r.get(7)?,
            stop_reason: r.get(8)?,
            started_at: local(r.get(9)?),
            ended_at: opt_local(r.get(10)?),
            updated_at: local(r.get(11)?),
            version: r.get(12)?,
        })
    })?;
    Ok(rows.collect::<sql::Result<_>>()?)
}
