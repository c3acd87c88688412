//! The only module that speaks SQL. `Db::open` makes the file private, sets the pragmas and
//! migrates; every write goes through `Db::write`, one immediate transaction with its undo record.

pub mod backup;
pub mod browse;
pub mod busy;
pub mod check;
mod migrate;
mod open;
mod revert;
mod snapshot;
pub mod sql;
mod sqlite_error;
pub mod undo;
mod words;
mod write;

pub mod bulk;
pub mod contacts;
pub mod deals;
pub mod derived;
pub mod duplicates;
pub mod export;
pub mod follow_ups;
pub mod import;
pub mod lookups;
pub mod notes;
pub mod owners;
pub mod pg;
pub mod purge;
pub mod referrals;
pub mod remind;
pub mod report;
pub mod report_reps;
pub mod restore;
pub mod search;
pub mod sequences;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Result};
use crate::paths;
use sql::{Begin, Conn};

pub use migrate::SCHEMA_VERSION;
/// Makes books of earlier schemas, for tests of code that meets old backups.
#[doc(hidden)]
pub use migrate::migrate_to;
pub use migrate::version_of;
pub use open::ReadOnly;
pub use revert::Undone;
pub use undo::Change;
pub use write::{Importing, Unlogged};

pub use snapshot::Snapshot;

pub struct Db {
    conn: Conn,
    path: Option<PathBuf>,
    /// Set when the book could not be written and was opened read-only for a reading command.
    read_only: Option<ReadOnly>,
    /// What opening did that the user should hear about (a new book, permissions tightened):
    /// the CLI prints each on stderr.
    pub notices: Vec<String>,
}

/// What a command will do to the book.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// It may change the book: a book that cannot be written is an error, said up front.
    Write,
    /// It only reads: a book that cannot be written is opened read-only.
    Read,
}

impl Db {
    /// Opens (creating if needed, 0600 in a 0700 folder) and migrates the book at `path`.
    pub fn open(path: &Path) -> Result<Self> {
        Self::open_for(path, Access::Write)
    }

    /// Opens the book at `path` for a command that needs `access`. Only a path where nothing
    /// exists becomes a new book (and says so); an empty file, another program's SQLite file
    /// or a newer book is refused before anything in it can change.
    pub fn open_for(path: &Path, access: Access) -> Result<Self> {
        if paths::is_server(path) {
            return Self::open_server(&path.to_string_lossy(), access);
        }
        if let Some(dir) = path.parent() {
            paths::private_dir(dir)?;
        }
        let mut notices = Vec::new();
        match std::fs::symlink_metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if open::create(path, |tmp| {
                    let mut db = Self::connect(tmp, Access::Write)?;
                    migrate::migrate(db.conn.lite_mut(), None)
                })? {
                    notices.push(format!("created a new book at {}", path.display()));
                }
            }
            Err(e) => {
                return Err(Error::env(format!(
                    "cannot open {}: {}",
                    path.display(),
                    Error::from(e)
                )));
            }
            // The link's target, once: a folder, or nothing at all.
            Ok(_) if std::fs::metadata(path).is_ok_and(|m| m.is_dir()) => {
                return Err(Error::env(format!(
                    "{} is a folder, not a database file",
                    path.display()
                )));
            }
            Ok(l) if l.is_symlink() && std::fs::metadata(path).is_err() => {
                return Err(Error::env(format!(
                    "{} is a symbolic link to a file that does not exist; salesdesk makes a new \
                     book only where nothing is",
                    path.display()
                )));
            }
            Ok(_) => {
                let adopted = open::check_existing(path)?;
                // Before SQLite opens it: the -wal and -shm it creates copy the book's mode.
                notices.extend(open::make_private(path));
                if adopted {
                    notices.push(format!(
                        "{} was an empty SQLite database; made it a new book",
                        path.display()
                    ));
                }
            }
        }
        let mut db = match open::read_only_reason(path) {
            None => Self::connect(path, Access::Write)?,
            Some(why) if access == Access::Write => {
                return Err(Error::env(format!(
                    "cannot change the book {}: {why}. Commands that only read it (today, \
                     contact list, search, export, report, backup PATH) still work",
                    path.display()
                )));
            }
            Some(why) => {
                let mut db = Self::connect(path, Access::Read)?;
                db.read_only = Some(why);
                db
            }
        };
        db.notices = notices;
        if let Some(why) = &db.read_only {
            let v: i64 = db
                .conn
                .lite()
                .query_row("PRAGMA user_version", [], |r| r.get(0))?;
            if v < SCHEMA_VERSION {
                return Err(Error::env(format!(
                    "{} is a book of schema {v}; this salesdesk upgrades it to schema \
                     {SCHEMA_VERSION} on open, which changes the file, but {why}",
                    path.display()
                )));
            }
        }
        migrate::migrate(db.conn.lite_mut(), Some(path))?;
        Ok(db)
    }

    /// A connection to an existing file, configured; read-only ones touch nothing beside it.
    fn connect(path: &Path, access: Access) -> Result<Self> {
        let conn = match access {
            Access::Write => Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_WRITE
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX
                    | OpenFlags::SQLITE_OPEN_URI,
            ),
            Access::Read => open::read_only(path),
        }
        .map_err(|e| {
            Error::env(format!(
                "cannot open {}: {}",
                path.display(),
                Error::from(e)
            ))
        })?;
        if let Ok(mut d) = BOOK_DIR.lock() {
            *d = Some(match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            });
        }
        let mut db = Db {
            conn: Conn::Lite(conn),
            path: Some(path.to_path_buf()),
            read_only: None,
            notices: Vec::new(),
        };
        db.configure(access == Access::Write)
            .map_err(|e| Error::env(format!("{}: {e}", path.display())))?;
        Ok(db)
    }

    /// Why the book was opened read-only, if it was.
    pub fn read_only(&self) -> Option<&ReadOnly> {
        self.read_only.as_ref()
    }

    /// A private in-memory book, for tests and snapshots.
    pub fn open_in_memory() -> Result<Self> {
        let conn = Connection::open_in_memory()?;
        let mut db = Db {
            conn: Conn::Lite(conn),
            path: None,
            read_only: None,
            notices: Vec::new(),
        };
        db.configure(true)?;
        migrate::migrate(db.conn.lite_mut(), None)?;
        Ok(db)
    }

    fn configure(&mut self, write: bool) -> Result<()> {
        let path = self.path.clone();
        let conn = self.conn.lite_mut();
        busy::install(conn, path.as_deref())?;
        if !write {
            conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;")?;
            conn.set_prepared_statement_cache_capacity(64);
            return Ok(());
        }
        // Reading the journal mode also makes SQLite read the header: a file that is not a
        // database fails here, with a clear error, rather than on the first query.
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if mode != "wal" && path.is_some() {
            return Err(Error::env(format!(
                "could not switch to WAL (got {mode}); is the database on a network or read-only filesystem?"
            )));
        }
        // No memory-mapped I/O (mmap_size): on the large book it made no command or key
        // measurably faster, but every page it touched counted as the process's resident
        // memory (247 MB for `today`, over 400 MB for the TUI after a backup and a report).
        conn.execute_batch(
            "PRAGMA synchronous = FULL;
             PRAGMA foreign_keys = ON;
             PRAGMA temp_store = MEMORY;",
        )?;
        conn.set_prepared_statement_cache_capacity(64);
        Ok(())
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Where another connection opens this same book (a TUI worker's, with `Db::open`): the
    /// file, or the server's address as given (never to be shown). None in memory.
    pub fn reopen_at(&self) -> Option<PathBuf> {
        match self.conn.pg() {
            Some(s) => Some(PathBuf::from(s.address())),
            None => self.path.clone(),
        }
    }

    /// A read-only snapshot: every query in `f` sees one state of the book.
    pub fn read<T>(&mut self, f: impl FnOnce(&Snapshot) -> Result<T>) -> Result<T> {
        let tx = self.conn.begin(Begin::Deferred)?;
        let out = f(Snapshot::of(tx.conn()))?;
        tx.commit()?;
        Ok(out)
    }

    /// Sets the page cache (in KiB) for the rest of this connection: a bulk load (the
    /// generator) touches the full-text indexes' pages over and over.
    pub fn set_page_cache_kib(&self, kib: i64) -> Result<()> {
        // A server sizes its own caches.
        if self.on_server() {
            return Ok(());
        }
        self.conn.lite().pragma_update(None, "cache_size", -kib)?;
        Ok(())
    }

    /// Runs reads that need no snapshot across statements (one query, or a check) without
    /// opening a transaction: for callers holding the book shared.
    pub fn peek<T>(&self, f: impl FnOnce(&Snapshot) -> Result<T>) -> Result<T> {
        if let Some(s) = self.conn.pg() {
            s.ensure_open()?;
        }
        f(Snapshot::of(&self.conn))
    }

    /// The connection itself, for tests under `tests/` that set up a state no verb makes
    /// (a damaged row, a query plan to look at). Nothing in `src/` may use it.
    #[doc(hidden)]
    pub fn conn_for_tests(&self) -> &Connection {
        self.conn.lite()
    }

    /// As [`Db::conn_for_tests`], for a test that traces the statements a verb runs.
    #[doc(hidden)]
    pub fn conn_for_tests_mut(&mut self) -> &mut Connection {
        self.conn.lite_mut()
    }

    /// Changes whenever another connection commits: cheap to poll for live refresh.
    pub fn data_version(&self) -> Result<i64> {
        if let Some(s) = self.conn.pg() {
            return s.data_version();
        }
        Ok(self
            .conn
            .lite()
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    pub fn integrity_check(&self) -> Result<Vec<String>> {
        if self.on_server() {
            return Ok(vec!["ok".to_string()]);
        }
        let mut stmt = self.conn.lite().prepare("PRAGMA integrity_check")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for r in rows {
            out.push(r?);
        }
        Ok(out)
    }
}

/// The folder of the book opened last: where a full disk shows first.
static BOOK_DIR: std::sync::Mutex<Option<PathBuf>> = std::sync::Mutex::new(None);

/// Below this much free space an I/O error of SQLite's is taken for a full disk.
const LOW_SPACE: u64 = 1 << 20;

/// Whether the disk of the book opened last is (nearly) full. SQLite reports some writes that
/// found no space (growing the -shm, syncing) as plain I/O errors; this tells them apart.
pub fn last_disk_low() -> bool {
    let dir = BOOK_DIR.lock().ok().and_then(|d| d.clone());
    dir.is_some_and(|d| disk_low(&d))
}

#[cfg(unix)]
fn disk_low(dir: &Path) -> bool {
    rustix::fs::statvfs(dir).is_ok_and(|s| s.f_bavail.saturating_mul(s.f_frsize) < LOW_SPACE)
}

#[cfg(not(unix))]
fn disk_low(_: &Path) -> bool {
    false
}

/// Brings a book replaced under an open connection (restore) up to this schema.
pub fn migrate_open(db: &mut Db) -> Result<()> {
    let path = db.path.clone();
    migrate::migrate(db.conn.lite_mut(), path.as_deref())
}

/// `expr` with the letters of `text::FOLDED_LETTERS` spelled out, as SQL: what the full-text
/// indexes get, so that they hold what `text::fold` makes of a query. Text that is all ASCII
/// (most names) is passed through after one length check; only other text pays for the
/// replace() calls. `expr` is evaluated more than once: give it a column, not a subquery.
pub fn fold_sql(expr: &str) -> String {
    let mut chain = expr.to_string();
    for (letter, folded) in crate::text::FOLDED_LETTERS {
        chain = format!("replace({chain}, '{letter}', '{folded}')");
    }
    format!(
        "(CASE WHEN length({expr}) = length(CAST({expr} AS BLOB)) THEN {expr} ELSE {chain} END)"
    )
}

/// A migration's SQL with each `FOLD[expr]` written out by [`fold_sql`].
pub fn expand_fold(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(i) = rest.find("FOLD[") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 5..];
        match after.find(']') {
            Some(j) => {
                out.push_str(&fold_sql(&after[..j]));
                rest = &after[j + 1..];
            }
            None => {
                out.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether the book holds anything at all (demo refuses to overwrite a non-empty one).
pub fn is_empty(conn: &Snapshot) -> Result<bool> {
    let n: i64 = conn.query_row(
        "SELECT (SELECT count(*) FROM contacts) + (SELECT count(*) FROM companies)",
        (),
        |r| r.get(0),
    )?;
    Ok(n == 0)
}
