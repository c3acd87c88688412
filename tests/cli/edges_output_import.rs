//! Issue 15, the edges of import: encodings decided on evidence, physical line numbers,
//! JSON imports checked field by field, imports undone whole, and writers waiting for an
//! import. (Output escapes and exports: `tests/cli/edges_output.rs`.)

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command as StdCommand, Stdio};

use crate::support::{self, Book};
use serde_json::Value;

pub(crate) struct Run {
    pub(crate) code: Option<i32>,
    pub(crate) stderr: Vec<u8>,
}

pub(crate) fn run(b: &Book, args: &[&str]) -> Run {
    let out = b.cmd().args(args).output().expect("run");
    Run {
        code: out.status.code(),
        stderr: out.stderr,
    }
}

/// One stray byte in a 5,000-row UTF-8 file: the file is UTF-8 (José stays José), and the
/// row with the byte is invalid, with its line. A real Windows-1252 file still reads as one.
#[test]
fn a_stray_byte_in_utf8_is_one_invalid_row_and_windows_1252_still_reads() {
    let b = Book::new();
    let mut text = b"name,email\n".to_vec();
    for i in 0..5000 {
        text.extend_from_slice(format!("Jos\u{e9} {i},jose{i}@x.test\n").as_bytes());
        if i == 2500 {
            text.extend_from_slice(b"Bad \xff byte,bad@x.test\n");
        }
    }
    let p = b.dir.path().join("utf8.csv");
    std::fs::write(&p, &text).unwrap();
    let err = b.fails(&["import", p.to_str().unwrap()], 2);
    assert!(
        err.contains("line 2503: ") && err.contains("not UTF-8"),
        "{err}"
    );
    assert!(!err.contains("Windows-1252"), "{err}");
    b.ok(&["import", p.to_str().unwrap(), "--skip-invalid"]);
    let hits = b.json(&["contact", "list", "--search", "José 4999"]);
    assert_eq!(hits[0]["name"], "José 4999", "{hits}");
    // A Windows-1252 file: é is one byte.
    let c = Book::new();
    let p = c.dir.path().join("cp.csv");
    let mut cp = b"name,email\n".to_vec();
    for i in 0..50 {
        cp.extend_from_slice(b"Jos\xe9 ");
        cp.extend_from_slice(format!("{i},j{i}@x.test\n").as_bytes());
    }
    std::fs::write(&p, &cp).unwrap();
    let r = run(&c, &["import", p.to_str().unwrap()]);
    assert_eq!(r.code, Some(0));
    assert!(String::from_utf8_lossy(&r.stderr).contains("Windows-1252"));
    let hits = c.json(&["contact", "list", "--search", "José 49"]);
    assert_eq!(hits[0]["name"], "José 49", "{hits}");
}

pub(crate) fn json_book() -> Value {
    let b = Book::new();
    b.contact(&["--name", "Ana", "--email", "ana@x.test", "--cadence", "7d"]);
    b.ok(&[
        "deal",
        "add",
        "--title",
        "Big",
        "--contact",
        "#1",
        "--value",
        "100",
    ]);
    b.ok(&["follow-up", "#1", "tomorrow", "call", "--every", "2w"]);
    b.ok(&[
        "note",
        "#1",
        "met",
        "--kind",
        "call",
        "--outcome",
        "connected",
    ]);
    serde_json::from_str(&b.ok(&["export", "--format", "json"])).unwrap()
}

/// The book's export without what an undo cannot give back: versions (a restored row gets a
/// new one, so windows holding the old state see it moved), the id sequences (ids are never
/// reused) and the export's own time.
pub(crate) fn comparable(b: &Book) -> Value {
    let mut v: Value = serde_json::from_str(&b.ok(&["export", "--format", "json"])).unwrap();
    fn strip(v: &mut Value) {
        match v {
            Value::Object(m) => {
                m.remove("version");
                m.remove("sequences");
                m.remove("exported_at");
                m.values_mut().for_each(strip);
            }
            Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut v);
    v
}

/// The marker an import holds, as a running import writes it: this test process's id.
fn hold_as_import(db: &Path) -> (rusqlite::Connection, std::path::PathBuf) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    let mut marker = db.as_os_str().to_owned();
    marker.push(".importing");
    let marker = std::path::PathBuf::from(marker);
    std::fs::write(&marker, std::process::id().to_string()).unwrap();
    (conn, marker)
}

/// A write from another process while an import holds the book waits for it (saying so),
/// and goes through when the import ends.
#[test]
fn a_write_waits_for_an_import_and_says_so() {
    let b = Book::new();
    b.contact(&["--name", "Ana"]);
    let (conn, marker) = hold_as_import(&b.db);
    let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("salesdesk"))
        .args([
            "--db",
            b.db.to_str().unwrap(),
            "note",
            "#1",
            "during the import",
        ])
        .env("SALESDESK_NOW", support::NOW)
        .env("SALESDESK_CONFIG", b.dir.path().join("config.toml"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    err.read_line(&mut line).unwrap();
    assert!(
        line.contains("an import") && line.contains("holds the book"),
        "{line}"
    );
    // The import ends.
    conn.execute_batch("COMMIT").unwrap();
    std::fs::remove_file(&marker).unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{line}");
    assert!(
        b.ok(&["contact", "show", "#1"])
            .contains("during the import")
    );
}

/// An import that holds the book past the wait: the writer fails, naming the import, and
/// writes nothing. (It waits the full 30 s.)
#[test]
fn a_write_behind_a_long_import_names_it() {
    let b = Book::new();
    b.contact(&["--name", "Ana"]);
    let (conn, marker) = hold_as_import(&b.db);
    let out = StdCommand::new(assert_cmd::cargo::cargo_bin("salesdesk"))
        .args(["--db", b.db.to_str().unwrap(), "note", "#1", "blocked"])
        .env("SALESDESK_NOW", support::NOW)
        .env("SALESDESK_CONFIG", b.dir.path().join("config.toml"))
        .output()
        .unwrap();
    conn.execute_batch("ROLLBACK").unwrap();
    std::fs::remove_file(&marker).unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "error: an import (process {}) holds the book",
            std::process::id()
        )),
        "{err}"
    );
    assert!(!b.ok(&["contact", "show", "#1"]).contains("blocked"));
}

/// A vCard or JSON file, read whole, that is UTF-8 but for a stray byte is refused naming the
/// line of the byte (never read as Windows-1252).
#[test]
fn a_whole_file_with_a_stray_byte_names_its_line() {
    let b = Book::new();
    let mut vcf = Vec::new();
    for i in 0..20 {
        vcf.extend_from_slice(
            format!("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:José {i}\r\nEND:VCARD\r\n").as_bytes(),
        );
    }
    vcf.extend_from_slice(b"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Bad \xff\r\nEND:VCARD\r\n");
    let p = b.dir.path().join("cards.vcf");
    std::fs::write(&p, &vcf).unwrap();
    let err = b.fails(&["import", p.to_str().unwrap()], 2);
    assert!(err.contains("line 83 ") && err.contains("UTF-8"), "{err}");
    assert_eq!(b.json(&["contact", "list"]), serde_json::json!([]));
}

/// A real import of a large file in one process and a `note` in another: the note waits and
/// is saved after the import, or fails naming the import; the import is whole either way.
#[test]
fn a_note_during_a_real_import_waits_for_it() {
    let b = Book::new();
    b.contact(&["--name", "Ana"]);
    let p = b.dir.path().join("big.csv");
    let mut text = String::from("name,email,notes\n");
    for i in 0..60_000 {
        text.push_str(&format!("Person {i},p{i}@x.test,met at the fair {i}\n"));
    }
    std::fs::write(&p, text).unwrap();
    let mut import = StdCommand::new(assert_cmd::cargo::cargo_bin("salesdesk"))
        .args([
            "--db",
            b.db.to_str().unwrap(),
            "import",
            p.to_str().unwrap(),
        ])
        .env("SALESDESK_NOW", support::NOW)
        .env("SALESDESK_CONFIG", b.dir.path().join("config.toml"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut marker = b.db.as_os_str().to_owned();
    marker.push(".importing");
    // Until the import holds the book (or has already ended).
    while !Path::new(&marker).exists() && import.try_wait().unwrap().is_none() {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let note = run(&b, &["note", "#1", "during the import"]);
    let status = import.wait().unwrap();
    assert!(status.success(), "the import failed");
    let err = String::from_utf8_lossy(&note.stderr);
    match note.code {
        Some(0) => assert!(
            b.ok(&["contact", "show", "#1"])
                .contains("during the import")
        ),
        Some(1) => assert!(err.contains("an import (process"), "{err}"),
        other => panic!("note ended with {other:?}: {err}"),
    }
    assert!(
        err.is_empty() || err.contains("an import (process"),
        "{err}"
    );
    assert_eq!(
        b.json(&["contact", "list"]).as_array().unwrap().len(),
        60_001
    );
    assert!(
        !Path::new(&marker).exists(),
        "the import removes its marker"
    );
}
