//! Checks of the book's file: SQLite's own (quick or full), the references between rows, and
//! a walk of the b-trees that names the page SQLite gave up on. Also the flag every
//! conversion of a SQLite error sets when it reports corruption.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Result};
use crate::storage::Snapshot;
use crate::storage::sql::{self, Conn};

/// Set when SQLite reported a corrupt page anywhere in this process: the error conversion
/// sets it, so every path that met the damage is covered without each one knowing.
static CORRUPT_SEEN: AtomicBool = AtomicBool::new(false);

pub(crate) fn note_corrupt() {
    CORRUPT_SEEN.store(true, Ordering::Relaxed);
}

/// Whether SQLite reported corruption since the process started (or the last `take`).
pub fn take_corrupt_seen() -> bool {
    CORRUPT_SEEN.swap(false, Ordering::Relaxed)
}

/// How thoroughly SQLite checks the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// `PRAGMA quick_check`: the b-trees, without matching indexes to their tables.
    Quick,
    /// `PRAGMA integrity_check`: everything SQLite can check.
    Full,
}

/// Runs SQLite's check of the file and returns its findings (`["ok"]` when none). On a
/// damaged page SQLite reports what it found and then fails the statement: both are kept.
/// Pages that are the root of a table or index are named after it.
pub fn pages(conn: &Snapshot, depth: Depth) -> Vec<String> {
    // A server keeps its own files: checking them is the server's (and its admin's) job.
    if conn.on_server() {
        return vec!["ok".to_string()];
    }
    let mut found = Vec::new();
    let run = (|| -> sql::Result<()> {
        let mut stmt = conn.prepare(match depth {
            Depth::Quick => "PRAGMA quick_check",
            Depth::Full => "PRAGMA integrity_check",
        })?;
        let mut rows = stmt.query(())?;
        while let Some(r) = rows.next()? {
            found.push(r.get::<_, String>(0)?);
        }
        Ok(())
    })();
    if let Err(e) = run {
        found.push(e.to_string());
    }
    if found.len() > 1 {
        found.retain(|l| !l.starts_with("*** in database"));
    }
    // SQLite sometimes gives up ("database disk image is malformed") before naming a page:
    // then the b-trees are walked here to name it.
    if found != ["ok"] && !found.iter().any(|l| l.to_lowercase().contains("page")) {
        found.extend(locate(conn));
    }
    let roots = roots(conn);
    found
        .into_iter()
        .map(|line| {
            let named: Vec<&String> = roots
                .iter()
                .filter(|(page, _)| {
                    [format!("Page {page}:"), format!("Tree {page} ")]
                        .iter()
                        .any(|p| line.starts_with(p.as_str()))
                })
                .map(|(_, name)| name)
                .collect();
            match named.first() {
                Some(n) if !line.contains("(the b-tree of") => {
                    format!("{line} (the b-tree of {n})")
                }
                _ => line,
            }
        })
        .collect()
}

/// Walks each b-tree of the book's file from its root, checking every page's header and cell
/// pointers; names the first page of each tree that does not hold together.
fn locate(conn: &Snapshot) -> Vec<String> {
    conn.checkpoint_passive();
    let Some(path) = conn.path().filter(|p| !p.is_empty()) else {
        return Vec::new();
    };
    let Ok(file) = std::fs::read(path) else {
        return Vec::new();
    };
    let roots = roots(conn);
    let mut out = Vec::new();
    for (root, name) in roots {
        if let Some((page, why)) = walk(&file, root as usize) {
            out.push(format!(
                "Tree {root} page {page}: {why} (the b-tree of {name})"
            ));
        }
    }
    out
}

/// The first bad page of the b-tree rooted at `root` in the raw file, and what is wrong.
fn walk(file: &[u8], root: usize) -> Option<(usize, String)> {
    let size = match u16::from_be_bytes([*file.get(16)?, *file.get(17)?]) {
        1 => 65536,
        n => n as usize,
    };
    let pages = file.len() / size.max(1);
    let mut todo = vec![root];
    let mut seen = HashSet::new();
    while let Some(p) = todo.pop() {
        if p == 0 || p > pages {
            return Some((
                p,
                format!("a child pointer leads outside the file ({pages} pages)"),
            ));
        }
        if !seen.insert(p) {
            return Some((p, "reached twice in one tree".into()));
        }
        let page = &file[(p - 1) * size..p * size];
        let h = if p == 1 { 100 } else { 0 };
        let kind = page[h];
        let header = match kind {
            2 | 5 => 12,
            10 | 13 => 8,
            _ => return Some((p, format!("not a b-tree page (type {kind})"))),
        };
        let cells = u16::from_be_bytes([page[h + 3], page[h + 4]]) as usize;
        let first = h + header + 2 * cells;
        if first > size {
            return Some((p, format!("{cells} cells do not fit in the page")));
        }
        for c in 0..cells {
            let at = h + header + 2 * c;
            let off = u16::from_be_bytes([page[at], page[at + 1]]) as usize;
            if off < first || off + 4 > size {
                return Some((
                    p,
                    format!("cell {c} at offset {off}, outside {first}..{size}"),
                ));
            }
            if kind == 2 || kind == 5 {
                let child =
                    u32::from_be_bytes([page[off], page[off + 1], page[off + 2], page[off + 3]]);
                todo.push(child as usize);
            }
        }
        if kind == 2 || kind == 5 {
            let right = u32::from_be_bytes([page[h + 8], page[h + 9], page[h + 10], page[h + 11]]);
            todo.push(right as usize);
        }
    }
    None
}

/// The root page of each table and index, with `table NAME` or `index NAME`; none when the
/// schema cannot be read.
fn roots(conn: &Snapshot) -> Vec<(i64, String)> {
    conn.prepare("SELECT rootpage, type || ' ' || name FROM sqlite_master WHERE rootpage > 0")
        .and_then(|mut s| {
            s.query_map((), |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<sql::Result<_>>()
        })
        .unwrap_or_default()
}

/// How many rows an import writes (contacts, their keys and notes, and the undo record of
/// them) point at a row that is not there: one scan of each of those tables.
pub fn dangling_import_references(conn: &Snapshot) -> Result<i64> {
    // A server checks every reference as it is written: there is none to find after.
    if conn.on_server() {
        return Ok(0);
    }
    Ok(conn.query_row(
        "SELECT count(*) FROM (
           SELECT 1 FROM pragma_foreign_key_check('contacts')
           UNION ALL SELECT 1 FROM pragma_foreign_key_check('contact_keys')
           UNION ALL SELECT 1 FROM pragma_foreign_key_check('notes')
           UNION ALL SELECT 1 FROM pragma_foreign_key_check('undo_rows'))",
        (),
        |r| r.get(0),
    )?)
}

/// How many rows point at a row that is not there (`PRAGMA foreign_key_check`).
pub fn dangling_references(conn: &Snapshot) -> Result<i64> {
    if conn.on_server() {
        return Ok(0);
    }
    Ok(
        conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", (), |r| {
            r.get(0)
        })?,
    )
}

/// SQLite's quick check of a backup's copy: what it reports (tree and page), or Ok.
pub fn copy(path: &Path) -> std::result::Result<(), String> {
    let conn = Conn::Lite(
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| e.to_string())?,
    );
    let lines = pages(Snapshot::of(&conn), Depth::Quick);
    if lines == ["ok"] {
        Ok(())
    } else {
        Err(lines.iter().take(5).cloned().collect::<Vec<_>>().join("; "))
    }
}

/// Checks that `path` is a whole salesdesk book this binary can open, before it replaces one.
pub fn restorable(path: &Path) -> Result<()> {
    let bad = |why: String| Error::input(format!("{} cannot be restored: {why}", path.display()));
    if !path.is_file() {
        return Err(bad("no such file".into()));
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| bad(e.to_string()))?;
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| bad(format!("it is not a readable SQLite database ({e})")))?;
    if check != "ok" {
        return Err(bad(format!("it is damaged ({check})")));
    }
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| bad(e.to_string()))?;
    if version > crate::storage::SCHEMA_VERSION {
        return Err(bad(format!(
            "it was written by a newer salesdesk (schema {version})"
        )));
    }
    let tables: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'
             AND name IN ('contacts', 'companies', 'deals', 'follow_ups', 'notes', 'undo_log')",
            [],
            |r| r.get(0),
        )
        .map_err(|e| bad(e.to_string()))?;
    if version < 1 || tables != 6 {
        return Err(bad(
            "it is an SQLite database, but not a salesdesk book".into()
        ));
    }
    Ok(())
}

/// The size of the book's pages, in bytes.
pub fn page_size(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA page_size", [], |r| r.get(0))?)
}
