//! Which files salesdesk opens and writes: never its own book through another name, never a
//! file that is not a salesdesk book, never a looser mode than 0600, and no half files.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::support::{self, Book};

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("salesdesk")
}

/// Every file under `dir` with its bytes and mode: what "nothing was written" is checked by.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, u32)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            let m = std::fs::symlink_metadata(&p).unwrap();
            if m.is_dir() {
                stack.push(p.clone());
                out.insert(p, (Vec::new(), m.permissions().mode()));
            } else if m.file_type().is_symlink() {
                let t = std::fs::read_link(&p).unwrap();
                out.insert(p, (t.into_os_string().into_encoded_bytes(), 0));
            } else {
                let bytes = std::fs::read(&p).unwrap();
                out.insert(p, (bytes, m.permissions().mode()));
            }
        }
    }
    out
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o7777
}

fn chmod(p: &Path, m: u32) {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
}

fn side(p: &Path, s: &str) -> PathBuf {
    let mut o = p.as_os_str().to_owned();
    o.push(s);
    PathBuf::from(o)
}

/// A book with a contact, a note and one automatic backup, plus links to it made as a user
/// might: a symlink, a hard link, a dangling symlink to its -wal.
fn book_with_links() -> (Book, PathBuf) {
    let b = Book::new();
    b.contact(&["--name", "Ana Pereira", "--email", "ana@acme.example"]);
    b.ok(&["note", "ana", "called about pricing"]);
    b.ok(&["follow-up", "ana", "tomorrow", "send the quote"]);
    b.ok(&["backup"]);
    let root = b.dir.path().to_path_buf();
    std::os::unix::fs::symlink(&b.db, root.join("link.db")).unwrap();
    std::os::unix::fs::symlink(side(&b.db, "-wal"), root.join("wal-link")).unwrap();
    std::fs::hard_link(&b.db, root.join("hard.db")).unwrap();
    let backup = std::fs::read_dir(b.db.parent().unwrap().join("backups"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "db"))
        .unwrap();
    std::fs::hard_link(&backup, root.join("backup-hard.db")).unwrap();
    (b, backup)
}

/// Every spelling of the book's own files a writer must refuse, relative ones taken from the
/// book's folder.
fn spellings(b: &Book, backup: &Path) -> Vec<(&'static str, String)> {
    let root = b.dir.path();
    let s = |p: &Path| p.to_string_lossy().into_owned();
    vec![
        ("absolute", s(&b.db)),
        ("relative", "book.db".into()),
        ("./", "./book.db".into()),
        ("..", "../data/book.db".into()),
        ("missing/..", "nosuch/../book.db".into()),
        ("doubled /", s(&b.db).replace("/data/", "//data///")),
        ("symlink", s(&root.join("link.db"))),
        ("hard link", s(&root.join("hard.db"))),
        ("-wal", s(&side(&b.db, "-wal"))),
        ("-shm", "book.db-shm".into()),
        ("-journal", s(&side(&b.db, "-journal"))),
        ("dangling symlink to -wal", s(&root.join("wal-link"))),
        ("a backup", s(backup)),
        ("hard link to a backup", s(&root.join("backup-hard.db"))),
        ("new file in backups/", "backups/new.db".into()),
        (
            "backups/ via ..",
            "../data/backups/../backups/x.json".into(),
        ),
    ]
}

#[test]
fn no_writer_lands_on_the_book_however_it_is_spelled() {
    let (b, backup) = book_with_links();
    let folder = b.db.parent().unwrap().to_path_buf();
    let before = snapshot(b.dir.path());
    let writers: [&[&str]; 6] = [
        &["export", "--format", "json", "-o"],
        &["export", "--format", "csv", "--what", "contacts", "-o"],
        &["export", "--format", "vcf", "-o"],
        &["export", "--format", "ics", "-o"],
        &["export", "-o"],
        &["backup"],
    ];
    let mut cases = 0;
    for (label, target) in spellings(&b, &backup) {
        for w in writers {
            let out = b
                .cmd()
                .current_dir(&folder)
                .args(w)
                .arg(&target)
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{w:?} {label} {target}: {err}");
            assert!(err.contains("never writes over"), "{w:?} {label}: {err}");
            assert_eq!(
                snapshot(b.dir.path()),
                before,
                "{w:?} {label} {target} changed a file"
            );
            cases += 1;
        }
    }
    assert_eq!(cases, 16 * 6);
    // The same places, a file of their own elsewhere, are written.
    b.ok(&[
        "export",
        "-o",
        &b.dir.path().join("out.json").to_string_lossy(),
    ]);
    b.ok(&["backup", &b.dir.path().join("copy.db").to_string_lossy()]);
}

#[test]
fn a_book_is_never_restored_from_itself() {
    let (b, backup) = book_with_links();
    let folder = b.db.parent().unwrap().to_path_buf();
    let before = snapshot(b.dir.path());
    // A backup is what restore is for; these are the book itself.
    for (label, target) in spellings(&b, &backup)
        .into_iter()
        .filter(|(l, _)| !l.contains("backup"))
    {
        let out = b
            .cmd()
            .current_dir(&folder)
            .args(["restore", &target])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{label} {target}: {err}");
        assert!(err.contains("restored from itself"), "{label}: {err}");
        assert_eq!(snapshot(b.dir.path()), before, "{label} changed a file");
    }
    b.ok(&["restore", &backup.to_string_lossy()]);
}

#[test]
fn a_csv_export_of_every_kind_never_writes_a_kind_file_over_the_book() {
    // A book that happens to be named like one of the files a folder export writes.
    let mut b = Book::new();
    b.db = b.dir.path().join("out").join("contacts.csv");
    b.contact(&["--name", "Ana"]);
    let before = snapshot(b.dir.path());
    let out_dir = b.dir.path().join("out");
    let e = b.fails(
        &[
            "export",
            "--format",
            "csv",
            "-o",
            &out_dir.to_string_lossy(),
        ],
        2,
    );
    assert!(e.contains("never writes over"), "{e}");
    assert_eq!(snapshot(b.dir.path()), before);
}

#[test]
fn csv_of_every_kind_to_a_file_name_is_refused() {
    let b = Book::new();
    b.contact(&["--name", "Ana"]);
    for name in ["out.csv", "OUT.CSV", "book.json"] {
        let p = b.dir.path().join(name);
        let e = b.fails(
            &["export", "--format", "csv", "-o", &p.to_string_lossy()],
            2,
        );
        assert!(e.contains("give a folder") && e.contains("--what"), "{e}");
        assert!(!p.exists(), "{name} was made");
    }
    let dir = b.dir.path().join("exports");
    b.ok(&["export", "--format", "csv", "-o", &dir.to_string_lossy()]);
    assert!(dir.join("contacts.csv").is_file());
    let one = b.dir.path().join("contacts.csv");
    b.ok(&[
        "export",
        "--format",
        "csv",
        "--what",
        "contacts",
        "-o",
        &one.to_string_lossy(),
    ]);
    assert!(one.is_file());
}

#[test]
fn a_new_book_says_so_and_only_a_missing_path_becomes_one() {
    let b = Book::new();
    let out = b.cmd().args(["today"]).output().unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.trim(),
        format!("note: created a new book at {}", b.db.display()),
        "{err}"
    );
    let out = b.cmd().args(["today"]).output().unwrap();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // An SQLite file with no schema at all (what a kill during the first open used to leave)
    // becomes a book, and says so.
    let e = Book::new();
    std::fs::create_dir_all(e.db.parent().unwrap()).unwrap();
    rusqlite::Connection::open(&e.db)
        .unwrap()
        .execute_batch("PRAGMA journal_mode = WAL")
        .unwrap();
    let out = e
        .cmd()
        .args(["contact", "add", "--name", "Ana"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("made it a new book"));
}

/// Files that are not a salesdesk book this binary may open: each refused with exit 1, its
/// bytes, mode and folder exactly as they were.
type Maker = Box<dyn Fn(&Path)>;

fn refused_files() -> Vec<(&'static str, Maker)> {
    vec![
        (
            "empty",
            Box::new(|p: &Path| std::fs::write(p, b"").unwrap()),
        ),
        (
            "text",
            Box::new(|p: &Path| std::fs::write(p, "name,email\nAna,ana@x\n".repeat(20)).unwrap()),
        ),
        (
            "foreign SQLite",
            Box::new(|p: &Path| {
                rusqlite::Connection::open(p)
                    .unwrap()
                    .execute_batch("CREATE TABLE songs(title); INSERT INTO songs VALUES ('x');")
                    .unwrap()
            }),
        ),
        (
            "foreign SQLite in WAL",
            Box::new(|p: &Path| {
                rusqlite::Connection::open(p)
                    .unwrap()
                    .execute_batch(
                        "PRAGMA journal_mode = WAL; CREATE TABLE songs(title);
                         INSERT INTO songs VALUES ('x');",
                    )
                    .unwrap()
            }),
        ),
        (
            "newer schema in WAL",
            Box::new(|p: &Path| newer_book(p, "WAL")),
        ),
        (
            "newer schema in rollback-journal mode",
            Box::new(|p: &Path| newer_book(p, "DELETE")),
        ),
    ]
}

fn newer_book(p: &Path, journal: &str) {
    let b = Book::new();
    b.contact(&["--name", "Ana"]);
    std::fs::copy(&b.db, p).unwrap();
    let c = rusqlite::Connection::open(p).unwrap();
    c.execute_batch(&format!(
        "PRAGMA journal_mode = {journal}; PRAGMA user_version = 999;"
    ))
    .unwrap();
}

#[test]
fn refused_files_stay_byte_for_byte() {
    for (label, make) in refused_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("book.db");
        make(&p);
        chmod(&p, 0o644);
        let before = snapshot(dir.path());
        let mut book = Book::new();
        book.db = p.clone();
        for args in [
            &["today"][..],
            &["contact", "add", "--name", "Bo"],
            &["backup"],
            &["export", "-o", &dir.path().join("x.json").to_string_lossy()],
        ] {
            let e = book.fails(args, 1);
            assert!(e.starts_with("error: "), "{label}: {e}");
            assert!(
                e.contains(&p.display().to_string()),
                "{label}: the message names the file: {e}"
            );
            assert_eq!(snapshot(dir.path()), before, "{label} {args:?} changed");
        }
    }
}

#[test]
fn loose_modes_are_tightened_once_and_no_bit_is_added() {
    for m in [
        0o644, 0o640, 0o604, 0o660, 0o666, 0o664, 0o444, 0o440, 0o400, 0o600, 0o700,
    ] {
        let b = Book::new();
        b.contact(&["--name", "Ana"]);
        b.ok(&["backup"]);
        let backups = b.db.parent().unwrap().join("backups");
        let backup = std::fs::read_dir(&backups)
            .unwrap()
            .flatten()
            .next()
            .unwrap()
            .path();
        chmod(&b.db, m);
        chmod(&backup, 0o644);
        chmod(&backups, 0o755);
        // A connection held open keeps the -wal and -shm, made with the book's loose mode.
        let held = rusqlite::Connection::open_with_flags(
            &b.db,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .unwrap();
        held.query_row("SELECT count(*) FROM contacts", [], |r| r.get::<_, i64>(0))
            .unwrap();
        for s in ["-wal", "-shm"] {
            if side(&b.db, s).exists() {
                chmod(&side(&b.db, s), m | 0o044);
            }
        }
        let out = b.cmd().args(["today"]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{m:o}: {err}");
        assert_eq!(mode(&b.db), m & 0o700, "{m:o}: the book; {err}");
        for s in ["-wal", "-shm"] {
            let p = side(&b.db, s);
            if p.exists() {
                assert_eq!(mode(&p) & 0o077, 0, "{m:o}: {s}");
            }
        }
        assert_eq!(mode(&backup), 0o600, "{m:o}: the backup");
        assert_eq!(mode(&backups), 0o700, "{m:o}: the backups folder");
        let said = err.matches("readable by you alone").count();
        assert_eq!(said, 1, "{m:o}: said once: {err}");
        drop(held);
        let again = b.cmd().args(["today"]).output().unwrap();
        assert!(
            again.stderr.is_empty(),
            "{m:o}: {}",
            String::from_utf8_lossy(&again.stderr)
        );
    }
}

#[test]
fn the_data_folder_salesdesk_made_is_kept_private() {
    let home = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(bin())
            .env_clear()
            .env("HOME", home.path())
            .env("SALESDESK_NOW", support::NOW)
            .env("SALESDESK_CONFIG", home.path().join("none.toml"))
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    run(&["contact", "add", "--name", "Ana"]);
    let book = PathBuf::from(
        String::from_utf8(
            Command::new(bin())
                .env_clear()
                .env("HOME", home.path())
                .args(["db", "path"])
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap()
        .trim(),
    );
    let data = book.parent().unwrap();
    assert_eq!(mode(data), 0o700);
    chmod(data, 0o755);
    let err = run(&["today"]);
    assert!(err.contains("readable by you alone"), "{err}");
    assert_eq!(mode(data), 0o700);
    // A folder the user chose with --db is theirs: left as it is.
    let b = Book::new();
    b.contact(&["--name", "Ana"]);
    let folder = b.db.parent().unwrap();
    chmod(folder, 0o755);
    b.ok(&["today"]);
    assert_eq!(mode(folder), 0o755);
}

// Read-only books, killed backups, page sizes and full disks: the book's files under the
// environment's faults.
mod faults;

/// `--db postgres://…` (or `$SALESDESK_DB`) is an address, not a file: refused before
/// anything is made, and the password never printed.
#[test]
fn a_server_address_makes_no_folders_and_never_shows_its_password() {
    let b = Book::new();
    // A socket folder that does not exist: the server is unreachable at once.
    let address = "postgres://ana:s3cret@/sales?host=/nonexistent-salesdesk-socket";
    let shown = "postgres://ana@/sales?host=/nonexistent-salesdesk-socket";
    for via_env in [false, true] {
        for (cmd, code) in [
            (&["today"][..], 1),
            (&["contact", "add", "--name", "Ana"], 1),
            (&["db", "path"], 0),
            (&["db", "init"], 1),
        ] {
            let mut c = assert_cmd::Command::cargo_bin("salesdesk").expect("binary");
            c.current_dir(b.dir.path())
                .env("SALESDESK_NOW", &b.now)
                .env("SALESDESK_CONFIG", &b.config)
                .env_remove("PGPASSWORD");
            if via_env {
                c.env("SALESDESK_DB", address);
            } else {
                c.env_remove("SALESDESK_DB").args(["--db", address]);
            }
            let out = c.args(cmd).output().expect("run");
            let err = String::from_utf8_lossy(&out.stderr);
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert_eq!(out.status.code(), Some(code), "{cmd:?}: {err}");
            assert!(
                !err.contains("s3cret") && !stdout.contains("s3cret"),
                "{err}{stdout}"
            );
            if code == 0 {
                assert_eq!(stdout.trim(), shown);
            } else {
                assert_eq!(err.lines().count(), 1, "one line: {err}");
                assert!(err.contains("/nonexistent-salesdesk-socket"), "{err}");
            }
        }
    }
    assert!(!b.dir.path().join("postgres:").exists());
    // Another scheme is no book at all (exit 2), its password hidden too.
    let out = assert_cmd::Command::cargo_bin("salesdesk")
        .expect("binary")
        .current_dir(b.dir.path())
        .env("SALESDESK_CONFIG", &b.config)
        .args(["--db", "mysql://root:s3cret@localhost/crm", "today"])
        .output()
        .expect("run");
    let e = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{e}");
    assert!(
        e.contains("mysql://root@localhost/crm") && !e.contains("s3cret"),
        "{e}"
    );
}
