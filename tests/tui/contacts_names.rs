//! The Contacts filter's names on a book in a file: after a change they are read again on the
//! worker thread, not the UI thread. Until they arrive the old names keep answering the
//! filter and the keys; then the new and renamed contacts are found.

use std::time::{Duration, Instant};

use crate::support::tui::*;
use ratatui::crossterm::event::KeyCode;
use salesdesk::config::Config;
use salesdesk::domain::contact::ContactFields;
use salesdesk::ops::Desk;
use salesdesk::ops::contacts::ListEdits;
use salesdesk::storage::Db;
use salesdesk::tui::App;

fn named(name: &str) -> ContactFields {
    ContactFields {
        name: Some(name.into()),
        ..Default::default()
    }
}

/// Ticks the app (as its loop does) until the names asked of the worker have come.
fn names_arrive(app: &mut App) {
    let start = Instant::now();
    while app.contacts.index_pending() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the worker never answered"
        );
        std::thread::sleep(Duration::from_millis(5));
        app.tick();
    }
}

fn names(app: &App) -> Vec<String> {
    (0..app.contacts.shown.len())
        .filter_map(|i| {
            let ix = *app.contacts.shown.get(i)? as usize;
            app.contacts.index.names.get(ix).cloned()
        })
        .collect()
}

#[test]
fn a_change_reads_the_names_on_the_worker_and_the_filter_keeps_answering() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = Desk::new(
        Db::open(&dir.path().join("book.db")).unwrap(),
        clock(),
        Config::default(),
    );
    desk.add_contact(&named("Ana Souza")).unwrap();
    let bob = desk.add_contact(&named("Bob Lee")).unwrap();
    let mut app = App::new(desk).unwrap();
    assert!(!app.waiting());
    press(&mut app, "3");
    // Even the first read is the worker's: the screen says so meanwhile.
    assert!(app.contacts.index_pending());
    assert!(app.waiting(), "the loop looks again soon");
    assert!(screen(&app, 80, 20).contains("Reading the names…"));
    names_arrive(&mut app);
    assert_eq!(names(&app), ["Ana Souza", "Bob Lee"]);

    // A change (here, as any window's would be seen): a new contact, a renamed one.
    app.desk.add_contact(&named("Zed Quigley")).unwrap();
    app.desk
        .edit_contact(bob, &named("Robert Lee"), &ListEdits::default(), None)
        .unwrap();
    app.reload();
    // The UI thread only asked: the index is the old one, and still answers.
    assert!(app.contacts.index_pending());
    assert_eq!(app.contacts.index.len(), 2);
    // The rows on screen were read again at once: the renamed row shows its new name.
    let shown = screen(&app, 80, 20);
    assert!(shown.contains("Robert Lee"), "{shown}");
    // Keys work meanwhile: the filter runs on the old names.
    press(&mut app, "/zed");
    assert!(names(&app).is_empty());
    assert!(screen(&app, 80, 20).contains("No contact matches"));
    app.handle_key(code(KeyCode::Down));
    // The new names arrive: the filter, still typed, finds the new contact.
    names_arrive(&mut app);
    assert_eq!(app.contacts.index.len(), 3);
    assert_eq!(names(&app), ["Zed Quigley"]);
    assert!(screen(&app, 80, 20).contains("Zed Quigley"));
    esc(&mut app);
    press(&mut app, "/robert");
    assert_eq!(
        app.contacts.selected_contact().map(|(_, n)| n).as_deref(),
        Some("Robert Lee")
    );
}

#[test]
fn a_newer_request_supersedes_an_older_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = Desk::new(
        Db::open(&dir.path().join("book.db")).unwrap(),
        clock(),
        Config::default(),
    );
    desk.add_contact(&named("Ana Souza")).unwrap();
    let mut app = App::new(desk).unwrap();
    press(&mut app, "3");
    names_arrive(&mut app);
    for i in 0..5 {
        app.desk.add_contact(&named(&format!("Extra {i}"))).unwrap();
        app.reload();
    }
    names_arrive(&mut app);
    // Only the answer to the last request counts: it has every contact.
    assert_eq!(app.contacts.index.len(), 6);
}
