//! Issue 16, a day at the desk, the TUI's part A: the call form's next step (the note's date
//! wins, a text field), call mode's outcomes by kind and its wrapped notes, Today's columns,
//! the status line, keys that say where they work, and help that opens where you are.

use crate::support::tui::{self, *};
use insta::assert_snapshot;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use salesdesk::domain::follow_up::{FollowUpKind, FollowUpStatus};
use salesdesk::domain::note::{NoteKind, Outcome};
use salesdesk::ops::notes::NoteInput;
use salesdesk::storage::{follow_ups, notes};
use salesdesk::tui::App;
use salesdesk::tui::app::Screen;
use salesdesk::tui::popups::Popup;
use salesdesk::tui::popups::call_form::CallForm;
use salesdesk::tui::screens::call::CallScreen;
use salesdesk::when::When;

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

fn form(app: &App) -> &CallForm {
    match &app.popup {
        Some(Popup::Call(f)) => f,
        other => panic!("no call form: {other:?}"),
    }
}

fn call(app: &App) -> &CallScreen {
    match &app.screen {
        Screen::Call(c) => c,
        other => panic!("not in call mode: {other:?}"),
    }
}

fn clear_field(app: &mut App) {
    app.handle_key(ctrl('u'));
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
}

/// The text on screen under the call form's Next field, and in its plan.
fn previews(app: &App) -> String {
    screen(app, 100, 30)
}

#[test]
fn a_date_in_the_note_wins_over_the_prefilled_next_step_and_the_preview_says_what_is_saved() {
    // (note, what to do with the pre-filled Next field, the next follow-up's due date)
    let fri = Some(day(27));
    let wed = Some(day(25)); // the pre-fill, +2d
    let cases: [(&str, Option<&str>, Option<When>); 5] = [
        ("Sent the numbers @fri", None, fri),
        ("Sent the numbers @fri", Some(""), fri),
        ("Sent the numbers @fri", Some("dec 3"), fri),
        ("Sent the numbers", None, wed),
        ("Sent the numbers", Some(""), None),
    ];
    for (note, next, due) in cases {
        let (mut app, s) = app();
        press(&mut app, "c");
        type_text(&mut app, note);
        if let Some(n) = next {
            tab(&mut app);
            tab(&mut app);
            clear_field(&mut app);
            type_text(&mut app, n);
        }
        let shown = previews(&app);
        match due {
            Some(d) => {
                let words = salesdesk::when::describe(d, clock().now_naive());
                assert!(
                    shown.contains(&format!("will: next follow-up {words}")),
                    "{note:?} {next:?}: the plan should say {words}\n{shown}"
                );
                assert!(
                    shown.contains(&format!("→ {words}")),
                    "{note:?} {next:?}: the Next field should say {words}\n{shown}"
                );
            }
            None => {
                assert!(!shown.contains("will: next follow-up"), "{shown}");
                assert!(shown.contains("no next follow-up"), "{shown}");
            }
        }
        enter(&mut app);
        assert!(app.popup.is_none(), "{note:?} {next:?}: {}", status(&app));
        let open = open_of(&mut app, s.ana);
        assert_eq!(
            open.iter().map(|f| f.due).collect::<Vec<_>>(),
            due.into_iter().collect::<Vec<_>>(),
            "{note:?} {next:?}"
        );
    }
}

#[test]
fn the_call_form_has_the_next_steps_text_prefilled_from_the_due_follow_up() {
    let (mut app, s) = app();
    press(&mut app, "c");
    assert_eq!(form(&app).next_text.text(), "Pricing call");
    type_text(&mut app, "Wants a quote for 40 seats");
    for _ in 0..3 {
        tab(&mut app);
    }
    assert_snapshot!("call_form_next_text", screen(&app, 80, 24));
    clear_field(&mut app);
    type_text(&mut app, "Send the 40-seat quote");
    enter(&mut app);
    let open = open_of(&mut app, s.ana);
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].text, "Send the 40-seat quote");

    // Emptied, the text is made from the note, as the form says.
    let (mut app, s) = tui::app();
    press(&mut app, "c");
    type_text(&mut app, "Wants a quote");
    for _ in 0..3 {
        tab(&mut app);
    }
    clear_field(&mut app);
    tab(&mut app);
    assert!(
        screen(&app, 80, 24).contains("Follow up: Wants a quote (from the note)"),
        "{}",
        screen(&app, 80, 24)
    );
    enter(&mut app);
    assert_eq!(open_of(&mut app, s.ana)[0].text, "Follow up: Wants a quote");
}

#[test]
fn the_call_form_asks_for_outcomes_that_fit_the_follow_up() {
    // Today's rows: Ana's call (overdue), Yamada's meeting, Bob's email.
    let cases = [
        (0, "Log a call with Ana Souza", "connected", NoteKind::Call),
        (1, "Log a meeting with", "held", NoteKind::Meeting),
        (2, "Log an email with Bob Lee", "sent", NoteKind::Email),
    ];
    for (row, title, first, kind) in cases {
        let (mut app, _) = app();
        for _ in 0..row {
            press(&mut app, "j");
        }
        press(&mut app, "c");
        let shown = screen(&app, 80, 24);
        assert!(shown.contains(title), "{shown}");
        assert!(shown.contains(&format!("[{first}]")), "{shown}");
        assert_eq!(form(&app).kind, kind);
    }
    // The email's second outcome is a reply, saved as such.
    let (mut app, s) = app();
    press(&mut app, "jjc");
    type_text(&mut app, "They answered");
    tab(&mut app);
    press(&mut app, "r");
    tab(&mut app);
    clear_field(&mut app);
    enter(&mut app);
    let n = &app
        .desk
        .db
        .read(|c| notes::for_contact(c, s.bob, 5))
        .unwrap()[0];
    assert_eq!(
        (n.kind, n.outcome),
        (NoteKind::Email, Some(Outcome::Replied))
    );
}

#[test]
fn call_mode_outcomes_fit_the_kind_and_are_saved() {
    let (mut app, s) = app();
    press(&mut app, "F");
    // Ana: a call.
    assert_snapshot!("call_mode_call_outcomes", screen(&app, 80, 24));
    press(&mut app, "v");
    enter(&mut app);
    press(&mut app, "0");
    // Yamada: a meeting; `c` means nothing here, `n` is a no-show.
    assert_eq!(call(&app).current().map(|f| f.contact_id), Some(s.yamada));
    assert_snapshot!("call_mode_meeting_outcomes", screen(&app, 80, 24));
    press(&mut app, "c");
    assert_eq!(
        call(&app).step,
        salesdesk::tui::screens::call::Step::Outcome
    );
    press(&mut app, "n");
    enter(&mut app);
    press(&mut app, "0");
    // Bob: an email, sent.
    assert_eq!(call(&app).current().map(|f| f.contact_id), Some(s.bob));
    assert_snapshot!("call_mode_email_outcomes", screen(&app, 80, 24));
    press(&mut app, "e");
    enter(&mut app);
    press(&mut app, "0");
    let last = |app: &mut App, id| {
        app.desk
            .db
            .read(|c| notes::for_contact(c, id, 1))
            .unwrap()
            .remove(0)
    };
    let (a, y, b) = (
        last(&mut app, s.ana),
        last(&mut app, s.yamada),
        last(&mut app, s.bob),
    );
    assert_eq!(
        (a.kind, a.outcome),
        (NoteKind::Call, Some(Outcome::Voicemail))
    );
    assert_eq!(
        (y.kind, y.outcome, y.body.as_str()),
        (NoteKind::Meeting, Some(Outcome::NoShow), "Meeting: no-show")
    );
    assert_eq!(
        (b.kind, b.outcome, b.body.as_str()),
        (NoteKind::Email, None, "Email: sent")
    );
}

#[test]
fn call_mode_takes_the_next_steps_text_and_a_notes_own_date() {
    let (mut app, s) = app();
    press(&mut app, "F");
    press(&mut app, "c");
    type_text(&mut app, "Wants a quote");
    assert_snapshot!("call_mode_note_with_next_text", screen(&app, 80, 24));
    tab(&mut app);
    clear_field(&mut app);
    type_text(&mut app, "Send the quote");
    enter(&mut app);
    assert!(
        screen(&app, 80, 24).contains("next follow-up: Send the quote"),
        "{}",
        screen(&app, 80, 24)
    );
    press(&mut app, "w");
    let open = open_of(&mut app, s.ana);
    assert_eq!(open.len(), 1);
    assert_eq!(
        (open[0].text.as_str(), open[0].due),
        ("Send the quote", day(30))
    );

    // Yamada: the note ends with @fri: Enter saves it with that date, no menu to override it.
    press(&mut app, "h");
    type_text(&mut app, "Went well @fri");
    let shown = screen(&app, 100, 30);
    assert!(
        shown.contains("the note's @ schedules Fri 27 Nov: Enter saves"),
        "{shown}"
    );
    enter(&mut app);
    let open = open_of(&mut app, s.yamada);
    assert_eq!(open.len(), 1, "{}", status(&app));
    assert_eq!(
        (open[0].text.as_str(), open[0].due),
        ("東京オフィス訪問", day(27))
    );
    assert_eq!(open[0].kind, FollowUpKind::Meeting);
}

#[test]
fn call_mode_wraps_earlier_notes_and_asks_to_leave_in_full() {
    let (mut app, s) = app();
    let long = "Talked through the rollout plan with procurement; they want the security \
                questionnaire answered before the pilot and a second quote for forty seats";
    let mut n = NoteInput::new(s.ana, long);
    n.kind = NoteKind::Call;
    app.desk.log_note(&n).unwrap();
    press(&mut app, "F");
    let shown = screen(&app, 80, 24);
    assert_snapshot!("call_mode_wrapped_note", shown);
    // Every word of the note is on screen whole.
    for word in long.split_whitespace() {
        assert!(shown.contains(word), "{word:?} is cut:\n{shown}");
    }
    press(&mut app, "c");
    type_text(&mut app, "half a thought");
    esc(&mut app);
    let shown = screen(&app, 80, 24);
    assert!(
        shown.contains("Leave call mode? The note typed here is not saved.")
            || shown.contains("Leave call mode? The note typed here is not"),
        "{shown}"
    );
    assert_snapshot!("call_mode_leave_question", shown);
}

#[test]
fn todays_columns_give_spare_width_to_the_text_then_the_deal() {
    for w in [70u16, 80, 120, 200] {
        let (app, _) = app();
        let shown = screen(&app, w, 20);
        // The task texts and the deal are whole wherever there is room at the end of the row.
        if w >= 80 {
            for text in ["Pricing call", "Send the proposal", "Prepare the renewal"] {
                assert!(shown.contains(text), "{w}: {text:?} cut\n{shown}");
            }
        }
        if w >= 120 {
            assert!(shown.contains("Acme rollout 12k USD"), "{w}:\n{shown}");
            assert!(!shown.contains('…'), "{w}: something cut\n{shown}");
        }
        assert_snapshot!(format!("today_columns_{w}"), shown);
    }
}

#[test]
fn the_status_line_says_the_stage_move_first_and_wraps_a_long_message() {
    let (mut app, _) = app();
    press(&mut app, "n");
    type_text(&mut app, "Agreed on the terms @fri #proposal $14,000");
    enter(&mut app);
    let said = status(&app);
    assert!(
        said.starts_with(
            "note saved on Ana Souza; deal #1 Acme rollout → Proposal; next follow-up"
        ),
        "{said}"
    );
    let shown = screen(&app, 80, 24);
    assert!(
        shown.contains("value → 14,000 USD"),
        "the end is shown too:\n{shown}"
    );
    assert_snapshot!("status_two_rows", shown);
}

#[test]
fn keys_that_do_nothing_here_say_where_they_work() {
    enum Place {
        Today,
        Contact,
        Contacts,
        Reports,
    }
    let cases = [
        (
            Place::Contact,
            'x',
            "x works on Today: mark the follow-up done",
        ),
        (
            Place::Contact,
            's',
            "s works on Today: snooze menu; on Contacts: sort by the next column",
        ),
        // `e` on Today edits the follow-up; `L` closes a deal, so it says where deals are.
        (Place::Today, 'L', "L works on the board and on a deal"),
        (Place::Contacts, 'x', "x works on Today"),
        (
            Place::Reports,
            'W',
            "W works on the board and on a deal: mark the deal won",
        ),
        (Place::Today, 'R', "R works on a closed deal"),
    ];
    for (place, k, want) in cases {
        let (mut app, _) = app();
        match place {
            Place::Today => {}
            Place::Contact => enter(&mut app),
            Place::Contacts => press(&mut app, "3"),
            Place::Reports => press(&mut app, "4"),
        }
        app.status = None;
        press(&mut app, &k.to_string());
        let said = status(&app);
        assert!(said.starts_with(want), "{k}: {said:?}, want {want:?}");
    }
    // A key no screen uses stays quiet.
    let (mut app, _) = app();
    press(&mut app, "z");
    assert_eq!(status(&app), "");
}

#[test]
fn help_opens_at_the_keys_of_where_you_are() {
    for (keys, first) in [
        ("", "Today (here)"),
        ("3", "Contacts (here)"),
        ("2", "Pipeline (here)"),
    ] {
        let (mut app, _) = app();
        press(&mut app, keys);
        press(&mut app, "?");
        let shown = screen(&app, 100, 30);
        let top = shown.lines().nth(3).unwrap_or("");
        assert!(top.contains(first), "{keys:?}: {top}\n{shown}");
    }
    let (mut app, _) = app();
    press(&mut app, "?");
    for _ in 0..200 {
        press(&mut app, "j");
    }
    let shown = screen(&app, 100, 64);
    assert!(
        shown.contains("Alt-Enter/Ctrl-j  new line in a note"),
        "{shown}"
    );
    assert_snapshot!("help_at_today", {
        let (mut app, _) = tui::app();
        press(&mut app, "?");
        screen(&app, 100, 30)
    });
}
