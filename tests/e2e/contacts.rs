//! The real binary in tmux: filter the contacts, open one, add a note ending in
//! `@fri #proposal`, find it again with Ctrl-f, then check through the CLI that the follow-up
//! and the stage change happened. (Book and Tmux helpers in tests/support/.)

use std::time::{Duration, Instant};

use crate::support::tmux::*;

fn prepare(book: &Book) {
    for (name, company) in [
        ("Ana Souza", "Acme"),
        ("Anabel Quintero", "Globex"),
        ("José Núñez", "Initech"),
        ("Bob Lee", "Globex"),
    ] {
        book.cli(&["contact", "add", "--name", name, "--company", company]);
    }
    book.cli(&[
        "deal",
        "add",
        "--title",
        "Acme rollout",
        "--contact",
        "ana souza",
        "--value",
        "12000",
    ]);
}

#[test]
fn filter_open_note_search_then_the_cli_agrees() {
    if !tmux_present() {
        eprintln!("skipped: tmux is not installed (.ci/run installs it)");
        return;
    }
    let book = Book::with_config(CONFIG);
    prepare(&book);
    let t = Tmux::desk(&book);
    t.wait_for("salesdesk");
    t.keys(&["3"]);
    t.wait_for("4 of 4");
    // Filter: accents and case ignored, fuzzy.
    t.keys(&["/"]);
    t.text("jose");
    t.wait_for("1 of 4");
    t.keys(&["Escape"]);
    t.wait_for("4 of 4");
    t.keys(&["/"]);
    t.text("souza");
    t.wait_for("1 of 4");
    t.keys(&["Enter"]);
    t.keys(&["Enter"]);
    t.wait_for("OPEN DEALS (1)");
    // A note whose commands schedule Friday and move the deal; the preview shows first.
    t.keys(&["n"]);
    t.wait_for("Contact  Ana Souza");
    t.text("Sent the numbers @fri #proposal");
    t.wait_for("will: deal #1 Acme rollout → Proposal");
    t.wait_for("will: next follow-up Fri 27 Nov");
    t.keys(&["Enter"]);
    t.wait_for("note saved on Ana Souza");
    // Found again with Ctrl-f, from another screen; Enter opens it.
    t.keys(&["1"]);
    t.wait_for("Today");
    t.keys(&["C-f"]);
    t.wait_for("Search everything");
    t.text("numbers");
    t.wait_for("note with Ana Souza");
    // Results arrive from a worker as the query grows; wait for the answer to the whole word.
    let start = Instant::now();
    loop {
        let s = t.screen();
        if s.contains("1 result") && !s.contains("results") {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "no single result:\n{s}"
        );
        std::thread::sleep(Duration::from_millis(40));
    }
    t.keys(&["Enter"]);
    let s = t.wait_for("▶");
    assert!(s.contains("Sent the numbers @fri #proposal"), "{s}");
    assert!(s.contains("Ana Souza"), "{s}");
    t.keys(&["q"]);
    t.wait_main_screen();
    t.wait_exited();

    // The book, through the CLI.
    let ana = book.json(&["contact", "show", "ana souza", "--json"]);
    assert_eq!(ana["notes"][0]["body"], "Sent the numbers @fri #proposal");
    assert_eq!(ana["follow_ups"][0]["due_at"], "2026-11-27");
    let deals = book.json(&["deal", "list", "--json"]);
    let deal = deals
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["title"] == "Acme rollout")
        .unwrap();
    assert_eq!(deal["stage"], "Proposal");
}
