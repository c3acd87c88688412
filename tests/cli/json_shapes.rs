//! The JSON contract of docs/MANUAL.md, pinned: every command's `--json` (and `export --format json`)
//! on the demo book, reduced to its shape (keys in their serialized order, each value replaced
//! by its type, arrays by the union of their elements). Renaming, removing or retyping a field
//! fails a snapshot here instead of silently breaking a script; an added field shows up in the
//! snapshot's diff, to be accepted on purpose.
//!
//! A second test holds the keys docs/MANUAL.md names, per kind of row, so the snapshots and the
//! written contract cannot drift apart.

use std::fmt::{self, Write as _};

use crate::support::Book;
use insta::assert_snapshot;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// The type of a JSON value, as far as a script reading it cares.
#[derive(Debug, Clone, PartialEq)]
enum Shape {
    Null,
    Bool,
    Integer,
    Float,
    String,
    /// The union of the elements' shapes; `None` for an array that was empty.
    Array(Option<Box<Shape>>),
    /// Keys in the order the program wrote them.
    Object(Vec<(String, Shape)>),
    /// A key some objects of an array have and others leave out.
    Absent,
    /// Several of the above, in a fixed order (see `rank`).
    Union(Vec<Shape>),
}

impl Shape {
    /// Alternatives of the same rank merge into one; the order makes a union's text
    /// independent of the order of the rows that produced it.
    fn rank(&self) -> u8 {
        match self {
            Shape::Object(_) => 0,
            Shape::Array(_) => 1,
            Shape::String => 2,
            Shape::Integer => 3,
            Shape::Float => 4,
            Shape::Bool => 5,
            Shape::Null => 6,
            Shape::Absent => 7,
            Shape::Union(_) => 8,
        }
    }

    fn alternatives(self) -> Vec<Shape> {
        match self {
            Shape::Union(v) => v,
            s => vec![s],
        }
    }

    /// The shape that covers both: what an array holding a value of each looks like.
    fn merge(self, other: Shape) -> Shape {
        let mut alts = self.alternatives();
        for b in other.alternatives() {
            match alts.iter().position(|a| a.rank() == b.rank()) {
                Some(i) => {
                    let a = alts.remove(i);
                    alts.insert(i, merge_same(a, b));
                }
                None => alts.push(b),
            }
        }
        alts.sort_by_key(Shape::rank);
        if alts.len() == 1 {
            alts.remove(0)
        } else {
            Shape::Union(alts)
        }
    }

    fn write(&self, out: &mut String, indent: usize) -> fmt::Result {
        let pad = "  ".repeat(indent + 1);
        let end = "  ".repeat(indent);
        match self {
            Shape::Null => out.push_str("null"),
            Shape::Bool => out.push_str("\"<bool>\""),
            Shape::Integer => out.push_str("\"<integer>\""),
            Shape::Float => out.push_str("\"<float>\""),
            Shape::String => out.push_str("\"<string>\""),
            Shape::Absent => out.push_str("<absent>"),
            Shape::Array(None) => out.push_str("[]"),
            Shape::Array(Some(item)) => {
                write!(out, "[\n{pad}")?;
                item.write(out, indent + 1)?;
                write!(out, "\n{end}]")?;
            }
            Shape::Object(fields) if fields.is_empty() => out.push_str("{}"),
            Shape::Object(fields) => {
                out.push_str("{\n");
                for (i, (key, value)) in fields.iter().enumerate() {
                    write!(out, "{pad}{key:?}: ")?;
                    value.write(out, indent + 1)?;
                    out.push_str(if i + 1 < fields.len() { ",\n" } else { "\n" });
                }
                out.push_str(&end);
                out.push('}');
            }
            Shape::Union(alts) => {
                for (i, a) in alts.iter().enumerate() {
                    if i > 0 {
                        out.push_str(" | ");
                    }
                    a.write(out, indent)?;
                }
            }
        }
        Ok(())
    }

    fn render(&self) -> String {
        let mut s = String::new();
        self.write(&mut s, 0).expect("writing to a String");
        s.push('\n');
        s
    }
}

/// Two alternatives of the same rank: objects merge key by key (a key missing on one side
/// becomes absent-or-its-shape), arrays merge their items.
fn merge_same(a: Shape, b: Shape) -> Shape {
    match (a, b) {
        (Shape::Object(fa), Shape::Object(fb)) => {
            let mut merged: Vec<(String, Shape)> = Vec::new();
            for (k, v) in fa {
                let shape = match fb.iter().find(|(kb, _)| *kb == k) {
                    Some((_, vb)) => v.merge(vb.clone()),
                    None => v.merge(Shape::Absent),
                };
                merged.push((k, shape));
            }
            for (k, v) in fb {
                if !merged.iter().any(|(km, _)| *km == k) {
                    merged.push((k, v.merge(Shape::Absent)));
                }
            }
            Shape::Object(merged)
        }
        (Shape::Array(a), Shape::Array(b)) => Shape::Array(match (a, b) {
            (Some(a), Some(b)) => Some(Box::new(a.merge(*b))),
            (a, b) => a.or(b),
        }),
        (a, _) => a,
    }
}

struct ShapeVisitor;

impl<'de> Visitor<'de> for ShapeVisitor {
    type Value = Shape;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Shape, E> {
        Ok(Shape::Null)
    }
    fn visit_none<E>(self) -> Result<Shape, E> {
        Ok(Shape::Null)
    }
    fn visit_bool<E>(self, _: bool) -> Result<Shape, E> {
        Ok(Shape::Bool)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Shape, E> {
        Ok(Shape::Integer)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Shape, E> {
        Ok(Shape::Integer)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Shape, E> {
        Ok(Shape::Float)
    }
    fn visit_str<E>(self, _: &str) -> Result<Shape, E> {
        Ok(Shape::String)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Shape, A::Error> {
        let mut item: Option<Shape> = None;
        while let Some(s) = seq.next_element::<Shape>()? {
            item = Some(match item {
                Some(i) => i.merge(s),
                None => s,
            });
        }
        Ok(Shape::Array(item.map(Box::new)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
        let mut fields = Vec::new();
        while let Some((k, v)) = map.next_entry::<String, Shape>()? {
            fields.push((k, v));
        }
        Ok(Shape::Object(fields))
    }
}

impl<'de> Deserialize<'de> for Shape {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Shape, D::Error> {
        d.deserialize_any(ShapeVisitor)
    }
}

/// The demo book, plus what the demo leaves empty: a follow-up done (`done_at`), a contact
/// from a LinkedIn export (`linkedin_url`, `connected_on`, no email) and one with no company.
fn demo_book() -> Book {
    let book = Book::new();
    book.ok(&["demo"]);
    book.ok(&["done", "3"]);
    let linkedin = book.dir.path().join("Connections.csv");
    std::fs::write(
        &linkedin,
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n\
         Mina,Sato,https://www.linkedin.com/in/mina,,Kintsugi Works,Buyer,08 Nov 2023\n",
    )
    .expect("write the CSV");
    book.ok(&["import", &linkedin.to_string_lossy()]);
    book.contact(&["--name", "Solo Trader"]);
    book
}

fn shape(book: &Book, args: &[&str]) -> Shape {
    let text = book.ok(args);
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("salesdesk {args:?}: not JSON: {e}\n{text}"))
}

/// Commands with JSON output that read the whole book: (snapshot name, arguments).
const COMMANDS: &[(&str, &[&str])] = &[
    ("today", &["today", "--days", "7", "--json"]),
    ("contact_list", &["contact", "list", "--json"]),
    ("deal_list", &["deal", "list", "--json"]),
    ("follow_up_list", &["follow-up", "list", "--json"]),
    ("search", &["search", "sakura", "--json"]),
    ("report", &["report", "--json"]),
    ("export_json", &["export", "--format", "json"]),
];

/// Commands that show one row: their shape is the union over every row of the book, so a
/// field that is null for one and set for another reads `"<string>" | null`.
const SHOWS: &[(&str, &[&str], &[&str])] = &[
    (
        "contact_show",
        &["contact", "list", "--json"],
        &["contact", "show"],
    ),
    ("deal_show", &["deal", "list", "--json"], &["deal", "show"]),
];

#[test]
fn every_json_output_keeps_its_shape() {
    let book = demo_book();
    for (name, args) in COMMANDS {
        assert_snapshot!(*name, shape(&book, args).render(), &args.join(" "));
    }
    for (name, list, show) in SHOWS {
        let rows: Value = serde_json::from_str(&book.ok(list)).expect("JSON");
        let ids: Vec<String> = rows
            .as_array()
            .expect("an array")
            .iter()
            .map(|r| r["id"].to_string())
            .collect();
        assert!(ids.len() > 1, "{list:?}");
        let mut all: Option<Shape> = None;
        for id in &ids {
            let mut args = show.to_vec();
            args.extend([id.as_str(), "--json"]);
            let s = shape(&book, &args);
            all = Some(match all {
                Some(a) => a.merge(s),
                None => s,
            });
        }
        let what = format!("{} ID --json, for every ID", show.join(" "));
        assert_snapshot!(*name, all.expect("rows").render(), &what);
    }
}

const CONTACT: &[&str] = &[
    "id",
    "name",
    "company",
    "title",
    "emails",
    "phones",
    "tags",
    "source",
    "status",
    "temperature",
    "cadence_days",
    "archived",
    "last_contacted_at",
    "next_follow_up_at",
    "created_at",
    "updated_at",
    "version",
    "referred_by",
    "referrals",
];
const DEAL: &[&str] = &[
    "id",
    "title",
    "contact_id",
    "contact_name",
    "company",
    "value_cents",
    "currency",
    "pipeline",
    "stage",
    "status",
    "lost_reason",
    "expected_close",
    "created_at",
    "closed_at",
    "stage_entered_at",
    "history",
    "version",
];
const DEAL_EVENT: &[&str] = &["event", "stage", "at"];
const FOLLOW_UP: &[&str] = &[
    "id",
    "contact_id",
    "contact_name",
    "company",
    "deal_id",
    "kind",
    "text",
    "due_at",
    "all_day",
    "late",
    "every",
    "done_at",
    "status",
];
const NOTE: &[&str] = &[
    "id",
    "contact_id",
    "deal_id",
    "kind",
    "outcome",
    "body",
    "created_at",
];
const SEARCH_HIT: &[&str] = &["kind", "id", "title", "snippet", "contact_id"];
const RECONNECT: &[&str] = &[
    "contact_id",
    "name",
    "company",
    "cadence_days",
    "days_since",
];
const REPORT: &[&str] = &[
    "since",
    "pipeline",
    "forecast",
    "won",
    "lost",
    "win_rate",
    "avg_days_to_win",
    "stage_days",
    "sources",
    "activity",
    "connect_rate",
    "overdue",
    "other_currencies",
    "referrals",
];

/// docs/MANUAL.md's "JSON output" and its `today` and `report --json` examples, as a table: the
/// command, where in its output (a JSON pointer, `*` for every element of an array, each
/// array required to hold at least one), and the keys each object there must have.
const SPEC_KEYS: &[(&[&str], &str, &[&str])] = &[
    (
        &["today", "--days", "7"],
        "",
        &["overdue", "today", "upcoming", "reconnect"],
    ),
    (&["today", "--days", "7"], "/overdue/*", FOLLOW_UP),
    (&["today", "--days", "7"], "/today/*", FOLLOW_UP),
    (&["today", "--days", "7"], "/upcoming/*", FOLLOW_UP),
    (&["today", "--days", "7"], "/reconnect/*", RECONNECT),
    (&["contact", "list"], "/*", CONTACT),
    (
        &["contact", "show", "1"],
        "",
        &["contact", "deals", "follow_ups", "notes"],
    ),
    (&["contact", "show", "1"], "/contact", CONTACT),
    (&["contact", "show", "1"], "/deals/*", DEAL),
    (&["contact", "show", "1"], "/follow_ups/*", FOLLOW_UP),
    (&["contact", "show", "1"], "/notes/*", NOTE),
    (&["deal", "list"], "/*", DEAL),
    (&["deal", "list"], "/*/history/*", DEAL_EVENT),
    (&["deal", "show", "1"], "/deal", DEAL),
    (&["deal", "show", "1"], "/follow_ups/*", FOLLOW_UP),
    (&["deal", "show", "1"], "/notes/*", NOTE),
    (&["follow-up", "list"], "/*", FOLLOW_UP),
    (&["search", "sakura"], "/*", SEARCH_HIT),
    (&["report"], "", REPORT),
    (
        &["report"],
        "/pipeline/*",
        &["stage", "count", "value_cents", "weighted_cents"],
    ),
    (&["report"], "/forecast/*", &["month", "weighted_cents"]),
    (&["report"], "/won", &["count", "value_cents"]),
    (&["report"], "/lost", &["count", "value_cents"]),
    (&["report"], "/stage_days/*", &["stage", "avg_days"]),
    (
        &["report"],
        "/sources/*",
        &[
            "source",
            "contacts",
            "customers",
            "conversion_rate",
            "won_cents",
        ],
    ),
    (
        &["report"],
        "/activity/*",
        &["week", "call", "email", "meeting", "note"],
    ),
];

/// The objects at `pointer`; every array on the way must be non-empty, or the keys would go
/// unchecked.
fn objects_at<'a>(v: &'a Value, pointer: &str, what: &str) -> Vec<&'a Value> {
    let mut here = vec![v];
    for step in pointer.split('/').skip(1) {
        here = here
            .into_iter()
            .flat_map(|v| match (step, v) {
                ("*", Value::Array(items)) => {
                    assert!(!items.is_empty(), "{what}: an empty array at {pointer}");
                    items.iter().collect::<Vec<_>>()
                }
                (key, Value::Object(map)) => vec![
                    map.get(key)
                        .unwrap_or_else(|| panic!("{what}: no {key:?} on the way to {pointer}")),
                ],
                _ => panic!("{what}: {step:?} of {pointer} does not fit {v}"),
            })
            .collect();
    }
    here
}

#[test]
fn every_key_spec_names_is_in_the_json() {
    let book = demo_book();
    for (args, pointer, keys) in SPEC_KEYS {
        let what = format!("salesdesk {} --json at {pointer:?}", args.join(" "));
        let doc = book.json(args);
        for obj in objects_at(&doc, pointer, &what) {
            let Value::Object(map) = obj else {
                panic!("{what}: not an object: {obj}");
            };
            let missing: Vec<&&str> = keys.iter().filter(|k| !map.contains_key(**k)).collect();
            assert!(missing.is_empty(), "{what}: missing {missing:?} in {obj}");
        }
    }
}

/// The manual defines no JSON error document: an error under `--json` is the usual `error: …`
/// on stderr with the exit code of its kind, and stdout stays empty, so a script parsing it
/// never reads half a document.
#[test]
fn json_errors_leave_stdout_empty_and_keep_their_exit_codes() {
    let book = demo_book();
    let cases: &[(&[&str], i32)] = &[
        (&["contact", "show", "nobody", "--json"], 2),
        (&["deal", "show", "999", "--json"], 2),
        (&["follow-up", "list", "--contact", "nobody", "--json"], 2),
        (&["deal", "list", "--stage", "nowhere", "--json"], 2),
        (&["report", "--since", "someday", "--json"], 2),
    ];
    for (args, code) in cases {
        let out = book.cmd().args(*args).output().expect("run");
        assert_eq!(out.status.code(), Some(*code), "salesdesk {args:?}");
        assert!(
            out.stdout.is_empty(),
            "salesdesk {args:?} printed to stdout"
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with("error: "), "salesdesk {args:?}: {err}");
    }
    // The environment's failure is exit 1 under --json too: a folder given as the book.
    let folder = Book::new();
    std::fs::create_dir_all(folder.path()).expect("mkdir");
    let out = folder
        .cmd()
        .args(["today", "--json"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
}

/// On an empty book `today --json` is the manual's literal four empty groups, and the report's
/// figures with nothing to divide are null: their shape is pinned apart from the demo's.
#[test]
fn an_empty_book_keeps_the_same_keys() {
    let book = Book::new();
    assert_eq!(
        book.json(&["today"]),
        serde_json::json!({"overdue": [], "today": [], "upcoming": [], "reconnect": []})
    );
    assert_snapshot!(
        "report_empty_book",
        shape(&book, &["report", "--json"]).render(),
        "report --json (an empty book)"
    );
}
