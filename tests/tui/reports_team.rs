//! The Reports screen's leaderboard: a line per rep (won, win rate, calls, connect rate,
//! pipeline; most won, then most pipeline, first) where more than one person works the book,
//! at 80×24 and 160×48; none on a personal book. The book here is a file-less one whose rows
//! were given owners by hand, as a team's book exported and imported would have them.

use crate::support::tui::*;
use insta::assert_snapshot;
use salesdesk::domain::contact::ContactFields;
use salesdesk::domain::deal::NewDeal;
use salesdesk::domain::note::{NoteKind, Outcome};
use salesdesk::ops::Desk;
use salesdesk::ops::notes::NoteInput;
use salesdesk::tui::App;

/// A long name, cut to its column.
const BART: &str = "Bartholomew Oyelaran-Castellanos";

/// Three owners' contacts, each with open, won and lost deals and calls; returns the desk.
fn book(owners: &[&str]) -> Desk {
    let mut d = desk();
    d.clock = clock_at(2, 10, 0);
    for (i, who) in owners.iter().enumerate() {
        let id = d
            .add_contact(&ContactFields {
                name: Some(format!("Lead of {who}")),
                source: Some(Some("referral".into())),
                ..Default::default()
            })
            .unwrap();
        let mut deal = |title: &str, cents: i64| {
            d.add_deal(&NewDeal {
                title: format!("{who} {title}"),
                contact_id: id,
                value_cents: cents,
                currency: "USD".into(),
                stage: "Proposal".into(),
                expected_close: Some("2026-12-10".into()),
            })
            .unwrap()
        };
        let won: Vec<i64> = (0..=i.min(1)).map(|_| deal("won", 500_000)).collect();
        let lost = deal("lost", 100_000);
        deal("open", 1_000_000 * (i as i64 + 1));
        for w in won {
            d.win_deal(w, None).unwrap();
        }
        if i != 1 {
            d.lose_deal(lost, "price", None).unwrap();
        }
        for k in 0..=i {
            let mut n = NoteInput::new(id, "rang");
            n.kind = NoteKind::Call;
            n.outcome = Some(if k == 0 {
                Outcome::Connected
            } else {
                Outcome::NoAnswer
            });
            d.log_note(&n).unwrap();
        }
        let c = d.db.conn_for_tests();
        for sql in [
            "UPDATE contacts SET owner = ?1 WHERE id = ?2",
            "UPDATE deals SET owner = ?1 WHERE contact_id = ?2",
            "UPDATE notes SET author = ?1 WHERE contact_id = ?2",
        ] {
            c.execute(sql, rusqlite::params![who, id]).unwrap();
        }
    }
    d.clock = clock();
    d
}

fn reports(d: Desk) -> App {
    let mut app = App::new(d).unwrap();
    press(&mut app, "4");
    app
}

#[test]
fn a_team_book_has_a_leaderboard_at_80x24() {
    let app = reports(book(&["me", "ana", BART]));
    let s = screen(&app, 80, 24);
    // Ana and Bartholomew won two each; his larger pipeline puts him first.
    let at = |name: &str| s.find(name).unwrap_or_else(|| panic!("no {name}:\n{s}"));
    assert!(at("Barthol") < at("ana") && at("ana") < at(" me "), "{s}");
    assert!(
        !s.contains(BART),
        "the long name is cut to its column:\n{s}"
    );
    assert_snapshot!("reports_team_80x24", s);
}

#[test]
fn a_team_book_has_a_leaderboard_at_160x48() {
    let app = reports(book(&["me", "ana", BART]));
    let s = screen(&app, 160, 48);
    assert!(s.contains("win rate") && s.contains("connect"), "{s}");
    assert_snapshot!("reports_team_160x48", s);
}

#[test]
fn a_personal_book_has_no_leaderboard() {
    let app = reports(book(&["me"]));
    for (w, h) in [(80, 24), (160, 48)] {
        let s = screen(&app, w, h);
        assert!(!s.contains("Reps"), "{w}x{h}:\n{s}");
        assert!(s.contains("Won 1"), "{w}x{h}:\n{s}");
    }
    assert_snapshot!("reports_personal_80x24", screen(&app, 80, 24));
}

#[test]
fn o_on_a_personal_book_says_it_has_one_user() {
    let mut app = reports(book(&["me"]));
    press(&mut app, "o");
    assert!(status(&app).contains("personal book"), "{}", status(&app));
}

/// The Reports screen of `book` (on the test server), its first figures in.
fn server_reports(book: &crate::support::Book) -> App {
    let db = salesdesk::storage::Db::open(&book.db).unwrap();
    let desk = Desk::new(db, clock(), salesdesk::config::Config::default());
    let mut app = App::new(desk).unwrap();
    settled(&mut app);
    press(&mut app, "4");
    settled(&mut app);
    app
}

#[test]
fn o_walks_whose_figures_on_a_teams_book() {
    let Some(t) = crate::support::team::Team::new() else {
        return;
    };
    for (desk, name) in [(&t.ana.1, "Ana Lead"), (&t.bob.1, "Bob Lead")] {
        desk.ok(&["contact", "add", "--name", name]);
        desk.ok(&["note", name, "rang", "--kind", "call"]);
    }
    let mut app = server_reports(&t.manager.1);
    let s = screen(&app, 100, 30);
    assert!(!s.contains("Reps") && s.contains("0 notes"), "{s}");
    press(&mut app, "o");
    settled(&mut app);
    assert!(
        status(&app).contains("the whole team's"),
        "{}",
        status(&app)
    );
    let s = screen(&app, 100, 30);
    assert!(
        s.contains("the whole team's") && s.contains("Reps") && s.contains("2 notes"),
        "{s}"
    );
    // Then each colleague by name: Ana's figures are her one call.
    press(&mut app, "o");
    settled(&mut app);
    assert!(status(&app).contains(&t.ana.0), "{}", status(&app));
    let s = screen(&app, 100, 30);
    assert!(s.contains("1 note") && !s.contains("Reps"), "{s}");
    press(&mut app, "o");
    settled(&mut app);
    assert!(status(&app).contains(&t.bob.0), "{}", status(&app));

    // A rep is told it is a manager's to do, and keeps their own figures.
    let mut rep = server_reports(&t.bob.1);
    press(&mut rep, "o");
    settled(&mut rep);
    assert!(status(&rep).contains("only a manager"), "{}", status(&rep));
    let s = screen(&rep, 100, 30);
    let top: String = s.lines().take(3).collect();
    assert!(s.contains("1 note") && !top.contains("team's"), "{s}");
    press(&mut rep, "o");
    settled(&mut rep);
    assert!(status(&rep).contains("only a manager"), "{}", status(&rep));
}
