//! Taking one person out of each automatic backup and keeping everything else in it.
//!
//! A backup is a whole book of whatever schema was current when it was taken, and the ids in
//! it may belong to someone else (a `before-restore` copy of another book), so each one is
//! opened as it is, its tables and columns looked up, and the person matched by id together
//! with name or email (`storage::purge::scrub_backup`). Its own triggers keep its full-text
//! indexes in step with the rows deleted; `secure_delete` zeroes the freed cells and VACUUM
//! rewrites the file without them.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::ops::backup;
use crate::paths;
use crate::storage::purge;

pub use crate::domain::erasure::{Erasure, PENDING_PREFIX};

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
        match purge::scrub_backup(&path, who) {
            Ok(true) => done.cleaned += 1,
            Ok(false) => {}
            // A copy SQLite cannot read whole cannot be cleaned, and restore refuses it.
            Err(e) if e.unreadable || set_aside.contains(&path) => {
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
                    e.error
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
