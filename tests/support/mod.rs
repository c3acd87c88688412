//! What the test targets share: a book in a private temporary folder, the real binary run on
//! it with a fixed clock, UTC and no user config, and the fixture files. `tui` adds a seeded
//! desk drawn into ratatui's TestBackend; `tmux` the binary in a real terminal. A book is a
//! SQLite file (`Book::new`) or a fresh database on the PostgreSQL test server
//! (`Book::server`, see `server`); `conformance!` runs one test body on both.
#![allow(dead_code)]

pub mod server;
pub mod team;
pub mod tmux;
pub mod tui;

/// One test body run on both engines: each `fn name(b: &Book) { … }` becomes a module `name`
/// with the tests `sqlite` (always) and `postgres` (on a fresh database of the server
/// `SALESDESK_TEST_PG` names; skipped, saying why, without one, and failed instead when
/// `SALESDESK_REQUIRE_PG` is set). `#[postgres(ignore = "why")]` before `fn` marks only the
/// server test. The body may also take `&mut Book` (to move its clock).
#[allow(unused_macros)]
macro_rules! conformance {
    ($(
        $(#[doc = $doc:literal])*
        $(#[postgres($pg:meta)])*
        fn $name:ident($b:ident: $ty:ty) $body:block
    )*) => {$(
        $(#[doc = $doc])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            fn body($b: $ty) $body

            #[test]
            fn sqlite() {
                let mut b = crate::support::Book::new();
                body(&mut b);
            }

            #[test]
            $(#[$pg])*
            fn postgres() {
                let Some(mut b) = crate::support::Book::server() else {
                    return;
                };
                body(&mut b);
            }
        }
    )*};
}
#[allow(unused_imports)]
pub(crate) use conformance;

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

pub const NOW: &str = "2026-11-23T09:00:00+00:00";

pub struct Book {
    pub dir: tempfile::TempDir,
    /// `data/book.db` in the folder: the data folder is made by the first command.
    pub db: PathBuf,
    /// `config.toml` in the folder: absent unless the test writes it.
    pub config: PathBuf,
    pub now: String,
    /// The server database the book is in, for a server book (`db` is then its address).
    pub server: Option<server::ServerDb>,
}

/// Which engine holds a book.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Book {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("data").join("book.db");
        let config = dir.path().join("config.toml");
        Book {
            dir,
            db,
            config,
            now: NOW.to_string(),
            server: None,
        }
    }

    /// A book in a new database on the PostgreSQL test server, made by `db init`; None
    /// (having said why) when no server is given and none is required.
    pub fn server() -> Option<Self> {
        let base = server::test_server()?;
        let made = server::ServerDb::create(&base);
        let mut b = Book::new();
        b.db = PathBuf::from(&made.address);
        b.server = Some(made);
        b.ok(&["db", "init"]);
        Some(b)
    }

    /// A book on `engine` (None as `Book::server` for a server without one).
    pub fn on(engine: Engine) -> Option<Self> {
        match engine {
            Engine::Sqlite => Some(Book::new()),
            Engine::Postgres => Book::server(),
        }
    }

    pub fn engine(&self) -> Engine {
        if self.server.is_some() {
            Engine::Postgres
        } else {
            Engine::Sqlite
        }
    }

    /// Runs `sql` (statements without arguments) on the book behind every command's back:
    /// for a state no verb makes.
    pub fn sql(&self, sql: &str) {
        match &self.server {
            Some(s) => s.client().batch_execute(sql).map_err(|e| e.to_string()),
            None => rusqlite::Connection::open(&self.db)
                .and_then(|c| c.execute_batch(sql))
                .map_err(|e| e.to_string()),
        }
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// Each row `sql` returns, as SQLite's value classes, whichever engine holds the book.
    pub fn rows(&self, sql: &str) -> Vec<Vec<rusqlite::types::Value>> {
        if let Some(s) = &self.server {
            return s.rows(sql);
        }
        let conn = rusqlite::Connection::open(&self.db).expect("open");
        let mut stmt = conn.prepare(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
        let n = stmt.column_count();
        stmt.query_map([], |r| (0..n).map(|i| r.get(i)).collect())
            .and_then(|rows| rows.collect())
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// A book whose config file holds `toml`.
    pub fn with_config(toml: &str) -> Self {
        let b = Book::new();
        b.configure(toml);
        b
    }

    /// A book on `engine` whose config file holds `toml` (for a second book beside a
    /// conformance test's own, so it needs the server that one has).
    pub fn on_with_config(engine: Engine, toml: &str) -> Self {
        let b = Book::on(engine).expect("a server, as the test's own book has");
        b.configure(toml);
        b
    }

    /// Writes `toml` as the book's config file.
    pub fn configure(&self, toml: &str) {
        std::fs::write(&self.config, toml).expect("config written");
    }

    pub fn path(&self) -> &Path {
        &self.db
    }

    /// A file beside the book's data folder, for imports and exports.
    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The binary with this book, the fixed clock, UTC, and no user config.
    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("salesdesk").expect("binary");
        c.arg("--db").arg(&self.db);
        c.env("SALESDESK_NOW", &self.now)
            .env("TZ", "UTC")
            .env("SALESDESK_CONFIG", &self.config)
            .env_remove("SALESDESK_DB")
            .env("NO_COLOR", "1");
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

    /// Runs and expects success; returns what it printed.
    pub fn cli(&self, args: &[&str]) -> Output {
        let out = self.cmd().args(args).output().expect("run");
        assert!(
            out.status.success(),
            "salesdesk {args:?} failed ({}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// Runs and expects success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        String::from_utf8(self.cli(args).stdout).expect("utf-8 output")
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

    /// The command's `--json` output (`--json` added unless `args` has it).
    pub fn json(&self, args: &[&str]) -> Value {
        let mut a = args.to_vec();
        if !a.contains(&"--json") {
            a.push("--json");
        }
        serde_json::from_str(&self.ok(&a)).expect("JSON output")
    }

    /// Adds a contact and returns its id.
    pub fn contact(&self, args: &[&str]) -> i64 {
        let mut a = vec!["contact", "add"];
        a.extend_from_slice(args);
        self.ok(&a).trim().parse().expect("an id")
    }

    /// Every contact, archived or not.
    pub fn contacts(&self) -> Vec<Value> {
        let v: Value =
            serde_json::from_str(&self.ok(&["contact", "list", "--json"])).expect("json");
        v.as_array().cloned().unwrap_or_default()
    }

    /// The contact of that exact name, as `contact list --json` shows it.
    pub fn contact_named(&self, name: &str) -> Value {
        self.contacts()
            .into_iter()
            .find(|c| c["name"] == name)
            .unwrap_or_else(|| panic!("no contact {name:?} in {:#?}", self.contacts()))
    }

    pub fn show(&self, id: i64) -> Value {
        serde_json::from_str(&self.ok(&["contact", "show", &id.to_string(), "--json"]))
            .expect("json")
    }

    pub fn import(&self, file: &Path, extra: &[&str]) -> (i32, String, String) {
        let mut args = vec!["import", file.to_str().expect("utf-8 path")];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    /// Asserts that the columns triggers derive agree with the rows they come from (the same
    /// recomputation `salesdesk db check` runs).
    pub fn assert_derived_consistent(&self) {
        let db = salesdesk::storage::Db::open(&self.db).expect("open");
        let bad = db
            .peek(salesdesk::storage::derived::mismatches)
            .expect("query");
        assert!(
            bad.is_empty(),
            "derived columns disagree with their rows: {bad:?}"
        );
    }

    /// A byte-for-byte copy of the book's state as text, to prove a failed command changed
    /// nothing: the same tables in id order, each value printed as SQLite's value class, on
    /// either engine.
    pub fn dump(&self) -> String {
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
            for row in self.rows(&format!("SELECT * FROM {t} ORDER BY 1")) {
                out.push_str(&format!("{t}: "));
                for v in row {
                    out.push_str(&format!("{v:?}|"));
                }
                out.push('\n');
            }
        }
        out
    }
}

/// A file of tests/fixtures.
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

/// The strings of a JSON array.
pub fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}
