//! Reverting the newest change: each row the change touched must still be at the version it
//! left it at (else another change came after it, and undo refuses); then the old images go
//! back, in reverse order so foreign keys hold at every step, and an import's own rows go.

use crate::storage::sql;
use crate::storage::sql::Value;
use crate::storage::sql::{Conn, OptionalExtension, params};
use serde_json::Value as Json;

use crate::error::{Error, Result};
use crate::storage::undo::{DERIVED, check_table};

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
pub fn undo_last(tx: &Conn) -> Result<Undone> {
    let entry: Option<(i64, String, String)> = tx
        .query_row(
            "SELECT id, kind, summary FROM undo_log WHERE undone = 0 AND by_user = ?1
             ORDER BY id DESC LIMIT 1",
            [tx.user()],
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
        it.collect::<sql::Result<_>>()?
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
        "sequence_enrollments",
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

fn ranges_of(tx: &Conn, undo_id: i64) -> Result<Vec<Range>> {
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
    Ok(it.collect::<sql::Result<_>>()?)
}

/// A row an older import created is back as that import left it (at version `old`) when
/// the change undone now was the first one to it since: that import's sum then counts it
/// at `new`, so undoing the import later still recognises it. (Undone changes since the
/// import had their effect taken back; they do not count.)
fn follow_in_imports(
    tx: &Conn,
    undo_id: i64,
    tbl: &str,
    row_id: i64,
    old: i64,
    new: i64,
) -> Result<()> {
    tx.execute(
        "UPDATE undo_ranges SET version_sum = version_sum + ?1
         WHERE tbl = ?2 AND above < ?3 AND upto >= ?3 AND undo_id < ?4
           AND NOT EXISTS (SELECT 1 FROM undo_rows u JOIN undo_log l ON l.id = u.undo_id
                           WHERE u.tbl = ?2 AND u.row_id = ?3 AND l.undone = 0
                             AND u.undo_id > undo_ranges.undo_id AND u.undo_id < ?4)",
        params![new - old, tbl, row_id, undo_id],
    )?;
    Ok(())
}

/// Puts the old image back; returns (the version it had then, the version it has now).
fn restore(tx: &Conn, tbl: &str, row: &UndoRow) -> Result<Option<(i64, i64)>> {
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
        .filter(|(k, _)| {
            valid.contains(*k) && *k != "version" && !DERIVED.contains(&(tbl, k.as_str()))
        })
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
        tx.execute(&sql, sql::params_from_iter(values))?;
    } else {
        let names: Vec<String> = cols.iter().map(|(k, _)| format!("\"{k}\"")).collect();
        let marks = vec!["?"; cols.len() + 1].join(", ");
        let sql = format!(
            "INSERT INTO {tbl} ({}, version) VALUES ({marks})",
            names.join(", ")
        );
        tx.execute(&sql, sql::params_from_iter(values))?;
    }
    Ok(Some((old_version, version)))
}

fn column_names(conn: &Conn, tbl: &str) -> Result<Vec<String>> {
    let stmt = conn.prepare_cached(&format!("SELECT * FROM {tbl} LIMIT 0"))?;
    Ok(stmt.column_names())
}

fn plural(tbl: &str) -> &str {
    match tbl {
        "deal_events" => "deal history entries",
        "follow_ups" => "follow-ups",
        "sequence_enrollments" => "sequence enrolments",
        other => other,
    }
}

pub(super) fn singular(tbl: &str) -> &str {
    match tbl {
        "companies" => "company",
        "contacts" => "contact",
        "deals" => "deal",
        "deal_events" => "deal history entry",
        "follow_ups" => "follow-up",
        "notes" => "note",
        "reassignments" => "reassignment",
        "sequence_enrollments" => "sequence enrolment",
        other => other,
    }
}
