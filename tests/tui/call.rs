//! Call mode: one due contact at a time; outcome, note, next step; saved at the last step in
//! one transaction; skip; leave.

use crate::support::tui::*;
use insta::assert_snapshot;
use salesdesk::domain::follow_up::FollowUpStatus;
use salesdesk::domain::note::{NoteKind, Outcome};
use salesdesk::storage::{follow_ups, notes};
use salesdesk::tui::App;
use salesdesk::tui::app::Screen;
use salesdesk::tui::screens::call::Step;

fn call(app: &App) -> &salesdesk::tui::screens::call::CallScreen {
    match &app.screen {
        Screen::Call(c) => c,
        other => panic!("not in call mode: {other:?}"),
    }
}

fn open_of(app: &mut App, contact: i64) -> Vec<salesdesk::domain::follow_up::FollowUp> {
    app.desk
        .db
        .read(|c| {
            follow_ups::list(
                c,
                &salesdesk::domain::follow_up::ListFilter {
                    contact_id: Some(contact),
                    status: Some(FollowUpStatus::Open),
                    ..Default::default()
                },
                clock().now_naive(),
            )
        })
        .unwrap()
}

#[test]
fn three_steps_then_one_save_then_the_next_contact() {
    let (mut app, s) = app();
    press(&mut app, "F");
    assert_eq!(
        call(&app).queue.len(),
        3,
        "Ana (overdue), Yamada and Bob (today)"
    );
    assert_snapshot!("call_outcome", screen(&app, 80, 24));

    press(&mut app, "c");
    assert_eq!(call(&app).step, Step::Note);
    press(&mut app, "Wants a quote for 40 seats");
    assert_snapshot!("call_note", screen(&app, 80, 24));
    // Nothing is saved before the last step.
    assert!(
        app.desk
            .db
            .read(|c| notes::for_contact(c, s.ana, 5))
            .unwrap()
            .is_empty()
    );

    enter(&mut app);
    assert_eq!(call(&app).step, Step::Next);
    assert_snapshot!("call_next", screen(&app, 80, 24));
    press(&mut app, "w");

    let ns = app
        .desk
        .db
        .read(|c| notes::for_contact(c, s.ana, 5))
        .unwrap();
    assert_eq!(ns.len(), 1);
    assert_eq!(ns[0].kind, NoteKind::Call);
    assert_eq!(ns[0].outcome, Some(Outcome::Connected));
    assert_eq!(ns[0].body, "Wants a quote for 40 seats");
    let open = open_of(&mut app, s.ana);
    assert_eq!(
        open.len(),
        1,
        "the due call is done and the next one is scheduled"
    );
    assert_eq!(open[0].due, day(30));
    assert!(
        status(&app).starts_with("call with Ana Souza saved"),
        "{}",
        status(&app)
    );

    // The next contact comes up; the counter moved.
    let c = call(&app);
    assert_eq!(c.current().map(|f| f.contact_id), Some(s.yamada));
    assert_eq!(c.queue.len(), 2);
    assert_eq!(c.done_today, 1);
    assert_snapshot!("call_second_contact", screen(&app, 80, 24));
}

#[test]
fn skip_leaves_the_contact_untouched() {
    let (mut app, s) = app();
    press(&mut app, "F");
    press(&mut app, "s");
    assert_eq!(call(&app).current().map(|f| f.contact_id), Some(s.yamada));
    assert_eq!(open_of(&mut app, s.ana).len(), 1);
    assert!(
        app.desk
            .db
            .read(|c| notes::for_contact(c, s.ana, 5))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn no_answer_with_none_next_and_typed_when() {
    let (mut app, s) = app();
    press(&mut app, "F");
    press(&mut app, "n");
    enter(&mut app); // an empty note is fine: it says what happened
    press(&mut app, "0");
    let ns = app
        .desk
        .db
        .read(|c| notes::for_contact(c, s.ana, 5))
        .unwrap();
    assert_eq!(ns[0].body, "Call: no-answer");
    assert_eq!(ns[0].outcome, Some(Outcome::NoAnswer));
    assert!(open_of(&mut app, s.ana).is_empty());

    // Yamada: a meeting held, and a typed WHEN.
    press(&mut app, "h");
    enter(&mut app);
    press(&mut app, "t");
    press(&mut app, "dec 3 10am");
    assert_snapshot!("call_typed_when", screen(&app, 80, 24));
    enter(&mut app);
    let open = open_of(&mut app, s.yamada);
    assert_eq!(open.len(), 1);
    assert_eq!(
        open[0].due,
        salesdesk::when::When::At(
            chrono::NaiveDate::from_ymd_opt(2026, 12, 3)
                .unwrap()
                .and_hms_opt(10, 0, 0)
                .unwrap()
        )
    );
}

#[test]
fn escape_leaves_and_asks_when_a_note_was_typed() {
    let (mut app, s) = app();
    press(&mut app, "F");
    esc(&mut app);
    assert!(matches!(app.screen, Screen::Today));
    press(&mut app, "F");
    press(&mut app, "c");
    press(&mut app, "half");
    esc(&mut app);
    assert!(app.popup.is_some());
    press(&mut app, "n");
    assert!(matches!(app.screen, Screen::Call(_)));
    esc(&mut app);
    press(&mut app, "y");
    assert!(matches!(app.screen, Screen::Today));
    assert!(
        app.desk
            .db
            .read(|c| notes::for_contact(c, s.ana, 5))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn going_through_everyone_ends_on_a_done_screen() {
    let (mut app, _) = app();
    press(&mut app, "F");
    // Ana's call connected, Yamada's meeting held, Bob's email sent.
    for outcome in ["c", "h", "e"] {
        press(&mut app, outcome);
        enter(&mut app);
        press(&mut app, "0");
    }
    assert!(call(&app).current().is_none());
    assert_snapshot!("call_all_done", screen(&app, 80, 24));
    esc(&mut app);
    assert!(matches!(app.screen, Screen::Today));
    assert!(app.today.data.overdue.is_empty());
}

#[test]
fn nothing_due_means_no_call_mode() {
    let mut app = App::new(desk()).unwrap();
    press(&mut app, "a");
    press(&mut app, "Solo");
    enter(&mut app);
    press(&mut app, "F");
    assert!(matches!(app.screen, Screen::Today));
    assert!(status(&app).contains("nothing due"));
}
