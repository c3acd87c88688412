//! Taking one person out of each automatic backup and keeping everything else in it.
//!
//! A backup is a whole book of whatever schema was current when it was taken, and the ids in
//! it may belong to someone else (a `before-restore` copy of another book), so each one is
//! opened as it is, its tables and columns looked up, and the person matched by id together
//! with name or email. Its own triggers keep its full-text indexes in step with the rows
//! deleted; `secure_delete` zeroes the freed cells and VACUUM rewrites the file without them.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::ops::backup;
use crate::paths;

/// Who is being erased: the id and the keys that must match with it. Kept in the book's
/// `meta` (under `purge_pending:<id>`) until every step is done, so a purge cut short is
/// finished by the next command; erased with the rest once it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Erasure {
    pub id: i64,
    pub name: String,
    pub emails: Vec<String>,
}

pub const PENDING_PREFIX: &str = "purge_pending:";

impl Erasure {
    pub fn meta_key(&self) -> String {
        format!("{PENDING_PREFIX}{}", self.id)
    }

    /// Whether a row with this id is this person: the same name (folded) or a shared email.
    /// An id alone never matches: in a backup from before a restore it may be someone else.
    pub fn matches(&self, name: &str, emails_json: Option<&str>) -> bool {
        let key = |s: &str| s.trim().to_lowercase();
        if !self.name.trim().is_empty() && crate::text::fold(name) == crate::text::fold(&self.name)
        {
            return true;
        }
        let theirs: Vec<String> = emails_json
            .and_then(|j| serde_json::from_str::<Vec<String>>(j).ok())
            .unwrap_or_default();
        let ours: HashSet<String> = self
            .emails
            .iter()
            .map(|e| key(e))
            .filter(|e| !e.is_empty())
            .collect();
        theirs.iter().any(|e| ours.contains(&key(e)))
    }
}

/// What erasing from the backups did.
#[derive(Debug, Clone, Default)]
pub struct FromBackups {
    /// Backups the person was taken out of.
    pub cleaned: usize,
    /// Files removed: half-written copies, and copies too damaged to be cleaned.
    pub removed: Vec<PathBuf>,
}

/// Takes the person out of every automatic backup beside `book`.
pub fn erase(book: &Path, who: &Erasure) -> Result<FromBackups> {
    let dir = paths::backups_dir(book);
    let mut done = FromBackups::default();
    let set_aside = backup::damaged(&dir)?;
    for path in backup::list(&dir)?.into_iter().chain(set_aside.clone()) {
        match scrub(&path, who) {
            Ok(true) => done.cleaned += 1,
            Ok(false) => {}
            // A copy SQLite cannot read whole cannot be cleaned, and restore refuses it.
            Err(e) if unreadable(&e) || set_aside.contains(&path) => {
                remove(&path)?;
                let mut journal = path.as_os_str().to_os_string();
                journal.push("-journal");
                remove(Path::new(&journal))?;
                done.removed.push(path);
            }
            Err(e) => {
                return Err(Error::env(format!(
                    "cannot take the person out of the backup {}: {}",
                    path.display(),
                    Error::from(e)
                )));
            }
        }
    }
    // Half copies (a kill, the TUI quitting mid-backup) are no backup: restore takes none.
    for path in backup::interrupted(&dir)? {
        remove(&path)?;
        done.removed.push(path);
    }
    Ok(done)
}

fn remove(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        // Another window's backup finished (renamed) or gave up meanwhile.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        r => r.map_err(|e| Error::env(format!("cannot remove {}: {e}", path.display()))),
    }
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
pub fn scrub(path: &Path, who: &Erasure) -> rusqlite::Result<bool> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn who() -> Erasure {
        Erasure {
            id: 2,
            name: "Ana Souza".into(),
            emails: vec!["Ana@Example.com".into()],
        }
    }

    #[test]
    fn an_id_alone_never_matches() {
        let w = who();
        for (name, emails, want) in [
            ("Ana Souza", None, true),
            ("  ana   SOUZA ", Some("[]"), true),
            ("Ána Souza", None, true),
            ("Someone Else", Some(r#"["ana@example.com "]"#), true),
            ("Someone Else", Some(r#"["other@example.com"]"#), false),
            ("Someone Else", None, false),
            ("Someone Else", Some("not json"), false),
            ("", Some("[]"), false),
        ] {
            assert_eq!(w.matches(name, emails), want, "{name:?} {emails:?}");
        }
        let nameless = Erasure {
            id: 2,
            name: String::new(),
            emails: vec![String::new()],
        };
        assert!(!nameless.matches("", Some(r#"[""]"#)));
    }
}
