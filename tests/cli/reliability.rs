//! Never lose a note: concurrent writers, kills in the middle of work, damaged and odd
//! environments, hostile input. The figures (writers, changes, kills) are in docs/RELIABILITY.md.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{self, Book};

fn bin() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("salesdesk")
}

fn env(c: &mut Command, b: &Book) {
    c.arg("--db")
        .arg(&b.db)
        .env("SALESDESK_NOW", support::NOW)
        .env("TZ", "UTC")
        .env("SALESDESK_CONFIG", b.dir.path().join("config.toml"));
}

fn integrity_ok(b: &Book) {
    let conn = rusqlite::Connection::open(&b.db).unwrap();
    let r: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(r, "ok");
    let fk: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(fk, 0);
}

/// Four processes writing at once, each change its own command: every one that reported
/// success is in the book, and none met "database is locked".
#[test]
fn four_writers_lose_nothing() {
    const WRITERS: usize = 4;
    const CHANGES: usize = 500;
    let b = Book::new();
    for w in 0..WRITERS {
        b.contact(&["--name", &format!("Writer {w}")]);
    }
    let script = |w: usize| {
        // One shell per writer, running the CLI CHANGES times, as a cron job or script would.
        format!(
            "for i in $(seq 1 {CHANGES}); do \"$SD\" --db \"$DB\" note {} \"w{w} change $i\" >/dev/null || echo \"failed $i\" >&2; done",
            w + 1
        )
    };
    let started = Instant::now();
    let children: Vec<_> = (0..WRITERS)
        .map(|w| {
            Command::new("sh")
                .arg("-c")
                .arg(script(w))
                .env("SD", bin())
                .env("DB", &b.db)
                .env("SALESDESK_NOW", support::NOW)
                .env("TZ", "UTC")
                .env("SALESDESK_CONFIG", b.dir.path().join("config.toml"))
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.is_empty(), "a writer failed: {err}");
    }
    let conn = rusqlite::Connection::open(&b.db).unwrap();
    for w in 0..WRITERS {
        let n: i64 = conn
            .query_row(
                "SELECT count(*) FROM notes WHERE contact_id = ?1",
                [w as i64 + 1],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n as usize, CHANGES, "writer {w}");
    }
    integrity_ok(&b);
    eprintln!(
        "{} changes by {WRITERS} writers in {:?}",
        WRITERS * CHANGES,
        started.elapsed()
    );
}

/// Kills writers at random moments, many times: the book stays whole and every command that
/// said it succeeded is there.
#[test]
fn killed_mid_burst_keeps_every_reported_change() {
    let b = Book::new();
    b.contact(&["--name", "Ana"]);
    let mut rng = fastrand::Rng::with_seed(7);
    let mut reported = 0usize;
    let mut saved_rounds = Vec::new();
    let mut kills = 0usize;
    for round in 0..60 {
        let mut c = Command::new(bin());
        env(&mut c, &b);
        let body = format!("round {round} {}", "x".repeat(rng.usize(0..20_000)));
        let mut child = c
            .args(["note", "1", "-", "--kind", "call", "--next", "fri"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        if let Some(mut stdin) = child.stdin.take() {
            use std::io::Write;
            let _ = stdin.write_all(body.as_bytes());
        }
        std::thread::sleep(Duration::from_micros(rng.u64(0..60_000)));
        let _ = child.kill();
        let out = child.wait_with_output().unwrap();
        if out.status.success() && String::from_utf8_lossy(&out.stdout).contains("saved") {
            reported += 1;
            saved_rounds.push(round);
        } else {
            kills += 1;
        }
        integrity_ok(&b);
    }
    let conn = rusqlite::Connection::open(&b.db).unwrap();
    let notes: i64 = conn
        .query_row("SELECT count(*) FROM notes", [], |r| r.get(0))
        .unwrap();
    let follow_ups: i64 = conn
        .query_row("SELECT count(*) FROM follow_ups", [], |r| r.get(0))
        .unwrap();
    assert!(
        notes as usize >= reported,
        "{notes} notes but {reported} reported saved"
    );
    assert_eq!(
        notes, follow_ups,
        "a note and its next follow-up are one transaction"
    );
    for round in saved_rounds {
        let n: i64 = conn
            .query_row(
                "SELECT count(*) FROM notes WHERE body = ?1 OR body LIKE ?1 || ' %'",
                [format!("round {round}")],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1, "round {round} said saved");
    }
    drop(conn);
    b.assert_derived_consistent();
    eprintln!("{reported} saved, {kills} killed");
}

fn count(b: &Book, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(&b.db).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// The full-text indexes and the keys the duplicate search uses agree with the rows.
fn derived_tables_whole(b: &Book) {
    b.assert_derived_consistent();
    let conn = rusqlite::Connection::open(&b.db).unwrap();
    for t in [
        "notes_fts",
        "contacts_fts",
        "contacts_tri",
        "companies_fts",
        "deals_fts",
    ] {
        conn.execute(
            &format!("INSERT INTO {t}({t}) VALUES ('integrity-check')"),
            [],
        )
        .unwrap_or_else(|e| panic!("{t}: {e}"));
    }
    let q = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(
        q("SELECT count(*) FROM contact_keys WHERE kind = 'email'"),
        q("SELECT coalesce(sum(json_array_length(emails)), 0) FROM contacts"),
        "contact_keys out of step with the emails"
    );
    assert_eq!(
        q("SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'importee'"),
        q("SELECT count(*) FROM contacts WHERE name LIKE 'Importee %'"),
        "the name index out of step with the contacts"
    );
    assert_eq!(
        q("SELECT count(*) FROM notes_fts WHERE notes_fts MATCH 'imported'"),
        q("SELECT count(*) FROM notes WHERE body LIKE 'imported %'"),
        "the note index out of step with the notes"
    );
}

/// An import of thousands of rows (one transaction) killed at random moments, again and
/// again: each time the book is whole and holds all of the file or none of it, and the
/// import then runs to the end.
#[test]
fn killed_imports_leave_all_or_nothing() {
    const ROWS: usize = 3000;
    const KILLS: usize = 16;
    let b = Book::new();
    b.contact(&["--name", "Ana"]);
    b.ok(&["note", "ana", "kept before any import"]);
    let csv = b.dir.path().join("contacts.csv");
    let mut text = String::from("name,email,phone,company,tags,notes\n");
    for i in 0..ROWS {
        text.push_str(&format!(
            "Importee {i},p{i}@ex.example,+1 555 {i:07},Co {},lead;vip,imported row {i} {}\n",
            i % 40,
            "x".repeat(i % 200)
        ));
    }
    std::fs::write(&csv, text).unwrap();
    let import = |extra: &[&str]| {
        let mut c = Command::new(bin());
        env(&mut c, &b);
        c.arg("import").arg(&csv).args(extra);
        c.stdout(Stdio::piped()).stderr(Stdio::piped());
        c
    };
    // How long a whole import takes here, to kill within it.
    let started = Instant::now();
    let out = import(&["--dry-run"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let span = started.elapsed().as_micros() as u64;
    assert_eq!(
        count(&b, "SELECT count(*) FROM contacts"),
        1,
        "a dry run writes nothing"
    );

    let pristine = std::fs::read(&b.db).unwrap();
    let mut rng = fastrand::Rng::with_seed(11);
    let (mut killed, mut finished, mut mid_write) = (0, 0, 0);
    let wal = b.db.with_extension("db-wal");
    for round in 0..KILLS {
        let mut child = import(&[]).spawn().unwrap();
        if round % 2 == 0 {
            std::thread::sleep(Duration::from_micros(rng.u64(span / 10..span)));
        } else {
            // The rows are built in the page cache and reach the file at the commit, in a
            // few milliseconds a random moment rarely meets: watch the WAL grow and kill
            // while it does.
            let at = rng.u64(1..2_000_000);
            let deadline = Instant::now() + Duration::from_micros(span * 3);
            while std::fs::metadata(&wal).map_or(0, |m| m.len()) < at
                && Instant::now() < deadline
                && child.try_wait().ok().flatten().is_none()
            {
                std::thread::sleep(Duration::from_micros(50));
            }
        }
        let _ = child.kill();
        let out = child.wait_with_output().unwrap();
        if out.status.success() {
            finished += 1;
        } else {
            killed += 1;
            // Pages the import had already written are in the WAL, uncommitted.
            if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
                mid_write += 1;
            }
        }
        integrity_ok(&b);
        derived_tables_whole(&b);
        let contacts = count(&b, "SELECT count(*) FROM contacts");
        let notes = count(
            &b,
            "SELECT count(*) FROM notes WHERE body LIKE 'imported %'",
        );
        assert!(
            contacts == 1 || contacts == 1 + ROWS as i64,
            "{contacts} contacts: a killed import left part of itself"
        );
        assert_eq!(notes % ROWS as i64, 0, "{notes} imported notes");
        assert_eq!(contacts == 1, notes == 0);
        // The import's undo record (its id ranges) came with its rows, or not at all.
        let records = count(&b, "SELECT count(DISTINCT undo_id) FROM undo_ranges");
        assert_eq!(contacts == 1, records == 0, "{records} import undo records");
        if contacts != 1 {
            // Back to the book before the import, so every round kills a first import
            // (a second one merges, and writes little).
            std::fs::write(&b.db, &pristine).unwrap();
        }
    }
    assert!(
        killed >= KILLS / 2,
        "only {killed} of {KILLS} imports were killed"
    );
    let out = import(&[]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(count(&b, "SELECT count(*) FROM contacts"), 1 + ROWS as i64);
    assert_eq!(
        count(
            &b,
            "SELECT count(*) FROM notes WHERE body = 'kept before any import'"
        ),
        1
    );
    integrity_ok(&b);
    derived_tables_whole(&b);
    assert!(b.ok(&["db", "check"]).starts_with("ok"));
    let hits = b.json(&["search", "importee", "2999"]);
    assert_eq!(hits[0]["title"], "Importee 2999", "{hits}");
    eprintln!(
        "{killed} imports killed ({mid_write} with pages already in the WAL), {finished} finished before the kill"
    );
}

/// A long write killed half-way leaves nothing of itself behind.
#[test]
fn a_killed_generator_leaves_nothing_behind() {
    let exe = bin().parent().map(|d| d.join("examples").join("generate"));
    let Some(exe) = exe.filter(|p| p.exists()) else {
        eprintln!("skipped: examples/generate is not built (run `cargo test --all-targets`)");
        return;
    };
    let b = Book::new();
    b.contact(&["--name", "Ana"]);
    let before = b.dump();
    let mut child = Command::new(exe)
        .args(["--db"])
        .arg(&b.db)
        .args([
            "--contacts",
            "200000",
            "--notes",
            "200000",
            "--follow-ups",
            "0",
            "--deals",
            "0",
        ])
        .env("SALESDESK_NOW", support::NOW)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(700));
    let _ = child.kill();
    let status = child.wait().unwrap();
    assert!(
        !status.success(),
        "the generator should still have been running"
    );
    integrity_ok(&b);
    assert_eq!(b.dump(), before);
}

/// An import killed half-way leaves nothing of itself behind: not its rows, and not the
/// schema triggers it suspends while it writes (they are dropped inside its transaction).
#[test]
fn a_killed_import_leaves_nothing_behind() {
    let b = Book::new();
    b.contact(&["--name", "Ana"]);
    let before = b.dump();
    let triggers = || -> Vec<String> {
        let conn = rusqlite::Connection::open(&b.db).unwrap();
        let mut stmt = conn
            .prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    let schema = triggers();
    let csv = b.dir.path().join("big.csv");
    let mut text = String::from("name,email,phone,company\n");
    for i in 0..60_000 {
        text.push_str(&format!(
            "Person {i},p{i}@x.example,+1 555 {i:07},Firm {}\n",
            i % 500
        ));
    }
    std::fs::write(&csv, text).unwrap();
    let mut cmd = Command::new(bin());
    env(&mut cmd, &b);
    // Even a release build needs well over a second for 60,000 rows.
    let mut child = cmd
        .arg("import")
        .arg(&csv)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1000));
    let _ = child.kill();
    let status = child.wait().unwrap();
    assert!(
        !status.success(),
        "the import should still have been running"
    );
    integrity_ok(&b);
    assert_eq!(b.dump(), before);
    assert_eq!(triggers(), schema);
    b.contact(&["--name", "Bo Later", "--email", "bo@later.example"]);
    let hits = b.ok(&["search", "later"]);
    assert!(hits.contains("Bo Later"), "indexed by the triggers: {hits}");
}

#[test]
fn a_full_disk_is_a_clear_error_and_loses_nothing() {
    let b = Book::new();
    b.contact(&["--name", "Ana"]);
    b.ok(&["note", "ana", "first"]);
    // Cap the file at its current size: the next growth fails as a full disk does.
    let conn = rusqlite::Connection::open(&b.db).unwrap();
    let pages: i64 = conn
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    drop(conn);
    let before = b.dump();
    let db = salesdesk::storage::Db::open(&b.db).unwrap();
    db.conn_for_tests()
        .pragma_update(None, "max_page_count", pages)
        .unwrap();
    let clock = salesdesk::clock::Clock::parse(support::NOW).unwrap();
    let mut desk = salesdesk::ops::Desk::new(db, clock, salesdesk::config::Config::default());
    let big = "pricing ".repeat(200_000);
    let e = desk
        .log_note(&salesdesk::ops::notes::NoteInput::new(1, big))
        .unwrap_err();
    assert_eq!(e.exit_code(), 1, "{e}");
    assert!(e.to_string().contains("disk is full"), "{e}");
    drop(desk);
    assert_eq!(b.dump(), before);
    integrity_ok(&b);
}

#[test]
fn truncated_and_corrupt_books_are_exit_1() {
    let b = Book::new();
    b.contact(&["--name", "Ana"]);
    for i in 0..200 {
        b.ok(&["note", "ana", &format!("note {i} {}", "y".repeat(500))]);
    }
    let bytes = std::fs::read(&b.db).unwrap();
    let truncated = Book::new();
    std::fs::create_dir_all(truncated.db.parent().unwrap()).unwrap();
    std::fs::write(&truncated.db, &bytes[..bytes.len() / 3]).unwrap();
    let out = truncated
        .cmd()
        .args(["contact", "show", "ana"])
        .output()
        .unwrap();
    let check = truncated.cmd().args(["db", "check"]).output().unwrap();
    assert!(
        out.status.code() == Some(1) || check.status.code() == Some(1),
        "a truncated book is noticed: {} / {}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(!String::from_utf8_lossy(&check.stderr).contains("panicked"));

    let corrupt = Book::new();
    std::fs::create_dir_all(corrupt.db.parent().unwrap()).unwrap();
    let mut c = bytes.clone();
    for x in c.iter_mut().skip(4096).step_by(7) {
        *x = 0x5a;
    }
    std::fs::write(&corrupt.db, &c).unwrap();
    let e = corrupt.fails(&["db", "check"], 1);
    assert!(e.starts_with("error: "), "{e}");
    assert!(!e.contains("panicked"));
}

/// CI runs as root, which ignores file modes: drop to nobody so the test can fail.
#[cfg(unix)]
#[test]
fn a_read_only_book_is_exit_1() {
    if Command::new("setpriv").arg("--version").output().is_err() {
        eprintln!("skipped: setpriv is not installed");
        return;
    }
    let b = Book::new();
    b.contact(&["--name", "Ana"]);
    use std::os::unix::fs::PermissionsExt;
    let dir = b.db.parent().unwrap();
    std::fs::set_permissions(b.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&b.db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(bin())
        .arg("--db")
        .arg(&b.db)
        .args(["note", "1", "hello"])
        .env("SALESDESK_NOW", support::NOW)
        .env("SALESDESK_CONFIG", "/nonexistent/config.toml")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.starts_with("error: ") && !err.contains("panicked"),
        "{err}"
    );
    assert_eq!(
        b.json(&["contact", "show", "1"])["notes"]
            .as_array()
            .map(Vec::len),
        Some(0)
    );
}

#[test]
fn no_home_folder_still_works_with_db_or_says_why() {
    let b = Book::new();
    let out = Command::new(bin())
        .env_clear()
        .env("SALESDESK_NOW", support::NOW)
        .arg("--db")
        .arg(&b.db)
        .args(["contact", "add", "--name", "Ana"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Without HOME or --db the book's place is found from the user database or named as an
    // error; `db path` answers without opening (or migrating) anyone's real book.
    let out = Command::new(bin())
        .env_clear()
        .args(["db", "path"])
        .env("HOME", "")
        .output()
        .unwrap();
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains("--db") || err.contains("HOME"), "{err}");
    }
}

#[test]
fn hostile_text_is_stored_as_text_and_shown_inert() {
    let b = Book::new();
    let evil =
        "Robert'); DROP TABLE contacts;--\u{1b}[2J\u{1b}]0;pwned\u{7}\u{9b}1m\u{202e}gnp.exe";
    b.contact(&["--name", evil]);
    b.ok(&["note", "1", "\u{1b}[31mred\u{1b}[0m and a bell \u{7}"]);
    let v = b.json(&["contact", "show", "1"]);
    assert_eq!(v["contact"]["name"], evil, "stored exactly");
    for args in [
        vec!["contact", "list"],
        vec!["contact", "show", "1"],
        vec!["today"],
        vec!["search", "robert"],
    ] {
        let out = b.ok(&args);
        assert!(
            !out.contains(
                |c: char| c.is_control() && c != '\n' || salesdesk::text::is_bidi_control(c)
            ),
            "{args:?} printed an escape: {out:?}"
        );
    }
    // a megabyte note is kept whole
    let big = "word ".repeat(210_000);
    b.cmd()
        .args(["note", "1", "-"])
        .write_stdin(big.clone())
        .assert()
        .success();
    let v = b.json(&["contact", "show", "1"]);
    assert_eq!(
        v["notes"][0]["body"].as_str().map(str::len),
        Some(big.trim_end().len())
    );
    integrity_ok(&b);
}

/// Search words that are FTS5 syntax (`"`, `*`, `NEAR(`, `re:`, `OR`, a column filter) or
/// SQL are looked up as the text they spell, and find the contact or note that holds it.
#[test]
fn fts_and_sql_syntax_is_searched_as_text() {
    let b = Book::new();
    b.contact(&["--name", "Robert'); DROP TABLE contacts;--"]);
    b.contact(&["--name", "Ann \"Quote\" Star*"]);
    b.ok(&["note", "2", "meet NEAR(the park) re: pricing, a OR b"]);
    let note = "note with Ann \"Quote\" Star*, 2026-11-23";
    for (q, want) in [
        ("\"Quote\"", "Ann \"Quote\" Star*"),
        ("Star*", "Ann \"Quote\" Star*"),
        ("NEAR(the", note),
        ("re:", note),
        ("a OR b", note),
        ("park)", note),
        ("DROP TABLE", "Robert'); DROP TABLE contacts;--"),
        ("Robert');", "Robert'); DROP TABLE contacts;--"),
    ] {
        let hits = b.json(&["search", q]);
        assert_eq!(hits[0]["title"], want, "{q}: {hits}");
    }
    for q in [
        "\"",
        "*",
        "-",
        "name:ann",
        "^x",
        "NEAR(",
        "((",
        "') OR 1=1 --",
    ] {
        b.ok(&["search", q]);
    }
    assert_eq!(
        b.json(&["contact", "list"]).as_array().map(Vec::len),
        Some(2)
    );
    integrity_ok(&b);
}

/// Every file under `dir` with its mode, folders marked with a trailing `/`.
#[cfg(unix)]
fn tree(dir: &std::path::Path) -> Vec<(String, u32)> {
    use std::os::unix::fs::PermissionsExt;
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            let mode = e.metadata().unwrap().permissions().mode() & 0o777;
            let rel = p.strip_prefix(dir).unwrap().display().to_string();
            if p.is_dir() {
                out.push((format!("{rel}/"), mode));
                stack.push(p);
            } else {
                out.push((rel, mode));
            }
        }
    }
    out.sort();
    out
}

/// salesdesk writes no log, trace or debug file: after a session of commands (errors among
/// them) and exports, the home folder holds the book, its backups and the exports, all
/// readable by the user alone, and the temporary folder is empty.
#[cfg(unix)]
#[test]
fn a_session_leaves_only_private_files() {
    use std::os::unix::fs::PermissionsExt;
    let root = tempfile::tempdir().unwrap();
    let home = root.path().join("home");
    let tmp = root.path().join("tmp");
    for d in [&home, &tmp] {
        std::fs::create_dir(d).unwrap();
        std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    let csv = root.path().join("in.csv");
    std::fs::write(
        &csv,
        "name,email,notes\nBea Zqxprivate,bea@zqx.example,Zqxprivate likes tea\nbroken,not-an-email,x\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        Command::new(bin())
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("HOME", &home)
            .env("TMPDIR", &tmp)
            .env("TZ", "UTC")
            .env("SALESDESK_NOW", support::NOW)
            .args(args)
            .output()
            .unwrap()
    };
    let ok = |args: &[&str]| {
        let out = run(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    ok(&[
        "contact",
        "add",
        "--name",
        "Ana Zqxprivate",
        "--email",
        "ana@zqx.example",
    ]);
    ok(&["note", "ana", "Zqxprivate pricing talk @fri"]);
    ok(&[
        "deal",
        "add",
        "--title",
        "Zqxprivate deal",
        "--contact",
        "ana",
        "--value",
        "5000",
    ]);
    ok(&["follow-up", "ana", "tomorrow", "call Zqxprivate back"]);
    ok(&["import", csv.to_str().unwrap(), "--skip-invalid"]);
    ok(&["search", "zqxprivate"]);
    ok(&["today"]);
    ok(&["contact", "show", "ana", "--json"]);
    ok(&["report"]);
    ok(&["backup"]);
    let json = home.join("out.json");
    ok(&["export", "-o", json.to_str().unwrap()]);
    let folder = home.join("csvout");
    ok(&["export", "--format", "csv", "-o", folder.to_str().unwrap()]);
    ok(&["db", "check"]);
    for bad in [
        vec!["note", "nobody-zqx", "hello"],
        vec!["follow-up", "ana", "not a date", "x"],
        vec!["import", "/nonexistent/zqx.csv"],
    ] {
        assert!(!run(&bad).status.success(), "{bad:?}");
    }

    let files = tree(&home);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    let data = ".local/share/salesdesk";
    for (name, mode) in &files {
        let expected = if name.ends_with('/') { 0o700 } else { 0o600 };
        // Folders above the data folder are the user's XDG folders, made with their umask.
        if name == ".local/" || name == ".local/share/" {
            continue;
        }
        assert_eq!(*mode, expected, "{name} is {mode:o}");
        let known = name.starts_with(&format!("{data}/salesdesk.db"))
            || name == &format!("{data}/")
            || name == &format!("{data}/backups/")
            || (name.starts_with(&format!("{data}/backups/salesdesk-")) && name.ends_with(".db"))
            || name == "out.json"
            || name == "csvout/"
            || name.starts_with("csvout/") && name.ends_with(".csv");
        assert!(known, "an unexpected file {name}: {names:?}");
    }
    assert!(names.contains(&".local/share/salesdesk/salesdesk.db"));
    assert_eq!(tree(&tmp), Vec::new(), "left in the temporary folder");
}
