//! The Reports screen on a book in a file: `4`, `[` and `]` only ask the worker thread for the
//! figures and draw at once (a "Loading…" state, or the previous figures); keys keep working
//! meanwhile, the figures come when the worker answers, and an answer for a period no longer
//! selected is never shown.

use std::time::{Duration, Instant};

use crate::support::tui::*;
use chrono::{Days, NaiveDate};
use salesdesk::config::Config;
use salesdesk::domain::contact::ContactFields;
use salesdesk::domain::deal::NewDeal;
use salesdesk::domain::report::Report;
use salesdesk::ops::Desk;
use salesdesk::storage::Db;
use salesdesk::tui::App;
use salesdesk::tui::app::Screen;
use salesdesk::tui::screens::reports::ReportsScreen;

fn book(dir: &std::path::Path) -> Desk {
    let mut desk = Desk::new(
        Db::open(&dir.join("book.db")).unwrap(),
        clock(),
        Config::default(),
    );
    let ana = desk
        .add_contact(&ContactFields {
            name: Some("Ana Souza".into()),
            source: Some(Some("referral".into())),
            ..Default::default()
        })
        .unwrap();
    for (title, stage) in [("Renewal", "Lead"), ("Expansion", "Proposal")] {
        desk.add_deal(&NewDeal {
            title: title.into(),
            contact_id: ana,
            value_cents: 1_000_000,
            currency: "USD".into(),
            stage: stage.into(),
            expected_close: Some("2026-12-15".into()),
        })
        .unwrap();
    }
    desk
}

fn reports(app: &App) -> &ReportsScreen {
    match &app.screen {
        Screen::Reports(r) => r,
        _ => panic!("not on Reports"),
    }
}

/// Ticks the app (as its loop does) until the figures asked of the worker have come.
fn figures_arrive(app: &mut App) {
    let start = Instant::now();
    while reports(app).pending() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the worker never answered"
        );
        std::thread::sleep(Duration::from_millis(5));
        app.tick();
    }
}

fn since(app: &App, days: u64) -> NaiveDate {
    app.desk.clock.today() - Days::new(days)
}

/// What the report for the last `days` days is, computed here on the UI thread.
fn inline(app: &mut App, days: u64) -> Report {
    let s = since(app, days);
    app.desk.report(s).unwrap()
}

#[test]
fn the_figures_come_from_the_worker_and_keys_work_meanwhile() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::new(book(dir.path())).unwrap();
    assert!(!app.waiting());
    press(&mut app, "4");
    // Only asked: the screen draws at once, saying so.
    assert!(reports(&app).pending());
    assert!(reports(&app).report.is_none());
    assert!(app.waiting(), "the loop looks again soon");
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("Loading the report…"), "{shown}");
    // Keys work meanwhile: the period changes (asking again) before any figure came.
    press(&mut app, "]");
    assert_eq!(reports(&app).days, 30);
    assert!(reports(&app).pending());
    figures_arrive(&mut app);
    assert!(!app.waiting());
    let want = inline(&mut app, 30);
    let r = reports(&app);
    assert_eq!((r.days, r.report_days), (30, 30));
    assert_eq!(r.report.as_ref(), Some(&want));
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("Last 30 days · since"), "{shown}");
    assert!(shown.contains("20k"), "the two open deals: {shown}");

    // A longer period: the 30 days' figures stay on screen until the 90 days' come.
    press(&mut app, "[");
    assert!(reports(&app).pending());
    assert_eq!(reports(&app).report.as_ref(), Some(&want));
    let shown = screen(&app, 80, 24);
    assert!(
        shown.contains("Last 90 days · loading… the last 30 days meanwhile"),
        "{shown}"
    );
    assert!(shown.contains("20k"), "{shown}");
    figures_arrive(&mut app);
    let want = inline(&mut app, 90);
    assert_eq!(reports(&app).report.as_ref(), Some(&want));

    // Leaving and coming back works while figures are awaited.
    press(&mut app, "]");
    press(&mut app, "1");
    press(&mut app, "4");
    figures_arrive(&mut app);
    assert_eq!(
        reports(&app).report.as_ref().map(|r| r.since),
        Some(since(&app, 90))
    );
}

#[test]
fn an_answer_for_a_period_no_longer_selected_is_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::new(book(dir.path())).unwrap();
    press(&mut app, "4");
    // The 90 days' answer has surely come by now, but is not read until after `]`.
    std::thread::sleep(Duration::from_millis(500));
    press(&mut app, "]");
    for _ in 0..3 {
        app.tick();
        let r = reports(&app);
        assert!(
            r.report.as_ref().is_none_or(|r| r.since == since(&app, 30)),
            "the figures of the period no longer selected were shown"
        );
    }
    // Many presses in a row: only the last period's figures are installed.
    press(&mut app, "[[[]");
    figures_arrive(&mut app);
    let r = reports(&app);
    assert_eq!((r.days, r.report_days), (180, 180));
    assert_eq!(r.report.as_ref().map(|r| r.since), Some(since(&app, 180)));
}

#[test]
fn a_change_in_the_book_is_computed_again_on_the_worker() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::new(book(dir.path())).unwrap();
    press(&mut app, "4");
    figures_arrive(&mut app);
    let before = reports(&app).report.clone().unwrap();
    assert_eq!(before.won.count, 0);
    app.desk.win_deal(1, None).unwrap();
    app.reload();
    // The old figures stay until the new ones come.
    assert!(reports(&app).pending());
    assert_eq!(reports(&app).report.as_ref(), Some(&before));
    figures_arrive(&mut app);
    let after = reports(&app).report.clone().unwrap();
    assert_eq!(after.won.count, 1);
    assert_eq!(after, inline(&mut app, 90));
}
