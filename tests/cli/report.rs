//! `salesdesk report` through the real binary: the JSON shape of docs/MANUAL.md, `--since`, the
//! exit codes and the plain-text report.

use crate::support::{self, Book};
use serde_json::Value;

/// A small book made on the command line, each step at its own "now".
fn book() -> Book {
    let mut b = Book::new();
    b.now = "2026-10-01T10:00:00+00:00".into();
    b.contact(&["--name", "Ana Lima", "--source", "referral"]);
    b.contact(&["--name", "Bo Chen", "--source", "linkedin"]);
    b.ok(&[
        "deal",
        "add",
        "--title",
        "Rollout",
        "--contact",
        "ana",
        "--value",
        "12,500",
    ]);
    b.ok(&[
        "deal",
        "add",
        "--title",
        "Pilot",
        "--contact",
        "bo",
        "--value",
        "1234567.89",
        "--stage",
        "prop",
        "--close",
        "2026-12-15",
    ]);
    b.ok(&[
        "deal",
        "add",
        "--title",
        "Euro",
        "--contact",
        "bo",
        "--value",
        "900",
        "--currency",
        "EUR",
    ]);
    b.now = "2026-10-11T10:00:00+00:00".into();
    b.ok(&["deal", "won", "1"]);
    b.ok(&[
        "note",
        "ana",
        "--kind",
        "call",
        "--outcome",
        "connected",
        "good talk",
    ]);
    b.now = support::NOW.into();
    b
}

#[test]
fn json_has_the_fields_of_the_spec() {
    let b = book();
    let v = b.json(&["report"]);
    for key in [
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
    ] {
        assert!(v.get(key).is_some(), "missing {key}: {v}");
    }
    // Default period: 90 days before Monday 2026-11-23.
    assert_eq!(v["since"], "2026-08-25");
    for key in ["stage", "count", "value_cents", "weighted_cents"] {
        assert!(v["pipeline"][0].get(key).is_some(), "pipeline.{key}");
    }
    assert_eq!(v["pipeline"][2]["stage"], "Proposal");
    assert_eq!(v["pipeline"][2]["value_cents"], 123_456_789);
    assert_eq!(v["pipeline"][2]["weighted_cents"], 61_728_394);
    assert_eq!(v["forecast"][0]["month"], "2026-12");
    assert_eq!(v["forecast"][0]["weighted_cents"], 61_728_394);
    assert_eq!(v["won"]["count"], 1);
    assert_eq!(v["won"]["value_cents"], 1_250_000);
    assert_eq!(v["lost"]["count"], 0);
    assert_eq!(v["win_rate"], 1.0);
    assert_eq!(v["avg_days_to_win"], 10.0);
    assert_eq!(v["stage_days"][0]["stage"], "Lead");
    assert_eq!(v["stage_days"][0]["avg_days"], 10.0);
    assert_eq!(v["stage_days"][1]["avg_days"], Value::Null);
    let s = &v["sources"][0];
    for key in [
        "source",
        "contacts",
        "customers",
        "conversion_rate",
        "won_cents",
    ] {
        assert!(s.get(key).is_some(), "sources.{key}");
    }
    let w = v["activity"].as_array().expect("activity");
    assert_eq!(w.first().expect("a week")["week"], "2026-W35");
    assert_eq!(w.last().expect("a week")["week"], "2026-W48");
    for key in ["week", "call", "email", "meeting", "note"] {
        assert!(w[0].get(key).is_some(), "activity.{key}");
    }
    assert_eq!(v["connect_rate"], 1.0);
    // The referral ask the win of 2026-10-11 scheduled 30 days on is overdue by now.
    assert_eq!(v["overdue"], 1);
    assert_eq!(v["other_currencies"][0]["currency"], "EUR");
    assert_eq!(v["other_currencies"][0]["open"]["value_cents"], 90_000);
}

#[test]
fn since_takes_a_when_and_refuses_nonsense() {
    let b = book();
    assert_eq!(
        b.json(&["report", "--since", "-30d"])["since"],
        "2026-10-24"
    );
    assert_eq!(
        b.json(&["report", "--since", "2026-10-12"])["since"],
        "2026-10-12"
    );
    // "oct 1" said in November is this October, not next year's.
    assert_eq!(
        b.json(&["report", "--since", "oct 1"])["since"],
        "2026-10-01"
    );
    // From 10-12 nothing closed: nulls, not a division by zero.
    let v = b.json(&["report", "--since", "2026-10-12"]);
    assert_eq!(v["win_rate"], Value::Null);
    assert_eq!(v["avg_days_to_win"], Value::Null);
    assert_eq!(v["connect_rate"], Value::Null);
    let err = b.fails(&["report", "--since", "someday"], 2);
    assert!(err.starts_with("error: --since"), "{err}");
}

#[test]
fn text_is_aligned_with_thousands_separators() {
    let b = book();
    let out = b.ok(&["report"]);
    assert!(out.contains("money in USD"), "{out}");
    assert!(out.contains("1,234,567.89"), "{out}");
    assert!(out.contains("617,283.94"), "{out}");
    assert!(out.contains("EUR"), "{out}");
    // The pipeline's number columns end at the same place on every line.
    let lines: Vec<&str> = out
        .lines()
        .skip_while(|l| !l.starts_with("Open pipeline"))
        .take(6)
        .collect();
    let width = lines[0].len();
    assert!(lines.iter().all(|l| l.len() == width), "{lines:#?}");
}
