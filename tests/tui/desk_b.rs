//! Issue 16, the desk's Contacts, search, board and forms: search opens deals and notes where
//! they are, the Contacts filter matches every field and tag, status and temperature words,
//! never-contacted sorts as the oldest, `C` on the board fits and stays, one cadence parser,
//! follow-ups edited and cancelled in the TUI, the agenda, the deal form's currency, a deal's
//! contact, and the companies.

use crate::support::tui::*;
use insta::assert_snapshot;
use ratatui::crossterm::event::KeyCode;
use salesdesk::domain::contact::ContactFields;
use salesdesk::domain::contact::{Status, Temperature};
use salesdesk::domain::follow_up::{FollowUpKind, FollowUpStatus};
use salesdesk::domain::note::NoteKind;
use salesdesk::domain::search::HitKind;
use salesdesk::ops::notes::NoteInput;
use salesdesk::storage::contacts;
use salesdesk::storage::{deals, follow_ups};
use salesdesk::tui::App;
use salesdesk::tui::app::Screen;
use salesdesk::tui::nav::Target;
use salesdesk::tui::popups::Popup;
use salesdesk::tui::popups::contact_edit::ContactEdit;
use salesdesk::tui::widgets::input::LineInput;
use salesdesk::when::Interval;

fn backspace(app: &mut App, n: usize) {
    for _ in 0..n {
        app.handle_key(code(KeyCode::Backspace));
    }
}

fn follow_up_row(app: &mut App, id: i64) -> salesdesk::domain::follow_up::FollowUp {
    let now = app.desk.clock.now_naive();
    app.desk
        .db
        .read(|c| follow_ups::get(c, id, now))
        .expect("the follow-up")
}

/// Ctrl-f, the query typed, and the first hit of `kind` selected.
fn search_to(app: &mut App, q: &str, kind: HitKind) {
    app.handle_key(ctrl('f'));
    press(app, q);
    let Some(Popup::Search(s)) = &app.popup else {
        panic!("no search popup");
    };
    let at = s
        .hits
        .iter()
        .position(|h| h.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?} hit for {q:?}: {:?}", s.hits));
    for _ in 0..at {
        app.handle_key(code(KeyCode::Down));
    }
}

#[test]
fn search_opens_the_deal_and_a_note_in_its_timeline() {
    let (mut app, s) = app();
    search_to(&mut app, "acme rollout", HitKind::Deal);
    enter(&mut app);
    match &app.screen {
        Screen::Deal(d) => assert_eq!(d.deal.id, s.deal),
        _ => panic!("not the deal:\n{}", screen(&app, 90, 24)),
    }
    // Back where search was opened from, not to a board never shown.
    esc(&mut app);
    assert!(
        matches!(app.screen, Screen::Today),
        "{}",
        screen(&app, 90, 24)
    );

    let mut n = NoteInput::new(s.ana, "Walked them through the zebrafish module");
    n.deal_id = Some(s.deal);
    n.raw = true;
    let saved = app.desk.log_note(&n).expect("the note");
    let mut older = NoteInput::new(s.ana, "An older word about pricing");
    older.raw = true;
    app.desk.log_note(&older).expect("another note");
    search_to(&mut app, "zebrafish", HitKind::Note);
    enter(&mut app);
    match &app.screen {
        Screen::Contact(c) => {
            assert_eq!(c.id, s.ana);
            assert_eq!(c.selected_note().map(|n| n.id), Some(saved.note_id));
        }
        _ => panic!("not the contact:\n{}", screen(&app, 90, 24)),
    }
    // The note on the deal names the deal in the timeline.
    let shown = screen(&app, 100, 30);
    assert!(
        shown.contains("call · Acme rollout") || shown.contains("note · Acme rollout"),
        "{shown}"
    );
}

/// Contacts with tags, statuses and temperatures, beside the seed's.
fn tagged(app: &mut App) -> (i64, i64) {
    let carla = app
        .desk
        .add_contact(&ContactFields {
            name: Some("Carla Brightman".into()),
            company: Some(Some("Brightline Health".into())),
            emails: Some(vec!["carla@brightline.io".into()]),
            phones: Some(vec!["+44 20 7946 0999".into()]),
            tags: Some(vec!["vip".into(), "renewal".into()]),
            status: Some(Status::Customer),
            temperature: Some(Some(Temperature::Hot)),
            ..Default::default()
        })
        .expect("Carla");
    let omar = app
        .desk
        .add_contact(&ContactFields {
            name: Some("Omar Haddad".into()),
            company: Some(Some("Cedar Labs".into())),
            tags: Some(vec!["VIP".into()]),
            status: Some(Status::Prospect),
            temperature: Some(Some(Temperature::Cold)),
            ..Default::default()
        })
        .expect("Omar");
    (carla, omar)
}

fn shown_names(app: &App) -> Vec<String> {
    let c = &app.contacts;
    c.shown
        .iter()
        .map(|i| c.index.names[*i as usize].clone())
        .collect()
}

/// Every field `contact list --search` looks in, and the tag, status and temperature words,
/// typed into the `/` filter; each is the class of what the filter must find.
#[test]
fn the_contacts_filter_finds_by_every_field_and_word() {
    let (mut app, _) = app();
    tagged(&mut app);
    press(&mut app, "3");
    let table: &[(&str, &[&str])] = &[
        ("brightline", &["Carla Brightman"]),
        ("globex", &["Bob Lee"]),
        ("acme", &["Ana Souza"]),
        ("ana@example", &["Ana Souza"]),
        ("5550101", &["Ana Souza"]),
        ("555 0101", &["Ana Souza"]),
        ("initech", &["Dana Whitfield"]),
        ("#vip", &["Carla Brightman", "Omar Haddad"]),
        ("#ren", &["Carla Brightman"]),
        ("is:customer", &["Carla Brightman"]),
        ("status:prosp", &["Omar Haddad"]),
        ("hot", &["Carla Brightman"]),
        ("cold #vip", &["Omar Haddad"]),
        ("temp:hot brightline", &["Carla Brightman"]),
        ("is:nothing", &[]),
    ];
    for (q, want) in table {
        press(&mut app, "/");
        assert_eq!(app.contacts.filter.input.text(), "", "`/` starts afresh");
        press(&mut app, q);
        assert_eq!(shown_names(&app), *want, "filter {q:?}");
        enter(&mut app);
    }
    press(&mut app, "/brightline");
    enter(&mut app);
    assert_snapshot!("contacts_filter_company", screen(&app, 80, 16));
}

#[test]
fn a_second_slash_starts_a_fresh_filter_on_the_same_contact() {
    let (mut app, s) = app();
    press(&mut app, "3/globex");
    enter(&mut app);
    assert_eq!(app.contacts.selected_id(), Some(s.bob));
    press(&mut app, "/");
    assert!(app.contacts.filter.typing);
    assert_eq!(app.contacts.filter.input.text(), "");
    assert_eq!(app.contacts.shown.len(), 5);
    assert_eq!(app.contacts.selected_id(), Some(s.bob));
}

#[test]
fn never_contacted_sorts_as_the_oldest_both_ways() {
    let (mut app, s) = app();
    for (who, day) in [(s.bob, 10), (s.ana, 20)] {
        app.desk.clock = clock_at(day, 9, 0);
        let mut n = NoteInput::new(who, "A call");
        n.kind = NoteKind::Call;
        n.raw = true;
        app.desk.log_note(&n).expect("the note");
    }
    app.desk.clock = clock();
    press(&mut app, "3ssss");
    let shown = screen(&app, 80, 16);
    assert!(shown.contains("Last contact ↓"), "{shown}");
    assert!(!shown.contains("Last contac…"), "{shown}");
    let names = shown_names(&app);
    assert_eq!(
        &names[..3],
        ["Ana Souza", "Bob Lee", "Dana Whitfield"],
        "most recent first, never contacted last"
    );
    press(&mut app, "S");
    let names = shown_names(&app);
    assert_eq!(
        &names[3..],
        ["Bob Lee", "Ana Souza"],
        "never contacted come first, then the oldest: {names:?}"
    );
    assert_snapshot!("contacts_sorted_last_contact_up", screen(&app, 80, 16));
}

#[test]
fn closed_columns_fit_at_80_and_stay_on_across_screens() {
    let (mut app, _) = app();
    press(&mut app, "2C");
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("Lost this mo"), "{shown}");
    assert!(!shown.contains("more ›"), "{shown}");
    press(&mut app, "1");
    press(&mut app, "2");
    match &app.screen {
        Screen::Pipeline(p) => assert!(p.show_closed, "C turned itself off"),
        _ => panic!("not the board"),
    }
    assert!(screen(&app, 80, 24).contains("Lost this mo"));
    press(&mut app, "C");
    press(&mut app, "3");
    press(&mut app, "2");
    match &app.screen {
        Screen::Pipeline(p) => assert!(!p.show_closed, "off stays off"),
        _ => panic!("not the board"),
    }
}

/// What `--cadence` reads, the contact form reads: the same parser, the same days.
#[test]
fn the_cadence_field_reads_what_the_cli_reads() {
    let (mut app, s) = app();
    let contact = app.desk.db.read(|c| contacts::get(c, s.ana)).expect("Ana");
    for (typed, days) in [
        ("3w", 21),
        ("1m", 30),
        ("30d", 30),
        ("30", 30),
        ("2 weeks", 14),
        ("monthly", 30),
    ] {
        let mut form = ContactEdit::edit(&contact);
        form.fields[9] = LineInput::new(typed);
        let f = form.to_fields().unwrap_or_else(|e| panic!("{typed}: {e}"));
        assert_eq!(f.cadence_days, Some(Some(days)), "{typed}");
        assert_eq!(Interval::cadence_days(typed).ok(), Some(days), "{typed}");
    }
    for bad in ["soon", "0", "2h"] {
        let mut form = ContactEdit::edit(&contact);
        form.fields[9] = LineInput::new(bad);
        let e = form.to_fields().expect_err(bad).to_string();
        assert!(e.contains("30d, 2w, 1m"), "{bad}: {e}");
        assert!(Interval::cadence_days(bad).is_err(), "{bad}");
    }
    // Saved through the form: the edit shows it back as days.
    app.go(Target::Contact(s.ana));
    press(&mut app, "e");
    let Some(Popup::ContactEdit(f)) = &mut app.popup else {
        panic!("no edit form");
    };
    f.fields[9] = LineInput::new("3w");
    enter(&mut app);
    let c = app.desk.db.read(|c| contacts::get(c, s.ana)).expect("Ana");
    assert_eq!(c.cadence_days, Some(21), "{}", status(&app));
}

#[test]
fn e_on_today_edits_every_part_of_a_follow_up_and_u_undoes_it() {
    let (mut app, s) = app();
    assert_eq!(
        app.today.selected_follow_up().map(|f| f.id),
        Some(s.ana_call)
    );
    press(&mut app, "e");
    assert!(matches!(app.popup, Some(Popup::FollowUpEdit(_))));
    assert_snapshot!("follow_up_edit_80x24", screen(&app, 80, 24));
    press(&mut app, "fri");
    tab(&mut app);
    backspace(&mut app, "Pricing call".len());
    press(&mut app, "Send the pricing sheet");
    tab(&mut app);
    app.handle_key(code(KeyCode::Right)); // call → email
    tab(&mut app);
    press(&mut app, "2w");
    tab(&mut app);
    app.handle_key(code(KeyCode::Left)); // Acme rollout → none
    assert_snapshot!("follow_up_edit_filled", screen(&app, 80, 24));
    enter(&mut app);
    assert!(app.popup.is_none(), "{}", status(&app));
    assert!(status(&app).contains("due Fri 27 Nov"), "{}", status(&app));
    let f = follow_up_row(&mut app, s.ana_call);
    assert_eq!(f.text, "Send the pricing sheet");
    assert_eq!(f.kind, FollowUpKind::Email);
    assert_eq!(f.every.as_deref(), Some("2w"));
    assert_eq!(f.deal_id, None);
    assert_eq!(f.due, day(27));
    press(&mut app, "u");
    let f = follow_up_row(&mut app, s.ana_call);
    assert_eq!(
        (f.text.as_str(), f.kind, f.every, f.deal_id, f.due),
        (
            "Pricing call",
            FollowUpKind::Call,
            None,
            Some(s.deal),
            day(20)
        )
    );
}

#[test]
fn the_edit_form_ties_a_follow_up_to_a_deal_and_refuses_what_it_cannot_read() {
    let (mut app, s) = app();
    // Zoë's call has no deal; give her one, then tie the call to it.
    let deal = app
        .desk
        .add_deal(&salesdesk::domain::deal::NewDeal {
            title: "Rocket launch kit".into(),
            contact_id: s.zoe,
            value_cents: 500_000,
            currency: "USD".into(),
            stage: "Lead".into(),
            expected_close: None,
        })
        .expect("the deal");
    app.reload();
    while app.today.selected_follow_up().map(|f| f.id) != Some(s.zoe_call) {
        press(&mut app, "j");
    }
    press(&mut app, "e");
    for _ in 0..3 {
        tab(&mut app);
    }
    press(&mut app, "fortnight-ish");
    enter(&mut app);
    assert!(app.popup.is_some(), "an unreadable repeat is refused");
    assert!(status(&app).contains("repeat"), "{}", status(&app));
    backspace(&mut app, "fortnight-ish".len());
    tab(&mut app);
    app.handle_key(code(KeyCode::Right));
    enter(&mut app);
    assert!(app.popup.is_none(), "{}", status(&app));
    assert_eq!(follow_up_row(&mut app, s.zoe_call).deal_id, Some(deal));
    // Nothing changed: Enter closes without a write.
    press(&mut app, "e");
    enter(&mut app);
    assert!(app.popup.is_none());
    assert_eq!(follow_up_row(&mut app, s.zoe_call).version, 2);
}

#[test]
fn the_contact_page_edits_and_cancels_the_follow_up_picked_with_j_k() {
    let (mut app, s) = app();
    app.go(Target::Contact(s.bob));
    let shown = screen(&app, 90, 24);
    assert!(
        shown.contains("▸"),
        "two follow-ups: the pick shows\n{shown}"
    );
    press(&mut app, "J");
    press(&mut app, "T");
    match &app.popup {
        Some(Popup::FollowUpEdit(f)) => assert_eq!(f.id, s.bob_task),
        _ => panic!("no edit form:\n{}", screen(&app, 90, 24)),
    }
    esc(&mut app);
    press(&mut app, "X");
    assert!(status(&app).contains("cancelled"), "{}", status(&app));
    assert_eq!(
        follow_up_row(&mut app, s.bob_task).open,
        FollowUpStatus::Cancelled
    );
    let Screen::Contact(c) = &app.screen else {
        panic!("left the contact");
    };
    assert_eq!(c.view.follow_ups.len(), 1);
    press(&mut app, "u");
    assert_eq!(
        follow_up_row(&mut app, s.bob_task).open,
        FollowUpStatus::Open
    );
    // A contact with none says where follow-ups come from.
    app.go(Target::Contact(s.dana));
    press(&mut app, "T");
    assert!(app.popup.is_none());
    assert!(
        status(&app).contains("no open follow-up"),
        "{}",
        status(&app)
    );
}

#[test]
fn x_on_today_cancels_the_selected_follow_up() {
    let (mut app, s) = app();
    press(&mut app, "X");
    assert_eq!(
        follow_up_row(&mut app, s.ana_call).open,
        FollowUpStatus::Cancelled
    );
    assert!(app.today.follow_up(s.ana_call).is_none());
    press(&mut app, "u");
    assert_eq!(
        follow_up_row(&mut app, s.ana_call).open,
        FollowUpStatus::Open
    );
}

#[test]
fn a_widens_upcoming_to_thirty_days() {
    let (mut app, s) = app();
    let later = follow_up(
        &mut app.desk,
        s.dana,
        None,
        FollowUpKind::Call,
        "Quarterly review",
        day(30),
    );
    let in_three_weeks = app.desk.when("+20d").expect("a WHEN");
    let far = follow_up(
        &mut app.desk,
        s.dana,
        None,
        FollowUpKind::Call,
        "New year plans",
        in_three_weeks,
    );
    app.reload();
    assert!(app.today.follow_up(later).is_some(), "within 7 days");
    assert!(app.today.follow_up(far).is_none(), "past 7 days");
    press(&mut app, "A");
    assert!(app.today.follow_up(far).is_some(), "the agenda shows it");
    assert!(screen(&app, 90, 30).contains("UPCOMING · 30 DAYS"));
    press(&mut app, "A");
    assert!(app.today.follow_up(far).is_none());
}

#[test]
fn the_deal_form_has_a_currency() {
    let (mut app, s) = app();
    press(&mut app, "2a");
    press(&mut app, "bob");
    enter(&mut app);
    press(&mut app, "Globex audit");
    tab(&mut app);
    press(&mut app, "12k");
    tab(&mut app);
    backspace(&mut app, 3);
    press(&mut app, "us");
    enter(&mut app);
    assert!(app.popup.is_some(), "a two-letter code is refused");
    assert!(status(&app).contains("three-letter"), "{}", status(&app));
    backspace(&mut app, 2);
    press(&mut app, "gbp");
    enter(&mut app);
    assert!(app.popup.is_none(), "{}", status(&app));
    let list = app
        .desk
        .db
        .read(|c| deals::list(c, &Default::default()))
        .expect("deals");
    let d = list
        .iter()
        .find(|d| d.title == "Globex audit")
        .expect("saved");
    assert_eq!((d.value_cents, d.currency.as_str()), (1_200_000, "GBP"));
    assert_eq!(d.contact_id, s.bob);
    // A currency typed with the value fills the field in.
    press(&mut app, "e");
    tab(&mut app);
    backspace(&mut app, 10);
    press(&mut app, "€900");
    match &app.popup {
        Some(Popup::DealForm(f)) => assert_eq!(f.currency.text(), "EUR"),
        _ => panic!("no form"),
    }
}

#[test]
fn enter_on_a_deal_opens_its_contact_and_esc_comes_back() {
    let (mut app, s) = app();
    app.go(Target::Deal {
        contact_id: s.ana,
        deal_id: s.deal,
    });
    enter(&mut app);
    match &app.screen {
        Screen::Contact(c) => assert_eq!(c.id, s.ana),
        _ => panic!("not the contact:\n{}", screen(&app, 90, 24)),
    }
    esc(&mut app);
    assert!(matches!(&app.screen, Screen::Deal(d) if d.deal.id == s.deal));
}

#[test]
fn the_companies_list_filters_and_opens_a_company_and_its_deals() {
    let (mut app, s) = app();
    press(&mut app, "3C");
    assert_snapshot!("companies_list", screen(&app, 80, 16));
    press(&mut app, "/acm");
    let Some(list) = &app.contacts.companies else {
        panic!("no companies list");
    };
    assert_eq!(list.shown.len(), 1);
    enter(&mut app);
    enter(&mut app);
    let Screen::Company(c) = &app.screen else {
        panic!("not the company:\n{}", screen(&app, 80, 24));
    };
    assert_eq!(c.view.company.name, "Acme");
    press(&mut app, "j");
    assert_snapshot!("company_page_deal_selected", screen(&app, 80, 16));
    enter(&mut app);
    assert!(matches!(&app.screen, Screen::Deal(d) if d.deal.id == s.deal));
    esc(&mut app);
    assert!(matches!(app.screen, Screen::Company(_)));
    esc(&mut app);
    assert!(
        app.contacts.companies.is_some(),
        "back to the companies list"
    );
    esc(&mut app); // clears the filter
    esc(&mut app); // back to the people
    assert!(app.contacts.companies.is_none());
}

#[test]
fn small_terminals_do_not_panic() {
    let (mut app, _) = app();
    press(&mut app, "e");
    for (w, h) in [(20, 5), (40, 10)] {
        screen(&app, w, h);
    }
    esc(&mut app);
    press(&mut app, "3C");
    for (w, h) in [(20, 5), (40, 10)] {
        screen(&app, w, h);
    }
}

#[test]
fn the_new_follow_up_form_sets_a_repeat_and_picks_the_deal() {
    let (mut app, s) = app();
    // Ana's overdue call is on her deal: the new follow-up starts on it too.
    press(&mut app, "f");
    for _ in 0..3 {
        tab(&mut app);
    }
    press(&mut app, "1w");
    tab(&mut app);
    assert_snapshot!("follow_up_new_deal_field", screen(&app, 80, 24));
    app.handle_key(code(KeyCode::Left)); // the deal → none
    enter(&mut app);
    assert!(app.popup.is_none(), "{}", status(&app));
    let now = app.desk.clock.now_naive();
    let mut list = app
        .desk
        .db
        .read(|c| {
            follow_ups::list(
                c,
                &salesdesk::domain::follow_up::ListFilter {
                    contact_id: Some(s.ana),
                    ..Default::default()
                },
                now,
            )
        })
        .expect("the list");
    list.retain(|f| f.id != s.ana_call);
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].every.as_deref(), Some("1w"));
    assert_eq!(list[0].deal_id, None);
    // A repeat it cannot read is refused, the form stays.
    press(&mut app, "f");
    for _ in 0..3 {
        tab(&mut app);
    }
    press(&mut app, "often");
    enter(&mut app);
    assert!(app.popup.is_some());
    assert!(status(&app).contains("repeat"), "{}", status(&app));
}

#[test]
fn a_follow_up_from_a_deal_on_the_company_page_goes_on_that_deal() {
    let (mut app, s) = app();
    let acme = app
        .desk
        .db
        .read(|c| contacts::get(c, s.ana))
        .expect("Ana")
        .company_id
        .expect("Acme");
    app.go(Target::Company(acme));
    press(&mut app, "j");
    press(&mut app, "f");
    match &app.popup {
        Some(Popup::FollowUp(f)) => assert_eq!(f.deal_id, Some(s.deal)),
        _ => panic!("no follow-up form"),
    }
}
