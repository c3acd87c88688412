//! Sequence enrolments, and the follow-ups that are their steps.

use crate::storage::sql;
use crate::storage::sql::{OptionalExtension, Row, params};

use crate::domain::follow_up::NewFollowUp;
use crate::domain::sequence::{
    Enrollment, EnrollmentStatus, SeqLabel, SequenceFigures, Step, StopOn,
};
use crate::error::{Error, Result};
use crate::storage::follow_ups::due_columns;
use crate::storage::{Change, Importing, Snapshot};

/// The label a follow-up row carries, from its three columns.
pub fn label(name: Option<String>, step: Option<i64>, steps: Option<i64>) -> Option<SeqLabel> {
    Some(SeqLabel {
        name: name?,
        step: step?,
        steps: steps?,
    })
}

const SELECT: &str = "SELECT e.id, e.contact_id, c.name, e.deal_id, e.name, e.step, e.steps,
    e.stop_on, e.status, e.stop_reason, e.started_at, e.ended_at, e.version,
    (SELECT coalesce(f.due_at, f.due_date) FROM follow_ups f
      WHERE f.seq_id = e.id AND f.status = 'open' ORDER BY f.id DESC LIMIT 1)
  FROM sequence_enrollments e JOIN contacts c ON c.id = e.contact_id";

fn from_row(r: &Row<'_>) -> sql::Result<Enrollment> {
    let steps: String = r.get(6)?;
    let stop_on: String = r.get(7)?;
    let next: Option<String> = r.get(13)?;
    Ok(Enrollment {
        id: r.get(0)?,
        contact_id: r.get(1)?,
        contact_name: r.get(2)?,
        deal_id: r.get(3)?,
        sequence: r.get(4)?,
        step: r.get(5)?,
        steps: serde_json::from_str::<Vec<Step>>(&steps).unwrap_or_default(),
        stop_on: serde_json::from_str::<Vec<StopOn>>(&stop_on).unwrap_or_default(),
        status: r.get(8)?,
        stop_reason: r.get(9)?,
        started_at: crate::clock::to_local_rfc3339(&r.get::<_, String>(10)?),
        ended_at: r
            .get::<_, Option<String>>(11)?
            .map(|s| crate::clock::to_local_rfc3339(&s)),
        version: r.get(12)?,
        next_due: next.map(|n| {
            if n.len() == 10 {
                n
            } else {
                crate::clock::to_local_rfc3339(&n)
            }
        }),
        retired: false,
    })
}

fn query(conn: &Snapshot, tail: &str, p: impl sql::Args) -> Result<Vec<Enrollment>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} {tail}"))?;
    let rows = stmt.query_map(p, from_row)?;
    Ok(rows.collect::<sql::Result<_>>()?)
}

pub fn get(conn: &Snapshot, id: i64) -> Result<Enrollment> {
    query(conn, "WHERE e.id = ?1", [id])?
        .pop()
        .ok_or_else(|| Error::input(format!("no sequence enrolment #{id}")))
}

/// The enrolment `id`, if the book has it.
pub fn find(conn: &Snapshot, id: i64) -> Result<Option<Enrollment>> {
    Ok(query(conn, "WHERE e.id = ?1", [id])?.pop())
}

/// The sequence a contact is in now, if any.
pub fn active_of(conn: &Snapshot, contact_id: i64) -> Result<Option<Enrollment>> {
    Ok(query(
        conn,
        "WHERE e.contact_id = ?1 AND e.status = 'active'",
        [contact_id],
    )?
    .pop())
}

/// The contacts in a sequence now, by sequence then start.
pub fn active(conn: &Snapshot) -> Result<Vec<Enrollment>> {
    query(
        conn,
        "WHERE e.status = 'active' ORDER BY e.name, e.started_at, e.id",
        (),
    )
}

/// The active enrolments of contacts with a deal: the sequences `deal won|lost` may stop.
pub fn active_of_deal(
    conn: &Snapshot,
    deal_id: i64,
    contact_id: i64,
) -> Result<Option<Enrollment>> {
    Ok(query(
        conn,
        "WHERE e.contact_id = ?2 AND e.status = 'active' AND (e.deal_id IS NULL OR e.deal_id = ?1)",
        params![deal_id, contact_id],
    )?
    .pop())
}

/// The newest enrolment in a sequence (a retired one keeps its steps there).
pub fn latest_of_name(conn: &Snapshot, name: &str) -> Result<Option<Enrollment>> {
    Ok(query(conn, "WHERE e.name = ?1 ORDER BY e.id DESC LIMIT 1", [name])?.pop())
}

/// The open follow-up of an enrolment (its step under way), if any.
pub fn open_step(conn: &Snapshot, enrollment_id: i64) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT id FROM follow_ups WHERE seq_id = ?1 AND status = 'open' ORDER BY id DESC LIMIT 1",
        )?
        .query_row([enrollment_id], |r| r.get(0))
        .optional()?)
}

/// What a new enrolment holds.
pub struct NewEnrollment<'a> {
    pub contact_id: i64,
    pub deal_id: Option<i64>,
    pub name: &'a str,
    pub steps: &'a [Step],
    pub stop_on: &'a [StopOn],
}

fn json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::env(format!("writing a sequence: {e}")))
}

pub fn insert(chg: &mut Change<'_>, e: &NewEnrollment<'_>) -> Result<i64> {
    let now = chg.now();
    chg.insert(
        "sequence_enrollments",
        "INSERT INTO sequence_enrollments(contact_id, deal_id, name, steps, stop_on, step, status,
            started_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 1, 'active', ?6, ?6)",
        params![
            e.contact_id,
            e.deal_id,
            e.name,
            json(&e.steps)?,
            json(&e.stop_on)?,
            now
        ],
    )
}

/// Moves an enrolment on to `step`.
pub fn set_step(chg: &mut Change<'_>, id: i64, step: i64) -> Result<()> {
    let now = chg.now();
    chg.update(
        "sequence_enrollments",
        id,
        "UPDATE sequence_enrollments SET step = ?2, updated_at = ?3, version = version + 1 WHERE id = ?1",
        params![id, step, now],
    )?;
    Ok(())
}

/// Ends an enrolment: finished, or stopped for `reason`.
pub fn end(
    chg: &mut Change<'_>,
    id: i64,
    status: EnrollmentStatus,
    reason: Option<&str>,
) -> Result<()> {
    let now = chg.now();
    chg.update(
        "sequence_enrollments",
        id,
        "UPDATE sequence_enrollments SET status = ?2, stop_reason = ?3, ended_at = ?4,
            updated_at = ?4, version = version + 1 WHERE id = ?1",
        params![id, status, reason, now],
    )?;
    Ok(())
}

/// Schedules step `step` of an enrolment as an ordinary follow-up marked with it.
pub fn insert_step(
    chg: &mut Change<'_>,
    e: &Enrollment,
    step: i64,
    f: &NewFollowUp,
) -> Result<i64> {
    let (date, at) = due_columns(f.due);
    let now = chg.now();
    chg.insert(
        "follow_ups",
        "INSERT INTO follow_ups(contact_id, deal_id, kind, text, due_date, due_at, every, created_at,
            updated_at, seq_id, seq_name, seq_step, seq_steps)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, ?7, ?7, ?8, ?9, ?10, ?11)",
        params![
            f.contact_id,
            f.deal_id,
            f.kind,
            f.text.trim(),
            date,
            at,
            now,
            e.id,
            e.sequence,
            step,
            e.steps.len() as i64
        ],
    )
}

/// Moves a contact's enrolments to another contact (merging two contacts).
pub fn move_to_contact(chg: &mut Change<'_>, from: i64, into: i64) -> Result<()> {
    let ids: Vec<i64> = chg
        .read()
        .prepare("SELECT id FROM sequence_enrollments WHERE contact_id = ?1")?
        .query_map([from], |r| r.get(0))?
        .collect::<sql::Result<_>>()?;
    for id in ids {
        chg.update(
            "sequence_enrollments",
            id,
            "UPDATE sequence_enrollments SET contact_id = ?2, version = version + 1 WHERE id = ?1",
            params![id, into],
        )?;
    }
    Ok(())
}

/// Reports: per sequence, every enrolment of the book, or of `owner`'s contacts.
pub fn figures(
    conn: &Snapshot,
    owner: crate::storage::report::Owner,
) -> Result<Vec<SequenceFigures>> {
    let sql = crate::storage::report::cut(
        conn,
        "SELECT e.name, count(*),
            count(CASE WHEN e.status = 'active' THEN 1 END),
            count(CASE WHEN e.status = 'finished' THEN 1 END),
            count(CASE WHEN e.status = 'stopped' AND e.stop_reason IN ('replied', 'connected') THEN 1 END),
            count(CASE WHEN e.status = 'stopped' AND e.stop_reason = 'won' THEN 1 END),
            count(CASE WHEN e.status = 'stopped' AND e.stop_reason = 'lost' THEN 1 END)
         FROM sequence_enrollments e/*owner*/ GROUP BY e.name ORDER BY e.name",
        " JOIN contacts c ON c.id = e.contact_id WHERE c.owner = ?1",
        owner,
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let args = crate::storage::report::with_owner(vec![], owner);
    let rows = stmt.query_map(sql::params_from_iter(args), |r| {
        Ok(SequenceFigures {
            name: r.get(0)?,
            enrolled: r.get(1)?,
            active: r.get(2)?,
            finished: r.get(3)?,
            replied: r.get(4)?,
            won: r.get(5)?,
            lost: r.get(6)?,
            reply_rate: None,
        }
        .with_rate())
    })?;
    Ok(rows.collect::<sql::Result<_>>()?)
}

/// A sequence an import starts for every contact it creates.
#[derive(Debug, Clone)]
pub struct Enrolling {
    pub name: String,
    pub steps: Vec<Step>,
    pub stop_on: Vec<StopOn>,
    /// The day step 1 is due.
    pub first_day: chrono::NaiveDate,
}

/// The highest contact id now: the contacts an import creates come after it.
pub fn last_contact_id(conn: &Snapshot) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT coalesce(max(id), 0) FROM contacts")?
        .query_row((), |r| r.get(0))?)
}

/// Contacts an import enrols a statement: a statement that writes many rows with triggers
/// keeps a journal of its own in memory; a few thousand at a time keep that small and the
/// import's memory flat.
const ENROL_BATCH: i64 = 2_000;

/// Starts `seq` for every contact above `above` (the ones the import created), a couple of
/// statements per few thousand contacts: the enrolments, then each one's first step. The
/// import's id ranges undo them with the rest. Returns how many started.
pub fn enrol_imported(imp: &Importing<'_>, above: i64, seq: &Enrolling) -> Result<u64> {
    let Some(first) = seq.steps.first() else {
        return Ok(0);
    };
    let now = imp.now();
    let (steps, stop_on) = (json(&seq.steps)?, json(&seq.stop_on)?);
    let last = last_contact_id(imp.read())?;
    let mut started = 0u64;
    let mut lo = above;
    while lo < last {
        let hi = lo.saturating_add(ENROL_BATCH).min(last);
        let enrolled_before: i64 = imp
            .read()
            .prepare_cached("SELECT coalesce(max(id), 0) FROM sequence_enrollments")?
            .query_row((), |r| r.get(0))?;
        started += imp.add(
            "INSERT INTO sequence_enrollments(contact_id, name, steps, stop_on, step, status,
                started_at, updated_at)
             SELECT id, ?3, ?4, ?5, 1, 'active', ?6, ?6 FROM contacts
             WHERE id > ?1 AND id <= ?2 ORDER BY id",
            params![lo, hi, seq.name, steps, stop_on, now],
        )? as u64;
        imp.add(
            "INSERT INTO follow_ups(contact_id, kind, text, due_date, created_at, updated_at,
                seq_id, seq_name, seq_step, seq_steps)
             SELECT e.contact_id, ?2, ?3, ?4, ?5, ?5, e.id, e.name, 1, ?6
             FROM sequence_enrollments e WHERE e.id > ?1 ORDER BY e.id",
            params![
                enrolled_before,
                first.kind,
                first.text,
                seq.first_day.to_string(),
                now,
                seq.steps.len() as i64
            ],
        )?;
        lo = hi;
    }
    Ok(started)
}
