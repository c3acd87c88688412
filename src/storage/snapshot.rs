//! One state of the book, for reading: what `Db::read`, `Db::peek` and `Change::read` hand
//! out. It runs only statements SQLite itself says do not write, so a read verb cannot change
//! the book behind the undo record, by mistake or otherwise: a write has to go through a
//! `Change`, whose write methods keep that record.
//!
//! Outside storage a snapshot is only handed on to storage's read verbs; it runs no SQL:
//!
//! ```compile_fail
//! fn raw(db: &salesdesk::storage::Db) {
//!     db.peek(|s| Ok(s.prepare("DELETE FROM notes")?.execute([])?)).unwrap();
//! }
//! ```

use ref_cast::RefCast;

use crate::domain::team::Scope;
use crate::storage::sql::{self, Args, Conn, Row, Stmt};

#[derive(RefCast)]
#[repr(transparent)]
pub struct Snapshot(Conn);

impl Snapshot {
    /// The read-only view of a connection (inside a transaction, or for one statement).
    pub(in crate::storage) fn of(conn: &Conn) -> &Snapshot {
        Snapshot::ref_cast(conn)
    }

    /// Lends a bare SQLite connection as a snapshot, for tests of books made by hand.
    #[cfg(test)]
    pub(in crate::storage) fn lend<T>(
        c: &mut rusqlite::Connection,
        f: impl FnOnce(&Snapshot) -> T,
    ) -> T {
        let placeholder = rusqlite::Connection::open_in_memory().expect("an in-memory database");
        let conn = Conn::Lite(std::mem::replace(c, placeholder));
        let out = f(Snapshot::of(&conn));
        if let Conn::Lite(back) = conn {
            *c = back;
        }
        out
    }

    /// Whether the book is on a PostgreSQL server.
    pub(in crate::storage) fn on_server(&self) -> bool {
        self.0.pg().is_some()
    }

    /// The user the book is read as (the login on a server).
    pub(in crate::storage) fn user(&self) -> String {
        self.0.user()
    }

    /// The owner a list of `scope` is cut to: none on a personal book, whose one user owns
    /// every row, nor for the whole team.
    pub(in crate::storage) fn owner_of(&self, scope: &Scope) -> Option<String> {
        if !self.on_server() {
            return None;
        }
        let me = self.user();
        scope.owner(&me).map(str::to_string)
    }

    /// The text for this engine, where the two dialects differ (dates, JSON, search).
    pub(in crate::storage) fn pick<'a>(&self, lite: &'a str, pg: &'a str) -> &'a str {
        self.0.pick(lite, pg)
    }

    /// A statement through the statement cache, refused if it would write.
    pub(in crate::storage) fn prepare_cached(&self, sql: &str) -> sql::Result<Stmt<'_>> {
        let stmt = self.0.prepare_cached(sql)?;
        reads_only(stmt.readonly(sql), sql)?;
        Ok(stmt)
    }

    /// A statement prepared once (SQL made for one call), refused if it would write.
    pub(in crate::storage) fn prepare(&self, sql: &str) -> sql::Result<Stmt<'_>> {
        let stmt = self.0.prepare(sql)?;
        reads_only(stmt.readonly(sql), sql)?;
        Ok(stmt)
    }

    /// The file the book is in (`None` in memory or on a server).
    pub(in crate::storage) fn path(&self) -> Option<&str> {
        match &self.0 {
            Conn::Lite(c) => c.path(),
            Conn::Pg(_) => None,
        }
    }

    /// Copies what the write-ahead log holds into the book's file without waiting for
    /// readers (a passive checkpoint), so the file can be read byte by byte: it changes where
    /// the committed pages sit, never what the book says.
    pub(in crate::storage) fn checkpoint_passive(&self) {
        match &self.0 {
            Conn::Lite(c) => {
                let _ = c.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
            }
            Conn::Pg(_) => {}
        }
    }

    /// Hands `f` each row of `sql` (a SELECT without arguments) as it comes, never the whole
    /// result at once: SQLite steps through its rows, a server reads them through a cursor
    /// (an export of every note on a server once held them all in memory).
    pub(in crate::storage) fn for_each_row(
        &self,
        sql: &str,
        mut f: impl FnMut(&Row<'_>) -> sql::Result<()>,
    ) -> sql::Result<()> {
        match &self.0 {
            Conn::Pg(s) => {
                // A cursor is declared for a query alone: nothing that writes gets this far.
                reads_only(
                    sql.trim_start()
                        .get(..6)
                        .is_some_and(|w| w.eq_ignore_ascii_case("SELECT")),
                    sql,
                )?;
                s.for_each_row(sql, |r| f(&Row::Pg(r)))
            }
            Conn::Lite(_) => {
                let mut stmt = self.prepare(sql)?;
                let mut rows = stmt.query(())?;
                while let Some(r) = rows.next()? {
                    f(&r)?;
                }
                Ok(())
            }
        }
    }

    /// The first row of a read, as `Conn::query_row`.
    pub(in crate::storage) fn query_row<T>(
        &self,
        sql: &str,
        args: impl Args,
        f: impl FnOnce(&Row<'_>) -> sql::Result<T>,
    ) -> sql::Result<T> {
        self.prepare(sql)?.query_row(args, f)
    }
}

/// A statement that would write, refused before it runs.
fn reads_only(readonly: bool, sql: &str) -> sql::Result<()> {
    if readonly {
        return Ok(());
    }
    let first = sql.split_whitespace().take(3).collect::<Vec<_>>().join(" ");
    Err(rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_READONLY),
        Some(format!("a read of the book tried to write ({first} …)")),
    )
    .into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snapshot_reads_and_refuses_every_kind_of_write() {
        let conn = Conn::Lite(rusqlite::Connection::open_in_memory().unwrap());
        conn.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
            .unwrap();
        let snap = Snapshot::of(&conn);
        let n: i64 = snap
            .query_row("SELECT count(*) FROM t", (), |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1);
        for sql in [
            "INSERT INTO t VALUES (2)",
            "UPDATE t SET x = 3",
            "DELETE FROM t",
            "CREATE TABLE u(y)",
            "DROP TABLE t",
            "PRAGMA user_version = 7",
        ] {
            assert!(snap.prepare(sql).is_err(), "{sql}");
            assert!(snap.prepare_cached(sql).is_err(), "{sql}");
        }
        let n: i64 = snap
            .query_row("SELECT count(*) FROM t", (), |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1, "nothing was written");
        let v: i64 = conn
            .query_row("PRAGMA user_version", (), |r| r.get(0))
            .unwrap();
        assert_eq!(v, 0);
    }
}
