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
use std::time::Duration;

use crate::error::{Error, Result};
use crate::ops::Desk;
use crate::ops::purge_backups::{self, Erasure, PENDING_PREFIX};
use crate::storage::{contacts, purge};

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
        let c = self.db.read(|r| contacts::get(r, id))?;
        let who = Erasure {
            id,
            name: c.name.clone(),
            emails: c.emails.clone(),
        };
        self.db
            .meta_set(&who.meta_key(), &serde_json::to_string(&who)?)?;
        // Readers first: with one holding an old snapshot the checkpoint cannot empty the
        // -wal, so nothing is erased until none is left (or the purge is refused unchanged).
        if !self.checkpoint_waiting(say)? {
            self.db.meta_delete(&who.meta_key())?;
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
        let pending = self.db.peek(|r| {
            crate::storage::lookups::meta_values_in(r, PENDING_PREFIX, "purge_pending;")
        })?;
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
        self.db.zero_freed_pages()?;
        let id = who.id;
        let clock = self.clock;
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
        let here = self.db.read(|r| purge::name_and_emails(r, id))?;
        if here.is_some_and(|(n, e)| who.matches(&n, Some(&e))) {
            let erased = self
                .db
                .write_barrier(&clock, format!("purging contact #{id}"), |w| {
                    purge::erase_contact(w, id)
                })?;
            purged.deals = erased.deals;
            purged.notes = erased.notes;
            purged.follow_ups = erased.follow_ups;
        }
        self.scrub_book(say)?;
        if let Some(book) = self.db.path().map(|p| p.to_path_buf()) {
            let b = purge_backups::erase(&book, who)?;
            purged.backups_cleaned = b.cleaned;
            purged.removed = b.removed;
        }
        // Last, the record itself (it holds the name and emails), zeroed and checkpointed out.
        self.db.meta_delete(&who.meta_key())?;
        if !self.checkpoint_waiting(say)? {
            return Err(self.readers_in_the_way());
        }
        Ok(purged)
    }

    /// Merges the full-text segments, rewrites the file, and empties the -wal into it.
    fn scrub_book(&mut self, say: &mut dyn FnMut(&str)) -> Result<()> {
        self.db.rewrite()?;
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
        self.db.checkpoint_waiting(READERS_WAIT, &mut || {
            say(&format!(
                "another salesdesk is reading the book; waiting up to {} s for it to finish",
                READERS_WAIT.as_secs()
            ))
        })
    }
}
