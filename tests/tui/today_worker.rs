//! Today on a book in a file: after a change its lists are read again on the worker thread,
//! not the UI thread. `x` and a snooze take the row off the screen at once; the lists read
//! again (with a repeating follow-up's next date) arrive a moment later.

use crate::support::tui::*;
use salesdesk::config::Config;
use salesdesk::domain::follow_up::FollowUpKind;
use salesdesk::domain::follow_up::NewFollowUp;
use salesdesk::ops::Desk;
use salesdesk::storage::Db;
use salesdesk::tui::App;

fn file_desk(dir: &tempfile::TempDir) -> Desk {
    Desk::new(
        Db::open(&dir.path().join("book.db")).unwrap(),
        clock(),
        Config::default(),
    )
}

#[test]
fn done_takes_the_row_off_at_once_and_the_worker_brings_the_next_date() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = file_desk(&dir);
    let ana = contact(&mut desk, "Ana Souza", Some("Acme"), None);
    let bob = contact(&mut desk, "Bob Lee", None, None);
    desk.add_follow_up(&NewFollowUp {
        contact_id: ana,
        deal_id: None,
        kind: FollowUpKind::Call,
        text: "Weekly check-in".into(),
        due: day(23),
        every: Some("1w".into()),
    })
    .unwrap();
    follow_up(
        &mut desk,
        bob,
        None,
        FollowUpKind::Email,
        "Send the deck",
        day(23),
    );
    let mut app = App::new(desk).unwrap();
    // The first frame's lists are read before it is drawn, not left to the worker.
    assert!(!app.today.pending());
    let first = screen(&app, 100, 20);
    assert!(first.contains("TODAY (2)"), "{first}");
    assert!(first.contains("▶ • all day     Ana Souza"), "{first}");

    press(&mut app, "x");
    // The UI thread wrote and asked; the row is gone from the very next frame, and the
    // selection is on the row that followed it.
    assert!(app.today.pending());
    assert!(app.waiting(), "the loop looks again soon");
    let at_once = screen(&app, 100, 20);
    assert!(!at_once.contains("Weekly check-in"), "{at_once}");
    assert!(at_once.contains("TODAY (1)"), "{at_once}");
    assert!(at_once.contains("▶ • all day     Bob Lee"), "{at_once}");

    lists_arrive(&mut app);
    let after = screen(&app, 100, 20);
    // The repeating call came back a week on, in Upcoming; the selection stayed on Bob.
    assert!(after.contains("UPCOMING · 7 DAYS (1)"), "{after}");
    assert!(after.contains("Weekly check-in"), "{after}");
    assert!(after.contains("▶ • all day     Bob Lee"), "{after}");

    // A snooze too: off at once, back at its new date when the lists arrive.
    press(&mut app, "s1");
    let at_once = screen(&app, 100, 20);
    assert!(!at_once.contains("Send the deck"), "{at_once}");
    lists_arrive(&mut app);
    let after = screen(&app, 100, 20);
    assert!(after.contains("UPCOMING · 7 DAYS (2)"), "{after}");
    assert!(after.contains("tomorrow    Bob Lee"), "{after}");

    // Undo asks the worker as well; the snoozed one is due today again.
    press(&mut app, "u");
    lists_arrive(&mut app);
    let undone = screen(&app, 100, 20);
    assert!(undone.contains("TODAY (1)"), "{undone}");
    assert!(undone.contains("Send the deck"), "{undone}");
}

#[test]
fn a_stale_answer_is_dropped_for_the_newest() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = file_desk(&dir);
    let ana = contact(&mut desk, "Ana Souza", None, None);
    follow_up(&mut desk, ana, None, FollowUpKind::Call, "First", day(23));
    let mut app = App::new(desk).unwrap();
    // Two reads asked back to back, with a change between them: only the second one's
    // answer may be shown.
    app.reload();
    follow_up(
        &mut app.desk,
        ana,
        None,
        FollowUpKind::Call,
        "Second",
        day(23),
    );
    app.reload();
    lists_arrive(&mut app);
    let s = screen(&app, 100, 20);
    assert!(s.contains("TODAY (2)") && s.contains("Second"), "{s}");
}

#[test]
fn undo_of_done_brings_the_row_back_selected() {
    // A book in a file (the worker) and one in memory (read inline): the same answer.
    for file in [true, false] {
        let dir = tempfile::tempdir().unwrap();
        let mut desk = if file {
            file_desk(&dir)
        } else {
            Desk::in_memory(clock()).unwrap()
        };
        let ana = contact(&mut desk, "Ana Souza", None, None);
        let bob = contact(&mut desk, "Bob Lee", None, None);
        let first = follow_up(&mut desk, ana, None, FollowUpKind::Call, "First", day(23));
        follow_up(&mut desk, bob, None, FollowUpKind::Call, "Second", day(23));
        let mut app = App::new(desk).unwrap();
        press(&mut app, "x");
        lists_arrive(&mut app);
        assert_ne!(
            app.today.selected_follow_up().map(|f| f.id),
            Some(first),
            "x moved on"
        );
        press(&mut app, "u");
        lists_arrive(&mut app);
        // Selected again, so a second x takes the same row, not the one that moved up.
        assert_eq!(
            app.today.selected_follow_up().map(|f| f.id),
            Some(first),
            "file book: {file}"
        );
    }
}
