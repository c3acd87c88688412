//! The edges of money and the report: values bounded on the way in and summed exactly
//! however many deals sit at the bound, a period reaching back a million months costing what
//! the data costs, and the win rate of the counts beside it, in the CLI and the TUI alike.

use crate::support::{self, Book, tui};
use salesdesk::domain::deal::NewDeal;
use salesdesk::domain::money::MAX_CENTS;
use salesdesk::tui::App;
use serde_json::Value;

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
    let mut d = tui::desk();
    let ana = tui::contact(&mut d, "Ana Pereira", None, None);
    d.add_deal(&NewDeal {
        title: "Max".into(),
        contact_id: ana,
        value_cents: MAX_CENTS,
        currency: "USD".into(),
        stage: "Lead".into(),
        expected_close: None,
    })
    .unwrap();
    d.db.conn_for_tests()
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
    tui::press(&mut app, "2");
    tui::lists_arrive(&mut app);
    let s = tui::screen(&app, 200, 50);
    assert!(
        s.contains(
            "10000 open · 100,000,000,000,000,000 USD · weighted 10,000,000,000,000,000 USD"
        ),
        "{s}"
    );
    tui::press(&mut app, "4");
    let s = tui::screen(&app, 160, 48);
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
    // Past the calendar's first day is refused with the range (the WHEN grammar's bound).
    for since in ["-1000000m", "-5000000w"] {
        let e = b.fails(&["report", "--since", since], 2);
        assert!(e.contains("0001-01-01"), "{since}: {e}");
    }
    // As far back as the calendar goes costs what the data costs.
    for since in ["-24000m", "-100000w", "1900-01-01", "0001-01-01"] {
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
    old.now = support::NOW.into();
    let v = old.json(&["report", "--since", "0001-01-01"]);
    let weeks = v["activity"].as_array().unwrap().len();
    assert!((52..=54).contains(&weeks), "{weeks}");
}
