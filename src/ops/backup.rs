//! Copies of the book made with SQLite's backup API (never a file copy: the WAL may hold
//! committed pages). Written to a temporary name and renamed, so a kill mid-way leaves no
//! half file that a later restore could take.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::paths;

/// Copies the open book to `dest` (0600).
pub fn to_file(conn: &Connection, dest: &Path) -> Result<()> {
    if let Some(dir) = dest.parent() {
        paths::private_dir(dir)?;
    }
    let tmp = dest.with_extension("partial");
    let _ = std::fs::remove_file(&tmp);
    paths::private_file(&tmp)?;
    let result = (|| -> Result<()> {
        let mut out = Connection::open(&tmp)?;
        let backup = rusqlite::backup::Backup::new(conn, &mut out)?;
        backup.run_to_completion(256, Duration::from_millis(0), None)?;
        drop(backup);
        // A backup is one self-contained file: no -wal beside it.
        out.pragma_update(None, "journal_mode", "DELETE")?;
        drop(out);
        std::fs::rename(&tmp, dest)
            .map_err(|e| Error::env(format!("cannot write the backup {}: {e}", dest.display())))?;
        paths::set_mode(dest, 0o600)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// An automatic backup in the data folder's `backups/`, keeping the newest `keep`.
pub fn automatic(conn: &Connection, db_path: &Path, label: &str, keep: usize) -> Result<PathBuf> {
    let dir = paths::backups_dir(db_path);
    paths::private_dir(&dir)?;
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let dest = dir.join(format!("salesdesk-{stamp}-{label}.db"));
    to_file(conn, &dest)?;
    prune(&dir, keep)?;
    Ok(dest)
}

/// The automatic backups, oldest first.
pub fn list(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("salesdesk-") && n.ends_with(".db"))
            })
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    files.sort();
    Ok(files)
}

fn prune(dir: &Path, keep: usize) -> Result<()> {
    let files = list(dir)?;
    let extra = files.len().saturating_sub(keep.max(1));
    for f in &files[..extra] {
        std::fs::remove_file(f)?;
    }
    Ok(())
}
