//! The Contacts screen's budget: a filter keystroke within a frame (16 ms) on 200,000
//! contacts, and search as you type never holding a key.
//!
//!     cargo bench --bench contacts
//!     SALESDESK_BENCH_BOOK=/tmp/bench/b200k.db cargo bench --bench contacts
//!
//! `filter_*` run the matcher on 200,000 generated names held in memory (what the screen
//! holds); `key_*` drive the whole app on a book (the demo, or SALESDESK_BENCH_BOOK): the key,
//! the rows on screen read by id, and the frame drawn into a TestBackend.

mod support;

use std::sync::LazyLock;

use divan::Bencher;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use salesdesk::domain::contact::{IndexRow, SortBy};
use salesdesk::storage::Db;
use salesdesk::storage::browse;
use salesdesk::tui::App;
use salesdesk::tui::screens::contacts::{Filter, NameIndex};
use support::{BOOK, open};

fn main() {
    divan::main();
}

const FIRST: &[&str] = &[
    "Ana", "Marco", "Priya", "Tom", "José", "Lucía", "Kenji", "Emma", "Olav", "Sarah", "David",
    "Chloé", "Hugo", "Liam", "Nina", "Ahmed", "Grace", "Ben", "Mia", "Rafael", "Ingrid", "Omar",
    "Zoë", "Paul", "Sofia", "Yuki", "Carlos", "Fatima", "Jan", "Aisha", "Lars", "Mei", "Diego",
    "Hana", "Ivan", "Leila", "Noah", "Elena",
];
const LAST: &[&str] = &[
    "Pereira",
    "Bianchi",
    "Raman",
    "Becker",
    "Álvarez",
    "Fernández",
    "Watanabe",
    "Larsen",
    "Nygaard",
    "Cohen",
    "Okafor",
    "Martin",
    "Lefèvre",
    "O'Connor",
    "Petrova",
    "Hassan",
    "Kim",
    "Walker",
    "Schulz",
    "Souza",
    "Svensson",
    "Haddad",
    "Nguyen",
    "Rossi",
    "Tanaka",
    "Müller",
    "Dubois",
    "Novak",
    "Jensen",
    "Silva",
];

/// 200,000 contacts: first, last, and a number so they are not all alike; a company, an
/// email and a phone each, which the filter looks in when the name does not match.
static NAMES: LazyLock<NameIndex> = LazyLock::new(|| {
    let mut rows = Vec::with_capacity(200_000);
    let mut x: u64 = 1;
    for id in 0..200_000i64 {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let f = FIRST[(x >> 33) as usize % FIRST.len()];
        let l = LAST[(x >> 17) as usize % LAST.len()];
        let n = (x >> 45) % 1000;
        let mut row = IndexRow::from((id + 1, format!("{f} {l} {n}")));
        row.company = Some(format!("{l} Holdings {}", n % 97));
        row.emails = vec![format!(
            "{}.{}{n}@example.com",
            f.to_lowercase(),
            l.to_lowercase()
        )];
        row.phones = vec![format!("+1 555 {:04}", (x >> 20) % 10_000)];
        rows.push(row);
    }
    NameIndex::new(rows)
});

/// A keystroke into an empty filter: every name scored.
#[divan::bench(args = ["a", "j", "z"])]
fn filter_first_key(b: Bencher, q: &str) {
    let ix = &*NAMES;
    b.with_inputs(Filter::default).bench_local_values(|mut f| {
        f.apply(ix, q);
        f
    });
}

/// A keystroke that narrows what is typed: only the previous matches scored again.
#[divan::bench(args = [("a", "an"), ("an", "ana"), ("ana", "ana s"), ("jo", "jos"), ("jose", "jose a")])]
fn filter_next_key(b: Bencher, (before, after): (&str, &str)) {
    let ix = &*NAMES;
    b.with_inputs(|| {
        let mut f = Filter::default();
        f.apply(ix, before);
        f
    })
    .bench_local_values(|mut f| {
        f.apply(ix, after);
        f
    });
}

/// A query typed whole into an empty filter (a paste, or a key after Esc).
#[divan::bench(args = ["ana souza", "lefevre", "xyzzy", "holdings 42", "555 01"])]
fn filter_whole_query(b: Bencher, q: &str) {
    let ix = &*NAMES;
    b.with_inputs(Filter::default).bench_local_values(|mut f| {
        f.apply(ix, q);
        f
    });
}

/// The same names with no other field: what the extra fields cost, measured beside it.
static NAMES_ONLY: LazyLock<NameIndex> = LazyLock::new(|| {
    let ix = &*NAMES;
    NameIndex::new(
        ix.ids
            .iter()
            .copied()
            .zip(ix.names.iter().cloned())
            .collect::<Vec<(i64, String)>>(),
    )
});

#[divan::bench(args = ["a", "ana souza", "xyzzy"])]
fn filter_names_only(b: Bencher, q: &str) {
    let ix = &*NAMES_ONLY;
    b.with_inputs(Filter::default).bench_local_values(|mut f| {
        f.apply(ix, q);
        f
    });
}

fn press(app: &mut App, k: KeyCode) {
    app.handle_key(KeyEvent::new(k, KeyModifiers::NONE));
}

/// Opens Contacts and waits for the names, which the worker thread reads.
fn contacts_shown(app: &mut App) {
    press(app, KeyCode::Char('3'));
    let start = std::time::Instant::now();
    while app.contacts.index_pending() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(60),
            "the names never came"
        );
        std::thread::sleep(std::time::Duration::from_millis(2));
        app.tick();
    }
}

/// On the book: `/`, then a letter typed and taken back, each with its frame (100×30).
#[divan::bench(sample_count = 30)]
fn key_filter_type_and_erase(b: Bencher) {
    let mut app = App::new(open(&BOOK.1)).expect("the app starts");
    let mut t = Terminal::new(TestBackend::new(100, 30)).expect("a test terminal");
    contacts_shown(&mut app);
    press(&mut app, KeyCode::Char('/'));
    press(&mut app, KeyCode::Char('a'));
    t.draw(|f| app.render(f)).expect("draws");
    b.bench_local(|| {
        press(&mut app, KeyCode::Char('n'));
        t.draw(|f| app.render(f)).expect("draws");
        press(&mut app, KeyCode::Backspace);
        t.draw(|f| app.render(f)).expect("draws");
    });
}

/// On the book: a page down in the table and back (rows read by id), with frames.
#[divan::bench(sample_count = 30)]
fn key_page(b: Bencher) {
    let mut app = App::new(open(&BOOK.1)).expect("the app starts");
    let mut t = Terminal::new(TestBackend::new(100, 30)).expect("a test terminal");
    contacts_shown(&mut app);
    t.draw(|f| app.render(f)).expect("draws");
    b.bench_local(|| {
        press(&mut app, KeyCode::PageDown);
        t.draw(|f| app.render(f)).expect("draws");
        press(&mut app, KeyCode::PageUp);
        t.draw(|f| app.render(f)).expect("draws");
    });
}

/// On the book, Contacts open: what the UI thread spends after a change (any window's) —
/// the other screens and the rows on screen read again, the names asked of the worker.
#[divan::bench(sample_count = 30)]
fn reload_after_change(b: Bencher) {
    let mut app = App::new(open(&BOOK.1)).expect("the app starts");
    contacts_shown(&mut app);
    b.bench_local(|| app.reload());
}

/// On the book: reading and folding every name, the worker's job after a change (the UI
/// thread did this itself before the worker took it).
#[divan::bench(sample_count = 10)]
fn names_read_and_folded(b: Bencher) {
    let mut db = Db::open(&BOOK.1).expect("the book opens");
    b.bench_local(|| {
        let rows = db
            .read(|c| browse::index(c, false, SortBy::Name, false))
            .expect("the names read");
        NameIndex::new(rows)
    });
}

/// On the book: a key typed into the Ctrl-f popup. The query goes to the worker thread; the
/// key returns without waiting for it, whatever the word.
#[divan::bench(sample_count = 30)]
fn key_search_typing(b: Bencher) {
    let mut app = App::new(open(&BOOK.1)).expect("the app starts");
    app.handle_key(KeyEvent::new(KeyCode::Char('f'), KeyModifiers::CONTROL));
    for c in "pricin".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    let mut t = Terminal::new(TestBackend::new(100, 30)).expect("a test terminal");
    b.bench_local(|| {
        press(&mut app, KeyCode::Char('g'));
        app.tick();
        t.draw(|f| app.render(f)).expect("draws");
        press(&mut app, KeyCode::Backspace);
        app.tick();
        t.draw(|f| app.render(f)).expect("draws");
    });
}
