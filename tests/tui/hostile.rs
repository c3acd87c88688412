//! Every screen and popup at every size (1×1, 0×0, one row, one column, random sizes, a storm
//! of resizes on one terminal), and hostile text on every screen: no panic, no control
//! character in any cell, long text kept inside its column.

use crate::support::tui::*;
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use salesdesk::domain::contact::ContactFields;
use salesdesk::domain::deal::NewDeal;
use salesdesk::domain::follow_up::FollowUpKind;
use salesdesk::ops::Desk;
use salesdesk::ops::notes::NoteInput;
use salesdesk::tui::App;

/// Keys from a freshly opened desk to each screen and popup. A state whose keys do not lead
/// where they should fails in `states_are_reached`, so the table cannot rot silently.
const STATES: &[(&str, &str)] = &[
    ("today", ""),
    ("pipeline", "2"),
    ("contacts", "3"),
    ("reports", "4"),
    ("reports, longest period", "4[[[[["),
    ("help", "?"),
    ("contact view", "\n"),
    ("company view", "\nC"),
    ("contact view, timeline selected", "\njjj"),
    ("deal view", "2\n"),
    ("board filter", "2/ac"),
    ("lost reason", "2L"),
    ("add deal", "2a"),
    ("contacts filter", "3/a"),
    ("contact edit", "3e"),
    ("add contact", "3a"),
    ("merge", "\nm"),
    ("purge", "\nP"),
    ("note", "n"),
    ("follow-up", "f"),
    ("snooze", "s"),
    ("snooze typing", "st"),
    ("log a call", "c"),
    ("call mode", "F"),
    ("call mode, outcome", "Fc"),
    ("search", "\x06ana"),
];

/// Presses the keys: `\n` is Enter, `\x06` is Ctrl-F, the rest are characters.
fn keys(app: &mut App, keys: &str) {
    for c in keys.chars() {
        match c {
            '\n' => enter(app),
            '\x06' => app.handle_key(ctrl('f')),
            c => press(app, &c.to_string()),
        }
    }
}

fn state(i: usize, make: &dyn Fn() -> App) -> App {
    let mut app = make();
    keys(&mut app, STATES[i].1);
    app
}

fn seeded() -> App {
    app().0
}

const SIZES: &[(u16, u16)] = &[
    (0, 0),
    (1, 1),
    (2, 2),
    (1, 40),
    (300, 1),
    (0, 24),
    (80, 0),
    (20, 5),
    (49, 15),
    (50, 16),
    (80, 24),
    (250, 80),
];

#[test]
fn states_are_reached() {
    let base = seeded();
    let today = screen(&base, 100, 30);
    for (i, (name, k)) in STATES.iter().enumerate() {
        let app = state(i, &seeded);
        if !k.is_empty() {
            assert_ne!(
                screen(&app, 100, 30),
                today,
                "{name}: {k:?} left the Today screen as it was"
            );
        }
    }
}

#[test]
fn every_screen_draws_at_every_fixed_size() {
    for i in 0..STATES.len() {
        let app = state(i, &seeded);
        for &(w, h) in SIZES {
            draw(&app, w, h);
        }
    }
    let mut empty = App::new(desk()).unwrap();
    for &(w, h) in SIZES {
        draw(&empty, w, h);
    }
    press(&mut empty, "a");
    for &(w, h) in SIZES {
        draw(&empty, w, h);
    }
}

/// One terminal resized again and again between frames, as a window dragged by its corner:
/// the diff between frames of different sizes must not panic either.
#[test]
fn a_resize_storm_on_one_terminal() {
    let mut rng = fastrand::Rng::with_seed(3);
    for i in 0..STATES.len() {
        let app = state(i, &seeded);
        let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
        for _ in 0..40 {
            let (w, h) = if rng.bool() {
                (rng.u16(0..6), rng.u16(0..6))
            } else {
                (rng.u16(0..260), rng.u16(0..90))
            };
            t.backend_mut().resize(w, h);
            t.draw(|f| app.render(f)).unwrap();
        }
    }
}

fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(48))]

    #[test]
    fn any_screen_at_any_size(i in 0..STATES.len(), w in 0u16..400, h in 0u16..150) {
        let app = state(i, &seeded);
        draw(&app, w, h);
    }
}

/// Terminal escapes, C0 and C1 controls, bidi overrides and newlines in every field a screen
/// shows.
const EVIL: &str = "Eve\u{1b}[2J\u{1b}]0;pwned\u{7}\u{9b}31m\r\nX\u{8}\u{7f}\u{202e}Z\u{0}";

fn hostile() -> App {
    let mut d: Desk = desk();
    let eve = d
        .add_contact(&ContactFields {
            name: Some(EVIL.into()),
            company: Some(Some(format!("Corp{EVIL}"))),
            title: Some(Some(format!("Boss{EVIL}"))),
            emails: Some(vec!["eve@evil.example".into()]),
            phones: Some(vec!["+1 555 0100".into()]),
            tags: Some(vec![format!("tag{EVIL}")]),
            ..Default::default()
        })
        .unwrap();
    let deal = d
        .add_deal(&NewDeal {
            title: format!("Deal{EVIL}"),
            contact_id: eve,
            value_cents: 100_000,
            currency: "USD".into(),
            stage: "Lead".into(),
            expected_close: None,
        })
        .unwrap();
    let mut n = NoteInput::new(eve, format!("note {EVIL} more\n{EVIL}"));
    n.raw = true;
    d.log_note(&n).unwrap();
    follow_up(
        &mut d,
        eve,
        Some(deal),
        FollowUpKind::Call,
        &format!("call{EVIL}"),
        day(23),
    );
    App::new(d).unwrap()
}

fn control_cells(t: &Terminal<TestBackend>) -> Vec<(u16, u16, String)> {
    let buf = t.backend().buffer();
    let mut out = Vec::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let s = buf[(x, y)].symbol();
            if s.chars()
                .any(|c| c.is_control() || salesdesk::text::is_bidi_control(c))
            {
                out.push((x, y, s.escape_debug().to_string()));
            }
        }
    }
    out
}

#[test]
fn hostile_text_reaches_no_cell_as_a_control_character() {
    for (i, (name, _)) in STATES.iter().enumerate() {
        let app = state(i, &hostile);
        for (w, h) in [(100, 30), (50, 16), (200, 60)] {
            let t = draw(&app, w, h);
            let bad = control_cells(&t);
            assert!(
                bad.is_empty(),
                "{name}: control characters in cells {bad:?}\n{}",
                t.backend()
            );
        }
    }
    // what is typed into a filter or the search is shown inert too
    let mut app = hostile();
    keys(&mut app, "3/");
    app.handle_paste(EVIL);
    assert!(control_cells(&draw(&app, 100, 30)).is_empty());
    let mut app = hostile();
    app.handle_key(ctrl('f'));
    app.handle_paste(EVIL);
    assert!(control_cells(&draw(&app, 100, 30)).is_empty());
}

/// The lines of the screen that show neither the contact nor the note.
fn frame_around(app: &App, w: u16, h: u16) -> Vec<String> {
    screen(app, w, h)
        .lines()
        .filter(|l| !l.contains("Zed") && !l.contains("word") && !l.contains("short note"))
        .map(str::to_string)
        .collect()
}

#[test]
fn very_long_names_and_a_megabyte_note_keep_the_layout() {
    // As long as a name may be (domain::fields::LINE_MAX), wider than any terminal.
    let long_name: String = format!("Zed {}", "Averyveryverylongname ".repeat(9))
        .chars()
        .take(salesdesk::domain::fields::LINE_MAX)
        .collect();
    let big = "word ".repeat(210_000);
    let build = |name: &str, body: &str| {
        let mut d = desk();
        let id = d
            .add_contact(&ContactFields {
                name: Some(name.into()),
                company: Some(Some("Acme".into())),
                ..Default::default()
            })
            .unwrap();
        d.log_note(&NoteInput::new(id, body.to_string())).unwrap();
        follow_up(&mut d, id, None, FollowUpKind::Call, "ring", day(23));
        App::new(d).unwrap()
    };
    for k in ["", "3", "\n", "\nC", "2", "4"] {
        let mut short = build("Zed Short", "short note");
        let mut long = build(&long_name, &big);
        keys(&mut short, k);
        keys(&mut long, k);
        for (w, h) in [(80, 24), (120, 30)] {
            let s = screen(&long, w, h);
            assert_eq!(s.lines().count(), screen(&short, w, h).lines().count());
            // Every line but those naming the contact or showing the note is the same as
            // with a short name and a short note: nothing was pushed aside or cut off.
            assert_eq!(
                frame_around(&long, w, h),
                frame_around(&short, w, h),
                "{k:?} at {w}x{h}:\n{s}"
            );
        }
    }
    let mut long = build(&long_name, &big);
    keys(&mut long, "\n");
    assert!(screen(&long, 100, 30).contains("word word"));
}
