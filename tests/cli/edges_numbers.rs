//! The edges of numbers: every number a user types is range-checked (exit 2 naming the range,
//! the book untouched), counts read in the right number, and enum errors use people's words.
//! Money and the report's edges are in `edges_numbers_money.rs`.

use crate::support::Book;

/// What people type where a number goes, from the plausible to the hostile.
const HOSTILE: &[&str] = &[
    "0",
    "-1",
    "-9223372036854775808",
    "4294967296",
    "100000000",
    "9223372036854775807",
    "9223372036854775808",
    "99999999999999999999999999",
    "1e3",
    "1.5",
    "0x10",
    "ten",
    "",
];

/// A book with one contact, one open deal (#1) and one open follow-up (#1).
fn book() -> Book {
    let b = Book::new();
    b.contact(&["--name", "Ana Pereira"]);
    b.ok(&[
        "deal",
        "add",
        "--title",
        "Rollout",
        "--contact",
        "ana",
        "--value",
        "100",
    ]);
    b.ok(&["follow-up", "ana", "tomorrow", "call back"]);
    b
}

/// Each numeric flag and argument with `N` where the number goes, the range its error names,
/// and the range it accepts.
fn numeric_args() -> Vec<(
    Vec<&'static str>,
    &'static str,
    std::ops::RangeInclusive<i128>,
)> {
    let ids = 1..=i64::MAX as i128;
    let id_range = "1 or more";
    vec![
        (vec!["today", "--days", "N"], "from 0 to 3650", 0..=3650),
        (
            vec!["search", "ana", "--limit", "N"],
            "from 1 to 10000",
            1..=10_000,
        ),
        (vec!["done", "N"], id_range, ids.clone()),
        (vec!["snooze", "N", "+1d"], id_range, ids.clone()),
        (vec!["follow-up", "cancel", "N"], id_range, ids.clone()),
        (
            vec!["follow-up", "edit", "N", "--text", "x"],
            id_range,
            ids.clone(),
        ),
        (
            vec!["follow-up", "ana", "tomorrow", "x", "--deal", "N"],
            id_range,
            ids.clone(),
        ),
        (vec!["deal", "won", "N"], id_range, ids.clone()),
        (
            vec!["deal", "lost", "N", "--reason", "r"],
            id_range,
            ids.clone(),
        ),
        (vec!["deal", "reopen", "N"], id_range, ids.clone()),
        (
            vec!["deal", "move", "N", "Qualified"],
            id_range,
            ids.clone(),
        ),
        (
            vec!["deal", "edit", "N", "--title", "t"],
            id_range,
            ids.clone(),
        ),
        (
            vec!["note", "ana", "hi", "--deal", "N"],
            id_range,
            ids.clone(),
        ),
        (vec!["note", "ana", "hi", "--done", "N"], id_range, ids),
    ]
}

#[test]
fn every_typed_number_is_range_checked() {
    let b = book();
    let before = b.dump();
    for (template, range, ok) in numeric_args() {
        for value in HOSTILE {
            let args: Vec<&str> = template
                .iter()
                .map(|a| if *a == "N" { *value } else { *a })
                .collect();
            let in_range = value.parse::<i128>().is_ok_and(|n| ok.contains(&n));
            // An id in range that names no row is exit 2 too, in its own words.
            if in_range && matches!(template[0], "today" | "search") {
                continue;
            }
            let err = b.fails(&args, 2);
            assert!(err.starts_with("error:"), "{args:?}: {err}");
            assert!(!err.contains("panicked"), "{args:?}: {err}");
            if !in_range {
                assert!(err.contains(range), "{args:?} should name {range}: {err}");
            }
        }
    }
    assert_eq!(b.dump(), before, "a refused number changed the book");
}

#[test]
fn numbers_in_range_work_at_their_edges() {
    let b = book();
    b.ok(&["today", "--days", "0"]);
    let far = b.json(&["today", "--days", "3650"]);
    assert!(far.is_object(), "{far}");
    b.ok(&["search", "ana", "--limit", "1"]);
    b.ok(&["search", "ana", "--limit", "10000"]);
    let e = b.fails(&["search", "ana", "--limit", "0"], 2);
    assert!(
        e.contains("--limit") && e.contains("from 1 to 10000"),
        "{e}"
    );
}

#[test]
fn intervals_refuse_zero_negative_and_huge() {
    let b = book();
    let before = b.dump();
    for v in [
        "0d",
        "-1d",
        "99999999999d",
        "9223372036854775807d",
        "1e9d",
        "0m",
    ] {
        for args in [
            vec!["contact", "add", "--name", "Bo", "--cadence", v],
            vec!["follow-up", "ana", "tomorrow", "x", "--every", v],
            vec!["follow-up", "edit", "1", "--every", v],
        ] {
            let e = b.fails(&args, 2);
            assert!(e.starts_with("error:") && e.contains(v), "{args:?}: {e}");
        }
    }
    assert_eq!(b.dump(), before);
}

#[test]
fn config_numbers_are_range_checked() {
    let b = book();
    for (toml, key) in [
        ("[pipeline]\nstale_after_days = 0\n", "stale_after_days"),
        (
            "[pipeline]\nstale_after_days = 4000000000\n",
            "stale_after_days",
        ),
        ("[pipeline]\nstale_after_days = -1\n", "stale_after_days"),
        (
            "[pipeline]\nstale_after_days = 99999999999999999999\n",
            "stale_after_days",
        ),
        ("[backup]\nkeep = 0\n", "keep"),
        ("[backup]\nkeep = 1001\n", "keep"),
        ("[backup]\nkeep = -3\n", "keep"),
        (
            "[pipeline]\nstages = [{ name = \"Lead\", probability = 101 }]\n",
            "probability",
        ),
        (
            "[pipeline]\nstages = [{ name = \"Lead\", probability = -1 }]\n",
            "probability",
        ),
        (
            "[pipeline]\nstages = [{ name = \"Lead\", probability = 300 }]\n",
            "probability",
        ),
    ] {
        std::fs::write(b.dir.path().join("config.toml"), toml).unwrap();
        let e = b.fails(&["today"], 2);
        assert!(e.starts_with("error:") && e.contains(key), "{toml}: {e}");
    }
}

#[test]
fn counts_read_in_the_right_number_and_errors_in_people_s_words() {
    let b = book();
    let text = b.ok(&["report", "--since", "yesterday"]);
    assert!(text.lines().next().unwrap().contains("(1 day)"), "{text}");
    let text = b.ok(&["report", "--since", "today"]);
    assert!(text.lines().next().unwrap().contains("(0 days)"), "{text}");
    b.ok(&["contact", "edit", "ana", "--cadence", "1d"]);
    let show = b.ok(&["contact", "show", "ana"]);
    assert!(
        show.contains("every 1 day") && !show.contains("1 days"),
        "{show}"
    );
    let out = b.dir.path().join("deals.csv");
    let wrote = b.ok(&[
        "export",
        "--format",
        "csv",
        "--what",
        "deals",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(wrote.contains("wrote 1 row "), "{wrote}");
    b.ok(&[
        "deal",
        "add",
        "--title",
        "Second",
        "--contact",
        "ana",
        "--value",
        "5",
    ]);
    let e = b.fails(&["note", "ana", "moved", "#qualified"], 2);
    assert!(e.contains("has 2 open deals"), "{e}");
    let purged = b.ok(&["contact", "purge", "ana", "--yes"]);
    assert!(
        purged.contains("with 2 deals, 1 follow-up and 0 notes"),
        "{purged}"
    );

    for (args, want) in [
        (
            vec!["deal", "list", "--status", "bogus"],
            "\"bogus\" is not a deal status; use one of: open, won, lost",
        ),
        (
            vec!["contact", "list", "--status", "bogus"],
            "\"bogus\" is not a contact status; use one of: lead, prospect, customer, repeat",
        ),
        (
            vec!["contact", "add", "--name", "X", "--temperature", "tepid"],
            "\"tepid\" is not a temperature; use one of: hot, warm, cold",
        ),
        (
            vec!["note", "x", "y", "--kind", "fax"],
            "\"fax\" is not a note kind; use one of:",
        ),
        (
            vec!["note", "x", "y", "--outcome", "maybe"],
            "\"maybe\" is not an outcome; use one of:",
        ),
        (
            vec!["follow-up", "x", "tomorrow", "--kind", "fax"],
            "\"fax\" is not a follow-up kind; use one of:",
        ),
        (
            vec!["follow-up", "list", "--status", "late"],
            "invalid value 'late' for '--status <STATUS>'",
        ),
    ] {
        let e = b.fails(&args, 2);
        assert!(e.contains(want), "{args:?}: {e}");
        for internal in ["dealstatus", "notekind", "followup", "duestate"] {
            assert!(!e.to_lowercase().contains(internal), "{args:?}: {e}");
        }
    }
}

#[test]
fn cadences_are_bounded_on_every_way_in() {
    let b = book();
    let before = b.dump();
    for v in ["4000000000d", "600000w", "200m"] {
        let e = b.fails(&["contact", "edit", "ana", "--cadence", v], 2);
        // Refused by the interval grammar (a century at most) or the cadence's own range.
        assert!(
            e.contains("1 to 3660 days") || e.contains("at most 100 years"),
            "{v}: {e}"
        );
    }
    assert_eq!(b.dump(), before);
    b.ok(&["contact", "edit", "ana", "--cadence", "120m"]);
    let csv = b.dir.path().join("in.csv");
    std::fs::write(
        &csv,
        "name,cadence\nBo Chen,99999999\nCy Diaz,-5\nDi Ek,30\n",
    )
    .unwrap();
    // A cadence out of range is left out of its person (kept), named with line and column.
    let out = b
        .cmd()
        .args(["import", csv.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.contains("1 to 3660"), "{e}");
    assert!(e.contains("line 2") && e.contains("line 3"), "{e}");
    let contacts = b.json(&["contact", "list"]);
    let cad = |n: &str| {
        contacts
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == n)
            .map(|c| c["cadence_days"].clone())
    };
    assert_eq!(cad("Bo Chen"), Some(serde_json::Value::Null), "{contacts}");
    assert_eq!(cad("Cy Diaz"), Some(serde_json::Value::Null), "{contacts}");
    assert_eq!(cad("Di Ek"), Some(serde_json::json!(30)), "{contacts}");
}
