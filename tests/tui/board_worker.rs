//! The pipeline board on a book in a file: `2` asks a worker thread for the deals and draws
//! at once; the cards come when the answer does, and the keys work on them after.

use crate::support::tui::*;
use salesdesk::config::Config;
use salesdesk::domain::deal::NewDeal;
use salesdesk::ops::Desk;
use salesdesk::storage::Db;
use salesdesk::storage::deals;
use salesdesk::tui::App;
use salesdesk::tui::app::Screen;

/// Ticks the app (as its loop does) until nothing is awaited from a worker.
fn board_arrives(app: &mut App) {
    let start = std::time::Instant::now();
    while app.waiting() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "the worker never answered"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
        app.tick();
    }
}

#[test]
fn the_board_is_read_on_the_worker_and_moves_work_after() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = Desk::new(
        Db::open(&dir.path().join("book.db")).unwrap(),
        clock(),
        Config::default(),
    );
    let ana = contact(&mut desk, "Ana Souza", Some("Acme"), None);
    let id = desk
        .add_deal(&NewDeal {
            title: "Acme rollout".into(),
            contact_id: ana,
            value_cents: 1_200_000,
            currency: "USD".into(),
            stage: "Lead".into(),
            expected_close: None,
        })
        .unwrap();
    let mut app = App::new(desk).unwrap();
    press(&mut app, "2");
    // The key only asked: the frame after it says so, and the loop will look again soon.
    assert!(matches!(&app.screen, Screen::Pipeline(p) if p.pending()));
    assert!(app.waiting());
    let at_once = screen(&app, 100, 20);
    assert!(at_once.contains("Reading the board…"), "{at_once}");

    board_arrives(&mut app);
    let board = screen(&app, 100, 20);
    assert!(board.contains("Acme rollout"), "{board}");
    // A move on what arrived goes through the ops, as on a board read inline.
    press(&mut app, ">");
    let d = app.desk.db.read(|c| deals::get(c, id)).unwrap();
    assert_eq!(d.stage, "Qualified");
    // Another window's change is read again on the worker too, keeping the selection.
    app.reload();
    board_arrives(&mut app);
    let Screen::Pipeline(p) = &app.screen else {
        panic!("left the board")
    };
    assert_eq!(p.selected().map(|b| b.deal.id), Some(id));
}

/// Enter while the answer to the last letters typed is on its way opens the first hit of that
/// answer, not of the earlier one still on screen.
#[test]
fn enter_before_the_search_answers_opens_the_hit_of_what_was_typed() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = Desk::new(
        Db::open(&dir.path().join("book.db")).unwrap(),
        clock(),
        Config::default(),
    );
    contact(&mut desk, "Bea Grant", None, None);
    let zed = contact(&mut desk, "Zed Brown", None, None);
    let mut app = App::new(desk).unwrap();
    app.handle_key(ctrl('f'));
    press(&mut app, "b");
    let start = std::time::Instant::now();
    while app.popup.as_ref().is_some_and(|p| p.dialog().waiting()) {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "no answer"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
        app.tick();
    }
    // "b" answered (Bea first); "bro" typed and Enter before its answer is picked up.
    press(&mut app, "ro");
    enter(&mut app);
    while app.popup.is_some() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "never opened"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
        app.tick();
    }
    assert!(
        matches!(&app.screen, Screen::Contact(c) if c.view.contact.id == zed),
        "{}",
        screen(&app, 80, 24)
    );
}
