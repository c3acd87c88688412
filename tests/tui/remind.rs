//! The open desk and reminders: a timed follow-up that comes due is said on the status line
//! at once, its row turns late without a key, and `[remind] bell = true` rings once.

use crate::support::tui::*;
use insta::assert_snapshot;
use salesdesk::domain::follow_up::FollowUpKind;
use salesdesk::tui::App;

#[test]
fn a_follow_up_that_comes_due_is_said_and_turns_late_without_a_key() {
    let mut d = desk();
    let ana = contact(&mut d, "Ana Pereira", Some("Acme"), None);
    let bo = contact(&mut d, "Bo Lindqvist", None, None);
    follow_up(
        &mut d,
        ana,
        None,
        FollowUpKind::Call,
        "pricing",
        at(23, 9, 30),
    );
    follow_up(
        &mut d,
        bo,
        None,
        FollowUpKind::Email,
        "the deck",
        at(23, 11, 0),
    );
    d.config.remind.bell = true;
    let mut app = App::new(d).unwrap();
    app.clock_moved(clock_at(23, 9, 29).now());
    assert_eq!(status(&app), "");
    assert!(!app.take_bell());
    assert!(!app.today.follow_up(1).unwrap().late);

    app.clock_moved(clock_at(23, 9, 31).now());
    assert_eq!(status(&app), "Due now: Call Ana Pereira · 09:30");
    assert!(app.today.follow_up(1).unwrap().late, "the row turned late");
    assert!(!app.today.follow_up(2).unwrap().late);
    assert!(app.take_bell(), "the bell rings once");
    assert!(!app.take_bell());
    assert_snapshot!("today_came_due_80x24", screen(&app, 80, 24));

    // A minute later nothing new came due: no second bell.
    app.clock_moved(clock_at(23, 9, 32).now());
    assert!(!app.take_bell());
}

#[test]
fn without_the_bell_the_desk_only_says_it() {
    let mut d = desk();
    let ana = contact(&mut d, "Ana Pereira", None, None);
    follow_up(
        &mut d,
        ana,
        None,
        FollowUpKind::Meeting,
        "demo",
        at(23, 10, 0),
    );
    follow_up(
        &mut d,
        ana,
        None,
        FollowUpKind::Call,
        "again",
        at(23, 10, 0),
    );
    let mut app = App::new(d).unwrap();
    app.clock_moved(clock_at(23, 10, 0).now());
    assert_eq!(
        status(&app),
        "Due now: Meet Ana Pereira · 10:00 (and 1 more)"
    );
    assert!(!app.take_bell());
}
