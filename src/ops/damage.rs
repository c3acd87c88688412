//! The damage record: a small file beside the book (`<book>.damaged`, 0600) written when
//! damage is found (SQLite reporting corruption in any command, `db check`, a backup's check
//! of its copy) and removed when `db check` passes. Every command stats it, nothing more, so
//! the warning costs no check of the book (the speed budgets stand).

use std::path::Path;

use crate::error::{Error, Result};
use crate::paths;

/// Where the record of a book is, and writing it (storage's backups record what their
/// check found).
pub use crate::storage::backup::{damage_record_path as record_path, record_damage as record};
/// Whether SQLite reported corruption since the process started (or the last `take`).
pub use crate::storage::check::take_corrupt_seen;

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
