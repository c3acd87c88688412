//! The screen protocol's own rules: every screen in the table answers it, the global keys
//! stay the app's, and a key goes to the popup on top before anything else.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::clock::Clock;
use crate::ops::Desk;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::Context;
use crate::tui::nav::Target;
use crate::tui::popups::Popup;
use crate::tui::popups::confirm::Confirm;
use crate::tui::popups::contact_edit::ContactEdit;
use crate::tui::popups::help::Help;
use crate::tui::popups::note::{ContactField, NoteForm};
use crate::tui::popups::purge::PurgeForm;
use crate::tui::popups::search::SearchPopup;
use crate::tui::popups::snooze::Snooze;
use crate::tui::screen::Screen;

/// The demo book, so every screen has something to show.
fn app() -> App {
    let mut desk = Desk::in_memory(Clock::fixed(chrono::Local::now())).expect("a book");
    desk.load_demo(false).expect("the demo book");
    App::new(desk).expect("the app")
}

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

/// One screen of every kind, opened through the targets the screens name.
fn every_screen(app: &mut App) -> Vec<Screen> {
    let board = Screen::open(Target::Board, &mut app.desk, &Default::default()).expect("the board");
    let deal_id = match &board {
        Screen::Pipeline(p) => p.selected_id().expect("a deal on the demo board"),
        _ => unreachable!("the board opens as the board"),
    };
    let contact =
        Screen::open(Target::Contact(1), &mut app.desk, &Default::default()).expect("a contact");
    let company_id = (1..100)
        .find_map(|id| {
            match Screen::open(Target::Contact(id), &mut app.desk, &Default::default()) {
                Ok(Screen::Contact(c)) => c.view.contact.company_id,
                _ => None,
            }
        })
        .expect("a demo contact at a company");
    let company = Screen::open(
        Target::Company(company_id),
        &mut app.desk,
        &Default::default(),
    )
    .expect("a company");
    let mut out = vec![Screen::Today, Screen::Contacts, contact, company, board];
    for t in [
        Target::Deal {
            contact_id: 0,
            deal_id,
        },
        Target::Reports,
        Target::Call,
    ] {
        out.push(Screen::open(t, &mut app.desk, &Default::default()).expect("the screen opens"));
    }
    out
}

#[test]
fn every_screen_kind_answers_the_protocol() {
    let mut app = app();
    let screens = every_screen(&mut app);
    let mut kinds: Vec<&str> = screens.iter().map(Screen::kind).collect();
    kinds.sort_unstable();
    let mut all = Screen::KINDS.to_vec();
    all.sort_unstable();
    assert_eq!(kinds, all, "one screen of each kind in the table");
    let tabs = [
        Action::TabToday,
        Action::TabPipeline,
        Action::TabContacts,
        Action::TabReports,
    ];
    for s in screens {
        let name = s.kind();
        app.screen = s;
        let contexts = app.page().contexts();
        assert!(!contexts.is_empty(), "{name}: no contexts");
        assert!(
            !app.keymap.hints(&contexts).is_empty(),
            "{name}: nothing for the hint bar"
        );
        assert!(
            tabs.contains(&app.page().next_tab()),
            "{name}: Tab goes nowhere"
        );
        // The global actions stay the app's: no screen takes them.
        for a in [Action::Quit, Action::Help, Action::Undo, Action::Note] {
            let taken = app.with_page(|p, cx| p.act(a, cx));
            assert!(matches!(taken, Ok(false)), "{name} took {a:?}");
        }
        let mut term = Terminal::new(TestBackend::new(100, 30)).expect("a test terminal");
        term.draw(|f| app.render(f)).expect("it draws");
    }
}

#[test]
fn the_popup_on_top_gets_the_key_first() {
    let mut app = app();
    app.handle_key(key('n'));
    assert!(matches!(app.popup, Some(Popup::Note(_))), "n opens a note");
    // `q` quits anywhere else; in the note it is a letter.
    app.handle_key(key('q'));
    assert!(!app.should_quit());
    assert!(matches!(app.popup, Some(Popup::Note(_))));
    assert_eq!(app.contexts(), vec![Context::Form]);
    // Without the popup the same key reaches the global keys.
    app.popup = None;
    app.handle_key(key('q'));
    assert!(app.should_quit());
}

#[test]
fn every_popup_hint_has_a_key_in_its_context() {
    let app = app();
    let popups = vec![
        Popup::Help(Help::at(vec![Context::Today, Context::Global])),
        Popup::Confirm(Confirm {
            question: "Leave? y/n",
            back: None,
        }),
        Popup::Snooze(Snooze::new(1, 1, "call with Ada".into())),
        Popup::AddContact(Box::default()),
        Popup::ContactEdit(Box::new(ContactEdit::new_contact())),
        Popup::Purge(Box::new(PurgeForm::new(1, "Ada"))),
        Popup::Note(Box::new(NoteForm::new(
            ContactField::Fixed(1, "Ada".into()),
            None,
        ))),
        Popup::Search(Box::new(SearchPopup::new(&app.desk))),
    ];
    for p in popups {
        let (ctx, actions) = p.dialog().hints();
        assert_eq!(ctx, p.dialog().context(), "{p:?}");
        for a in actions {
            assert!(
                !app.keymap.keys_of(ctx, *a).is_empty(),
                "{a:?} has no key in {ctx:?}"
            );
        }
    }
}

/// The screens' files, with the screen module each belongs to.
const SCREEN_FILES: &[(&str, &str)] = &[
    ("call", include_str!("screens/call.rs")),
    ("call", include_str!("screens/call_view.rs")),
    ("company", include_str!("screens/company.rs")),
    ("contact", include_str!("screens/contact.rs")),
    ("contact", include_str!("screens/contact_keys.rs")),
    ("contact", include_str!("screens/contact_full.rs")),
    ("contacts", include_str!("screens/contacts.rs")),
    ("contacts", include_str!("screens/contacts_keys.rs")),
    ("deal", include_str!("screens/deal.rs")),
    ("deal", include_str!("screens/deal_page.rs")),
    ("pipeline", include_str!("screens/pipeline.rs")),
    ("pipeline", include_str!("screens/pipeline_keys.rs")),
    ("pipeline", include_str!("screens/pipeline_columns.rs")),
    ("reports", include_str!("screens/reports.rs")),
    ("reports", include_str!("screens/reports_view.rs")),
    ("today", include_str!("screens/today.rs")),
    ("today", include_str!("screens/today_keys.rs")),
];

#[test]
fn no_screen_imports_another_and_the_worker_names_none() {
    let screens = [
        "call", "company", "contact", "contacts", "deal", "pipeline", "reports", "today",
    ];
    for (own, text) in SCREEN_FILES {
        for other in screens.iter().filter(|s| *s != own) {
            for path in [format!("screens::{other}::"), format!("super::{other}::")] {
                assert!(!text.contains(&path), "a {own} file imports {path}");
            }
        }
    }
    let worker = include_str!("worker.rs");
    assert!(!worker.contains("screens::") && !worker.contains("popups::"));
}
