//! The pipeline board in a real terminal (tmux): a deal moved two stages on, one marked won
//! and one lost, the won one reopened from the closed view, then the stages, the history and
//! the contact's status checked through the CLI.

use serde_json::Value;

use crate::support::tmux::*;

fn deal<'a>(list: &'a Value, title: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|d| d["title"] == title)
        .unwrap_or_else(|| panic!("no deal {title} in {list:#}"))
}

#[test]
fn moves_won_and_lost_on_the_board_reach_the_book() {
    if !tmux_present() {
        eprintln!("skipped: tmux is not installed (.ci/run installs it)");
        return;
    }
    let book = Book::with_config(CONFIG);
    book.cli(&["contact", "add", "--name", "Ana Souza", "--company", "Acme"]);
    book.cli(&["contact", "add", "--name", "Bob Lee", "--company", "Globex"]);
    book.cli(&[
        "contact",
        "add",
        "--name",
        "Carla Diaz",
        "--company",
        "Initech",
    ]);
    // One deal per contact, all in Lead, in this order on the board (by expected close).
    for (title, who, close) in [
        ("Acme rollout", "ana", "2026-12-01"),
        ("Globex fleet", "bob", "2026-12-02"),
        ("Initech pilot", "carla", "2026-12-03"),
    ] {
        book.cli(&[
            "deal",
            "add",
            "--title",
            title,
            "--contact",
            who,
            "--value",
            "12000",
            "--close",
            close,
        ]);
    }
    book.cli(&[
        "follow-up",
        "bob",
        "tomorrow",
        "Contract call",
        "--deal",
        "2",
    ]);

    let t = Tmux::desk(&book);
    t.wait_for("1 Today");
    t.keys(&["2"]);
    t.wait_for("Lead (3)");

    // Acme, selected first: two stages on.
    t.keys(&[">"]);
    t.wait_for("\"Acme rollout\" → Qualified");
    t.keys(&[">"]);
    t.wait_for("\"Acme rollout\" → Proposal");
    t.wait_for("Proposal (1)");

    // Back to Lead: Globex is first there now. Won.
    t.keys(&["h"]);
    t.keys(&["h"]);
    t.wait_for("▸ Lead (2)");
    t.keys(&["W"]);
    t.wait_for("won: \"Globex fleet\"");
    t.wait_for("Lead (1)");

    // Initech: lost, with a reason typed in the popup.
    t.keys(&["L"]);
    t.wait_for("Lost: why?");
    t.text("Went with a competitor");
    t.keys(&["Enter"]);
    t.wait_for("lost: \"Initech pilot\"");
    t.wait_for("Lead (0)");

    // The deal view of Acme shows its history.
    t.keys(&["l"]);
    t.keys(&["l"]);
    t.wait_for("▸ Proposal (1)");
    t.keys(&["Enter"]);
    t.wait_for("HISTORY (3)");
    t.keys(&["Escape"]);
    t.wait_for("▸ Proposal (1)");

    // This month's closed deals: Globex, won, is reopened from there and goes back to Lead.
    t.keys(&["C"]);
    t.wait_for("with this month's closed");
    // The board with the closed columns is read on a worker: move once they are drawn.
    t.wait_for("Won this");
    t.keys(&["l"]);
    t.keys(&["l"]);
    t.wait_for("▸ Won this");
    t.wait_for("R reopen");
    t.keys(&["R"]);
    t.wait_for("reopened \"Globex fleet\" in Lead");
    t.wait_for("▸ Lead (1)");
    t.keys(&["q"]);
    t.wait_for("$");

    let list = book.json(&["deal", "list", "--json"]);
    let acme = deal(&list, "Acme rollout");
    assert_eq!(acme["stage"], "Proposal");
    assert_eq!(acme["status"], "open");
    let stages: Vec<&str> = acme["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["stage"].as_str().unwrap())
        .collect();
    assert_eq!(stages, ["Lead", "Qualified", "Proposal"]);
    let globex = deal(&list, "Globex fleet");
    assert_eq!(
        (globex["status"].as_str(), globex["stage"].as_str()),
        (Some("open"), Some("Lead"))
    );
    assert!(globex["closed_at"].is_null(), "{globex:#}");
    let events: Vec<&str> = globex["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["event"].as_str().unwrap())
        .collect();
    assert_eq!(events, ["stage", "won", "reopened"]);
    let initech = deal(&list, "Initech pilot");
    assert_eq!(initech["status"], "lost");
    assert_eq!(initech["lost_reason"], "Went with a competitor");
    // A win makes the contact a customer; a loss leaves Carla a lead.
    assert_eq!(
        book.json(&["contact", "show", "bob", "--json"])["contact"]["status"],
        "customer"
    );
    assert_eq!(
        book.json(&["contact", "show", "carla", "--json"])["contact"]["status"],
        "lead"
    );
    assert_eq!(
        book.json(&["contact", "show", "ana", "--json"])["deals"][0]["stage"],
        "Proposal"
    );
}
