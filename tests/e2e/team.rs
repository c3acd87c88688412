//! A team at work on one server, in real terminals (issue 22): a rep logs a call on their deal
//! and the manager's open board shows it within a second; the other rep's desk cannot move
//! that deal, and its status line says why.

use std::time::{Duration, Instant};

use crate::support::team::{member, server_book};
use crate::support::tmux::*;

const PASSWORD: &str = "two-desks-pw";

#[test]
fn a_reps_call_shows_on_the_managers_board_and_the_other_rep_cannot_move_the_deal() {
    if !tmux_present() {
        eprintln!("skipped: tmux is not installed (.ci/run installs it)");
        return;
    }
    let Some((logins, owner)) = server_book() else {
        return;
    };
    let add = |prefix: &str, role: &str| member(&logins, &owner, prefix, role, PASSWORD);
    let (_, manager) = add("mia", "manager");
    let (ana_name, ana) = add("ana", "rep");
    let (_, bob) = add("bob", "rep");
    logins.keep_groups(&owner);
    ana.cli(&["contact", "add", "--name", "Acme Buyer"]);
    ana.cli(&[
        "deal",
        "add",
        "--title",
        "Acme roll-out",
        "--contact",
        "Acme Buyer",
    ]);
    // Quiet since October: the board marks the deal stale.
    owner.sql(
        "UPDATE deals SET stage_entered_at = '2026-10-01T09:00:00Z', \
         created_at = '2026-10-01T09:00:00Z', updated_at = '2026-10-01T09:00:00Z'",
    );

    let m = Tmux::desk(&manager);
    m.keys(&["2"]);
    m.wait_for("Acme roll-out");
    m.wait_for("! stale");
    // Ana's deal on the manager's board says whose it is.
    let whose = salesdesk::domain::team::initials(&ana_name);
    m.wait_for(&format!("{whose} · Acme Buyer"));
    // `o` cycles whose deals the board shows: the manager's own (none), Ana's, everyone's.
    m.keys(&["o"]);
    m.wait_for("showing your deals");
    m.wait_for("sales · yours · 0 open");
    assert!(!m.screen().contains("Acme roll-out"), "{}", m.screen());
    m.keys(&["o"]);
    m.wait_for(&format!("showing {ana_name}'s deals"));
    m.wait_for(&format!("sales · {ana_name}'s · 1 open"));
    m.wait_for("Acme roll-out");
    m.keys(&["o"]);
    m.wait_for("showing everyone's deals");
    // The Contacts table likewise: Ana's contact says whose, and `o` cuts the table.
    m.keys(&["3"]);
    m.wait_for(&format!("{whose} · Acme Buyer"));
    m.keys(&["o"]);
    m.wait_for("showing your contacts");
    m.wait_for("You have no contacts here");
    m.wait_for("0 of 1 · yours · by name");
    m.keys(&["o"]);
    m.wait_for(&format!("showing {ana_name}'s contacts"));
    m.wait_for(&format!("{whose} · Acme Buyer"));
    m.keys(&["Enter"]);
    m.wait_for(&format!("owner {ana_name}"));
    m.keys(&["Escape"]);
    m.wait_for(&format!("showing {ana_name}'s contacts"));
    m.keys(&["o", "2"]);
    m.wait_for("Acme roll-out");
    ana.cli(&[
        "note",
        "Acme Buyer",
        "Called about the roll-out",
        "--kind",
        "call",
        "--deal",
        "1",
    ]);
    let start = Instant::now();
    while m.screen().contains("! stale") {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "the manager's board never showed Ana's call:\n{}",
            m.screen()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    eprintln!(
        "the manager's board showed the call after {:?}",
        start.elapsed()
    );
    assert!(m.screen().contains("Acme roll-out"), "{}", m.screen());
    // The deal's page names its owner, who moved it, and who wrote the note.
    m.keys(&["Enter"]);
    m.wait_for(&format!("Owner          {ana_name}"));
    m.wait_for(&format!("→ Lead · by {ana_name}"));
    m.wait_for(&format!("call · by {ana_name}"));
    m.keys(&["q"]);
    m.wait_main_screen();
    // One terminal at a time (tests/support/tmux.rs): the manager's goes before Bob's opens.
    drop(m);

    // Bob sees the deal on his board, but it is Ana's: he cannot move it, and is told why.
    let b = Tmux::desk(&bob);
    b.keys(&["2"]);
    b.wait_for("Acme roll-out");
    b.keys(&[">"]);
    b.wait_for(&format!("is {ana_name}'s"));
    b.keys(&["q"]);
    b.wait_main_screen();
    b.wait_exited();
    let deal = owner.json(&["deal", "show", "1"]);
    assert_eq!(
        deal["deal"]["stage"],
        serde_json::Value::from("Lead"),
        "{deal}"
    );
}
