//! The pipeline board with 5,000 open deals: opening it (every open deal read, columns and
//! totals worked out, the first frame drawn) and the keys on it, each with the frame after it,
//! drawn into ratatui's TestBackend (the terminal write itself is left out).
//!
//!     cargo bench --bench pipeline
//!     SALESDESK_BENCH_BOOK=/tmp/bench/b20k.db cargo bench --bench pipeline
//!
//! Without a book one is built in a temporary folder: 2,000 contacts, 5,000 open deals over
//! the four default stages (one in twenty in euros), 10,000 follow-ups and 10,000 notes.
//! `key_move` writes (a move on, then back): on a given book it leaves the stages as found,
//! with two more entries in the deal's history.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use chrono::Days;
use divan::Bencher;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use salesdesk::clock::Clock;
use salesdesk::config::Config;
use salesdesk::domain::contact::ContactFields;
use salesdesk::domain::follow_up::FollowUpKind;
use salesdesk::domain::follow_up::NewFollowUp;
use salesdesk::domain::note::NewNote;
use salesdesk::domain::note::NoteKind;
use salesdesk::ops::Desk;
use salesdesk::storage::bulk::BulkLoad;
use salesdesk::storage::contacts;
use salesdesk::storage::follow_ups;
use salesdesk::storage::notes;
use salesdesk::storage::{Db, deals};
use salesdesk::tui::App;
use salesdesk::tui::app::Screen;
use salesdesk::when::When;

fn main() {
    divan::main();
}

const OPEN_DEALS: usize = 5_000;

static BOOK: LazyLock<(Option<tempfile::TempDir>, PathBuf)> = LazyLock::new(|| {
    if let Some(p) = std::env::var_os("SALESDESK_BENCH_BOOK") {
        return (None, PathBuf::from(p));
    }
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("pipeline.db");
    build(&path);
    (Some(dir), path)
});

fn clock() -> Clock {
    Clock::from_env().expect("SALESDESK_NOW, when set, is RFC 3339")
}

fn open(path: &Path) -> Desk {
    Desk::new(
        Db::open(path).expect("the book opens"),
        clock(),
        Config::default(),
    )
}

/// A book with 5,000 open deals, written in one transaction.
fn build(path: &Path) {
    let mut desk = open(path);
    let config = Config::default();
    let stages: Vec<String> = config
        .pipeline
        .stages
        .iter()
        .map(|s| s.name.clone())
        .collect();
    let today = desk.clock.today();
    let mut rng = fastrand::Rng::with_seed(5);
    desk.db
        .write_barrier(&desk.clock, "building the pipeline benchmark book", |chg| {
            let bulk = BulkLoad::begin(chg)?;
            let mut people = Vec::new();
            for i in 0..2_000 {
                let f = ContactFields {
                    name: Some(format!("Person {i}")),
                    company: Some(Some(format!("Company {}", i % 400))),
                    ..Default::default()
                };
                people.push(contacts::insert(chg, &f)?);
            }
            let mut ids = Vec::new();
            for i in 0..OPEN_DEALS {
                let d = salesdesk::domain::deal::NewDeal {
                    title: format!(
                        "{} {i}",
                        ["Rollout", "Renewal", "Pilot", "Expansion"][i % 4]
                    ),
                    contact_id: people[rng.usize(..people.len())],
                    value_cents: rng.i64(10..2_000) * 10_000,
                    currency: if rng.u8(..20) == 0 {
                        "EUR".into()
                    } else {
                        "USD".into()
                    },
                    stage: stages[rng.usize(..stages.len())].clone(),
                    expected_close: Some((today + Days::new(rng.u64(0..180))).to_string()),
                };
                ids.push((deals::insert(chg, &d, "sales")?, d.contact_id));
            }
            for k in 0..10_000 {
                let (deal, contact) = ids[rng.usize(..ids.len())];
                let due = When::Day(today + Days::new(rng.u64(0..30)));
                let f = NewFollowUp {
                    contact_id: contact,
                    deal_id: (k % 2 == 0).then_some(deal),
                    kind: FollowUpKind::Call,
                    text: "Check in".into(),
                    due,
                    every: None,
                };
                follow_ups::insert(chg, &f)?;
                let n = NewNote {
                    contact_id: contact,
                    deal_id: Some(deal),
                    kind: NoteKind::Call,
                    outcome: None,
                    body: "Talked about the pricing and the next steps".into(),
                    private: false,
                };
                notes::insert(chg, &n)?;
            }
            bulk.finish(chg)
        })
        .expect("the benchmark book is written");
}

fn term() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(160, 48)).expect("a test terminal")
}

fn key(c: char) -> KeyEvent {
    let m = if c.is_ascii_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    KeyEvent::new(KeyCode::Char(c), m)
}

/// The app on the board, with the first card of the second column selected.
/// Ticks the app, as its loop does, until the board read on the worker has arrived.
fn board_arrives(app: &mut App) {
    while app.waiting() {
        std::thread::sleep(std::time::Duration::from_micros(200));
        app.tick();
    }
}

fn board_app() -> App {
    let mut app = App::new(open(&BOOK.1)).expect("the app starts");
    app.handle_key(key('2'));
    board_arrives(&mut app);
    app.handle_key(key('l'));
    assert!(
        matches!(app.screen, Screen::Pipeline(_)),
        "{:?}",
        app.status
    );
    app
}

/// `2` from Today and the frame after it: the board is asked of the worker, so this is what
/// the key costs the UI thread.
#[divan::bench(sample_count = 30)]
fn key_open_board(b: Bencher) {
    let mut app = App::new(open(&BOOK.1)).expect("the app starts");
    let mut t = term();
    b.bench_local(|| {
        app.screen = Screen::Today;
        app.handle_key(key('2'));
        t.draw(|f| app.render(f)).expect("draws");
    });
    board_arrives(&mut app);
}

/// `2` from Today until the whole board is on screen: every open deal read on the worker,
/// sorted into columns and totalled, and drawn.
#[divan::bench(sample_count = 30)]
fn open_board(b: Bencher) {
    let mut app = App::new(open(&BOOK.1)).expect("the app starts");
    let mut t = term();
    b.bench_local(|| {
        app.screen = Screen::Today;
        app.handle_key(key('2'));
        board_arrives(&mut app);
        t.draw(|f| app.render(f)).expect("draws");
    });
}

/// `j` or `k` on the board, and the frame after it.
#[divan::bench]
fn key_down_up(b: Bencher) {
    let mut app = board_app();
    let mut t = term();
    let mut down = true;
    b.bench_local(|| {
        down = !down;
        app.handle_key(key(if down { 'j' } else { 'k' }));
        t.draw(|f| app.render(f)).expect("draws");
    });
}

/// `l` or `h`: the next column, and the frame after it.
#[divan::bench]
fn key_column(b: Bencher) {
    let mut app = board_app();
    let mut t = term();
    let mut right = true;
    b.bench_local(|| {
        right = !right;
        app.handle_key(key(if right { 'l' } else { 'h' }));
        t.draw(|f| app.render(f)).expect("draws");
    });
}

/// `>`: the selected deal one stage on (one transaction, synced to disk, kept in its
/// history), the deal re-read and the board rearranged, and the frame after it. The
/// iterations alternate `>` and `<`, so every one is a real move.
#[divan::bench(sample_count = 40)]
fn key_move(b: Bencher) {
    let mut app = board_app();
    let mut t = term();
    let mut on = false;
    b.bench_local(|| {
        on = !on;
        app.handle_key(key(if on { '>' } else { '<' }));
        t.draw(|f| app.render(f)).expect("draws");
    });
    assert!(
        app.status.as_ref().is_some_and(|s| !s.error),
        "{:?}",
        app.status
    );
}

/// A letter typed into the `/` filter: the fuzzy match over all 5,000 deals, and the frame.
#[divan::bench]
fn key_filter(b: Bencher) {
    let mut app = board_app();
    app.handle_key(key('/'));
    let mut t = term();
    let mut typed = false;
    b.bench_local(|| {
        typed = !typed;
        if typed {
            app.handle_key(key('r'));
        } else {
            app.handle_key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
        }
        t.draw(|f| app.render(f)).expect("draws");
    });
}

/// The floor under `key_move`: the same move through the op alone (one transaction, synced
/// to disk), no board and no frame.
#[divan::bench(sample_count = 40)]
fn move_op_only(b: Bencher) {
    let mut desk = open(&BOOK.1);
    let id = desk
        .db
        .read(|c| deals::list(c, &Default::default()))
        .expect("deals")
        .into_iter()
        .find(|d| d.stage == "Lead" && d.status == salesdesk::domain::deal::DealStatus::Open)
        .expect("an open deal in Lead")
        .id;
    let mut on = false;
    b.bench_local(|| {
        on = !on;
        desk.move_deal(id, if on { "Qualified" } else { "Lead" }, None)
            .expect("moves");
    });
}
