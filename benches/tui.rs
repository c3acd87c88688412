//! The TUI's budgets: the time from start to the first frame, and from a key to the next
//! frame, drawn into ratatui's TestBackend (the terminal write itself is left out).
//!
//!     cargo bench --bench tui                          # the demo book
//!     SALESDESK_BENCH_BOOK=/tmp/bench/b20k.db cargo bench --bench tui
//!
//! `SALESDESK_NOW` fixes "now" as for the CLI. The book given is written to by `done_undo`
//! (a follow-up marked done, then the change undone), and left as it was found.

mod support;

use std::cell::RefCell;

use divan::Bencher;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use salesdesk::tui::App;
use support::{BOOK, open};

fn main() {
    divan::main();
}

fn term() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(100, 30)).expect("a test terminal")
}

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

/// Open the book, load Today, draw: what happens before the first frame shows.
#[divan::bench]
fn first_frame(b: Bencher) {
    let path = &BOOK.1;
    b.bench_local(|| {
        let app = App::new(open(path)).expect("the app starts");
        let mut t = term();
        t.draw(|f| app.render(f)).expect("draws");
    });
}

/// A key that moves the selection, and the frame after it.
#[divan::bench]
fn key_move(b: Bencher) {
    let mut app = App::new(open(&BOOK.1)).expect("the app starts");
    let mut t = term();
    let mut down = true;
    b.bench_local(|| {
        down = !down;
        app.handle_key(key(if down { 'j' } else { 'k' }));
        t.draw(|f| app.render(f)).expect("draws");
    });
}

/// Open the help and close it again, a frame after each.
#[divan::bench]
fn key_help(b: Bencher) {
    let mut app = App::new(open(&BOOK.1)).expect("the app starts");
    let mut t = term();
    b.bench_local(|| {
        app.handle_key(key('?'));
        t.draw(|f| app.render(f)).expect("draws");
        app.handle_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
        t.draw(|f| app.render(f)).expect("draws");
    });
}

/// `x` then `u`, a frame after each. On a book in a file: two transactions (each synced to
/// disk), Today's lists asked of its worker. On a server the writes go to the desk's queue
/// and the key returns at once: what is timed is the key and its frame; the answers are
/// waited for between samples, untimed (`answer_done_undo` times them).
#[divan::bench(sample_count = 50, sample_size = 1)]
fn key_done_undo(b: Bencher) {
    let app = RefCell::new(App::new(open(&BOOK.1)).expect("the app starts"));
    let mut t = term();
    b.with_inputs(|| settle(&app)).bench_local_values(|()| {
        let mut app = app.borrow_mut();
        app.handle_key(key('g'));
        app.handle_key(key('x'));
        t.draw(|f| app.render(f)).expect("draws");
        app.handle_key(key('u'));
        t.draw(|f| app.render(f)).expect("draws");
        // As the loop does: an answer from the worker is installed when it has come.
        app.tick();
    });
    // The last undo may still be on the desk's queue: the book is left as it was found.
    app.borrow_mut().settle();
}

/// `x` then `u` until both answers are on screen: on a server, the queue's two round trips
/// and Today's lists; on a book in a file, the same as `key_done_undo`.
#[divan::bench(sample_count = 20, sample_size = 1)]
fn answer_done_undo(b: Bencher) {
    let app = RefCell::new(App::new(open(&BOOK.1)).expect("the app starts"));
    let mut t = term();
    b.with_inputs(|| settle(&app)).bench_local_values(|()| {
        let mut app = app.borrow_mut();
        app.handle_key(key('g'));
        app.handle_key(key('x'));
        app.handle_key(key('u'));
        app.settle();
        t.draw(|f| app.render(f)).expect("draws");
    });
}

/// `Enter` on Today's first row, `Esc`, a frame after each (on a server: the key and the
/// frame; the contact's page is read on the desk's queue, waited for between samples).
#[divan::bench(sample_count = 50, sample_size = 1)]
fn key_open_contact(b: Bencher) {
    let app = RefCell::new(App::new(open(&BOOK.1)).expect("the app starts"));
    let mut t = term();
    b.with_inputs(|| settle(&app)).bench_local_values(|()| {
        let mut app = app.borrow_mut();
        app.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
        t.draw(|f| app.render(f)).expect("draws");
        app.handle_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
        t.draw(|f| app.render(f)).expect("draws");
        app.tick();
    });
}

/// `Enter` until the contact's page is drawn (on a server: the queue's read of it).
#[divan::bench(sample_count = 50, sample_size = 1)]
fn answer_open_contact(b: Bencher) {
    let app = RefCell::new(App::new(open(&BOOK.1)).expect("the app starts"));
    let mut t = term();
    b.with_inputs(|| {
        let mut a = app.borrow_mut();
        a.handle_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
        a.settle();
    })
    .bench_local_values(|()| {
        let mut app = app.borrow_mut();
        app.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
        app.settle();
        t.draw(|f| app.render(f)).expect("draws");
    });
}

/// Between samples: every job of the desk's queue answered and done, then Today's lists.
fn settle(app: &RefCell<App>) {
    let mut app = app.borrow_mut();
    app.settle();
    while app.waiting() {
        std::thread::sleep(std::time::Duration::from_millis(1));
        app.tick();
        app.settle();
    }
}

/// On Reports, `]` then `[` with a frame after each: the period changes and the frame draws
/// with the figures at hand while the worker computes the new ones (a fifth of a second on a
/// large book, once on the UI thread).
#[divan::bench(sample_count = 50)]
fn key_reports_period(b: Bencher) {
    let mut app = App::new(open(&BOOK.1)).expect("the app starts");
    let mut t = term();
    app.handle_key(key('4'));
    b.bench_local(|| {
        app.handle_key(key(']'));
        t.draw(|f| app.render(f)).expect("draws");
        app.handle_key(key('['));
        t.draw(|f| app.render(f)).expect("draws");
        app.tick();
    });
}

/// Parts of the first frame: opening the book (pragmas, migration check)…
#[divan::bench]
fn part_open_book(b: Bencher) {
    let path = &BOOK.1;
    b.bench_local(|| open(path));
}

/// …and reading what Today shows (three pages of follow-ups, their counts, reconnect).
#[divan::bench]
fn part_load_today(b: Bencher) {
    let mut desk = open(&BOOK.1);
    let mut today = salesdesk::tui::screens::today::TodayScreen::default();
    b.bench_local(|| today.load(&mut desk).expect("loads"));
}

/// …of which the reconnect list alone.
#[divan::bench]
fn part_reconnect(b: Bencher) {
    let mut desk = open(&BOOK.1);
    let day = desk.clock.today();
    b.bench_local(|| {
        desk.db
            .read(|c| {
                salesdesk::storage::follow_ups::reconnect(
                    c,
                    day,
                    &salesdesk::domain::team::Scope::Mine,
                )
            })
            .expect("reads")
    });
}

/// The read behind a letter typed in a popup's contact field (a note or deal for a contact to
/// pick), for one, two and three letters (one letter matches the most contacts): how long the
/// choices take to show. It runs on the field's worker; the key itself only asks.
#[divan::bench(args = ["a", "an", "ana"])]
fn key_contact_field(b: Bencher, typed: &str) {
    let mut desk = open(&BOOK.1);
    b.bench_local(|| desk.contact_choices(typed, 5).expect("the choices"));
}
