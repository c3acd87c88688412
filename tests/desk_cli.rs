//! Issue 16, "A day at the desk": follow-up lists, folded names, closing deals, duplicate
//! emails, `deal show`, outcomes that fit the kind, and imports that keep the person.

mod common;

use common::Book;

#[test]
fn follow_up_list_text_shows_open_ones_with_their_status_json_shows_all() {
    let b = Book::new();
    b.contact(&["--name", "Ana Pereira"]);
    let open = b.ok(&["follow-up", "ana", "tomorrow", "call back"]);
    let done = b.ok(&["follow-up", "ana", "today", "old call"]);
    let cancelled = b.ok(&["follow-up", "ana", "fri", "dropped"]);
    let (open, done, cancelled) = (open.trim(), done.trim(), cancelled.trim());
    b.ok(&["done", done]);
    b.ok(&["follow-up", "cancel", cancelled]);

    let text = b.ok(&["follow-up", "list"]);
    assert!(text.contains(&format!("#{open}")), "{text}");
    assert!(
        text.contains("upcoming"),
        "each line says its status: {text}"
    );
    assert!(
        !text.contains(&format!("#{done} ")),
        "done is not open: {text}"
    );
    assert!(!text.contains(&format!("#{cancelled} ")), "{text}");

    for (status, want, not) in [
        ("open", open, done),
        ("done", done, open),
        ("cancelled", cancelled, done),
    ] {
        let t = b.ok(&["follow-up", "list", "--status", status]);
        assert!(t.contains(&format!("#{want} ")), "--status {status}: {t}");
        assert!(t.contains(if status == "open" { "upcoming" } else { status }));
        assert!(!t.contains(&format!("#{not} ")), "--status {status}: {t}");
    }
    let all = b.ok(&["follow-up", "list", "--status", "all"]);
    for id in [open, done, cancelled] {
        assert!(all.contains(&format!("#{id} ")), "{all}");
    }
    for s in ["upcoming", "done", "cancelled"] {
        assert!(all.contains(s), "{all}");
    }
    let json = b.json(&["follow-up", "list"]);
    assert_eq!(
        json.as_array().map(Vec::len),
        Some(3),
        "--json lists all: {json}"
    );
    let json = b.json(&["follow-up", "list", "--status", "done"]);
    assert_eq!(json.as_array().map(Vec::len), Some(1));
    b.fails(&["follow-up", "list", "--status", "late"], 2);
}
