//! Schema migrations on `PRAGMA user_version`: each step in its own transaction, a backup
//! before upgrading a book that holds data, and a book newer than this binary refused.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use crate::error::{Error, Result};

/// The SQL of each version, in order; index 0 takes a book from version 0 to 1.
const STEPS: &[&str] = &[
    include_str!("migrations/0001_init.sql"),
    include_str!("migrations/0002_reconnect_index.sql"),
    include_str!("migrations/0003_report_indexes.sql"),
    include_str!("migrations/0004_open_follow_ups.sql"),
    include_str!("migrations/0005_covering_daily_indexes.sql"),
    include_str!("migrations/0006_report_history.sql"),
    include_str!("migrations/0007_board_next_steps.sql"),
    include_str!("migrations/0008_follow_up_labels.sql"),
    include_str!("migrations/0009_output_import_undo.sql"),
];

pub const SCHEMA_VERSION: i64 = STEPS.len() as i64;

pub fn migrate(conn: &mut Connection, path: Option<&Path>) -> Result<()> {
    migrate_to(conn, path, SCHEMA_VERSION)
}

/// Migrates up to `target` only: tests use it to make books of earlier schemas.
pub fn migrate_to(conn: &mut Connection, path: Option<&Path>, target: i64) -> Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(Error::env(format!(
            "this book was written by a newer salesdesk (schema {current}, this one knows {SCHEMA_VERSION}); \
             upgrade salesdesk to open it"
        )));
    }
    if current >= target {
        return Ok(());
    }
    if current > 0
        && let Some(path) = path
    {
        crate::ops::backup::automatic(conn, path, "pre-migration", 7)?;
    }
    for (i, sql) in STEPS
        .iter()
        .enumerate()
        .take(target as usize)
        .skip(current as usize)
    {
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
    fn a_book_of_schema_1_upgrades_keeping_its_rows_and_a_backup() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let mut c = Connection::open(&path).unwrap();
            migrate_to(&mut c, Some(&path), 1).unwrap();
            c.execute_batch(
                "INSERT INTO contacts(name, name_key, cadence_days, created_at, updated_at)
                 VALUES ('Ana', 'ana', 30, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');",
            )
            .unwrap();
        }
        let db = crate::storage::Db::open(&path).unwrap();
        let v: i64 = db
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        let name: String = db
            .conn
            .query_row("SELECT name FROM contacts", [], |r| r.get(0))
            .unwrap();
        assert_eq!(name, "Ana");
        let plan: String = db
            .conn
            .query_row(
                "EXPLAIN QUERY PLAN SELECT count(*) FROM contacts WHERE cadence_days IS NOT NULL AND archived = 0 AND open_follow_ups = 0",
                [],
                |r| r.get(3),
            )
            .unwrap();
        assert!(plan.contains("contacts_reconnect"), "{plan}");
        let backups = crate::ops::backup::list(&crate::paths::backups_dir(&path)).unwrap();
        assert_eq!(backups.len(), 1, "a backup before the migration");
    }

    #[test]
    fn a_book_of_schema_4_gets_the_ends_of_its_stage_history() {
        let mut c = Connection::open_in_memory().unwrap();
        migrate_to(&mut c, None, 4).unwrap();
        let t = "2026-01-01T00:00:00Z";
        c.execute_batch(&format!(
            "INSERT INTO contacts(name, name_key, created_at, updated_at)
               VALUES ('Ana', 'ana', '{t}', '{t}');
             INSERT INTO deals(title, contact_id, currency, stage, stage_entered_at,
                               created_at, updated_at)
               VALUES ('a', 1, 'USD', 'Lead', '{t}', '{t}', '{t}');
             INSERT INTO deal_events(deal_id, event, stage, at) VALUES
               (1, 'stage', 'Lead', '2026-01-05T00:00:00Z'),
               (1, 'stage', 'Qualified', '2026-01-03T00:00:00Z'),
               (1, 'won', 'Qualified', '2026-01-09T00:00:00Z');"
        ))
        .unwrap();
        migrate(&mut c, None).unwrap();
        let ends: Vec<Option<String>> = c
            .prepare("SELECT ended_at FROM deal_events ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            ends,
            [
                Some("2026-01-09T00:00:00Z".to_string()),
                Some("2026-01-05T00:00:00Z".to_string()),
                None
            ]
        );
        assert!(crate::storage::derived::mismatches(&c).unwrap().is_empty());
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
