//! Issue 16, "A day at the desk": follow-up lists, folded names, closing deals, duplicate
//! emails, `deal show`, outcomes that fit the kind, and imports that keep the person.

use crate::support::Book;
use crate::support::tui::*;
use salesdesk::domain::contact::ContactFields;
use salesdesk::tui::app::Screen;
use salesdesk::tui::popups::Popup;

/// Names whose letters have no accent to take off, and what people type for them.
pub(crate) const FOLDED_NAMES: &[(&str, &[&str])] = &[
    (
        "Bjørn Olsen",
        &["bjorn", "bjorn olsen", "BJORN", "bjørn", "olsen bjo"],
    ),
    ("Søren Nilsson", &["soren nil", "søren", "soren"]),
    ("Łukasz Żółć", &["lukasz", "lukasz zolc", "łukasz"]),
    ("Jürgen Straße", &["strasse", "jurgen strasse", "straße"]),
    ("Æsa Þórsdóttir", &["aesa", "thorsdottir", "æsa"]),
    ("Đorđe Ðurić", &["dorde", "djuric dorde", "durić"]),
    ("Chloë Œuvray", &["oeuvray", "chloe"]),
    ("Ayşe Kılıç", &["kilic", "ayse kilic"]),
    ("Åsa Ångström", &["asa", "angstrom"]),
];

pub(crate) fn import(b: &Book, name: &str, text: &str, args: &[&str]) -> (i32, String, String) {
    let p = b.dir.path().join(name);
    std::fs::write(&p, text).expect("write the file");
    let out = b
        .cmd()
        .arg("import")
        .arg(&p)
        .args(args)
        .output()
        .expect("run");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

// The desk (TUI) faces of the same fixes.

fn follow_up_status(app: &mut salesdesk::tui::App, id: i64) -> String {
    let now = app.desk.clock.now_naive();
    app.desk
        .db
        .read(|c| salesdesk::storage::follow_ups::get(c, id, now))
        .map(|f| f.status.to_string())
        .unwrap_or_default()
}

fn on_the_acme_card(app: &mut salesdesk::tui::App, deal: i64) {
    press(app, "2");
    for _ in 0..5 {
        if let Screen::Pipeline(p) = &app.screen
            && p.selected_id() == Some(deal)
        {
            return;
        }
        press(app, "l");
    }
    panic!("the deal is not on the board: {}", screen(app, 120, 30));
}

#[test]
fn won_and_lost_on_the_board_cancel_the_deals_follow_ups_and_say_so() {
    let (mut app, s) = app();
    on_the_acme_card(&mut app, s.deal);
    press(&mut app, "W");
    let st = status(&app);
    assert!(
        st.contains("won") && st.contains("1 open follow-up cancelled"),
        "{st}"
    );
    assert_eq!(follow_up_status(&mut app, s.ana_call), "cancelled");
    assert_ne!(follow_up_status(&mut app, s.bob_email), "cancelled");
    press(&mut app, "u");
    assert_eq!(
        follow_up_status(&mut app, s.ana_call),
        "overdue",
        "one undo brings all back"
    );

    on_the_acme_card(&mut app, s.deal);
    press(&mut app, "L");
    press(&mut app, "budget");
    enter(&mut app);
    let st = status(&app);
    assert!(
        st.contains("lost") && st.contains("1 open follow-up cancelled"),
        "{st}"
    );
    assert_eq!(follow_up_status(&mut app, s.ana_call), "cancelled");
}

#[test]
fn the_contacts_filter_and_ctrl_f_find_folded_names() {
    let (mut app, _) = app();
    let bjorn = app
        .desk
        .add_contact(&ContactFields {
            name: Some("Bjørn Olsen".into()),
            company: Some(Some("Fjord Læder AS".into())),
            ..Default::default()
        })
        .expect("add");
    press(&mut app, "3");
    press(&mut app, "/bjorn");
    assert_eq!(
        app.contacts.selected_id(),
        Some(bjorn),
        "{}",
        screen(&app, 100, 16)
    );
    esc(&mut app);
    esc(&mut app);

    app.handle_key(ctrl('f'));
    press(&mut app, "laeder");
    let start = std::time::Instant::now();
    loop {
        app.tick();
        if let Some(Popup::Search(p)) = &app.popup
            && p.hits.iter().any(|h| h.id == bjorn)
        {
            break;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "no hit: {}",
            screen(&app, 100, 30)
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

#[test]
fn adding_a_contact_with_a_shared_email_asks_for_enter_again() {
    let (mut app, s) = app();
    press(&mut app, "3");
    press(&mut app, "a");
    assert!(
        matches!(app.popup, Some(Popup::ContactEdit(_))),
        "{}",
        screen(&app, 100, 30)
    );
    press(&mut app, "Ana Two");
    for _ in 0..3 {
        tab(&mut app);
    }
    press(&mut app, "ana@example.com");
    enter(&mut app);
    let st = status(&app);
    assert!(
        st.contains(&format!("#{} Ana Souza", s.ana)) && st.contains("Enter again"),
        "{st}"
    );
    assert!(app.popup.is_some(), "the form stays open");
    enter(&mut app);
    assert!(app.popup.is_none(), "{}", status(&app));
    let n = app
        .desk
        .db
        .conn_for_tests()
        .query_row(
            "SELECT count(*) FROM contact_keys WHERE kind = 'email' AND key = 'ana@example.com'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .expect("count");
    assert_eq!(n, 2);
}
