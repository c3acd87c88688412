//! Contacts, the contact and company views, notes of the timeline, and search (Ctrl-f).

use crate::support::tui::*;
use chrono::{Local, TimeZone};
use insta::assert_snapshot;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use salesdesk::domain::contact::ContactFields;
use salesdesk::domain::note::{NoteKind, Outcome};
use salesdesk::ops::notes::NoteInput;
use salesdesk::storage::{contacts, notes};
use salesdesk::tui::App;
use salesdesk::tui::app::{Request, Screen};
use salesdesk::tui::popups::Popup;

fn contacts_screen() -> (App, Seed) {
    let (mut app, s) = app();
    press(&mut app, "3");
    (app, s)
}

/// Thirty notes on Ana over the last month, newest first in the timeline.
fn long_timeline(app: &mut App, ana: i64) {
    let kinds = [
        NoteKind::Call,
        NoteKind::Email,
        NoteKind::Meeting,
        NoteKind::Note,
    ];
    for i in 0..30u32 {
        let day = 1 + (i * 22 / 30);
        app.desk.clock = clock_at(day, 9 + (i % 8), 0);
        let mut n = NoteInput::new(
            ana,
            format!("Note number {i}: talked about the rollout plan\nsecond line {i}"),
        );
        n.kind = kinds[i as usize % 4];
        if n.kind == NoteKind::Call {
            n.outcome = Some(if i % 3 == 0 {
                Outcome::Voicemail
            } else {
                Outcome::Connected
            });
        }
        n.raw = true;
        app.desk.log_note(&n).unwrap();
    }
    app.desk.clock = clock();
}

fn open_contact(app: &mut App, filter: &str) {
    press(app, "3/");
    press(app, filter);
    enter(app);
    enter(app);
    assert!(
        matches!(app.screen, Screen::Contact(_)),
        "{}",
        screen(app, 100, 30)
    );
}

#[test]
fn the_table() {
    let (app, _) = contacts_screen();
    assert_snapshot!("contacts_table", screen(&app, 100, 16));
    assert_snapshot!("contacts_table_80", screen(&app, 80, 16));
}

/// `o` walks whose contacts a team's table shows (tests/e2e/team.rs); a personal book has one
/// owner, and says so, the table left whole.
#[test]
fn o_on_a_personal_book_says_it_has_one_owner() {
    let (mut app, _) = contacts_screen();
    let before = app.contacts.shown.len();
    press(&mut app, "o");
    assert!(
        status(&app).contains("a personal book has one user"),
        "{}",
        status(&app)
    );
    assert_eq!(app.contacts.shown.len(), before);
    assert!(!screen(&app, 100, 16).contains("yours"));
}

#[test]
fn filter_as_you_type_accents_ignored() {
    let (mut app, s) = contacts_screen();
    press(&mut app, "/zoe");
    assert_snapshot!("contacts_filter", screen(&app, 100, 16));
    assert_eq!(app.contacts.selected_id(), Some(s.zoe));
    // Fuzzy: letters in order, not next to each other.
    app.handle_key(code(KeyCode::Backspace));
    app.handle_key(code(KeyCode::Backspace));
    app.handle_key(code(KeyCode::Backspace));
    press(&mut app, "asz");
    assert_eq!(app.contacts.selected_id(), Some(s.ana));
    assert_eq!(app.contacts.shown.len(), 1);
    // Enter keeps the filter, Esc then clears it.
    enter(&mut app);
    assert!(!app.contacts.filter.typing);
    assert_eq!(app.contacts.filter.input.text(), "asz");
    esc(&mut app);
    assert_eq!(app.contacts.filter.input.text(), "");
    assert_eq!(app.contacts.shown.len(), 5);
    assert_eq!(app.contacts.selected_id(), Some(s.ana));
    // Nothing matches: the screen says so.
    press(&mut app, "/qqqq");
    assert!(screen(&app, 100, 16).contains("No contact matches “qqqq”"));
    esc(&mut app);
    assert_eq!(app.contacts.shown.len(), 5);
}

#[test]
fn sort_and_archived() {
    let (mut app, s) = contacts_screen();
    let first = |app: &App| app.contacts.selected_contact().unwrap().1;
    assert_eq!(first(&app), "Ana Souza");
    press(&mut app, "s"); // company
    assert!(screen(&app, 100, 16).contains("Company ↓"));
    assert_eq!(first(&app), "Ana Souza"); // the selection stays on the same contact
    press(&mut app, "g");
    assert_eq!(first(&app), "Ana Souza"); // Acme
    press(&mut app, "S");
    press(&mut app, "g");
    assert_eq!(first(&app), "山田太郎"); // 株式会社サンプル sorts last, so first reversed
    press(&mut app, "ssss"); // next follow-up
    press(&mut app, "g");
    assert_eq!(first(&app), "Ana Souza"); // due the 20th, the oldest
    app.desk.set_archived(s.bob, true).unwrap();
    app.reload();
    assert_eq!(app.contacts.shown.len(), 4);
    press(&mut app, "H");
    assert_eq!(app.contacts.shown.len(), 5);
    assert!(screen(&app, 100, 16).contains("Bob Lee (archived)"));
}

#[test]
fn contact_view_with_a_long_timeline() {
    let (mut app, s) = app();
    long_timeline(&mut app, s.ana);
    open_contact(&mut app, "ana");
    assert_snapshot!("contact_view", screen(&app, 100, 40));
    // j walks the timeline and the view follows the selected note.
    press(&mut app, "jjjjjjjjjj");
    let shown = screen(&app, 100, 30);
    assert!(shown.contains("▶"), "{shown}");
    assert!(shown.contains("Note number 19"), "{shown}");
    assert_snapshot!("contact_view_scrolled", shown);
}

#[test]
fn company_view_from_a_contact() {
    let (mut app, s) = app();
    let ana2 = contact(&mut app.desk, "Anders Berg", Some("ACME"), None);
    long_timeline(&mut app, s.ana);
    let _ = ana2;
    open_contact(&mut app, "ana souza");
    press(&mut app, "C");
    assert!(matches!(app.screen, Screen::Company(_)));
    assert_snapshot!("company_view", screen(&app, 100, 30));
    // Enter on the second person opens them; Back returns to the company, then to Ana.
    press(&mut app, "j");
    enter(&mut app);
    match &app.screen {
        Screen::Contact(c) => assert_eq!(c.view.contact.name, "Anders Berg"),
        _ => panic!("not a contact"),
    }
    esc(&mut app);
    assert!(matches!(app.screen, Screen::Company(_)));
    esc(&mut app);
    assert!(matches!(app.screen, Screen::Contact(_)));
    esc(&mut app);
    assert!(matches!(app.screen, Screen::Contacts));
}

#[test]
fn note_popup_shows_what_the_commands_will_do() {
    let (mut app, s) = app();
    open_contact(&mut app, "ana");
    press(&mut app, "n");
    press(
        &mut app,
        "Sent the numbers, they want a proposal @fri #proposal",
    );
    let shown = screen(&app, 100, 30);
    assert_snapshot!("note_popup_preview", shown);
    assert!(shown.contains("deal #1 Acme rollout → Proposal"), "{shown}");
    assert!(shown.contains("next follow-up Fri 27 Nov"), "{shown}");
    enter(&mut app);
    assert!(app.popup.is_none(), "{}", status(&app));
    let d = app
        .desk
        .db
        .read(|c| salesdesk::storage::deals::get(c, s.deal))
        .unwrap();
    assert_eq!(d.stage, "Proposal");
}

/// A private note says so in the timeline; a personal book names no author (its one user
/// wrote everything) nor an owner.
#[test]
fn a_private_note_says_so_and_a_personal_book_names_no_author() {
    let (mut app, s) = app();
    let mut n = NoteInput::new(s.ana, "Budget is tight, keep it between us");
    n.private = true;
    app.desk.log_note(&n).unwrap();
    open_contact(&mut app, "ana");
    let shown = screen(&app, 100, 40);
    assert!(shown.contains("· note · private"), "{shown}");
    assert!(
        !shown.contains(" by ") && !shown.contains("owner"),
        "{shown}"
    );
}

#[test]
fn edit_and_delete_a_note_with_undo() {
    let (mut app, s) = app();
    long_timeline(&mut app, s.ana);
    open_contact(&mut app, "ana");
    let newest = match &app.screen {
        Screen::Contact(c) => c.view.notes[0].clone(),
        _ => unreachable!(),
    };
    press(&mut app, "E");
    assert!(matches!(app.popup, Some(Popup::NoteEdit(_))));
    app.handle_key(ctrl('u'));
    press(&mut app, " (edited)");
    enter(&mut app);
    let n = app.desk.db.read(|c| notes::get(c, newest.id)).unwrap();
    assert!(n.body.ends_with("(edited)"), "{}", n.body);
    press(&mut app, "u");
    let n = app.desk.db.read(|c| notes::get(c, newest.id)).unwrap();
    assert_eq!(n.body, newest.body);
    // Delete the second note, then undo brings it back.
    press(&mut app, "j");
    let second = match &app.screen {
        Screen::Contact(c) => c.selected_note().unwrap().id,
        _ => unreachable!(),
    };
    press(&mut app, "d");
    assert!(status(&app).contains("deleted a note on Ana Souza"));
    assert!(app.desk.db.read(|c| notes::get(c, second)).is_err());
    press(&mut app, "u");
    assert!(app.desk.db.read(|c| notes::get(c, second)).is_ok());
}

#[test]
fn search_popup_results_as_you_type() {
    let (mut app, s) = app();
    app.desk
        .log_note(&NoteInput::new(
            s.bob,
            "Lunch with the Acme team about onboarding",
        ))
        .unwrap();
    press(&mut app, "3");
    app.handle_key(ctrl('f'));
    press(&mut app, "acme");
    let shown = screen(&app, 100, 30);
    assert_snapshot!("search_popup", shown);
    assert!(shown.contains("Acme rollout"));
    // The same ranking as `salesdesk search`.
    let cli = app
        .desk
        .db
        .read(|c| salesdesk::storage::search::search(c, "acme", 50))
        .unwrap();
    match &app.popup {
        Some(Popup::Search(p)) => assert_eq!(p.hits, cli),
        _ => panic!("no search popup"),
    }
    // A phone number by a piece of it; Enter opens the contact.
    for _ in 0..4 {
        app.handle_key(code(KeyCode::Backspace));
    }
    press(&mut app, "0101");
    enter(&mut app);
    match &app.screen {
        Screen::Contact(c) => assert_eq!(c.id, s.ana),
        _ => panic!("not opened: {}", screen(&app, 100, 30)),
    }
    // A note opens its contact with the note selected.
    app.handle_key(ctrl('f'));
    press(&mut app, "onboard");
    enter(&mut app);
    match &app.screen {
        Screen::Contact(c) => {
            assert_eq!(c.id, s.bob);
            assert!(c.selected_note().unwrap().body.contains("onboarding"));
        }
        _ => panic!("not opened"),
    }
}

#[test]
fn edit_form_changes_every_field() {
    let (mut app, s) = app();
    open_contact(&mut app, "ana");
    press(&mut app, "e");
    assert_snapshot!("contact_edit", screen(&app, 100, 30));
    // Title, then status, temperature, cadence.
    tab(&mut app);
    tab(&mut app);
    press(&mut app, "CTO");
    for _ in 0..5 {
        tab(&mut app);
    }
    app.handle_key(ctrl('u'));
    press(&mut app, "prospect");
    tab(&mut app);
    press(&mut app, "hot");
    tab(&mut app);
    press(&mut app, "30d");
    enter(&mut app);
    assert!(app.popup.is_none(), "{}", status(&app));
    let c = app.desk.db.read(|c| contacts::get(c, s.ana)).unwrap();
    assert_eq!(c.title.as_deref(), Some("CTO"));
    assert_eq!(c.status.to_string(), "prospect");
    assert_eq!(c.cadence_days, Some(30));
    assert_eq!(c.temperature.map(|t| t.to_string()).as_deref(), Some("hot"));
    // A bad temperature is refused and the form stays.
    press(&mut app, "e");
    for _ in 0..8 {
        tab(&mut app);
    }
    app.handle_key(ctrl('u'));
    press(&mut app, "tepid");
    enter(&mut app);
    assert!(app.popup.is_some());
    assert!(status(&app).contains("tepid"), "{}", status(&app));
}

#[test]
fn edit_form_scrolls_to_keep_the_focused_field_in_sight() {
    let (mut app, _) = app();
    open_contact(&mut app, "ana");
    press(&mut app, "e");
    // Shift-Tab from the first field: the last one, Referrer.
    app.handle_key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT));
    let s = screen(&app, 80, 24);
    assert!(s.contains("›Referrer"), "{s}");
    assert_snapshot!("contact_edit_last_field_80x24", s);
    // At the smallest size drawn, the fields scroll: the focus shows, and what is above is
    // counted.
    let s = screen(&app, 80, 16);
    assert!(s.contains("›Referrer") && s.contains("↑ 5 more"), "{s}");
    assert!(!s.contains("›Name") && !s.contains(" Name "), "{s}");
    assert_snapshot!("contact_edit_last_field_80x16", s);
    // Typing goes into the field in sight, where a name completes, and Tab wraps back to
    // the top.
    press(&mut app, "bob");
    assert!(
        screen(&app, 80, 16).contains("= Bob Lee"),
        "{}",
        screen(&app, 80, 16)
    );
    tab(&mut app);
    let s = screen(&app, 80, 16);
    assert!(s.contains("›Name") && s.contains("↓ 5 more"), "{s}");
    enter(&mut app);
    assert!(app.popup.is_none(), "{}", status(&app));
    let ana = app.desk.resolve_contact("ana").unwrap();
    let referrer = app
        .desk
        .contact(ana)
        .unwrap()
        .referred_by
        .expect("a referrer");
    assert_eq!(referrer.name, "Bob Lee");
}

#[test]
fn add_a_contact_from_the_table() {
    let (mut app, _) = contacts_screen();
    press(&mut app, "a");
    press(&mut app, "José Núñez");
    tab(&mut app);
    press(&mut app, "Acme");
    tab(&mut app);
    tab(&mut app);
    press(&mut app, "jose@acme.com");
    enter(&mut app);
    match &app.screen {
        Screen::Contact(c) => assert_eq!(c.view.contact.name, "José Núñez"),
        _ => panic!("{}", status(&app)),
    }
    esc(&mut app);
    press(&mut app, "/jose nu");
    assert_eq!(app.contacts.selected_contact().unwrap().1, "José Núñez");
}

#[test]
fn merge_and_purge() {
    let (mut app, s) = app();
    let dup = contact(&mut app.desk, "Ana S.", None, Some("+1 555 9999"));
    open_contact(&mut app, "ana s.");
    press(&mut app, "m");
    press(&mut app, "souza");
    enter(&mut app);
    match &app.screen {
        Screen::Contact(c) => {
            assert_eq!(c.id, s.ana);
            assert!(c.view.contact.phones.iter().any(|p| p.contains("9999")));
        }
        _ => panic!("{}", status(&app)),
    }
    assert!(app.desk.db.read(|c| contacts::get(c, dup)).is_err());
    // Purge wants the name typed exactly.
    press(&mut app, "P");
    press(&mut app, "Ana");
    enter(&mut app);
    assert!(app.popup.is_some());
    assert!(status(&app).contains("type the contact's name"));
    assert_snapshot!("purge_popup", screen(&app, 80, 24));
    press(&mut app, " Souza");
    enter(&mut app);
    assert!(matches!(app.screen, Screen::Contacts));
    assert!(
        status(&app).starts_with("purged Ana Souza"),
        "{}",
        status(&app)
    );
    assert!(app.desk.db.read(|c| contacts::get(c, s.ana)).is_err());
}

#[test]
fn copy_and_open_go_to_the_loop() {
    let (mut app, _) = app();
    open_contact(&mut app, "ana");
    press(&mut app, "y");
    assert_eq!(
        app.take_request(),
        Some(Request::Copy("ana@example.com".into()))
    );
    press(&mut app, "Y");
    assert_eq!(
        app.take_request(),
        Some(Request::Copy("+1 555 0101".into()))
    );
    press(&mut app, "o");
    assert_eq!(
        app.take_request(),
        Some(Request::Open("mailto:ana@example.com".into()))
    );
    press(&mut app, "O");
    assert_eq!(
        app.take_request(),
        Some(Request::Open("tel:+15550101".into()))
    );
    press(&mut app, "A");
    assert!(status(&app).starts_with("archived Ana Souza"));
    press(&mut app, "u");
    assert!(status(&app).contains("undid"));
}

#[test]
fn tiny_and_wide_terminals_do_not_panic() {
    let (mut app, s) = app();
    long_timeline(&mut app, s.ana);
    press(&mut app, "3");
    for (w, h) in [(20, 5), (50, 16), (200, 60)] {
        screen(&app, w, h);
    }
    open_contact(&mut app, "ana");
    press(&mut app, "C");
    for (w, h) in [(20, 5), (50, 16), (200, 60)] {
        screen(&app, w, h);
    }
    app.handle_key(ctrl('f'));
    press(&mut app, "a");
    for (w, h) in [(20, 5), (50, 16), (200, 60)] {
        screen(&app, w, h);
    }
}

#[test]
fn a_thousand_contacts_page_and_scroll() {
    let (mut app, _) = app();
    for i in 0..1000 {
        app.desk
            .add_contact(&ContactFields {
                name: Some(format!("Person {i:04}")),
                ..Default::default()
            })
            .unwrap();
    }
    press(&mut app, "3");
    screen(&app, 100, 30);
    press(&mut app, "G");
    let shown = screen(&app, 100, 30);
    assert!(shown.contains("Zoë"), "{shown}");
    assert!(app.contacts.page.len() <= 120);
    app.handle_key(KeyEvent::new(KeyCode::PageUp, KeyModifiers::NONE));
    press(&mut app, "g/person 0999");
    let shown = screen(&app, 100, 30);
    assert!(shown.contains("Person 0999"), "{shown}");
    let _ = Local.timestamp_opt(0, 0);
}
