//! The three ways to change the book, each its own handle:
//! - [`Db::write`]: an ordinary command, undoable. Its [`Change`] writes only through
//!   methods that keep the undo record.
//! - [`Db::write_barrier`]: a command undo cannot cross (restore, demo, purge). Its
//!   [`Unlogged`] may write rows directly, precisely because its commit clears the undo log:
//!   there is nothing left that a direct write could make undo get wrong.
//! - [`Db::import`]: an import, undone whole. The rows it adds are undone as one id range a
//!   table, so its [`Importing`] may add rows directly; the rows it merges into go through
//!   the `Change` it derefs to, which keeps their images.

use crate::storage::pg::copy::CopyRows;
use crate::storage::sql::{self, Args, Begin};

use crate::clock::Clock;
use crate::error::Result;
use crate::storage::revert::{self, Undone};
use crate::storage::undo::Change;
use crate::storage::{Db, busy};

/// A command's change that undo cannot cross: the log is cleared when it commits.
pub struct Unlogged<'c> {
    chg: Change<'c>,
}

/// An import under way: rows it adds are undone by their id range.
pub struct Importing<'c> {
    chg: Change<'c>,
}

impl Db {
    /// Runs `f` in one immediate transaction that records what it changed for undo.
    /// `summary` is what `undo` will say it undid. Nothing is written when `f` fails.
    pub fn write<T>(
        &mut self,
        clock: &Clock,
        f: impl FnOnce(&mut Change<'_>) -> Result<T>,
    ) -> Result<T> {
        let mut change = self.begin(clock)?;
        let out = f(&mut change)?;
        change.commit()?;
        Ok(out)
    }

    /// Runs `f` as a command undo cannot cross (`summary` is what a later `undo` says it
    /// stops at): older entries of the log become unreachable, so they are dropped.
    pub fn write_barrier<T>(
        &mut self,
        clock: &Clock,
        summary: impl Into<String>,
        f: impl FnOnce(&mut Unlogged<'_>) -> Result<T>,
    ) -> Result<T> {
        let mut chg = self.begin(clock)?;
        chg.barrier(summary);
        let mut w = Unlogged { chg };
        let out = f(&mut w)?;
        w.chg.commit()?;
        Ok(out)
    }

    /// Runs `f` as an import (`summary` is what `undo` will say it undid).
    pub fn import<T>(
        &mut self,
        clock: &Clock,
        summary: impl Into<String>,
        f: impl FnOnce(&mut Importing<'_>) -> Result<T>,
    ) -> Result<T> {
        let mut chg = self.begin(clock)?;
        chg.import(summary)?;
        let mut imp = Importing { chg };
        let out = f(&mut imp)?;
        imp.chg.commit()?;
        Ok(out)
    }

    /// Reverts the newest change made by any salesdesk process.
    pub fn undo(&mut self) -> Result<Undone> {
        let tx = self.conn.begin(Begin::Immediate)?;
        let out = revert::undo_last(tx.conn())?;
        tx.commit()?;
        Ok(out)
    }

    /// Runs `f` in one immediate transaction that makes no undo entry and bumps no row
    /// version: bookkeeping (what the reminders pass sent) and the last step of a schema
    /// upgrade that needs the config. Only storage writes through it.
    pub(super) fn outside_undo<T>(
        &mut self,
        f: impl FnOnce(&sql::Conn) -> sql::Result<T>,
    ) -> Result<T> {
        let tx = self
            .conn
            .begin(Begin::Immediate)
            .map_err(|e| busy::explain(e, self.path.as_deref()))?;
        let out = f(tx.conn())?;
        tx.commit()?;
        Ok(out)
    }

    fn begin(&mut self, clock: &Clock) -> Result<Change<'_>> {
        let tx = self
            .conn
            .begin(Begin::Immediate)
            .map_err(|e| busy::explain(e, self.path.as_deref()))?;
        Ok(Change::new(tx, *clock))
    }
}

impl<'c> Unlogged<'c> {
    /// Runs a write through the statement cache (a statement with triggers is compiled
    /// once). Returns the rows changed.
    pub(super) fn exec(&self, sql: &str, p: impl Args) -> Result<usize> {
        Ok(self.chg.tx().execute(sql, p)?)
    }

    pub(super) fn exec_batch(&self, sql: &str) -> Result<()> {
        Ok(self.chg.tx().execute_batch(sql)?)
    }

    /// Stamps what follows at another time: loading a history (the demo, a generated book)
    /// backdates its rows.
    pub fn set_clock(&mut self, clock: Clock) {
        self.chg.set_clock(clock);
    }
}

impl<'c> Importing<'c> {
    /// Adds rows (`sql` is an INSERT); the import's id ranges undo them. Returns the rows
    /// added.
    pub(super) fn add(&self, sql: &str, p: impl Args) -> sql::Result<usize> {
        debug_assert!(
            sql.trim_start().starts_with("INSERT"),
            "not an insert: {sql}"
        );
        self.chg.tx().prepare_cached(sql)?.execute(p)
    }

    /// Like [`Importing::add`], for a statement of a shape seen once (not worth a cache
    /// slot).
    pub(super) fn add_once(&self, sql: &str, p: impl Args) -> sql::Result<usize> {
        debug_assert!(
            sql.trim_start().starts_with("INSERT"),
            "not an insert: {sql}"
        );
        self.chg.tx().prepare(sql)?.execute(p)
    }

    /// Changes rows this import created (`sql` must say so: ids above the import's start),
    /// which its id ranges undo whole, so they need no image of their own.
    pub(super) fn change_created(&self, sql: &str, p: impl Args) -> sql::Result<usize> {
        debug_assert!(
            sql.trim_start().starts_with("UPDATE"),
            "not an update: {sql}"
        );
        self.chg.tx().prepare(sql)?.execute(p)
    }

    /// Adds rows on a server with `COPY {into} FROM STDIN` (`into`: a table and its columns),
    /// many rows in one stream; the import's id ranges undo them as they undo `add`'s.
    /// (SQLite has no COPY: its loads insert many rows a statement.)
    pub(super) fn copy(&self, into: &str, rows: &CopyRows) -> sql::Result<u64> {
        let tx = self.chg.tx();
        let Some(server) = tx.pg() else {
            return Err(sql::Error::Value(
                "COPY is PostgreSQL's, not SQLite's".into(),
            ));
        };
        let (table, columns) = match into.split_once('(') {
            Some((t, c)) => (t.trim(), c.trim_end_matches(')')),
            None => (into.trim(), "*"),
        };
        let held_to_rights: i64 = tx.query_row(
            "SELECT CASE WHEN row_security_active(CAST(CAST(?1 AS TEXT) AS regclass)) THEN 1 ELSE 0 END",
            [table],
            |r| r.get(0),
        )?;
        if held_to_rights == 0 {
            return server.copy_in(&format!("COPY {into} FROM STDIN"), rows.bytes());
        }
        // The server takes no COPY into a table whose rows it holds the user to (row-level
        // security: a team member's import). The rows go through a temporary table of the
        // same columns, then one INSERT, which the server checks as any other.
        let stage = format!("salesdesk_copy_{table}_{:08x}", fnv(columns));
        tx.execute_batch(&format!(
            "CREATE TEMP TABLE IF NOT EXISTS {stage} ON COMMIT DROP AS
               SELECT {columns} FROM {table} WITH NO DATA;
             TRUNCATE {stage}"
        ))?;
        let n = server.copy_in(&format!("COPY {stage} FROM STDIN"), rows.bytes())?;
        tx.execute(
            &format!("INSERT INTO {into} SELECT {columns} FROM {stage}"),
            (),
        )?;
        Ok(n)
    }

    /// Raises the id counter of `tbl` to `seq` (never lowers it): restored ids stay used.
    pub(super) fn set_sequence(&self, tbl: &str, seq: i64) -> Result<()> {
        let tx = self.chg.tx();
        if tx.pg().is_some() {
            tx.query_row(
                "SELECT salesdesk_raise_id(CAST(CAST(?1 AS TEXT) AS regclass), ?2)",
                sql::params![tbl, seq],
                |_| Ok(()),
            )?;
            return Ok(());
        }
        tx.prepare_cached("UPDATE sqlite_sequence SET seq = max(seq, ?2) WHERE name = ?1")?
            .execute(sql::params![tbl, seq])?;
        tx.prepare_cached(
            "INSERT INTO sqlite_sequence(name, seq) SELECT ?1, ?2
             WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?1)",
        )?
        .execute(sql::params![tbl, seq])?;
        Ok(())
    }

    /// The id of the last row added to `tbl`.
    pub(super) fn last_id(&self, tbl: &str) -> Result<i64> {
        let tx = self.chg.tx();
        if tx.pg().is_none() {
            return Ok(tx.lite().last_insert_rowid());
        }
        Ok(tx.query_row(
            "SELECT currval(pg_get_serial_sequence(CAST(?1 AS TEXT), 'id'))",
            [tbl],
            |r| r.get(0),
        )?)
    }
}

impl<'c> std::ops::Deref for Unlogged<'c> {
    type Target = Change<'c>;
    fn deref(&self) -> &Change<'c> {
        &self.chg
    }
}

impl<'c> std::ops::DerefMut for Unlogged<'c> {
    fn deref_mut(&mut self) -> &mut Change<'c> {
        &mut self.chg
    }
}

impl<'c> std::ops::Deref for Importing<'c> {
    type Target = Change<'c>;
    fn deref(&self) -> &Change<'c> {
        &self.chg
    }
}

impl<'c> std::ops::DerefMut for Importing<'c> {
    fn deref_mut(&mut self) -> &mut Change<'c> {
        &mut self.chg
    }
}

/// A short stable name for a column list (FNV-1a): a staging table per shape of copy.
fn fnv(s: &str) -> u32 {
    s.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::contact::ContactFields;
    use crate::domain::note::{NewNote, NoteKind};
    use crate::storage::{contacts, notes};

    fn clock() -> Clock {
        Clock::parse("2026-11-23T09:00:00+00:00").unwrap()
    }

    fn named(name: &str) -> ContactFields {
        ContactFields {
            name: Some(name.into()),
            ..Default::default()
        }
    }

    fn title(db: &mut Db, id: i64) -> Option<String> {
        db.read(|r| contacts::get(r, id)).unwrap().title
    }

    fn count(db: &mut Db) -> i64 {
        db.read(crate::storage::lookups::contacts).unwrap()
    }

    #[test]
    fn each_kind_of_write_undoes() {
        let mut db = Db::open_in_memory().unwrap();
        let c = clock();
        // insert
        let id = db
            .write(&c, |chg| contacts::insert(chg, &named("Ana")))
            .unwrap();
        assert_eq!(db.undo().unwrap(), Undone::Reverted("a change".into()));
        assert_eq!(count(&mut db), 0);
        // update
        let id2 = db
            .write(&c, |chg| contacts::insert(chg, &named("Bo")))
            .unwrap();
        assert_ne!(id, id2);
        let cfo = ContactFields {
            title: Some(Some("CFO".into())),
            ..Default::default()
        };
        db.write(&c, |chg| contacts::update(chg, id2, &cfo, None))
            .unwrap();
        assert_eq!(title(&mut db, id2).as_deref(), Some("CFO"));
        db.undo().unwrap();
        assert_eq!(title(&mut db, id2), None);
        // delete
        let note = NewNote {
            contact_id: id2,
            deal_id: None,
            kind: NoteKind::Note,
            outcome: None,
            body: "kept".into(),
            private: false,
        };
        let n = db.write(&c, |chg| notes::insert(chg, &note)).unwrap();
        db.write(&c, |chg| notes::delete(chg, n, None)).unwrap();
        assert!(db.read(|r| notes::get(r, n)).is_err());
        db.undo().unwrap();
        assert_eq!(db.read(|r| notes::get(r, n)).unwrap().body, "kept");
    }

    #[test]
    fn a_barrier_clears_the_log() {
        let mut db = Db::open_in_memory().unwrap();
        let c = clock();
        db.write(&c, |chg| contacts::insert(chg, &named("Ana")))
            .unwrap();
        db.write_barrier(&c, "loading a book", |w| {
            contacts::insert(w, &named("Bo"))?;
            Ok(())
        })
        .unwrap();
        let e = db.undo().unwrap_err();
        assert!(e.to_string().contains("loading a book"), "{e}");
        assert_eq!(count(&mut db), 2, "nothing undone");
    }

    #[test]
    fn an_imports_merge_into_an_existing_row_undoes() {
        let mut db = Db::open_in_memory().unwrap();
        let c = clock();
        let ana = db
            .write(&c, |chg| contacts::insert(chg, &named("Ana")))
            .unwrap();
        let cfo = ContactFields {
            title: Some(Some("CFO".into())),
            company: Some(Some("Acme".into())),
            ..Default::default()
        };
        crate::storage::import::import(&mut db, &c, "importing a file", |imp| {
            contacts::update(imp, ana, &cfo, None)?;
            crate::storage::import::add_note(imp, ana, "met at the fair")?;
            contacts::insert(imp, &named("Bo"))?;
            Ok(())
        })
        .unwrap();
        assert_eq!(title(&mut db, ana).as_deref(), Some("CFO"));
        assert_eq!(count(&mut db), 2);
        assert_eq!(
            db.undo().unwrap(),
            Undone::Reverted("importing a file".into())
        );
        assert_eq!(title(&mut db, ana), None);
        assert_eq!(count(&mut db), 1);
        let left = db.read(|r| notes::for_contact(r, ana, 10)).unwrap();
        assert!(left.is_empty(), "{left:?}");
        let ana_now = db.read(|r| contacts::get(r, ana)).unwrap();
        assert_eq!(ana_now.company, None);
    }
}
