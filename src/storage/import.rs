//! Writing an import of contacts: new contacts many rows a statement (with their keys and
//! notes; on a server copied in, `COPY … FROM STDIN`), their companies, and the notes a merge
//! adds (the duplicate lookups are `duplicates`'s). New rows need no
//! undo record of their own (the import's id ranges undo them); what a merge changes in a
//! contact goes through `contacts::update`, which keeps the row's image.
//!
//! Run an import with [`import`]: the connection tuned for it, the full-text indexes filled
//! once at the end (see `bulk`), and every reference checked before the import is kept.

use crate::storage::sql;
use crate::storage::sql::Value;
use crate::storage::sql::{OptionalExtension, params};
use std::collections::HashMap;

use crate::clock::Clock;
use crate::domain::contact::{Status, Temperature};
use crate::error::{Error, Result};
use crate::storage::bulk::BulkLoad;
use crate::storage::pg::copy::CopyRows;
use crate::storage::{Db, Importing, Snapshot, contacts};

/// The page cache during an import, in KiB as `PRAGMA cache_size` takes it (negative).
const IMPORT_CACHE_KIB: i64 = -16_384;

/// Runs `f` as an import of many rows (`summary` is what `undo` says it undid). When `f`
/// succeeds, the rows are indexed for search and their references checked, then kept.
pub fn import<T>(
    db: &mut Db,
    clock: &Clock,
    summary: impl Into<String>,
    f: impl FnOnce(&mut Importing<'_>) -> Result<T>,
) -> Result<T> {
    if db.on_server() {
        return db.import(clock, summary, |imp| {
            // References are checked at commit: a file may name a contact before the row
            // that it refers to (a referrer further down).
            imp.tx().execute_batch("SET CONSTRAINTS ALL DEFERRED")?;
            // As on SQLite, the search and keys triggers step aside and the rows are indexed
            // once, at the end (see `bulk`); the writer adds each new contact's keys itself.
            let bulk = BulkLoad::begin_import(imp)?;
            let out = f(imp)?;
            bulk.finish_import(imp)?;
            Ok(out)
        });
    }
    // One transaction for the whole file: with SQLite's default 2 MiB page cache, the pages
    // it dirties spill to the WAL and are read back again and again. A bigger (but fixed)
    // cache for the import keeps memory flat in the file's size and the import fast.
    let conn = db.conn.lite();
    let cache: i64 = conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
    conn.pragma_update(None, "cache_size", IMPORT_CACHE_KIB)?;
    // The writer makes every reference it writes (a new contact's company, its keys and
    // notes) from ids it has just read or written, so checking each one is pure cost: with
    // foreign keys on, every multi-row insert also needs a statement journal to undo itself,
    // though any failure undoes the whole import anyway. (It cannot change in a transaction.)
    let foreign_keys: bool = conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
    conn.pragma_update(None, "foreign_keys", false)?;
    // The duplicate lookups run once a row with new values bound. Without the query planner
    // stability guarantee SQLite re-plans such a statement on every new binding (it checks
    // whether the values would make a partial index usable), which cost a re-prepare per row.
    use rusqlite::config::DbConfig;
    let qpsg = conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    let res = db.import(clock, summary, |imp| {
        // The rows are indexed for search once, at the end, and only if they are kept: per
        // batch, the full-text triggers flushed and merged hundreds of small segments, and
        // their `contact_keys` trigger unpacked the JSON the writer had just packed. (A
        // failed import's rollback puts the suspended triggers back with everything else.)
        let bulk = BulkLoad::begin_import(imp)?;
        let out = f(imp)?;
        bulk.finish_import(imp)?;
        check_references(imp)?;
        Ok(out)
    });
    let conn = db.conn.lite();
    conn.pragma_update(None, "cache_size", cache)?;
    conn.pragma_update(None, "foreign_keys", foreign_keys)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, qpsg)?;
    res
}

/// What the import wrote with foreign keys off, checked before it is kept: a reference to a
/// missing row fails the import rather than reaching the book. A scan of each table the
/// import writes, a small part of the import's time.
fn check_references(imp: &Importing<'_>) -> Result<()> {
    let dangling = crate::storage::check::dangling_import_references(imp.read())?;
    if dangling > 0 {
        return Err(Error::env(format!(
            "the import would leave {} pointing at missing rows; nothing was imported",
            crate::text::plural(dangling, "row")
        )));
    }
    Ok(())
}

/// Whether the contact has a note with exactly this body.
pub fn has_note(conn: &Snapshot, contact_id: i64, body: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM notes WHERE contact_id = ?1 AND body = ?2 LIMIT 1")?
        .exists(params![contact_id, body])?)
}

/// Adds a note (kind `note`, dated now) to a contact.
pub fn add_note(imp: &Importing<'_>, contact_id: i64, body: &str) -> Result<()> {
    let now = imp.now();
    imp.add(
        "INSERT INTO notes(contact_id, kind, body, created_at, updated_at)
         VALUES (?1, 'note', ?2, ?3, ?3)",
        params![contact_id, body, now],
    )?;
    Ok(())
}

/// The companies of these names (`(name, key)`, `key` folded: any case or accents, each
/// key once), each added if new, in this order; their ids in the same order.
pub fn companies(imp: &Importing<'_>, wanted: &[(&str, &str)], now: &str) -> Result<Vec<i64>> {
    if imp.read().on_server() {
        return companies_on_server(imp, wanted, now);
    }
    wanted
        .iter()
        .map(|(name, key)| company(imp, name, key, now))
        .collect()
}

/// The company of that name, added if new.
fn company(imp: &Importing<'_>, name: &str, key: &str, now: &str) -> Result<i64> {
    let found: Option<i64> = imp
        .read()
        .prepare_cached("SELECT id FROM companies WHERE name_key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?;
    if let Some(id) = found {
        return Ok(id);
    }
    imp.add(
        "INSERT INTO companies(name, name_key, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
        params![name, key, now],
    )?;
    imp.last_id("companies")
}

/// On a server, a batch's companies in two statements (each is a round trip there, and a
/// list of leads names a new company on most rows): those found, then the rest copied in,
/// which take consecutive ids in their order (the import holds the writer lock).
fn companies_on_server(
    imp: &Importing<'_>,
    wanted: &[(&str, &str)],
    now: &str,
) -> Result<Vec<i64>> {
    let keys: Vec<&str> = wanted.iter().map(|(_, k)| *k).collect();
    let mut found: HashMap<String, i64> = HashMap::new();
    let mut stmt = imp.read().prepare_cached(
        "SELECT name_key, id FROM companies
         WHERE name_key IN (SELECT json_array_elements_text(CAST(CAST(?1 AS TEXT) AS json)))",
    )?;
    for row in stmt.query_map([serde_json::to_string(&keys)?], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
    })? {
        let (key, id) = row?;
        found.insert(key, id);
    }
    let new: Vec<&(&str, &str)> = wanted
        .iter()
        .filter(|(_, k)| !found.contains_key(*k))
        .collect();
    if !new.is_empty() {
        let mut rows = CopyRows::new();
        for (name, key) in &new {
            rows.text(name).text(key).text(now).text(now).end_row();
        }
        imp.copy("companies(name, name_key, created_at, updated_at)", &rows)?;
        let first = imp.last_id("companies")? - new.len() as i64 + 1;
        for (i, (_, key)) in new.iter().enumerate() {
            found.insert(key.to_string(), first + i as i64);
        }
    }
    keys.iter()
        .map(|k| {
            found
                .get(*k)
                .copied()
                .ok_or_else(|| Error::env(format!("the company {k:?} was neither found nor added")))
        })
        .collect()
}

/// A contact as an import adds it: the values cleaned, the company found.
#[derive(Debug, Clone)]
pub struct NewContact<'a> {
    pub name: &'a str,
    pub name_key: String,
    pub company_id: Option<i64>,
    pub title: Option<&'a str>,
    pub emails: &'a [String],
    pub phones: &'a [String],
    pub tags: Vec<String>,
    pub source: Option<&'a str>,
    pub status: Status,
    pub temperature: Option<Temperature>,
    pub cadence_days: Option<i64>,
    pub linkedin_url: Option<&'a str>,
    pub connected_on: Option<&'a str>,
    /// Each becomes a note (kind `note`, dated now).
    pub notes: &'a [String],
    pub referred_by: Option<i64>,
}

const COLUMNS: &str = "name, name_key, company_id, title, emails, phones, tags, source, status,
    temperature, cadence_days, linkedin_url, connected_on, created_at, updated_at, referred_by";
const NCOLS: usize = 16;

/// Adds the contacts, one multi-row INSERT (a statement's fixed cost paid once for hundreds
/// of rows), then their keys and notes likewise.
pub fn add_contacts(imp: &Importing<'_>, batch: &[NewContact<'_>]) -> Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    let now = imp.now();
    let text = |s: Option<&str>| s.map_or(Value::Null, |s| Value::Text(s.into()));
    let mut values: Vec<Value> = Vec::with_capacity(batch.len() * NCOLS);
    for c in batch {
        values.extend([
            Value::Text(c.name.into()),
            Value::Text(c.name_key.clone()),
            c.company_id.map_or(Value::Null, Value::Integer),
            text(c.title),
            Value::Text(serde_json::to_string(c.emails)?),
            Value::Text(serde_json::to_string(c.phones)?),
            Value::Text(serde_json::to_string(&c.tags)?),
            text(c.source),
            Value::Text(c.status.as_str().into()),
            c.temperature
                .map_or(Value::Null, |t| Value::Text(t.as_str().into())),
            c.cadence_days.map_or(Value::Null, Value::Integer),
            text(c.linkedin_url),
            text(c.connected_on),
            Value::Text(now.clone()),
            Value::Text(now.clone()),
            c.referred_by.map_or(Value::Null, Value::Integer),
        ]);
    }
    let n = batch.len();
    if imp.read().on_server() {
        copy_rows(imp, &format!("contacts({COLUMNS})"), NCOLS, &values)?;
    } else {
        let row = format!("({})", vec!["?"; NCOLS].join(", "));
        // OR FAIL: a failed batch fails the whole import, so SQLite need not keep a statement
        // journal to undo the batch alone (which it does for ABORT, the default).
        let sql = format!(
            "INSERT OR FAIL INTO contacts({COLUMNS}) VALUES {}",
            vec![row.as_str(); n].join(", ")
        );
        imp.add(&sql, sql::params_from_iter(values))?;
    }
    // One statement under the write lock: the rows got consecutive ids, the last one last.
    let first = imp.last_id("contacts")? - n as i64 + 1;
    let mut keys: Vec<Value> = Vec::new();
    for (i, c) in batch.iter().enumerate() {
        for (kind, key) in contacts::keys(c.emails, c.phones, &c.tags) {
            keys.extend([
                Value::Integer(first + i as i64),
                Value::Text(kind.into()),
                Value::Text(key),
            ]);
        }
    }
    add_keys(imp, keys)?;
    let mut notes: Vec<Value> = Vec::new();
    for (i, c) in batch.iter().enumerate() {
        for body in c.notes {
            notes.extend([
                Value::Integer(first + i as i64),
                Value::Text("note".into()),
                Value::Text(body.clone()),
                Value::Text(now.clone()),
                Value::Text(now.clone()),
            ]);
        }
    }
    if notes.is_empty() {
        return Ok(());
    }
    if imp.read().on_server() {
        let into = "notes(contact_id, kind, body, created_at, updated_at)";
        return copy_rows(imp, into, 5, &notes);
    }
    let sql = format!(
        "INSERT INTO notes(contact_id, kind, body, created_at, updated_at) VALUES {}",
        vec!["(?, ?, ?, ?, ?)"; notes.len() / 5].join(", ")
    );
    imp.add_once(&sql, sql::params_from_iter(notes))?;
    Ok(())
}

/// Adds rows of `ncols` values each (`values` flat, row after row) on a server: copied into
/// `into` (a table and its columns) in one stream.
fn copy_rows(imp: &Importing<'_>, into: &str, ncols: usize, values: &[Value]) -> Result<()> {
    let mut rows = CopyRows::new();
    for row in values.chunks(ncols) {
        for v in row {
            rows.value(v).map_err(Error::env)?;
        }
        rows.end_row();
    }
    imp.copy(into, &rows)?;
    Ok(())
}

/// `contact_keys` rows a statement: a batch's keys in few statements, and well under SQLite's
/// limit of 32,766 bound values however many emails a row has.
const KEYS_A_STATEMENT: usize = 1000;

/// Writes (contact_id, kind, key) triples, flat, for the contacts of a batch: the import
/// suspends the trigger that would derive them (see `bulk`).
fn add_keys(imp: &Importing<'_>, keys: Vec<Value>) -> Result<()> {
    if imp.read().on_server() {
        return copy_rows(imp, "contact_keys(contact_id, kind, key)", 3, &keys);
    }
    let sql = |rows: usize| {
        format!(
            "INSERT OR FAIL INTO contact_keys(contact_id, kind, key) VALUES {}",
            vec!["(?, ?, ?)"; rows].join(", ")
        )
    };
    let mut chunks = keys.chunks(KEYS_A_STATEMENT * 3);
    let full = sql(KEYS_A_STATEMENT);
    for chunk in &mut chunks {
        let params = sql::params_from_iter(chunk.iter());
        if chunk.len() == KEYS_A_STATEMENT * 3 {
            imp.add(&full, params)?;
        } else {
            // The last, shorter one has a length of its own: not worth a cache slot.
            imp.add_once(&sql(chunk.len() / 3), params)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_to_a_missing_row_is_refused() {
        let mut db = Db::open_in_memory().unwrap();
        let clock = Clock::parse("2026-11-23T09:00:00+00:00").unwrap();
        let e = import(&mut db, &clock, "an import", |imp| {
            imp.add(
                "INSERT INTO contact_keys(contact_id, kind, key) VALUES (42, 'tag', 'x')",
                (),
            )?;
            Ok(())
        })
        .unwrap_err();
        assert!(e.to_string().contains("1 row pointing"), "{e}");
        assert_eq!(e.exit_code(), 1);
    }
}
