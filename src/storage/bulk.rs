//! Bulk loads (import, the generator): the full-text indexes are filled once at the end.
//!
//! Each row that an `AFTER INSERT` trigger indexes makes FTS5 flush a tiny segment at the
//! statement's savepoint and merge it later: most of the cost of loading many rows. Inside a
//! bulk load those triggers are dropped (in the load's own transaction, so no other connection
//! ever sees them missing and a failed load puts them back with its rollback), and `finish`
//! indexes every row added since `begin`, a few thousand rows a statement, then restores them.
//!
//! Rows added during a bulk load may be updated (their update triggers index them, and
//! `finish` skips what is already indexed), but notes added during it must not be edited or
//! deleted before `finish`: the notes index reads its content from the notes table.

use rusqlite::{Connection, OptionalExtension};

use crate::error::{Error, Result};
use crate::storage::expand_fold;
use crate::storage::sql;
use crate::storage::{Importing, Unlogged};

const TRIGGERS: &[&str] = &[
    "contacts_fts_ai",
    "companies_fts_ai",
    "deals_fts_ai",
    "notes_fts_ai",
];

#[derive(Debug)]
pub struct BulkLoad {
    contacts: i64,
    companies: i64,
    deals: i64,
    notes: i64,
    dropped: Vec<String>,
    server: bool,
}

fn max_id(chg: &Connection, table: &str) -> Result<i64> {
    Ok(chg.query_row(
        &format!("SELECT coalesce(max(id), 0) FROM {table}"),
        [],
        |r| r.get(0),
    )?)
}

impl BulkLoad {
    /// Suspends the full-text triggers for a load undo cannot cross (a generated book).
    pub fn begin(w: &mut Unlogged<'_>) -> Result<BulkLoad> {
        if w.tx().pg().is_some() {
            return Self::on_server(w.tx(), "index");
        }
        Self::suspend(w.tx().lite(), TRIGGERS)
    }

    /// Like [`BulkLoad::begin`] for an import, and `contacts_ai` is suspended too: the import
    /// writes the `contact_keys` rows of every contact it inserts itself ([`contacts::keys`],
    /// many rows a statement), which costs a fraction of the trigger's three `json_each`
    /// inserts a row.
    ///
    /// [`contacts::keys`]: crate::storage::contacts::keys
    pub(super) fn begin_import(imp: &mut Importing<'_>) -> Result<BulkLoad> {
        if imp.tx().pg().is_some() {
            return Self::on_server(imp.tx(), "import");
        }
        let mut triggers = TRIGGERS.to_vec();
        triggers.push("contacts_ai");
        Self::suspend(imp.tx().lite(), &triggers)
    }

    /// For a JSON restore on a server, as [`BulkLoad::begin_import`]: the restore writes the
    /// contacts' keys itself. `None` on SQLite, whose restore is fast row by row as it is.
    pub(super) fn begin_restore(imp: &mut Importing<'_>) -> Result<Option<BulkLoad>> {
        if imp.tx().pg().is_none() {
            return Ok(None);
        }
        Self::on_server(imp.tx(), "import").map(Some)
    }

    /// On a server the triggers stay, but skip their work for the rest of this transaction
    /// (`salesdesk.bulk`, read by their WHEN: `index` the search rows, `import` the keys
    /// too): dropping or disabling one needs the table's owner, which a team's rep is not.
    fn on_server(tx: &sql::Conn, what: &str) -> Result<BulkLoad> {
        tx.execute_batch(&format!("SET LOCAL salesdesk.bulk = '{what}'"))?;
        // Plans for the tables as they are now, at every execution: a plan cached while a
        // table was empty (a scan is cheapest then) would scan it again for every row as the
        // load fills it, and no ANALYZE can see rows this transaction has not committed.
        tx.execute_batch("SET LOCAL plan_cache_mode = force_custom_plan")?;
        let max = |t: &str| -> Result<i64> {
            Ok(
                tx.query_row(&format!("SELECT coalesce(max(id), 0) FROM {t}"), (), |r| {
                    r.get(0)
                })?,
            )
        };
        Ok(BulkLoad {
            contacts: max("contacts")?,
            companies: 0,
            deals: max("deals")?,
            notes: max("notes")?,
            dropped: Vec::new(),
            server: true,
        })
    }

    /// Indexes on the server what the load added, the triggers back on.
    fn index_on_server(self, tx: &sql::Conn) -> Result<()> {
        tx.execute_batch("SET LOCAL salesdesk.bulk = ''")?;
        tx.query_row(
            "SELECT salesdesk_index_contacts(?1, (SELECT coalesce(max(id), 0) FROM contacts)),
                    salesdesk_index_deals(?2, (SELECT coalesce(max(id), 0) FROM deals)),
                    salesdesk_index_notes(?3, (SELECT coalesce(max(id), 0) FROM notes))",
            [self.contacts, self.deals, self.notes],
            |_| Ok(()),
        )?;
        // Back to cached plans before the commit checks the deferred foreign keys: each check
        // is a saved statement run once a row written, and planning it again at each of
        // them made those checks three times slower (400,000 after a 100,000-row import).
        tx.execute_batch("SET LOCAL plan_cache_mode = DEFAULT")?;
        Ok(())
    }

    /// Indexes every row added since `begin` and puts the triggers back.
    pub fn finish(self, w: &mut Unlogged<'_>) -> Result<()> {
        if self.server {
            return self.index_on_server(w.tx());
        }
        self.index(w.tx().lite())
    }

    pub(super) fn finish_import(self, imp: &mut Importing<'_>) -> Result<()> {
        if self.server {
            return self.index_on_server(imp.tx());
        }
        self.index(imp.tx().lite())
    }

    fn suspend(chg: &Connection, triggers: &[&str]) -> Result<BulkLoad> {
        let mut dropped = Vec::new();
        for name in triggers {
            let sql: Option<String> = chg
                .query_row(
                    "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1",
                    [name],
                    |r| r.get(0),
                )
                .optional()?;
            let sql =
                sql.ok_or_else(|| Error::env(format!("the book lacks its trigger {name}")))?;
            chg.execute_batch(&format!("DROP TRIGGER {name}"))?;
            dropped.push(sql);
        }
        Ok(BulkLoad {
            contacts: max_id(chg, "contacts")?,
            companies: max_id(chg, "companies")?,
            deals: max_id(chg, "deals")?,
            notes: max_id(chg, "notes")?,
            dropped,
            server: false,
        })
    }

    /// Indexes every row added since `begin` and puts the triggers back. Rows the update
    /// triggers already indexed during the load are skipped.
    fn index(self, chg: &Connection) -> Result<()> {
        let contacts_now = max_id(chg, "contacts")?;
        for (lo, hi) in spans(self.contacts, contacts_now) {
            chg.execute(&expand_fold(
                "INSERT INTO contacts_fts(rowid, name, company, title, emails, phones, tags)
                 SELECT c.id, FOLD[c.name], (SELECT FOLD[name] FROM companies WHERE id = c.company_id), FOLD[c.title],
                   (SELECT group_concat(value, ' ') FROM json_each(c.emails)),
                   (SELECT group_concat(value, ' ') FROM json_each(c.phones)),
                   (SELECT group_concat(value, ' ') FROM json_each(FOLD[c.tags]))
                 FROM contacts c
                 WHERE c.id > ?1 AND c.id <= ?2
                   AND c.id NOT IN (SELECT rowid FROM contacts_fts WHERE rowid > ?1 AND rowid <= ?2)"),
                [lo, hi],
            )?;
            chg.execute(&expand_fold(
                "INSERT INTO contacts_tri(rowid, name, emails, phones)
                 SELECT c.id, FOLD[c.name],
                   (SELECT group_concat(value, ' ') FROM json_each(c.emails)),
                   (SELECT group_concat(value || ' ' || replace(replace(replace(replace(replace(replace(value,' ',''),'-',''),'(',''),')',''),'.',''),'+',''), ' ') FROM json_each(c.phones))
                 FROM contacts c
                 WHERE c.id > ?1 AND c.id <= ?2
                   AND c.id NOT IN (SELECT rowid FROM contacts_tri WHERE rowid > ?1 AND rowid <= ?2)"),
                [lo, hi],
            )?;
        }
        chg.execute(
            &expand_fold(
                "INSERT INTO companies_fts(rowid, name) SELECT id, FOLD[name] FROM companies
             WHERE id > ?1 AND id NOT IN (SELECT rowid FROM companies_fts WHERE rowid > ?1)",
            ),
            [self.companies],
        )?;
        chg.execute(
            &expand_fold(
                "INSERT INTO deals_fts(rowid, title, contact, company)
             SELECT d.id, FOLD[d.title], FOLD[c.name], (SELECT FOLD[name] FROM companies WHERE id = c.company_id)
             FROM deals d JOIN contacts c ON c.id = d.contact_id
             WHERE d.id > ?1 AND d.id NOT IN (SELECT rowid FROM deals_fts WHERE rowid > ?1)",
            ),
            [self.deals],
        )?;
        let notes_now = max_id(chg, "notes")?;
        for (lo, hi) in spans(self.notes, notes_now) {
            chg.execute(
                &expand_fold(
                    "INSERT INTO notes_fts(rowid, body) SELECT id, FOLD[body] FROM notes
                 WHERE id > ?1 AND id <= ?2",
                ),
                [lo, hi],
            )?;
        }
        for sql in &self.dropped {
            chg.execute_batch(sql)?;
        }
        Ok(())
    }
}

/// Rows indexed a statement. A statement that makes SQLite spill a page dirtied earlier in
/// the transaction copies it to the statement journal first (in memory: `temp_store`), so
/// one statement indexing 100,000 imported contacts held ~30 MB, in step with the page
/// cache. FTS5 writes a segment at every statement, so much smaller spans would leave many
/// small segments to merge, which is what made indexing each batch as it was written slow.
const SPAN: i64 = 5_000;

/// The id ranges `(lo, hi]` covering `(from, to]`, `SPAN` ids each.
fn spans(from: i64, to: i64) -> impl Iterator<Item = (i64, i64)> {
    (from..to)
        .step_by(SPAN as usize)
        .map(move |lo| (lo, (lo + SPAN).min(to)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Clock;
    use crate::domain::contact::ContactFields;
    use crate::domain::note::NoteKind;
    use crate::storage::contacts;
    use crate::storage::{Db, notes, search};

    #[test]
    fn a_bulk_load_is_searchable_and_restores_its_triggers() {
        let mut db = Db::open_in_memory().unwrap();
        let clock = Clock::parse("2026-11-23T09:00:00+00:00").unwrap();
        let triggers = |db: &Db| -> i64 {
            db.conn
                .lite()
                .query_row(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'",
                    [],
                    |r| r.get(0),
                )
                .unwrap()
        };
        let before = triggers(&db);
        let name = |n: &str| ContactFields {
            name: Some(n.into()),
            company: Some(Some("Acme".into())),
            ..Default::default()
        };
        db.write(&clock, |chg| contacts::insert(chg, &name("Old Timer")))
            .unwrap();
        db.write_barrier(&clock, "test load", |chg| {
            let bulk = BulkLoad::begin(chg)?;
            let id = contacts::insert(chg, &name("Ana Pereira"))?;
            // updated during the load: its update trigger indexes it, finish must not again
            contacts::update(
                chg,
                id,
                &ContactFields {
                    title: Some(Some("CFO".into())),
                    ..Default::default()
                },
                None,
            )?;
            let bob = contacts::insert(chg, &name("Bob Stone"))?;
            notes::insert(
                chg,
                &crate::domain::note::NewNote {
                    contact_id: bob,
                    deal_id: None,
                    kind: NoteKind::Call,
                    outcome: None,
                    body: "zebra pricing".into(),
                    private: false,
                },
            )?;
            bulk.finish(chg)
        })
        .unwrap();
        assert_eq!(triggers(&db), before);
        let hits = search::search(crate::storage::Snapshot::of(&db.conn), "ana", 10).unwrap();
        assert_eq!(
            hits.iter().filter(|h| h.title == "Ana Pereira").count(),
            1,
            "{hits:?}"
        );
        assert_eq!(
            search::search(crate::storage::Snapshot::of(&db.conn), "zebra", 10)
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            search::search(crate::storage::Snapshot::of(&db.conn), "old", 10)
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            search::contact_ids(crate::storage::Snapshot::of(&db.conn), "tone", 10)
                .unwrap()
                .len(),
            1,
            "trigram index filled"
        );
        for t in [
            "notes_fts",
            "contacts_fts",
            "contacts_tri",
            "companies_fts",
            "deals_fts",
        ] {
            db.conn
                .lite()
                .execute(
                    &format!("INSERT INTO {t}({t}) VALUES ('integrity-check')"),
                    [],
                )
                .unwrap();
        }
        // and rows added afterwards are indexed by the restored triggers
        db.write(&clock, |chg| contacts::insert(chg, &name("Cleo Park")))
            .unwrap();
        assert_eq!(
            search::search(crate::storage::Snapshot::of(&db.conn), "cleo", 10)
                .unwrap()
                .len(),
            1
        );
    }
}
