//! What only a book on a PostgreSQL server does: its schema made by `db init` and upgraded
//! only by `db migrate`, a schema this salesdesk does not know refused by every command, the
//! file-only commands (backup, restore, demo over a book) refused with what to use instead,
//! and purge saying what the server keeps. Skipped without a test server (see
//! `support::server`), failed when one is required.

use crate::support::Book;
use crate::support::server::{ServerDb, test_server};

#[test]
fn db_init_makes_the_schema_once_and_other_commands_name_it_until_then() {
    let Some(base) = test_server() else {
        return;
    };
    let db = ServerDb::create(&base);
    let mut b = Book::new();
    b.db = std::path::PathBuf::from(&db.address);
    // An empty database: every command but `db init` refuses, naming it.
    for cmd in [
        &["today"][..],
        &["contact", "add", "--name", "Ana"],
        &["db", "migrate"],
    ] {
        let e = b.fails(cmd, 1);
        assert!(e.contains("holds no salesdesk book yet"), "{cmd:?}: {e}");
        assert!(e.contains("db init"), "{e}");
    }
    let out = b.ok(&["db", "init"]);
    assert!(out.starts_with("created the book on postgres://"), "{out}");
    // Again: nothing to do, said so.
    let again = b.ok(&["db", "init"]);
    assert!(
        again.contains("is at schema 1, this salesdesk's"),
        "{again}"
    );
    let migrated = b.ok(&["db", "migrate"]);
    assert!(migrated.contains("is at schema 1"), "{migrated}");
    b.ok(&["contact", "add", "--name", "Ana Souza"]);
    let check = b.ok(&["db", "check"]);
    assert!(
        check.starts_with("ok: postgres://") && check.contains("(schema 1)"),
        "{check}"
    );
}

#[test]
fn a_schema_this_salesdesk_does_not_know_is_refused_by_every_command() {
    let Some(b) = Book::server() else {
        return;
    };
    b.ok(&["contact", "add", "--name", "Ana Souza"]);
    let before = b.dump();
    b.sql("INSERT INTO schema_migrations(version, name, sqlite_user_version, applied_at) VALUES (99, '0099_future', 99, '2027-01-01T00:00:00Z')");
    for cmd in [
        &["today"][..],
        &["contact", "add", "--name", "Bo"],
        &["search", "ana"],
        &["export", "--format", "json"],
    ] {
        let e = b.fails(cmd, 1);
        assert!(
            e.contains("schema 99") && e.contains("upgrade salesdesk"),
            "{cmd:?}: {e}"
        );
    }
    // Nor does `db migrate` touch a newer book.
    let e = b.fails(&["db", "migrate"], 1);
    assert!(e.contains("newer than this salesdesk knows"), "{e}");
    b.sql("DELETE FROM schema_migrations WHERE version = 99");
    assert_eq!(b.dump(), before, "nothing changed");
}

#[test]
fn file_only_commands_say_what_to_use_on_a_server() {
    let Some(b) = Book::server() else {
        return;
    };
    b.ok(&["contact", "add", "--name", "Ana Souza"]);
    let file = b.file("copy.db");
    let e = b.fails(&["backup", file.to_str().unwrap()], 2);
    assert!(e.contains("pg_dump"), "{e}");
    let e = b.fails(&["backup"], 2);
    assert!(e.contains("pg_dump"), "{e}");
    let e = b.fails(&["restore", file.to_str().unwrap()], 2);
    assert!(e.contains("pg_restore"), "{e}");
    let e = b.fails(&["demo", "--force"], 2);
    assert!(e.contains("empty database"), "{e}");
    assert!(!file.exists(), "no file was written");
    let out = b.ok(&["contact", "purge", "Ana Souza", "--yes"]);
    assert!(out.contains("purged Ana Souza"), "{out}");
    assert!(
        out.contains("the server's backups and replicas keep copies"),
        "{out}"
    );
    let left = b.rows("SELECT count(*) FROM contacts");
    assert_eq!(left, vec![vec![rusqlite::types::Value::Integer(0)]]);
}
