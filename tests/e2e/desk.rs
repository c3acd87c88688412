//! Issue 16, a day at the desk, end to end: the real binary in tmux on a Friday morning. A
//! call is logged from Today with the next step's text typed in the form (the pre-filled
//! `+2d` lands on Monday, not Sunday); a follow-up is snoozed with `1` and the menu and the
//! book say Monday; Bjørn is found by typing `bjorn` in Ctrl-f; a deal is opened from the
//! search; a follow-up is re-dated with `e`. The CLI checks each step in the book.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

use crate::support::tmux::*;

/// Friday 27 November 2026, 09:00 UTC.
const FRIDAY: &str = "2026-11-27T09:00:00Z";

fn cli(book: &Book, args: &[&str]) -> Output {
    let out = Command::new(BIN)
        .arg("--db")
        .arg(&book.db)
        .arg("--config")
        .arg(&book.config)
        .args(args)
        .env("SALESDESK_NOW", FRIDAY)
        .env("TZ", "UTC")
        .env_remove("SALESDESK_DB")
        .env_remove("SALESDESK_CONFIG")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "salesdesk {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn json(book: &Book, args: &[&str]) -> Value {
    serde_json::from_slice(&cli(book, args).stdout).unwrap()
}

/// The desk on `book`, typed into a shell in a tmux window of its own, on Friday's clock.
fn friday_desk(book: &Book, w: u16, h: u16) -> Tmux {
    let t = Tmux::server(format!("salesdesk-e2e-desk-{}", std::process::id()));
    t.run(&[
        "new-session",
        "-d",
        "-s",
        "e2e",
        "-x",
        &w.to_string(),
        "-y",
        &h.to_string(),
        &format!(
            "env -i PATH=/usr/bin:/bin HOME=/tmp TERM=xterm-256color TZ=UTC \
             SALESDESK_NOW={FRIDAY} PS1='$ ' sh"
        ),
    ]);
    t.wait_for("$");
    t.text(&format!(
        "{} --db {} --config {}",
        quote(Path::new(BIN)),
        quote(&book.db),
        quote(&book.config)
    ));
    t.keys(&["Enter"]);
    t
}

#[test]
fn a_friday_morning_at_the_desk() {
    if !tmux_present() {
        eprintln!("skipped: tmux is not installed (.ci/run installs it)");
        return;
    }
    let book = Book::with_config(CONFIG);
    cli(
        &book,
        &["contact", "add", "--name", "Ana Souza", "--company", "Acme"],
    );
    cli(
        &book,
        &[
            "deal",
            "add",
            "--title",
            "Acme rollout",
            "--contact",
            "ana",
            "--value",
            "12000",
        ],
    );
    cli(
        &book,
        &[
            "follow-up",
            "ana",
            "today",
            "Pricing call",
            "--kind",
            "call",
            "--deal",
            "1",
        ],
    );
    cli(
        &book,
        &[
            "contact",
            "add",
            "--name",
            "Bjørn Olsen",
            "--company",
            "Søndergaard",
        ],
    );
    cli(
        &book,
        &[
            "deal",
            "add",
            "--title",
            "Søndergaard fleet",
            "--contact",
            "bjørn",
            "--value",
            "30000",
        ],
    );
    cli(
        &book,
        &["follow-up", "bjorn", "tomorrow", "Ask about the fleet"],
    );
    let t = friday_desk(&book, 80, 24);
    t.wait_for("Pricing call");

    // Log the call from Today; the next step's text is there to edit, pre-filled.
    t.keys(&["c"]);
    t.wait_for("Log a call with Ana Souza");
    t.text("Wants a quote for 40 seats");
    t.keys(&["Tab", "Tab", "Tab"]);
    t.wait_for("›Next text Pricing call");
    t.keys(&["C-u"]);
    t.text("Send the 40-seat quote");
    t.wait_for("Next text Send the 40-seat quote");
    t.keys(&["Enter"]);
    t.wait_for("call with Ana Souza logged");

    let all = json(&book, &["follow-up", "list", "--contact", "ana", "--json"]);
    let items = all.as_array().expect("an array of follow-ups");
    let open: Vec<&Value> = items
        .iter()
        .filter(|f| f["done_at"].is_null() && f["status"] != "cancelled")
        .collect();
    assert_eq!(open.len(), 1, "{all:#}");
    assert_eq!(open[0]["text"], "Send the 40-seat quote", "{all:#}");
    assert_eq!(open[0]["kind"], "call", "{all:#}");
    assert!(
        open[0]["due_at"].as_str().unwrap_or("") > "2026-11-27",
        "the next step is after today: {all:#}"
    );
    // Friday + 2 days is a Sunday: the step salesdesk picked moves to Monday.
    assert_eq!(open[0]["due_at"], "2026-11-30", "{all:#}");
    let notes = json(&book, &["contact", "show", "ana", "--json"]);
    assert_eq!(notes["notes"][0]["outcome"], "connected", "{notes:#}");

    // Snooze Bjørn's follow-up (tomorrow is Saturday) with `1`: the menu says Monday.
    t.wait_for("Ask about the fleet");
    let bjorn_row = |screen: &str| {
        screen
            .lines()
            .position(|l| l.contains("Ask about the fleet"))
            .expect("Bjørn's row on Today")
    };
    // Today may still be taking in its reload after the call (its rows move under the
    // selection), so the selection is walked to Bjørn's row until the screen shows it there.
    let start = std::time::Instant::now();
    loop {
        let rows = t.screen();
        let selected = rows
            .lines()
            .position(|l| l.contains('▶'))
            .expect("a selected row");
        let target = bjorn_row(&rows);
        if selected == target {
            break;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(10),
            "the selection never reached Bjørn's row:\n{rows}"
        );
        t.keys(&[if selected < target { "j" } else { "k" }]);
        // One key at a time: the next is sent once this one has moved the selection.
        let moved = std::time::Instant::now();
        while moved.elapsed() < std::time::Duration::from_secs(2)
            && t.screen().lines().position(|l| l.contains('▶')) == Some(selected)
        {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
    t.keys(&["s"]);
    t.wait_for("tomorrow · Mon 30 Nov");
    t.keys(&["1"]);
    let list = json(
        &book,
        &["follow-up", "list", "--contact", "bjorn", "--json"],
    );
    let snoozed = |l: &Value| l[0]["due_at"] == "2026-11-30";
    let start = std::time::Instant::now();
    let mut list = list;
    while !snoozed(&list) && start.elapsed() < std::time::Duration::from_secs(10) {
        std::thread::sleep(std::time::Duration::from_millis(50));
        list = json(
            &book,
            &["follow-up", "list", "--contact", "bjorn", "--json"],
        );
    }
    assert!(snoozed(&list), "snoozed to Monday: {list:#}");

    // Ctrl-f finds Bjørn by plain typing, and opens his deal from the results.
    t.keys(&["C-f"]);
    t.text("bjorn");
    t.wait_for("Bjørn Olsen");
    t.keys(&["C-u"]);
    t.text("sondergaard fleet");
    t.wait_for("Søndergaard fleet");
    let hits = t.screen();
    let deal_line = hits
        .lines()
        .position(|l| l.contains("deal") && l.contains("Søndergaard fleet"))
        .expect("the deal among the hits");
    let first = hits
        .lines()
        .position(|l| l.contains('▶'))
        .unwrap_or(deal_line);
    for _ in first..deal_line {
        t.keys(&["Down"]);
    }
    t.keys(&["Enter"]);
    t.wait_for("HISTORY (");
    t.keys(&["Escape"]);
    t.wait_for("Ask about the fleet");

    // Re-date the first row's follow-up with `e`.
    t.keys(&["g"]);
    t.keys(&["e"]);
    let form = t.wait_for("Edit follow-up #");
    let id: i64 = form
        .split("Edit follow-up #")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("the follow-up's id on the form");
    t.text("dec 4");
    t.wait_for("→ Fri 4 Dec");
    t.keys(&["Enter"]);
    t.wait_for("due Fri 4 Dec");
    let all = json(&book, &["follow-up", "list", "--json"]);
    let f = all
        .as_array()
        .expect("a list")
        .iter()
        .find(|f| f["id"] == id)
        .expect("the re-dated follow-up");
    assert_eq!(f["due_at"], "2026-12-04", "{f}");

    t.keys(&["q"]);
    t.wait_main_screen();
}
