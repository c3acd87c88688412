//! The layer rules, checked on the source itself: only `src/storage` speaks SQL or names
//! a database engine's crate (`rusqlite`, `postgres`, …); the domain imports no other layer; storage imports no ops, io, cli or tui; the
//! TUI imports nothing from storage; ops and io import no front end. A file that breaks a rule
//! fails the build's tests, naming file and line, unless it is listed in `STILL_TO_MOVE`; a
//! listed file that no longer breaks its rule fails them too, so the list cannot go stale.

use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    /// An engine's crate (`ENGINE_CRATES`: `rusqlite`, `postgres`, …) named outside
    /// `src/storage`.
    Rusqlite,
    /// SQL text, or a call only a SQLite connection has, outside `src/storage`.
    Sql,
    /// An import of a layer this one may not use.
    Import,
}

/// Files allowed to break a rule for a while, when a move across the layers is done in
/// steps. Empty: every file keeps every rule. An entry must be taken off when its file keeps
/// the rule (the test says so), so the list cannot go stale.
const STILL_TO_MOVE: &[(&str, Rule)] = &[];

/// The layers a file of `layer` may not import.
fn forbidden(layer: &str) -> &'static [&'static str] {
    match layer {
        "domain" => &["storage", "ops", "io", "cli", "tui"],
        "storage" => &["ops", "io", "cli", "tui"],
        "tui" => &["storage"],
        "ops" | "io" => &["cli", "tui"],
        _ => &[],
    }
}

/// The crates that talk to a database engine, which only storage may name: SQLite's, and
/// PostgreSQL's client with what it brings (the TLS it connects through is storage's too).
const ENGINE_CRATES: &[&str] = &[
    "rusqlite",
    "postgres",
    "tokio_postgres",
    "postgres_types",
    "postgres_protocol",
    "tokio_postgres_rustls",
    "rustls",
    "rustls_native_certs",
];

/// Methods only a SQLite connection, transaction or statement has: a call of one outside
/// storage is SQL run from there, even when its text came from elsewhere.
const CONNECTION_CALLS: &[&str] = &[
    "query_row",
    "query_map",
    "query_and_then",
    "prepare_cached",
    "execute_batch",
    "pragma_update",
    "pragma_query",
    "pragma_query_value",
    "last_insert_rowid",
    "transaction_with_behavior",
    "unchecked_transaction",
    "set_db_config",
];

/// What a file holds, separated: its code (string and char literals blanked, comments
/// dropped) by line, and each string literal's text with the line it starts on.
struct Source {
    code: Vec<String>,
    literals: Vec<(usize, String)>,
}

/// Splits Rust source into code and string literals. Enough of Rust's lexing for this:
/// line and block comments, strings with escapes, raw strings, char literals and lifetimes.
fn lex(text: &str) -> Source {
    let chars: Vec<char> = text.chars().collect();
    let mut code = vec![String::new()];
    let mut literals = Vec::new();
    let mut i = 0;
    let newline = |code: &mut Vec<String>| code.push(String::new());
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                if chars[i] == '\n' {
                    newline(&mut code);
                }
                i += 1;
            }
            i += 2;
        } else if c == '"'
            || (c == 'r' && matches!(next, Some('"') | Some('#')) && raw_start(&chars, i))
        {
            let line = code.len() - 1;
            let (lit, end, lines) = string_at(&chars, i);
            literals.push((line, lit));
            push(&mut code, "\"\"");
            for _ in 0..lines {
                newline(&mut code);
            }
            i = end;
        } else if c == '\'' {
            // A char literal ('x', '\n', '\u{1F600}') or a lifetime ('a).
            let close = if next == Some('\\') {
                chars[i + 3..]
                    .iter()
                    .position(|&c| c == '\'')
                    .map(|p| i + 3 + p)
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            match close {
                Some(end) => {
                    push(&mut code, "' '");
                    i = end + 1;
                }
                None => {
                    push(&mut code, "'");
                    i += 1;
                }
            }
        } else {
            if c == '\n' {
                newline(&mut code);
            } else {
                if let Some(l) = code.last_mut() {
                    l.push(c);
                }
            }
            i += 1;
        }
    }
    Source { code, literals }
}

fn push(code: &mut [String], s: &str) {
    if let Some(l) = code.last_mut() {
        l.push_str(s);
    }
}

/// Whether the `r` at `i` starts a raw string (`r"`, `r#"`), not an identifier ending in r.
fn raw_start(chars: &[char], i: usize) -> bool {
    let before = i.checked_sub(1).map(|p| chars[p]);
    if before.is_some_and(|b| b.is_alphanumeric() || b == '_') && before != Some('b') {
        return false;
    }
    let hashes = chars[i + 1..].iter().take_while(|&&c| c == '#').count();
    chars.get(i + 1 + hashes) == Some(&'"')
}

/// The string literal starting at `i` (`"…"` or `r#"…"#`): its text, the index after it and
/// how many line breaks it spans.
fn string_at(chars: &[char], mut i: usize) -> (String, usize, usize) {
    let mut text = String::new();
    let mut lines = 0;
    if chars[i] == 'r' {
        let hashes = chars[i + 1..].iter().take_while(|&&c| c == '#').count();
        i += 2 + hashes;
        let closing: Vec<char> = std::iter::once('"')
            .chain(std::iter::repeat_n('#', hashes))
            .collect();
        while i < chars.len() && !chars[i..].starts_with(&closing) {
            lines += usize::from(chars[i] == '\n');
            text.push(chars[i]);
            i += 1;
        }
        return (text, i + closing.len(), lines);
    }
    i += 1;
    while i < chars.len() && chars[i] != '"' {
        if chars[i] == '\\' {
            text.push(' ');
            i += 1;
        } else {
            text.push(chars[i]);
        }
        lines += usize::from(chars.get(i) == Some(&'\n'));
        i += 1;
    }
    (text, i + 1, lines)
}

/// Whether `text` has `word` with no letter, digit or underscore on either side.
fn has_word(text: &str, word: &str) -> bool {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
    })
}

/// Whether a string literal is SQL: its keywords are upper case, which no message a user
/// reads is, and the checks ask for the pairs SQL uses (`SELECT … FROM`, `UPDATE … SET`).
fn is_sql(literal: &str) -> bool {
    let t = literal.split_whitespace().collect::<Vec<_>>().join(" ");
    let w = |word: &str| has_word(&t, word);
    (w("SELECT") && (w("FROM") || t.starts_with("SELECT")))
        || w("INSERT INTO")
        || w("INSERT OR")
        || w("REPLACE INTO")
        || (w("UPDATE") && w("SET"))
        || w("DELETE FROM")
        || w("PRAGMA")
        || (w("CREATE") && ["TABLE", "INDEX", "TRIGGER", "VIEW"].iter().any(|k| w(k)))
        || (w("DROP") && ["TABLE", "INDEX", "TRIGGER", "VIEW"].iter().any(|k| w(k)))
        || w("ALTER TABLE")
        || w("VACUUM")
        || w("ORDER BY")
        || w("GROUP BY")
        || w("LEFT JOIN")
        || ["sqlite_master", "sqlite_sequence", "pragma_"]
            .iter()
            .any(|k| t.contains(k))
}

/// The layers `code` imports through `crate::NAME` or `crate::{NAME, …}`.
fn imported(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        if let Some(group) = after.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                out.push(item.trim().split("::").next().unwrap_or("").to_string());
            }
        } else {
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.push(name);
        }
        rest = after;
    }
    out
}

/// One rule broken at one line.
#[derive(Debug)]
struct Breach {
    file: String,
    line: usize,
    rule: Rule,
    what: String,
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// Every rule broken in `file` (its path from the crate's root, `src/...`), whose text is `text`.
fn breaches(file: &str, text: &str) -> Vec<Breach> {
    let parts: Vec<&str> = file.split('/').collect();
    let layer = if parts.len() > 2 { parts[1] } else { "" };
    let mut out = Vec::new();
    let mut breach = |line: usize, rule: Rule, what: String| {
        out.push(Breach {
            file: file.to_string(),
            line: line + 1,
            rule,
            what,
        })
    };
    let src = lex(text);
    if layer != "storage" {
        for (n, code) in src.code.iter().enumerate() {
            if ENGINE_CRATES.iter().any(|c| has_word(code, c)) {
                breach(n, Rule::Rusqlite, code.trim().to_string());
            }
            for call in CONNECTION_CALLS {
                if code.contains(&format!(".{call}(")) {
                    breach(n, Rule::Sql, format!("calls {call}: {}", code.trim()));
                }
            }
        }
        for (n, lit) in &src.literals {
            if is_sql(lit) {
                let first = lit.lines().next().unwrap_or("").trim();
                breach(*n, Rule::Sql, format!("SQL text \"{first}\""));
            }
        }
    }
    let banned = forbidden(layer);
    for (n, code) in src.code.iter().enumerate() {
        for name in imported(code) {
            if banned.contains(&name.as_str()) {
                breach(
                    n,
                    Rule::Import,
                    format!("{layer} imports crate::{name}: {}", code.trim()),
                );
            }
        }
    }
    out
}

#[test]
fn layers_keep_their_rules() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut found = Vec::new();
    for path in &files {
        let file = path
            .strip_prefix(root)
            .expect("under the crate")
            .to_string_lossy()
            .replace('\\', "/");
        // The rules' own file spells out what it looks for.
        if file == "src/layers.rs" {
            continue;
        }
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        found.extend(breaches(&file, &text));
    }
    let listed = |b: &Breach| STILL_TO_MOVE.contains(&(b.file.as_str(), b.rule));
    let mut report: Vec<String> = found
        .iter()
        .filter(|b| !listed(b))
        .map(|b| format!("{}:{}: {:?}: {}", b.file, b.line, b.rule, b.what))
        .collect();
    for (file, rule) in STILL_TO_MOVE {
        if !found.iter().any(|b| b.file == *file && b.rule == *rule) {
            report.push(format!(
                "{file} no longer breaks {rule:?}: take it off STILL_TO_MOVE"
            ));
        }
    }
    assert!(
        report.is_empty(),
        "layer rules broken:\n{}",
        report.join("\n")
    );
}

#[test]
fn engine_crates_are_named_in_storage_only() {
    for line in [
        "use rusqlite::Connection;",
        "fn f(c: &mut postgres::Client) {}",
        "let e: Option<tokio_postgres::Error> = None;",
        "use rustls::ClientConfig;",
    ] {
        let found = breaches("src/ops/x.rs", line);
        assert!(
            found.iter().any(|b| b.rule == Rule::Rusqlite),
            "{line} breaks the rule outside storage"
        );
        assert!(breaches("src/storage/pg/x.rs", line).is_empty(), "{line}");
    }
    // The word in a message or a comment is not the crate.
    let text = "// postgres:// addresses\nlet m = \"a postgres address\"; let postgresql = 1;";
    assert!(breaches("src/paths.rs", text).is_empty());
}

#[test]
fn sql_is_told_from_what_users_read() {
    for sql in [
        "SELECT count(*) FROM contacts",
        "  select_me SELECT id\n FROM deals WHERE x = ?1",
        "{} ORDER BY c.id",
        "INSERT INTO notes(body) VALUES (?1)",
        "UPDATE deals SET stage = ?1",
        "DELETE FROM meta WHERE key = ?1",
        "PRAGMA integrity_check",
        "VACUUM",
        "CREATE TABLE filler(x)",
        "SELECT name FROM pragma_table_info(?1)",
    ] {
        assert!(is_sql(sql), "{sql:?} is SQL");
    }
    for text in [
        "select a contact first",
        "Delete from the book? (y/n)",
        "the book has no contacts; `salesdesk contact add` makes one",
        "update the stage",
        "SELECTED",
        "x UPDATED y SETS",
    ] {
        assert!(!is_sql(text), "{text:?} is not SQL");
    }
}

#[test]
fn lexing_keeps_code_strings_and_comments_apart() {
    let src = lex(
        "let a = 'x'; // rusqlite in a comment\nfn f<'a>(s: &'a str) { g(r#\"SELECT \"1\" FROM t\"#, \"b\\\"c\") }\n/* crate::tui */ use crate::{storage, io::json};",
    );
    assert_eq!(src.code.len(), 3);
    assert!(!src.code[0].contains("rusqlite"));
    assert_eq!(
        src.literals,
        vec![
            (1, "SELECT \"1\" FROM t".to_string()),
            (1, "b c".to_string())
        ]
    );
    assert_eq!(imported(&src.code[2]), vec!["storage", "io"]);
}
