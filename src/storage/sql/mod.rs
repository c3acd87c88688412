//! The one way storage's verbs run SQL, whichever engine holds the book.
//!
//! A verb (`contacts::get`, `deals::set_stage`, ...) prepares a statement, binds arguments and
//! reads rows through the types here, never through an engine's own: a [`Conn`] is the
//! connection to one engine, a [`Stmt`] a statement on it, a [`Row`] one row of its answer.
//! Arguments and column values use SQLite's five storage classes (`rusqlite`'s `ToSql`,
//! `FromSql` and [`Value`]): every engine can say what they say, so they are the neutral value
//! model. What only one engine has (SQLite's pragmas, its backup API, its bulk-load tricks)
//! stays in that engine's modules, which reach their own connection with [`Conn::lite`].

use rusqlite::types::FromSql;

use crate::domain::team::LOCAL_USER;
use crate::storage::pg::session::Session;
use crate::storage::pg::values::{Arg, Col};

pub(crate) use rusqlite::params;
pub use rusqlite::types::Value;

mod args;
mod error;

pub use args::{Args, FromIter, params_from_iter};
pub use error::{Error, OptionalExtension};

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A connection to the engine that holds the book.
pub enum Conn {
    Lite(rusqlite::Connection),
    Pg(Box<Session>),
}

/// How a transaction takes the book: `Deferred` for a snapshot that reads, `Immediate` for a
/// change (it waits for other writers up front, so it never fails half-way on a lock).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Begin {
    Deferred,
    Immediate,
}

impl Conn {
    /// SQLite's connection, for what only SQLite does (pragmas, backups, bulk loads). Only
    /// called where the book is known to be a file: a server book never reaches those paths.
    pub fn lite(&self) -> &rusqlite::Connection {
        match self {
            Conn::Lite(c) => c,
            Conn::Pg(_) => unreachable!("a SQLite-only path was taken on a server book"),
        }
    }

    pub fn lite_mut(&mut self) -> &mut rusqlite::Connection {
        match self {
            Conn::Lite(c) => c,
            Conn::Pg(_) => unreachable!("a SQLite-only path was taken on a server book"),
        }
    }

    /// The server session, when the book is on PostgreSQL.
    pub fn pg(&self) -> Option<&Session> {
        match self {
            Conn::Lite(_) => None,
            Conn::Pg(s) => Some(s),
        }
    }

    /// The user this connection works as: the login on a server, [`LOCAL_USER`] on a file.
    pub fn user(&self) -> String {
        match self {
            Conn::Lite(_) => LOCAL_USER.to_string(),
            Conn::Pg(s) => s.login(),
        }
    }

    /// Whether the user may change any row (a server book's manager; a file's only user).
    pub fn is_manager(&self) -> Result<bool> {
        match self {
            Conn::Lite(_) => Ok(true),
            Conn::Pg(_) => self.query_row(
                "SELECT CASE WHEN salesdesk_is_manager() THEN 1 ELSE 0 END",
                (),
                |r| r.get::<_, i64>(0).map(|m| m == 1),
            ),
        }
    }

    /// The text for this engine, where the two dialects differ (dates, JSON, search).
    pub fn pick<'a>(&self, lite: &'a str, pg: &'a str) -> &'a str {
        match self {
            Conn::Lite(_) => lite,
            Conn::Pg(_) => pg,
        }
    }

    /// A statement through the connection's cache: compiled once for a text run often.
    pub fn prepare_cached(&self, sql: &str) -> Result<Stmt<'_>> {
        Ok(Stmt(match self {
            Conn::Lite(c) => Inner::Cached(c.prepare_cached(sql)?),
            Conn::Pg(s) => Inner::Pg(s, s.prepare(sql)?),
        }))
    }

    /// A statement compiled for this call only (SQL made for one call).
    pub fn prepare(&self, sql: &str) -> Result<Stmt<'_>> {
        Ok(Stmt(match self {
            Conn::Lite(c) => Inner::Once(c.prepare(sql)?),
            Conn::Pg(s) => Inner::Pg(s, s.prepare(sql)?),
        }))
    }

    /// Runs one statement, returning the rows it changed.
    pub fn execute(&self, sql: &str, args: impl Args) -> Result<usize> {
        self.prepare_cached(sql)?.execute(args)
    }

    /// Runs statements separated by `;`, with no arguments (schema, bulk switches).
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match self {
            Conn::Lite(c) => Ok(c.execute_batch(sql)?),
            Conn::Pg(s) => Ok(s.batch(sql)?),
        }
    }

    /// The first row of a query, or [`Error::NoRows`].
    pub fn query_row<T>(
        &self,
        sql: &str,
        args: impl Args,
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<T> {
        self.prepare(sql)?.query_row(args, f)
    }

    /// Runs an INSERT of one row and returns the row's id.
    pub fn insert(&self, sql: &str, args: impl Args) -> Result<i64> {
        match self {
            Conn::Lite(c) => {
                self.prepare_cached(sql)?.execute(args)?;
                Ok(c.last_insert_rowid())
            }
            Conn::Pg(_) => self
                .prepare_cached(&format!("{sql} RETURNING id"))?
                .query_row(args, |r| r.get(0)),
        }
    }

    /// Opens a transaction, rolled back unless [`Tx::commit`] is called.
    ///
    /// On a server, a snapshot is a read-only repeatable read (every query sees one state of
    /// the book, as SQLite's deferred read does), and a change first takes the book's writer
    /// lock, as SQLite's immediate transaction does: changes are made one at a time, so a verb
    /// that reads a version and then writes cannot lose another client's update.
    pub fn begin(&self, how: Begin) -> Result<Tx<'_>> {
        let sql = match (self, how) {
            (Conn::Lite(_), Begin::Deferred) => "BEGIN DEFERRED",
            (Conn::Lite(_), Begin::Immediate) => "BEGIN IMMEDIATE",
            (Conn::Pg(_), Begin::Deferred) => "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
            // The writer lock, waited for as SQLite waits for its file's (busy timeout): a
            // few seconds, then refused saying why, never forever.
            (Conn::Pg(_), Begin::Immediate) => {
                "BEGIN ISOLATION LEVEL READ COMMITTED; SET LOCAL lock_timeout = '5s';
                 SELECT pg_advisory_xact_lock(7106177105); SET LOCAL lock_timeout = 0"
            }
        };
        match (self, self.execute_batch(sql)) {
            // A connection lost since the last statement shows here first: nothing has been
            // done in this transaction yet, so connecting again and beginning anew is safe.
            (Conn::Pg(s), Err(Error::Pg(e))) if e.is_closed() => {
                s.ensure_open().map_err(|e| Error::Other(Box::new(e)))?;
                self.execute_batch(sql)?;
            }
            (Conn::Pg(s), Err(e)) => {
                // A transaction refused half-way (the lock not had in time) is aborted: it
                // must end here, or every later statement of the session is refused too.
                let _ = s.batch("ROLLBACK");
                return Err(match &e {
                    Error::Pg(p)
                        if p.code() == Some(&postgres::error::SqlState::LOCK_NOT_AVAILABLE) =>
                    {
                        Error::Other(Box::new(crate::error::Error::env(
                            "another salesdesk is writing to the book on the server and did not \
                             finish within 5 s; try again in a moment",
                        )))
                    }
                    _ => e,
                });
            }
            (_, r) => r?,
        }
        Ok(Tx {
            conn: self,
            open: true,
            announce: how == Begin::Immediate && self.pg().is_some(),
        })
    }
}

/// A transaction on a [`Conn`]: committed by [`Tx::commit`], rolled back when dropped
/// otherwise (an error, a panic).
pub struct Tx<'c> {
    conn: &'c Conn,
    open: bool,
    /// A change on a server tells the other clients when it commits (`LISTEN/NOTIFY`: the
    /// notice is delivered at commit, and not at all on a rollback).
    announce: bool,
}

impl<'c> Tx<'c> {
    pub fn conn(&self) -> &'c Conn {
        self.conn
    }

    pub fn commit(mut self) -> Result<()> {
        if self.announce {
            use crate::storage::pg::session::CHANNEL;
            self.conn
                .execute_batch(&format!("NOTIFY {CHANNEL}; COMMIT"))?;
        } else {
            self.conn.execute_batch("COMMIT")?;
        }
        self.open = false;
        Ok(())
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.open {
            // Nothing to tell anyone: the error that brought us here is already on its way.
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

enum Inner<'c> {
    Cached(rusqlite::CachedStatement<'c>),
    Once(rusqlite::Statement<'c>),
    Pg(&'c Session, postgres::Statement),
}

/// A prepared statement.
pub struct Stmt<'c>(Inner<'c>);

/// The first keywords of statements that only read, for an engine that cannot say.
const READING: &[&str] = &["select", "with", "values", "explain", "show"];

impl<'c> Stmt<'c> {
    fn lite(&mut self) -> Option<&mut rusqlite::Statement<'c>> {
        match &mut self.0 {
            Inner::Cached(s) => Some(s),
            Inner::Once(s) => Some(s),
            Inner::Pg(..) => None,
        }
    }

    fn lite_ref(&self) -> Option<&rusqlite::Statement<'c>> {
        match &self.0 {
            Inner::Cached(s) => Some(s),
            Inner::Once(s) => Some(s),
            Inner::Pg(..) => None,
        }
    }

    /// How many arguments the statement takes.
    pub fn parameter_count(&self) -> usize {
        match &self.0 {
            Inner::Pg(_, s) => s.params().len(),
            _ => self.lite_ref().map_or(0, |s| s.parameter_count()),
        }
    }

    /// Whether the statement only reads. (On a server a snapshot's transaction is read-only
    /// besides, so the server refuses a write this lets through.)
    pub fn readonly(&self, sql: &str) -> bool {
        match self.lite_ref() {
            Some(s) => s.readonly(),
            None => {
                let first = sql.split_whitespace().next().unwrap_or("");
                READING.iter().any(|k| first.eq_ignore_ascii_case(k))
            }
        }
    }

    /// The names of the columns the statement returns.
    pub fn column_names(&self) -> Vec<String> {
        match &self.0 {
            Inner::Pg(_, s) => s.columns().iter().map(|c| c.name().to_string()).collect(),
            _ => self.lite_ref().map_or_else(Vec::new, |s| {
                s.column_names().map(|s| s.to_string()).collect()
            }),
        }
    }

    /// Binds every argument, refusing a count the statement does not take (an unbound
    /// parameter would silently be NULL).
    fn bind(&mut self, args: impl Args) -> Result<Vec<Arg>> {
        let expected = self.parameter_count();
        let mut n = 0;
        let mut owned = Vec::new();
        match self.lite() {
            Some(stmt) => args.each(&mut |v| {
                n += 1;
                stmt.raw_bind_parameter(n, v)?;
                Ok(())
            })?,
            None => args.each(&mut |v| {
                n += 1;
                owned.push(Arg::of(v)?);
                Ok(())
            })?,
        }
        if n != expected {
            return Err(rusqlite::Error::InvalidParameterCount(n, expected).into());
        }
        Ok(owned)
    }

    /// Runs the statement, returning the rows it changed.
    pub fn execute(&mut self, args: impl Args) -> Result<usize> {
        let owned = self.bind(args)?;
        match &mut self.0 {
            Inner::Pg(session, s) => Ok(usize::try_from(session.execute(s, &owned)?)
                .map_err(|e| Error::Value(e.to_string()))?),
            _ => match self.lite() {
                Some(s) => Ok(s.raw_execute()?),
                None => Ok(0),
            },
        }
    }

    /// Runs the query; its rows are read with [`Rows::next`].
    pub fn query(&mut self, args: impl Args) -> Result<Rows<'_>> {
        let owned = self.bind(args)?;
        Ok(match &mut self.0 {
            Inner::Pg(session, s) => {
                Rows(RowsInner::Pg(session.query(s, &owned)?.into_iter()), None)
            }
            Inner::Cached(s) => Rows(RowsInner::Lite(s.raw_query()), None),
            Inner::Once(s) => Rows(RowsInner::Lite(s.raw_query()), None),
        })
    }

    /// Each row of the query made into a `T` by `f`, as they are read.
    pub fn query_map<T, F>(&mut self, args: impl Args, f: F) -> Result<MappedRows<'_, F>>
    where
        F: FnMut(&Row<'_>) -> Result<T>,
    {
        Ok(MappedRows {
            rows: self.query(args)?,
            f,
        })
    }

    /// The first row of the query made into a `T`, or [`Error::NoRows`].
    pub fn query_row<T>(
        &mut self,
        args: impl Args,
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<T> {
        let mut rows = self.query(args)?;
        match rows.next()? {
            Some(r) => f(&r),
            None => Err(Error::NoRows),
        }
    }

    /// Whether the query returns any row.
    pub fn exists(&mut self, args: impl Args) -> Result<bool> {
        Ok(self.query(args)?.next()?.is_some())
    }
}

enum RowsInner<'s> {
    Lite(rusqlite::Rows<'s>),
    Pg(std::vec::IntoIter<postgres::Row>),
}

/// The rows of a running query.
pub struct Rows<'s>(RowsInner<'s>, Option<postgres::Row>);

impl Rows<'_> {
    /// The next row, or `None` after the last.
    #[allow(clippy::should_implement_trait)] // a lending iterator: each row borrows the query
    pub fn next(&mut self) -> Result<Option<Row<'_>>> {
        match &mut self.0 {
            RowsInner::Lite(rows) => Ok(rows.next()?.map(Row::Lite)),
            RowsInner::Pg(rows) => {
                self.1 = rows.next();
                Ok(self.1.as_ref().map(Row::Pg))
            }
        }
    }
}

/// The rows of a query as `T`s.
pub struct MappedRows<'s, F> {
    rows: Rows<'s>,
    f: F,
}

impl<T, F> Iterator for MappedRows<'_, F>
where
    F: FnMut(&Row<'_>) -> Result<T>,
{
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        match self.rows.next() {
            Ok(Some(r)) => Some((self.f)(&r)),
            Ok(None) => None,
            Err(e) => Some(Err(e)),
        }
    }
}

/// One row of a query's answer.
pub enum Row<'a> {
    Lite(&'a rusqlite::Row<'a>),
    Pg(&'a postgres::Row),
}

/// A column of a row: its position from 0, or its name.
pub trait ColIndex: rusqlite::RowIndex + postgres::row::RowIndex + std::fmt::Display {}
impl<T: rusqlite::RowIndex + postgres::row::RowIndex + std::fmt::Display> ColIndex for T {}

impl Row<'_> {
    /// Column `idx` as a `T`, converted as SQLite converts its values.
    pub fn get<I: ColIndex, T: FromSql>(&self, idx: I) -> Result<T> {
        match self {
            Row::Lite(r) => Ok(r.get(idx)?),
            Row::Pg(r) => {
                // Borrowed: `idx` names the column in the error below.
                #[allow(clippy::needless_borrows_for_generic_args)]
                let col: Col = r.try_get(&idx)?;
                T::column_result(col.as_ref())
                    .map_err(|e| Error::Value(format!("column {idx}: {e}")))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn() -> Conn {
        let c = Conn::Lite(rusqlite::Connection::open_in_memory().unwrap());
        c.execute_batch("CREATE TABLE t(id INTEGER PRIMARY KEY, x TEXT)")
            .unwrap();
        c
    }

    #[test]
    fn arguments_bind_in_every_form_and_a_wrong_count_is_refused() {
        let c = conn();
        assert_eq!(c.insert("INSERT INTO t(x) VALUES (?1)", ["a"]).unwrap(), 1);
        assert_eq!(
            c.insert("INSERT INTO t(x) VALUES (?1)", params!["b"])
                .unwrap(),
            2
        );
        let v: Vec<Value> = vec![Value::Text("c".into())];
        c.insert("INSERT INTO t(x) VALUES (?1)", v).unwrap();
        c.insert("INSERT INTO t(x) VALUES (?1)", params_from_iter(["d"]))
            .unwrap();
        let n: i64 = c
            .query_row("SELECT count(*) FROM t", (), |r| r.get(0))
            .unwrap();
        assert_eq!(n, 4);
        assert!(c.execute("INSERT INTO t(x) VALUES (?1)", ()).is_err());
        assert!(
            c.execute("INSERT INTO t(x) VALUES (?1)", ["e", "f"])
                .is_err()
        );
    }

    #[test]
    fn no_row_is_none_and_rows_map_in_order() {
        let c = conn();
        for x in ["a", "b"] {
            c.execute("INSERT INTO t(x) VALUES (?1)", [x]).unwrap();
        }
        let none: Option<String> = c
            .query_row("SELECT x FROM t WHERE id = ?1", [9], |r| r.get(0))
            .optional()
            .unwrap();
        assert_eq!(none, None);
        let mut stmt = c.prepare("SELECT x FROM t ORDER BY id").unwrap();
        let xs: Vec<String> = stmt
            .query_map((), |r| r.get(0))
            .unwrap()
            .collect::<Result<_>>()
            .unwrap();
        assert_eq!(xs, ["a", "b"]);
    }

    #[test]
    fn a_transaction_rolls_back_unless_committed() {
        let c = conn();
        {
            let _tx = c.begin(Begin::Immediate).unwrap();
            c.execute("INSERT INTO t(x) VALUES ('gone')", ()).unwrap();
        }
        let tx = c.begin(Begin::Immediate).unwrap();
        c.execute("INSERT INTO t(x) VALUES ('kept')", ()).unwrap();
        tx.commit().unwrap();
        let xs: Vec<String> = c
            .prepare("SELECT x FROM t")
            .unwrap()
            .query_map((), |r| r.get(0))
            .unwrap()
            .collect::<Result<_>>()
            .unwrap();
        assert_eq!(xs, ["kept"]);
    }
}
