//! The real binary in tmux on the demo book: open a deal from Ctrl-f and its contact from the
//! deal, re-date a follow-up with `e` on Today, find contacts by their company with `/`, and
//! the board's closed columns staying on across screens; then the CLI sees the new date.

use crate::support::tmux::*;

#[test]
fn a_deal_from_search_a_follow_up_re_dated_and_the_cli_agrees() {
    if !tmux_present() {
        eprintln!("skipped: tmux is not installed (.ci/run installs it)");
        return;
    }
    let book = Book::with_config(CONFIG);
    book.cli(&["demo"]);
    let t = Tmux::desk(&book);
    t.wait_for("OVERDUE");
    // Ctrl-f, a deal: its page, then its contact, and back.
    t.keys(&["C-f"]);
    t.text("globex fleet");
    t.wait_for("deal    Globex fleet tracking");
    t.keys(&["Enter"]);
    t.wait_for("HISTORY (");
    t.keys(&["Enter"]);
    t.wait_for("OPEN DEALS");
    t.keys(&["Escape"]);
    t.wait_for("HISTORY (");
    t.keys(&["Escape"]);
    t.wait_for("OVERDUE");
    // `e` on the first row: a new date, saved.
    t.keys(&["e"]);
    let form = t.wait_for("Edit follow-up #");
    let id: i64 = form
        .split("Edit follow-up #")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("the follow-up's id on the form");
    t.text("fri");
    t.wait_for("→ Fri 27 Nov");
    t.keys(&["Enter"]);
    t.wait_for("due Fri 27 Nov");
    let list = book.json(&["follow-up", "list", "--json"]);
    let f = list
        .as_array()
        .expect("a list")
        .iter()
        .find(|f| f["id"] == id)
        .expect("the follow-up");
    assert_eq!(f["due_at"], "2026-11-27", "{f}");
    // Contacts by company; the closed columns stay on.
    t.keys(&["3"]);
    t.wait_for("of 26");
    t.keys(&["/"]);
    t.text("brightline");
    t.wait_for("3 of 26");
    // (Esc and a key sent together read as Alt-key: wait between them.)
    t.keys(&["Escape"]);
    t.wait_for("26 of 26");
    t.keys(&["2"]);
    t.wait_for("Qualified");
    t.keys(&["C"]);
    t.wait_for("Lost this mon");
    t.keys(&["1"]);
    t.wait_for("OVERDUE");
    t.keys(&["2"]);
    t.wait_for("Lost this mon");
    t.keys(&["q"]);
    t.wait_main_screen();
}

/// The CLI reads `--cadence` with the parser the contact form uses (its other half is
/// `tui_desk_b::the_cadence_field_reads_what_the_cli_reads`).
#[test]
fn the_cli_cadence_reads_what_the_form_reads() {
    let book = Book::with_config(CONFIG);
    for (typed, days) in [("3w", 21), ("1m", 30), ("30", 30), ("2 weeks", 14)] {
        let name = format!("Cadence {typed}");
        book.cli(&["contact", "add", "--name", &name, "--cadence", typed]);
        let c = book.json(&["contact", "show", &name, "--json"]);
        assert_eq!(
            c["contact"]["cadence_days"].as_i64(),
            Some(days),
            "{typed}: {c}"
        );
    }
}

/// A note for a contact picked by typing, the name and Enter sent at once: the field's choices
/// are read on a worker, and Enter waits for those of what was typed, so the note goes to the
/// contact typed (not to whoever the field offered before). The plan line follows the `@fri`.
#[test]
fn a_contact_typed_and_enter_at_once_picks_that_contact() {
    if !tmux_present() {
        eprintln!("skipped: tmux is not installed (.ci/run installs it)");
        return;
    }
    let book = Book::with_config(CONFIG);
    book.cli(&["demo"]);
    let t = Tmux::desk(&book);
    t.wait_for("OVERDUE");
    // Reports has no selection: the note is for a contact to pick.
    t.keys(&["4"]);
    t.wait_for("Win rate");
    t.keys(&["n"]);
    t.wait_for("›Contact");
    t.text("chlo");
    t.keys(&["Enter"]);
    t.wait_for("= Chloé Martin");
    t.text("sent the quote @fri");
    t.wait_for("will: next follow-up Fri 27 Nov");
    t.keys(&["Enter"]);
    t.wait_for("note saved on Chloé Martin");
    let c = book.json(&["contact", "show", "chloé", "--json"]);
    assert_eq!(c["notes"][0]["body"], "sent the quote @fri", "{c:#}");
    t.keys(&["q"]);
    t.wait_main_screen();
}
