//! The e2e tests' shared harness: a private book with a config, and a tmux server of its
//! own to drive the real binary in a real terminal, polling the screen instead of sleeping.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use serde_json::Value;

pub const NOW: &str = "2026-11-23T09:00:00Z";
pub const BIN: &str = env!("CARGO_BIN_EXE_salesdesk");

pub struct Book {
    pub _dir: tempfile::TempDir,
    pub db: PathBuf,
    pub config: PathBuf,
}

impl Book {
    pub fn new() -> Book {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("book.db");
        let config = dir.path().join("config.toml");
        std::fs::write(&config, "[follow_up]\nnext = \"+2d\"\n").unwrap();
        Book {
            _dir: dir,
            db,
            config,
        }
    }

    pub fn cli(&self, args: &[&str]) -> Output {
        let out = Command::new(BIN)
            .arg("--db")
            .arg(&self.db)
            .arg("--config")
            .arg(&self.config)
            .args(args)
            .env("SALESDESK_NOW", NOW)
            .env("TZ", "UTC")
            .env_remove("SALESDESK_DB")
            .env_remove("SALESDESK_CONFIG")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "salesdesk {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    pub fn json(&self, args: &[&str]) -> Value {
        let out = self.cli(args);
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

pub struct Tmux {
    pub socket: String,
}

impl Tmux {
    pub fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn keys(&self, keys: &[&str]) {
        let mut a = vec!["send-keys", "-t", "e2e"];
        a.extend_from_slice(keys);
        self.run(&a);
    }

    pub fn text(&self, text: &str) {
        self.run(&["send-keys", "-t", "e2e", "-l", text]);
    }

    pub fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "e2e"])
    }

    /// Polls the pane until `want` shows, or fails with what it shows.
    pub fn wait_for(&self, want: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(want) {
                return s;
            }
            if start.elapsed() > Duration::from_secs(15) {
                panic!("waited 15s for {want:?}; the screen shows:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(40));
        }
    }
}

impl Tmux {
    /// A tmux server of its own, a plain shell in a 100×30 window, and the desk started in it
    /// on `book` the way a user types it.
    pub fn desk(book: &Book) -> Tmux {
        let t = Tmux {
            socket: format!("salesdesk-e2e-{}", std::process::id()),
        };
        t.run(&[
            "new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30",
            &format!("env -i PATH=/usr/bin:/bin HOME=/tmp TERM=xterm-256color TZ=UTC SALESDESK_NOW={NOW} PS1='$ ' sh"),
        ]);
        t.wait_for("$");
        t.text(&format!(
            "{} --db {} --config {}",
            quote(Path::new(BIN)),
            quote(&book.db),
            quote(&book.config)
        ));
        t.keys(&["Enter"]);
        t
    }

    /// Waits until the desk has quit and the terminal is back on its main screen.
    pub fn wait_main_screen(&self) {
        let start = Instant::now();
        while self
            .run(&["display", "-p", "-t", "e2e", "#{alternate_on}"])
            .trim()
            != "0"
        {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "still on the alternate screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(40));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .arg("kill-server")
            .output();
    }
}

pub fn tmux_present() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The shell command that starts the desk on `book` in a clean environment, with `wrap`
/// (e.g. `setsid -w`, or nothing) in front of the binary.
pub fn desk_command(book: &Book, wrap: &str) -> String {
    format!(
        "env -i PATH=/usr/bin:/bin HOME=/tmp TERM=xterm-256color TZ=UTC SALESDESK_NOW={NOW} {wrap} {} --db {} --config {}",
        quote(Path::new(BIN)),
        quote(&book.db),
        quote(&book.config)
    )
}

pub fn quote(p: &Path) -> String {
    format!("'{}'", p.display().to_string().replace('\'', "'\\''"))
}
