//! Copies of the book made with SQLite's backup API (never a file copy: the WAL may hold
//! committed pages). Written to a temporary name and renamed, so a kill mid-way leaves no
//! half file that a later restore could take. The facility lives here (storage backs the
//! book up before a migration); when to take one and how many to keep is `ops::backup`'s.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use rusqlite::Connection;

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::paths;
/// A copy's quick check, and whether a file is a book a restore may take.
pub use crate::storage::check::{copy as check_copy, restorable as check_book};
use crate::storage::{Db, check};

/// Copies the open book to `dest` (0600).
fn to_file(conn: &Connection, dest: &Path) -> Result<()> {
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
pub(super) fn automatic(
    conn: &Connection,
    db_path: &Path,
    label: &str,
    keep: usize,
) -> Result<PathBuf> {
    Ok(match automatic_unless(conn, db_path, label, keep, None)? {
        Taken::Good(p) => p,
        Taken::Damaged { aside, .. } => aside,
    })
}

pub(super) fn automatic_unless(
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
            record_damage(
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

pub fn prune(dir: &Path, keep: usize) -> Result<()> {
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

/// The damage record beside a book (`<book>.damaged`).
pub fn damage_record_path(book: &Path) -> PathBuf {
    let mut name = book.as_os_str().to_os_string();
    name.push(".damaged");
    PathBuf::from(name)
}

/// Records what was found (replacing an older record: the newest finding is what to read).
pub fn record_damage(book: &Path, found: &str) -> Result<()> {
    let path = damage_record_path(book);
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

/// The connection a restore copies from. SQLite's backup cannot change the page size of a
/// book in WAL mode (it fails as "read-only"), so a file with pages of another size is first
/// copied with `VACUUM INTO` at the book's page size, into a private temporary file beside
/// the backups (returned, to be removed).
fn restore_source(db: &Db, src: &Path) -> Result<(Connection, Option<PathBuf>)> {
    use rusqlite::OpenFlags;
    let open = |p: &Path| {
        Connection::open_with_flags(
            p,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| Error::input(format!("{} cannot be restored: {e}", src.display())))
    };
    let from = open(src)?;
    let book_size = check::page_size(db.conn.lite())?;
    if check::page_size(&from)? == book_size {
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

/// A checked book to restore from, opened (and, when its pages are of another size, copied)
/// before the book it replaces is backed up: that backup may rotate out the oldest one, which
/// may be the source; an open file stays readable.
pub struct Source {
    conn: Connection,
    converted: Option<PathBuf>,
}

impl Source {
    /// Checks that `src` is a whole salesdesk book this binary can open, and opens it.
    pub fn open(db: &Db, src: &Path) -> Result<Source> {
        check_book(src)?;
        let (conn, converted) = restore_source(db, src)?;
        Ok(Source { conn, converted })
    }
}

impl Db {
    /// Copies the open book to `dest` (0600).
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        to_file(self.conn.lite(), dest)
    }

    /// An automatic backup of this book in its data folder's `backups/`, keeping the newest
    /// `keep` good ones; `stop` abandons it (see `to_file_unless`).
    pub fn backup_automatic(
        &self,
        label: &str,
        keep: usize,
        stop: Option<&AtomicBool>,
    ) -> Result<Taken> {
        let path = self
            .path()
            .ok_or_else(|| Error::input("this book has no file"))?;
        automatic_unless(self.conn.lite(), path, label, keep, stop)
    }

    /// Replaces the book with `source`, through SQLite (so other windows see it), upgrades it
    /// if older, and marks the change as one undo cannot cross.
    pub fn restore_from(&mut self, source: Source, clock: &Clock, summary: String) -> Result<()> {
        let Source { conn, converted } = source;
        let copied = (|| -> Result<()> {
            let backup = rusqlite::backup::Backup::new(&conn, self.conn.lite_mut())?;
            backup.run_to_completion(256, Duration::from_millis(0), None)?;
            Ok(())
        })();
        drop(conn);
        if let Some(tmp) = converted {
            paths::remove_with_sides(&tmp);
        }
        copied?;
        crate::storage::migrate_open(self)?;
        self.write_barrier(clock, summary, |_| Ok(()))
    }
}
