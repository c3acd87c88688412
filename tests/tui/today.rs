//! The Today screen, the welcome, help, a tiny terminal, wide characters, live refresh and
//! the keymap from the config: the App driven by keys and drawn into a TestBackend.

use crate::support::tui::*;
use insta::assert_snapshot;
use ratatui::crossterm::event::KeyCode;
use salesdesk::domain::follow_up::FollowUpKind;
use salesdesk::ops::Desk;
use salesdesk::storage::Db;
use salesdesk::tui::App;
use salesdesk::tui::screens::today::RowRef;

#[test]
fn today_groups_in_order_first_row_selected() {
    let (app, s) = app();
    assert_eq!(app.today.selected_row(), Some(RowRef::FollowUp(s.ana_call)));
    // The same order as `today --json`: overdue, today (all-day first), upcoming, reconnect.
    let order: Vec<RowRef> = app.today.rows.clone();
    assert_eq!(
        order,
        vec![
            RowRef::FollowUp(s.ana_call),
            RowRef::FollowUp(s.yamada_meeting),
            RowRef::FollowUp(s.bob_email),
            RowRef::FollowUp(s.zoe_call),
            RowRef::FollowUp(s.bob_task),
            RowRef::Reconnect(s.dana),
        ]
    );
    assert_snapshot!("today_120x24", screen(&app, 120, 24));
}

#[test]
fn today_at_80_columns() {
    let (app, _) = app();
    assert_snapshot!("today_80x24", screen(&app, 80, 24));
}

#[test]
fn wide_characters_keep_columns_straight() {
    let (app, _) = app();
    let t = draw(&app, 100, 20);
    let buf = t.backend().buffer();
    // Where the kind column starts on every follow-up row.
    let mut starts = Vec::new();
    for y in 0..buf.area.height - 2 {
        let row: Vec<&str> = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
        for kind in ["call", "email", "meeting", "task"] {
            let word: Vec<String> = kind.chars().map(|c| c.to_string()).collect();
            if let Some(x) = (0..row.len().saturating_sub(word.len())).find(|x| {
                word.iter().enumerate().all(|(i, c)| row[x + i] == c)
                    && row[x - 1] == " "
                    && row[x + word.len()] == " "
            }) {
                starts.push((y, x));
                break;
            }
        }
    }
    assert!(starts.len() >= 5, "{starts:?}\n{}", t.backend());
    assert!(
        starts.iter().all(|(_, x)| *x == starts[0].1),
        "kind column moves: {starts:?}\n{}",
        t.backend()
    );
    assert_snapshot!("today_wide_chars", t.backend().to_string());
}

#[test]
fn moving_and_selection_survive_reload() {
    let (mut app, s) = app();
    press(&mut app, "jj");
    assert_eq!(
        app.today.selected_row(),
        Some(RowRef::FollowUp(s.bob_email))
    );
    press(&mut app, "G");
    assert_eq!(app.today.selected_row(), Some(RowRef::Reconnect(s.dana)));
    press(&mut app, "g");
    app.handle_key(code(KeyCode::Down));
    app.handle_key(code(KeyCode::Down));
    assert_eq!(
        app.today.selected_row(),
        Some(RowRef::FollowUp(s.bob_email))
    );
    // A new overdue item above the selection: the selection stays on Bob's email.
    let ana = s.ana;
    follow_up(
        &mut app.desk,
        ana,
        None,
        FollowUpKind::Task,
        "Older one",
        day(2),
    );
    app.reload();
    assert_eq!(
        app.today.selected_row(),
        Some(RowRef::FollowUp(s.bob_email))
    );
}

#[test]
fn done_marks_and_undo_brings_back() {
    let (mut app, s) = app();
    press(&mut app, "x");
    assert_eq!(status(&app), "done: call with Ana Souza");
    assert!(!app.today.rows.contains(&RowRef::FollowUp(s.ana_call)));
    // The selection moves to what is now first.
    assert_eq!(
        app.today.selected_row(),
        Some(RowRef::FollowUp(s.yamada_meeting))
    );
    press(&mut app, "u");
    assert!(
        status(&app).starts_with("undid marking done"),
        "{}",
        status(&app)
    );
    assert!(app.today.rows.contains(&RowRef::FollowUp(s.ana_call)));
}

#[test]
fn repeating_follow_up_comes_back_when_done() {
    let mut d = desk();
    let s = seed(&mut d);
    d.edit_follow_up(
        s.ana_call,
        &salesdesk::ops::follow_ups::FollowUpEdit {
            every: Some(Some("1w".parse().unwrap())),
            ..Default::default()
        },
        None,
    )
    .unwrap();
    let mut app = App::new(d).unwrap();
    press(&mut app, "x");
    assert_eq!(
        status(&app),
        "done: call with Ana Souza; it comes back Mon 30 Nov"
    );
}

#[test]
fn x_on_a_reconnect_row_explains() {
    let (mut app, s) = app();
    press(&mut app, "G");
    press(&mut app, "x");
    assert!(status(&app).contains("reconnect rows have none"));
    assert!(app.today.rows.contains(&RowRef::Reconnect(s.dana)));
}

#[test]
fn welcome_on_an_empty_book() {
    let app = App::new(desk()).unwrap();
    assert_snapshot!("welcome", screen(&app, 80, 24));
}

#[test]
fn welcome_adds_a_first_contact() {
    let mut app = App::new(desk()).unwrap();
    press(&mut app, "a");
    press(&mut app, "Maria Lopez");
    tab(&mut app);
    press(&mut app, "Umbrella");
    assert_snapshot!("add_contact_popup", screen(&app, 80, 24));
    enter(&mut app);
    assert!(
        status(&app).starts_with("added Maria Lopez"),
        "{}",
        status(&app)
    );
    assert!(!app.today.empty);
    assert_snapshot!("today_no_follow_ups", screen(&app, 80, 12 + 4));
}

#[test]
fn welcome_loads_the_demo_book() {
    let mut app = App::new(desk()).unwrap();
    press(&mut app, "D");
    assert!(
        status(&app).starts_with("demo book loaded:"),
        "{}",
        status(&app)
    );
    assert!(!app.today.empty);
    assert!(!app.today.rows.is_empty());
    assert_eq!(app.today.selected, 0);
    // Not again on a book that holds something: D works on the welcome only, and says so.
    press(&mut app, "D");
    assert_eq!(
        status(&app),
        "D works on the welcome screen: load the demo book"
    );
}

#[test]
fn too_small_says_so_and_does_not_panic() {
    let (mut app, _) = app();
    assert_snapshot!("too_small_20x5", screen(&app, 20, 5));
    press(&mut app, "?");
    let s = screen(&app, 20, 5);
    assert!(s.contains("too small"), "{s}");
    for (w, h) in [(0, 0), (1, 1), (50, 16), (49, 30), (200, 16)] {
        draw(&app, w, h);
    }
}

#[test]
fn help_lists_every_binding() {
    let (mut app, _) = app();
    press(&mut app, "?");
    assert_snapshot!("help_100x40", screen(&app, 100, 40));
    press(&mut app, "jjjjj");
    assert_snapshot!("help_scrolled_80x24", screen(&app, 80, 24));
    esc(&mut app);
    assert!(app.popup.is_none());
    // Every key in the table is reachable from the help: each action's keys are listed.
    let mut app2 = app;
    press(&mut app2, "?");
    let text = screen(&app2, 100, 200);
    for b in &app2.keymap.bindings {
        assert!(text.contains(b.desc), "help lacks {:?}", b.desc);
    }
}

#[test]
fn enter_opens_the_contact_and_esc_comes_back() {
    let (mut app, _) = app();
    enter(&mut app);
    assert_snapshot!("contact_view", screen(&app, 80, 24));
    esc(&mut app);
    assert!(matches!(app.screen, salesdesk::tui::app::Screen::Today));
}

#[test]
fn keys_rebound_from_the_config() {
    let mut d = desk();
    seed(&mut d);
    d.config.keys.insert("done".into(), "d".into());
    let mut app = App::new(d).unwrap();
    press(&mut app, "x");
    assert!(app.status.is_none());
    press(&mut app, "d");
    assert_eq!(status(&app), "done: call with Ana Souza");
    // The help shows the new key.
    press(&mut app, "?");
    let help = screen(&app, 100, 60);
    let line = help
        .lines()
        .find(|l| l.contains("mark the follow-up done"))
        .unwrap();
    assert!(line.contains(" d  "), "{line}");
    assert!(!line.contains(" x "), "{line}");

    let mut d = desk();
    d.config.keys.insert("fly".into(), "z".into());
    let e = App::new(d).err().unwrap().to_string();
    assert!(e.contains("no action named \"fly\""), "{e}");
}

/// Two connections on one file: the second plays the CLI in another terminal.
fn shared_book() -> (tempfile::TempDir, App, Desk, Seed) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.db");
    let mut a = Desk::new(Db::open(&path).unwrap(), clock(), Default::default());
    let s = seed(&mut a);
    let b = Desk::new(Db::open(&path).unwrap(), clock(), Default::default());
    (dir, App::new(a).unwrap(), b, s)
}

#[test]
fn another_process_writing_shows_up() {
    let (_dir, mut app, mut cli, s) = shared_book();
    press(&mut app, "j");
    let id = follow_up(
        &mut cli,
        s.zoe,
        None,
        FollowUpKind::Call,
        "Added elsewhere",
        day(21),
    );
    app.check_for_changes();
    lists_arrive(&mut app);
    assert!(app.today.rows.contains(&RowRef::FollowUp(id)));
    // The selection stayed on the same item.
    assert_eq!(
        app.today.selected_row(),
        Some(RowRef::FollowUp(s.yamada_meeting))
    );
}

#[test]
fn an_edit_of_a_row_changed_elsewhere_is_refused() {
    let (_dir, mut app, mut cli, s) = shared_book();
    // The CLI snoozes Ana's call to today while the TUI still shows it overdue.
    cli.snooze_follow_up(s.ana_call, day(23), None).unwrap();
    press(&mut app, "x");
    assert!(
        status(&app).contains("changed elsewhere"),
        "{}",
        status(&app)
    );
    let f = cli
        .db
        .read(|c| salesdesk::storage::follow_ups::get(c, s.ana_call, clock().now_naive()))
        .unwrap();
    assert_eq!(f.open, salesdesk::domain::follow_up::FollowUpStatus::Open);
    // And the screen was read again: the call is now in Today.
    lists_arrive(&mut app);
    assert_eq!(
        app.today
            .data
            .today
            .iter()
            .filter(|f| f.id == s.ana_call)
            .count(),
        1
    );
}

#[test]
fn paste_outside_a_field_does_nothing() {
    let (mut app, s) = app();
    app.handle_paste("xxq");
    assert!(!app.should_quit());
    assert!(app.today.rows.contains(&RowRef::FollowUp(s.ana_call)));
}

#[test]
fn q_quits() {
    let (mut app, _) = app();
    press(&mut app, "q");
    assert!(app.should_quit());
}

#[test]
fn a_long_list_scrolls_to_keep_the_selection_in_view() {
    let mut d = desk();
    let s = seed(&mut d);
    for i in 0..60 {
        follow_up(
            &mut d,
            s.bob,
            None,
            FollowUpKind::Task,
            &format!("Task number {i}"),
            day(22),
        );
    }
    let mut app = App::new(d).unwrap();
    let top = screen(&app, 80, 24);
    assert!(top.contains("OVERDUE (61)") && top.contains("▶"), "{top}");
    press(&mut app, "G");
    let bottom = screen(&app, 80, 24);
    assert!(
        bottom.contains("▶ ~ 22d quiet   Dana Whitfield"),
        "{bottom}"
    );
    assert!(!bottom.contains("OVERDUE (61)"));
    for _ in 0..20 {
        press(&mut app, "k");
    }
    let mid = screen(&app, 80, 24);
    assert!(mid.contains("▶"), "{mid}");
}

#[test]
fn a_huge_group_loads_a_page_and_counts_the_rest() {
    let mut d = desk();
    let s = seed(&mut d);
    for i in 0..250 {
        follow_up(
            &mut d,
            s.bob,
            None,
            FollowUpKind::Task,
            &format!("Old task {i}"),
            day(2),
        );
    }
    let mut app = App::new(d).unwrap();
    assert_eq!(app.today.data.overdue.len(), 200);
    assert_eq!(app.today.totals, [251, 2, 2]);
    let top = screen(&app, 80, 24);
    assert!(top.contains("OVERDUE (251)"), "{top}");
    // the tab bar's counts need the room four tabs leave at 120 columns
    let wide = screen(&app, 120, 24);
    assert!(wide.contains("251 overdue"), "{wide}");
    press(&mut app, "G");
    let bottom = screen(&app, 80, 24);
    assert!(bottom.contains("… 51 more"), "{bottom}");
}
