//! The edges of purge and damage: a purge takes the person out of every automatic backup of
//! every schema and keeps the rest, finishes after a kill at any moment, never says "purged"
//! while a reader keeps the old pages; backups of a damaged book never push out good ones.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{self, Book};
use rusqlite::Connection;

const MARKER: &str = "Zqxjvmarker";
const EMAIL: &str = "zqxjv@gone.example";

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(files_under(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn data(b: &Book) -> PathBuf {
    b.path().parent().unwrap().to_path_buf()
}

fn backups(b: &Book) -> PathBuf {
    data(b).join("backups")
}

/// Every file under the data folder that still holds a byte of the person.
fn holding_the_person(b: &Book) -> Vec<(PathBuf, &'static str)> {
    let mut out = Vec::new();
    for p in files_under(&data(b)) {
        let Ok(bytes) = std::fs::read(&p) else {
            continue; // removed meanwhile
        };
        for needle in [MARKER, "zqxjv", "Zqxjv", "Gone Ltd"] {
            if contains(&bytes, needle.as_bytes()) {
                out.push((p.clone(), needle));
            }
        }
    }
    out
}

/// The person (with a deal, notes, a follow-up and a company of their own) beside a contact
/// that stays, in the book through the real binary. Returns the person's id.
fn people(b: &Book, notes: usize) -> i64 {
    b.contact(&["--name", "Keep Me", "--company", "Stays Inc"]);
    let id = b.contact(&[
        "--name",
        &format!("Ana {MARKER}"),
        "--company",
        "Gone Ltd",
        "--email",
        EMAIL,
    ]);
    b.ok(&[
        "deal",
        "add",
        "--title",
        &format!("{MARKER} deal"),
        "--contact",
        &id.to_string(),
    ]);
    b.ok(&[
        "follow-up",
        &id.to_string(),
        "fri",
        &format!("ask about {MARKER}"),
    ]);
    b.ok(&["note", "keep", "keepsake note about pricing"]);
    if notes > 0 {
        // Many rows, so a purge takes long enough to be killed inside.
        let conn = Connection::open(b.path()).unwrap();
        conn.execute_batch(&format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {notes})
             INSERT INTO notes(contact_id, kind, body, created_at, updated_at)
             SELECT {id}, 'call', 'call ' || i || ': the {MARKER} project ' || hex(randomblob(40)),
                    '2026-11-01T09:00:00Z', '2026-11-01T09:00:00Z' FROM n;
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {notes})
             INSERT INTO notes(contact_id, kind, body, created_at, updated_at)
             SELECT 1, 'note', 'keepsake ' || i || ' ' || hex(randomblob(40)),
                    '2026-11-01T09:00:00Z', '2026-11-01T09:00:00Z' FROM n;"
        ))
        .unwrap();
    } else {
        b.ok(&["note", &id.to_string(), &format!("the {MARKER} project")]);
    }
    id
}

/// An automatic backup of schema `version` holding "Keep Me" (id 1) and, at `id`, a contact
/// named `name` with `email`, a deal, a note and an undo entry: how older salesdesks left them.
fn old_backup(b: &Book, version: i64, id: i64, name: &str, email: &str) -> PathBuf {
    let dir = backups(b);
    std::fs::create_dir_all(&dir).unwrap();
    let label = if name.contains(MARKER) {
        "schema"
    } else {
        "stranger"
    };
    let path = dir.join(format!(
        "salesdesk-20260101-0900{version:02}-{label}{version}.db"
    ));
    let mut conn = Connection::open(&path).unwrap();
    salesdesk::storage::migrate_to(&mut conn, None, version).unwrap();
    let t = "2026-01-01T00:00:00Z";
    conn.execute_batch(&format!(
        "INSERT INTO companies(id, name, name_key, created_at, updated_at)
           VALUES (1, 'Stays Inc', 'stays inc', '{t}', '{t}');
         INSERT INTO contacts(id, name, name_key, company_id, created_at, updated_at)
           VALUES (1, 'Keep Me', 'keep me', 1, '{t}', '{t}');
         INSERT INTO notes(contact_id, kind, body, created_at, updated_at)
           VALUES (1, 'note', 'keepsake note about pricing', '{t}', '{t}');"
    ))
    .unwrap();
    conn.execute(
        "INSERT INTO companies(id, name, name_key, created_at, updated_at)
         VALUES (2, ?1, lower(?1), ?2, ?2)",
        rusqlite::params![
            if name.contains(MARKER) {
                "Gone Ltd"
            } else {
                "Other Co"
            },
            t
        ],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO contacts(id, name, name_key, company_id, emails, created_at, updated_at)
         VALUES (?1, ?2, lower(?2), 2, json_array(?3), ?4, ?4)",
        rusqlite::params![id, name, email, t],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO deals(title, contact_id, currency, stage, stage_entered_at, created_at, updated_at)
         VALUES (?1 || ' deal', ?2, 'USD', 'Lead', ?3, ?3, ?3)",
        rusqlite::params![name, id, t],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO notes(contact_id, kind, body, created_at, updated_at)
         VALUES (?1, 'call', 'the ' || ?2 || ' project', ?3, ?3)",
        rusqlite::params![id, name, t],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO undo_log(at, kind, summary) VALUES (?1, 'change', 'note on ' || ?2)",
        rusqlite::params![t, name],
    )
    .unwrap();
    path
}

fn keeps_the_rest(path: &Path) -> bool {
    let conn = Connection::open(path).unwrap();
    let n: i64 = conn
        .query_row(
            "SELECT (SELECT count(*) FROM contacts WHERE name = 'Keep Me')
                  + (SELECT count(*) FROM notes WHERE body LIKE 'keepsake%')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    n >= 2 && ok == "ok"
}

/// Every row of the tables a person's data lives in, as text.
fn rows(path: &Path) -> String {
    let conn = Connection::open(path).unwrap();
    let mut out = String::new();
    for t in [
        "contacts",
        "companies",
        "deals",
        "notes",
        "follow_ups",
        "undo_log",
    ] {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {t} ORDER BY 1"))
            .unwrap();
        let n = stmt.column_count();
        let mut q = stmt.query([]).unwrap();
        while let Some(r) = q.next().unwrap() {
            for i in 0..n {
                out.push_str(&format!(
                    "{:?}|",
                    r.get::<_, rusqlite::types::Value>(i).unwrap()
                ));
            }
            out.push('\n');
        }
    }
    out
}

fn automatic_backups(b: &Book) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = files_under(&backups(b))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "db"))
        .collect();
    v.sort();
    v
}

fn config_keep(b: &Book, keep: u32) {
    std::fs::write(
        b.dir.path().join("config.toml"),
        format!("[backup]\nkeep = {keep}\n"),
    )
    .unwrap();
}

#[test]
fn purge_takes_the_person_out_of_every_backup_of_every_schema_and_keeps_the_rest() {
    let b = Book::new();
    config_keep(&b, 30);
    let id = people(&b, 0);
    b.ok(&["backup"]);
    b.ok(&["demo", "--force"]); // a before-demo copy: the only copy of the real book
    let before_demo = automatic_backups(&b)
        .into_iter()
        .find(|p| p.to_string_lossy().ends_with("-before-demo.db"))
        .expect("a before-demo backup");
    b.ok(&["restore", before_demo.to_str().unwrap()]);
    assert!(b.ok(&["contact", "show", &id.to_string()]).contains(MARKER));
    // Backups left by older salesdesks, one per schema, and one where the id is someone else.
    let schemas: Vec<PathBuf> = (1..=salesdesk::storage::SCHEMA_VERSION)
        .map(|v| old_backup(&b, v, id, &format!("Ana {MARKER}"), EMAIL))
        .collect();
    let stranger = old_backup(&b, 1, id, "Bea Stranger", "bea@elsewhere.example");
    let stranger_rows = rows(&stranger);
    #[cfg(unix)]
    {
        // A backup the user made read-only is cleaned too, and comes back private.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&schemas[0], std::fs::Permissions::from_mode(0o400)).unwrap();
    }
    let with_the_rest: Vec<PathBuf> = automatic_backups(&b)
        .into_iter()
        .filter(|p| keeps_the_rest(p))
        .collect();
    assert!(
        with_the_rest.len() >= schemas.len() + 3,
        "{with_the_rest:?}"
    );
    assert!(
        !holding_the_person(&b).is_empty(),
        "the marker is written first"
    );

    let out = b
        .cmd()
        .args(["contact", "purge", &id.to_string(), "--yes"])
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.contains("purged") && stdout.contains("automatic backups"),
        "{stdout}"
    );
    assert!(stderr.contains("copies made by hand"), "{stderr}");

    assert_eq!(holding_the_person(&b), Vec::new());
    for p in &with_the_rest {
        assert!(p.exists(), "{} was removed", p.display());
        assert!(
            keeps_the_rest(p),
            "{} lost other people's data",
            p.display()
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&schemas[0]).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    for (v, p) in schemas.iter().enumerate() {
        let conn = Connection::open(p).unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, v as i64 + 1, "each backup keeps its schema");
        let stays: i64 = conn
            .query_row(
                "SELECT count(*) FROM companies WHERE name = 'Stays Inc'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(stays, 1);
    }
    assert_eq!(
        rows(&stranger),
        stranger_rows,
        "a backup whose id {id} is someone else keeps every row"
    );
    assert!(rows(&stranger).contains("Bea Stranger"));
    assert!(b.ok(&["db", "check"]).starts_with("ok"));
}

/// What the book and its backups hold after a kill and one more command: either the whole
/// person (the kill came before the purge recorded anything) or no byte of them anywhere.
fn assert_whole_or_gone(b: &Book, id: i64, notes: i64, at: Duration) {
    let still: i64 = {
        let conn = Connection::open(b.path()).unwrap();
        conn.query_row("SELECT count(*) FROM contacts WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .unwrap()
    };
    if still == 1 {
        let conn = Connection::open(b.path()).unwrap();
        let (n, d, pending): (i64, i64, i64) = conn
            .query_row(
                "SELECT (SELECT count(*) FROM notes WHERE contact_id = ?1),
                        (SELECT count(*) FROM deals WHERE contact_id = ?1),
                        (SELECT count(*) FROM meta WHERE key LIKE 'purge_pending:%')",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(
            (n, d, pending),
            (notes, 1, 0),
            "killed at {at:?}: half a person"
        );
    } else {
        assert_eq!(holding_the_person(b), Vec::new(), "killed at {at:?}");
    }
    for p in automatic_backups(b) {
        assert!(
            keeps_the_rest(&p),
            "killed at {at:?}: {} lost data",
            p.display()
        );
    }
    assert!(b.ok(&["db", "check"]).starts_with("ok"), "killed at {at:?}");
}

#[test]
fn a_purge_killed_at_any_moment_is_finished_by_the_next_command() {
    const NOTES: usize = 3000;
    let setup = || {
        let b = Book::new();
        let id = people(&b, NOTES);
        b.ok(&["backup"]);
        old_backup(&b, 1, id, &format!("Ana {MARKER}"), EMAIL);
        (b, id)
    };
    let purge = |b: &Book, id: i64| {
        let mut c = Command::new(assert_cmd::cargo::cargo_bin("salesdesk"));
        c.arg("--db")
            .arg(b.path())
            .args(["contact", "purge", &id.to_string(), "--yes"])
            .env("SALESDESK_NOW", support::NOW)
            .env("TZ", "UTC")
            .env("SALESDESK_CONFIG", b.dir.path().join("config.toml"))
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        c
    };
    // How long a whole purge takes here, to spread the kills over it (no assertion on it).
    let (b, id) = setup();
    let started = Instant::now();
    assert!(purge(&b, id).status().unwrap().success());
    let whole = started.elapsed();
    assert_eq!(holding_the_person(&b), Vec::new());

    const KILLS: u32 = 24;
    let mut finished = 0;
    for k in 0..KILLS {
        let at = whole * k / (KILLS - 4); // the last few land after the end
        let (b, id) = setup();
        let mut child = purge(&b, id).spawn().unwrap();
        std::thread::sleep(at);
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        // Any later command finishes a recorded erasure.
        let out = b.cmd().args(["today"]).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        if String::from_utf8_lossy(&out.stderr).contains("finished the purge") {
            finished += 1;
        }
        assert_whole_or_gone(&b, id, NOTES as i64, at);
    }
    eprintln!("{KILLS} kills, {finished} purges finished by the next command");
}

#[test]
fn a_purge_never_says_purged_while_a_reader_holds_the_old_pages() {
    let b = Book::new();
    let id = people(&b, 0);
    let reader = Connection::open(b.path()).unwrap();
    reader.execute_batch("BEGIN").unwrap();
    let n: i64 = reader
        .query_row("SELECT count(*) FROM notes", [], |r| r.get(0))
        .unwrap();
    assert!(n > 0);
    let out = b
        .cmd()
        .args(["contact", "purge", &id.to_string(), "--yes"])
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(!stdout.contains("purged"), "{stdout}");
    assert!(stderr.contains("another salesdesk"), "{stderr}");
    assert!(stderr.contains("waiting up to"), "{stderr}");
    reader.execute_batch("COMMIT").unwrap();
    drop(reader);
    // Refused whole: the person is still all there, and a purge now erases every byte.
    assert!(b.ok(&["contact", "show", &id.to_string()]).contains(MARKER));
    assert!(
        b.ok(&["contact", "purge", &id.to_string(), "--yes"])
            .contains("purged")
    );
    assert_eq!(holding_the_person(&b), Vec::new());
}

/// A reader that arrives after the rows are gone: the erasure stays recorded (the command
/// fails, never "purged"), and the next command without a reader finishes it.
#[test]
fn a_recorded_erasure_waits_for_readers_and_is_finished_later() {
    let b = Book::new();
    let id = people(&b, 0);
    {
        // What a purge killed after its record leaves, written as it would be.
        let conn = Connection::open(b.path()).unwrap();
        conn.execute(
            "INSERT INTO meta(key, value) VALUES (?1, json_object('id', ?2, 'name', ?3, 'emails', json_array(?4)))",
            rusqlite::params![format!("purge_pending:{id}"), id, format!("Ana {MARKER}"), EMAIL],
        )
        .unwrap();
    }
    let reader = Connection::open(b.path()).unwrap();
    reader.execute_batch("BEGIN").unwrap();
    let _: i64 = reader
        .query_row("SELECT count(*) FROM notes", [], |r| r.get(0))
        .unwrap();
    // The command itself goes on; the erasure stays recorded, and nothing says "purged".
    let out = b.cmd().args(["today"]).output().unwrap();
    assert!(out.status.success());
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(
        e.contains("not finished yet") && e.contains("another salesdesk"),
        "{e}"
    );
    assert!(!e.contains("finished the purge"), "{e}");
    assert!(
        !holding_the_person(&b).is_empty(),
        "the reader still sees the old pages"
    );
    reader.execute_batch("COMMIT").unwrap();
    drop(reader);
    let out = b.cmd().args(["today"]).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("finished the purge"));
    assert_eq!(holding_the_person(&b), Vec::new());
}

/// Damages the root page of `table`'s b-tree: SQLite reports it whenever it reads it.
fn damage(b: &Book, table: &str, at: i64, bytes: &[u8]) -> i64 {
    let conn = Connection::open(b.path()).unwrap();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    let (root, size): (i64, i64) = conn
        .query_row(
            "SELECT rootpage, (SELECT page_size FROM pragma_page_size) FROM sqlite_master WHERE name = ?1",
            [table],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    drop(conn);
    use std::io::{Seek, SeekFrom, Write};
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(b.path())
        .unwrap();
    f.seek(SeekFrom::Start(((root - 1) * size + at) as u64))
        .unwrap();
    f.write_all(bytes).unwrap();
    root
}

#[test]
fn backups_of_a_damaged_book_never_push_out_the_good_ones() {
    let b = Book::new();
    people(&b, 0);
    b.ok(&["backup"]);
    let first = automatic_backups(&b).remove(0);
    // Seven good backups from earlier days.
    let good: Vec<PathBuf> = (1..=7)
        .map(|d| {
            let p = backups(&b).join(format!("salesdesk-202611{d:02}-090000-daily.db"));
            std::fs::copy(&first, &p).unwrap();
            p
        })
        .collect();
    std::fs::remove_file(&first).unwrap();
    let page = damage(&b, "notes", 8, &[0xff, 0xff]);
    let record = PathBuf::from(format!("{}.damaged", b.path().display()));

    // Nothing has read the damaged cell yet, and no command runs a full check (the speed
    // budgets): these two cannot know.
    b.ok(&["today"]);
    b.ok(&["note", "keep", "after the damage"]);
    assert!(!record.exists());
    for i in 0..8 {
        let e = b.fails(&["backup"], 1);
        assert!(i == 0 || e.starts_with("warning: the book"), "{e}");
        assert!(
            e.contains("kept aside") && e.contains("good backups"),
            "{e}"
        );
        assert!(record.exists(), "the backup's check recorded the damage");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&record).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    for args in [&["today"][..], &["note", "keep", "still writing"]] {
        let out = b.cmd().args(args).output().unwrap();
        assert!(out.status.success());
        let e = String::from_utf8_lossy(&out.stderr);
        assert!(
            e.starts_with("warning: the book") && e.contains("is damaged"),
            "{e}"
        );
    }
    assert_eq!(automatic_backups(&b), good, "the good backups all survive");
    for p in &good {
        assert!(keeps_the_rest(p));
    }
    let aside: Vec<PathBuf> = files_under(&backups(&b))
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".db.damaged"))
        .collect();
    assert!(!aside.is_empty() && aside.len() <= 7, "{aside:?}");

    let e = b.fails(&["db", "check"], 1);
    assert!(e.contains(&format!("page {page}")), "{e}");
    assert!(e.contains("table notes"), "{e}");
    b.ok(&["restore", good[6].to_str().unwrap()]);
    let out = b.cmd().args(["db", "check"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!record.exists());
    let out = b.cmd().args(["today"]).output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "",
        "the warnings stop"
    );
    b.ok(&["note", "keep", "after the restore"]);
}

/// Damage SQLite meets in an ordinary command is recorded there and then: that command and
/// every later one warn, until `db check` passes.
#[test]
fn damage_sqlite_reports_in_any_command_is_recorded() {
    let b = Book::new();
    people(&b, 0);
    // The b-tree page's header zeroed: any read or write of the table fails.
    damage(&b, "notes", 0, &[0u8; 16]);
    let record = PathBuf::from(format!("{}.damaged", b.path().display()));
    let e = b.fails(&["note", "keep", "after the damage"], 1);
    assert!(e.starts_with("error: ") && e.contains("corrupt"), "{e}");
    assert!(record.exists());
    let out = b.cmd().args(["today"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("is damaged"));
    let e = b.fails(&["db", "check"], 1);
    assert!(e.contains("table notes"), "{e}");
    assert!(record.exists());
}

/// The whole class: each table's b-tree, damaged in its header or in a cell pointer. Backups
/// never push out a good one, and `db check` names the page; a purge removes the damaged
/// copies it cannot clean and keeps the good ones.
#[test]
fn every_tree_damaged_any_way_keeps_the_good_backups() {
    let ways: [(i64, &[u8]); 2] = [(0, &[0u8; 16]), (8, &[0xff, 0xff])];
    for table in ["contacts", "companies", "deals", "follow_ups", "notes"] {
        for (at, bytes) in ways {
            let b = Book::new();
            config_keep(&b, 3);
            let id = people(&b, 0);
            b.ok(&["backup"]);
            let first = automatic_backups(&b).remove(0);
            let good: Vec<PathBuf> = (1..=3)
                .map(|d| {
                    let p = backups(&b).join(format!("salesdesk-202611{d:02}-090000-daily.db"));
                    std::fs::copy(&first, &p).unwrap();
                    p
                })
                .collect();
            std::fs::remove_file(&first).unwrap();
            let page = damage(&b, table, at, bytes);
            for _ in 0..4 {
                let out = b.cmd().args(["backup"]).output().unwrap();
                assert_eq!(out.status.code(), Some(1), "{table} at {at}");
            }
            assert_eq!(automatic_backups(&b), good, "{table} at {at}");
            let e = b.fails(&["db", "check"], 1).to_lowercase();
            assert!(
                e.contains(&format!("page {page}")) && e.contains(&format!("table {table}")),
                "{table} at {at}: {e}"
            );
            // A purge of a damaged book: the person is gone from the good backups, and no
            // damaged copy it could not clean is left holding them.
            b.ok(&["restore", good[2].to_str().unwrap()]);
            b.ok(&["contact", "purge", &id.to_string(), "--yes"]);
            assert_eq!(holding_the_person(&b), Vec::new(), "{table} at {at}");
            for p in &good {
                assert!(keeps_the_rest(p), "{table} at {at}: {}", p.display());
            }
        }
    }
}

/// A full disk at each step of a purge (a file-size limit, its signal ignored, so writes fail
/// as on a full disk): the purge fails and says so, never "purged", and once there is room
/// the next command finishes it.
#[cfg(unix)]
#[test]
fn a_purge_that_runs_out_of_disk_is_finished_once_there_is_room() {
    if Command::new("prlimit").arg("--version").output().is_err() {
        eprintln!("skipped: prlimit is not installed");
        return;
    }
    const NOTES: usize = 1500;
    let mut failed = 0;
    for limit_kb in [64u64, 128, 256, 512, 1024, 2048, 4096] {
        let b = Book::new();
        let id = people(&b, NOTES);
        b.ok(&["backup"]);
        old_backup(&b, 1, id, &format!("Ana {MARKER}"), EMAIL);
        let out = Command::new("sh")
            .arg("-c")
            .arg("trap '' XFSZ; exec prlimit --fsize=\"$LIMIT\" -- \"$SD\" --db \"$DB\" contact purge \"$ID\" --yes")
            .env("LIMIT", (limit_kb * 1024).to_string())
            .env("SD", assert_cmd::cargo::cargo_bin("salesdesk"))
            .env("DB", b.path())
            .env("ID", id.to_string())
            .env("SALESDESK_NOW", support::NOW)
            .env("TZ", "UTC")
            .env("SALESDESK_CONFIG", b.dir.path().join("config.toml"))
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        if out.status.success() {
            assert!(stdout.contains("purged"), "{stdout}");
        } else {
            failed += 1;
            assert_eq!(out.status.code(), Some(1), "{limit_kb} KB: {stdout}");
            assert!(!stdout.contains("purged"), "{limit_kb} KB: {stdout}");
            let e = String::from_utf8_lossy(&out.stderr);
            // Notes of the open (a backup's mode tightened) may come first; the error is last.
            assert!(
                e.lines().last().is_some_and(|l| l.starts_with("error: ")),
                "{limit_kb} KB: {e}"
            );
        }
        let out = b.cmd().args(["today"]).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_whole_or_gone(&b, id, NOTES as i64, Duration::from_secs(limit_kb));
    }
    assert!(failed > 0, "some limit was reached");
}

/// Backups taken at once (`backup` run twice, the TUI's daily one beside a command) land in
/// the same second under the same name: each must finish, and none may take or remove the
/// copy another is checking. Six at once, three rounds.
#[test]
fn backups_taken_at_once_all_finish_and_leave_nothing_half_made() {
    let b = Book::new();
    people(&b, 200);
    // Every copy kept, so each printed path must still be there.
    config_keep(&b, 100);
    for round in 0..3 {
        let children: Vec<_> = (0..6)
            .map(|_| {
                Command::new(assert_cmd::cargo::cargo_bin("salesdesk"))
                    .arg("--db")
                    .arg(b.path())
                    .arg("backup")
                    .env("SALESDESK_NOW", support::NOW)
                    .env("TZ", "UTC")
                    .env("SALESDESK_CONFIG", b.dir.path().join("config.toml"))
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let mut printed = Vec::new();
        for c in children {
            let out = c.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let said = String::from_utf8_lossy(&out.stdout);
            let path = said
                .trim()
                .strip_prefix("backed up to ")
                .unwrap_or_else(|| panic!("round {round}: {said}"));
            assert!(Path::new(path).is_file(), "round {round}: {path} is gone");
            printed.push(path.to_string());
        }
        // Each its own file: none was taken over by another of the same second.
        printed.sort();
        printed.dedup();
        assert_eq!(printed.len(), 6, "round {round}: {printed:?}");
        for p in automatic_backups(&b).iter().rev().take(6) {
            assert!(keeps_the_rest(p), "round {round}: {}", p.display());
        }
        let left: Vec<PathBuf> = files_under(&backups(&b))
            .into_iter()
            .filter(|p| p.to_string_lossy().contains(".partial"))
            .collect();
        assert_eq!(left, Vec::<PathBuf>::new(), "round {round}");
    }
}

/// Two `demo --force` at once: each backs the book up first, in the same second. The book as
/// it was before either must be in a backup, not overwritten by the copy the second one took
/// of the first one's demo.
#[test]
fn two_demo_force_at_once_keep_the_book_before_them() {
    let b = Book::new();
    people(&b, 0);
    let children: Vec<_> = (0..2)
        .map(|_| {
            Command::new(assert_cmd::cargo::cargo_bin("salesdesk"))
                .arg("--db")
                .arg(b.path())
                .args(["demo", "--force"])
                .env("SALESDESK_NOW", support::NOW)
                .env("TZ", "UTC")
                .env("SALESDESK_CONFIG", b.dir.path().join("config.toml"))
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let kept = automatic_backups(&b)
        .iter()
        .filter(|p| keeps_the_rest(p))
        .count();
    assert!(
        kept >= 1,
        "the book before the demos is in no backup: {:?}",
        automatic_backups(&b)
    );
}
