//! Copies of the book made with SQLite's backup API (never a file copy: the WAL may hold
//! committed pages). Written to a temporary name and renamed, so a kill mid-way leaves no
//! half file that a later restore could take.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::paths;

/// Copies the open book to `dest` (0600).
pub fn to_file(conn: &Connection, dest: &Path) -> Result<()> {
    to_file_unless(conn, dest, None)
}

/// Pages copied a step; between steps `stop` is looked at.
const STEP_PAGES: i32 = 256;

/// As `to_file`; when `stop` is set (from another thread: the TUI quitting) the copy is
/// abandoned at the next step and its temporary file removed, so quitting never waits for
/// a whole backup and never leaves a half one behind.
///
/// The copy is written as `NAME.PID.partial` beside `dest`, locked (flock) while it is being
/// written. A kill leaves it (and SQLite's `-journal` of it) behind; the next backup to the
/// same folder takes the lock of every such leftover, which only succeeds once its writer is
/// gone, and removes it.
fn to_file_unless(conn: &Connection, dest: &Path, stop: Option<&AtomicBool>) -> Result<()> {
    let dest = &paths::resolve(dest);
    if std::fs::metadata(dest).is_ok_and(|m| !m.is_file()) {
        return Err(Error::input(format!(
            "{} is not a regular file; name the backup file",
            dest.display()
        )));
    }
    let dir = dest.parent().unwrap_or(Path::new("."));
    paths::private_dir(dir)?;
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Leftovers of backups to this name (of any automatic backup, in the backups folder),
    // and the `NAME.partial` an earlier salesdesk used.
    let ours = format!("{name}.");
    let legacy = dest.with_extension("partial");
    let legacy = legacy.file_name().and_then(|n| n.to_str()).unwrap_or("");
    sweep_partials(dir, |n| {
        n.starts_with(&ours)
            || n == legacy
            || (name.starts_with("salesdesk-") && n.starts_with("salesdesk-"))
    });
    let tmp = dir.join(format!("{name}.{}.partial", std::process::id()));
    paths::remove_with_sides(&tmp);
    paths::private_file(&tmp)?;
    let lock = std::fs::File::open(&tmp).ok();
    #[cfg(unix)]
    if let Some(f) = &lock {
        let _ = rustix::fs::flock(f, rustix::fs::FlockOperation::LockExclusive);
    }
    let result = (|| -> Result<()> {
        let mut out = Connection::open(&tmp)?;
        let backup = rusqlite::backup::Backup::new(conn, &mut out)?;
        loop {
            if stop.is_some_and(|s| s.load(Ordering::Relaxed)) {
                return Err(Error::env("the backup was stopped before it was complete"));
            }
            match backup.step(STEP_PAGES)? {
                rusqlite::backup::StepResult::Done => break,
                rusqlite::backup::StepResult::More => {}
                // Another connection holds a lock for a moment (as run_to_completion waits).
                _ => std::thread::sleep(Duration::from_millis(1)),
            }
        }
        drop(backup);
        // A backup is one self-contained file: no -wal beside it.
        out.pragma_update(None, "journal_mode", "DELETE")?;
        drop(out);
        std::fs::rename(&tmp, dest)
            .map_err(|e| Error::env(format!("cannot write the backup {}: {e}", dest.display())))?;
        paths::set_mode(dest, 0o600)
    })();
    if result.is_err() {
        paths::remove_with_sides(&tmp);
    }
    drop(lock);
    result.map_err(|e| match e {
        Error::Env(m) if !m.contains(&dest.display().to_string()) => {
            Error::env(format!("cannot write the backup {}: {m}", dest.display()))
        }
        e => e,
    })
}

/// Whether the process whose id a temporary copy's name carries (`NAME.PID.partial`) is
/// running (our own included).
fn writer_alive(name: &str) -> bool {
    let Some(pid) = name
        .strip_suffix(".partial")
        .and_then(|n| n.rsplit('.').next())
        .and_then(|n| n.parse::<i32>().ok())
    else {
        return false;
    };
    #[cfg(unix)]
    {
        rustix::process::Pid::from_raw(pid)
            .is_some_and(|p| rustix::process::test_kill_process(p).is_ok())
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        false
    }
}

/// Removes what killed backups left in `dir`: every `….partial` named as `mine` says whose
/// writer is gone (its lock can be taken), and SQLite's side files of it.
fn sweep_partials(dir: &Path, mine: impl Fn(&str) -> bool) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for p in rd.filter_map(|e| e.ok().map(|e| e.path())) {
        let Some(name) = p.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if !mine(name) {
            continue;
        }
        if let Some(main) = name
            .strip_suffix("-journal")
            .or_else(|| name.strip_suffix("-wal"))
            .or_else(|| name.strip_suffix("-shm"))
            .filter(|m| m.ends_with(".partial"))
        {
            // A side file whose backup is already gone.
            if !dir.join(main).exists() {
                let _ = std::fs::remove_file(&p);
            }
            continue;
        }
        if !name.ends_with(".partial") {
            continue;
        }
        // A writer still running keeps its copy, even in the moment between making the file
        // and locking it (another backup of the same second swept it there, mid-write).
        if writer_alive(name) {
            continue;
        }
        let Ok(f) = std::fs::File::open(&p) else {
            continue;
        };
        #[cfg(unix)]
        let free =
            rustix::fs::flock(&f, rustix::fs::FlockOperation::NonBlockingLockExclusive).is_ok();
        #[cfg(not(unix))]
        let free = false;
        if free {
            paths::remove_with_sides(&p);
        }
        drop(f);
    }
}

/// What an automatic backup made of its copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Taken {
    /// The copy passed its check and counts towards `keep`.
    Good(PathBuf),
    /// The copy failed its check (the book is damaged): it is kept aside under a name that
    /// says so, never counted towards `keep`, so it pushes out no good backup.
    Damaged { aside: PathBuf, found: String },
}

/// An automatic backup in the data folder's `backups/`, keeping the newest `keep` good ones.
/// A copy that fails its check is kept aside and the damage recorded beside the book; its
/// path is returned all the same (restore and demo go on: the damaged book is what they
/// replace).
pub fn automatic(conn: &Connection, db_path: &Path, label: &str, keep: usize) -> Result<PathBuf> {
    Ok(match automatic_unless(conn, db_path, label, keep, None)? {
        Taken::Good(p) => p,
        Taken::Damaged { aside, .. } => aside,
    })
}

/// As `automatic`, saying whether the copy passed its check.
pub fn automatic_checked(
    conn: &Connection,
    db_path: &Path,
    label: &str,
    keep: usize,
) -> Result<Taken> {
    automatic_unless(conn, db_path, label, keep, None)
}

fn automatic_unless(
    conn: &Connection,
    db_path: &Path,
    label: &str,
    keep: usize,
    stop: Option<&AtomicBool>,
) -> Result<Taken> {
    let dir = paths::backups_dir(db_path);
    paths::private_dir(&dir)?;
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let name = format!("salesdesk-{stamp}-{label}");
    // Checked under a name no listing counts as a backup (`interrupted` sees it, so a kill
    // before the check leaves nothing that piles up or that a restore could take), and that
    // is this process's own: two backups in the same second (`backup` twice, the TUI's daily
    // one beside a command) must not rename each other's copy away.
    let unchecked = dir.join(format!("{name}.{}.partial-unchecked", std::process::id()));
    to_file_unless(conn, &unchecked, stop)?;
    match check_copy(&unchecked) {
        Ok(()) => {
            let dest = place(&unchecked, &dir, &name, ".db")?;
            prune(&dir, keep)?;
            Ok(Taken::Good(dest))
        }
        Err(found) => {
            let aside = place(&unchecked, &dir, &name, ".db.damaged")?;
            prune_damaged(&dir, keep)?;
            crate::ops::damage::record(
                db_path,
                &format!("a backup's check of its copy found: {found}"),
            )?;
            Ok(Taken::Damaged { aside, found })
        }
    }
}

/// Puts a checked copy in place as `NAME.EXT`, or `NAME_02.EXT`… when a backup of that name
/// is there already: two backups in the same second (`demo --force` twice, a `backup` beside
/// the TUI's daily one) each keep their own file, so the book as it was before is never
/// overwritten by the copy taken after it.
fn place(copy: &Path, dir: &Path, name: &str, ext: &str) -> Result<PathBuf> {
    let fail = |to: &Path, e: std::io::Error| {
        let _ = std::fs::remove_file(copy);
        Error::env(format!("cannot write the backup {}: {e}", to.display()))
    };
    for n in 1..1000 {
        let to = if n == 1 {
            dir.join(format!("{name}{ext}"))
        } else {
            // `_` sorts after `.`: listed (and pruned) after the first of its second.
            dir.join(format!("{name}_{n:02}{ext}"))
        };
        // A hard link never replaces a file that is there (a rename would).
        match std::fs::hard_link(copy, &to) {
            Ok(()) => {
                let _ = std::fs::remove_file(copy);
                return Ok(to);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            // A filesystem without hard links: a rename, where nothing is.
            Err(_) if !to.exists() => {
                return std::fs::rename(copy, &to)
                    .map(|()| to.clone())
                    .map_err(|e| fail(&to, e));
            }
            Err(e) => return Err(fail(&to, e)),
        }
    }
    Err(fail(
        &dir.join(format!("{name}{ext}")),
        std::io::Error::other("a thousand backups of that name in one second"),
    ))
}

/// SQLite's quick_check of a copy: what it reports (tree and page), or Ok.
pub fn check_copy(path: &Path) -> std::result::Result<(), String> {
    let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| e.to_string())?;
    let lines = crate::storage::check::pages(&conn, crate::storage::check::Depth::Quick);
    if lines == ["ok"] {
        Ok(())
    } else {
        Err(lines.iter().take(5).cloned().collect::<Vec<_>>().join("; "))
    }
}

/// Copies set aside because they failed their check, oldest first.
pub fn damaged(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("salesdesk-") && n.ends_with(".db.damaged"))
            })
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    files.sort();
    Ok(files)
}

/// Damaged copies are pruned among themselves: they never push out a good backup.
fn prune_damaged(dir: &Path, keep: usize) -> Result<()> {
    let files = damaged(dir)?;
    let extra = files.len().saturating_sub(keep.max(1));
    for f in &files[..extra] {
        std::fs::remove_file(f)?;
    }
    Ok(())
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

/// What backups cut short (a kill, the TUI quit during its daily backup) left behind:
/// `salesdesk-….partial` and its `-journal`, a copy killed before its check
/// (`.partial-unchecked`) or while a purge cleaned it (`.partial-scrub`). They hold the book as it was, so a purge must
/// erase them as well, and they must not pile up.
pub fn interrupted(dir: &Path) -> Result<Vec<PathBuf>> {
    match std::fs::read_dir(dir) {
        Ok(rd) => Ok(rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("salesdesk-") && n.contains(".partial"))
            })
            .collect()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(e.into()),
    }
}

/// An interrupted backup older than this is no other window's backup still being written.
const STALE: Duration = Duration::from_secs(3600);

fn prune(dir: &Path, keep: usize) -> Result<()> {
    let files = list(dir)?;
    let extra = files.len().saturating_sub(keep.max(1));
    for f in &files[..extra] {
        std::fs::remove_file(f)?;
    }
    for f in interrupted(dir)? {
        let age = std::fs::metadata(&f)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok());
        if age.is_some_and(|a| a > STALE) {
            let _ = std::fs::remove_file(f);
        }
    }
    Ok(())
}

/// Checks that `path` is a whole salesdesk book this binary can open, before it replaces one.
pub fn check_book(path: &Path) -> Result<()> {
    use rusqlite::OpenFlags;
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

impl crate::ops::Desk {
    /// `backup [PATH]`: to PATH, or else to the automatic backups folder.
    pub fn backup(&mut self, dest: Option<&Path>) -> Result<PathBuf> {
        match dest {
            Some(p) => {
                paths::refuse_book_target(self.db.path(), p, "backup")?;
                if p.is_dir() {
                    return Err(Error::input(format!(
                        "{} is a folder; name the backup file",
                        p.display()
                    )));
                }
                to_file(&self.db.conn, p)?;
                Ok(p.to_path_buf())
            }
            None => {
                let path = self
                    .db
                    .path()
                    .map(Path::to_path_buf)
                    .ok_or_else(|| Error::input("this book has no file"))?;
                match automatic_checked(
                    &self.db.conn,
                    &path,
                    "manual",
                    self.config.backup.keep as usize,
                )? {
                    Taken::Good(p) => Ok(p),
                    Taken::Damaged { aside, found } => Err(damaged_copy(&path, &aside, &found)),
                }
            }
        }
    }

    /// `restore PATH`: checks the file, keeps the book it replaces in the backups folder, then
    /// copies the file in through SQLite (so other windows see it) and upgrades it if older.
    pub fn restore(&mut self, src: &Path) -> Result<Option<PathBuf>> {
        if let Some(book) = self.db.path()
            && let Some(hit @ (paths::BookFile::Book | paths::BookFile::Side(_))) =
                paths::book_file(book, src)
        {
            let what = match hit {
                paths::BookFile::Side(s) => format!("the open book's {s} file"),
                _ => "the open book itself".to_string(),
            };
            return Err(Error::input(format!(
                "{} is {what}: a book cannot be restored from itself; name a backup file",
                src.display()
            )));
        }
        check_book(src)?;
        // Opened (and, when its pages are of another size, copied) before the book is backed
        // up: that backup may rotate out the oldest one, which may be `src`; an open file
        // stays readable.
        let (from, converted) = restore_source(&self.db, src)?;
        let kept = match self.db.path().map(Path::to_path_buf) {
            Some(path) => Some(automatic(
                &self.db.conn,
                &path,
                "before-restore",
                self.config.backup.keep as usize,
            )?),
            None => None,
        };
        let copied = (|| -> Result<()> {
            let backup = rusqlite::backup::Backup::new(&from, &mut self.db.conn)?;
            backup.run_to_completion(256, Duration::from_millis(0), None)?;
            Ok(())
        })();
        drop(from);
        if let Some(tmp) = converted {
            paths::remove_with_sides(&tmp);
        }
        copied?;
        crate::storage::migrate_open(&mut self.db)?;
        let clock = self.clock;
        self.db.write(&clock, |chg| {
            chg.barrier(format!("restoring {}", src.display()));
            Ok(())
        })?;
        Ok(kept)
    }
}

/// The connection a restore copies from. SQLite's backup cannot change the page size of a
/// book in WAL mode (it fails as "read-only"), so a file with pages of another size is first
/// copied with `VACUUM INTO` at the book's page size, into a private temporary file beside
/// the backups (returned, to be removed).
fn restore_source(db: &crate::storage::Db, src: &Path) -> Result<(Connection, Option<PathBuf>)> {
    use rusqlite::OpenFlags;
    let open = |p: &Path| {
        Connection::open_with_flags(
            p,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| Error::input(format!("{} cannot be restored: {e}", src.display())))
    };
    let from = open(src)?;
    let size = |c: &Connection| c.query_row("PRAGMA page_size", [], |r| r.get::<_, i64>(0));
    let book_size = size(&db.conn)?;
    if size(&from)? == book_size {
        return Ok((from, None));
    }
    let dir = match db.path() {
        Some(p) => paths::backups_dir(p),
        None => std::env::temp_dir(),
    };
    paths::private_dir(&dir)?;
    let tmp = dir.join(format!("salesdesk-restore-{}.partial", std::process::id()));
    paths::remove_with_sides(&tmp);
    paths::private_file(&tmp)?;
    let converted = (|| -> Result<Connection> {
        from.pragma_update(None, "page_size", book_size)?;
        from.execute("VACUUM INTO ?1", [tmp.to_string_lossy()])?;
        drop(from);
        open(&tmp)
    })();
    match converted {
        Ok(c) => Ok((c, Some(tmp))),
        Err(e) => {
            paths::remove_with_sides(&tmp);
            Err(e)
        }
    }
}

/// The day's automatic backup, if none was taken today. The TUI calls this once after its
/// first frame, on a thread of its own with its own connection: never a CLI command, which
/// must stay instant. Setting `stop` abandons it (see `to_file_unless`).
pub fn daily_if_due(db_path: &Path, keep: usize, stop: &AtomicBool) -> Result<Option<PathBuf>> {
    let dir = paths::backups_dir(db_path);
    let today = chrono::Local::now().format("salesdesk-%Y%m%d-").to_string();
    let taken_today = list(&dir)?.iter().any(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with(&today))
    });
    if taken_today {
        return Ok(None);
    }
    let db = crate::storage::Db::open(db_path)?;
    match automatic_unless(&db.conn, db_path, "daily", keep, Some(stop))? {
        Taken::Good(p) => Ok(Some(p)),
        Taken::Damaged { aside, found } => Err(damaged_copy(db_path, &aside, &found)),
    }
}

/// A backup whose copy failed its check: the command fails, saying what is kept.
fn damaged_copy(book: &Path, aside: &Path, found: &str) -> Error {
    Error::env(format!(
        "the book is damaged ({found}); its copy is kept aside as {} and not counted as a \
         backup, so the good backups in {} are all kept; `salesdesk db check` says where",
        aside.display(),
        paths::backups_dir(book).display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interrupted_backups_do_not_pile_up() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("book.db");
        let conn = crate::storage::Db::open(&db).unwrap();
        let backups = paths::backups_dir(&db);
        paths::private_dir(&backups).unwrap();
        let old = backups.join("salesdesk-20260101-090000-daily.partial");
        let fresh = backups.join("salesdesk-20260102-090000-daily.partial");
        for p in [&old, &fresh] {
            std::fs::write(p, b"half a book").unwrap();
        }
        let hours_ago = std::time::SystemTime::now() - Duration::from_secs(2 * 3600);
        std::fs::File::options()
            .write(true)
            .open(&old)
            .unwrap()
            .set_modified(hours_ago)
            .unwrap();
        // Another window is still writing the fresh one: it holds its lock.
        let writer = std::fs::File::open(&fresh).unwrap();
        rustix::fs::flock(&writer, rustix::fs::FlockOperation::LockExclusive).unwrap();
        automatic(&conn.conn, &db, "manual", 3).unwrap();
        assert_eq!(interrupted(&backups).unwrap(), vec![fresh.clone()]);
        // Once its writer is gone (killed: the lock goes with the process), the next backup
        // sweeps it, and SQLite's journal of it.
        drop(writer);
        std::fs::write(
            backups.join("salesdesk-20260102-090000-daily.partial-journal"),
            b"j",
        )
        .unwrap();
        automatic(&conn.conn, &db, "manual", 3).unwrap();
        assert_eq!(interrupted(&backups).unwrap(), Vec::<PathBuf>::new());
    }

    #[test]
    fn daily_backup_once_a_day_and_keeps_the_newest() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("book.db");
        crate::storage::Db::open(&db).unwrap();
        let go = AtomicBool::new(false);
        let first = daily_if_due(&db, 3, &go).unwrap();
        assert!(first.is_some());
        assert_eq!(daily_if_due(&db, 3, &go).unwrap(), None, "once a day");
        let backups = paths::backups_dir(&db);
        // older days' backups beyond `keep` are pruned, newest kept
        for day in ["20260101", "20260102", "20260103", "20260104"] {
            std::fs::write(
                backups.join(format!("salesdesk-{day}-090000-daily.db")),
                b"x",
            )
            .unwrap();
        }
        prune(&backups, 3).unwrap();
        let left: Vec<String> = list(&backups)
            .unwrap()
            .iter()
            .filter_map(|p| p.file_name()?.to_str().map(String::from))
            .collect();
        assert_eq!(left.len(), 3);
        assert!(left.iter().any(|n| n.ends_with("-daily.db")
            && n.contains(&chrono::Local::now().format("%Y%m%d").to_string())));
        // no half file is left under a name restore would take
        assert!(
            list(&backups)
                .unwrap()
                .iter()
                .all(|p| p.extension().is_some_and(|e| e == "db"))
        );
    }

    #[test]
    fn a_backup_is_a_whole_checked_book() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("book.db");
        let d = crate::storage::Db::open(&db).unwrap();
        let dest = dir.path().join("copy.db");
        to_file(&d.conn, &dest).unwrap();
        check_book(&dest).unwrap();
        assert!(!dest.with_extension("partial").exists());
    }

    #[test]
    fn a_stopped_backup_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("book.db");
        let d = crate::storage::Db::open(&db).unwrap();
        // More pages than one step copies, so the stop is seen mid-way.
        d.conn
            .execute_batch(
                "CREATE TABLE filler(x); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1
                 FROM n WHERE i < 2000) INSERT INTO filler SELECT randomblob(2000) FROM n;",
            )
            .unwrap();
        let stop = AtomicBool::new(true);
        let err = daily_if_due(&db, 3, &stop).unwrap_err();
        assert!(err.to_string().contains("stopped"), "{err}");
        let backups = paths::backups_dir(&db);
        assert_eq!(list(&backups).unwrap(), Vec::<PathBuf>::new());
        assert_eq!(interrupted(&backups).unwrap(), Vec::<PathBuf>::new());
    }
}
