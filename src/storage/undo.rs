//! Recording what a command changed, and reverting it.
//!
//! A command touches rows through a `Change`: before it modifies a row it calls `touch`, which
//! keeps the row as it was; after inserting one it calls `inserted`. On commit each touched
//! row is written to `undo_rows` with the version it ended at. `undo` later checks each row
//! still has that version (else another change came after it, and undo refuses) and puts the
//! old images back, in reverse order so foreign keys hold at every step.

use std::collections::HashSet;

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde_json::{Map, Value as Json};

use crate::clock::Clock;
use crate::error::{Error, Result};

/// Tables whose rows undo may restore. Anything else is refused: the names come from the
/// undo log, and are checked before they reach SQL text.
const UNDOABLE: &[&str] = &[
    "companies",
    "contacts",
    "deals",
    "deal_events",
    "follow_ups",
    "notes",
];

/// Columns that triggers derive from other rows: undo leaves them to the triggers, which
/// recompute them as the rows they count are put back.
const DERIVED: &[&str] = &[
    "last_contacted_at",
    "open_follow_ups",
    "ended_at",
    "contact_name",
    "company_name",
    "deal_title",
    "deal_value_cents",
    "deal_currency",
];

/// The undo log keeps this many entries; older ones are dropped.
const KEEP_ENTRIES: i64 = 1000;

/// An import under way: the highest id of each table before it began. Rows above it are
/// the import's own, undone by deleting their range, so none of them is logged one by one.
struct Import {
    above: Vec<(&'static str, i64)>,
}

impl Import {
    fn created(&self, tbl: &str, id: i64) -> bool {
        self.above.iter().any(|(t, a)| *t == tbl && id > *a)
    }
}

struct Touched {
    tbl: &'static str,
    id: i64,
    before: Option<Json>,
}

pub struct Change<'c> {
    pub tx: Transaction<'c>,
    pub clock: Clock,
    touched: Vec<Touched>,
    seen: HashSet<(&'static str, i64)>,
    summary: Option<String>,
    barrier: Option<String>,
    import: Option<Import>,
}

impl<'c> std::ops::Deref for Change<'c> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.tx
    }
}

impl<'c> Change<'c> {
    pub(crate) fn new(tx: Transaction<'c>, clock: Clock) -> Self {
        Self {
            tx,
            clock,
            touched: Vec::new(),
            seen: HashSet::new(),
            summary: None,
            barrier: None,
            import: None,
        }
    }

    pub fn now(&self) -> String {
        self.clock.stamp()
    }

    /// Runs a write through the statement cache: a statement with triggers is compiled once,
    /// not once per row (bulk loads write hundreds of thousands).
    pub fn exec(&self, sql: &str, params: impl rusqlite::Params) -> Result<usize> {
        Ok(self.tx.prepare_cached(sql)?.execute(params)?)
    }

    /// What `undo` will say it undid ("note on Ana Pereira").
    pub fn describe(&mut self, summary: impl Into<String>) {
        if self.summary.is_none() {
            self.summary = Some(summary.into());
        }
    }

    /// Marks this command as one undo cannot cross (import, restore, demo, purge). Older
    /// entries become unreachable, so they are dropped: for purge that is also the law.
    pub fn barrier(&mut self, summary: impl Into<String>) {
        self.barrier = Some(summary.into());
    }

    /// Marks this command as an import, undone whole: the rows it creates are recorded as
    /// one id range a table (not row by row: an import writes 100k of them), the rows it
    /// changes with their images as any command's. Call it before the first write.
    pub fn import(&mut self, summary: impl Into<String>) -> Result<()> {
        let mut above = Vec::with_capacity(UNDOABLE.len());
        for tbl in UNDOABLE {
            above.push((*tbl, max_id(&self.tx, tbl)?));
        }
        self.import = Some(Import { above });
        self.summary = Some(summary.into());
        Ok(())
    }

    fn logs(&self, tbl: &str, id: i64) -> bool {
        self.barrier.is_none() && !self.import.as_ref().is_some_and(|i| i.created(tbl, id))
    }

    /// Keeps the row as it is now, before the command changes or deletes it.
    pub fn touch(&mut self, tbl: &'static str, id: i64) -> Result<()> {
        if !self.logs(tbl, id) || !self.seen.insert((tbl, id)) {
            return Ok(());
        }
        let before = row_json(&self.tx, tbl, id)?;
        self.touched.push(Touched { tbl, id, before });
        Ok(())
    }

    /// Notes a row the command created: undo deletes it.
    pub fn inserted(&mut self, tbl: &'static str, id: i64) {
        if self.logs(tbl, id) && self.seen.insert((tbl, id)) {
            self.touched.push(Touched {
                tbl,
                id,
                before: None,
            });
        }
    }

    pub(crate) fn commit(self) -> Result<()> {
        let Change {
            tx,
            clock,
            touched,
            summary,
            barrier,
            import,
            ..
        } = self;
        let at = clock.stamp();
        if let Some(summary) = barrier {
            // Not left to the cascade: an import writes with foreign keys off.
            tx.execute("DELETE FROM undo_rows", [])?;
            tx.execute("DELETE FROM undo_ranges", [])?;
            tx.execute("DELETE FROM undo_log", [])?;
            tx.execute(
                "INSERT INTO undo_log(at, kind, summary) VALUES (?1, 'barrier', ?2)",
                params![at, summary],
            )?;
        } else if !touched.is_empty() || import.is_some() {
            let summary = summary.unwrap_or_else(|| "a change".into());
            tx.execute(
                "INSERT INTO undo_log(at, kind, summary) VALUES (?1, 'change', ?2)",
                params![at, summary],
            )?;
            let undo_id = tx.last_insert_rowid();
            if let Some(import) = &import {
                record_ranges(&tx, undo_id, import)?;
            }
            for (seq, t) in touched.iter().enumerate() {
                let after: Option<i64> = tx
                    .query_row(
                        &format!("SELECT version FROM {} WHERE id = ?1", t.tbl),
                        [t.id],
                        |r| r.get(0),
                    )
                    .optional()?;
                let before = t.before.as_ref().map(|b| b.to_string());
                tx.execute(
                    "INSERT INTO undo_rows(undo_id, seq, tbl, row_id, before, after_version) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![undo_id, seq as i64, t.tbl, t.id, before, after],
                )?;
            }
            // Explicit, not left to the cascade: an import commits with foreign keys off.
            for tbl in ["undo_rows", "undo_ranges"] {
                tx.execute(
                    &format!("DELETE FROM {tbl} WHERE undo_id <= ?1"),
                    [undo_id - KEEP_ENTRIES],
                )?;
            }
            tx.execute(
                "DELETE FROM undo_log WHERE id <= ?1",
                [undo_id - KEEP_ENTRIES],
            )?;
        }
        tx.commit()?;
        Ok(())
    }
}

fn max_id(conn: &Connection, tbl: &str) -> Result<i64> {
    let tbl = check_table(tbl)?;
    Ok(conn.query_row(
        &format!("SELECT coalesce(max(id), 0) FROM {tbl}"),
        [],
        |r| r.get(0),
    )?)
}

/// Each table's rows the import created: their id range, count and version sum. A range
/// scan of the primary key, a few milliseconds for 100k rows.
fn record_ranges(tx: &Connection, undo_id: i64, import: &Import) -> Result<()> {
    for (tbl, above) in &import.above {
        let (rows, sum, upto): (i64, i64, i64) = tx.query_row(
            &format!(
                "SELECT count(*), coalesce(sum(version), 0), coalesce(max(id), 0)
                 FROM {tbl} WHERE id > ?1"
            ),
            [above],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        if rows > 0 {
            tx.execute(
                "INSERT INTO undo_ranges(undo_id, tbl, above, upto, rows, version_sum)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![undo_id, tbl, above, upto, rows, sum],
            )?;
        }
    }
    Ok(())
}

/// A row as a JSON object of its columns, or None if it does not exist.
fn row_json(conn: &Connection, tbl: &str, id: i64) -> Result<Option<Json>> {
    check_table(tbl)?;
    let mut stmt = conn.prepare_cached(&format!("SELECT * FROM {tbl} WHERE id = ?1"))?;
    let names: Vec<String> = stmt.column_names().map(|s| s.to_string()).collect();
    let row = stmt
        .query_row([id], |r| {
            let mut m = Map::new();
            for (i, n) in names.iter().enumerate() {
                let v: Value = r.get(i)?;
                let j = match v {
                    Value::Null => Json::Null,
                    Value::Integer(n) => Json::from(n),
                    Value::Real(f) => Json::from(f),
                    Value::Text(s) => Json::from(s),
                    Value::Blob(_) => Json::Null,
                };
                m.insert(n.clone(), j);
            }
            Ok(Json::Object(m))
        })
        .optional()?;
    Ok(row)
}

fn check_table(tbl: &str) -> Result<&'static str> {
    UNDOABLE
        .iter()
        .find(|t| **t == tbl)
        .copied()
        .ok_or_else(|| Error::env(format!("the undo log names an unknown table {tbl:?}")))
}

fn json_to_sql(v: &Json) -> Value {
    match v {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Integer(*b as i64),
        Json::Number(n) => n
            .as_i64()
            .map_or_else(|| Value::Real(n.as_f64().unwrap_or(0.0)), Value::Integer),
        Json::String(s) => Value::Text(s.clone()),
        other => Value::Text(other.to_string()),
    }
}

/// What `undo` did, for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undone {
    Nothing,
    Reverted(String),
}

struct UndoRow {
    tbl: String,
    row_id: i64,
    before: Option<String>,
    after_version: Option<i64>,
}

/// Reverts the newest change not yet undone. Runs inside the caller's transaction.
pub fn undo_last(tx: &Transaction<'_>) -> Result<Undone> {
    let entry: Option<(i64, String, String)> = tx
        .query_row(
            "SELECT id, kind, summary FROM undo_log WHERE undone = 0 ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((id, kind, summary)) = entry else {
        return Ok(Undone::Nothing);
    };
    if kind == "barrier" {
        return Err(Error::input(format!(
            "the last change was {summary}, which cannot be undone (nor anything before it)"
        )));
    }
    let rows: Vec<UndoRow> = {
        let mut stmt = tx.prepare(
            "SELECT tbl, row_id, before, after_version FROM undo_rows WHERE undo_id = ?1 ORDER BY seq DESC",
        )?;
        let it = stmt.query_map([id], |r| {
            Ok(UndoRow {
                tbl: r.get(0)?,
                row_id: r.get(1)?,
                before: r.get(2)?,
                after_version: r.get(3)?,
            })
        })?;
        it.collect::<rusqlite::Result<_>>()?
    };
    // First check every row, so a refusal changes nothing.
    for row in &rows {
        let tbl = check_table(&row.tbl)?;
        let now: Option<i64> = tx
            .query_row(
                &format!("SELECT version FROM {tbl} WHERE id = ?1"),
                [row.row_id],
                |r| r.get(0),
            )
            .optional()?;
        if now != row.after_version {
            return Err(Error::conflict(format!(
                "cannot undo {summary}: {} #{} has changed since",
                singular(tbl),
                row.row_id
            )));
        }
    }
    let ranges = ranges_of(tx, id)?;
    for r in &ranges {
        let tbl = check_table(&r.tbl)?;
        let (rows, sum): (i64, i64) = tx.query_row(
            &format!(
                "SELECT count(*), coalesce(sum(version), 0) FROM {tbl} WHERE id > ?1 AND id <= ?2"
            ),
            [r.above, r.upto],
            |x| Ok((x.get(0)?, x.get(1)?)),
        )?;
        if (rows, sum) != (r.rows, r.version_sum) {
            return Err(Error::conflict(format!(
                "cannot undo {summary}: {} it created {} changed since (#{}–#{})",
                plural(tbl),
                if rows == r.rows {
                    "have"
                } else {
                    "were added or removed, or have"
                },
                r.above + 1,
                r.upto
            )));
        }
    }
    for row in &rows {
        let tbl = check_table(&row.tbl)?;
        if let Some((old, new)) = restore(tx, tbl, row)? {
            // The row is again as it was at version `old`, now numbered `new`: older entries
            // that left it at `old` must recognise it, or undoing twice in a row would refuse.
            tx.execute(
                "UPDATE undo_rows SET after_version = ?1
                 WHERE tbl = ?2 AND row_id = ?3 AND after_version = ?4 AND undo_id < ?5",
                params![new, tbl, row.row_id, old, id],
            )?;
            follow_in_imports(tx, id, tbl, row.row_id, old, new)?;
        }
    }
    // The import's own rows, children first.
    for tbl in [
        "notes",
        "follow_ups",
        "deal_events",
        "deals",
        "contacts",
        "companies",
    ] {
        if let Some(r) = ranges.iter().find(|r| r.tbl == tbl) {
            tx.execute(
                &format!("DELETE FROM {tbl} WHERE id > ?1 AND id <= ?2"),
                [r.above, r.upto],
            )?;
        }
    }
    tx.execute("UPDATE undo_log SET undone = 1 WHERE id = ?1", [id])?;
    Ok(Undone::Reverted(summary))
}

struct Range {
    tbl: String,
    above: i64,
    upto: i64,
    rows: i64,
    version_sum: i64,
}

fn ranges_of(tx: &Transaction<'_>, undo_id: i64) -> Result<Vec<Range>> {
    let mut stmt = tx.prepare(
        "SELECT tbl, above, upto, rows, version_sum FROM undo_ranges WHERE undo_id = ?1",
    )?;
    let it = stmt.query_map([undo_id], |r| {
        Ok(Range {
            tbl: r.get(0)?,
            above: r.get(1)?,
            upto: r.get(2)?,
            rows: r.get(3)?,
            version_sum: r.get(4)?,
        })
    })?;
    Ok(it.collect::<rusqlite::Result<_>>()?)
}

/// A row an older import created is back as that import left it (at version `old`) when
/// the change undone now was the first one to it since: that import's sum then counts it
/// at `new`, so undoing the import later still recognises it. (Undone changes since the
/// import had their effect taken back; they do not count.)
fn follow_in_imports(
    tx: &Transaction<'_>,
    undo_id: i64,
    tbl: &str,
    row_id: i64,
    old: i64,
    new: i64,
) -> Result<()> {
    tx.execute(
        "UPDATE undo_ranges SET version_sum = version_sum + (?1 - ?2)
         WHERE tbl = ?3 AND above < ?4 AND upto >= ?4 AND undo_id < ?5
           AND NOT EXISTS (SELECT 1 FROM undo_rows u JOIN undo_log l ON l.id = u.undo_id
                           WHERE u.tbl = ?3 AND u.row_id = ?4 AND l.undone = 0
                             AND u.undo_id > undo_ranges.undo_id AND u.undo_id < ?5)",
        params![new, old, tbl, row_id, undo_id],
    )?;
    Ok(())
}

/// Puts the old image back; returns (the version it had then, the version it has now).
fn restore(tx: &Transaction<'_>, tbl: &str, row: &UndoRow) -> Result<Option<(i64, i64)>> {
    let Some(before) = &row.before else {
        tx.execute(&format!("DELETE FROM {tbl} WHERE id = ?1"), [row.row_id])?;
        return Ok(None);
    };
    let Json::Object(map) = serde_json::from_str::<Json>(before)? else {
        return Err(Error::env("the undo log holds a damaged row"));
    };
    let valid = column_names(tx, tbl)?;
    let cols: Vec<(&String, &Json)> = map
        .iter()
        .filter(|(k, _)| valid.contains(*k) && *k != "version" && !DERIVED.contains(&k.as_str()))
        .collect();
    // The restored row gets a version higher than any it had, so a window holding the
    // undone state sees it moved.
    let old_version = map.get("version").and_then(Json::as_i64).unwrap_or(1);
    let version = old_version.max(row.after_version.unwrap_or(0)) + 1;
    let mut values: Vec<Value> = cols.iter().map(|(_, v)| json_to_sql(v)).collect();
    values.push(Value::Integer(version));
    if row.after_version.is_some() {
        let sets: Vec<String> = cols.iter().map(|(k, _)| format!("\"{k}\" = ?")).collect();
        values.push(Value::Integer(row.row_id));
        let sql = format!(
            "UPDATE {tbl} SET {}, version = ? WHERE id = ?",
            sets.join(", ")
        );
        tx.execute(&sql, rusqlite::params_from_iter(values))?;
    } else {
        let names: Vec<String> = cols.iter().map(|(k, _)| format!("\"{k}\"")).collect();
        let marks = vec!["?"; cols.len() + 1].join(", ");
        let sql = format!(
            "INSERT INTO {tbl} ({}, version) VALUES ({marks})",
            names.join(", ")
        );
        tx.execute(&sql, rusqlite::params_from_iter(values))?;
    }
    Ok(Some((old_version, version)))
}

fn column_names(conn: &Connection, tbl: &str) -> Result<Vec<String>> {
    let stmt = conn.prepare_cached(&format!("SELECT * FROM {tbl} LIMIT 0"))?;
    Ok(stmt.column_names().map(|s| s.to_string()).collect())
}

fn plural(tbl: &str) -> &str {
    match tbl {
        "deal_events" => "deal history entries",
        "follow_ups" => "follow-ups",
        other => other,
    }
}

fn singular(tbl: &str) -> &str {
    match tbl {
        "companies" => "company",
        "contacts" => "contact",
        "deals" => "deal",
        "deal_events" => "deal history entry",
        "follow_ups" => "follow-up",
        "notes" => "note",
        other => other,
    }
}
