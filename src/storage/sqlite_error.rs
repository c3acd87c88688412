//! SQLite's errors as the error kinds every module returns: what the user can do about a
//! locked, corrupt, read-only or full book is said here, once.

use crate::error::{DISK_FULL, Error};

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as C;
        if let rusqlite::Error::SqliteFailure(f, _) = &e {
            let what = match f.code {
                C::DatabaseBusy | C::DatabaseLocked => {
                    "the database is locked by another program; try again in a moment"
                }
                C::NotADatabase => "the file is not a salesdesk database (not SQLite)",
                C::DatabaseCorrupt => {
                    crate::storage::check::note_corrupt();
                    "the database is corrupt; `salesdesk restore` a backup from the data folder's backups/"
                }
                C::ReadOnly => {
                    "the database is read-only; check the permissions of the book's file and of \
                     its folder (SQLite creates the book's -wal and -shm there)"
                }
                C::DiskFull => DISK_FULL,
                // SQLite grows the -shm (and writes the -wal, the journal) with plain writes:
                // on a full disk these come back as an I/O error, not as "full".
                C::SystemIoFailure if disk_full_io(f.extended_code) => DISK_FULL,
                C::CannotOpen => {
                    "cannot open the database; check the path and its folder's permissions"
                }
                C::PermissionDenied => "permission denied on the database",
                _ => "",
            };
            if !what.is_empty() {
                return Error::Env(format!("{what} ({e})"));
            }
        }
        Error::Env(format!("database error: {e}"))
    }
}

/// The extended I/O error codes SQLite returns when a write of its own files found no space:
/// growing the -shm (`SQLITE_IOERR_SHMSIZE`), writing or syncing the -wal, the journal or
/// the book. Only the first is certain; the others are checked against the free space.
fn disk_full_io(extended: std::os::raw::c_int) -> bool {
    use rusqlite::ffi;
    extended == ffi::SQLITE_IOERR_SHMSIZE
        || (matches!(
            extended,
            ffi::SQLITE_IOERR_WRITE | ffi::SQLITE_IOERR_FSYNC | ffi::SQLITE_IOERR_TRUNCATE
        ) && super::last_disk_low())
}
