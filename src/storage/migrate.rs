//! Schema migrations on `PRAGMA user_version`: each step in its own transaction, a backup
//! before upgrading a book that holds data, and a book newer than this binary refused.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use crate::error::{Error, Result};

/// The SQL of each version, in order; index 0 takes a book from version 0 to 1.
const STEPS: &[(&str, &str)] = &[
    ("0001_init", include_str!("migrations/0001_init.sql")),
    (
        "0002_reconnect_index",
        include_str!("migrations/0002_reconnect_index.sql"),
    ),
    (
        "0003_report_indexes",
        include_str!("migrations/0003_report_indexes.sql"),
    ),
    (
        "0004_open_follow_ups",
        include_str!("migrations/0004_open_follow_ups.sql"),
    ),
    (
        "0005_covering_daily_indexes",
        include_str!("migrations/0005_covering_daily_indexes.sql"),
    ),
    (
        "0006_report_history",
        include_str!("migrations/0006_report_history.sql"),
    ),
    (
        "0007_board_next_steps",
        include_str!("migrations/0007_board_next_steps.sql"),
    ),
    (
        "0008_follow_up_labels",
        include_str!("migrations/0008_follow_up_labels.sql"),
    ),
    (
        "0009_fold_and_outcomes",
        include_str!("migrations/0009_fold_and_outcomes.sql"),
    ),
    (
        "0010_import_undo",
        include_str!("migrations/0010_import_undo.sql"),
    ),
    (
        "0011_reminders",
        include_str!("migrations/0011_reminders.sql"),
    ),
    (
        "0012_sequences",
        include_str!("migrations/0012_sequences.sql"),
    ),
    (
        "0013_pipelines",
        include_str!("migrations/0013_pipelines.sql"),
    ),
    ("0014_owners", include_str!("migrations/0014_owners.sql")),
    (
        "0015_calls_by_author",
        include_str!("migrations/0015_calls_by_author.sql"),
    ),
];

pub const SCHEMA_VERSION: i64 = STEPS.len() as i64;

/// The version a migration brings a book to, by its file's name (`0013_pipelines`): tests make
/// books of the schema before a step without counting steps.
pub fn version_of(name: &str) -> Option<i64> {
    STEPS
        .iter()
        .position(|(n, _)| *n == name)
        .map(|i| i as i64 + 1)
}

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
        super::backup::automatic(conn, path, "pre-migration", 7)?;
    }
    for (i, (_, sql)) in STEPS
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
        tx.execute_batch(&crate::storage::expand_fold(sql))
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
            .lite()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        let name: String = db
            .conn
            .lite()
            .query_row("SELECT name FROM contacts", [], |r| r.get(0))
            .unwrap();
        assert_eq!(name, "Ana");
        let plan: String = db
            .conn
            .lite()
            .query_row(
                "EXPLAIN QUERY PLAN SELECT count(*) FROM contacts WHERE cadence_days IS NOT NULL AND archived = 0 AND open_follow_ups = 0",
                [],
                |r| r.get(3),
            )
            .unwrap();
        assert!(plan.contains("contacts_reconnect"), "{plan}");
        let backups = crate::storage::backup::list(&crate::paths::backups_dir(&path)).unwrap();
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
        assert!(
            crate::storage::Snapshot::lend(&mut c, crate::storage::derived::mismatches)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn a_book_of_schema_8_is_refolded_and_its_notes_take_the_new_outcomes() {
        let mut c = Connection::open_in_memory().unwrap();
        migrate_to(&mut c, None, 8).unwrap();
        let t = "2026-01-01T00:00:00Z";
        // Keys as the fold of schema 8 wrote them: ø, ł and ß kept.
        c.execute_batch(&format!(
            "INSERT INTO companies(name, name_key, created_at, updated_at)
               VALUES ('Søndergaard ApS', 'søndergaard aps', '{t}', '{t}'),
                      ('Sondergaard ApS', 'sondergaard aps', '{t}', '{t}');
             INSERT INTO contacts(name, name_key, company_id, title, tags, created_at, updated_at)
               VALUES ('Bjørn Olsen', 'bjørn olsen', 1, 'Leiter Straße', '[\"Købmand\"]', '{t}', '{t}'),
                      ('Łukasz Nowak', 'łukasz nowak', NULL, NULL, '[]', '{t}', '{t}'),
                      ('Ana Pereira', 'ana pereira', 2, NULL, '[]', '{t}', '{t}');
             INSERT INTO deals(title, contact_id, currency, stage, stage_entered_at, created_at, updated_at)
               VALUES ('Øresund rollout', 3, 'USD', 'Lead', '{t}', '{t}', '{t}');
             INSERT INTO notes(contact_id, kind, outcome, body, created_at, updated_at)
               VALUES (1, 'call', 'connected', 'Talked about the Hauptstraße shop', '{t}', '{t}'),
                      (2, 'note', NULL, 'plain', '{t}', '{t}'),
                      (2, 'note', NULL, 'removed later', '{t}', '{t}');
             DELETE FROM notes WHERE id = 3;"
        ))
        .unwrap();
        migrate(&mut c, None).unwrap();

        assert_eq!(
            crate::storage::Snapshot::lend(&mut c, |s| crate::storage::contacts::resolve(
                s, "bjorn"
            ))
            .unwrap(),
            1
        );
        assert_eq!(
            crate::storage::Snapshot::lend(&mut c, |s| crate::storage::contacts::resolve(
                s, "lukasz"
            ))
            .unwrap(),
            2
        );
        let keys: Vec<String> = c
            .prepare("SELECT name_key FROM companies ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            keys,
            ["søndergaard aps", "sondergaard aps"],
            "two companies that fold alike keep their keys"
        );
        for (q, kind, id) in [
            ("bjorn", HitKindName::Contact, 1),
            ("lukasz", HitKindName::Contact, 2),
            ("strasse", HitKindName::Contact, 1),
            ("kobmand", HitKindName::Contact, 1),
            ("oresund", HitKindName::Deal, 1),
            ("hauptstrasse", HitKindName::Note, 1),
            ("removed", HitKindName::None, 0),
        ] {
            let hits = crate::storage::Snapshot::lend(&mut c, |s| {
                crate::storage::search::search(s, q, 10)
            })
            .unwrap();
            let found = hits.iter().any(|h| {
                let k = match h.kind {
                    crate::domain::search::HitKind::Contact => HitKindName::Contact,
                    crate::domain::search::HitKind::Deal => HitKindName::Deal,
                    crate::domain::search::HitKind::Note => HitKindName::Note,
                    crate::domain::search::HitKind::Company => HitKindName::None,
                };
                k == kind && h.id == id
            });
            assert!(found || kind == HitKindName::None, "{q}: {hits:?}");
            if kind == HitKindName::None && q == "removed" {
                assert!(hits.is_empty(), "{hits:?}");
            }
        }
        for t in [
            "notes_fts",
            "contacts_fts",
            "contacts_tri",
            "companies_fts",
            "deals_fts",
        ] {
            c.execute(
                &format!("INSERT INTO {t}({t}) VALUES ('integrity-check')"),
                [],
            )
            .unwrap();
        }
        // The new outcomes are accepted, and ids go on past the removed note.
        c.execute(
            "INSERT INTO notes(contact_id, kind, outcome, body, created_at, updated_at)
             VALUES (1, 'email', 'replied', 'yes', ?1, ?1)",
            [t],
        )
        .unwrap();
        assert_eq!(c.last_insert_rowid(), 4);
        let last: Option<String> = c
            .query_row(
                "SELECT last_contacted_at FROM contacts WHERE id = 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(last.as_deref(), Some(t), "the notes triggers are back");
        assert!(
            crate::storage::Snapshot::lend(&mut c, crate::storage::derived::mismatches)
                .unwrap()
                .is_empty()
        );
    }

    #[derive(Debug, PartialEq, Clone, Copy)]
    enum HitKindName {
        Contact,
        Deal,
        Note,
        None,
    }

    #[test]
    fn fold_sql_folds_as_text_fold_does() {
        let c = Connection::open_in_memory().unwrap();
        for s in [
            "Bjørn",
            "ØRESUND",
            "Straße",
            "ẞ",
            "Þór",
            "plain ascii",
            "Łódź",
        ] {
            let folded: String = c
                .query_row(
                    &format!("SELECT {}", crate::storage::fold_sql("?1")),
                    [s],
                    |r| r.get(0),
                )
                .unwrap();
            // SQL folds the letters only; case and marks are the tokenizer's.
            assert_eq!(crate::text::fold(&folded), crate::text::fold(s), "{s}");
            assert!(
                !folded
                    .chars()
                    .any(|ch| crate::text::FOLDED_LETTERS.iter().any(|(l, _)| *l == ch)),
                "{s} → {folded}"
            );
        }
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
