//! The door's rules, checked on the source: storage calls up into no other layer, and no
//! statement that writes the book is written outside storage.

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The lines of code (comments left out) of every source file under `src/<under>`.
fn code_lines(under: &str) -> Vec<(PathBuf, usize, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root.join(under), &mut files);
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for (i, line) in text.lines().enumerate() {
            let t = line.trim_start();
            if !t.starts_with("//") {
                out.push((
                    f.strip_prefix(&root).unwrap().to_path_buf(),
                    i + 1,
                    t.to_string(),
                ));
            }
        }
    }
    out
}

#[test]
fn storage_calls_no_other_layer() {
    let found: Vec<String> = code_lines("storage")
        .into_iter()
        .filter(|(f, _, _)| !f.ends_with("boundary.rs"))
        .filter(|(_, _, l)| {
            ["crate::ops", "crate::io", "crate::cli", "crate::tui"]
                .iter()
                .any(|layer| l.contains(layer))
        })
        .map(|(f, n, l)| format!("{}:{n}: {l}", f.display()))
        .collect();
    assert!(found.is_empty(), "storage calls up:\n{}", found.join("\n"));
}

/// Whether a line of code holds a statement that changes the book.
fn writes(l: &str) -> bool {
    // SQL is written in capitals here; prose mentioning it is not.
    let update = l
        .split("UPDATE ")
        .skip(1)
        .any(|rest| rest.split_whitespace().nth(1) == Some("SET"));
    update
        || [
            "INSERT INTO",
            "INSERT OR",
            "DELETE FROM",
            "VACUUM",
            "DROP TRIGGER",
            "CREATE ",
        ]
        .iter()
        .any(|w| l.contains(w) && l.contains('"'))
        || [".execute(", ".execute_batch(", "pragma_update("]
            .iter()
            .any(|w| l.contains(w))
}

#[test]
fn only_storage_writes_the_book() {
    let found: Vec<String> = ["ops", "io", "cli", "tui", "domain"]
        .iter()
        .flat_map(|layer| code_lines(layer))
        .filter(|(_, _, l)| writes(l))
        .map(|(f, n, l)| format!("{}:{n}: {l}", f.display()))
        .collect();
    assert!(
        found.is_empty(),
        "statements that write the book outside storage:\n{}",
        found.join("\n")
    );
}
