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
