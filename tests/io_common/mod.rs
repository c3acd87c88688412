//! Shared by the io_* tests: a book in a temporary folder and the real binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

pub const NOW: &str = "2026-11-23T09:00:00+00:00";

pub struct Book {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
}

impl Book {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("book.db");
        Book { dir, db }
    }

    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("salesdesk").expect("binary");
        c.arg("--db")
            .arg(&self.db)
            .env("SALESDESK_NOW", NOW)
            .env("TZ", "UTC")
            .env("SALESDESK_CONFIG", self.dir.path().join("none.toml"))
            .env_remove("SALESDESK_DB");
        c
    }

    /// Runs the command; returns (exit code, stdout, stderr).
    pub fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = self.cmd().args(args).output().expect("run");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Runs and insists on exit 0; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let (code, out, err) = self.run(args);
        assert_eq!(code, 0, "{args:?} failed:\nstdout: {out}\nstderr: {err}");
        out
    }

    pub fn import(&self, file: &Path, extra: &[&str]) -> (i32, String, String) {
        let mut args = vec!["import", file.to_str().expect("utf-8 path")];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    /// Every contact, archived or not.
    pub fn contacts(&self) -> Vec<Value> {
        let v: Value =
            serde_json::from_str(&self.ok(&["contact", "list", "--json"])).expect("json");
        v.as_array().cloned().unwrap_or_default()
    }

    pub fn contact(&self, name: &str) -> Value {
        self.contacts()
            .into_iter()
            .find(|c| c["name"] == name)
            .unwrap_or_else(|| panic!("no contact {name:?} in {:#?}", self.contacts()))
    }

    pub fn show(&self, id: i64) -> Value {
        serde_json::from_str(&self.ok(&["contact", "show", &id.to_string(), "--json"]))
            .expect("json")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The shared vCard samples from real programs, or None (saying so) in a clone without them.
pub fn shared_vcards() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/vcard");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!(
            "skipping: {} is absent (a clone without ../shared/ has no real-program vCard samples)",
            p.display()
        );
        None
    }
}

pub fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}
