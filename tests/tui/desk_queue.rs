//! The desk's queue (what a book on a server uses): keys' reads and writes on a worker thread.
//! Turned on here for a book in a file, so it runs without a server: the same keys on two
//! books seeded alike, one app doing its work on the UI thread and one on the queue, draw
//! the same screens once the queue has answered; while it has not, the key has returned and
//! the frame shows the last state.

use crate::support::Book;
use crate::support::tui::*;
use salesdesk::config::Config;
use salesdesk::ops::Desk;
use salesdesk::storage::Db;
use salesdesk::tui::App;

fn file_app(dir: &tempfile::TempDir, queue: bool) -> App {
    let mut desk = Desk::new(
        Db::open(&dir.path().join("book.db")).unwrap(),
        clock(),
        Config::default(),
    );
    seed(&mut desk);
    App::new(desk).unwrap().with_workers(queue)
}

/// A step of the script: keys, or a named special key.
enum K {
    Keys(&'static str),
    Enter,
    Esc,
}

fn apply(app: &mut App, k: &K) {
    match k {
        K::Keys(s) => press(app, s),
        K::Enter => enter(app),
        K::Esc => esc(app),
    }
}

/// The script both apps are driven by: every key that reads or writes the book.
fn script() -> Vec<K> {
    vec![
        // Open a contact and come back; done and undo; a snooze.
        K::Enter,
        K::Esc,
        K::Keys("j"),
        K::Keys("x"),
        K::Keys("u"),
        K::Keys("s1"),
        // A note for the selected contact, saved.
        K::Keys("nCalled about the pricing"),
        K::Enter,
        // Popups that read before they open: edit a follow-up, a new one.
        K::Keys("e"),
        K::Esc,
        K::Keys("f"),
        K::Esc,
        // The board: move the deal on, open it, back, undo the move.
        K::Keys("2"),
        K::Keys("l"),
        K::Keys(">"),
        K::Keys("L"),
        K::Esc,
        K::Enter,
        K::Esc,
        K::Keys("u"),
        // Contacts, a contact from there, archive and undo.
        K::Keys("3"),
        K::Enter,
        K::Keys("A"),
        K::Keys("u"),
        K::Keys("1"),
        // Call mode: a call logged with a next step, the next contact up; another skipped.
        K::Keys("F"),
        K::Keys("cWants a quote"),
        K::Enter,
        K::Keys("w"),
        K::Keys("s"),
        K::Esc,
        K::Keys("u"),
    ]
}

/// Drives both apps key by key, the screens compared once each has settled.
fn same_screens(here: &mut App, queued: &mut App) {
    for (i, k) in script().iter().enumerate() {
        apply(here, k);
        apply(queued, k);
        settled(here);
        settled(queued);
        let (a, b) = (screen(here, 100, 24), screen(queued, 100, 24));
        assert_eq!(a, b, "step {i}: the queue drew otherwise");
    }
    assert!(status(queued).contains("undid"), "{}", status(queued));
}

#[test]
fn the_queue_draws_what_the_ui_thread_draws_key_by_key() {
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut here = file_app(&d1, false);
    let mut queued = file_app(&d2, true);
    same_screens(&mut here, &mut queued);
}

/// On a server book the queue is on by itself, and the same keys draw what they draw on a
/// book in a file worked on the UI thread.
#[test]
fn on_a_server_the_keys_draw_what_they_draw_on_sqlite() {
    let Some(book) = Book::server() else { return };
    let mut desk = Desk::new(Db::open(&book.db).unwrap(), clock(), Config::default());
    seed(&mut desk);
    let mut server = App::new(desk).unwrap();
    enter(&mut server);
    assert!(server.busy(), "the open went to the desk's queue");
    esc(&mut server);
    settled(&mut server);
    let dir = tempfile::tempdir().unwrap();
    let mut here = file_app(&dir, false);
    same_screens(&mut here, &mut server);
}

#[test]
fn a_key_returns_before_the_open_has_read_and_keys_typed_meanwhile_wait_for_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = file_app(&dir, true);
    settled(&mut app);
    let before = screen(&app, 100, 24);
    // Enter asks the queue for the contact's page, then `j` is typed ahead.
    enter(&mut app);
    press(&mut app, "j");
    assert!(app.busy(), "the open is in flight");
    let meanwhile = screen(&app, 100, 24);
    // The last state, and a quiet mark in the corner.
    assert!(meanwhile.contains("TODAY"), "{meanwhile}");
    assert_ne!(meanwhile, before);
    assert!(
        meanwhile.lines().next().unwrap().contains('…'),
        "{meanwhile}"
    );
    settled(&mut app);
    let opened = screen(&app, 100, 24);
    assert!(opened.contains("› Ana Souza"), "{opened}");
    assert!(!opened.lines().next().unwrap().contains('…'), "{opened}");
    // The `j` typed ahead went to the contact's page, not to Today.
    let other_dir = tempfile::tempdir().unwrap();
    let mut direct = file_app(&other_dir, false);
    enter(&mut direct);
    press(&mut direct, "j");
    settled(&mut direct);
    assert_eq!(screen(&direct, 100, 24), opened);
}

#[test]
fn writes_land_in_the_order_typed_and_a_failed_one_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = file_app(&dir, true);
    settled(&mut app);
    // Two follow-ups done and both undone, typed faster than the queue answers.
    press(&mut app, "xxuu");
    settled(&mut app);
    let after = screen(&app, 100, 24);
    assert!(
        after.contains("OVERDUE (1)") && after.contains("TODAY (2)"),
        "{after}"
    );
    assert!(status(&app).starts_with("undid marking done: call with Ana"));
    // As on the UI thread, typed as fast.
    let other_dir = tempfile::tempdir().unwrap();
    let mut direct = file_app(&other_dir, false);
    settled(&mut direct);
    press(&mut direct, "xxuu");
    settled(&mut direct);
    assert_eq!(after, screen(&direct, 100, 24), "all four writes, in order");
    // The follow-up changes behind the app's back: `x` on the old version fails, and says
    // so on the status line.
    let mut other = Desk::new(
        Db::open(&dir.path().join("book.db")).unwrap(),
        clock(),
        Config::default(),
    );
    let selected = app.today.selected_follow_up().unwrap().clone();
    other
        .snooze_follow_up(selected.id, day(25), Some(selected.version))
        .unwrap();
    press(&mut app, "x");
    settled(&mut app);
    let s = app.status.clone().unwrap();
    assert!(s.error, "{}", s.text);
}
