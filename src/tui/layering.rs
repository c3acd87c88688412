//! The TUI reads and writes the book through ops, with domain types: no file under src/tui
//! names storage or the SQLite driver. A test, so a shortcut fails the build.

use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, depth first.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            sources(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// `word` stands alone in `line` (not inside a longer name).
fn names(line: &str, word: &str) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    line.match_indices(word).any(|(at, _)| {
        let before = line[..at].chars().next_back();
        let after = line[at + word.len()..].chars().next();
        !before.is_some_and(ident) && !after.is_some_and(ident)
    })
}

#[test]
fn the_tui_names_neither_storage_nor_the_sqlite_driver() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui");
    let mut files = Vec::new();
    sources(&dir, &mut files).expect("src/tui is readable");
    assert!(
        files.len() > 20,
        "found only {} files under src/tui",
        files.len()
    );
    let this = Path::new(env!("CARGO_MANIFEST_DIR")).join(file!());
    let mut found = Vec::new();
    for file in files.iter().filter(|f| **f != this) {
        let text = std::fs::read_to_string(file).expect("a source file is readable");
        for (n, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            if names(code, "storage") || names(code, "rusqlite") {
                found.push(format!("{}:{}: {}", file.display(), n + 1, code));
            }
        }
    }
    assert!(
        found.is_empty(),
        "the TUI reaches past ops (read through ops, with domain types):\n{}",
        found.join("\n")
    );
}

#[test]
fn a_name_counts_only_standing_alone() {
    assert!(names("use crate::storage::deals;", "storage"));
    assert!(names("use crate::{ops, storage};", "storage"));
    assert!(names("rusqlite::Connection", "rusqlite"));
    assert!(!names("let storage_dir = 1;", "storage"));
    assert!(!names("fn backup_storage() {}", "storage"));
}
