//! Erasing a person for a deletion request: every row tied to them, their traces in the
//! full-text indexes and the undo log, the freed pages zeroed, the WAL emptied, and the
//! automatic backups replaced by one taken after the purge.

use rusqlite::params;

use crate::error::Result;
use crate::ops::Desk;
use crate::storage::contacts;

#[derive(Debug, Clone)]
pub struct Purged {
    pub name: String,
    pub deals: usize,
    pub notes: usize,
    pub follow_ups: usize,
    /// The backup taken after the purge, when the book is a file.
    pub backup: Option<std::path::PathBuf>,
}

impl Desk {
    pub fn purge_contact(&mut self, id: i64) -> Result<Purged> {
        // Freed pages are overwritten with zeros, so deleted text is not left in the file.
        self.db.conn.pragma_update(None, "secure_delete", "ON")?;
        let clock = self.clock;
        let mut purged = self.db.write(&clock, |chg| {
            let c = contacts::get(chg, id)?;
            chg.barrier(format!("purging contact #{id}"));
            let deal_ids: Vec<i64> = {
                let mut s = chg.prepare("SELECT id FROM deals WHERE contact_id = ?1")?;
                s.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?
            };
            let notes = chg.exec("DELETE FROM notes WHERE contact_id = ?1", [id])?;
            let follow_ups = chg.exec("DELETE FROM follow_ups WHERE contact_id = ?1", [id])?;
            for d in &deal_ids {
                // Rows of other contacts that pointed at the deal keep themselves, not the link.
                chg.exec("UPDATE notes SET deal_id = NULL WHERE deal_id = ?1", params![d])?;
                chg.exec("UPDATE follow_ups SET deal_id = NULL WHERE deal_id = ?1", params![d])?;
                chg.exec("DELETE FROM deal_events WHERE deal_id = ?1", params![d])?;
                chg.exec("DELETE FROM deals WHERE id = ?1", params![d])?;
            }
            chg.exec("DELETE FROM contacts WHERE id = ?1", [id])?;
            // A company left with nobody in it was known through this person alone.
            if let Some(co) = c.company_id {
                chg.exec(
                    "DELETE FROM companies WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM contacts WHERE company_id = ?1)",
                    [co],
                )?;
            }
            Ok(Purged { name: c.name, deals: deal_ids.len(), notes, follow_ups, backup: None })
        })?;
        // Merge the full-text segments so no old segment keeps a token of the person.
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
        self.db
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        if let Some(path) = self.db.path().map(|p| p.to_path_buf()) {
            let dir = crate::paths::backups_dir(&path);
            for old in crate::ops::backup::list(&dir)?
                .into_iter()
                .chain(crate::ops::backup::interrupted(&dir)?)
            {
                match std::fs::remove_file(old) {
                    // Another window's backup finished (renamed) or gave up meanwhile.
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    r => r?,
                }
            }
            purged.backup = Some(crate::ops::backup::automatic(
                &self.db.conn,
                &path,
                "after-purge",
                self.config.backup.keep as usize,
            )?);
        }
        Ok(purged)
    }
}
