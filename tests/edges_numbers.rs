//! The edges of numbers: every number a user types is range-checked (exit 2 naming the range,
//! the book untouched), money is bounded on the way in and summed exactly however many deals
//! sit at the bound, a period reaching back a million months costs what the data costs, the
//! win rate is of the counts beside it, and counts read in the right number.

mod common;
mod tui_support;

use common::Book;
use salesdesk::domain::money::MAX_CENTS;
use salesdesk::storage::deals::NewDeal;
use salesdesk::tui::App;
use serde_json::Value;

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
fn values_past_the_bound_are_refused_everywhere_they_are_typed() {
    let b = book();
    let before = b.dump();
    for v in [
        "10000000000000.01",
        "10000000001k",
        "10000001m",
        "92233720368547758.07",
        "99999999999999999999999999999999",
    ] {
        let e = b.fails(
            &[
                "deal",
                "add",
                "--title",
                "Big",
                "--contact",
                "ana",
                "--value",
                v,
            ],
            2,
        );
        assert!(e.contains("0 to 10,000,000,000,000"), "{v}: {e}");
        let e = b.fails(&["deal", "edit", "1", "--value", v], 2);
        assert!(e.contains("0 to 10,000,000,000,000"), "{v}: {e}");
    }
    assert_eq!(b.dump(), before);
    // A `$` note command past the bound is not a command: the note is kept as typed and the
    // deal's value stays.
    b.ok(&["note", "ana", "they asked", "$99999999999999"]);
    let deals = b.json(&["deal", "list"]);
    assert_eq!(deals[0]["value_cents"], 10_000, "{deals}");
    // The bound itself is a value.
    b.ok(&["deal", "edit", "1", "--value", "10,000,000,000,000"]);
    let deals = b.json(&["deal", "list"]);
    assert_eq!(deals[0]["value_cents"], MAX_CENTS, "{deals}");
}

/// `n` more copies of deal #1 straight into the book (as an old import could leave them).
fn copies_of_deal_one(b: &Book, n: i64, status: &str) {
    let conn = rusqlite::Connection::open(&b.db).unwrap();
    conn.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
         INSERT INTO deals(title, contact_id, value_cents, currency, stage, status, expected_close,
                           closed_at, stage_entered_at, created_at, updated_at)
         SELECT title, contact_id, value_cents, currency, stage, ?2, expected_close,
                CASE WHEN ?2 = 'open' THEN NULL ELSE created_at END,
                stage_entered_at, created_at, updated_at
         FROM deals, n WHERE deals.id = 1",
        rusqlite::params![n, status],
    )
    .unwrap();
}

#[test]
fn ten_thousand_deals_at_the_bound_sum_exactly() {
    let b = Book::new();
    b.contact(&["--name", "Ana Pereira"]);
    b.ok(&[
        "deal",
        "add",
        "--title",
        "Max",
        "--contact",
        "ana",
        "--value",
        "10000000000000",
        "--close",
        "2026-12-15",
    ]);
    copies_of_deal_one(&b, 9_999, "open");
    // 10,000 × 10^15 cents = 10^19: past i64 (9.2 × 10^18), where SQLite's sum() failed.
    let raw = b.ok(&["report", "--json"]);
    let v: Value = serde_json::from_str(&raw).unwrap();
    let lead = &v["pipeline"][0];
    assert_eq!(lead["stage"], "Lead");
    assert_eq!(lead["count"], 10_000);
    // The exact integers, as written (a JSON reader may hold them as floats).
    let compact: String = raw.split_whitespace().collect();
    assert!(
        compact.contains("\"value_cents\":10000000000000000000,"),
        "{raw}"
    );
    assert!(
        compact.contains("\"weighted_cents\":1000000000000000000,"),
        "{raw}"
    );
    let text = b.ok(&["report"]);
    assert!(text.contains("100,000,000,000,000,000"), "{text}");
    let total = text
        .lines()
        .find(|l| l.trim_start().starts_with("Total"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        total.contains("100,000,000,000,000,000") && !total.contains('-'),
        "{total}"
    );

    // Wins at the bound, past i64 too: the closed tallies are exact.
    copies_of_deal_one(&b, 9_999, "won");
    let raw = b.ok(&["report", "--json", "--since", "2020-01-01"]);
    let compact: String = raw.split_whitespace().collect();
    assert!(
        compact.contains("\"won\":{\"count\":9999,\"value_cents\":9999000000000000000}"),
        "{raw}"
    );
}

#[test]
fn a_value_left_at_the_64_bit_limit_still_reports() {
    // What a JSON import could store before imports were bounded: i64::MAX.
    let b = book();
    let conn = rusqlite::Connection::open(&b.db).unwrap();
    conn.execute("UPDATE deals SET value_cents = ?1", [i64::MAX])
        .unwrap();
    drop(conn);
    copies_of_deal_one(&b, 2, "open");
    let raw = b.ok(&["report", "--json"]);
    let compact: String = raw.split_whitespace().collect();
    // 3 × (2^63 - 1), and each weighted at 10 % truncated to the cent.
    let value = 3 * i64::MAX as i128;
    let weighted = 3 * (i64::MAX as i128 * 10 / 100);
    assert!(
        compact.contains(&format!("\"value_cents\":{value},")),
        "{raw}"
    );
    assert!(
        compact.contains(&format!("\"weighted_cents\":{weighted},")),
        "{raw}"
    );
    b.ok(&["report"]);
}

#[test]
fn the_board_and_reports_screen_total_deals_at_the_bound() {
    let mut d = tui_support::desk();
    let ana = tui_support::contact(&mut d, "Ana Pereira", None, None);
    d.add_deal(&NewDeal {
        title: "Max".into(),
        contact_id: ana,
        value_cents: MAX_CENTS,
        currency: "USD".into(),
        stage: "Lead".into(),
        expected_close: None,
    })
    .unwrap();
    d.db.conn
        .execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 9999)
             INSERT INTO deals(title, contact_id, value_cents, currency, stage, status,
                               stage_entered_at, created_at, updated_at)
             SELECT title, contact_id, value_cents, currency, stage, status,
                    stage_entered_at, created_at, updated_at
             FROM deals, n WHERE deals.id = 1",
            [],
        )
        .unwrap();
    let too_big = NewDeal {
        title: "Too big".into(),
        contact_id: ana,
        value_cents: MAX_CENTS + 1,
        currency: "USD".into(),
        stage: "Lead".into(),
        expected_close: None,
    };
    let e = d.add_deal(&too_big).unwrap_err();
    assert_eq!(e.exit_code(), 2, "{e}");
    let mut app = App::new(d).unwrap();
    tui_support::press(&mut app, "2");
    tui_support::lists_arrive(&mut app);
    let s = tui_support::screen(&app, 200, 50);
    assert!(
        s.contains(
            "10000 open · 100,000,000,000,000,000 USD · weighted 10,000,000,000,000,000 USD"
        ),
        "{s}"
    );
    tui_support::press(&mut app, "4");
    let s = tui_support::screen(&app, 160, 48);
    let total = s
        .lines()
        .find(|l| l.contains(" Total "))
        .unwrap_or_else(|| panic!("{s}"));
    assert!(
        total.contains("100000t") && total.contains("10000t"),
        "{total}"
    );
    assert!(!s.contains('…') && !s.contains("-9"), "{s}");
}

#[test]
fn a_period_a_million_months_long_costs_what_the_data_costs() {
    let b = book();
    b.ok(&["note", "ana", "called"]);
    for since in ["-1000000m", "-5000000w", "1900-01-01", "0001-01-01"] {
        let v = b.json(&["report", "--since", since]);
        let weeks = v["activity"].as_array().unwrap().len();
        // The book's first note is today: the default period's 14 weeks at most.
        assert!(weeks <= 14, "{since}: {weeks} weeks");
        assert_eq!(
            v["activity"]
                .as_array()
                .unwrap()
                .iter()
                .map(|w| w["note"].as_i64().unwrap())
                .sum::<i64>(),
            1
        );
        let text = b.ok(&["report", "--since", since]);
        assert!(text.lines().count() < 60, "{since}: {text}");
    }
    // A period that would start after today is refused, naming the day it read.
    for since in ["+3d", "tomorrow", "2027-05-01", "9999-12-31"] {
        let e = b.fails(&["report", "--since", since], 2);
        assert!(e.contains("after today"), "{since}: {e}");
    }
    // A book whose first note is a year old shows that year's weeks, and no more.
    let old = Book::new();
    let mut old = old;
    old.now = "2025-11-23T09:00:00+00:00".into();
    old.contact(&["--name", "Bo Chen"]);
    old.ok(&["note", "bo", "first call"]);
    old.now = common::NOW.into();
    let v = old.json(&["report", "--since", "-1000000m"]);
    let weeks = v["activity"].as_array().unwrap().len();
    assert!((52..=54).contains(&weeks), "{weeks}");
}

#[test]
fn counts_and_win_rate_include_every_currency() {
    let b = Book::new();
    b.contact(&["--name", "Ana Pereira"]);
    let mut id = 0;
    for (cur, won) in [
        ("USD", true),
        ("USD", true),
        ("USD", true),
        ("USD", false),
        ("USD", false),
        ("USD", false),
        ("EUR", true),
    ] {
        b.ok(&[
            "deal",
            "add",
            "--title",
            "D",
            "--contact",
            "ana",
            "--value",
            "1000",
            "--currency",
            cur,
        ]);
        id += 1;
        let id = id.to_string();
        if won {
            b.ok(&["deal", "won", &id]);
        } else {
            b.ok(&["deal", "lost", &id, "--reason", "price"]);
        }
    }
    let v = b.json(&["report"]);
    assert_eq!(v["won"]["count"], 4, "{v}");
    assert_eq!(v["lost"]["count"], 3, "{v}");
    assert_eq!(
        v["won"]["value_cents"], 300_000,
        "money stays per currency: {v}"
    );
    assert_eq!(v["win_rate"], 0.5714, "{v}");
    assert_eq!(v["other_currencies"][0]["won"]["count"], 1, "{v}");
    assert_eq!(
        v["other_currencies"][0]["won"]["value_cents"], 100_000,
        "{v}"
    );
    let text = b.ok(&["report"]);
    let line = |label: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(label))
            .unwrap_or_else(|| panic!("{label}: {text}"))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(line("Won"), "Won 4 3,000");
    assert_eq!(line("Lost"), "Lost 3 3,000");
    assert_eq!(line("Win rate"), "Win rate 57%");

    // The TUI's Reports screen says the same.
    let mut d = tui_support::desk();
    let ana = tui_support::contact(&mut d, "Ana Pereira", None, None);
    for (cur, won) in [("USD", true), ("USD", false), ("EUR", true)] {
        let id = d
            .add_deal(&NewDeal {
                title: "D".into(),
                contact_id: ana,
                value_cents: 100_000,
                currency: cur.into(),
                stage: "Lead".into(),
                expected_close: None,
            })
            .unwrap();
        if won {
            d.win_deal(id, None).unwrap();
        } else {
            d.lose_deal(id, "price", None).unwrap();
        }
    }
    let mut app = App::new(d).unwrap();
    tui_support::press(&mut app, "4");
    let s = tui_support::screen(&app, 120, 40);
    let figures = s
        .lines()
        .find(|l| l.contains("Win rate"))
        .unwrap_or_else(|| panic!("{s}"));
    let figures = figures.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        figures.contains("Won 2 · 1k Lost 1 · 1k Win rate 67%"),
        "{figures}"
    );
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
            "\"late\" is not a follow-up status; use one of:",
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
        assert!(e.contains("1 to 3660 days"), "{v}: {e}");
    }
    assert_eq!(b.dump(), before);
    b.ok(&["contact", "edit", "ana", "--cadence", "120m"]);
    let csv = b.dir.path().join("in.csv");
    std::fs::write(
        &csv,
        "name,cadence\nBo Chen,99999999\nCy Diaz,-5\nDi Ek,30\n",
    )
    .unwrap();
    let e = b.fails(&["import", csv.to_str().unwrap()], 2);
    assert!(e.contains("1 to 3660"), "{e}");
    let contacts = b.json(&["contact", "list"]);
    assert_eq!(contacts.as_array().map(Vec::len), Some(1), "{contacts}");
}
