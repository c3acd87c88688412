//! Every popup on Today: snooze, note, follow-up, log a call, confirm; pastes into fields.

use crate::support::tui::*;
use insta::assert_snapshot;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use salesdesk::domain::follow_up::FollowUpStatus;
use salesdesk::domain::note::{NoteKind, Outcome};
use salesdesk::storage::{follow_ups, notes};
use salesdesk::tui::App;
use salesdesk::tui::popups::Popup;
use salesdesk::tui::screens::today::RowRef;
use salesdesk::when::When;

fn fu(app: &mut App, id: i64) -> salesdesk::domain::follow_up::FollowUp {
    let now = app.desk.clock.now_naive();
    app.desk.db.read(|c| follow_ups::get(c, id, now)).unwrap()
}

#[test]
fn snooze_menu_one_key() {
    let (mut app, s) = app();
    let next = app.today.rows[1];
    press(&mut app, "s");
    assert_snapshot!("snooze_menu", screen(&app, 80, 24));
    press(&mut app, "w");
    assert!(app.popup.is_none());
    assert_eq!(status(&app), "snoozed call with Ana Souza to Mon 30 Nov");
    assert_eq!(fu(&mut app, s.ana_call).due, day(30));
    // It moved to Upcoming (Monday is the seventh day), and the selection moved on to the
    // row that followed it, as after `x`: the next one to work on.
    assert!(app.today.data.upcoming.iter().any(|f| f.id == s.ana_call));
    assert_eq!(app.today.selected_row(), Some(next));
    assert_ne!(next, RowRef::FollowUp(s.ana_call));
}

#[test]
fn snooze_enter_uses_the_configured_default() {
    let mut d = desk();
    let s = seed(&mut d);
    d.config.follow_up.snooze = "+3d".into();
    let mut app = App::new(d).unwrap();
    press(&mut app, "s");
    enter(&mut app);
    assert_eq!(fu(&mut app, s.ana_call).due, day(26));
}

#[test]
fn snooze_typed_when_shows_its_meaning() {
    let (mut app, s) = app();
    press(&mut app, "jj"); // Bob's email, today 08:00
    press(&mut app, "st");
    press(&mut app, "fri 3pm");
    assert_snapshot!("snooze_typed", screen(&app, 80, 24));
    let text = screen(&app, 80, 24);
    assert!(text.contains("→ Fri 27 Nov 15:00"));
    press(&mut app, "xx");
    assert!(screen(&app, 80, 24).contains("not a WHEN"));
    // Enter on words that are no date keeps the menu open and says why.
    enter(&mut app);
    assert!(app.popup.is_some());
    assert!(status(&app).contains("cannot read"));
    for _ in 0..2 {
        app.handle_key(code(KeyCode::Backspace));
    }
    enter(&mut app);
    assert!(app.popup.is_none());
    assert_eq!(fu(&mut app, s.bob_email).due, at(27, 15, 0));
}

#[test]
fn quick_note_with_inline_commands() {
    let (mut app, s) = app();
    press(&mut app, "n");
    press(&mut app, "Asked for a discount");
    app.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::ALT));
    press(&mut app, "send numbers #proposal @fri");
    assert_snapshot!("note_popup", screen(&app, 80, 24));
    let shown = screen(&app, 80, 24);
    assert!(
        shown.contains("will: deal #1 Acme rollout → Proposal"),
        "{shown}"
    );
    assert!(shown.contains("will: next follow-up Fri 27 Nov"), "{shown}");
    enter(&mut app);
    assert!(app.popup.is_none(), "{}", status(&app));
    assert!(
        status(&app).starts_with("note saved on Ana Souza"),
        "{}",
        status(&app)
    );
    let ns = app
        .desk
        .db
        .read(|c| notes::for_contact(c, s.ana, 5))
        .unwrap();
    assert_eq!(ns.len(), 1);
    assert_eq!(
        ns[0].body,
        "Asked for a discount\nsend numbers #proposal @fri"
    );
    assert_eq!(ns[0].kind, NoteKind::Note);
    let deal = app
        .desk
        .db
        .read(|c| salesdesk::storage::deals::get(c, s.deal))
        .unwrap();
    assert_eq!(deal.stage, "Proposal");
}

#[test]
fn note_typing_x_types_an_x_and_ctrl_j_breaks_the_line() {
    let (mut app, s) = app();
    press(&mut app, "n");
    press(&mut app, "xsq");
    app.handle_key(ctrl('j'));
    press(&mut app, "u?");
    assert!(!app.should_quit());
    enter(&mut app);
    let ns = app
        .desk
        .db
        .read(|c| notes::for_contact(c, s.ana, 5))
        .unwrap();
    assert_eq!(ns[0].body, "xsq\nu?");
    // Nothing else happened: the follow-up is still open.
    assert_eq!(fu(&mut app, s.ana_call).open, FollowUpStatus::Open);
}

#[test]
fn note_command_that_cannot_apply_says_why_before_saving() {
    let (mut app, s) = app();
    press(&mut app, "jj"); // Bob has no deal
    press(&mut app, "n");
    press(&mut app, "Happy #won");
    let shown = screen(&app, 100, 24);
    assert!(shown.contains("no open deal"), "{shown}");
    enter(&mut app);
    assert!(app.popup.is_some());
    assert!(status(&app).contains("nothing saved"));
    let ns = app
        .desk
        .db
        .read(|c| notes::for_contact(c, s.bob, 5))
        .unwrap();
    assert!(ns.is_empty());
}

#[test]
fn paste_goes_whole_into_the_note() {
    let (mut app, s) = app();
    press(&mut app, "n");
    app.handle_paste("line one\nline two x q");
    enter(&mut app);
    let ns = app
        .desk
        .db
        .read(|c| notes::for_contact(c, s.ana, 5))
        .unwrap();
    assert_eq!(ns[0].body, "line one\nline two x q");
}

#[test]
fn ctrl_e_asks_for_the_editor_and_takes_its_text() {
    let (mut app, s) = app();
    press(&mut app, "n");
    press(&mut app, "draft");
    app.handle_key(ctrl('e'));
    assert_eq!(
        app.take_request(),
        Some(salesdesk::tui::Request::Editor("draft".into()))
    );
    app.editor_done(Ok("from the editor\nsecond line\n".into()));
    enter(&mut app);
    let ns = app
        .desk
        .db
        .read(|c| notes::for_contact(c, s.ana, 5))
        .unwrap();
    assert_eq!(ns[0].body, "from the editor\nsecond line");
}

#[test]
fn escape_with_text_asks_first() {
    let (mut app, s) = app();
    press(&mut app, "n");
    press(&mut app, "half a thought");
    esc(&mut app);
    assert_snapshot!("confirm_discard", screen(&app, 80, 24));
    press(&mut app, "n");
    assert!(matches!(app.popup, Some(Popup::Note(_))));
    esc(&mut app);
    press(&mut app, "y");
    assert!(app.popup.is_none());
    let ns = app
        .desk
        .db
        .read(|c| notes::for_contact(c, s.ana, 5))
        .unwrap();
    assert!(ns.is_empty());
    // An empty form closes at once.
    press(&mut app, "n");
    esc(&mut app);
    assert!(app.popup.is_none());
}

#[test]
fn new_follow_up_for_the_selected_contact() {
    let (mut app, s) = app();
    press(&mut app, "f");
    for _ in 0.."tomorrow".len() {
        app.handle_key(code(KeyCode::Backspace));
    }
    press(&mut app, "thu 10:30");
    tab(&mut app);
    press(&mut app, "Demo for the team");
    tab(&mut app);
    press(&mut app, "m");
    assert_snapshot!("follow_up_popup", screen(&app, 80, 24));
    enter(&mut app);
    assert!(status(&app).starts_with("follow-up #"), "{}", status(&app));
    let list = app
        .desk
        .db
        .read(|c| {
            follow_ups::list(
                c,
                &salesdesk::domain::follow_up::ListFilter {
                    contact_id: Some(s.ana),
                    ..Default::default()
                },
                clock().now_naive(),
            )
        })
        .unwrap();
    let new = list.iter().find(|f| f.text == "Demo for the team").unwrap();
    assert_eq!(new.due, at(26, 10, 30));
    assert_eq!(new.kind.as_str(), "meeting");
    assert_eq!(new.deal_id, Some(s.deal));
}

#[test]
fn follow_up_picks_a_contact_by_typing_when_none_is_selected() {
    let mut d = desk();
    let id = contact(&mut d, "山田太郎", Some("株式会社サンプル"), None);
    contact(&mut d, "Ana Souza", Some("Acme"), None);
    let mut app = App::new(d).unwrap();
    assert!(app.today.rows.is_empty());
    press(&mut app, "f");
    press(&mut app, "山田");
    assert_snapshot!("follow_up_pick_contact", screen(&app, 80, 24));
    enter(&mut app); // takes the candidate, goes on to WHEN
    enter(&mut app); // saves with the default "tomorrow"
    assert!(app.popup.is_none(), "{}", status(&app));
    assert_eq!(app.today.data.upcoming.len(), 1);
    assert_eq!(app.today.data.upcoming[0].contact_id, id);
    assert_eq!(app.today.data.upcoming[0].due, When::Day(day(24).date()));
}

#[test]
fn log_a_call_in_one_form() {
    let (mut app, s) = app();
    press(&mut app, "c");
    press(&mut app, "Talked numbers");
    tab(&mut app);
    press(&mut app, "v");
    assert_snapshot!("call_form", screen(&app, 80, 24));
    tab(&mut app); // next follow-up: pre-filled from the config (+2d)
    enter(&mut app);
    assert!(app.popup.is_none(), "{}", status(&app));
    let ns = app
        .desk
        .db
        .read(|c| notes::for_contact(c, s.ana, 5))
        .unwrap();
    assert_eq!(ns[0].kind, NoteKind::Call);
    assert_eq!(ns[0].outcome, Some(Outcome::Voicemail));
    assert_eq!(ns[0].deal_id, Some(s.deal));
    assert_eq!(fu(&mut app, s.ana_call).open, FollowUpStatus::Done);
    let next = app
        .today
        .data
        .upcoming
        .iter()
        .find(|f| f.contact_id == s.ana)
        .unwrap();
    assert_eq!(next.due, day(25));
    // One transaction: one undo takes all of it back.
    press(&mut app, "u");
    assert_eq!(fu(&mut app, s.ana_call).open, FollowUpStatus::Open);
    let ns = app
        .desk
        .db
        .read(|c| notes::for_contact(c, s.ana, 5))
        .unwrap();
    assert!(ns.is_empty());
}

#[test]
fn call_form_with_no_next_step() {
    let (mut app, s) = app();
    press(&mut app, "c");
    press(&mut app, "Done deal");
    tab(&mut app);
    tab(&mut app);
    app.handle_key(ctrl('u'));
    assert!(screen(&app, 80, 24).contains("no next follow-up"));
    enter(&mut app);
    assert!(app.popup.is_none(), "{}", status(&app));
    assert!(
        !app.today
            .data
            .upcoming
            .iter()
            .any(|f| f.contact_id == s.ana)
    );
}

#[test]
fn every_popup_and_step_draws_at_any_size() {
    let sizes = [
        (50, 16),
        (51, 17),
        (64, 20),
        (80, 24),
        (200, 60),
        (30, 40),
        (20, 5),
    ];
    let check = |app: &App| {
        for (w, h) in sizes {
            draw(app, w, h);
        }
    };
    let (mut app, _) = app();
    for keys in ["?", "s", "st", "n", "f", "c"] {
        press(&mut app, keys);
        press(&mut app, "ab");
        check(&app);
        for _ in 0..3 {
            if matches!(app.popup, Some(Popup::Confirm(_))) {
                press(&mut app, "y");
            } else if app.popup.is_some() {
                esc(&mut app);
            }
        }
        assert!(app.popup.is_none(), "{keys}");
    }
    press(&mut app, "F");
    check(&app);
    press(&mut app, "c");
    press(&mut app, "some words");
    check(&app);
    enter(&mut app);
    check(&app);
    press(&mut app, "t");
    press(&mut app, "fri");
    check(&app);
    let mut empty = App::new(desk()).unwrap();
    check(&empty);
    press(&mut empty, "a");
    check(&empty);
}
