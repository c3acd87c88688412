//! A connection to a server book as the facade (`storage::sql`) uses it: statements prepared
//! once per text and kept, SQLite's `?N` parameters written as PostgreSQL's `$N`, arguments
//! and rows in the facade's neutral values (`values`).

use std::cell::RefCell;
use std::collections::HashMap;

use postgres::types::ToSql;
use postgres::{Client, Row, Statement};

use super::values::Arg;

/// A live connection to a server book.
pub struct Session {
    client: RefCell<Client>,
    statements: RefCell<HashMap<String, Statement>>,
    /// The address as shown to the user (no password).
    pub shown: String,
}

/// How many statement texts a session keeps prepared (a desk uses about a hundred).
const KEEP_STATEMENTS: usize = 256;

impl Session {
    pub fn new(client: Client, shown: String) -> Session {
        Session {
            client: RefCell::new(client),
            statements: RefCell::new(HashMap::new()),
            shown,
        }
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

/// `sql` with SQLite's parameters (`?1`, and a bare `?` meaning one more than the highest so
/// far) written as PostgreSQL's `$1`. Quoted text, quoted names and comments are left alone.
pub fn dollar_params(sql: &str) -> String {
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
}
