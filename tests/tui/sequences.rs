//! Sequences on the desk: `S` on a contact's page or a Today row starts one (a picker showing
//! the steps) or stops it; the page shows the step and what comes next; `x` and call mode
//! move it on, call mode offering the sequence's own next step as its default (`Enter`).

use crate::support::tui::*;
use salesdesk::config::Config;
use salesdesk::ops::Desk;
use salesdesk::tui::App;
use salesdesk::tui::nav::Target;

const NEW_LEAD: &str = r#"
[sequences.new-lead]
steps = [
  { after = "0d", kind = "call",  text = "Intro call" },
  { after = "2d", kind = "email", text = "Send the case study" },
  { after = "3d", kind = "call",  text = "Second call" },
]
"#;

/// A desk (Monday 23 Nov, 09:00) with the sequence configured and Ana, in none yet.
fn app_with_ana() -> (App, i64) {
    let (d, ana) = desk_with_ana();
    (App::new(d).unwrap(), ana)
}

fn desk_with_ana() -> (Desk, i64) {
    let mut d = Desk::in_memory(clock()).unwrap();
    d.config = Config::parse(NEW_LEAD).unwrap();
    let ana = contact(&mut d, "Ana Pereira", Some("Acme"), Some("+1 555 0100"));
    (d, ana)
}

/// The desk on Today with Ana in the sequence.
fn app_in_sequence() -> (App, i64) {
    let (mut d, ana) = desk_with_ana();
    d.start_sequence(ana, "new-lead", None).unwrap();
    let mut app = App::new(d).unwrap();
    lists_arrive(&mut app);
    (app, ana)
}

fn in_sequence(app: &mut App, who: i64) -> Option<salesdesk::domain::sequence::Enrollment> {
    app.desk.sequence_of(who).unwrap()
}

#[test]
fn s_on_a_contact_page_picks_a_sequence_then_stops_it() {
    let (mut app, ana) = app_with_ana();
    app.go(Target::Contact(ana));
    press(&mut app, "S");
    let shown = screen(&app, 80, 24);
    assert!(
        shown.contains("Start a sequence for Ana Pereira"),
        "{shown}"
    );
    assert!(shown.contains("new-lead (3 steps)"), "{shown}");
    assert!(
        shown.contains("after 2d · email · Send the case study"),
        "{shown}"
    );
    enter(&mut app);
    assert!(
        status(&app).contains("in sequence new-lead"),
        "{}",
        status(&app)
    );
    assert_eq!(in_sequence(&mut app, ana).map(|e| e.step), Some(1));
    let shown = screen(&app, 100, 40);
    assert!(shown.contains("SEQUENCE new-lead · step 1 of 3"), "{shown}");
    assert!(
        shown.contains("then: email · Send the case study · 2d after"),
        "{shown}"
    );
    assert!(shown.contains("Intro call (new-lead 1/3)"), "{shown}");
    press(&mut app, "S");
    assert!(
        status(&app).contains("stopped sequence new-lead"),
        "{}",
        status(&app)
    );
    assert!(in_sequence(&mut app, ana).is_none());
    press(&mut app, "u");
    assert!(in_sequence(&mut app, ana).is_some(), "undo puts it back");
}

#[test]
fn x_on_today_moves_the_sequence_on_and_the_row_shows_its_label() {
    let (mut app, ana) = app_in_sequence();
    let shown = screen(&app, 100, 24);
    assert!(shown.contains("new-lead 1/3 · Intro call"), "{shown}");
    press(&mut app, "x");
    lists_arrive(&mut app);
    assert_eq!(in_sequence(&mut app, ana).map(|e| e.step), Some(2));
    press(&mut app, "A"); // the agenda: 30 days ahead
    lists_arrive(&mut app);
    let shown = screen(&app, 100, 24);
    assert!(
        shown.contains("new-lead 2/3 · Send the case study"),
        "{shown}"
    );
}

#[test]
fn s_on_a_today_row_starts_one() {
    let (mut d, ana) = desk_with_ana();
    follow_up(
        &mut d,
        ana,
        None,
        salesdesk::domain::follow_up::FollowUpKind::Call,
        "Say hello",
        day(23),
    );
    let mut app = App::new(d).unwrap();
    lists_arrive(&mut app);
    press(&mut app, "S");
    enter(&mut app);
    assert!(in_sequence(&mut app, ana).is_some(), "{}", status(&app));
}

#[test]
fn call_mode_offers_the_sequences_next_step_as_its_default() {
    let (mut app, ana) = app_in_sequence();
    press(&mut app, "F");
    press(&mut app, "v");
    press(&mut app, "left a message");
    enter(&mut app);
    let shown = screen(&app, 100, 30);
    assert!(
        shown.contains("next step of the sequence: 2 email · Wed 25 Nov"),
        "{shown}"
    );
    enter(&mut app);
    let e = in_sequence(&mut app, ana).expect("still in it");
    assert_eq!(e.step, 2);
    assert_eq!(e.next_due.as_deref(), Some("2026-11-25"));
    let open = app.desk.contact_view(ana, 5).unwrap().follow_ups;
    assert_eq!(open.len(), 1, "never two follow-ups: {open:?}");
}

#[test]
fn the_call_form_schedules_the_sequences_next_step() {
    let (mut app, ana) = app_in_sequence();
    press(&mut app, "c");
    let shown = screen(&app, 100, 30);
    assert!(
        shown.contains("→ new-lead step 2 of 3: email Send the case study, Wed 25 Nov"),
        "{shown}"
    );
    press(&mut app, "left a message");
    tab(&mut app);
    press(&mut app, "v"); // voicemail: a connected call (the default) would stop it
    enter(&mut app);
    let e = in_sequence(&mut app, ana).expect("still in it");
    assert_eq!((e.step, e.next_due.as_deref()), (2, Some("2026-11-25")));
}

#[test]
fn the_reports_screen_has_a_table_of_sequences() {
    let (mut d, ana) = desk_with_ana();
    let bo = contact(&mut d, "Bo Chen", None, None);
    d.start_sequence(ana, "new-lead", None).unwrap();
    d.start_sequence(bo, "new-lead", None).unwrap();
    let mut reply = salesdesk::ops::notes::NoteInput::new(ana, "yes please");
    reply.kind = salesdesk::domain::note::NoteKind::Email;
    reply.outcome = Some(salesdesk::domain::note::Outcome::Replied);
    d.log_note(&reply).unwrap();
    let mut app = App::new(d).unwrap();
    press(&mut app, "4");
    let start = std::time::Instant::now();
    let mut shown = screen(&app, 120, 40);
    while !shown.contains("Sequences") && start.elapsed() < std::time::Duration::from_secs(10) {
        std::thread::sleep(std::time::Duration::from_millis(10));
        app.tick();
        shown = screen(&app, 120, 40);
    }
    let row = shown
        .lines()
        .find(|l| l.contains("new-lead"))
        .unwrap_or_else(|| panic!("no new-lead row:\n{shown}"));
    let cells: Vec<&str> = row
        .split_whitespace()
        .skip_while(|c| !c.contains("new-lead"))
        .collect();
    assert_eq!(&cells[1..5], ["2", "1", "0", "100%"], "{row}\n{shown}");
}
