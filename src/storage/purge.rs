//! Erasing a person: their rows in the book (a barrier: undo cannot bring them back), the
//! book's free pages and -wal, the purge's record in `meta`, and their rows in a backup file
//! of any schema. When and in which order is `ops::purge`'s.

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension as _, Transaction, params};

use crate::storage::sql::{self, OptionalExtension};

use crate::domain::erasure::Erasure;
use crate::error::{Error, Result};
use crate::paths;
use crate::storage::{Db, Snapshot, Unlogged};

impl Db {
    /// Records (or replaces) a `meta` entry: state kept across commands, never undone.
    pub fn meta_set(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO meta(key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    /// A `meta` entry, if the book has it.
    pub fn meta_get(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    pub fn meta_delete(&self, key: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM meta WHERE key = ?1", [key])?;
        Ok(())
    }

    /// From now on freed pages are overwritten with zeros, so deleted text is not left in
    /// the file.
    pub fn zero_freed_pages(&self) -> Result<()> {
        // A server's files are the server's: what its pages keep is its admin's to scrub.
        if self.on_server() {
            return Ok(());
        }
        self.conn
            .lite()
            .pragma_update(None, "secure_delete", "ON")?;
        Ok(())
    }

    /// Merges the full-text segments (old segments hold deleted text) and rewrites the file.
    pub fn rewrite(&self) -> Result<()> {
        if self.on_server() {
            return Ok(());
        }
        for t in [
            "notes_fts",
            "contacts_fts",
            "contacts_tri",
            "companies_fts",
            "deals_fts",
        ] {
            self.conn
                .lite()
                .execute(&format!("INSERT INTO {t}({t}) VALUES ('optimize')"), [])?;
        }
        self.conn.lite().execute_batch("VACUUM")?;
        Ok(())
    }

    /// Checkpoints the -wal into the book and truncates it, waiting up to `wait` for readers
    /// that hold older pages (`waiting` is called once, when the wait begins). False when
    /// they still do.
    pub fn checkpoint_waiting(&self, wait: Duration, waiting: &mut dyn FnMut()) -> Result<bool> {
        if self.on_server() {
            return Ok(true);
        }
        // Polled here rather than in SQLite's busy handler, so the wait can be said.
        self.conn.lite().busy_timeout(Duration::ZERO)?;
        let done = wait_for_checkpoint(self.conn.lite(), wait, waiting);
        self.conn.lite().busy_timeout(Duration::from_secs(5))?;
        done
    }
}

fn wait_for_checkpoint(
    conn: &Connection,
    wait: Duration,
    waiting: &mut dyn FnMut(),
) -> Result<bool> {
    let deadline = Instant::now() + wait;
    let mut said = false;
    loop {
        let r = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
            ))
        });
        let complete = match r {
            Ok((busy, log, done)) => busy == 0 && log == done,
            Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) => false,
            Err(e) => return Err(e.into()),
        };
        if complete {
            return Ok(true);
        }
        if Instant::now() >= deadline {
            return Ok(false);
        }
        if !said {
            waiting();
            said = true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The contact's name and emails (as stored, JSON), if the row is there.
pub fn name_and_emails(conn: &Snapshot, id: i64) -> Result<Option<(String, String)>> {
    Ok(conn
        .query_row(
            "SELECT name, emails FROM contacts WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// What erasing a contact's rows removed.
#[derive(Debug, Clone, Copy, Default)]
pub struct Erased {
    pub deals: usize,
    pub notes: usize,
    pub follow_ups: usize,
}

/// Deletes the contact and every row of theirs; rows of other contacts that pointed at their
/// deals keep themselves, not the link. A company left with nobody in it goes too: it was
/// known through this person alone.
pub fn erase_contact(w: &mut Unlogged<'_>, id: i64) -> Result<Erased> {
    let company: Option<i64> =
        w.read()
            .query_row("SELECT company_id FROM contacts WHERE id = ?1", [id], |r| {
                r.get(0)
            })?;
    let deal_ids: Vec<i64> = {
        let mut s = w
            .read()
            .prepare("SELECT id FROM deals WHERE contact_id = ?1")?;
        s.query_map([id], |r| r.get(0))?
            .collect::<sql::Result<_>>()?
    };
    // Who had their rows: gone with the rows.
    w.exec(
        "DELETE FROM reassignments WHERE (tbl = 'contacts' AND row_id = ?1)
            OR (tbl = 'deals' AND row_id IN (SELECT id FROM deals WHERE contact_id = ?1))
            OR (tbl = 'follow_ups' AND row_id IN (SELECT id FROM follow_ups WHERE contact_id = ?1))",
        [id],
    )?;
    let notes = w.exec("DELETE FROM notes WHERE contact_id = ?1", [id])?;
    // Their sequences go with them (a purge is the last stop).
    w.exec(
        "DELETE FROM sequence_enrollments WHERE contact_id = ?1",
        [id],
    )?;
    let follow_ups = w.exec("DELETE FROM follow_ups WHERE contact_id = ?1", [id])?;
    for d in &deal_ids {
        w.exec(
            "UPDATE notes SET deal_id = NULL WHERE deal_id = ?1",
            params![d],
        )?;
        w.exec(
            "UPDATE follow_ups SET deal_id = NULL WHERE deal_id = ?1",
            params![d],
        )?;
        w.exec("DELETE FROM deal_events WHERE deal_id = ?1", params![d])?;
        w.exec("DELETE FROM deals WHERE id = ?1", params![d])?;
    }
    // The contacts they referred stay, no longer pointing at them.
    w.exec(
        "UPDATE contacts SET referred_by = NULL WHERE referred_by = ?1",
        [id],
    )?;
    w.exec("DELETE FROM contacts WHERE id = ?1", [id])?;
    if let Some(co) = company {
        w.exec(
            "DELETE FROM companies WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM contacts WHERE company_id = ?1)",
            [co],
        )?;
    }
    // The barrier drops the user's own undo log; on a server the colleagues' logs may hold
    // the person too (a note's image), and go as well.
    if w.read().on_server() {
        w.exec("SELECT salesdesk_forget_undo()", ())?;
    }
    Ok(Erased {
        deals: deal_ids.len(),
        notes,
        follow_ups,
    })
}

/// A backup the person could not be taken out of.
#[derive(Debug)]
pub struct ScrubFailed {
    /// SQLite cannot read the copy whole (corrupt, not a database): it cannot be cleaned.
    pub unreadable: bool,
    pub error: Error,
}

/// Takes the person out of one backup file; false when it does not hold them.
pub fn scrub_backup(path: &Path, who: &Erasure) -> std::result::Result<bool, ScrubFailed> {
    scrub(path, who).map_err(|e| ScrubFailed {
        unreadable: unreadable(&e),
        error: Error::from(e),
    })
}

fn unreadable(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase)
    )
}

/// Takes the person out of one backup; false when it does not hold them (its rows are left
/// as they are). Every backup is rewritten all the same: rows deleted before it was taken
/// (a `demo --force`, a wipe) leave their bytes in free pages that no id can be matched to.
/// The work is done on a copy that replaces the backup in one rename, so a kill at any
/// moment leaves either the backup as it was (found again by the next run) or the clean
/// one; the half-cleaned copy is a `.partial` file, which `erase` removes.
fn scrub(path: &Path, who: &Erasure) -> rusqlite::Result<bool> {
    let (person, record) = {
        // Read-only: a backup the user made read-only is still cleaned (on the copy).
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(Duration::from_secs(5))?;
        holds(&conn, &Shape::read(&conn)?, who)?
    };
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return Ok(false);
    };
    let copy = path.with_file_name(format!("{}.partial-scrub", name.trim_end_matches(".db")));
    let io = |e: std::io::Error| {
        rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_IOERR),
            Some(format!("{}: {e}", copy.display())),
        )
    };
    // A copy left by a killed run goes with its side files: its hot journal, rolled back
    // onto the fresh copy below, would write the old copy's pages into it.
    paths::remove_with_sides(&copy);
    std::fs::copy(path, &copy).map_err(io)?;
    // The copy carries the backup's mode; it is written, then renamed into place 0600.
    paths::set_mode(&copy, 0o600).map_err(|e| io(std::io::Error::other(e.to_string())))?;
    let cleaned = (|| {
        let mut conn = Connection::open_with_flags(
            &copy,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let shape = Shape::read(&conn)?;
        let (person, _) = holds(&conn, &shape, who)?;
        clean(&mut conn, &shape, who, person)
    })();
    let renamed = cleaned.and_then(|()| std::fs::rename(&copy, path).map_err(io));
    if renamed.is_err() {
        let _ = std::fs::remove_file(&copy);
    }
    renamed.map(|()| person || record)
}

/// Whether the backup holds the person (by id and a key), and this purge's record.
fn holds(conn: &Connection, shape: &Shape, who: &Erasure) -> rusqlite::Result<(bool, bool)> {
    let person = shape.has("contacts", "name")
        && conn
            .query_row(
                &format!(
                    "SELECT name, {} FROM contacts WHERE id = ?1",
                    if shape.has("contacts", "emails") {
                        "emails"
                    } else {
                        "NULL"
                    }
                ),
                [who.id],
                |r| {
                    Ok(who.matches(
                        &r.get::<_, String>(0)?,
                        r.get::<_, Option<String>>(1)?.as_deref(),
                    ))
                },
            )
            .optional()?
            .unwrap_or(false);
    // A copy taken while this purge was pending holds its record (the name and emails).
    let record = shape.has("meta", "key")
        && conn
            .query_row(
                "SELECT value FROM meta WHERE key = ?1",
                [who.meta_key()],
                |r| r.get::<_, String>(0),
            )
            .optional()?
            .and_then(|v| serde_json::from_str::<Erasure>(&v).ok())
            .is_some_and(|e| e.id == who.id && e.matches(&who.name, Some(&emails_json(who))));
    Ok((person, record))
}

fn clean(
    conn: &mut Connection,
    shape: &Shape,
    who: &Erasure,
    person: bool,
) -> rusqlite::Result<()> {
    conn.pragma_update(None, "secure_delete", "ON")?;
    // The person's rows go in an order that keeps references whole; an old backup's own
    // dangling references (from before foreign keys were checked) must not stop it.
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    if !person && !holds(conn, shape, who)?.1 {
        return conn.execute_batch("VACUUM");
    }
    let tx = conn.transaction()?;
    if person {
        delete_person(&tx, shape, who.id)?;
        // A backup's undo log is unreachable (restore puts a barrier before anything), and
        // its entries hold images of the person's rows: it goes whole.
        for t in ["undo_rows", "undo_log"] {
            if shape.tables.contains(t) {
                tx.execute(&format!("DELETE FROM {t}"), [])?;
            }
        }
    }
    if shape.tables.contains("meta") {
        tx.execute("DELETE FROM meta WHERE key = ?1", [who.meta_key()])?;
    }
    tx.commit()?;
    for t in &shape.fts {
        conn.execute(
            &format!("INSERT INTO {0}({0}) VALUES ('optimize')", quote(t)),
            [],
        )?;
    }
    conn.execute_batch("VACUUM")
}

fn emails_json(who: &Erasure) -> String {
    serde_json::to_string(&who.emails).unwrap_or_else(|_| "[]".into())
}

/// The tables and columns a backup has: each schema version its own.
struct Shape {
    tables: HashSet<String>,
    columns: HashSet<(String, String)>,
    fts: Vec<String>,
}

impl Shape {
    fn read(conn: &Connection) -> rusqlite::Result<Self> {
        let mut tables = HashSet::new();
        let mut fts = Vec::new();
        let mut stmt =
            conn.prepare("SELECT name, coalesce(sql, '') FROM sqlite_master WHERE type = 'table'")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (name, sql) = row?;
            let upper = sql.to_uppercase();
            if upper.starts_with("CREATE VIRTUAL TABLE") && upper.contains("FTS5") {
                fts.push(name.clone());
            }
            tables.insert(name);
        }
        let mut columns = HashSet::new();
        let mut cols = conn.prepare("SELECT name FROM pragma_table_info(?1)")?;
        for t in &tables {
            for c in cols.query_map([t], |r| r.get::<_, String>(0))? {
                columns.insert((t.clone(), c?));
            }
        }
        drop(cols);
        drop(stmt);
        Ok(Shape {
            tables,
            columns,
            fts,
        })
    }

    fn has(&self, table: &str, column: &str) -> bool {
        self.columns
            .contains(&(table.to_string(), column.to_string()))
    }
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The person's rows, in an order that keeps every reference whole. Rows of other people
/// that pointed at the person's deals keep themselves, not the link.
fn delete_person(tx: &Transaction<'_>, shape: &Shape, id: i64) -> rusqlite::Result<()> {
    let deals: Vec<i64> = if shape.has("deals", "contact_id") {
        let mut s = tx.prepare("SELECT id FROM deals WHERE contact_id = ?1")?;
        s.query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    } else {
        Vec::new()
    };
    for t in ["notes", "follow_ups"] {
        if shape.has(t, "contact_id") {
            tx.execute(&format!("DELETE FROM {t} WHERE contact_id = ?1"), [id])?;
        }
    }
    for d in &deals {
        for t in ["notes", "follow_ups"] {
            if shape.has(t, "deal_id") {
                tx.execute(
                    &format!("UPDATE {t} SET deal_id = NULL WHERE deal_id = ?1"),
                    [d],
                )?;
            }
        }
        if shape.has("deal_events", "deal_id") {
            tx.execute("DELETE FROM deal_events WHERE deal_id = ?1", [d])?;
        }
        tx.execute("DELETE FROM deals WHERE id = ?1", [d])?;
    }
    let company: Option<i64> = if shape.has("contacts", "company_id") {
        tx.query_row("SELECT company_id FROM contacts WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?
        .flatten()
    } else {
        None
    };
    // Any other table tied to a contact (contact_keys, and whatever a later schema adds).
    let mut tied: Vec<&String> = shape
        .tables
        .iter()
        .filter(|t| {
            !["notes", "follow_ups", "deals", "contacts"].contains(&t.as_str())
                && shape.has(t, "contact_id")
        })
        .collect();
    tied.sort();
    for t in tied {
        tx.execute(
            &format!("DELETE FROM {} WHERE contact_id = ?1", quote(t)),
            [id],
        )?;
    }
    tx.execute("DELETE FROM contacts WHERE id = ?1", [id])?;
    // A company left with nobody in it was known through this person alone.
    if let Some(co) = company
        && shape.tables.contains("companies")
    {
        tx.execute(
            "DELETE FROM companies WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM contacts WHERE company_id = ?1)",
            params![co],
        )?;
    }
    Ok(())
}
