//! The Reports screen (`4`): the report's figures drawn, at 80×24 and 160×48, and `[` `]`
//! changing the period.

use crate::support::tui::*;
use insta::assert_snapshot;
use salesdesk::domain::contact::ContactFields;
use salesdesk::domain::deal::NewDeal;
use salesdesk::domain::note::{NoteKind, Outcome};
use salesdesk::ops::Desk;
use salesdesk::ops::notes::NoteInput;
use salesdesk::tui::App;
use salesdesk::tui::app::Screen;

fn deal(
    desk: &mut Desk,
    contact: i64,
    title: &str,
    cents: i64,
    cur: &str,
    stage: &str,
    close: Option<&str>,
) -> i64 {
    desk.add_deal(&NewDeal {
        title: title.into(),
        contact_id: contact,
        value_cents: cents,
        currency: cur.into(),
        stage: stage.into(),
        expected_close: close.map(str::to_string),
    })
    .unwrap()
}

fn person(desk: &mut Desk, name: &str, source: Option<&str>) -> i64 {
    desk.add_contact(&ContactFields {
        name: Some(name.into()),
        source: source.map(|s| Some(s.to_string())),
        ..Default::default()
    })
    .unwrap()
}

fn note(desk: &mut Desk, contact: i64, kind: NoteKind, outcome: Option<Outcome>) {
    let mut n = NoteInput::new(contact, "touch");
    n.kind = kind;
    n.outcome = outcome;
    desk.log_note(&n).unwrap();
}

/// The Today seed plus a pipeline, wins and losses, sources and weeks of activity.
fn app() -> App {
    let mut d = desk();
    seed(&mut d);
    d.clock = clock_at(2, 10, 0);
    let ana = person(&mut d, "Ana Ribeiro", Some("referral"));
    let ben = person(&mut d, "Ben Ortiz", Some("linkedin"));
    let cho = person(&mut d, "Cho Min", Some("event"));
    let dev = person(&mut d, "Dev Patel", Some("referral"));
    let eli = person(&mut d, "Eli Stone", None);
    let a = deal(
        &mut d,
        ana,
        "Ana rollout",
        4_800_000,
        "USD",
        "Lead",
        Some("2026-12-10"),
    );
    let b = deal(
        &mut d,
        ben,
        "Ben pilot",
        1_250_000,
        "USD",
        "Qualified",
        Some("2027-01-20"),
    );
    deal(
        &mut d,
        cho,
        "Cho trial",
        640_000,
        "USD",
        "Proposal",
        Some("2026-12-01"),
    );
    let e = deal(
        &mut d,
        dev,
        "Dev licences",
        2_300_000,
        "USD",
        "Negotiation",
        Some("2027-02-15"),
    );
    deal(&mut d, eli, "Eli seats", 90_000, "USD", "Lead", None);
    deal(
        &mut d,
        eli,
        "Eli Berlin",
        500_000,
        "EUR",
        "Proposal",
        Some("2026-12-20"),
    );
    let w = deal(
        &mut d,
        dev,
        "Dev first order",
        1_500_000,
        "USD",
        "Proposal",
        None,
    );
    let l = deal(&mut d, cho, "Cho old", 300_000, "USD", "Qualified", None);
    for day in [3u32, 4, 5, 9, 10, 11, 12, 16, 17, 18, 19, 20] {
        d.clock = clock_at(day, 11, 0);
        note(&mut d, ana, NoteKind::Call, Some(Outcome::Connected));
        note(&mut d, ben, NoteKind::Call, Some(Outcome::Voicemail));
        if day % 2 == 0 {
            note(&mut d, cho, NoteKind::Email, None);
        }
        if day % 5 == 0 {
            note(&mut d, dev, NoteKind::Meeting, None);
        }
    }
    d.clock = clock_at(12, 10, 0);
    d.move_deal(a, "Qualified", None).unwrap();
    d.move_deal(b, "Proposal", None).unwrap();
    d.win_deal(w, None).unwrap();
    d.clock = clock_at(16, 10, 0);
    d.lose_deal(l, "went with a competitor", None).unwrap();
    d.move_deal(a, "Lead", None).unwrap();
    d.clock = clock_at(19, 10, 0);
    d.move_deal(e, "Proposal", None).unwrap();
    d.clock = clock();
    let mut app = App::new(d).unwrap();
    press(&mut app, "4");
    app
}

#[test]
fn reports_at_80x24() {
    let app = app();
    assert!(matches!(app.screen, Screen::Reports(_)));
    assert_snapshot!("reports_80x24", screen(&app, 80, 24));
}

#[test]
fn reports_use_the_room_at_160x48() {
    let app = app();
    assert_snapshot!("reports_160x48", screen(&app, 160, 48));
}

#[test]
fn brackets_change_the_period() {
    let mut app = app();
    let days = |app: &App| match &app.screen {
        Screen::Reports(r) => r.days,
        _ => panic!("not on Reports"),
    };
    assert_eq!(days(&app), 90);
    press(&mut app, "]");
    assert_eq!(days(&app), 30);
    press(&mut app, "]");
    assert_eq!(days(&app), 7);
    // The week before Monday 23 Nov: only the lost deal and the move of the 19th are in it.
    assert_snapshot!("reports_7_days_80x24", screen(&app, 80, 24));
    press(&mut app, "]");
    assert_eq!(days(&app), 7);
    assert!(status(&app).contains("shortest"), "{}", status(&app));
    press(&mut app, "[[[[");
    assert_eq!(days(&app), 365);
    press(&mut app, "[");
    assert!(status(&app).contains("longest"), "{}", status(&app));
    // 1 goes back to Today; 4 opens Reports again at the default 90 days.
    press(&mut app, "1");
    assert!(matches!(app.screen, Screen::Today));
    press(&mut app, "4");
    assert_eq!(days(&app), 90);
}

#[test]
fn an_empty_book_draws_zeros() {
    let mut app = App::new(desk()).unwrap();
    press(&mut app, "4");
    let s = screen(&app, 80, 24);
    assert!(s.contains("no open deals"), "{s}");
    assert!(s.contains("no contacts yet"), "{s}");
}

#[test]
fn any_size_draws_without_panic() {
    let app = app();
    for w in (20..=200).step_by(7) {
        for h in (5..=60).step_by(5) {
            let _ = screen(&app, w, h);
        }
    }
}

#[test]
fn amounts_in_the_billions_are_never_cut_short() {
    let mut d = desk();
    let ana = person(&mut d, "Ana Ribeiro", None);
    for (title, stage) in [("One", "Lead"), ("Two", "Qualified"), ("Three", "Proposal")] {
        // 1.2 billion each: the total, 3.6 billion, is wider than the value column.
        deal(&mut d, ana, title, 120_000_000_000, "USD", stage, None);
    }
    let mut app = App::new(d).unwrap();
    press(&mut app, "4");
    for (w, h) in [(80, 24), (160, 48), (200, 60)] {
        let s = screen(&app, w, h);
        let total = s
            .lines()
            .find(|l| l.contains(" Total "))
            .unwrap_or_else(|| panic!("no Total line at {w}x{h}:\n{s}"));
        assert!(!total.contains('…'), "{w}x{h}: {total}");
        assert!(
            total.contains("3,600,000,000") || total.contains("3.6b"),
            "{w}x{h}: {total}"
        );
    }
}
