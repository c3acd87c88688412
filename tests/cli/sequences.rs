//! `sequence start|stop|list|show` through the real binary (docs/MANUAL.md, "Sequences"):
//! steps advance on every kind of completion, from the completion, on a workday; each stop
//! condition stops the sequence and cancels its open step; start, advance and stop undo.

use crate::support::Book;
use serde_json::Value;

pub const NEW_LEAD: &str = r#"
[sequences.new-lead]
steps = [
  { after = "0d", kind = "call",  text = "Intro call" },
  { after = "2d", kind = "email", text = "Send the case study" },
  { after = "3d", kind = "call",  text = "Second call" },
]
"#;

/// A book with the `new-lead` sequence and Ana in it (Monday 23 Nov, 09:00).
fn started() -> Book {
    let b = Book::with_config(NEW_LEAD);
    b.contact(&["--name", "Ana Pereira", "--email", "ana@example.com"]);
    b.ok(&["sequence", "start", "ana", "new-lead"]);
    b
}

/// Every follow-up of the book, as `follow-up list --json` gives them.
pub(crate) fn follow_ups(b: &Book) -> Vec<Value> {
    b.json(&["follow-up", "list"])
        .as_array()
        .cloned()
        .unwrap_or_default()
}

pub(crate) fn open_steps(b: &Book) -> Vec<Value> {
    follow_ups(b)
        .into_iter()
        .filter(|f| f["done_at"].is_null() && f["status"] != "cancelled")
        .collect()
}

pub(crate) fn only_open(b: &Book) -> Value {
    let open = open_steps(b);
    assert_eq!(open.len(), 1, "one open follow-up: {open:#?}");
    open[0].clone()
}

pub(crate) fn active(b: &Book) -> Vec<Value> {
    b.json(&["sequence", "list"])
        .as_array()
        .cloned()
        .unwrap_or_default()
}

pub(crate) fn timeline(b: &Book) -> String {
    b.show(1)["notes"].to_string()
}

#[test]
fn start_schedules_the_first_step_and_a_second_start_is_refused() {
    let b = started();
    let f = only_open(&b);
    assert_eq!(f["text"], "Intro call");
    assert_eq!(f["kind"], "call");
    assert_eq!(f["due_at"], "2026-11-23");
    assert_eq!(
        f["sequence"],
        serde_json::json!({"name": "new-lead", "step": 1, "steps": 3})
    );
    let err = b.fails(&["sequence", "start", "ana", "new-lead"], 2);
    assert!(err.contains("already in sequence new-lead"), "{err}");
    let err = b.fails(&["sequence", "start", "ana", "nope"], 2);
    assert!(err.contains("no sequence"), "{err}");
    let list = active(&b);
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["sequence"], "new-lead");
    assert_eq!(list[0]["step"], 1);
    assert_eq!(list[0]["steps"], 3);
    assert_eq!(list[0]["next_due"], "2026-11-23");
    assert_eq!(list[0]["retired"], false);
    assert!(
        list[0]["started_at"]
            .as_str()
            .unwrap()
            .starts_with("2026-11-23")
    );
}

#[test]
fn an_ordinary_follow_up_has_a_null_sequence() {
    let b = Book::with_config(NEW_LEAD);
    b.contact(&["--name", "Bo Chen"]);
    b.ok(&["follow-up", "bo", "tomorrow", "call"]);
    let f = follow_ups(&b);
    assert!(f[0].as_object().unwrap().contains_key("sequence"));
    assert!(f[0]["sequence"].is_null());
    let today = b.json(&["today", "--days", "3"]);
    assert!(today["upcoming"][0]["sequence"].is_null());
}

#[test]
fn done_schedules_the_next_step_from_the_completion_and_the_last_finishes() {
    let mut b = started();
    b.now = "2026-11-24T10:00:00+00:00".into(); // done a day late, on Tuesday
    let out = b.ok(&["done", "1"]);
    assert!(out.contains("next: follow-up #2"), "{out}");
    let f = only_open(&b);
    assert_eq!(f["due_at"], "2026-11-26", "two days after Tuesday");
    assert_eq!(f["sequence"]["step"], 2);
    b.ok(&["done", "2"]);
    let f = only_open(&b);
    assert_eq!(f["due_at"], "2026-11-27", "three days after Tuesday");
    assert_eq!(f["text"], "Second call");
    b.ok(&["done", "3"]);
    assert!(open_steps(&b).is_empty());
    assert!(active(&b).is_empty());
    let show = b.json(&["sequence", "show", "new-lead"]);
    assert_eq!(show["figures"]["finished"], 1);
    assert_eq!(show["figures"]["active"], 0);
}

#[test]
fn a_step_that_lands_on_a_weekend_moves_to_the_next_workday() {
    let mut b = started();
    b.now = "2026-11-26T09:00:00+00:00".into(); // Thursday: +2d is Saturday
    b.ok(&["done", "1"]);
    assert_eq!(only_open(&b)["due_at"], "2026-11-30", "Monday");
}

#[test]
fn note_done_advances_and_its_next_date_is_the_next_step() {
    let b = started();
    b.ok(&[
        "note",
        "ana",
        "left a message",
        "--kind",
        "call",
        "--outcome",
        "voicemail",
        "--done",
        "1",
    ]);
    let f = only_open(&b);
    assert_eq!(f["sequence"]["step"], 2);
    assert_eq!(f["due_at"], "2026-11-25");
    // A logged call that asks for a next date: the sequence's next step is it, never two.
    let out = b.ok(&[
        "note",
        "ana",
        "sent it",
        "--kind",
        "email",
        "--done",
        &f["id"].to_string(),
        "--next",
        "fri",
    ]);
    assert!(out.contains("sequence new-lead step 3 of 3"), "{out}");
    let f = only_open(&b);
    assert_eq!(f["sequence"]["step"], 3);
    assert_eq!(
        f["due_at"], "2026-11-27",
        "the date asked for, not 3 days on"
    );
}

#[test]
fn snoozing_a_step_moves_only_that_step() {
    let b = started();
    b.ok(&["snooze", "1", "wed"]);
    let f = only_open(&b);
    assert_eq!(f["due_at"], "2026-11-25");
    assert_eq!(f["sequence"]["step"], 1);
    assert_eq!(active(&b).len(), 1);
}

/// Asserts the sequence stopped: nobody in one, no open step, and the timeline says why.
pub(crate) fn assert_stopped(b: &Book, why: &str) {
    assert!(active(b).is_empty(), "{:#?}", active(b));
    assert!(
        open_steps(b).iter().all(|f| f["sequence"].is_null()),
        "{:#?}",
        open_steps(b)
    );
    let t = timeline(b);
    assert!(
        t.contains("Sequence new-lead stopped") && t.contains(why),
        "{t}"
    );
}

#[test]
fn a_connected_call_stops_it() {
    let b = started();
    b.ok(&[
        "note",
        "ana",
        "spoke at length",
        "--kind",
        "call",
        "--outcome",
        "connected",
    ]);
    assert_stopped(&b, "a call connected");
    assert_eq!(follow_ups(&b)[0]["status"], "cancelled");
}

#[test]
fn a_connected_call_that_completes_the_step_stops_it_with_no_next_step() {
    let b = started();
    b.ok(&[
        "note",
        "ana",
        "spoke",
        "--kind",
        "call",
        "--outcome",
        "connected",
        "--done",
        "1",
    ]);
    assert_stopped(&b, "a call connected");
    assert_eq!(follow_ups(&b).len(), 1, "step 2 never came");
    assert!(follow_ups(&b)[0]["done_at"].is_string());
}

#[test]
fn a_replied_email_stops_it() {
    let b = started();
    b.ok(&[
        "note",
        "ana",
        "she wrote back",
        "--kind",
        "email",
        "--outcome",
        "replied",
    ]);
    assert_stopped(&b, "an email was replied");
}

#[test]
fn stop_on_names_what_stops_it() {
    let b = Book::with_config(&format!("{NEW_LEAD}stop_on = [\"replied\"]\n"));
    b.contact(&["--name", "Ana Pereira"]);
    b.ok(&["sequence", "start", "ana", "new-lead"]);
    b.ok(&[
        "note",
        "ana",
        "spoke",
        "--kind",
        "call",
        "--outcome",
        "connected",
    ]);
    assert_eq!(active(&b).len(), 1, "a connected call is not in stop_on");
    assert_eq!(only_open(&b)["sequence"]["step"], 1, "its step still open");
}

#[test]
fn a_call_logged_without_completing_the_step_moves_the_step_never_a_second_follow_up() {
    let b = started();
    b.ok(&[
        "note",
        "ana",
        "no answer",
        "--kind",
        "call",
        "--outcome",
        "no-answer",
        "--next",
        "fri",
    ]);
    let f = only_open(&b);
    assert_eq!(f["sequence"]["step"], 1, "{f:#}");
    assert_eq!(
        f["due_at"], "2026-11-27",
        "the step moved to the date asked"
    );
    assert_eq!(active(&b).len(), 1);
}

#[test]
fn a_closed_deal_and_names_differing_only_in_case_are_refused() {
    let b = Book::with_config(NEW_LEAD);
    b.contact(&["--name", "Ana Pereira"]);
    b.ok(&["deal", "add", "--title", "Rollout", "--contact", "ana"]);
    b.ok(&["deal", "lost", "1", "--reason", "budget"]);
    let err = b.fails(&["sequence", "start", "ana", "new-lead", "--deal", "1"], 2);
    assert!(err.contains("is lost"), "{err}");
    assert!(active(&b).is_empty());
    let twice = Book::with_config(&format!(
        "{NEW_LEAD}{}",
        NEW_LEAD.replace("new-lead", "New-Lead")
    ));
    let err = twice.fails(&["today"], 2);
    assert!(err.contains("differ only in case"), "{err}");
}

#[test]
fn a_deal_closed_that_stop_on_leaves_out_keeps_the_sequence_and_its_step() {
    let b = Book::with_config(&format!("{NEW_LEAD}stop_on = [\"replied\"]\n"));
    b.contact(&["--name", "Ana Pereira"]);
    b.ok(&["deal", "add", "--title", "Rollout", "--contact", "ana"]);
    b.ok(&["sequence", "start", "ana", "new-lead", "--deal", "1"]);
    b.ok(&["deal", "won", "1"]);
    assert_eq!(active(&b).len(), 1, "won is not in stop_on");
    let steps: Vec<Value> = open_steps(&b)
        .into_iter()
        .filter(|f| !f["sequence"].is_null())
        .collect();
    assert_eq!(
        steps.len(),
        1,
        "the step is the sequence's, not cancelled with the deal"
    );
}

#[test]
fn the_sequences_deal_won_stops_it() {
    let b = Book::with_config(NEW_LEAD);
    b.contact(&["--name", "Ana Pereira"]);
    b.ok(&["deal", "add", "--title", "Rollout", "--contact", "ana"]);
    b.ok(&["deal", "add", "--title", "Pilot", "--contact", "ana"]);
    b.ok(&["sequence", "start", "ana", "new-lead", "--deal", "1"]);
    b.ok(&["deal", "won", "2"]);
    assert_eq!(active(&b).len(), 1, "another deal than the sequence's");
    b.ok(&["deal", "won", "1"]);
    assert_stopped(&b, "the deal was won");
}

#[test]
fn any_deal_lost_stops_a_sequence_started_without_one() {
    let b = started();
    b.ok(&["deal", "add", "--title", "Rollout", "--contact", "ana"]);
    b.ok(&["deal", "lost", "1", "--reason", "budget"]);
    assert_stopped(&b, "the deal was lost");
}

#[test]
fn archive_stops_it() {
    let b = started();
    b.ok(&["contact", "archive", "ana"]);
    assert_stopped(&b, "archived");
}

#[test]
fn merge_stops_it_and_keeps_the_record() {
    let b = started();
    b.contact(&["--name", "Ana P", "--email", "ap@example.com"]);
    b.ok(&["contact", "merge", "1", "2"]);
    assert!(active(&b).is_empty());
    let notes = b.show(2)["notes"].to_string();
    assert!(notes.contains("merged"), "{notes}");
    let show = b.json(&["sequence", "show", "new-lead"]);
    assert_eq!(show["figures"]["enrolled"], 1);
}

#[test]
fn purge_takes_the_enrolment_with_the_person() {
    let b = started();
    b.ok(&["contact", "purge", "ana", "--yes"]);
    assert!(active(&b).is_empty());
    let show = b.json(&["sequence", "show", "new-lead"]);
    assert_eq!(show["figures"]["enrolled"], 0);
}

#[test]
fn sequence_stop_cancels_the_open_step() {
    let b = started();
    let out = b.ok(&["sequence", "stop", "ana"]);
    assert!(out.contains("stopped"), "{out}");
    assert_stopped(&b, "stopped by hand");
    b.fails(&["sequence", "stop", "ana"], 2);
    // Stopped, a contact may start again.
    b.ok(&["sequence", "start", "ana", "new-lead"]);
    assert_eq!(active(&b).len(), 1);
}

#[test]
fn cancelling_a_step_stops_the_sequence() {
    let b = started();
    b.ok(&["follow-up", "cancel", "1"]);
    assert_stopped(&b, "its step was cancelled");
}

#[test]
fn start_advance_and_stop_each_undo() {
    let b = started();
    b.ok(&["undo"]);
    assert!(active(&b).is_empty());
    assert!(follow_ups(&b).is_empty());
    b.ok(&["sequence", "start", "ana", "new-lead"]);
    b.ok(&["done", "2"]);
    assert_eq!(only_open(&b)["sequence"]["step"], 2);
    b.ok(&["undo"]);
    let f = only_open(&b);
    assert_eq!(f["id"], 2);
    assert_eq!(active(&b)[0]["step"], 1);
    b.ok(&["sequence", "stop", "ana"]);
    b.ok(&["undo"]);
    assert_eq!(active(&b).len(), 1);
    // Put back whole: an enrolment under way again has no end.
    assert!(
        active(&b)[0]
            .get("ended_at")
            .is_some_and(serde_json::Value::is_null),
        "{:#?}",
        active(&b)
    );
    assert!(active(&b)[0]["stop_reason"].is_null());
    assert_eq!(only_open(&b)["id"], 2);
    assert!(!timeline(&b).contains("stopped"));
}

#[test]
fn a_sequence_removed_from_the_config_goes_on_as_retired() {
    let b = started();
    std::fs::write(&b.config, "").unwrap();
    let list = active(&b);
    assert_eq!(list[0]["retired"], true);
    assert!(b.ok(&["sequence", "list"]).contains("retired"));
    b.ok(&["done", "1"]);
    let f = only_open(&b);
    assert_eq!(f["sequence"]["step"], 2, "its steps were copied at start");
    assert_eq!(f["text"], "Send the case study");
    let show = b.json(&["sequence", "show", "new-lead"]);
    assert_eq!(show["retired"], true);
    assert_eq!(show["steps"].as_array().unwrap().len(), 3);
    b.fails(&["sequence", "start", "ana", "new-lead"], 2);
}

#[test]
fn a_broken_sequence_config_is_exit_2_naming_the_line() {
    let b = Book::with_config(&NEW_LEAD.replace("\"email\"", "\"fax\""));
    let err = b.fails(&["today"], 2);
    assert!(err.contains("line 5") && err.contains("fax"), "{err}");
    let b = Book::with_config("[sequences.empty]\nsteps = []\n");
    assert!(b.fails(&["today"], 2).contains("line 2"));
}

#[test]
fn text_lines_carry_the_label() {
    let b = started();
    let out = b.ok(&["today"]);
    assert!(out.contains("new-lead 1/3"), "{out}");
    let out = b.ok(&["sequence", "show", "new-lead"]);
    assert!(
        out.contains("Send the case study") && out.contains("enrolled 1"),
        "{out}"
    );
}

#[test]
fn report_figures_match_a_hand_counted_book() {
    let b = Book::with_config(&format!(
        "{NEW_LEAD}\n[sequences.nurture]\nsteps = [{{ after = \"1w\", kind = \"email\", text = \"News\" }}]\n"
    ));
    for name in ["Ann", "Bea", "Cid", "Dan", "Eve", "Fay", "Gus", "Hal"] {
        b.contact(&["--name", name]);
        b.ok(&["sequence", "start", name, "new-lead"]);
    }
    b.ok(&[
        "note",
        "ann",
        "yes!",
        "--kind",
        "email",
        "--outcome",
        "replied",
    ]); // replied
    b.ok(&[
        "note",
        "bea",
        "talked",
        "--kind",
        "call",
        "--outcome",
        "connected",
    ]); // replied
    b.ok(&["deal", "add", "--title", "C", "--contact", "cid"]);
    b.ok(&["deal", "won", "1"]); // won
    b.ok(&["deal", "add", "--title", "D", "--contact", "dan"]);
    b.ok(&["deal", "lost", "2", "--reason", "no"]); // lost
    for _ in 0..3 {
        let eve = b.json(&["follow-up", "list", "--contact", "eve", "--status", "open"]);
        b.ok(&["done", &eve[0]["id"].to_string()]);
    } // finished
    // Fay stays active.
    b.ok(&["sequence", "stop", "gus"]); // stopped, by hand
    b.ok(&["contact", "archive", "hal"]); // stopped, archived
    let r = b.json(&["report"]);
    let seqs = r["sequences"].as_array().unwrap();
    assert_eq!(seqs.len(), 2);
    let nl = &seqs[0];
    assert_eq!(nl["name"], "new-lead");
    assert_eq!(
        (
            nl["enrolled"].as_i64(),
            nl["active"].as_i64(),
            nl["finished"].as_i64()
        ),
        (Some(8), Some(1), Some(1))
    );
    assert_eq!(
        (
            nl["replied"].as_i64(),
            nl["won"].as_i64(),
            nl["lost"].as_i64()
        ),
        (Some(2), Some(1), Some(1))
    );
    let rate = nl["reply_rate"].as_f64().unwrap();
    assert!((rate - 2.0 / 7.0).abs() < 1e-9, "{rate}");
    let mut keys: Vec<&String> = nl.as_object().unwrap().keys().collect();
    keys.sort();
    let mut want = [
        "name",
        "enrolled",
        "active",
        "finished",
        "replied",
        "won",
        "lost",
        "reply_rate",
    ];
    want.sort();
    assert_eq!(keys, want);
    assert_eq!(seqs[1]["name"], "nurture");
    assert_eq!(seqs[1]["enrolled"], 0);
    assert!(seqs[1]["reply_rate"].is_null());
    let text = b.ok(&["report"]);
    assert!(text.contains("new-lead") && text.contains("29%"), "{text}");
}

#[test]
fn export_json_carries_the_enrolments_and_import_restores_them() {
    let b = started();
    b.ok(&["done", "1"]);
    let out = b.file("book.json");
    b.ok(&["export", "--format", "json", "-o", out.to_str().unwrap()]);
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let e = &v["sequence_enrollments"][0];
    assert_eq!(e["name"], "new-lead");
    assert_eq!(e["step"], 2);
    assert_eq!(e["status"], "active");
    assert_eq!(e["steps"].as_array().unwrap().len(), 3);
    assert_eq!(v["follow_ups"][1]["sequence"]["step"], 2);
    let again = Book::with_config(NEW_LEAD);
    let (code, _, err) = again.import(&out, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        again.json(&["sequence", "list"]),
        b.json(&["sequence", "list"])
    );
    let out2 = again.file("again.json");
    again.ok(&["export", "--format", "json", "-o", out2.to_str().unwrap()]);
    let w: Value = serde_json::from_str(&std::fs::read_to_string(&out2).unwrap()).unwrap();
    assert_eq!(v["sequence_enrollments"], w["sequence_enrollments"]);
    assert_eq!(v["follow_ups"], w["follow_ups"]);
    // The restored sequence goes on.
    again.ok(&["done", "2"]);
    assert_eq!(only_open(&again)["sequence"]["step"], 3);
}

#[test]
fn import_with_sequence_enrols_every_contact_it_creates() {
    let b = Book::with_config(NEW_LEAD);
    b.contact(&["--name", "Old Friend", "--email", "old@example.com"]);
    let csv = b.file("leads.csv");
    std::fs::write(
        &csv,
        "name,email\nNew One,one@example.com\nNew Two,two@example.com\nOld Friend,old@example.com\n",
    )
    .unwrap();
    let path = csv.to_str().unwrap();
    let dry = b.ok(&["import", path, "--sequence", "new-lead", "--dry-run"]);
    assert!(
        dry.contains("sequence new-lead would start for 2 contacts"),
        "{dry}"
    );
    assert!(active(&b).is_empty(), "a dry run writes nothing");
    let err = b.fails(&["import", path, "--sequence", "nope"], 2);
    assert!(err.contains("no such sequence"), "{err}");
    let out = b.ok(&["import", path, "--sequence", "new-lead"]);
    assert!(
        out.contains("sequence new-lead started for 2 contacts"),
        "{out}"
    );
    let list = active(&b);
    let names: Vec<&str> = list
        .iter()
        .map(|e| e["contact_name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["New One", "New Two"],
        "the merged contact is not enrolled"
    );
    let steps = open_steps(&b);
    assert_eq!(steps.len(), 2);
    assert!(
        steps
            .iter()
            .all(|f| f["sequence"]["step"] == 1 && f["due_at"] == "2026-11-23")
    );
    assert_eq!(
        steps[0]["contact_name"], "New One",
        "labels filled: {steps:#?}"
    );
    b.assert_derived_consistent();
    // The enrolled go on like any other.
    b.ok(&["done", &steps[0]["id"].to_string()]);
    assert_eq!(active(&b)[0]["step"], 2);
    b.ok(&["undo"]);
    b.ok(&["undo"]);
    assert!(
        active(&b).is_empty(),
        "the import is undone whole, its enrolments too"
    );
    assert!(open_steps(&b).is_empty());
    assert_eq!(b.contacts().len(), 1);
}

#[test]
fn contact_show_says_the_sequence_and_json_gives_it() {
    let b = started();
    assert!(
        b.ok(&["contact", "show", "ana"])
            .contains("sequence     new-lead step 1 of 3")
    );
    let v = b.show(1);
    assert_eq!(v["sequence"]["sequence"], "new-lead");
    assert_eq!(v["sequence"]["steps"], 3);
}

#[test]
fn a_json_step_whose_enrolment_is_missing_is_refused() {
    let b = started();
    let out = b.file("book.json");
    b.ok(&["export", "--format", "json", "-o", out.to_str().unwrap()]);
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    v["sequence_enrollments"] = Value::Array(vec![]);
    std::fs::write(&out, v.to_string()).unwrap();
    let again = Book::with_config(NEW_LEAD);
    let (code, _, err) = again.import(&out, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("which the file lacks"), "{err}");
}

#[test]
fn a_note_that_wins_the_deal_on_a_step_stops_it_and_keeps_the_next_it_asks_for() {
    let b = Book::with_config(NEW_LEAD);
    b.contact(&["--name", "Ana Pereira"]);
    b.ok(&["deal", "add", "--title", "Rollout", "--contact", "ana"]);
    b.ok(&["sequence", "start", "ana", "new-lead", "--deal", "1"]);
    let out = b.ok(&[
        "note",
        "ana",
        "signed! @fri #won",
        "--kind",
        "call",
        "--done",
        "1",
    ]);
    assert!(out.contains("won"), "{out}");
    assert_stopped(&b, "the deal was won");
    // The win also schedules its referral ask (issue 20): set it aside.
    let all: Vec<Value> = follow_ups(&b)
        .into_iter()
        .filter(|f| f["text"] != "Ask Ana Pereira for a referral")
        .collect();
    assert_eq!(
        all.len(),
        2,
        "the step done, and the asked-for follow-up: {all:#?}"
    );
    let open: Vec<&Value> = all
        .iter()
        .filter(|f| f["done_at"].is_null() && f["status"] != "cancelled")
        .collect();
    assert_eq!(open.len(), 1, "{open:#?}");
    let f = open[0];
    assert!(f["sequence"].is_null());
    assert_eq!(f["due_at"], "2026-11-27");
}
