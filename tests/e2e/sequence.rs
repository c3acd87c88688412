//! Issue 19, a sequence end to end: the real binary in tmux starts `new-lead` from Ana's page,
//! completes step 1 from call mode with a voicemail, sees step 2 on Today as `new-lead 2/3`,
//! logs her reply as an email with outcome replied, and the CLI finds the sequence stopped and
//! step 3 never scheduled.

use serde_json::Value;

use crate::support::tmux::*;

const NEW_LEAD: &str = r#"
[sequences.new-lead]
steps = [
  { after = "0d", kind = "call",  text = "Intro call" },
  { after = "2d", kind = "email", text = "Send the case study" },
  { after = "3d", kind = "call",  text = "Second call" },
]
"#;

#[test]
fn a_lead_worked_through_a_sequence_until_she_replies() {
    if !tmux_present() {
        eprintln!("skipped: tmux is not installed (.ci/run installs it)");
        return;
    }
    let book = Book::with_config(&format!("{CONFIG}{NEW_LEAD}"));
    book.contact(&["--name", "Ana Pereira", "--email", "ana@example.com"]);
    let t = Tmux::desk(&book);
    t.wait_for("1 Today");

    // Ana's page: `S` offers the sequences with their steps; Enter starts new-lead.
    t.keys(&["3"]);
    t.wait_for("Ana Pereira");
    t.keys(&["Enter"]);
    t.wait_for("FOLLOW-UPS");
    t.keys(&["S"]);
    t.wait_for("Start a sequence for Ana Pereira");
    t.wait_for("after 2d · email · Send the case study");
    t.keys(&["Enter"]);
    t.wait_for("SEQUENCE new-lead · step 1 of 3");

    // Call mode: a voicemail, a note, and the sequence's own next step (Enter).
    t.keys(&["1"]);
    t.wait_for("new-lead 1/3");
    t.keys(&["F"]);
    t.wait_for("voicemail");
    t.keys(&["v"]);
    t.wait_for("What was said?");
    t.text("Left a message about the pilot");
    t.keys(&["Enter"]);
    t.wait_for("next step of the sequence: 2 email · Wed 25 Nov");
    t.keys(&["Enter"]);
    t.wait_for("Nothing left to call.");
    t.keys(&["Escape"]);
    t.wait_for("new-lead 2/3 · Send the case study");

    let steps = book.json(&["follow-up", "list"]);
    let open: Vec<&Value> = steps
        .as_array()
        .expect("follow-ups")
        .iter()
        .filter(|f| f["done_at"].is_null() && f["status"] != "cancelled")
        .collect();
    assert_eq!(open.len(), 1, "{steps:#}");
    assert_eq!(open[0]["sequence"]["step"], 2, "{steps:#}");
    assert_eq!(open[0]["due_at"], "2026-11-25", "{steps:#}");

    // She replies: the email is logged on her row with the outcome replied.
    t.keys(&["c"]);
    t.wait_for("Log an email with Ana Pereira");
    t.text("She wrote back: wants a quote");
    t.keys(&["Tab"]);
    t.keys(&["r"]);
    t.keys(&["Enter"]);
    t.wait_for("email with Ana Pereira logged");

    // The CLI: the sequence stopped on the reply, and step 3 never came.
    assert_eq!(book.json(&["sequence", "list"]), Value::Array(vec![]));
    let all = book.json(&["follow-up", "list"]);
    let all = all.as_array().expect("follow-ups");
    assert_eq!(all.len(), 2, "steps 1 and 2 only: {all:#?}");
    assert!(all.iter().all(|f| !f["done_at"].is_null()), "{all:#?}");
    assert!(all.iter().all(|f| f["sequence"]["step"] != 3), "{all:#?}");
    let show = book.json(&["contact", "show", "ana"]);
    let notes = show["notes"].to_string();
    assert!(
        notes.contains("Sequence new-lead stopped at step 2 of 3: an email was replied."),
        "{notes}"
    );
    assert!(show["sequence"].is_null(), "{show:#}");
    let seq = book.json(&["sequence", "show", "new-lead"]);
    assert_eq!(seq["figures"]["replied"], 1, "{seq:#}");
    assert_eq!(seq["figures"]["active"], 0, "{seq:#}");
    t.keys(&["q"]);
    t.wait_main_screen();
}
