//! A popup's contact field on a book in a file: the choices are read on a worker as letters
//! are typed, so no key waits for a search of the book (one letter matches most of a large
//! book's contacts); a key that picks among them (Enter) waits for the choices of what was
//! typed, so the contact typed is the one picked however fast the keys come.

use std::time::{Duration, Instant};

use crate::support::tui::*;
use ratatui::crossterm::event::KeyCode;
use salesdesk::config::Config;
use salesdesk::domain::contact::ContactFields;
use salesdesk::ops::Desk;
use salesdesk::storage::{Db, notes};
use salesdesk::tui::App;
use salesdesk::tui::popups::Popup;
use salesdesk::tui::popups::note::ContactField;

/// The names the note form's contact field offers.
fn offered(app: &App) -> Vec<String> {
    match &app.popup {
        Some(Popup::Note(form)) => match &form.contact {
            ContactField::Pick(c) => c.candidates.iter().map(|(_, l)| l.clone()).collect(),
            ContactField::Fixed(..) => panic!("a contact to pick"),
        },
        p => panic!("the note form, not {p:?}"),
    }
}

/// Ticks the app, as its loop does, until no answer is awaited.
fn answered(app: &mut App) {
    let start = Instant::now();
    while app.waiting() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the worker never answered"
        );
        std::thread::sleep(Duration::from_millis(2));
        app.tick();
    }
}

#[test]
fn a_contact_field_reads_its_choices_on_a_worker_and_enter_picks_what_was_typed() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut desk = Desk::new(
        Db::open(&dir.path().join("book.db")).expect("a book"),
        clock(),
        Config::default(),
    );
    let named = |name: &str| ContactFields {
        name: Some(name.into()),
        ..Default::default()
    };
    let ana = desk.add_contact(&named("Ana Souza")).expect("ana");
    desk.add_contact(&named("Bob Lee")).expect("bob");
    let mut app = App::new(desk).expect("the app");
    // Nothing is due, so Today has no selection: the note is for a contact to pick.
    press(&mut app, "n");
    answered(&mut app);
    assert_eq!(offered(&app), ["Ana Souza", "Bob Lee"]);

    press(&mut app, "bob");
    // The keys only asked: the choices shown are still the last ones read.
    assert!(app.waiting(), "the loop looks again soon");
    assert_eq!(offered(&app), ["Ana Souza", "Bob Lee"]);
    answered(&mut app);
    assert_eq!(offered(&app), ["Bob Lee"]);

    // Enter straight after typing: the choices of "ana" are waited for, and Ana is picked.
    for _ in 0..3 {
        app.handle_key(code(KeyCode::Backspace));
    }
    press(&mut app, "ana");
    enter(&mut app);
    assert_eq!(offered(&app), ["Ana Souza"]);
    press(&mut app, "called about the rollout");
    enter(&mut app);
    assert!(app.popup.is_none(), "saved: {}", status(&app));
    let saved = app
        .desk
        .db
        .read(|c| notes::for_contact(c, ana, 5))
        .expect("read");
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].body, "called about the rollout");
}

/// A contact field given more text than any name holds (a paste of pages) looks up its first
/// 200 characters, as one name's worth, not thousands of words: here the word past them is
/// not asked for, so Bob is still offered.
#[test]
fn a_contact_field_looks_up_the_start_of_a_paste_longer_than_any_name() {
    let mut d = desk();
    seed(&mut d);
    let pasted = format!("bob{}zzz", " ".repeat(300));
    let offered: Vec<String> = d
        .contact_choices(&pasted, 5)
        .expect("the choices")
        .into_iter()
        .map(|(_, label)| label)
        .collect();
    assert_eq!(offered.len(), 1, "{offered:?}");
    assert!(offered[0].starts_with("Bob Lee"), "{offered:?}");
    assert!(
        d.contact_choices("bob zzz", 5)
            .expect("the choices")
            .is_empty()
    );
}
