//! The TUI's budgets: the time from start to the first frame, and from a key to the next
//! frame, drawn into ratatui's TestBackend (the terminal write itself is left out).
//!
//!     cargo bench --bench tui                          # the demo book
//!     SALESDESK_BENCH_BOOK=/tmp/bench/b20k.db cargo bench --bench tui
//!
//! `SALESDESK_NOW` fixes "now" as for the CLI. The book given is written to by `done_undo`
//! (a follow-up marked done, then the change undone), and left as it was found.

mod support;

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

/// `x` then `u`: two transactions (each synced to disk) and two reloads of Today.
#[divan::bench(sample_count = 20)]
fn key_done_undo(b: Bencher) {
    let mut app = App::new(open(&BOOK.1)).expect("the app starts");
    let mut t = term();
    b.bench_local(|| {
        app.handle_key(key('g'));
        app.handle_key(key('x'));
        t.draw(|f| app.render(f)).expect("draws");
        app.handle_key(key('u'));
        t.draw(|f| app.render(f)).expect("draws");
        // As the loop does: an answer from the worker is installed when it has come.
        app.tick();
    });
}

#[divan::bench(sample_count = 50)]
fn key_open_contact(b: Bencher) {
    let mut app = App::new(open(&BOOK.1)).expect("the app starts");
    let mut t = term();
    b.bench_local(|| {
        app.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
        t.draw(|f| app.render(f)).expect("draws");
        app.handle_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
        t.draw(|f| app.render(f)).expect("draws");
        app.tick();
    });
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
