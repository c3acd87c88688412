//! Schema migrations on `PRAGMA user_version`: each step in its own transaction, a backup
//! before upgrading a book that holds data, and a book newer than this binary refused.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use crate::error::{Error, Result};

/// The SQL of each version, in order; index 0 takes a book from version 0 to 1.
const STEPS: &[&str] = &[include_str!("migrations/0001_init.sql")];

pub const SCHEMA_VERSION: i64 = STEPS.len() as i64;

pub fn migrate(conn: &mut Connection, path: Option<&Path>) -> Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(Error::env(format!(
            "this book was written by a newer salesdesk (schema {current}, this one knows {SCHEMA_VERSION}); \
             upgrade salesdesk to open it"
        )));
    }
    if current == SCHEMA_VERSION {
        return Ok(());
    }
    if current > 0
        && let Some(path) = path
    {
        crate::ops::backup::automatic(conn, path, "pre-migration", 7)?;
    }
    for (i, sql) in STEPS.iter().enumerate().skip(current as usize) {
        let to = i as i64 + 1;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Another process may have migrated while we waited for the lock.
        let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if now >= to {
            tx.commit()?;
            continue;
        }
        tx.execute_batch(sql)
            .map_err(|e| Error::env(format!("upgrading the book to schema {to} failed: {e}")))?;
        tx.pragma_update(None, "user_version", to)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_book_reaches_current_version() {
        let mut c = Connection::open_in_memory().unwrap();
        migrate(&mut c, None).unwrap();
        let v: i64 = c
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        // running it again is a no-op
        migrate(&mut c, None).unwrap();
    }

    #[test]
    fn newer_book_is_refused() {
        let mut c = Connection::open_in_memory().unwrap();
        c.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        let e = migrate(&mut c, None).unwrap_err();
        assert_eq!(e.exit_code(), 1);
        assert!(e.to_string().contains("newer salesdesk"));
    }
}
