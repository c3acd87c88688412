//! What the TUI benches share: the book they drive (SALESDESK_BENCH_BOOK, else the demo book
//! in a temporary folder) and the desk opened on it as `salesdesk` opens it.

use std::path::PathBuf;
use std::sync::LazyLock;

use salesdesk::clock::Clock;
use salesdesk::config::Config;
use salesdesk::ops::Desk;
use salesdesk::storage::Db;

pub static BOOK: LazyLock<(Option<tempfile::TempDir>, PathBuf)> = LazyLock::new(|| {
    if let Some(p) = std::env::var_os("SALESDESK_BENCH_BOOK") {
        return (None, PathBuf::from(p));
    }
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("demo.db");
    let mut desk = open(&path);
    desk.load_demo(false).expect("the demo book loads");
    (Some(dir), path)
});

pub fn open(path: &std::path::Path) -> Desk {
    let clock = Clock::from_env().expect("SALESDESK_NOW, when set, is RFC 3339");
    Desk::new(
        Db::open(path).expect("the book opens"),
        clock,
        Config::default(),
    )
}
