//! What is at a book's path, decided before SQLite writes a byte there. Only a path where no
//! file exists becomes a new book; an empty file, another program's SQLite file or a book of a
//! newer salesdesk is refused and left exactly as it was (SQLite would otherwise switch it to
//! WAL, rewriting its header, and add salesdesk's tables). A book that cannot be written is
//! opened read-only for commands that only read.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Result};
use crate::paths;

use super::migrate::SCHEMA_VERSION;

fn side(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn newer(path: &Path, version: i64) -> Error {
    Error::env(format!(
        "{} was written by a newer salesdesk (schema {version}, this one knows {SCHEMA_VERSION}); \
         upgrade salesdesk to open it",
        path.display()
    ))
}

/// Checks an existing file from its bytes and, when its header cannot tell, through a
/// read-only connection that creates no file beside it. Returns whether it is an SQLite file
/// with no schema at all (adopted as a new book).
pub(super) fn check_existing(path: &Path) -> Result<bool> {
    let mut f = fs::File::open(path).map_err(|e| {
        Error::env(format!(
            "cannot read {}: {}",
            path.display(),
            Error::from(e)
        ))
    })?;
    let mut head = [0u8; 100];
    let mut got = 0;
    while got < head.len() {
        match f.read(&mut head[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(Error::env(format!("cannot read {}: {e}", path.display()))),
        }
    }
    drop(f);
    if got == 0 {
        return Err(Error::env(format!(
            "{} is an empty file, not a salesdesk book; salesdesk makes a new book only where \
             no file exists: check the path (--db, $SALESDESK_DB), or remove the empty file",
            path.display()
        )));
    }
    if got < head.len() || &head[..16] != b"SQLite format 3\0" {
        return Err(Error::env(format!(
            "{} is not a salesdesk database (not SQLite); it was left untouched: check the path \
             (--db, $SALESDESK_DB)",
            path.display()
        )));
    }
    // In rollback-journal mode the header is the book's own; in WAL mode the -wal may hold a
    // newer page 1, which the connection below reads.
    let version = i64::from(u32::from_be_bytes([head[60], head[61], head[62], head[63]]));
    if version > SCHEMA_VERSION {
        return Err(newer(path, version));
    }
    if version > 0 {
        return Ok(false);
    }
    let conn =
        read_only(path).map_err(|e| Error::env(format!("cannot read {}: {e}", path.display())))?;
    let (version, tables): (i64, i64) = conn
        .query_row(
            "SELECT (SELECT user_version FROM pragma_user_version),
                    (SELECT count(*) FROM sqlite_master)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(|e| Error::env(format!("{}: {}", path.display(), Error::from(e))))?;
    if version > SCHEMA_VERSION {
        return Err(newer(path, version));
    }
    if version == 0 && tables > 0 {
        return Err(Error::env(format!(
            "{} is another program's SQLite database, not a salesdesk book; it was left \
             untouched: check the path (--db, $SALESDESK_DB)",
            path.display()
        )));
    }
    Ok(version == 0)
}

/// A `file:` URI for `path`, every byte outside the unreserved set percent-encoded.
fn uri(path: &Path, query: &str) -> String {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    #[cfg(unix)]
    let bytes = {
        use std::os::unix::ffi::OsStrExt;
        abs.as_os_str().as_bytes().to_vec()
    };
    #[cfg(not(unix))]
    let bytes = abs.to_string_lossy().replace('\\', "/").into_bytes();
    let mut s = String::from("file:");
    for b in bytes {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s.push('?');
    s.push_str(query);
    s
}

/// A read-only connection. Without a -wal (no connection has the book open, none can write
/// it meanwhile without making one), `immutable` reads the file alone: no -wal or -shm is
/// created beside it (which a read-only folder would refuse anyway). With one, SQLite reads
/// through it, as any reader must.
pub(super) fn read_only(path: &Path) -> rusqlite::Result<Connection> {
    let query = if side(path, "-wal").exists() {
        "mode=ro"
    } else {
        "mode=ro&immutable=1"
    };
    Connection::open_with_flags(
        uri(path, query),
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI,
    )
}

/// Why a book cannot be written, when it cannot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadOnly {
    /// The book's file (or an existing -wal or -shm) is not writable.
    File(PathBuf),
    /// Its folder is not writable, and SQLite needs to create the -wal or -shm there.
    Folder(PathBuf),
}

impl std::fmt::Display for ReadOnly {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadOnly::File(p) => write!(f, "the file {} is read-only", p.display()),
            ReadOnly::Folder(d) => write!(
                f,
                "the folder {} is read-only, and SQLite needs to create the book's -wal and \
                 -shm files there",
                d.display()
            ),
        }
    }
}

/// Whether `p` can be written: Some(false) when it cannot, None when it does not exist (a
/// -wal another connection just removed is missing, not read-only).
#[cfg(unix)]
fn writable(p: &Path) -> Option<bool> {
    match rustix::fs::access(p, rustix::fs::Access::WRITE_OK) {
        Ok(()) => Some(true),
        Err(rustix::io::Errno::NOENT) => None,
        Err(_) => Some(false),
    }
}

#[cfg(not(unix))]
fn writable(p: &Path) -> Option<bool> {
    fs::metadata(p).ok().map(|m| !m.permissions().readonly())
}

pub(super) fn read_only_reason(book: &Path) -> Option<ReadOnly> {
    if writable(book) == Some(false) {
        return Some(ReadOnly::File(book.to_path_buf()));
    }
    let mut missing = false;
    for s in ["-wal", "-shm"] {
        let p = side(book, s);
        match writable(&p) {
            Some(true) => {}
            Some(false) => return Some(ReadOnly::File(p)),
            None => missing = true,
        }
    }
    let dir = match book.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    (missing && writable(&dir) == Some(false)).then_some(ReadOnly::Folder(dir))
}

/// Makes a new book at `path`, which did not exist: built under a temporary name and linked
/// into place only when whole, so another process never finds a half-made (or empty) file at
/// the path, and two processes creating it at once end with one book. `init` migrates it.
/// Returns false when another process made it first.
pub(super) fn create(path: &Path, init: impl FnOnce(&Path) -> Result<()>) -> Result<bool> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.new", std::process::id()));
    let cleanup = paths::remove_with_sides;
    cleanup(&tmp);
    paths::private_file(&tmp).map_err(|e| {
        let why = if writable(&dir) != Some(false) {
            e.to_string()
        } else {
            format!("the folder {} is read-only", dir.display())
        };
        Error::env(format!(
            "cannot create a new book at {}: {why}",
            path.display()
        ))
    })?;
    let named = |e: Error| {
        let (t, p) = (tmp.display().to_string(), path.display().to_string());
        match e {
            Error::Env(m) => Error::env(format!(
                "cannot create a new book at {p}: {}",
                m.replace(&t, &p)
            )),
            e => e,
        }
    };
    let made = init(&tmp)
        .map_err(named)
        .and_then(|()| match fs::hard_link(&tmp, path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
            // A filesystem without hard links: the check and the rename are two steps there.
            Err(_) if !path.exists() => fs::rename(&tmp, path).map(|()| true).map_err(|e| {
                Error::env(format!(
                    "cannot create {}: {}",
                    path.display(),
                    Error::from(e)
                ))
            }),
            Err(_) => Ok(false),
        });
    cleanup(&tmp);
    made
}

/// Clears the group and other bits of the book, its side files, its backups (and their
/// folder), and of the data folder when it is salesdesk's own: the book is readable by its
/// owner alone. Never adds a bit (a 0400 book stays 0400). Files owned by someone else are
/// left alone. Returns a line saying what it changed, if anything.
#[cfg(unix)]
pub(super) fn make_private(book: &Path) -> Option<String> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let uid = rustix::process::geteuid().as_raw();
    let mut targets: Vec<PathBuf> = vec![book.to_path_buf()];
    targets.extend(paths::SIDE_FILES.iter().map(|s| side(book, s)));
    let backups = paths::backups_dir(book);
    targets.push(backups.clone());
    if let Ok(rd) = fs::read_dir(&backups) {
        targets.extend(rd.filter_map(|e| e.ok().map(|e| e.path())));
    }
    // The book's folder counts only when it is the default data folder salesdesk made: asked
    // (it resolves paths) only of a folder that is not private already, which is rare.
    let folder = book.parent().map(Path::to_path_buf);
    targets.extend(folder.clone());
    let mut changed: Vec<String> = Vec::new();
    for p in &targets {
        let Ok(m) = fs::metadata(p) else { continue };
        let mode = m.mode() & 0o7777;
        if mode & 0o077 == 0 || m.uid() != uid {
            continue;
        }
        if Some(p) == folder.as_ref() && !paths::is_default_data_dir(p) {
            continue;
        }
        if fs::set_permissions(p, fs::Permissions::from_mode(mode & !0o077)).is_ok() {
            changed.push(format!(
                "{} ({:04o} → {:04o})",
                p.display(),
                mode,
                mode & !0o077
            ));
        }
    }
    (!changed.is_empty()).then(|| {
        format!(
            "made the book's files readable by you alone: {}",
            changed.join(", ")
        )
    })
}

#[cfg(not(unix))]
pub(super) fn make_private(_: &Path) -> Option<String> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_uri_keeps_odd_names_whole() {
        let u = uri(Path::new("/tmp/a b?c#d%e.db"), "mode=ro");
        assert_eq!(u, "file:/tmp/a%20b%3Fc%23d%25e.db?mode=ro");
    }

    #[test]
    fn read_only_reads_a_wal_book_without_making_side_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a b.db");
        {
            let c = Connection::open(&p).unwrap();
            c.execute_batch(
                "PRAGMA journal_mode=WAL; CREATE TABLE t(x); INSERT INTO t VALUES (7);",
            )
            .unwrap();
        }
        assert!(!side(&p, "-wal").exists());
        let c = read_only(&p).unwrap();
        let x: i64 = c.query_row("SELECT x FROM t", [], |r| r.get(0)).unwrap();
        assert_eq!(x, 7);
        drop(c);
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }
}
