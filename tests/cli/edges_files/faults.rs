//! The book's files under the environment's faults: a read-only file or folder, a kill
//! mid-backup, another page size, a full disk.

use super::*;

/// Runs salesdesk as uid 65534 (root ignores modes); None when setpriv is missing.
fn as_nobody(db: &Path, args: &[&str]) -> Option<std::process::Output> {
    Command::new("setpriv").arg("--version").output().ok()?;
    Some(
        Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(bin())
            .arg("--db")
            .arg(db)
            .args(args)
            .env("SALESDESK_NOW", support::NOW)
            .env("TZ", "UTC")
            .env("SALESDESK_CONFIG", "/nonexistent/config.toml")
            .env("HOME", "/nonexistent")
            .output()
            .unwrap(),
    )
}

#[test]
fn a_read_only_book_is_read_and_backed_up_and_says_what_is_read_only() {
    // The book's file read-only (0444, another user's), its folder writable; then the folder
    // read-only (0555), the file writable (0666).
    for (label, file_mode, dir_mode, what) in [
        ("file", 0o444, 0o777, "the file"),
        ("folder", 0o666, 0o555, "the folder"),
    ] {
        let b = Book::new();
        b.contact(&["--name", "Ana Pereira", "--company", "Acme"]);
        b.ok(&["note", "ana", "called about pricing"]);
        let folder = b.db.parent().unwrap();
        chmod(b.dir.path(), 0o755);
        let out_dir = tempfile::tempdir().unwrap();
        chmod(out_dir.path(), 0o777);
        chmod(&b.db, file_mode);
        chmod(folder, dir_mode);
        let before = snapshot(folder);
        let o = |n: &str| out_dir.path().join(n).to_string_lossy().into_owned();
        let reads: Vec<Vec<String>> = vec![
            vec!["today".into()],
            vec!["today".into(), "--brief".into()],
            vec!["contact".into(), "list".into()],
            vec!["contact".into(), "show".into(), "ana".into()],
            vec!["search".into(), "pricing".into()],
            vec!["report".into(), "--json".into()],
            vec!["export".into(), "-o".into(), o("book.json")],
            vec![
                "export".into(),
                "--format".into(),
                "csv".into(),
                "-o".into(),
                o("csv"),
            ],
            vec!["backup".into(), o("copy.db")],
            vec!["db".into(), "check".into()],
        ];
        for args in &reads {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let Some(out) = as_nobody(&b.db, &args) else {
                eprintln!("skipped: setpriv is not installed");
                return;
            };
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "{label} {args:?}: {err}");
            assert_eq!(snapshot(folder), before, "{label} {args:?} wrote");
        }
        let shown = as_nobody(&b.db, &["contact", "show", "ana"]).unwrap();
        assert!(String::from_utf8_lossy(&shown.stdout).contains("called about pricing"));
        chmod(folder, 0o755);
        let copy = rusqlite::Connection::open(out_dir.path().join("copy.db")).unwrap();
        let n: i64 = copy
            .query_row("SELECT count(*) FROM notes", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1, "{label}: the backup holds the book");
        chmod(folder, dir_mode);
        for args in [
            &["note", "ana", "hello"][..],
            &["contact", "add", "--name", "Bo"],
            &["undo"],
        ] {
            let out = as_nobody(&b.db, args).unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{label} {args:?}: {err}");
            assert!(
                err.starts_with("error: ") && err.contains("read-only") && err.contains(what),
                "{label} {args:?}: {err}"
            );
            assert_eq!(snapshot(folder), before, "{label} {args:?} wrote");
        }
        chmod(folder, 0o755);
    }
}

/// A salesdesk book of several MB: one contact and a filler table SQLite copies page by page.
fn big_book(mb: usize) -> Book {
    let b = Book::new();
    b.contact(&["--name", "Ana"]);
    let c = rusqlite::Connection::open(&b.db).unwrap();
    c.execute_batch(&format!(
        "CREATE TABLE filler(x);
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {})
         INSERT INTO filler SELECT randomblob(4000) FROM n;",
        mb * 256
    ))
    .unwrap();
    b
}

fn partials(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(String::from))
        .filter(|n| n.contains(".partial"))
        .collect()
}

#[test]
fn a_killed_backup_leaves_nothing_once_the_next_backup_runs() {
    let b = big_book(48);
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("copy.db");
    let mut landed = false;
    for _ in 0..30 {
        let mut child = Command::new(bin())
            .arg("--db")
            .arg(&b.db)
            .args(["backup", &dest.to_string_lossy()])
            .env("SALESDESK_CONFIG", "/nonexistent/config.toml")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Kill it the moment its copy has pages in it, if it has not finished by then.
        let mut seen = false;
        while child.try_wait().unwrap().is_none() {
            let growing = std::fs::read_dir(dir.path()).unwrap().flatten().any(|e| {
                e.file_name().to_string_lossy().ends_with(".partial")
                    && e.metadata().is_ok_and(|m| m.len() > 0)
            });
            if growing {
                seen = child.kill().is_ok();
                break;
            }
        }
        let status = child.wait().unwrap();
        if seen && !status.success() && !partials(dir.path()).is_empty() {
            landed = true;
            break;
        }
        let _ = std::fs::remove_file(&dest);
    }
    if !landed {
        eprintln!("skipped: no kill landed mid-copy in 30 tries (the copy was too quick)");
        return;
    }
    assert!(!dest.exists(), "no half file under the name restore takes");
    let left = partials(dir.path());
    b.ok(&["backup", &dest.to_string_lossy()]);
    assert_eq!(
        partials(dir.path()),
        Vec::<String>::new(),
        "left before: {left:?}"
    );
    let copy = rusqlite::Connection::open(&dest).unwrap();
    let ok: String = copy
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    // A backup in progress (its lock held, here by another process) is not swept by another
    // one to the same name; once that process is killed, it is.
    // A process id no process has: only the lock tells that this one is being written.
    let live = dir.path().join("copy.db.999999999.partial");
    std::fs::write(&live, b"being written").unwrap();
    // `-o`: the lock stays with flock(1) itself, not with `cat`, which ends when its stdin
    // closes.
    let Ok(mut holder) = Command::new("flock")
        .arg("-o")
        .arg(&live)
        .arg("cat")
        .stdin(Stdio::piped())
        .spawn()
    else {
        eprintln!("skipped the live-lock half: no flock(1)");
        return;
    };
    let stdin = holder.stdin.take();
    // Wait until the holder has the lock (a try of ours fails), without keeping it ourselves.
    loop {
        let f = std::fs::File::open(&live).unwrap();
        if rustix::fs::flock(&f, rustix::fs::FlockOperation::NonBlockingLockExclusive).is_err() {
            break;
        }
        drop(f);
        assert!(holder.try_wait().unwrap().is_none(), "flock(1) ended");
    }
    b.ok(&["backup", &dest.to_string_lossy()]);
    assert!(live.exists(), "a live backup's file was swept");
    holder.kill().unwrap();
    holder.wait().unwrap();
    drop(stdin);
    b.ok(&["backup", &dest.to_string_lossy()]);
    assert!(!live.exists());
}

#[test]
fn a_backup_of_any_page_size_is_restored() {
    for size in [1024, 4096, 8192, 65536] {
        let b = Book::new();
        b.contact(&["--name", "Ana Pereira"]);
        b.ok(&["note", "ana", "kept in the backup"]);
        let copy = b.dir.path().join(format!("copy-{size}.db"));
        b.ok(&["backup", &copy.to_string_lossy()]);
        let c = rusqlite::Connection::open(&copy).unwrap();
        c.execute_batch(&format!("PRAGMA page_size = {size}; VACUUM;"))
            .unwrap();
        let got: i64 = c.query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap();
        assert_eq!(got, size);
        drop(c);
        b.contact(&["--name", "Bo After"]);
        let out = b.ok(&["restore", &copy.to_string_lossy()]);
        assert!(out.contains("restored"), "{size}: {out}");
        let names: Vec<String> = b
            .json(&["contact", "list"])
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(names, ["Ana Pereira"], "{size}");
        b.ok(&["db", "check"]);
        b.ok(&["note", "ana", "after the restore"]);
        let backups = b.db.parent().unwrap().join("backups");
        assert_eq!(partials(&backups), Vec::<String>::new(), "{size}");
    }
}

/// A small tmpfs mounted for the test, unmounted when dropped; None where mounting is not
/// permitted.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(size: &str) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(SmallDisk { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Fills the disk, then frees `keep_kb`.
    fn fill_leaving(&self, keep_kb: u64) {
        use std::io::Write;
        let p = self.path().join("filler");
        let mut f = std::fs::File::create(&p).unwrap();
        let block = vec![0u8; 1024];
        while f.write_all(&block).is_ok() {}
        drop(f);
        let len = std::fs::metadata(&p).unwrap().len();
        let f = std::fs::OpenOptions::new().write(true).open(&p).unwrap();
        f.set_len(len.saturating_sub(keep_kb * 1024)).unwrap();
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

#[test]
fn a_full_disk_is_said_as_full_and_leaves_no_half_file() {
    let Some(disk) = SmallDisk::mount("200k") else {
        eprintln!("skipped: cannot mount a tmpfs here (not root, or no permission)");
        return;
    };
    let b = Book::new();
    b.contact(&["--name", "Ana Pereira"]);
    for i in 0..30 {
        b.ok(&["note", "ana", &format!("note {i} {}", "x".repeat(12_000))]);
    }
    for _ in 0..3 {
        b.ok(&["follow-up", "ana", "tomorrow", &"y".repeat(100_000)]);
    }
    let target = |n: &str| disk.path().join(n).to_string_lossy().into_owned();
    let cases: Vec<(Vec<String>, String)> = vec![
        (
            vec![
                "export".into(),
                "--format".into(),
                "csv".into(),
                "--what".into(),
                "notes".into(),
                "-o".into(),
                target("notes.csv"),
            ],
            target("notes.csv"),
        ),
        (
            vec!["export".into(), "-o".into(), target("book.json")],
            target("book.json"),
        ),
        (
            vec![
                "export".into(),
                "--format".into(),
                "ics".into(),
                "-o".into(),
                target("f.ics"),
            ],
            target("f.ics"),
        ),
        (
            vec![
                "export".into(),
                "--format".into(),
                "csv".into(),
                "-o".into(),
                target("all"),
            ],
            target("all"),
        ),
        (vec!["backup".into(), target("copy.db")], target("copy.db")),
    ];
    for (args, named) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let e = b.fails(&args, 1);
        assert!(e.contains("disk is full"), "{args:?}: {e}");
        assert!(e.contains(&named), "{args:?}: names the file: {e}");
        let mut left: Vec<PathBuf> = snapshot(disk.path())
            .into_iter()
            .filter(|(_, (bytes, mode))| !bytes.is_empty() || mode & 0o40000 == 0)
            .map(|(p, _)| p)
            .filter(|p| !p.is_dir())
            .collect();
        left.sort();
        assert_eq!(left, Vec::<PathBuf>::new(), "{args:?} left files");
        let _ = std::fs::remove_dir_all(disk.path().join("all"));
    }
    // An export to a file that existed keeps its old content when the new one does not fit.
    std::fs::write(disk.path().join("notes.csv"), b"old").unwrap();
    b.fails(
        &[
            "export",
            "--format",
            "csv",
            "--what",
            "notes",
            "-o",
            &target("notes.csv"),
        ],
        1,
    );
    assert_eq!(
        std::fs::read(disk.path().join("notes.csv")).unwrap(),
        b"old"
    );
    std::fs::remove_file(disk.path().join("notes.csv")).unwrap();

    // The book itself on a nearly full disk: reads and writes say "full", not "I/O error".
    let mut small = Book::new();
    let big = SmallDisk::mount("2m").unwrap();
    small.db = big.path().join("book.db");
    small.contact(&["--name", "Ana"]);
    for keep in [0, 8, 16, 24] {
        big.fill_leaving(keep);
        for args in [&["today"][..], &["note", "ana", "hello"]] {
            let out = small.cmd().args(args).output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            if !out.status.success() {
                assert_eq!(out.status.code(), Some(1), "{keep} KB {args:?}: {err}");
                assert!(
                    err.contains("disk is full") && !err.contains("panicked"),
                    "{keep} KB {args:?}: {err}"
                );
            }
        }
        std::fs::remove_file(big.path().join("filler")).unwrap();
    }
    small.ok(&["today"]);
}

#[test]
fn an_export_to_dev_full_names_the_file() {
    if !Path::new("/dev/full").exists() {
        eprintln!("skipped: no /dev/full");
        return;
    }
    let b = Book::new();
    b.contact(&["--name", "Ana"]);
    for i in 0..20 {
        b.ok(&["note", "ana", &format!("note {i} {}", "x".repeat(10_000))]);
    }
    for format in ["csv", "json", "vcf", "ics"] {
        let mut args = vec!["export", "--format", format, "-o", "/dev/full"];
        if format == "csv" {
            args.extend(["--what", "notes"]);
        }
        let e = b.fails(&args, 1);
        assert!(
            e.contains("/dev/full") && e.contains("disk is full"),
            "{format}: {e}"
        );
    }
}
