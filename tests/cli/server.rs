//! What only a book on a PostgreSQL server does: its schema made by `db init` and upgraded
//! only by `db migrate`, a schema this salesdesk does not know refused by every command, the
//! file-only commands (backup, restore, demo over a book) refused with what to use instead,
//! and purge saying what the server keeps. Skipped without a test server (see
//! `support::server`), failed when one is required.

use crate::support::Book;
use crate::support::server::{ServerDb, test_server};
use crate::support::team::{member, server_book};

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
    let schema = salesdesk::storage::pg::migrate::SCHEMA_VERSION;
    assert!(
        again.contains(&format!("is at schema {schema}, this salesdesk's")),
        "{again}"
    );
    let migrated = b.ok(&["db", "migrate"]);
    assert!(
        migrated.contains(&format!("is at schema {schema}")),
        "{migrated}"
    );
    b.ok(&["contact", "add", "--name", "Ana Souza"]);
    let check = b.ok(&["db", "check"]);
    assert!(
        check.starts_with("ok: postgres://") && check.contains(&format!("(schema {schema})")),
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

#[test]
fn a_change_behind_another_writer_waits_then_says_why_and_leaves_the_session_whole() {
    let Some(b) = Book::server() else {
        return;
    };
    b.ok(&["contact", "add", "--name", "Ana Souza"]);
    // Another client holds the book's writer lock (as a long change would).
    let mut holder = b.server.as_ref().expect("a server book").client();
    let mut tx = holder.transaction().expect("a transaction");
    tx.batch_execute("SELECT pg_advisory_xact_lock(7106177105)")
        .expect("the writer lock");
    let e = b.fails(&["contact", "add", "--name", "Bo Lindqvist"], 1);
    assert!(e.contains("another salesdesk is writing"), "{e}");
    assert_eq!(e.lines().count(), 1, "{e}");
    // Reads go on meanwhile.
    assert!(b.ok(&["contact", "list"]).contains("Ana Souza"));
    tx.rollback().expect("released");
    b.ok(&["contact", "add", "--name", "Bo Lindqvist"]);
    assert!(b.ok(&["contact", "list"]).contains("Bo Lindqvist"));
}

/// The server's search totals (rows and words of each searched table, for bm25) follow every
/// kind of write, a bulk import and its undo included, and `db check` finds them set wrong.
#[test]
fn search_totals_follow_every_write_and_db_check_finds_them_wrong() {
    let Some(b) = Book::server() else {
        return;
    };
    let totals = |b: &Book| b.rows("SELECT tbl, rows, tokens FROM search_totals ORDER BY tbl");
    let empty = totals(&b);
    b.ok(&[
        "contact",
        "add",
        "--name",
        "Ana Souza",
        "--company",
        "Acme Corp",
    ]);
    b.ok(&["deal", "add", "--title", "Rollout", "--contact", "ana"]);
    b.ok(&["note", "ana", "called about the rollout"]);
    b.ok(&["contact", "edit", "ana", "--title", "Head of sales"]);
    b.ok(&[
        "import",
        crate::support::fixture("google.csv")
            .to_str()
            .expect("utf-8"),
    ]);
    b.ok(&["db", "check"]);
    assert_ne!(totals(&b), empty);
    for _ in 0..5 {
        b.ok(&["undo"]);
    }
    assert_eq!(totals(&b), empty, "all undone");
    b.ok(&["db", "check"]);

    b.ok(&["contact", "add", "--name", "Bo Lind"]);
    b.sql("UPDATE search_totals SET tokens = tokens + 1 WHERE tbl = 'contacts'");
    let e = b.fails(&["db", "check"], 1);
    assert!(e.contains("1 searched tables whose search totals"), "{e}");
}

/// Imports 1,000 people with a note each, `note(i)` the text of the i-th (from 1).
fn import_notes(b: &Book, note: impl Fn(usize) -> String) {
    let mut csv = String::from("name,notes\n");
    for i in 1..=1000 {
        csv.push_str(&format!("Person {i},{}\n", note(i)));
    }
    let path = b.dir.path().join("notes.csv");
    std::fs::write(&path, csv).expect("write");
    b.ok(&["import", path.to_str().expect("utf-8")]);
}

/// A word the table's statistics say is in at least `salesdesk.bm25_exact_below` rows takes
/// its bm25 IDF from them (server migration 6: counting a common word's rows read most of the
/// notes at every search); a rarer word is counted, and so is any word while the bound is
/// above the table's rows. The statistics here are made stale on purpose (half the notes with
/// `pricing` lose it after ANALYZE), so the estimate and the count differ and the test sees
/// which one was taken. A search of one word orders its hits the same either way.
#[test]
fn a_common_word_takes_its_idf_from_the_statistics_and_a_rare_one_is_counted() {
    let Some(b) = Book::server() else {
        return;
    };
    import_notes(&b, |i| {
        let pricing = if i % 10 == 0 { " pricing" } else { "" };
        let rare = if i % 50 == 0 { " rare" } else { "" };
        let priced = if i % 20 == 0 { " priced" } else { "" };
        let pad = " again".repeat(i % 5);
        format!("called{pricing}{rare}{priced}{pad}")
    });
    b.sql("ANALYZE note_search");
    // 50 of the 100 notes with `pricing` lose it: 50 rows now, 100 by the statistics.
    b.sql(
        "UPDATE notes SET body = replace(body, 'pricing', 'quote') WHERE id IN (
           SELECT id FROM notes WHERE body LIKE '%pricing%' AND body NOT LIKE '%rare%'
           ORDER BY id LIMIT 50)",
    );
    let bound = |v: &str| {
        b.sql(&format!(
            "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET salesdesk.bm25_exact_below = {v}',
                                        current_database()); END $$"
        ))
    };
    let idf = |word: &str| -> f64 {
        match &b.rows(&format!(
            "SELECT idf[1] FROM salesdesk_bm25_stats('notes', '{word}')"
        ))[0][0]
        {
            rusqlite::types::Value::Real(x) => *x,
            v => panic!("an IDF: {v:?}"),
        }
    };
    let ln = |hits: f64| ((1000.0 - hits + 0.5) / (hits + 0.5)).ln();
    let by_default = b.ok(&["search", "pricing", "--json"]);
    // The default bound (5,000) is over this book's 1,000 notes: every word is counted.
    assert_eq!(idf("pricing"), ln(50.0));
    assert_eq!(idf("rare"), ln(20.0));

    bound("60");
    assert_eq!(idf("pricing"), ln(100.0), "from the statistics");
    assert_eq!(
        idf("pri"),
        ln(150.0),
        "a prefix: the shares of the common words it starts, added up"
    );
    assert_eq!(idf("rare"), ln(20.0), "under the bound: counted");
    assert_eq!(
        b.ok(&["search", "pricing", "--json"]),
        by_default,
        "one word's hits in the same order"
    );
    b.ok(&["db", "check"]);
}

/// The newest window of a search's note matches is the same whichever way the server finds
/// it (server migration 7): among the newest notes when they hold a window, further newest
/// first when they hold some and their density says a window is near, or through the words'
/// index. Here with a window of 50 and 100 newest notes read first: `every` is in each note
/// (the first way), `tenth` in every tenth (the second: 10 in the newest 100, a window within
/// the newest 750), `rare` in five (the third), each compared with the index's answer.
#[test]
fn a_searchs_newest_note_matches_are_the_same_whichever_way_they_are_found() {
    let Some(b) = Book::server() else {
        return;
    };
    import_notes(&b, |i| {
        let tenth = if i % 10 == 0 { " tenth" } else { "" };
        let rare = if i % 200 == 0 { " rare" } else { "" };
        format!("every note{tenth}{rare}")
    });
    let mut client = b.server.as_ref().expect("a server book").client();
    // The notes found, and the way the function says it took.
    let mut matches = |word: &str, newest: i64| -> (Vec<i64>, String) {
        let mut tx = client.transaction().expect("a transaction");
        let ids = tx
            .query(
                "SELECT note_id FROM salesdesk_note_matches(salesdesk_prefix_query($1), $2, 50)",
                &[&word, &newest],
            )
            .expect("the matches")
            .iter()
            .map(|r| r.get(0))
            .collect();
        let way = tx
            .query_one("SELECT current_setting('salesdesk.note_way')", &[])
            .expect("the way")
            .get(0);
        (ids, way)
    };
    for (word, hits, way) in [
        ("every", 50, "newest"),
        ("tenth", 50, "reach"),
        ("rare", 5, "index"),
    ] {
        let (found, took) = matches(word, 100);
        assert_eq!((found.len(), took.as_str()), (hits, way), "{word}");
        assert_eq!(found, matches(word, 0).0, "{word}: as the index finds them");
    }
    let tenth = matches("tenth", 100).0;
    let newest = |word: &str| -> Vec<i64> {
        b.rows(&format!(
            "SELECT n.id FROM notes n JOIN note_search s ON s.note_id = n.id
             WHERE s.doc @@ salesdesk_prefix_query('{word}') ORDER BY n.id DESC LIMIT 50"
        ))
        .into_iter()
        .map(|r| match r[0] {
            rusqlite::types::Value::Integer(i) => i,
            ref v => panic!("an id: {v:?}"),
        })
        .collect()
    };
    assert_eq!(tenth, newest("tenth"));
}

/// The reconnect list and its count (`today`, `today --brief`) can read the contacts'
/// reconnect index alone (server migration 8): it carries every column they read, the id and
/// the owner included, as SQLite's carries the rowid. (Whether PostgreSQL then skips the table
/// depends on its visibility map; BENCHMARKS.md has the plans and times on the full book.)
#[test]
fn the_reconnect_index_covers_the_reconnect_list() {
    let Some(b) = Book::server() else {
        return;
    };
    let def = b.rows("SELECT pg_get_indexdef('contacts_reconnect'::regclass)");
    let rusqlite::types::Value::Text(def) = &def[0][0] else {
        panic!("an index definition: {def:?}");
    };
    for column in [
        "cadence_days",
        "last_contacted_at",
        "created_at",
        "archived",
        "open_follow_ups",
        "name_key",
        "name",
        "company_id",
    ] {
        assert!(def.contains(column), "{column}: {def}");
    }
    assert!(def.contains("INCLUDE (id, owner)"), "{def}");
    b.ok(&["contact", "add", "--name", "Lapsed", "--cadence", "1w"]);
    b.sql("UPDATE contacts SET last_contacted_at = '2026-01-01T09:00:00Z'");
    assert!(b.ok(&["today", "--brief"]).contains("1 reconnect"));
    assert!(b.ok(&["today"]).contains("Lapsed"));
}

/// A report cut to its owner (a member's own, by default) reads that owner's notes and
/// contacts from indexes that start with the owner (server migration 9): the week counts by
/// kind and outcome, and the sources by source and status.
#[test]
fn a_reports_owner_cut_has_its_indexes() {
    let Some(b) = Book::server() else {
        return;
    };
    for (index, want) in [
        (
            "notes_author_created",
            "(author, created_at) INCLUDE (kind, outcome)",
        ),
        ("contacts_owner_source", "(owner, source, status)"),
    ] {
        let def = b.rows(&format!("SELECT pg_get_indexdef('{index}'::regclass)"));
        let rusqlite::types::Value::Text(def) = &def[0][0] else {
            panic!("{index}: {def:?}");
        };
        assert!(def.contains(want), "{def}");
    }
    b.ok(&["contact", "add", "--name", "Ana", "--source", "referral"]);
    b.ok(&[
        "note",
        "ana",
        "called",
        "--kind",
        "call",
        "--outcome",
        "connected",
    ]);
    let r = b.json(&["report", "--json"]);
    assert_eq!(r["reps"][0]["calls"], 1, "{r}");
}

/// The first ranking's functions, unused since migration 4, are gone (migration 10).
#[test]
fn the_first_rankings_functions_are_gone() {
    let Some(b) = Book::server() else {
        return;
    };
    let left = b.rows(
        "SELECT count(*) FROM pg_proc
         WHERE proname IN ('salesdesk_rank', 'salesdesk_prefix_terms')",
    );
    assert_eq!(left, [[rusqlite::types::Value::Integer(0)]]);
    b.ok(&["contact", "add", "--name", "Ana Souza"]);
    assert!(b.ok(&["search", "ana"]).contains("Ana Souza"));
}

/// `today` reads what is due and whom to reconnect with side by side, on two connections that
/// share one snapshot. A login the server lets hold one connection at a time still gets its
/// whole list, both halves read on the one connection.
#[test]
fn today_reads_its_two_lists_side_by_side_or_on_one_connection() {
    let Some((logins, b)) = server_book() else {
        return;
    };
    let (rep, desk) = member(&logins, &b, "solo", "rep", "solo-pw");
    desk.ok(&["contact", "add", "--name", "Lapsed Lena", "--cadence", "1w"]);
    desk.ok(&["contact", "add", "--name", "Due Dora"]);
    desk.ok(&["follow-up", "Dora", "today", "send pricing"]);
    b.sql(
        "UPDATE contacts SET last_contacted_at = '2026-01-01T09:00:00Z' WHERE name = 'Lapsed Lena'",
    );
    let both = desk.ok(&["today"]);
    assert!(both.contains("send pricing"), "{both}");
    assert!(both.contains("Lapsed Lena"), "{both}");
    b.sql(&format!("ALTER ROLE {rep} CONNECTION LIMIT 1"));
    // The server processes of the commands before may still be ending, and would count.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let busy = || {
        !b.rows(&format!(
            "SELECT 1 FROM pg_stat_activity WHERE usename = '{rep}'"
        ))
        .is_empty()
    };
    while busy() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(desk.ok(&["today"]), both);
    let json = desk.ok(&["today", "--json"]);
    assert!(
        json.contains("Lapsed Lena") && json.contains("send pricing"),
        "{json}"
    );
}

/// The daily list reads its open follow-ups from an index alone, each one's text included
/// (server migration 11), whether cut to its owner (a member's own list) or not (the whole
/// team's): the table is read only for a text too long to be carried by the index, which
/// comes back whole. Counted by the server's own statistics of rows read from the table
/// through an index.
#[test]
fn the_due_list_reads_the_table_only_for_a_text_the_index_cannot_carry() {
    let Some(b) = Book::server() else {
        return;
    };
    for index in ["follow_ups_open", "follow_ups_owner_open"] {
        let def = b.rows(&format!("SELECT pg_get_indexdef('{index}'::regclass)"));
        let rusqlite::types::Value::Text(def) = &def[0][0] else {
            panic!("an index definition: {def:?}");
        };
        assert!(def.contains("text_head) WHERE"), "{def}");
    }
    b.ok(&["contact", "add", "--name", "Dora Due"]);
    let long = format!("agenda:{}", " pricing tiers and terms;".repeat(400));
    for text in ["send the deck", "call about the renewal", long.as_str()] {
        b.ok(&["follow-up", "Dora", "today", text]);
    }
    // Only the long text is left out of the index.
    let heads = b.rows("SELECT count(*) FROM follow_ups WHERE text_head IS NULL");
    assert_eq!(heads[0][0], rusqlite::types::Value::Integer(1));
    // A book with a history, where the planner takes the open follow-ups' index rather than
    // reading a small table whole, and 300 more due today; vacuumed, an index answers alone.
    // Committed to disk, with what came before: a row's page is marked visible to all only
    // once its commit is (the test cluster commits without waiting for the disk).
    b.sql(
        "SET synchronous_commit = on;
         INSERT INTO follow_ups(contact_id, kind, text, due_date, status, done_at, created_at,
                                updated_at)
         SELECT 1, 'call', 'an old call', '2026-01-01', 'done', '2026-01-01T10:00:00Z',
                '2026-01-01T09:00:00Z', '2026-01-01T09:00:00Z'
           FROM generate_series(1, 5000);
         INSERT INTO follow_ups(contact_id, kind, text, due_date, created_at, updated_at)
         SELECT 1, 'email', 'note ' || i, '2026-11-23', '2026-11-20T09:00:00Z',
                '2026-11-20T09:00:00Z'
           FROM generate_series(1, 300) i",
    );
    b.sql("VACUUM ANALYZE follow_ups");
    let fetched_from_table = || {
        let r = b.rows(
            "SELECT idx_scan, idx_tup_fetch FROM pg_stat_user_tables WHERE relname = 'follow_ups'",
        );
        match (&r[0][0], &r[0][1]) {
            (rusqlite::types::Value::Integer(s), rusqlite::types::Value::Integer(f)) => (*s, *f),
            other => panic!("counters: {other:?}"),
        }
    };
    for args in [&["today"][..], &["today", "--team"]] {
        let (scans, fetched) = fetched_from_table();
        let out = b.ok(args);
        assert!(out.contains("send the deck") && out.contains("call about the renewal"));
        assert!(out.contains("Today (303)"), "{out}");
        assert!(out.contains(&long), "{args:?}: the long text whole");
        // A command's counts reach the statistics when its server process ends.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let after = loop {
            let now = fetched_from_table();
            if now.0 > scans || std::time::Instant::now() > deadline {
                break now;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        };
        assert!(after.0 > scans, "{args:?}: the statistics never came");
        // The long text's row; before migration 11, each of the 303 rows due.
        assert_eq!(after.1 - fetched, 1, "{args:?}: rows read from the table");
    }
}

/// A socket folder whose server socket passes connections on to the test server's, holding
/// every one after the first for `hold` first, as a pooler with no connection free queues a
/// client. Returns the folder and a flag set when the second connection is let through.
fn slow_second_connection(
    server_socket: std::path::PathBuf,
    hold: std::time::Duration,
) -> (
    tempfile::TempDir,
    std::sync::Arc<std::sync::atomic::AtomicBool>,
) {
    use std::os::unix::net::{UnixListener, UnixStream};
    use std::sync::atomic::{AtomicBool, Ordering};
    let dir = tempfile::tempdir().expect("a folder");
    let listener = UnixListener::bind(dir.path().join(".s.PGSQL.5432")).expect("a socket");
    let let_through = std::sync::Arc::new(AtomicBool::new(false));
    let flag = std::sync::Arc::clone(&let_through);
    std::thread::spawn(move || {
        for (n, client) in listener.incoming().enumerate() {
            let (Ok(client), server_socket, flag) = (client, server_socket.clone(), flag.clone())
            else {
                return;
            };
            std::thread::spawn(move || {
                if n > 0 {
                    std::thread::sleep(hold);
                    flag.store(true, Ordering::SeqCst);
                }
                let Ok(server) = UnixStream::connect(&server_socket) else {
                    return;
                };
                let (mut c_in, mut s_out) = match (client.try_clone(), server.try_clone()) {
                    (Ok(c), Ok(s)) => (c, s),
                    _ => return,
                };
                let (mut s_in, mut c_out) = (server, client);
                std::thread::spawn(move || std::io::copy(&mut c_in, &mut s_out));
                let _ = std::io::copy(&mut s_in, &mut c_out);
            });
        }
    });
    (dir, let_through)
}

/// `today`'s second connection is not waited for past a bound: where it is queued (a pooler
/// with no connection free), the command reads both lists on its own connection and ends
/// while the second is still held.
#[test]
fn today_does_not_wait_for_a_second_connection_that_does_not_come() {
    let Some(b) = Book::server() else {
        return;
    };
    let Ok(host) = std::env::var("SALESDESK_TEST_PG_HOST") else {
        return crate::support::server::skip("SALESDESK_TEST_PG_HOST is not set");
    };
    b.ok(&["contact", "add", "--name", "Lapsed Lena", "--cadence", "1w"]);
    b.ok(&["contact", "add", "--name", "Due Dora"]);
    b.ok(&["follow-up", "Dora", "today", "send pricing"]);
    b.sql("UPDATE contacts SET last_contacted_at = '2026-01-01T09:00:00Z'");
    let direct = b.ok(&["today"]);
    let (proxy, let_through) = slow_second_connection(
        std::path::Path::new(&host).join(".s.PGSQL.5432"),
        std::time::Duration::from_secs(20),
    );
    // A connection may take 60 s to be made: only salesdesk's own bound stops the wait.
    let address = b.db.to_string_lossy().replace(
        &format!("host={host}"),
        &format!("host={}&connect_timeout=60", proxy.path().display()),
    );
    assert_ne!(
        address,
        b.db.to_string_lossy(),
        "the address names the socket folder"
    );
    let mut via = Book::new();
    via.db = std::path::PathBuf::from(address);
    assert_eq!(via.ok(&["today"]), direct);
    assert!(
        !let_through.load(std::sync::atomic::Ordering::SeqCst),
        "today waited for its second connection"
    );
}

/// What `today`'s second connection cannot do, its first does: here the second gives up on a
/// lock held on the contacts (as a migration's would be) after its short wait, and the first
/// reads whom to reconnect with once the lock is gone, rather than failing.
#[test]
fn today_reads_on_its_first_connection_what_the_second_gave_up_on() {
    let Some(b) = Book::server() else {
        return;
    };
    b.ok(&["contact", "add", "--name", "Lapsed Lena", "--cadence", "1w"]);
    b.ok(&["contact", "add", "--name", "Due Dora"]);
    b.ok(&["follow-up", "Dora", "today", "send pricing"]);
    b.sql("UPDATE contacts SET last_contacted_at = '2026-01-01T09:00:00Z'");
    let direct = b.ok(&["today"]);
    let server = b.server.as_ref().expect("a server book");
    let mut locker = server.client();
    let (locked, held) = std::sync::mpsc::channel();
    let holder = std::thread::spawn(move || {
        let mut tx = locker.transaction().expect("a transaction");
        tx.batch_execute("LOCK TABLE contacts IN ACCESS EXCLUSIVE MODE")
            .expect("the lock");
        let _ = locked.send(());
        // Longer than the second connection's wait for a lock.
        std::thread::sleep(std::time::Duration::from_secs(3));
        tx.rollback().expect("the lock let go");
    });
    held.recv().expect("the lock is held");
    assert_eq!(b.ok(&["today"]), direct);
    holder.join().expect("the holder");
}
