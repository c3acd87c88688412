//! The real binary on temporary books, with a fixed clock: every daily command, the JSON
//! fields docs/MANUAL.md names, and the exit codes.

use crate::support::Book;

#[test]
fn environment_failures_are_exit_1() {
    let b = Book::new();
    std::fs::create_dir_all(b.path().parent().unwrap()).unwrap();
    std::fs::write(
        b.path(),
        b"this is not a database, just some text that is long enough to be a header.....",
    )
    .unwrap();
    let e = b.fails(&["today"], 1);
    assert!(e.contains("not") && e.starts_with("error: "), "{e}");

    let b = Book::new();
    b.ok(&["today"]);
    let conn = rusqlite::Connection::open(b.path()).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let e = b.fails(&["today"], 1);
    assert!(e.contains("newer salesdesk"), "{e}");
}

#[test]
fn broken_config_and_clock_are_input_errors() {
    let b = Book::new();
    std::fs::write(
        b.dir.path().join("config.toml"),
        "currency = \"USD\"\n[follow_up]\nsnoze = \"+1d\"\n",
    )
    .unwrap();
    let e = b.fails(&["today"], 2);
    assert!(e.contains("line 3") && e.contains("snoze"), "{e}");
    std::fs::write(
        b.dir.path().join("config.toml"),
        "[pipeline]\nstages = [{ name = \"Won\", probability = 100 }]\n",
    )
    .unwrap();
    b.fails(&["today"], 2);
    std::fs::remove_file(b.dir.path().join("config.toml")).unwrap();
    let mut b2 = Book::new();
    b2.now = "last tuesday".into();
    let e = b2.fails(&["today"], 2);
    assert!(e.contains("SALESDESK_NOW"), "{e}");
}

#[cfg(unix)]
#[test]
fn the_book_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let b = Book::new();
    b.contact(&["--name", "Ana"]);
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(b.path()), 0o600);
    assert_eq!(mode(b.path().parent().unwrap()), 0o700);
}

#[test]
fn db_path_check_and_completions() {
    let b = Book::new();
    assert_eq!(b.ok(&["db", "path"]).trim(), b.path().display().to_string());
    assert!(b.ok(&["db", "check"]).starts_with("ok"));
    let out = b.ok(&["completions", "bash"]);
    assert!(out.contains("salesdesk") && out.contains("follow-up"));
    // the path comes from the environment when no flag is given
    let mut c = assert_cmd::Command::cargo_bin("salesdesk").unwrap();
    let out = c
        .env("SALESDESK_DB", "/tmp/elsewhere.db")
        .args(["db", "path"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "/tmp/elsewhere.db"
    );
}
