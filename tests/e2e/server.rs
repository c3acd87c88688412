//! A desk on a PostgreSQL server in a real terminal: another client's change shows on the
//! open desk without a key pressed (LISTEN/NOTIFY), and a server restarted under the desk
//! is connected to again, the screen read again, and the status line says so.

use std::path::PathBuf;
use std::process::Command;

use crate::support::server::{ServerDb, skip};
use crate::support::tmux::*;

/// A book with Ana, due today, and Bo, due today too, on `book`.
fn seed(book: &Book) {
    book.cli(&["contact", "add", "--name", "Ana Souza", "--company", "Acme"]);
    book.cli(&["contact", "add", "--name", "Bo Lindqvist"]);
    book.cli(&["follow-up", "ana", "today", "Call Ana about the renewal"]);
    book.cli(&["follow-up", "bo", "today", "Send Bo the price list"]);
}

#[test]
fn another_clients_change_shows_on_the_open_desk() {
    if !tmux_present() {
        eprintln!("skipped: tmux is not installed (.ci/run installs it)");
        return;
    }
    let Some(book) = Book::server() else {
        return;
    };
    seed(&book);
    let t = Tmux::desk(&book);
    t.wait_for("Send Bo the price list");
    // Another client (this test's CLI) marks Bo's follow-up done: no key is pressed on the desk.
    book.cli(&["done", "2"]);
    let start = std::time::Instant::now();
    while t.screen().contains("Send Bo the price list") {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(15),
            "the desk never showed the other client's change:\n{}",
            t.screen()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    eprintln!("the desk showed the change after {:?}", start.elapsed());
    let s = t.screen();
    assert!(s.contains("Call Ana about the renewal"), "{s}");
    assert!(s.contains("TODAY (1)"), "{s}");
    t.keys(&["q"]);
    t.wait_main_screen();
}

/// A cluster of this test's own (it is restarted, which the other server tests must not
/// see), stopped when dropped.
struct Cluster {
    dir: tempfile::TempDir,
    script: PathBuf,
}

impl Cluster {
    fn start() -> Option<Cluster> {
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scripts/pg-cluster.sh");
        let dir = tempfile::tempdir().expect("temp dir");
        let ok = Command::new("bash")
            .arg(&script)
            .arg("start")
            .arg(dir.path())
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            skip("scripts/pg-cluster.sh could not start a cluster here");
            return None;
        }
        Some(Cluster { dir, script })
    }

    fn address(&self) -> String {
        format!(
            "postgres://postgres@/salesdesk_test?host={}",
            self.dir.path().display()
        )
    }

    fn restart(&self) {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .expect("Debian's postgresql")
            .filter_map(|e| e.ok())
            .map(|e| e.path().join("bin/pg_ctl"))
            .filter(|p| p.exists())
            .max()
            .expect("pg_ctl");
        let data = self.dir.path().join("data");
        let mut cmd = if rustix::process::geteuid().is_root() {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=postgres", "--regid=postgres", "--clear-groups"])
                .arg(bin);
            c
        } else {
            Command::new(bin)
        };
        // The server pg_ctl starts keeps whatever output it is given: a log file, not this
        // test's pipes (which would never close).
        let status = cmd
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(self.dir.path().join("server.log"))
            .args(["-m", "fast", "-w", "restart"])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .expect("pg_ctl restart");
        assert!(status.success(), "pg_ctl restart failed");
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .arg(&self.script)
            .arg("stop")
            .arg(self.dir.path())
            .output();
    }
}

#[test]
fn a_restarted_server_is_connected_to_again_and_said_so() {
    if !tmux_present() {
        eprintln!("skipped: tmux is not installed (.ci/run installs it)");
        return;
    }
    if std::env::var_os("SALESDESK_TEST_PG").is_none() {
        skip("SALESDESK_TEST_PG is not set (scripts/pg-cluster.sh starts a server)");
        return;
    }
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let db = ServerDb::create(&cluster.address());
    let mut book = Book::new();
    book.db = PathBuf::from(&db.address);
    book.ok(&["db", "init"]);
    seed(&book);
    let t = Tmux::desk(&book);
    t.wait_for("Send Bo the price list");
    cluster.restart();
    t.wait_for("Reconnected to the server");
    // Connected again, it hears changes as before.
    book.cli(&["done", "1"]);
    let start = std::time::Instant::now();
    while t.screen().contains("Call Ana about the renewal") {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(15),
            "after the restart the desk never showed the change:\n{}",
            t.screen()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    t.keys(&["q"]);
    t.wait_main_screen();
    drop(db);
}

/// On a server a key's write goes to the desk's queue and the key returns at once: `x` and
/// `q` typed together still mark the follow-up done before the desk ends, and a contact
/// opened with keys typed after it gets them.
#[test]
fn a_write_typed_just_before_quitting_is_kept_and_keys_typed_ahead_land_where_meant() {
    if !tmux_present() {
        eprintln!("skipped: tmux is not installed (.ci/run installs it)");
        return;
    }
    let Some(book) = Book::server() else {
        return;
    };
    seed(&book);
    let t = Tmux::desk(&book);
    t.wait_for("Send Bo the price list");
    // Enter opens Ana's page; `n` typed in the same breath opens a note for her there.
    t.keys(&["Enter", "n"]);
    t.wait_for("Note");
    let s = t.wait_for("Ana Souza");
    assert!(s.contains("Contact  Ana Souza"), "{s}");
    t.keys(&["Escape"]);
    t.keys(&["Escape"]);
    t.wait_for("Send Bo the price list");
    t.keys(&["x", "q"]);
    t.wait_main_screen();
    t.wait_exited();
    let out = book.cli(&["today"]);
    let today = String::from_utf8_lossy(&out.stdout);
    let left = ["Call Ana about the renewal", "Send Bo the price list"]
        .iter()
        .filter(|t| today.contains(*t))
        .count();
    assert_eq!(left, 1, "one of the two was marked done:\n{today}");
}
