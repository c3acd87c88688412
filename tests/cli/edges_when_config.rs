//! Edges of dates and config (issues 15 and 16): WHENs past 9999 or with impossible times
//! and days, `note --at`, the whole config checked by every command with its line,
//! `config path|check`, and workdays for the dates salesdesk picks itself.

use crate::support::Book;
use crate::support::tui::*;
use insta::assert_snapshot;
use salesdesk::storage::follow_ups;
use salesdesk::tui::App;

/// A book with Ana and one open follow-up (#1).
fn book_with_ana() -> Book {
    let b = Book::new();
    b.contact(&["--name", "Ana Pereira", "--cadence", "7d"]);
    b.ok(&["follow-up", "ana", "tomorrow", "call"]);
    b
}

/// Each refused command exits 2 with `want` in its message and leaves the book as it was.
pub(crate) fn refused(b: &Book, cases: &[(&[&str], &str)]) {
    for (args, want) in cases {
        let before = b.dump();
        let err = b.fails(args, 2);
        assert!(err.starts_with("error: "), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
        assert_eq!(b.dump(), before, "{args:?} changed the book");
    }
}

#[test]
fn note_at_backdates_the_note_and_the_cadence_clock() {
    let b = book_with_ana();
    b.ok(&[
        "note",
        "ana",
        "called back",
        "--kind",
        "call",
        "--at",
        "yesterday 4pm",
    ]);
    let show = b.json(&["contact", "show", "ana"]);
    let note = &show["notes"][0];
    assert_eq!(note["created_at"], "2026-11-22T16:00:00+00:00", "{show}");
    assert_eq!(
        show["contact"]["last_contacted_at"], "2026-11-22T16:00:00+00:00",
        "{show}"
    );
    // Each form is the most recent past; a later note by `--at` does not move the clock back.
    b.ok(&["note", "ana", "emailed", "--kind", "email", "--at", "-2h"]);
    let show = b.json(&["contact", "show", "ana"]);
    assert_eq!(show["notes"][0]["created_at"], "2026-11-23T07:00:00+00:00");
    b.ok(&["note", "ana", "met", "--kind", "meeting", "--at", "fri"]);
    let show = b.json(&["contact", "show", "ana"]);
    assert_eq!(show["notes"][2]["created_at"], "2026-11-20T09:00:00+00:00");
    assert_eq!(
        show["contact"]["last_contacted_at"],
        "2026-11-23T07:00:00+00:00"
    );
    refused(
        &b,
        &[
            (
                &["note", "ana", "x", "--at", "today 5pm"],
                "has not happened yet",
            ),
            (
                &["note", "ana", "x", "--at", "tomorrow"],
                "has not happened yet",
            ),
            (&["note", "ana", "x", "--at", "+2h"], "has not happened yet"),
            (&["note", "ana", "x", "--at", "soonish"], "cannot read"),
            // Follow-ups look ahead: a past form says so.
            (&["follow-up", "ana", "--", "-2h", "call"], "is in the past"),
            (&["follow-up", "ana", "yesterday", "call"], "is in the past"),
            (&["snooze", "1", "3 days ago"], "is in the past"),
        ],
    );
    b.assert_derived_consistent();
}

fn write_config(b: &Book, text: &str) -> std::path::PathBuf {
    let p = b.dir.path().join("config.toml");
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn config_path_and_check() {
    let b = Book::new();
    let path = b.dir.path().join("config.toml");
    assert_eq!(b.ok(&["config", "path"]).trim(), path.display().to_string());
    let out = b.ok(&["config", "check"]);
    assert!(
        out.starts_with("ok") && out.contains("defaults apply"),
        "{out}"
    );
    write_config(&b, salesdesk::config::DEFAULT_TOML);
    assert_eq!(
        b.ok(&["config", "check"]).trim(),
        format!("ok: {}", path.display())
    );
    write_config(&b, "[follow_up]\nsnooze = \"+1d\"\nnext = \"someday\"\n");
    let err = b.fails(&["config", "check"], 2);
    assert!(err.contains(&path.display().to_string()), "{err}");
    assert!(err.contains("line 3: [follow_up] next"), "{err}");
    // `config path` still answers with a broken file: it is how one finds it to fix it.
    assert_eq!(b.ok(&["config", "path"]).trim(), path.display().to_string());
}

#[test]
fn a_broken_config_stops_every_command_naming_file_line_and_key() {
    let b = book_with_ana();
    let configs = [
        ("[keys]\ndone = \"x\"\nfly = \"z\"\n", 3, "fly"),
        ("[keys]\ndone = \"ctrl-\"\n", 2, "done"),
        ("[follow_up]\nsnooze = \"blah\"\n", 2, "snooze"),
        ("[follow_up]\n\nnext = \"tomorrow 24:00\"\n", 3, "next"),
        ("[follow_up]\nworkdays = []\n", 2, "workdays"),
        ("[backup]\nkeep = 0\n", 2, "keep"),
        (
            "[pipeline]\nstages = [\n  { name = \"Won\", probability = 100 },\n]\n",
            3,
            "Won",
        ),
    ];
    for (text, line, key) in configs {
        let path = write_config(&b, text);
        for args in [
            &["today"][..],
            &["today", "--brief"],
            &["db", "path"],
            &["contact", "list"],
            &["snooze", "1", "fri"],
        ] {
            let before = b.dump();
            let err = b.fails(args, 2);
            assert!(err.contains(&path.display().to_string()), "{args:?}: {err}");
            assert!(err.contains(&format!("line {line}:")), "{args:?}: {err}");
            assert!(err.contains(key), "{args:?}: {err}");
            assert_eq!(b.dump(), before);
        }
    }
}

#[test]
fn a_repeat_completed_on_friday_comes_back_on_monday_and_typed_dates_stay() {
    let mut b = book_with_ana();
    b.now = "2026-11-27T09:00:00+00:00".into(); // a Friday
    let id = b.ok(&["follow-up", "ana", "today", "standup", "--every", "1d"]);
    let out = b.ok(&["done", id.trim()]);
    assert!(out.contains("next: follow-up #3 Mon 30 Nov"), "{out}");
    // A date the user types is kept as typed, weekend or not.
    let sat = b.ok(&["follow-up", "ana", "+1d", "weekend check"]);
    let list = b.json(&["follow-up", "list"]);
    let row = list
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"].as_i64() == sat.trim().parse().ok())
        .unwrap()
        .clone();
    assert_eq!(row["due_at"], "2026-11-28", "{row}");
    // Workdays come from the config: with Saturday a workday, the repeat lands there.
    write_config(
        &b,
        "[follow_up]\nworkdays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\"]\n",
    );
    let id = b.ok(&["follow-up", "ana", "today", "daily", "--every", "1d"]);
    let out = b.ok(&["done", id.trim()]);
    assert!(out.contains("next: follow-up #6 tomorrow"), "{out}");
}

/// Friday 27 November: every pick lands on Monday 30.
fn friday_app() -> (App, Seed) {
    let mut d = desk();
    let s = seed(&mut d);
    d.clock = clock_at(27, 9, 0);
    (App::new(d).unwrap(), s)
}

#[test]
fn the_snooze_menu_shows_each_keys_date_and_picks_workdays() {
    let (mut app, _) = friday_app();
    let id = match app.today.selected_row() {
        Some(salesdesk::tui::screens::today::RowRef::FollowUp(id)) => id,
        other => panic!("no follow-up selected: {other:?}"),
    };
    press(&mut app, "s");
    let shown = screen(&app, 80, 24);
    assert_snapshot!("friday_snooze_menu", shown);
    assert!(shown.contains("tomorrow · Mon 30 Nov"), "{shown}");
    assert!(shown.contains("in three days · Mon 30 Nov"), "{shown}");
    assert!(shown.contains("next week · Mon 30 Nov"), "{shown}");
    assert!(shown.contains("default (+1d) · Mon 30 Nov"), "{shown}");
    press(&mut app, "1");
    assert!(app.popup.is_none(), "{}", status(&app));
    let now = app.desk.clock.now_naive();
    let f = app.desk.db.read(|c| follow_ups::get(c, id, now)).unwrap();
    assert_eq!(f.due.date(), day(30).date(), "{}", status(&app));
}

#[test]
fn the_prefilled_next_step_lands_on_a_workday_until_edited() {
    let (mut app, _) = friday_app();
    press(&mut app, "c");
    // `+2d` from a Friday is a Sunday: the pick moves to Monday, and the preview says so.
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("Mon 30 Nov"), "{shown}");
    tab(&mut app);
    tab(&mut app);
    // A date the user types is kept as typed, a Saturday too.
    app.handle_key(ctrl('u'));
    press(&mut app, "+1d");
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("→ tomorrow"), "{shown}");
}

#[test]
fn the_note_form_backdates_with_its_at_field() {
    let (mut app, s) = app();
    press(&mut app, "n");
    press(&mut app, "Called back about pricing");
    tab(&mut app);
    press(&mut app, "today 5pm");
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("has not happened yet"), "{shown}");
    enter(&mut app);
    assert!(app.popup.is_some(), "a future At saved: {}", status(&app));
    for _ in 0.."today 5pm".len() {
        app.handle_key(code(ratatui::crossterm::event::KeyCode::Backspace));
    }
    press(&mut app, "yesterday 4pm");
    let shown = screen(&app, 80, 24);
    assert_snapshot!("note_form_at", shown);
    assert!(shown.contains("→ yesterday 16:00"), "{shown}");
    enter(&mut app);
    assert!(app.popup.is_none(), "{}", status(&app));
    let notes = app
        .desk
        .db
        .read(|c| salesdesk::storage::notes::for_contact(c, s.ana, 1))
        .unwrap();
    assert_eq!(notes[0].body, "Called back about pricing");
    assert_eq!(
        notes[0].created_at.naive_local(),
        chrono::NaiveDate::from_ymd_opt(2026, 11, 22)
            .unwrap()
            .and_hms_opt(16, 0, 0)
            .unwrap()
    );
}

/// The call form backdates as the note form does: its `At` field (the last, after the next
/// step's text) reads the most recent past and refuses what has not happened yet.
#[test]
fn the_call_form_backdates_with_its_at_field() {
    let (mut app, s) = app();
    press(&mut app, "c");
    press(&mut app, "Left a message about pricing");
    for _ in 0..4 {
        tab(&mut app);
    }
    press(&mut app, "today 5pm");
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("has not happened yet"), "{shown}");
    enter(&mut app);
    assert!(app.popup.is_some(), "a future At saved: {}", status(&app));
    for _ in 0.."today 5pm".len() {
        app.handle_key(code(ratatui::crossterm::event::KeyCode::Backspace));
    }
    press(&mut app, "yesterday 4pm");
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("→ yesterday 16:00"), "{shown}");
    enter(&mut app);
    assert!(app.popup.is_none(), "{}", status(&app));
    let notes = app
        .desk
        .db
        .read(|c| salesdesk::storage::notes::for_contact(c, s.ana, 1))
        .unwrap();
    assert_eq!(notes[0].body, "Left a message about pricing");
    assert_eq!(
        notes[0].created_at.naive_local(),
        chrono::NaiveDate::from_ymd_opt(2026, 11, 22)
            .unwrap()
            .and_hms_opt(16, 0, 0)
            .unwrap()
    );
}

/// A config that is no text at all (the book itself given as `--config`, a binary, UTF-16,
/// Latin-1 bytes) is a broken config: exit 2 naming the file, the book unchanged.
#[test]
fn a_config_that_is_no_text_is_an_input_error() {
    let b = book_with_ana();
    let before = b.dump();
    let book_bytes = std::fs::read(b.path()).unwrap();
    let cases: [(&str, Vec<u8>); 4] = [
        ("the book", book_bytes),
        ("binary", vec![0, 159, 146, 150, 0xff]),
        ("utf-16", b"\xff\xfec\x00u\x00r\x00".to_vec()),
        ("latin-1", b"currency = \"EUR\" # caf\xe9\n".to_vec()),
    ];
    for (what, bytes) in cases {
        let path = b.dir.path().join("config.toml");
        std::fs::write(&path, bytes).unwrap();
        for args in [&["today"][..], &["config", "check"]] {
            let err = b.fails(args, 2);
            assert!(
                err.contains(&path.display().to_string()) && err.contains("not UTF-8"),
                "{what} {args:?}: {err}"
            );
        }
        assert_eq!(b.dump(), before, "{what}");
    }
}
