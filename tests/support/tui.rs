//! Shared by the TUI snapshot tests: a seeded book on a fixed clock, keys, and drawing into
//! ratatui's TestBackend.
#![allow(dead_code)]

use chrono::{Local, NaiveDate, TimeZone};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use salesdesk::clock::Clock;
use salesdesk::domain::contact::ContactFields;
use salesdesk::domain::deal::NewDeal;
use salesdesk::domain::follow_up::FollowUpKind;
use salesdesk::domain::follow_up::NewFollowUp;
use salesdesk::ops::Desk;
use salesdesk::tui::App;
use salesdesk::when::When;

/// Monday 2026-11-23 09:00, local time.
pub fn clock_at(day: u32, h: u32, m: u32) -> Clock {
    let t = NaiveDate::from_ymd_opt(2026, 11, day)
        .unwrap()
        .and_hms_opt(h, m, 0)
        .unwrap();
    Clock::fixed(Local.from_local_datetime(&t).earliest().unwrap())
}

pub fn clock() -> Clock {
    clock_at(23, 9, 0)
}

pub fn day(d: u32) -> When {
    When::Day(NaiveDate::from_ymd_opt(2026, 11, d).unwrap())
}

pub fn at(d: u32, h: u32, m: u32) -> When {
    When::At(
        NaiveDate::from_ymd_opt(2026, 11, d)
            .unwrap()
            .and_hms_opt(h, m, 0)
            .unwrap(),
    )
}

pub fn contact(desk: &mut Desk, name: &str, company: Option<&str>, phone: Option<&str>) -> i64 {
    desk.add_contact(&ContactFields {
        name: Some(name.into()),
        company: company.map(|c| Some(c.to_string())),
        phones: phone.map(|p| vec![p.to_string()]),
        emails: Some(vec![format!(
            "{}@example.com",
            name.split_whitespace().next().unwrap().to_lowercase()
        )]),
        ..Default::default()
    })
    .unwrap()
}

pub fn follow_up(
    desk: &mut Desk,
    contact_id: i64,
    deal: Option<i64>,
    kind: FollowUpKind,
    text: &str,
    due: When,
) -> i64 {
    desk.add_follow_up(&NewFollowUp {
        contact_id,
        deal_id: deal,
        kind,
        text: text.into(),
        due,
        every: None,
    })
    .unwrap()
}

/// Contacts, a deal, follow-ups in every group, one contact to reconnect with.
pub struct Seed {
    pub ana: i64,
    pub bob: i64,
    pub yamada: i64,
    pub zoe: i64,
    pub dana: i64,
    pub deal: i64,
    pub ana_call: i64,
    pub bob_email: i64,
    pub yamada_meeting: i64,
    pub zoe_call: i64,
    pub bob_task: i64,
}

pub fn seed(desk: &mut Desk) -> Seed {
    // Dana was added three weeks ago with a two-week cadence: she is due a reconnect.
    desk.clock = clock_at(1, 9, 0);
    let dana = desk
        .add_contact(&ContactFields {
            name: Some("Dana Whitfield".into()),
            company: Some(Some("Initech".into())),
            cadence_days: Some(Some(14)),
            ..Default::default()
        })
        .unwrap();
    desk.clock = clock();
    let ana = contact(desk, "Ana Souza", Some("Acme"), Some("+1 555 0101"));
    let bob = contact(desk, "Bob Lee", Some("Globex"), None);
    let yamada = contact(
        desk,
        "山田太郎",
        Some("株式会社サンプル"),
        Some("+81 3 1234 5678"),
    );
    let zoe = contact(desk, "Zoë 🚀 Martin", Some("Rocket 🚀 Labs"), None);
    let deal = desk
        .add_deal(&NewDeal {
            title: "Acme rollout".into(),
            contact_id: ana,
            value_cents: 1_200_000,
            currency: "USD".into(),
            stage: "Qualified".into(),
            expected_close: None,
        })
        .unwrap();
    let ana_call = follow_up(
        desk,
        ana,
        Some(deal),
        FollowUpKind::Call,
        "Pricing call",
        day(20),
    );
    let bob_email = follow_up(
        desk,
        bob,
        None,
        FollowUpKind::Email,
        "Send the proposal",
        at(23, 8, 0),
    );
    let yamada_meeting = follow_up(
        desk,
        yamada,
        None,
        FollowUpKind::Meeting,
        "東京オフィス訪問",
        day(23),
    );
    let zoe_call = follow_up(
        desk,
        zoe,
        None,
        FollowUpKind::Call,
        "Launch check-in 🚀",
        at(24, 14, 0),
    );
    let bob_task = follow_up(
        desk,
        bob,
        None,
        FollowUpKind::Task,
        "Prepare the renewal",
        day(27),
    );
    Seed {
        ana,
        bob,
        yamada,
        zoe,
        dana,
        deal,
        ana_call,
        bob_email,
        yamada_meeting,
        zoe_call,
        bob_task,
    }
}

pub fn desk() -> Desk {
    Desk::in_memory(clock()).unwrap()
}

pub fn app() -> (App, Seed) {
    let mut d = desk();
    let s = seed(&mut d);
    (App::new(d).unwrap(), s)
}

pub fn key(c: char) -> KeyEvent {
    let m = if c.is_ascii_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    KeyEvent::new(KeyCode::Char(c), m)
}

pub fn code(k: KeyCode) -> KeyEvent {
    KeyEvent::new(k, KeyModifiers::NONE)
}

pub fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

pub fn press(app: &mut App, keys: &str) {
    for c in keys.chars() {
        app.handle_key(key(c));
    }
}

pub fn enter(app: &mut App) {
    app.handle_key(code(KeyCode::Enter));
}

pub fn esc(app: &mut App) {
    app.handle_key(code(KeyCode::Esc));
}

pub fn tab(app: &mut App) {
    app.handle_key(code(KeyCode::Tab));
}

pub fn draw(app: &App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| app.render(f)).unwrap();
    t
}

/// The screen as text, one quoted line per row.
pub fn screen(app: &App, w: u16, h: u16) -> String {
    draw(app, w, h).backend().to_string()
}

pub fn status(app: &App) -> String {
    app.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

/// Ticks the app (as its loop does) until the lists asked of the worker have come.
pub fn lists_arrive(app: &mut App) {
    let start = std::time::Instant::now();
    while app.today.pending() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "the worker never answered"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
        app.tick();
    }
}

/// Everything asked has answered: the queue's jobs (waited for, not slept on), then the
/// lists and boards the screens' own workers read.
pub fn settled(app: &mut App) {
    let start = std::time::Instant::now();
    loop {
        app.settle();
        if !app.waiting() {
            return;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "the workers never answered"
        );
        std::thread::sleep(std::time::Duration::from_millis(2));
        app.tick();
    }
}
