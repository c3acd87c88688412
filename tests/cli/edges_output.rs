//! Issue 15, the edges of output: one printing path that makes stored text inert on every
//! command and error path; exports that escape line breaks and controls and round trip; the
//! CSV formula mark. (Import edges: `tests/cli/edges_output_import.rs`.)

use std::process::Command as StdCommand;

use crate::support::{self, Book};
use serde_json::Value;

/// Everything a terminal acts on: ESC sequences (OSC 52 clipboard, title set, CSI), C0 and
/// C1 controls (U+009B is a one-character CSI), DEL, backspace, a lone CR, and the bidi
/// overrides and isolates.
const HOSTILE: &str = "\u{1b}]52;c;SGVsbG8=\u{7}\u{1b}]0;pwned\u{1b}\\\u{1b}[2J\u{9b}31m\u{8}\u{7f}\u{1}\u{85}\u{202a}\u{202b}\u{202c}\u{202d}\u{202e}\u{2066}\u{2067}\u{2068}\u{2069}\u{200e}\u{200f}\u{61c}\rX";

fn evil(word: &str) -> String {
    format!("{word} {HOSTILE} {word}end")
}

/// A control character in a written file other than a CRLF line ending (bidi characters are
/// text in a file; only the terminal must not get them raw).
fn file_controls(bytes: &[u8]) -> Vec<String> {
    let s = String::from_utf8_lossy(bytes);
    let chars: Vec<char> = s.chars().collect();
    let mut bad = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let ok = match c {
            '\n' | '\t' => true,
            '\r' => chars.get(i + 1) == Some(&'\n'),
            c => !c.is_control(),
        };
        if !ok {
            bad.push(format!("U+{:04X} at char {i}", c as u32));
        }
    }
    bad
}

/// A character that must not leave the process raw. Newline and tab are inert; CR is
/// allowed only as part of CRLF (an `.ics` line ending).
fn raw_controls(bytes: &[u8]) -> Vec<String> {
    let s = String::from_utf8_lossy(bytes);
    let chars: Vec<char> = s.chars().collect();
    let mut bad = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let ok = match c {
            '\n' | '\t' => true,
            '\r' => chars.get(i + 1) == Some(&'\n'),
            c => !c.is_control() && !salesdesk::text::is_bidi_control(c),
        };
        if !ok {
            bad.push(format!("U+{:04X} at char {i}", c as u32));
        }
    }
    bad
}

struct Run {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

fn run(b: &Book, args: &[&str]) -> Run {
    let out = b.cmd().args(args).output().expect("run");
    Run {
        code: out.status.code(),
        stdout: out.stdout,
        stderr: out.stderr,
    }
}

fn inert(args: &[&str], r: &Run) {
    for (what, bytes) in [("stdout", &r.stdout), ("stderr", &r.stderr)] {
        let bad = raw_controls(bytes);
        assert!(
            bad.is_empty(),
            "{args:?} let {bad:?} reach {what}: {:?}",
            String::from_utf8_lossy(bytes)
        );
    }
}

/// Every string in a JSON document, for finding the stored text in it exactly.
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(m) => m.iter().for_each(|(k, x)| {
            out.push(k.clone());
            strings(x, out)
        }),
        _ => {}
    }
}

/// A book whose every name and text holds the hostile sequences, then every command and error
/// path, text and `--json`: no control or bidi character leaves the process raw, and the
/// JSON parses back to the stored text exactly.
#[test]
fn hostile_text_leaves_no_command_raw() {
    let b = Book::new();
    let name = evil("Ana");
    let company = evil("Acme");
    b.contact(&[
        "--name",
        &name,
        "--company",
        &company,
        "--title",
        &evil("VP"),
        "--tag",
        &evil("tag"),
        "--source",
        &evil("fair"),
        "--email",
        "ana@acme.test",
        "--cadence",
        "7d",
    ]);
    b.contact(&["--name", &evil("Ana Two")]);
    let deal = evil("Deal");
    b.ok(&[
        "deal",
        "add",
        "--title",
        &deal,
        "--contact",
        "#1",
        "--value",
        "1200",
    ]);
    b.ok(&["deal", "add", "--title", &evil("Other"), "--contact", "#2"]);
    b.ok(&["follow-up", "#1", "today", &evil("call")]);
    b.ok(&[
        "follow-up",
        "#1",
        "tomorrow",
        &evil("repeat"),
        "--every",
        "1w",
    ]);
    b.ok(&["note", "#1", &evil("body"), "--raw"]);
    let dir = b.dir.path();
    let csv = dir.join(format!("in{}.csv", "\u{1b}]0;file\u{7}"));
    std::fs::write(
        &csv,
        format!(
            "name,email,company,notes\n\"{}\",ok@x.test,\"{}\",\"{}\"\n\"{}\",\"{}\",,\n,\"{}\",,\n",
            evil("Imp").replace('"', "\"\""),
            evil("Co").replace('"', "\"\""),
            evil("imported note").replace('"', "\"\""),
            evil("Bad").replace('"', "\"\""),
            evil("not-an-email").replace('"', "\"\""),
            // No name and no email left: an invalid row, whose error quotes the text.
            evil("nobody").replace('"', "\"\""),
        ),
    )
    .unwrap();
    let csv = csv.to_str().unwrap().to_string();
    let ics = dir.join("out.ics").to_str().unwrap().to_string();
    let hostile_arg = evil("arg");
    // (args, exit code); `None` for "either": a command whose outcome depends on earlier ones.
    let table: Vec<(Vec<&str>, Option<i32>)> = vec![
        (vec!["today"], Some(0)),
        (vec!["today", "--days", "30"], Some(0)),
        (vec!["today", "--brief"], Some(0)),
        (vec!["contact", "list"], Some(0)),
        (vec!["contact", "list", "--search", "ana"], Some(0)),
        (vec!["contact", "show", "#1"], Some(0)),
        (vec!["contact", "show", "#2"], Some(0)),
        (vec!["deal", "list"], Some(0)),
        (vec!["follow-up", "list"], Some(0)),
        (vec!["follow-up", "list", "--status", "done"], Some(0)),
        (vec!["search", "ana"], Some(0)),
        (vec!["search", "deal"], Some(0)),
        (vec!["search", "body"], Some(0)),
        (vec!["search", &hostile_arg], Some(0)),
        (vec!["report"], Some(0)),
        (vec!["report", "--since", "-30d"], Some(0)),
        (
            vec!["export", "--format", "csv", "--what", "contacts"],
            Some(0),
        ),
        (
            vec!["export", "--format", "csv", "--what", "deals"],
            Some(0),
        ),
        (
            vec!["export", "--format", "csv", "--what", "follow-ups"],
            Some(0),
        ),
        (
            vec!["export", "--format", "csv", "--what", "notes"],
            Some(0),
        ),
        (vec!["export", "--format", "json"], Some(0)),
        (vec!["export", "--format", "vcf"], Some(0)),
        (vec!["export", "--format", "ics"], Some(0)),
        (vec!["export", "--format", "ics", "-o", &ics], Some(0)),
        // Errors that echo stored or typed text.
        (vec!["contact", "show", "Ana"], Some(2)),
        (vec!["note", "ana", "hello"], Some(2)),
        (vec!["contact", "show", &hostile_arg], Some(2)),
        (vec!["deal", "move", "1", &hostile_arg], Some(2)),
        (vec!["follow-up", "#1", &hostile_arg], Some(2)),
        (vec!["note", "#1", "x", "--kind", &hostile_arg], Some(2)),
        (
            vec!["contact", "add", "--name", "x", "--cadence", &hostile_arg],
            Some(2),
        ),
        (vec!["import", &csv, "--dry-run"], Some(2)),
        (vec![&hostile_arg], Some(2)),
        // Changes that say what they did, and undo that names them.
        (vec!["import", &csv, "--skip-invalid"], Some(0)),
        (vec!["undo"], Some(0)),
        (vec!["note", "#1", "moving it on #proposal"], Some(0)),
        (vec!["undo"], Some(0)),
        (vec!["note", "#1", "won it #won"], Some(0)),
        (vec!["undo"], Some(0)),
        (vec!["note", "#1", "ping @tomorrow"], Some(0)),
        (vec!["undo"], Some(0)),
        (
            vec!["contact", "edit", "#1", "--title", &hostile_arg],
            Some(0),
        ),
        (vec!["undo"], Some(0)),
        (vec!["deal", "lost", "2", "--reason", &hostile_arg], Some(0)),
        (vec!["undo"], Some(0)),
        (vec!["done", "1"], Some(0)),
        (vec!["undo"], Some(0)),
        (vec!["snooze", "1", "tomorrow"], Some(0)),
        (vec!["undo"], Some(0)),
        (vec!["contact", "archive", "#2"], Some(0)),
        (vec!["undo"], Some(0)),
        (vec!["undo"], None),
    ];
    let mut json_runs = 0;
    for (args, code) in &table {
        for json in [false, true] {
            let mut a = args.clone();
            let listing = matches!(
                a.as_slice(),
                ["today"]
                    | ["today", ..]
                    | ["contact", "list", ..]
                    | ["contact", "show", ..]
                    | ["deal", "list", ..]
                    | ["follow-up", "list", ..]
                    | ["search", ..]
                    | ["report", ..]
            ) && !a.contains(&"--brief");
            if json && !listing {
                continue;
            }
            if json {
                a.push("--json");
            }
            let r = run(&b, &a);
            if let Some(c) = code {
                assert_eq!(
                    r.code,
                    Some(*c),
                    "{a:?}: {}",
                    String::from_utf8_lossy(&r.stderr)
                );
            }
            inert(&a, &r);
            if json && r.code == Some(0) {
                json_runs += 1;
                let v: Value = serde_json::from_slice(&r.stdout).expect("JSON parses");
                let mut all = Vec::new();
                strings(&v, &mut all);
                if a[0] == "contact" && a[1] == "show" && a[2] == "#1" {
                    assert!(all.contains(&name), "the stored name, exactly: {all:?}");
                    assert!(all.contains(&company), "the stored company: {all:?}");
                }
                if a[0] == "deal" {
                    assert!(all.contains(&deal), "the deal's title: {all:?}");
                }
            }
        }
    }
    assert!(json_runs >= 15, "{json_runs}");
    // The JSON export is exact too, and escapes what it holds.
    let r = run(&b, &["export", "--format", "json"]);
    let v: Value = serde_json::from_slice(&r.stdout).unwrap();
    assert_eq!(v["contacts"][0]["name"], name.as_str());
    let text = String::from_utf8(r.stdout).unwrap();
    assert!(text.contains("\\u001b]52") && text.contains("\\u202e") && text.contains("\\u009b"));
    // The written calendar holds no raw control either (a lone CR was a new property).
    let ics = std::fs::read(&ics).unwrap();
    let bad = file_controls(&ics);
    assert!(
        bad.is_empty(),
        "{bad:?} in {:?}",
        String::from_utf8_lossy(&ics)
    );
}

/// A book in a folder whose name holds escapes: every message that names the path.
#[test]
fn a_hostile_path_is_printed_inert() {
    let b = Book::new();
    let dir = b.dir.path().join(format!("d{HOSTILE}"));
    let db = dir.join("book.db");
    let backup = dir.join("copy.db");
    let run_at = |args: &[&str]| -> Run {
        let out = StdCommand::new(assert_cmd::cargo::cargo_bin("salesdesk"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .env("SALESDESK_NOW", support::NOW)
            .env("SALESDESK_CONFIG", b.dir.path().join("config.toml"))
            .output()
            .unwrap();
        Run {
            code: out.status.code(),
            stdout: out.stdout,
            stderr: out.stderr,
        }
    };
    let r = run_at(&["contact", "add", "--name", "Ana"]);
    assert_eq!(r.code, Some(0));
    let missing = dir.join("missing\u{1b}]0;t\u{7}.csv");
    let table: Vec<(Vec<&str>, i32)> = vec![
        (vec!["db", "path"], 0),
        (vec!["db", "check"], 0),
        (vec!["backup", backup.to_str().unwrap()], 0),
        (vec!["restore", dir.to_str().unwrap()], 2),
        (vec!["import", missing.to_str().unwrap()], 2),
        (vec!["export", "-o", dir.to_str().unwrap()], 2),
    ];
    for (args, code) in table {
        let r = run_at(&args);
        assert_eq!(
            r.code,
            Some(code),
            "{args:?}: {}",
            String::from_utf8_lossy(&r.stderr)
        );
        inert(&args, &r);
        let all = [r.stdout, r.stderr].concat();
        assert!(
            String::from_utf8_lossy(&all).contains("]0;pwned"),
            "{args:?} names the path"
        );
    }
}

/// Line breaks and controls in every text field: `.ics` escapes them (no reader that splits
/// on CR or LF finds a property that was text), vCard and CSV carry them (CR escaped in
/// vCard, quoted in CSV) and read back exactly through the importer, JSON exactly.
#[test]
fn exports_escape_line_breaks_and_read_back_exactly() {
    for (label, brk) in [
        ("CR", "\r"),
        ("LF", "\n"),
        ("CRLF", "\r\n"),
        ("controls", "\u{1b}[1m\u{7}\u{9b}\u{0b}\u{0c}\u{85}"),
    ] {
        let b = Book::new();
        let f = |w: &str| format!("{w}{brk}X-INJ:1{brk}END:VCARD{brk}{w}2");
        let fields = [
            ("name", f("Bob")),
            ("company", f("Acme")),
            ("title", f("Boss")),
            ("source", f("Fair")),
        ];
        b.contact(&[
            "--name",
            &fields[0].1,
            "--company",
            &fields[1].1,
            "--title",
            &fields[2].1,
            "--source",
            &fields[3].1,
            "--tag",
            &f("tag"),
            "--email",
            "bob@x.test",
        ]);
        b.ok(&["deal", "add", "--title", &f("Deal"), "--contact", "#1"]);
        b.ok(&["follow-up", "#1", "tomorrow", &f("call")]);
        b.ok(&["note", "#1", &f("body"), "--raw"]);
        let dir = b.dir.path();
        let out = |n: &str| dir.join(n).to_str().unwrap().to_string();
        for (fmt, file) in [("ics", "a.ics"), ("vcf", "a.vcf"), ("json", "a.json")] {
            b.ok(&["export", "--format", fmt, "-o", &out(file)]);
        }
        b.ok(&["export", "--format", "csv", "-o", &out("csv")]);
        // A reader that splits lines on CR and on LF finds only the properties written.
        for file in ["a.ics", "a.vcf"] {
            let text = std::fs::read_to_string(dir.join(file)).unwrap();
            for line in text.split(['\r', '\n']) {
                assert!(
                    !(line.starts_with("X-INJ") || line.starts_with("END:VCARD") && line.len() > 9),
                    "{label} {file}: a property made of text: {line:?}"
                );
            }
        }
        let ics = std::fs::read(dir.join("a.ics")).unwrap();
        assert!(
            raw_controls(&ics).is_empty(),
            "{label}: {:?}",
            String::from_utf8_lossy(&ics)
        );
        // Read back through the importer into a new book.
        let want = b.json(&["contact", "show", "#1"]);
        for (kind, file) in [("vcf", "a.vcf"), ("csv", "csv/contacts.csv")] {
            let c = Book::new();
            c.ok(&["import", &out(file)]);
            let got = c.json(&["contact", "show", "#1"]);
            // vCard has no field for the lead source.
            for (key, value) in fields
                .iter()
                .filter(|(k, _)| kind == "csv" || *k != "source")
            {
                assert_eq!(got["contact"][key], value.as_str(), "{label} {kind}: {key}");
            }
            assert_eq!(
                got["contact"]["tags"], want["contact"]["tags"],
                "{label} {kind}"
            );
        }
        let c = Book::new();
        c.ok(&["import", &out("a.json")]);
        assert_eq!(
            c.ok(&["export", "--format", "json"]),
            b.ok(&["export", "--format", "json"]),
            "{label}: JSON round trip"
        );
    }
}

/// A value that already carries the spreadsheet mark keeps it: export adds one more, import
/// takes exactly one off.
#[test]
fn the_formula_mark_round_trips_exactly() {
    let b = Book::new();
    let names = [
        "'=Quoted Legit",
        "=SUM(A1)",
        "''+1 555",
        "-minus",
        "@at",
        "'plain",
        "O'Brien",
    ];
    for n in names {
        b.contact(&[&format!("--name={n}"), &format!("--title={n}")]);
    }
    let dir = b.dir.path().join("csv");
    b.ok(&["export", "--format", "csv", "-o", dir.to_str().unwrap()]);
    let text = std::fs::read_to_string(dir.join("contacts.csv")).unwrap();
    assert!(text.contains("''=Quoted Legit"), "{text}");
    let c = Book::new();
    c.ok(&["import", dir.join("contacts.csv").to_str().unwrap()]);
    let list = c.json(&["contact", "list"]);
    let mut got: Vec<(String, String)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["name"].as_str().unwrap().to_string(),
                x["title"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    got.sort();
    let mut want: Vec<(String, String)> = names
        .iter()
        .map(|n| (n.to_string(), n.to_string()))
        .collect();
    want.sort();
    assert_eq!(got, want);
}
