//! Two reads of one state of a server book at once, on two connections. A command that reads
//! two long lists (the daily list: what is due, and who to reconnect with) waits on the server
//! for each; side by side it waits for the longer one only. The second connection shares the
//! first's snapshot (`pg_export_snapshot`), so both lists are of one state of the book, as in
//! one transaction.

use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use crate::error::Result;
use crate::storage::sql::Conn;
use crate::storage::{Db, Snapshot};

/// How long the first connection waits, once its own read is done, for the second to have
/// connected and taken up the snapshot: past it, it reads the second list itself. A server
/// refusing a connection says so at once; a pooler with no connection free may queue one
/// for minutes, and the command must not wait on it.
const CONNECT_WAIT: Duration = Duration::from_secs(2);

/// What the second connection says: it reads now, or what it read.
enum Beside<B> {
    Reading,
    Read(Result<B>),
}

impl Db {
    /// Runs `first` and `second` in one snapshot of the book. On a server `second` runs at the
    /// same time on a connection of its own; when that connection cannot be had in time (the
    /// server at its connection limit, a pooler's queue) or fails, after `first` on this one.
    /// On a file, one after the other: a file's reads wait on nothing.
    pub fn read_both<A, B, F>(
        &mut self,
        first: impl FnOnce(&Snapshot) -> Result<A>,
        second: F,
    ) -> Result<(A, B)>
    where
        F: Fn(&Snapshot) -> Result<B> + Send + Sync + 'static,
        B: Send + 'static,
    {
        let Some(address) = self.conn.pg().map(|s| s.address().to_string()) else {
            return self.read(|conn| Ok((first(conn)?, second(conn)?)));
        };
        let second = Arc::new(second);
        let (give, take) = mpsc::channel::<String>();
        let (tell, hear) = mpsc::channel::<Beside<B>>();
        let beside = Arc::clone(&second);
        // Not joined: a connection that never comes must not hold the command, which reads
        // the list itself instead; the thread ends with its connection, or with the process.
        std::thread::spawn(move || {
            // Connecting is most of the wait: it starts before the snapshot exists.
            let Ok(db) = Db::connect_server(&address) else {
                return;
            };
            let Ok(snapshot) = take.recv() else {
                return;
            };
            if begin_in(&db.conn, &snapshot).is_err() || tell.send(Beside::Reading).is_err() {
                return;
            }
            let out = beside(Snapshot::of(&db.conn));
            let _ = db
                .conn
                .execute_batch(if out.is_ok() { "COMMIT" } else { "ROLLBACK" });
            let _ = tell.send(Beside::Read(out));
        });
        self.read(|conn| {
            let snapshot: String = conn
                .prepare_cached("SELECT pg_export_snapshot()")?
                .query_row((), |r| r.get(0))?;
            // Nobody listening means the other connection was not made.
            let _ = give.send(snapshot);
            let a = first(conn)?;
            // The snapshot can be taken up only while this transaction is open: it waits.
            // Whatever the second connection could not do (a lock it gave up on, a lost
            // connection, a panic) is done here.
            let b = match hear.recv_timeout(CONNECT_WAIT) {
                Ok(Beside::Reading) => match hear.recv() {
                    Ok(Beside::Read(Ok(b))) => b,
                    _ => second(conn)?,
                },
                Ok(Beside::Read(Ok(b))) => b,
                _ => second(conn)?,
            };
            Ok((a, b))
        })
    }
}

/// Begins a read on `conn` in the snapshot named `snapshot`, exported by another connection.
///
/// Its locks are waited for a little only: the first connection waits on this one, which the
/// server does not know, so a lock queued between them (a migration's, behind the first
/// connection's read and ahead of this one's) would hold both for ever where one connection
/// would have met a deadlock the server breaks. Given up, the list is read on the first.
fn begin_in(conn: &Conn, snapshot: &str) -> crate::storage::sql::Result<()> {
    // The name is the server's own (hex digits and dashes); quoted anyway.
    let quoted = snapshot.replace('\'', "''");
    conn.execute_batch(&format!(
        "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY; SET TRANSACTION SNAPSHOT '{quoted}';
         SET LOCAL lock_timeout = '1s'"
    ))
}
