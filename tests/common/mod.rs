//! Running the real binary on a private temporary book with a fixed clock.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub const NOW: &str = "2026-11-23T09:00:00+00:00";

pub struct Book {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
    pub now: String,
}

impl Book {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("data").join("book.db");
        Book {
            dir,
            db,
            now: NOW.to_string(),
        }
    }

    pub fn path(&self) -> &Path {
        &self.db
    }

    /// The binary with this book, the fixed clock, UTC, and no user config.
    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("salesdesk").expect("binary");
        c.arg("--db").arg(&self.db);
        c.env("SALESDESK_NOW", &self.now)
            .env("TZ", "UTC")
            .env("SALESDESK_CONFIG", self.dir.path().join("config.toml"))
            .env_remove("SALESDESK_DB")
            .env("NO_COLOR", "1");
        c
    }

    /// Runs and expects success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().expect("run");
        assert!(
            out.status.success(),
            "salesdesk {args:?} failed ({}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 output")
    }

    /// Runs and expects the exit code; returns stderr.
    pub fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.cmd().args(args).output().expect("run");
        assert_eq!(
            out.status.code(),
            Some(code),
            "salesdesk {args:?}: stdout {} stderr {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stderr).expect("utf-8 output")
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut a = args.to_vec();
        a.push("--json");
        serde_json::from_str(&self.ok(&a)).expect("JSON output")
    }

    /// Adds a contact and returns its id.
    pub fn contact(&self, args: &[&str]) -> i64 {
        let mut a = vec!["contact", "add"];
        a.extend_from_slice(args);
        self.ok(&a).trim().parse().expect("an id")
    }

    /// Asserts that the columns triggers derive agree with the rows they come from (the same
    /// recomputation `salesdesk db check` runs).
    pub fn assert_derived_consistent(&self) {
        let conn = rusqlite::Connection::open(&self.db).expect("open");
        let bad = salesdesk::storage::derived::mismatches(&conn).expect("query");
        assert!(
            bad.is_empty(),
            "derived columns disagree with their rows: {bad:?}"
        );
    }

    /// A byte-for-byte copy of the book's state as SQL text, to prove a failed command
    /// changed nothing.
    pub fn dump(&self) -> String {
        let conn = rusqlite::Connection::open(&self.db).expect("open");
        let mut out = String::new();
        for t in [
            "contacts",
            "companies",
            "deals",
            "deal_events",
            "follow_ups",
            "notes",
            "undo_log",
        ] {
            let mut stmt = conn
                .prepare(&format!("SELECT * FROM {t} ORDER BY 1"))
                .expect("prepare");
            let n = stmt.column_count();
            let rows = stmt
                .query_map([], |r| {
                    let mut s = String::new();
                    for i in 0..n {
                        let v: rusqlite::types::Value = r.get(i)?;
                        s.push_str(&format!("{v:?}|"));
                    }
                    Ok(s)
                })
                .expect("query");
            for r in rows {
                out.push_str(&format!("{t}: {}\n", r.expect("row")));
            }
        }
        out
    }
}
