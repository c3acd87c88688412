//! Erasing a person for a deletion request: every row tied to them, their traces in the
//! full-text indexes and the undo log, the freed pages zeroed, the WAL emptied, and the person
//! taken out of each automatic backup (the rest of each kept: a `before-demo` or
//! `before-restore` copy may hold the only copy of other people's data).
//!
//! The steps cannot be one transaction (VACUUM, checkpoints, other files), so the erasure is
//! first recorded in the book (`meta`, `purge_pending:<id>`) and the record removed only once
//! every step is done. A purge killed at any moment, or stopped by a full disk or a reader,
//! is finished by the next command that opens the book (`finish_pending`).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{Error, Result};
use crate::ops::Desk;
use crate::ops::purge_backups::{self, Erasure, PENDING_PREFIX};
use crate::storage::contacts;

/// How long a purge waits for other connections to finish reading the book: until they do,
/// the old pages (the person's bytes) stay in the book and its -wal.
pub const READERS_WAIT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone)]
pub struct Purged {
    pub name: String,
    pub deals: usize,
    pub notes: usize,
    pub follow_ups: usize,
    /// Automatic backups the person was taken out of.
    pub backups_cleaned: usize,
    /// Files removed instead: half-written copies, copies too damaged to clean.
    pub removed: Vec<PathBuf>,
}

impl Desk {
    pub fn purge_contact(&mut self, id: i64) -> Result<Purged> {
        self.purge_contact_saying(id, &mut |_| {})
    }

    /// As `purge_contact`; `say` hears that the purge is waiting for another reader.
    pub fn purge_contact_saying(&mut self, id: i64, say: &mut dyn FnMut(&str)) -> Result<Purged> {
        let c = contacts::get(&self.db.conn, id)?;
        let who = Erasure {
            id,
            name: c.name.clone(),
            emails: c.emails.clone(),
        };
        self.db.conn.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)",
            params![who.meta_key(), serde_json::to_string(&who)?],
        )?;
        // Readers first: with one holding an old snapshot the checkpoint cannot empty the
        // -wal, so nothing is erased until none is left (or the purge is refused unchanged).
        if !self.checkpoint_waiting(say)? {
            self.db
                .conn
                .execute("DELETE FROM meta WHERE key = ?1", [who.meta_key()])?;
            return Err(Error::env(format!(
                "another salesdesk (a window or a command) is reading {}, so the purge would leave \
                 the person's bytes in it; close it and purge again (nothing was erased)",
                self.book_name()
            )));
        }
        self.erase(&who, say)
    }

    /// Finishes purges an earlier command recorded but did not complete (killed, disk full,
    /// a reader in the way). Cheap when there are none: one lookup in `meta`.
    pub fn finish_pending(&mut self, say: &mut dyn FnMut(&str)) -> Result<Vec<Purged>> {
        let pending = crate::storage::lookups::meta_values_in(
            &self.db.conn,
            PENDING_PREFIX,
            "purge_pending;",
        )?;
        let mut done = Vec::new();
        for v in pending {
            let who: Erasure = serde_json::from_str(&v)
                .map_err(|e| Error::env(format!("the book holds a damaged purge record: {e}")))?;
            done.push(self.erase(&who, say)?);
        }
        Ok(done)
    }

    /// Every step of the erasure; each one finds its work done when it was, so running this
    /// again after a kill at any point finishes the job.
    fn erase(&mut self, who: &Erasure, say: &mut dyn FnMut(&str)) -> Result<Purged> {
        // Freed pages are overwritten with zeros, so deleted text is not left in the file.
        self.db.conn.pragma_update(None, "secure_delete", "ON")?;
        let id = who.id;
        let clock = self.clock;
        let mut purged = self.db.write(&clock, |chg| {
            let here: Option<(String, String)> = chg
                .query_row(
                    "SELECT name, emails FROM contacts WHERE id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let mut purged = Purged {
                name: who.name.clone(),
                deals: 0,
                notes: 0,
                follow_ups: 0,
                backups_cleaned: 0,
                removed: Vec::new(),
            };
            // Gone already (an earlier run got this far), or the id is now someone else's
            // (a restore since): nothing of this book's rows is the person's.
            if !here.is_some_and(|(n, e)| who.matches(&n, Some(&e))) {
                return Ok(purged);
            }
            let company: Option<i64> =
                chg.query_row("SELECT company_id FROM contacts WHERE id = ?1", [id], |r| {
                    r.get(0)
                })?;
            chg.barrier(format!("purging contact #{id}"));
            let deal_ids: Vec<i64> = {
                let mut s = chg.prepare("SELECT id FROM deals WHERE contact_id = ?1")?;
                s.query_map([id], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?
            };
            purged.notes = chg.exec("DELETE FROM notes WHERE contact_id = ?1", [id])?;
            purged.follow_ups = chg.exec("DELETE FROM follow_ups WHERE contact_id = ?1", [id])?;
            for d in &deal_ids {
                // Rows of other contacts that pointed at the deal keep themselves, not the link.
                chg.exec("UPDATE notes SET deal_id = NULL WHERE deal_id = ?1", params![d])?;
                chg.exec("UPDATE follow_ups SET deal_id = NULL WHERE deal_id = ?1", params![d])?;
                chg.exec("DELETE FROM deal_events WHERE deal_id = ?1", params![d])?;
                chg.exec("DELETE FROM deals WHERE id = ?1", params![d])?;
            }
            chg.exec("DELETE FROM contacts WHERE id = ?1", [id])?;
            // A company left with nobody in it was known through this person alone.
            if let Some(co) = company {
                chg.exec(
                    "DELETE FROM companies WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM contacts WHERE company_id = ?1)",
                    [co],
                )?;
            }
            purged.deals = deal_ids.len();
            Ok(purged)
        })?;
        self.scrub_book(say)?;
        if let Some(book) = self.db.path().map(|p| p.to_path_buf()) {
            let b = purge_backups::erase(&book, who)?;
            purged.backups_cleaned = b.cleaned;
            purged.removed = b.removed;
        }
        // Last, the record itself (it holds the name and emails), zeroed and checkpointed out.
        self.db
            .conn
            .execute("DELETE FROM meta WHERE key = ?1", [who.meta_key()])?;
        if !self.checkpoint_waiting(say)? {
            return Err(self.readers_in_the_way());
        }
        Ok(purged)
    }

    /// Merges the full-text segments, rewrites the file, and empties the -wal into it.
    fn scrub_book(&mut self, say: &mut dyn FnMut(&str)) -> Result<()> {
        for t in [
            "notes_fts",
            "contacts_fts",
            "contacts_tri",
            "companies_fts",
            "deals_fts",
        ] {
            self.db
                .conn
                .execute(&format!("INSERT INTO {t}({t}) VALUES ('optimize')"), [])?;
        }
        self.db.conn.execute_batch("VACUUM")?;
        if !self.checkpoint_waiting(say)? {
            return Err(self.readers_in_the_way());
        }
        Ok(())
    }

    fn readers_in_the_way(&self) -> Error {
        Error::env(format!(
            "the person's rows are erased, but another salesdesk (a window or a command) is still \
             reading {}, so their bytes stay in it until that one closes; the erasure is recorded \
             and the next salesdesk command finishes it",
            self.book_name()
        ))
    }

    fn book_name(&self) -> String {
        self.db
            .path()
            .map_or_else(|| "the book".into(), |p| p.display().to_string())
    }

    /// Checkpoints the -wal into the book and truncates it, waiting up to `READERS_WAIT` for
    /// readers that hold older pages. False when they still do.
    fn checkpoint_waiting(&mut self, say: &mut dyn FnMut(&str)) -> Result<bool> {
        if self.db.path().is_none() {
            return Ok(true);
        }
        // Polled here rather than in SQLite's busy handler, so the wait can be said.
        self.db.conn.busy_timeout(Duration::ZERO)?;
        let done = wait_for_checkpoint(&self.db.conn, READERS_WAIT, &mut || {
            say(&format!(
                "another salesdesk is reading the book; waiting up to {} s for it to finish",
                READERS_WAIT.as_secs()
            ))
        });
        self.db.conn.busy_timeout(Duration::from_secs(5))?;
        done
    }
}

fn wait_for_checkpoint(
    conn: &Connection,
    wait: Duration,
    waiting: &mut dyn FnMut(),
) -> Result<bool> {
    let deadline = Instant::now() + wait;
    let mut said = false;
    loop {
        let r = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
            ))
        });
        let complete = match r {
            Ok((busy, log, done)) => busy == 0 && log == done,
            Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) => false,
            Err(e) => return Err(e.into()),
        };
        if complete {
            return Ok(true);
        }
        if Instant::now() >= deadline {
            return Ok(false);
        }
        if !said {
            waiting();
            said = true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
