//! Waiting for another process's write, and saying why when it is an import.
//!
//! An import is one transaction (all or nothing), so it holds the book's write lock for as
//! long as it runs: seconds for a big file. While it does, a marker file beside the book
//! (`<book>.importing`, holding the importer's process id) says so. A writer that finds the
//! book busy waits 5 s as always, or up to 30 s while the marker names a live process, tells
//! the user once on stderr (CLI only: the TUI's screen is not to be written over), and if the
//! import still holds the book then, fails saying so. The marker lives outside the database,
//! so nothing about it can be half-written by a killed import: a stale one names a dead
//! process and is ignored (and replaced by the next import).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rusqlite::Connection;

use crate::error::{Error, Result};

/// How long a write waits for another one.
const WAIT: Duration = Duration::from_secs(5);
/// How long it waits while an import holds the book (docs/MANUAL.md, Import).
const IMPORT_WAIT: Duration = Duration::from_secs(30);

/// Whether a wait behind an import is said on stderr: the CLI turns it on.
static SAY_WAITING: AtomicBool = AtomicBool::new(false);

pub fn say_waiting(on: bool) {
    SAY_WAITING.store(on, Ordering::Relaxed);
}

fn marker_path(book: &Path) -> PathBuf {
    let mut s = book.as_os_str().to_owned();
    s.push(".importing");
    PathBuf::from(s)
}

/// The process id of the import holding `book`, if one is running.
pub fn importer(book: &Path) -> Option<u32> {
    let text = std::fs::read_to_string(marker_path(book)).ok()?;
    let pid: u32 = text.trim().parse().ok()?;
    alive(pid).then_some(pid)
}

fn alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new(&format!("/proc/{pid}")).exists()
    } else {
        true
    }
}

/// Installs the busy handler on a connection to `book` (none for an in-memory book).
pub fn install(conn: &mut Connection, book: Option<&Path>) -> Result<()> {
    let Some(book) = book.map(Path::to_path_buf) else {
        conn.busy_timeout(WAIT)?;
        return Ok(());
    };
    let mut started: Option<Instant> = None;
    let mut said = false;
    conn.busy_handler(Some(move |count: i32| {
        let start = match (count, started) {
            (0, _) | (_, None) => *started.insert(Instant::now()),
            (_, Some(s)) => s,
        };
        let waited = start.elapsed();
        let limit = match importer(&book) {
            Some(pid) => {
                if !said && SAY_WAITING.load(Ordering::Relaxed) {
                    said = true;
                    crate::inert::say(
                        "note",
                        &format!(
                            "an import (process {pid}) holds the book; waiting for it (up to {} s)",
                            IMPORT_WAIT.as_secs()
                        ),
                    );
                }
                IMPORT_WAIT
            }
            None => WAIT,
        };
        if waited >= limit {
            return false;
        }
        // Short steps first, so a write that is about to end costs little.
        std::thread::sleep(Duration::from_millis(match count {
            0..=4 => 2,
            5..=19 => 10,
            _ => 25,
        }));
        true
    }))?;
    Ok(())
}

/// A busy book's error, naming the import when one holds it.
pub fn explain(e: crate::storage::sql::Error, book: Option<&Path>) -> Error {
    let busy = matches!(
        &e,
        crate::storage::sql::Error::Lite(rusqlite::Error::SqliteFailure(f, _))
            if matches!(f.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    );
    if let (true, Some(pid)) = (busy, book.and_then(importer)) {
        return Error::env(format!(
            "an import (process {pid}) holds the book and did not end within {} s; try again when it has",
            IMPORT_WAIT.as_secs()
        ));
    }
    e.into()
}

/// The marker an import holds while it runs; removed when dropped.
pub struct ImportMarker {
    path: Option<PathBuf>,
}

impl ImportMarker {
    /// Marks `book` as held by this process's import. A marker that cannot be written only
    /// costs other writers the longer wait's message: the import goes on.
    pub fn hold(book: Option<&Path>) -> ImportMarker {
        let path = book.map(marker_path).filter(|p| {
            let mut o = std::fs::OpenOptions::new();
            o.write(true).create(true).truncate(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                o.mode(0o600);
            }
            o.open(p)
                .and_then(|mut f| {
                    use std::io::Write;
                    write!(f, "{}", std::process::id())
                })
                .is_ok()
        });
        ImportMarker { path }
    }
}

impl Drop for ImportMarker {
    fn drop(&mut self) {
        if let Some(p) = &self.path {
            let _ = std::fs::remove_file(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_marker_names_a_live_import_only() {
        let dir = tempfile::tempdir().unwrap();
        let book = dir.path().join("book.db");
        assert_eq!(importer(&book), None);
        {
            let _m = ImportMarker::hold(Some(&book));
            assert_eq!(importer(&book), Some(std::process::id()));
        }
        assert_eq!(importer(&book), None, "removed when the import ends");
        // A killed import's marker names a process that is gone.
        std::fs::write(marker_path(&book), "4000000000").unwrap();
        assert_eq!(importer(&book), None);
    }
}
