//! A connection to a server book as the facade (`storage::sql`) uses it: statements prepared
//! once per text and kept, SQLite's `?N` parameters written as PostgreSQL's `$N`, arguments
//! and rows in the facade's neutral values (`values`).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;
use postgres::{Client, Row, Statement};

use super::values::Arg;

/// A live connection to a server book.
pub struct Session {
    client: RefCell<Client>,
    statements: RefCell<HashMap<String, Statement>>,
    /// The address as given, to connect again after the connection was lost. Never shown.
    address: String,
    /// The address as shown to the user (no password).
    pub shown: String,
    /// The server process of this connection: its own change notices are not news.
    pid: Cell<i32>,
    /// Whether this connection listens for other clients' changes (it starts to when first
    /// asked for them).
    listening: Cell<bool>,
    /// How many changes of other clients were heard of, plus one per reconnection.
    heard: Cell<i64>,
    /// Set when the connection was made again; taken by whoever tells the user.
    reconnected: Cell<bool>,
    /// The login this session works as: the user whose rows are "mine".
    login: RefCell<String>,
    /// Cursors open now (`for_each_row` within another's rows): each has its own name.
    cursors: Cell<u32>,
}

/// The channel every change is announced on when it commits.
pub const CHANNEL: &str = "salesdesk_changed";

/// Rows a cursor hands over at once (`for_each_row`): a few hundred kB of notes.
pub const CURSOR_ROWS: usize = 2000;

/// How many statement texts a session keeps prepared (a desk uses about a hundred).
const KEEP_STATEMENTS: usize = 256;

impl Session {
    /// The address as given (with any password in it): only to connect again.
    pub fn address(&self) -> &str {
        &self.address
    }

    pub fn new(client: Client, address: &str) -> Session {
        let s = Session {
            client: RefCell::new(client),
            statements: RefCell::new(HashMap::new()),
            address: address.to_string(),
            shown: super::address::redact(address),
            pid: Cell::new(0),
            listening: Cell::new(false),
            heard: Cell::new(0),
            reconnected: Cell::new(false),
            login: RefCell::new(String::new()),
            cursors: Cell::new(0),
        };
        s.identify();
        s
    }

    /// Learns the connection's server process and login (one round trip).
    fn identify(&self) {
        let row = self
            .client
            .borrow_mut()
            .query_one("SELECT pg_backend_pid(), current_user::text", &[]);
        let (pid, login) = match row {
            Ok(r) => (r.try_get(0).unwrap_or(0), r.try_get(1).unwrap_or_default()),
            Err(_) => (0, String::new()),
        };
        self.pid.set(pid);
        *self.login.borrow_mut() = login;
    }

    /// The login this session works as.
    pub fn login(&self) -> String {
        self.login.borrow().clone()
    }

    /// Connects again when the connection was lost (a server restart, a network drop):
    /// what a read or a change does first, so the next one works once the server is back.
    pub fn ensure_open(&self) -> crate::error::Result<()> {
        if !self.is_closed() {
            return Ok(());
        }
        let connected = super::connect::connect_noting(&self.address)?;
        *self.client.borrow_mut() = connected.client;
        self.statements.borrow_mut().clear();
        self.identify();
        let _ = super::open::set_time_zone(self);
        super::open::tune(self)?;
        if self.listening.get() {
            self.batch(&format!("LISTEN {CHANNEL}"))?;
        }
        // Whatever changed while the connection was down was not heard: a new version makes
        // an open desk read everything again.
        self.heard.set(self.heard.get() + 1);
        self.reconnected.set(true);
        Ok(())
    }

    /// A number that changes when another client has committed a change since the last
    /// call (as SQLite's `data_version`): the changes announced on [`CHANNEL`], read without
    /// waiting.
    pub fn data_version(&self) -> crate::error::Result<i64> {
        // A lost connection shows only when something is sent: an empty query (a round trip
        // on the socket, well under a millisecond) finds it, and the next call connects again.
        let alive = self
            .client
            .borrow_mut()
            .is_valid(std::time::Duration::from_secs(2));
        if let Err(e) = alive
            && !self.is_closed()
        {
            return Err(e.into());
        }
        self.ensure_open()?;
        if !self.listening.get() {
            self.batch(&format!("LISTEN {CHANNEL}"))?;
            self.listening.set(true);
        }
        let own = self.pid.get();
        let mut client = self.client.borrow_mut();
        let mut heard = self.heard.get();
        let mut notices = client.notifications();
        let mut pending = notices.iter();
        while let Some(n) = pending.next()? {
            if n.process_id() != own {
                heard += 1;
            }
        }
        self.heard.set(heard);
        Ok(heard)
    }

    /// Whether the connection was made again since the last call.
    pub fn take_reconnected(&self) -> bool {
        self.reconnected.replace(false)
    }

    /// The statement for `sql` (SQLite's dialect of parameters), prepared on first use.
    pub fn prepare(&self, sql: &str) -> Result<Statement, postgres::Error> {
        if let Some(s) = self.statements.borrow().get(sql) {
            return Ok(s.clone());
        }
        let stmt = self.client.borrow_mut().prepare(&dollar_params(sql))?;
        let mut kept = self.statements.borrow_mut();
        if kept.len() >= KEEP_STATEMENTS {
            kept.clear();
        }
        kept.insert(sql.to_string(), stmt.clone());
        Ok(stmt)
    }

    pub fn execute(&self, stmt: &Statement, args: &[Arg]) -> Result<u64, postgres::Error> {
        let refs: Vec<&(dyn ToSql + Sync)> = args.iter().map(|a| a as _).collect();
        self.client.borrow_mut().execute(stmt, &refs)
    }

    pub fn query(&self, stmt: &Statement, args: &[Arg]) -> Result<Vec<Row>, postgres::Error> {
        let refs: Vec<&(dyn ToSql + Sync)> = args.iter().map(|a| a as _).collect();
        self.client.borrow_mut().query(stmt, &refs)
    }

    /// Hands `f` each row of `sql` (a query without arguments) as it comes, through a cursor
    /// of the open transaction read [`CURSOR_ROWS`] at a time: an export of two million notes
    /// never holds them all (`query` does). `f` may run other statements meanwhile: a cursor
    /// is a name in the transaction, not a busy connection.
    pub fn for_each_row<E: From<postgres::Error>>(
        &self,
        sql: &str,
        mut f: impl FnMut(&Row) -> Result<(), E>,
    ) -> Result<(), E> {
        let depth = self.cursors.get();
        let name = format!("salesdesk_rows_{depth}");
        self.batch(&format!(
            "DECLARE {name} NO SCROLL CURSOR FOR {}",
            dollar_params(sql)
        ))?;
        // Prepared for this cursor alone, never kept: the next cursor of that name returns
        // other columns.
        let fetch = self
            .client
            .borrow_mut()
            .prepare(&format!("FETCH FORWARD {CURSOR_ROWS} FROM {name}"))?;
        self.cursors.set(depth + 1);
        let read: Result<(), E> = (|| loop {
            let rows = self.query(&fetch, &[])?;
            for r in &rows {
                f(r)?;
            }
            if rows.len() < CURSOR_ROWS {
                return Ok(());
            }
        })();
        self.cursors.set(depth);
        // Closed even when `f` failed (the transaction may go on); when the server failed, the
        // transaction is aborted, which closed it already, and refuses the CLOSE: no matter.
        let closed = self.batch(&format!("CLOSE {name}"));
        read?;
        Ok(closed?)
    }

    /// Runs `sql` (a `COPY … FROM STDIN`) with `data` as its rows in COPY's text format
    /// (`copy::CopyRows`); returns the rows copied.
    pub fn copy_in(&self, sql: &str, data: &[u8]) -> Result<u64, crate::storage::sql::Error> {
        use std::io::Write;
        let mut client = self.client.borrow_mut();
        let mut writer = client.copy_in(sql)?;
        match writer.write_all(data) {
            Ok(()) => Ok(writer.finish()?),
            // The stream broke: the server's own error, when it gave one, says why.
            Err(e) => match writer.finish() {
                Err(server) => Err(server.into()),
                Ok(_) => Err(crate::storage::sql::Error::Other(Box::new(
                    crate::error::Error::env(format!("sending rows to the server: {e}")),
                ))),
            },
        }
    }

    /// Runs statements separated by `;` with no parameters (transaction control, schema).
    pub fn batch(&self, sql: &str) -> Result<(), postgres::Error> {
        self.client.borrow_mut().batch_execute(sql)
    }

    /// Whether the connection to the server is gone.
    pub fn is_closed(&self) -> bool {
        self.client.borrow().is_closed()
    }
}

/// What the server said, in one line: its message for a refused statement, else the
/// client's (a lost connection).
pub fn message(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(d) => d.message().to_string(),
        None if e.is_closed() => "the connection to the server was lost".to_string(),
        None => e.to_string(),
    }
}

impl From<postgres::Error> for crate::error::Error {
    fn from(e: postgres::Error) -> Self {
        crate::storage::sql::Error::Pg(e).into()
    }
}

/// `sql` in PostgreSQL's terms: SQLite's parameters (`?1`, and a bare `?` meaning one more
/// than the highest so far) written as `$1`, and SQLite's index pins (`INDEXED BY name`, a
/// planner hint PostgreSQL has no syntax for) left out. Quoted text, quoted names and comments
/// are left alone.
pub fn dollar_params(sql: &str) -> String {
    strip_indexed_by(&numbered(sql))
}

/// Drops each `INDEXED BY name` outside quotes.
fn strip_indexed_by(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut words = sql.split_inclusive(char::is_whitespace).peekable();
    let mut quotes = 0usize;
    while let Some(w) = words.next() {
        if quotes.is_multiple_of(2) && w.trim_end().eq_ignore_ascii_case("INDEXED") {
            let by = words
                .peek()
                .is_some_and(|n| n.trim_end().eq_ignore_ascii_case("BY"));
            if by {
                words.next();
                // The index's name, and what followed it on its word (a comma, a newline).
                if let Some(name) = words.next() {
                    let rest = name.trim_start_matches(|c: char| c.is_alphanumeric() || c == '_');
                    out.push_str(rest);
                }
                continue;
            }
        }
        quotes += w.matches('\'').count();
        out.push_str(w);
    }
    out
}

fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.char_indices().peekable();
    let mut highest = 0u32;
    while let Some((_, c)) = chars.next() {
        match c {
            '\'' | '"' => {
                out.push(c);
                for (_, d) in chars.by_ref() {
                    out.push(d);
                    if d == c {
                        break;
                    }
                }
            }
            '-' if chars.peek().is_some_and(|(_, d)| *d == '-') => {
                out.push(c);
                for (_, d) in chars.by_ref() {
                    out.push(d);
                    if d == '\n' {
                        break;
                    }
                }
            }
            '?' => {
                let mut digits = String::new();
                while let Some((_, d)) = chars.peek().filter(|(_, d)| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                let n = match digits.parse::<u32>() {
                    Ok(n) => n,
                    Err(_) => highest + 1,
                };
                highest = highest.max(n);
                out.push('$');
                out.push_str(&n.to_string());
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_numbered_as_sqlite_numbers_them() {
        assert_eq!(
            dollar_params("SELECT ?1, ?2 WHERE a = ?1"),
            "SELECT $1, $2 WHERE a = $1"
        );
        assert_eq!(dollar_params("VALUES (?, ?, ?)"), "VALUES ($1, $2, $3)");
        assert_eq!(dollar_params("VALUES (?3, ?)"), "VALUES ($3, $4)");
        assert_eq!(
            dollar_params("SELECT '?1', \"a?\" -- what?\n, ?1"),
            "SELECT '?1', \"a?\" -- what?\n, $1"
        );
        assert_eq!(dollar_params("SELECT 'it''s ?'"), "SELECT 'it''s ?'");
    }

    #[test]
    fn index_pins_are_left_out_and_quoted_text_is_not() {
        assert_eq!(
            dollar_params("SELECT x FROM t INDEXED BY t_x\n WHERE a = ?1"),
            "SELECT x FROM t \n WHERE a = $1"
        );
        assert_eq!(
            dollar_params("FROM d indexed by d_i JOIN c INDEXED BY c_i ON c.id = d.c"),
            "FROM d  JOIN c  ON c.id = d.c"
        );
        assert_eq!(
            dollar_params("SELECT 'INDEXED BY x' FROM t"),
            "SELECT 'INDEXED BY x' FROM t"
        );
    }
}
