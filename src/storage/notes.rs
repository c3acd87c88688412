//! Notes: the timeline of what happened.

use crate::storage::sql;
use crate::storage::sql::{OptionalExtension, Row, params};

use crate::error::{Error, Result};
use crate::storage::Change;
use crate::storage::Snapshot;
use crate::storage::contacts::stamp_col;

use crate::domain::note::{NewNote, Note};

const SELECT: &str =
    "SELECT id, contact_id, deal_id, kind, outcome, body, created_at, version, author, private
    FROM notes";

fn from_row(r: &Row<'_>) -> sql::Result<Note> {
    Ok(Note {
        id: r.get(0)?,
        contact_id: r.get(1)?,
        deal_id: r.get(2)?,
        kind: r.get(3)?,
        outcome: r.get(4)?,
        body: r.get(5)?,
        created_at: stamp_col(r.get(6)?).unwrap_or_default(),
        version: r.get(7)?,
        author: r.get(8)?,
        private: r.get::<_, i64>(9)? != 0,
    })
}

pub fn get(conn: &Snapshot, id: i64) -> Result<Note> {
    conn.prepare_cached(&format!("{SELECT} WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or_else(|| Error::input(format!("no note #{id}")))
}

/// A contact's notes, newest first.
pub fn for_contact(conn: &Snapshot, contact_id: i64, limit: usize) -> Result<Vec<Note>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE contact_id = ?1 ORDER BY created_at DESC, id DESC LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![contact_id, limit as i64], from_row)?;
    Ok(rows.collect::<sql::Result<_>>()?)
}

pub fn for_deal(conn: &Snapshot, deal_id: i64, limit: usize) -> Result<Vec<Note>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE deal_id = ?1 ORDER BY created_at DESC, id DESC LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![deal_id, limit as i64], from_row)?;
    Ok(rows.collect::<sql::Result<_>>()?)
}

pub fn insert(chg: &mut Change<'_>, n: &NewNote) -> Result<i64> {
    insert_at(chg, n, None)
}

/// Inserts a note that happened at `at` (a stamp as `clock::stamp` writes it), or now. The
/// contact's cadence clock follows the note's time (the `notes_ai` trigger), so a call
/// logged late counts from when it was made.
pub fn insert_at(chg: &mut Change<'_>, n: &NewNote, at: Option<String>) -> Result<i64> {
    let now = at.unwrap_or_else(|| chg.now());
    chg.insert(
        "notes",
        "INSERT INTO notes(contact_id, deal_id, kind, outcome, body, created_at, updated_at, private)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)",
        params![n.contact_id, n.deal_id, n.kind, n.outcome, n.body, now, n.private as i64],
    )
}

/// Replaces a note's text. With `expected_version`, refuses if the note moved since it was read.
pub fn update_body(
    chg: &mut Change<'_>,
    id: i64,
    body: &str,
    expected_version: Option<i64>,
) -> Result<()> {
    let cur = get(chg.read(), id)?;
    if let Some(v) = expected_version
        && v != cur.version
    {
        return Err(Error::conflict(format!(
            "note #{id} was changed elsewhere since you opened it; reload and try again"
        )));
    }
    if body.trim().is_empty() {
        return Err(Error::input("a note cannot be empty; delete it instead"));
    }
    let now = chg.now();
    chg.update(
        "notes",
        id,
        "UPDATE notes SET body = ?2, updated_at = ?3, version = version + 1 WHERE id = ?1",
        params![id, body.trim_end(), now],
    )?;
    Ok(())
}

/// Deletes a note; undo puts it back.
pub fn delete(chg: &mut Change<'_>, id: i64, expected_version: Option<i64>) -> Result<Note> {
    let cur = get(chg.read(), id)?;
    if let Some(v) = expected_version
        && v != cur.version
    {
        return Err(Error::conflict(format!(
            "note #{id} was changed elsewhere since you opened it; reload and try again"
        )));
    }
    chg.delete("notes", id)?;
    Ok(cur)
}

/// Moves a contact's notes to another contact (merging two contacts).
pub fn move_to_contact(chg: &mut Change<'_>, from: i64, into: i64) -> Result<()> {
    let ids: Vec<i64> = chg
        .read()
        .prepare("SELECT id FROM notes WHERE contact_id = ?1")?
        .query_map([from], |r| r.get(0))?
        .collect::<sql::Result<_>>()?;
    for id in ids {
        chg.update(
            "notes",
            id,
            "UPDATE notes SET contact_id = ?2, version = version + 1 WHERE id = ?1",
            params![id, into],
        )?;
    }
    Ok(())
}
