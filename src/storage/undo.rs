//! Recording what a command changed, so that `undo` can revert it (see `revert`).
//!
//! A command writes through a `Change`, and a `Change` writes only through methods that keep
//! the undo record themselves: `update` and `delete` keep the row as it was before running,
//! `insert` notes the row it made. Those methods are visible to storage alone, whose verbs
//! (`storage::deals::set_stage`, ...) are all that ops and io can call: a write that forgets
//! its undo record cannot be written. On commit each touched row goes to `undo_rows` with the
//! version it ended at.
//!
//! Commands undo cannot cross (restore, demo, purge) write through an `Unlogged` handle and
//! an import through an `Importing` one (see `storage::write`).
//!
//! Outside storage a `Change` is written through storage's verbs:
//!
//! ```
//! use salesdesk::domain::contact::ContactFields;
//! fn add(chg: &mut salesdesk::storage::Change<'_>) -> salesdesk::error::Result<i64> {
//!     let f = ContactFields { name: Some("Ana".into()), ..Default::default() };
//!     salesdesk::storage::contacts::insert(chg, &f)
//! }
//! ```
//!
//! and offers no way to run SQL of one's own:
//!
//! ```compile_fail
//! fn raw(chg: &mut salesdesk::storage::Change<'_>) {
//!     chg.execute("DELETE FROM contacts", []).unwrap();
//! }
//! ```
//!
//! ```compile_fail
//! fn raw(chg: &mut salesdesk::storage::Change<'_>) {
//!     chg.update("contacts", 1, "DELETE FROM contacts", []).unwrap();
//! }
//! ```

use std::collections::HashSet;

use crate::storage::sql::{Args, Conn, OptionalExtension, Tx, Value, params};
use serde_json::{Map, Value as Json};

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::storage::Snapshot;

/// Tables whose rows undo may restore. Anything else is refused: the names come from the
/// undo log, and are checked before they reach SQL text.
pub(super) const UNDOABLE: &[&str] = &[
    "companies",
    "contacts",
    "deals",
    "deal_events",
    "follow_ups",
    "notes",
    "reassignments",
    "sequence_enrollments",
];

/// Columns that triggers derive from other rows, by table: undo leaves them to the triggers,
/// which recompute them as the rows they count are put back. By table, because the same name
/// elsewhere is the row's own (`sequence_enrollments.ended_at` is put back as it was).
pub(super) const DERIVED: &[(&str, &str)] = &[
    ("contacts", "last_contacted_at"),
    ("contacts", "open_follow_ups"),
    ("deal_events", "ended_at"),
    ("follow_ups", "contact_name"),
    ("follow_ups", "company_name"),
    ("follow_ups", "deal_title"),
    ("follow_ups", "deal_value_cents"),
    ("follow_ups", "deal_currency"),
];

/// Columns the server computes from the row itself (generated columns, server migration 11):
/// never logged, and never written back, which the server would refuse.
const GENERATED: &[(&str, &str)] = &[("follow_ups", "text_head")];

/// The undo log keeps this many entries; older ones are dropped.
const KEEP_ENTRIES: i64 = 1000;

/// An import under way: the highest id of each table before it began. Rows above it are
/// the import's own, undone by deleting their range, so none of them is logged one by one.
struct Import {
    above: Vec<(&'static str, i64)>,
}

impl Import {
    fn created(&self, tbl: &str, id: i64) -> bool {
        self.above.iter().any(|(t, a)| *t == tbl && id > *a)
    }
}

struct Touched {
    tbl: &'static str,
    id: i64,
    before: Option<Json>,
}

/// One undoable change to the book: an immediate transaction and the record of what it
/// changed.
pub struct Change<'c> {
    tx: Tx<'c>,
    clock: Clock,
    touched: Vec<Touched>,
    seen: HashSet<(&'static str, i64)>,
    summary: Option<String>,
    barrier: Option<String>,
    import: Option<Import>,
    /// Whether the user may change others' rows: asked of the server the first time a row
    /// of someone else's is touched.
    manager: Option<bool>,
}

impl<'c> Change<'c> {
    pub(super) fn new(tx: Tx<'c>, clock: Clock) -> Self {
        Self {
            tx,
            clock,
            touched: Vec::new(),
            seen: HashSet::new(),
            summary: None,
            barrier: None,
            import: None,
            manager: None,
        }
    }

    /// The time this change is made at.
    pub fn clock(&self) -> Clock {
        self.clock
    }

    /// The user making the change: the login on a server, `me` on a personal book.
    pub fn user(&self) -> String {
        self.tx.conn().user()
    }

    pub fn now(&self) -> String {
        self.clock.stamp()
    }

    /// The book as this change sees it, for the reads a write needs (storage's read verbs).
    pub fn read(&self) -> &Snapshot {
        Snapshot::of(self.tx.conn())
    }

    /// What `undo` will say it undid ("note on Ana Pereira").
    pub fn describe(&mut self, summary: impl Into<String>) {
        if self.summary.is_none() {
            self.summary = Some(summary.into());
        }
    }

    /// Inserts one row into `tbl` (`sql` is an INSERT) and notes it: undo deletes it.
    /// Returns its id. Through the statement cache: a statement with triggers is compiled
    /// once, not once per row.
    pub(super) fn insert(&mut self, tbl: &'static str, sql: &str, p: impl Args) -> Result<i64> {
        debug_assert!(
            sql.trim_start().starts_with("INSERT"),
            "not an insert: {sql}"
        );
        let id = self.tx.conn().insert(sql, p)?;
        self.inserted(tbl, id);
        Ok(id)
    }

    /// Runs `sql`, which changes the row `id` of `tbl` and no other, after keeping the row as
    /// it is now. Returns the rows changed.
    pub(super) fn update(
        &mut self,
        tbl: &'static str,
        id: i64,
        sql: &str,
        p: impl Args,
    ) -> Result<usize> {
        self.touch(tbl, id)?;
        Ok(self.tx.conn().execute(sql, p)?)
    }

    /// Deletes the row `id` of `tbl`, kept first so undo can put it back.
    pub(super) fn delete(&mut self, tbl: &'static str, id: i64) -> Result<usize> {
        let tbl = check_table(tbl)?;
        self.touch(tbl, id)?;
        Ok(self
            .tx
            .conn()
            .execute(&format!("DELETE FROM {tbl} WHERE id = ?1"), [id])?)
    }

    /// Changes the clock the rows are stamped with: loading a history (the demo) backdates.
    pub(super) fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    /// The transaction itself, for the handles whose raw writes the undo log allows
    /// (`Unlogged`, `Importing`).
    pub(super) fn tx(&self) -> &'c Conn {
        self.tx.conn()
    }

    /// Marks this command as one undo cannot cross. Older entries become unreachable, so
    /// they are dropped: for purge that is also the law.
    pub(super) fn barrier(&mut self, summary: impl Into<String>) {
        self.barrier = Some(summary.into());
    }

    /// Marks this command as an import, undone whole: the rows it creates are recorded as
    /// one id range a table (not row by row: an import writes 100k of them), the rows it
    /// changes with their images as any command's. Called before the first write.
    pub(super) fn import(&mut self, summary: impl Into<String>) -> Result<()> {
        let mut above = Vec::with_capacity(UNDOABLE.len());
        for tbl in UNDOABLE {
            above.push((*tbl, max_id(self.tx.conn(), tbl)?));
        }
        self.import = Some(Import { above });
        self.summary = Some(summary.into());
        Ok(())
    }

    /// Whether a row of `tbl` with this id is one the running import created.
    pub(super) fn created_by_import(&self, tbl: &str, id: i64) -> bool {
        self.import.as_ref().is_some_and(|i| i.created(tbl, id))
    }

    fn logs(&self, tbl: &str, id: i64) -> bool {
        self.barrier.is_none() && !self.created_by_import(tbl, id)
    }

    /// Keeps the row as it is now, before the command changes or deletes it.
    fn touch(&mut self, tbl: &'static str, id: i64) -> Result<()> {
        if !self.logs(tbl, id) || !self.seen.insert((tbl, id)) {
            return Ok(());
        }
        let before = row_json(self.tx.conn(), tbl, id)?;
        if let Some(row) = &before {
            self.may_change(tbl, id, row)?;
        }
        self.touched.push(Touched { tbl, id, before });
        Ok(())
    }

    /// Refuses a change to a row someone else owns (or wrote) unless the user is a manager:
    /// the server's row-level security refuses it too, but would only say that nothing
    /// matched.
    fn may_change(&mut self, tbl: &str, id: i64, row: &Json) -> Result<()> {
        let owner = ["owner", "author"]
            .iter()
            .find_map(|c| row.get(*c).and_then(Json::as_str));
        let Some(owner) = owner else {
            return Ok(());
        };
        let me = self.tx.conn().user();
        if owner == me {
            return Ok(());
        }
        let manager = match self.manager {
            Some(m) => m,
            None => *self.manager.insert(self.tx.conn().is_manager()?),
        };
        if manager {
            return Ok(());
        }
        let what = crate::storage::revert::singular(tbl);
        Err(Error::conflict(format!(
            "{what} #{id} is {owner}'s: only they or a manager can change it ({me} is not a \
             manager of this book)"
        )))
    }

    /// Notes a row the command created: undo deletes it.
    fn inserted(&mut self, tbl: &'static str, id: i64) {
        if self.logs(tbl, id) && self.seen.insert((tbl, id)) {
            self.touched.push(Touched {
                tbl,
                id,
                before: None,
            });
        }
    }

    pub(super) fn commit(self) -> Result<()> {
        let Change {
            tx,
            clock,
            touched,
            summary,
            barrier,
            import,
            ..
        } = self;
        let at = clock.stamp();
        let conn = tx.conn();
        if let Some(summary) = barrier {
            // The user's own entries: a barrier is theirs, as undo is (on a server, others'
            // changes stay theirs to undo). Not left to the cascade: an import writes with
            // foreign keys off.
            let me = conn.user();
            for tbl in ["undo_rows", "undo_ranges"] {
                conn.execute(
                    &format!(
                        "DELETE FROM {tbl} WHERE undo_id IN (SELECT id FROM undo_log WHERE by_user = ?1)"
                    ),
                    [&me],
                )?;
            }
            conn.execute("DELETE FROM undo_log WHERE by_user = ?1", [&me])?;
            conn.execute(
                "INSERT INTO undo_log(at, kind, summary) VALUES (?1, 'barrier', ?2)",
                params![at, summary],
            )?;
        } else if !touched.is_empty() || import.is_some() {
            let summary = summary.unwrap_or_else(|| "a change".into());
            let undo_id = conn.insert(
                "INSERT INTO undo_log(at, kind, summary) VALUES (?1, 'change', ?2)",
                params![at, summary],
            )?;
            if let Some(import) = &import {
                record_ranges(conn, undo_id, import)?;
            }
            for (seq, t) in touched.iter().enumerate() {
                let after: Option<i64> = conn
                    .query_row(
                        &format!("SELECT version FROM {} WHERE id = ?1", t.tbl),
                        [t.id],
                        |r| r.get(0),
                    )
                    .optional()?;
                let before = t.before.as_ref().map(|b| b.to_string());
                conn.execute(
                    "INSERT INTO undo_rows(undo_id, seq, tbl, row_id, before, after_version) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![undo_id, seq as i64, t.tbl, t.id, before, after],
                )?;
            }
            // Explicit, not left to the cascade: an import commits with foreign keys off.
            for tbl in ["undo_rows", "undo_ranges"] {
                conn.execute(
                    &format!("DELETE FROM {tbl} WHERE undo_id <= ?1"),
                    [undo_id - KEEP_ENTRIES],
                )?;
            }
            conn.execute(
                "DELETE FROM undo_log WHERE id <= ?1",
                [undo_id - KEEP_ENTRIES],
            )?;
        }
        tx.commit()?;
        Ok(())
    }
}

fn max_id(conn: &Conn, tbl: &str) -> Result<i64> {
    let tbl = check_table(tbl)?;
    Ok(conn.query_row(
        &format!("SELECT coalesce(max(id), 0) FROM {tbl}"),
        (),
        |r| r.get(0),
    )?)
}

/// Each table's rows the import created: their id range, count and version sum. A range
/// scan of the primary key, a few milliseconds for 100k rows.
fn record_ranges(tx: &Conn, undo_id: i64, import: &Import) -> Result<()> {
    for (tbl, above) in &import.above {
        let (rows, sum, upto): (i64, i64, i64) = tx.query_row(
            &format!(
                "SELECT count(*), coalesce(sum(version), 0), coalesce(max(id), 0)
                 FROM {tbl} WHERE id > ?1"
            ),
            [above],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        if rows > 0 {
            tx.execute(
                "INSERT INTO undo_ranges(undo_id, tbl, above, upto, rows, version_sum)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![undo_id, tbl, above, upto, rows, sum],
            )?;
        }
    }
    Ok(())
}

/// A row as a JSON object of its columns, or None if it does not exist.
fn row_json(conn: &Conn, tbl: &str, id: i64) -> Result<Option<Json>> {
    check_table(tbl)?;
    let mut stmt = conn.prepare_cached(&format!("SELECT * FROM {tbl} WHERE id = ?1"))?;
    let names = stmt.column_names();
    let row = stmt
        .query_row([id], |r| {
            let mut m = Map::new();
            for (i, n) in names.iter().enumerate() {
                if GENERATED.contains(&(tbl, n.as_str())) {
                    continue;
                }
                let v: Value = r.get(i)?;
                let j = match v {
                    Value::Null => Json::Null,
                    Value::Integer(n) => Json::from(n),
                    Value::Real(f) => Json::from(f),
                    Value::Text(s) => Json::from(s),
                    Value::Blob(_) => Json::Null,
                };
                m.insert(n.clone(), j);
            }
            Ok(Json::Object(m))
        })
        .optional()?;
    Ok(row)
}

pub(super) fn check_table(tbl: &str) -> Result<&'static str> {
    UNDOABLE
        .iter()
        .find(|t| **t == tbl)
        .copied()
        .ok_or_else(|| Error::env(format!("the undo log names an unknown table {tbl:?}")))
}
