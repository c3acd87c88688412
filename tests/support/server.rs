//! Books on the PostgreSQL test server: `SALESDESK_TEST_PG` names a database on it (as
//! `scripts/pg-cluster.sh env` prints); each server book is a fresh database beside it,
//! made by the same user through the `postgres` maintenance database, and dropped with its
//! `Book`. Without the variable the server tests skip, saying why; with
//! `SALESDESK_REQUIRE_PG=1` (CI) they fail instead.

use std::sync::atomic::{AtomicUsize, Ordering};

use salesdesk::storage::pg::connect;
use salesdesk::storage::pg::values::Col;
use salesdesk::storage::sql::Value;

/// The test server's address, or None having said why there is none (a panic when one is
/// required).
pub fn test_server() -> Option<String> {
    match std::env::var("SALESDESK_TEST_PG") {
        Ok(a) if !a.is_empty() => Some(a),
        _ => {
            skip("SALESDESK_TEST_PG is not set (scripts/pg-cluster.sh starts a server)");
            None
        }
    }
}

/// Says why a server test does not run; fails it when the server is required.
pub fn skip(why: &str) {
    assert!(
        std::env::var_os("SALESDESK_REQUIRE_PG").is_none(),
        "SALESDESK_REQUIRE_PG is set, but {why}"
    );
    eprintln!("skipped: {why}");
}

/// `address` with its database name replaced by `dbname` (`postgres://u@h/NAME?…`).
pub fn with_dbname(address: &str, dbname: &str) -> String {
    let scheme_end = address.find("://").map_or(0, |i| i + 3);
    let (head, rest) = address.split_at(scheme_end);
    let query_at = rest.find('?').unwrap_or(rest.len());
    let (before_query, query) = rest.split_at(query_at);
    let host_part = match before_query.find('/') {
        Some(i) => &before_query[..i],
        None => before_query,
    };
    format!("{head}{host_part}/{dbname}{query}")
}

/// A database made for one book, dropped (whoever is still connected) when this drops.
pub struct ServerDb {
    admin: String,
    pub name: String,
    pub address: String,
}

static MADE: AtomicUsize = AtomicUsize::new(0);

impl ServerDb {
    /// A new empty database on the server `base` names.
    pub fn create(base: &str) -> ServerDb {
        let admin = with_dbname(base, "postgres");
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let name = format!(
            "sd_{}_{}_{nanos}",
            std::process::id(),
            MADE.fetch_add(1, Ordering::Relaxed)
        );
        let mut client = connect::connect(&admin)
            .unwrap_or_else(|e| panic!("connecting to the test server's postgres database: {e}"));
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap_or_else(|e| panic!("CREATE DATABASE {name}: {e}"));
        ServerDb {
            address: with_dbname(base, &name),
            admin,
            name,
        }
    }

    /// A connection to the book's database.
    pub fn client(&self) -> postgres::Client {
        connect::connect(&self.address)
            .unwrap_or_else(|e| panic!("connecting to {}: {e}", self.name))
    }

    /// Each row `sql` returns, its columns read as storage reads them (SQLite's value
    /// classes).
    pub fn rows(&self, sql: &str) -> Vec<Vec<Value>> {
        let rows = self
            .client()
            .query(sql, &[])
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        rows.iter()
            .map(|r| (0..r.len()).map(|i| r.get::<_, Col>(i).0).collect())
            .collect()
    }
}

impl Drop for ServerDb {
    fn drop(&mut self) {
        let dropped = connect::connect(&self.admin).map(|mut c| {
            c.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
        });
        match dropped {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("warning: could not drop {}: {e}", self.name),
            Err(e) => eprintln!("warning: could not drop {}: {e}", self.name),
        }
    }
}
