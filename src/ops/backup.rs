//! When the book is backed up and how many copies are kept: `backup [PATH]`, `restore PATH`,
//! the TUI's daily backup. The copying, checking and placing is `storage::backup`'s.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use crate::error::{Error, Result};
use crate::paths;
use crate::storage::Db;
pub use crate::storage::backup::{Taken, check_book, check_copy, damaged, interrupted, list};

/// An automatic backup in the data folder's `backups/`, keeping the newest `keep` good ones.
/// A copy that fails its check is kept aside and the damage recorded beside the book; its
/// path is returned all the same (restore and demo go on: the damaged book is what they
/// replace).
pub fn automatic(db: &Db, label: &str, keep: usize) -> Result<PathBuf> {
    Ok(match db.backup_automatic(label, keep, None)? {
        Taken::Good(p) => p,
        Taken::Damaged { aside, .. } => aside,
    })
}

impl crate::ops::Desk {
    /// `backup [PATH]`: to PATH, or else to the automatic backups folder.
    pub fn backup(&mut self, dest: Option<&Path>) -> Result<PathBuf> {
        self.refuse_on_server("backup", "pg_dump -Fc -f FILE DBNAME")?;
        match dest {
            Some(p) => {
                paths::refuse_book_target(self.db.path(), p, "backup")?;
                if p.is_dir() {
                    return Err(Error::input(format!(
                        "{} is a folder; name the backup file",
                        p.display()
                    )));
                }
                self.db.backup_to(p)?;
                Ok(p.to_path_buf())
            }
            None => {
                let path = self
                    .db
                    .path()
                    .map(Path::to_path_buf)
                    .ok_or_else(|| Error::input("this book has no file"))?;
                match self
                    .db
                    .backup_automatic("manual", self.config.backup.keep as usize, None)?
                {
                    Taken::Good(p) => Ok(p),
                    Taken::Damaged { aside, found } => Err(damaged_copy(&path, &aside, &found)),
                }
            }
        }
    }

    /// `restore PATH`: checks the file, keeps the book it replaces in the backups folder, then
    /// copies the file in through SQLite (so other windows see it) and upgrades it if older.
    pub fn restore(&mut self, src: &Path) -> Result<Option<PathBuf>> {
        self.refuse_on_server("restore", "pg_restore --clean -d DBNAME FILE")?;
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
        let source = crate::storage::backup::Source::open(&self.db, src)?;
        let kept = match self.db.path() {
            Some(_) => Some(automatic(
                &self.db,
                "before-restore",
                self.config.backup.keep as usize,
            )?),
            None => None,
        };
        let clock = self.clock;
        self.db
            .restore_from(source, &clock, format!("restoring {}", src.display()))?;
        Ok(kept)
    }
}

impl crate::ops::Desk {
    /// A server book is backed up and restored by the server's own tools, as its admin runs
    /// them for every database there: `backup` and `restore` say which (exit 2).
    fn refuse_on_server(&self, what: &str, tool: &str) -> Result<()> {
        if self.db.on_server() {
            return Err(Error::input(format!(
                "`{what}` works on a book in a file; a book on a PostgreSQL server is backed up \
                 and restored with the server's tools: `{tool}`"
            )));
        }
        Ok(())
    }
}

/// The day's automatic backup, if none was taken today. The TUI calls this once after its
/// first frame, on a thread of its own with its own connection: never a CLI command, which
/// must stay instant. Setting `stop` abandons it (see `to_file_unless`).
pub fn daily_if_due(db_path: &Path, keep: usize, stop: &AtomicBool) -> Result<Option<PathBuf>> {
    if paths::is_server(db_path) {
        return Ok(None);
    }
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
    match db.backup_automatic("daily", keep, Some(stop))? {
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
        let hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 3600);
        std::fs::File::options()
            .write(true)
            .open(&old)
            .unwrap()
            .set_modified(hours_ago)
            .unwrap();
        // Another window is still writing the fresh one: it holds its lock.
        let writer = std::fs::File::open(&fresh).unwrap();
        rustix::fs::flock(&writer, rustix::fs::FlockOperation::LockExclusive).unwrap();
        automatic(&conn, "manual", 3).unwrap();
        assert_eq!(interrupted(&backups).unwrap(), vec![fresh.clone()]);
        // Once its writer is gone (killed: the lock goes with the process), the next backup
        // sweeps it, and SQLite's journal of it.
        drop(writer);
        std::fs::write(
            backups.join("salesdesk-20260102-090000-daily.partial-journal"),
            b"j",
        )
        .unwrap();
        automatic(&conn, "manual", 3).unwrap();
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
        crate::storage::backup::prune(&backups, 3).unwrap();
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
        d.backup_to(&dest).unwrap();
        check_book(&dest).unwrap();
        assert!(!dest.with_extension("partial").exists());
    }

    #[test]
    fn a_stopped_backup_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("book.db");
        let d = crate::storage::Db::open(&db).unwrap();
        // More pages than one step copies, so the stop is seen mid-way.
        let mut d = d;
        let clock = crate::clock::Clock::parse("2026-11-23T09:00:00+00:00").unwrap();
        d.write(&clock, |chg| {
            let f = crate::domain::contact::ContactFields {
                name: Some("Filler".into()),
                ..Default::default()
            };
            let contact_id = crate::storage::contacts::insert(chg, &f)?;
            for i in 0..2000 {
                let n = crate::domain::note::NewNote {
                    contact_id,
                    deal_id: None,
                    kind: crate::domain::note::NoteKind::Note,
                    outcome: None,
                    body: format!("{i} {}", "filler ".repeat(300)),
                    private: false,
                };
                crate::storage::notes::insert(chg, &n)?;
            }
            Ok(())
        })
        .unwrap();
        let stop = AtomicBool::new(true);
        let err = daily_if_due(&db, 3, &stop).unwrap_err();
        assert!(err.to_string().contains("stopped"), "{err}");
        let backups = paths::backups_dir(&db);
        assert_eq!(list(&backups).unwrap(), Vec::<PathBuf>::new());
        assert_eq!(interrupted(&backups).unwrap(), Vec::<PathBuf>::new());
    }
}
