//! The damage record: a small file beside the book (`<book>.damaged`, 0600) written when
//! damage is found (SQLite reporting corruption in any command, `db check`, a backup's check
//! of its copy) and removed when `db check` passes. Every command stats it, nothing more, so
//! the warning costs no check of the book (the speed budgets stand).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::paths;

/// Set when SQLite reported a corrupt page anywhere in this process: the error conversion
/// sets it, so every path that met the damage is covered without each one knowing.
static CORRUPT_SEEN: AtomicBool = AtomicBool::new(false);

pub fn note_corrupt() {
    CORRUPT_SEEN.store(true, Ordering::Relaxed);
}

/// Whether SQLite reported corruption since the process started (or the last `take`).
pub fn take_corrupt_seen() -> bool {
    CORRUPT_SEEN.swap(false, Ordering::Relaxed)
}

/// Records damage SQLite reported during a command (unless already recorded); returns the
/// warning to print once it is.
pub fn found_by_sqlite(book: &Path, err: Option<&Error>) -> Option<String> {
    if warning(book).is_some() {
        return None;
    }
    let found = err.map_or_else(
        || "SQLite reported a damaged page".to_string(),
        |e| e.to_string(),
    );
    record(book, &found).ok()?;
    warning(book)
}

pub fn record_path(book: &Path) -> PathBuf {
    let mut name = book.as_os_str().to_os_string();
    name.push(".damaged");
    PathBuf::from(name)
}

/// Records what was found (replacing an older record: the newest finding is what to read).
pub fn record(book: &Path, found: &str) -> Result<()> {
    let path = record_path(book);
    let text = format!(
        "{} {}\n",
        chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ"),
        found.trim()
    );
    let tmp = {
        let mut n = path.as_os_str().to_os_string();
        n.push(".tmp");
        PathBuf::from(n)
    };
    let _ = std::fs::remove_file(&tmp);
    paths::private_file(&tmp)?;
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, &path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            Error::env(format!(
                "cannot record the damage in {}: {e}",
                path.display()
            ))
        })
}

/// Removes the record (`db check` passed).
pub fn clear(book: &Path) -> Result<()> {
    match std::fs::remove_file(record_path(book)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::env(format!(
            "cannot remove {}: {e}",
            record_path(book).display()
        ))),
        _ => Ok(()),
    }
}

/// The warning every command prints while the record exists: one stat when there is none.
pub fn warning(book: &Path) -> Option<String> {
    let path = record_path(book);
    if !path.exists() {
        return None;
    }
    let found = std::fs::read(&path)
        .map(|b| String::from_utf8_lossy(&b[..b.len().min(400)]).into_owned())
        .unwrap_or_default();
    let first = found.lines().next().unwrap_or("").trim().to_string();
    Some(format!(
        "warning: the book {} is damaged ({first}); `salesdesk db check` says where, \
         `salesdesk restore` a backup from {} (this warning stays until `db check` passes)",
        book.display(),
        paths::backups_dir(book).display()
    ))
}

/// Runs `PRAGMA quick_check` or `integrity_check` and returns its findings (`["ok"]` when
/// none). On a damaged page SQLite reports what it found and then fails the statement: both
/// are kept. Pages that are the root of a table or index are named after it.
pub fn check(conn: &Connection, pragma: &str) -> Vec<String> {
    let mut found = Vec::new();
    let run = (|| -> rusqlite::Result<()> {
        let mut stmt = conn.prepare(&format!("PRAGMA {pragma}"))?;
        let mut rows = stmt.query([])?;
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
    let roots: Vec<(i64, String)> = conn
        .prepare("SELECT rootpage, type || ' ' || name FROM sqlite_master WHERE rootpage > 0")
        .and_then(|mut s| {
            s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()
        })
        .unwrap_or_default();
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
fn locate(conn: &Connection) -> Vec<String> {
    let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
    let Some(path) = conn.path().filter(|p| !p.is_empty()) else {
        return Vec::new();
    };
    let Ok(file) = std::fs::read(path) else {
        return Vec::new();
    };
    let roots: Vec<(i64, String)> = conn
        .prepare("SELECT rootpage, type || ' ' || name FROM sqlite_master WHERE rootpage > 0")
        .and_then(|mut s| {
            s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()
        })
        .unwrap_or_default();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recorded_warned_and_cleared() {
        let dir = tempfile::tempdir().unwrap();
        let book = dir.path().join("book.db");
        assert_eq!(warning(&book), None);
        record(&book, "Tree 5 page 5: btree page type invalid").unwrap();
        let w = warning(&book).unwrap();
        assert!(w.contains("page 5") && w.contains("db check"), "{w}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(record_path(&book)).unwrap().permissions();
            assert_eq!(mode.mode() & 0o777, 0o600);
        }
        clear(&book).unwrap();
        assert_eq!(warning(&book), None);
        clear(&book).unwrap();
    }
}
