//! Undo barriers, purge to the last byte, search, backup and restore, and the demo book.

use crate::support::Book;

fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
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

#[test]
fn purge_leaves_no_byte_of_the_person() {
    let b = Book::new();
    let marker = "Zqxjvmarker";
    b.contact(&["--name", "Keep Me", "--company", "Stays Inc"]);
    b.contact(&[
        "--name",
        &format!("Ana {marker}"),
        "--company",
        "Gone Ltd",
        "--email",
        "zqxjv@gone.example",
        "--phone",
        "+1 555 987 6543",
    ]);
    b.ok(&[
        "deal",
        "add",
        "--title",
        &format!("{marker} deal"),
        "--contact",
        "2",
    ]);
    for i in 0..30 {
        b.ok(&[
            "note",
            "2",
            &format!("call {i}: the {marker} project needs {marker} pricing"),
            "--kind",
            "call",
        ]);
    }
    b.ok(&["follow-up", "2", "fri", &format!("ask about {marker}")]);
    b.ok(&["note", "keep", "unrelated note about pricing"]);
    b.ok(&["backup"]); // an automatic backup holding the person
    let data = b.path().parent().unwrap().to_path_buf();
    // What a backup killed half-way (or the TUI quit during its daily backup) leaves.
    let backups = data.join("backups");
    let whole = std::fs::read_dir(&backups)
        .unwrap()
        .flatten()
        .next()
        .unwrap()
        .path();
    let bytes = std::fs::read(&whole).unwrap();
    std::fs::write(
        backups.join("salesdesk-20261122-090000-daily.partial"),
        &bytes[..bytes.len() * 2 / 3],
    )
    .unwrap();
    std::fs::write(
        backups.join("salesdesk-20261122-090000-daily.partial-journal"),
        &bytes[..4096],
    )
    .unwrap();
    let everything = || {
        files_under(&data)
            .into_iter()
            .map(|p| (p.clone(), std::fs::read(&p).unwrap()))
            .collect::<Vec<_>>()
    };
    assert!(
        everything()
            .iter()
            .any(|(_, bytes)| contains(bytes, marker.as_bytes())),
        "the marker is written first"
    );

    let out = b
        .cmd()
        .args(["contact", "purge", "2", "--yes"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("warning: exports and copies made by hand")
    );

    for (path, bytes) in everything() {
        for needle in [
            marker.as_bytes(),
            b"zqxjv",
            b"Zqxjv",
            b"9876543",
            b"Gone Ltd",
        ] {
            assert!(
                !contains(&bytes, needle),
                "{} still holds {:?}",
                path.display(),
                String::from_utf8_lossy(needle)
            );
        }
    }
    // the rest of the book is intact and searchable
    assert_eq!(
        b.json(&["search", "pricing"])[0]["title"]
            .as_str()
            .map(|t| t.contains("Keep Me")),
        Some(true)
    );
    assert!(b.ok(&["db", "check"]).starts_with("ok"));
    let e = b.fails(&["undo"], 2);
    assert!(e.contains("cannot be undone"), "{e}");
    b.fails(&["contact", "purge", "keep"], 2); // without --yes
}

#[test]
fn backup_and_restore_check_the_file_first() {
    let b = Book::new();
    b.contact(&["--name", "Ana"]);
    let copy = b.dir.path().join("copy.db");
    b.ok(&["backup", copy.to_str().unwrap()]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    b.contact(&["--name", "Bob"]);
    assert_eq!(
        b.json(&["contact", "list"]).as_array().map(Vec::len),
        Some(2)
    );

    // a damaged file is refused and the book is untouched
    let damaged = b.dir.path().join("damaged.db");
    let mut bytes = std::fs::read(&copy).unwrap();
    let half = bytes.len() / 2;
    bytes.truncate(half);
    std::fs::write(&damaged, &bytes).unwrap();
    let before = b.dump();
    let e = b.fails(&["restore", damaged.to_str().unwrap()], 2);
    assert!(e.contains("cannot be restored"), "{e}");
    let text = b.dir.path().join("notes.txt");
    std::fs::write(&text, "hello").unwrap();
    b.fails(&["restore", text.to_str().unwrap()], 2);
    let other = b.dir.path().join("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t(x)")
        .unwrap();
    let e = b.fails(&["restore", other.to_str().unwrap()], 2);
    assert!(e.contains("not a salesdesk book"), "{e}");
    assert_eq!(b.dump(), before);

    let out = b.ok(&["restore", copy.to_str().unwrap()]);
    assert!(out.contains("kept as"), "{out}");
    let names: Vec<String> = b
        .json(&["contact", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["Ana"]);
    assert!(b.fails(&["undo"], 2).contains("cannot be undone"));
    assert!(b.ok(&["db", "check"]).starts_with("ok"));
}

#[test]
fn demo_refuses_a_full_book_and_force_backs_up() {
    let b = Book::new();
    b.contact(&["--name", "My Own Client"]);
    let e = b.fails(&["demo"], 2);
    assert!(e.contains("--force"), "{e}");
    b.ok(&["demo", "--force"]);
    let backups = b.path().parent().unwrap().join("backups");
    assert_eq!(
        std::fs::read_dir(&backups).unwrap().count(),
        1,
        "a backup before replacing"
    );
    let contacts = b.json(&["contact", "list"]);
    assert!(contacts.as_array().unwrap().len() >= 25);
    assert!(
        !contacts
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["name"] == "My Own Client")
    );
    let t = b.json(&["today", "--days", "7"]);
    for g in ["overdue", "today", "upcoming", "reconnect"] {
        assert!(!t[g].as_array().unwrap().is_empty(), "demo has {g}");
    }
    let e = b.fails(&["undo"], 2);
    assert!(e.contains("demo"), "{e}");
}
