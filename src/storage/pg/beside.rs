//! Two reads of one state of a server book at once, on two connections. A command that reads
//! two long lists (the daily list: what is due, and who to reconnect with) waits on the server
//! for each; side by side it waits for the longer one only. The second connection shares the
//! first's snapshot (`pg_export_snapshot`), so both lists are of one state of the book, as in
//! one transaction.

use std::sync::mpsc;

use crate::error::Result;
use crate::storage::sql::Conn;
use crate::storage::{Db, Snapshot};

impl Db {
    /// Runs `first` and `second` in one snapshot of the book. On a server `second` runs at the
    /// same time on a connection of its own; when that connection cannot be had (the server at
    /// its connection limit), after `first` on this one. On a file, one after the other: a
    /// file's reads wait on nothing.
    pub fn read_both<A, B>(
        &mut self,
        first: impl FnOnce(&Snapshot) -> Result<A>,
        second: impl Fn(&Snapshot) -> Result<B> + Sync,
    ) -> Result<(A, B)>
    where
        B: Send,
    {
        let Some(address) = self.conn.pg().map(|s| s.address().to_string()) else {
            return self.read(|conn| Ok((first(conn)?, second(conn)?)));
        };
        let second = &second;
        std::thread::scope(|scope| {
            let (give, take) = mpsc::channel::<String>();
            let beside = scope.spawn(move || -> Option<Result<B>> {
                // Connecting is most of the wait: it starts before the snapshot exists.
                let db = Db::connect_server(&address).ok()?;
                let snapshot = take.recv().ok()?;
                Some(read_in(&db.conn, &snapshot, second))
            });
            self.read(|conn| {
                let snapshot: String = conn
                    .prepare_cached("SELECT pg_export_snapshot()")?
                    .query_row((), |r| r.get(0))?;
                // Nobody listening means the other connection was not made: read it here.
                let _ = give.send(snapshot);
                let a = first(conn)?;
                // The snapshot stays importable only while this transaction is open: wait.
                let b = match beside.join() {
                    Ok(Some(b)) => b?,
                    Ok(None) => second(conn)?,
                    Err(panic) => std::panic::resume_unwind(panic),
                };
                Ok((a, b))
            })
        })
    }
}

/// Reads `f` on `conn` in the snapshot named `snapshot`, exported by another connection.
fn read_in<B>(conn: &Conn, snapshot: &str, f: impl FnOnce(&Snapshot) -> Result<B>) -> Result<B> {
    // The name is the server's own (hex digits and dashes); quoted anyway.
    let quoted = snapshot.replace('\'', "''");
    conn.execute_batch(&format!(
        "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY; SET TRANSACTION SNAPSHOT '{quoted}'"
    ))?;
    let out = f(Snapshot::of(conn));
    conn.execute_batch(if out.is_ok() { "COMMIT" } else { "ROLLBACK" })?;
    out
}
