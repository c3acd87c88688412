//! The pipeline board and the deal view: the App on an in-memory book with a fixed clock,
//! driven by keys and drawn into a TestBackend.

use chrono::{Local, NaiveDate, TimeZone};
use insta::assert_snapshot;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use salesdesk::clock::Clock;
use salesdesk::config::{Config, Stage};
use salesdesk::domain::contact::ContactFields;
use salesdesk::domain::deal::NewDeal;
use salesdesk::domain::deal::{DealEvent, DealStatus};
use salesdesk::domain::follow_up::FollowUpKind;
use salesdesk::domain::follow_up::NewFollowUp;
use salesdesk::ops::Desk;
use salesdesk::ops::deals::DealEdit;
use salesdesk::ops::notes::NoteInput;
use salesdesk::storage::deals;
use salesdesk::tui::App;
use salesdesk::tui::app::Screen;
use salesdesk::tui::popups::Popup;
use salesdesk::tui::screens::pipeline::{ColumnKind, PipelineScreen};
use salesdesk::when::When;

fn clock_at(month: u32, day: u32, h: u32) -> Clock {
    let t = NaiveDate::from_ymd_opt(2026, month, day)
        .unwrap()
        .and_hms_opt(h, 0, 0)
        .unwrap();
    Clock::fixed(Local.from_local_datetime(&t).earliest().unwrap())
}

/// Monday 2026-11-23 09:00, local time.
fn now() -> Clock {
    clock_at(11, 23, 9)
}

fn contact(desk: &mut Desk, name: &str, company: &str) -> i64 {
    desk.add_contact(&ContactFields {
        name: Some(name.into()),
        company: Some(Some(company.into())),
        ..Default::default()
    })
    .unwrap()
}

fn deal(
    desk: &mut Desk,
    title: &str,
    contact_id: i64,
    value: i64,
    currency: &str,
    stage: &str,
) -> i64 {
    desk.add_deal(&NewDeal {
        title: title.into(),
        contact_id,
        value_cents: value * 100,
        currency: currency.into(),
        stage: stage.into(),
        expected_close: None,
    })
    .unwrap()
}

fn follow_up(desk: &mut Desk, contact_id: i64, deal_id: Option<i64>, due: When) {
    desk.add_follow_up(&NewFollowUp {
        contact_id,
        deal_id,
        kind: FollowUpKind::Call,
        text: "Check in".into(),
        due,
        every: None,
    })
    .unwrap();
}

fn day(m: u32, d: u32) -> When {
    When::Day(NaiveDate::from_ymd_opt(2026, m, d).unwrap())
}

struct Seed {
    ana: i64,
    acme: i64,
    globex: i64,
    stale: i64,
    lonely: i64,
}

/// Deals in every stage: one in euros, one quiet for three weeks (stale), one without any
/// follow-up (no next step), and a contact whose own follow-up is the next step of its deal.
fn seed(desk: &mut Desk) -> Seed {
    desk.clock = clock_at(10, 30, 10);
    let ana = contact(desk, "Ana Souza", "Acme");
    let bob = contact(desk, "Bob Lee", "Globex");
    let yamada = contact(desk, "山田太郎", "株式会社サンプル");
    let chloe = contact(desk, "Chloé Martin", "Maison Durand");
    let stale = deal(desk, "Sleepy renewal", bob, 8_000, "USD", "Lead");
    follow_up(desk, bob, Some(stale), day(11, 30));
    desk.clock = clock_at(11, 16, 10);
    let acme = deal(desk, "Acme rollout", ana, 12_500, "USD", "Qualified");
    follow_up(desk, ana, Some(acme), day(11, 25));
    let globex = deal(
        desk,
        "Globex fleet tracking",
        bob,
        120_000,
        "USD",
        "Negotiation",
    );
    follow_up(desk, bob, None, day(11, 20));
    desk.clock = now();
    let eur = deal(
        desk,
        "Maison Durand expansion",
        chloe,
        31_000,
        "EUR",
        "Proposal",
    );
    follow_up(desk, chloe, Some(eur), day(11, 24));
    let lonely = deal(desk, "東京オフィス拡張", yamada, 45_000, "USD", "Proposal");
    let small = deal(desk, "Scanner add-on", ana, 950, "USD", "Lead");
    follow_up(desk, ana, Some(small), day(12, 2));
    Seed {
        ana,
        acme,
        globex,
        stale,
        lonely,
    }
}

fn desk() -> Desk {
    Desk::in_memory(now()).unwrap()
}

fn board() -> (App, Seed) {
    let mut d = desk();
    let s = seed(&mut d);
    let mut app = App::new(d).unwrap();
    press(&mut app, "2");
    (app, s)
}

fn key(c: char) -> KeyEvent {
    let m = if c.is_ascii_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    KeyEvent::new(KeyCode::Char(c), m)
}

fn code(k: KeyCode) -> KeyEvent {
    KeyEvent::new(k, KeyModifiers::NONE)
}

fn press(app: &mut App, keys: &str) {
    for c in keys.chars() {
        app.handle_key(key(c));
    }
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
}

fn screen(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| app.render(f)).unwrap();
    t.backend().to_string()
}

fn status(app: &App) -> String {
    app.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

fn pipeline(app: &App) -> &PipelineScreen {
    match &app.screen {
        Screen::Pipeline(p) => p,
        _ => panic!("not on the board"),
    }
}

fn selected(app: &App) -> i64 {
    pipeline(app).selected_id().expect("a selected deal")
}

fn stage_of(app: &mut App, id: i64) -> (String, DealStatus) {
    let d = app.desk.db.read(|c| deals::get(c, id)).unwrap();
    (d.stage, d.status)
}

#[test]
fn board_shows_columns_totals_and_cards() {
    let (app, _) = board();
    let p = pipeline(&app);
    let titles: Vec<&str> = p.columns.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(titles, ["Lead", "Qualified", "Proposal", "Negotiation"]);
    // Proposal: 45,000 USD weighted at 50%; the euros apart, never added.
    let proposal = &p.columns[2];
    assert_eq!((proposal.total, proposal.weighted), (4_500_000, 2_250_000));
    assert_eq!(proposal.others, vec![("EUR".to_string(), 3_100_000)]);
    assert_snapshot!("board_140x30", screen(&app, 140, 30));
}

#[test]
fn board_at_80_columns_is_compact() {
    let (app, _) = board();
    let s = screen(&app, 80, 24);
    assert!(s.contains("12.5k"), "{s}");
    assert_snapshot!("board_80x24", s);
}

#[test]
fn stale_and_no_next_step_are_marked_in_words() {
    let (app, s) = board();
    let p = pipeline(&app);
    let get = |id| p.deals.iter().find(|b| b.deal.id == id).unwrap();
    assert!(get(s.stale).stale);
    assert_eq!(get(s.stale).quiet_days, 24);
    assert!(!get(s.acme).stale);
    assert!(get(s.lonely).next.is_none());
    // Globex's deal has no follow-up of its own, but Bob has one: that is its next step.
    assert_eq!(get(s.globex).next, Some(day(11, 20)));
    let screen = screen(&app, 140, 30);
    assert!(screen.contains("! stale 24d"), "{screen}");
    assert!(screen.contains("! no next step"), "{screen}");
}

#[test]
fn a_column_with_more_cards_than_fit_scrolls_on_its_own() {
    let mut d = desk();
    let ana = contact(&mut d, "Ana Souza", "Acme");
    for i in 1..=9 {
        let id = deal(
            &mut d,
            &format!("Deal number {i}"),
            ana,
            1_000 * i,
            "USD",
            "Lead",
        );
        follow_up(&mut d, ana, Some(id), day(11, 24 + (i as u32 % 5)));
    }
    deal(&mut d, "Alone in Qualified", ana, 5_000, "USD", "Qualified");
    let mut app = App::new(d).unwrap();
    press(&mut app, "2");
    let top = screen(&app, 80, 24);
    assert!(top.contains("↓ 5 more"), "{top}");
    press(&mut app, "jjjjj");
    assert_eq!(pipeline(&app).rows[0], 5);
    let s = screen(&app, 80, 24);
    assert!(s.contains("↑ 2 · ↓ 3 more"), "{s}");
    assert!(
        s.contains("Deal number 6") && !s.contains("Deal number 2 "),
        "{s}"
    );
    // The next column did not move.
    assert!(s.contains("Alone in Quali"), "{s}");
    assert_snapshot!("board_column_scrolled", s);
    press(&mut app, "G");
    assert_eq!(pipeline(&app).rows[0], 8);
    press(&mut app, "g");
    assert_eq!(pipeline(&app).rows[0], 0);
}

#[test]
fn filter_is_fuzzy_over_title_contact_and_company() {
    let (mut app, s) = board();
    press(&mut app, "/");
    typed(&mut app, "globex");
    let p = pipeline(&app);
    assert!(p.filtering);
    // Bob Lee of Globex has two deals; the company matches both.
    assert_eq!(p.visible_count(), 2);
    assert_snapshot!("board_filter_typing", screen(&app, 100, 24));
    app.handle_key(code(KeyCode::Enter));
    let p = pipeline(&app);
    assert!(!p.filtering);
    // The first match is selected: the Lead column's sleepy renewal.
    assert_eq!(selected(&app), s.stale);
    // Keys act on the board again, within the filter.
    press(&mut app, "l");
    assert_eq!(
        pipeline(&app).selected_id(),
        None,
        "Qualified holds no match"
    );
    press(&mut app, "ll");
    assert_eq!(selected(&app), s.globex);
    app.handle_key(code(KeyCode::Esc));
    assert_eq!(pipeline(&app).visible_count(), 6);
    // By contact name, accents ignored.
    press(&mut app, "/");
    typed(&mut app, "chloe");
    assert_eq!(pipeline(&app).visible_count(), 1);
    app.handle_key(code(KeyCode::Esc));
    assert_eq!(pipeline(&app).visible_count(), 6);
    assert!(!pipeline(&app).filtering);
}

#[test]
fn moves_follow_the_deal_and_are_kept_in_history() {
    let (mut app, s) = board();
    // Down to Acme in Qualified.
    press(&mut app, "l");
    assert_eq!(selected(&app), s.acme);
    press(&mut app, ">>");
    assert_eq!(selected(&app), s.acme, "the selection follows the deal");
    assert_eq!(stage_of(&mut app, s.acme).0, "Negotiation");
    assert_eq!(status(&app), "\"Acme rollout\" → Negotiation");
    press(&mut app, ">");
    assert!(status(&app).contains("last stage"), "{}", status(&app));
    press(&mut app, "<");
    assert_eq!(stage_of(&mut app, s.acme).0, "Proposal");
    let h = app.desk.db.read(|c| deals::history(c, s.acme)).unwrap();
    let stages: Vec<&str> = h.iter().map(|e| e.stage.as_str()).collect();
    assert_eq!(stages, ["Qualified", "Proposal", "Negotiation", "Proposal"]);
    // Undo takes the last move back.
    press(&mut app, "u");
    assert_eq!(stage_of(&mut app, s.acme).0, "Negotiation");
    assert_eq!(selected(&app), s.acme);
}

#[test]
fn won_at_once_and_undo_brings_it_back() {
    let (mut app, s) = board();
    press(&mut app, "l");
    press(&mut app, "W");
    assert_eq!(
        stage_of(&mut app, s.acme),
        ("Qualified".to_string(), DealStatus::Won)
    );
    assert!(pipeline(&app).deals.iter().all(|b| b.deal.id != s.acme));
    let ana = app
        .desk
        .db
        .read(|c| salesdesk::storage::contacts::get(c, s.ana))
        .unwrap();
    assert_eq!(ana.status.to_string(), "customer");
    press(&mut app, "u");
    assert_eq!(stage_of(&mut app, s.acme).1, DealStatus::Open);
    assert!(pipeline(&app).deals.iter().any(|b| b.deal.id == s.acme));
}

#[test]
fn lost_asks_the_reason_offering_earlier_ones() {
    let (mut app, s) = board();
    let ana = s.ana;
    let old = deal(&mut app.desk, "Old deal", ana, 100, "USD", "Lead");
    app.desk
        .lose_deal(old, "Budget frozen until Q2", None)
        .unwrap();
    let old2 = deal(&mut app.desk, "Older deal", ana, 100, "USD", "Lead");
    app.desk
        .lose_deal(old2, "Went with a competitor", None)
        .unwrap();
    let old3 = deal(&mut app.desk, "Oldest deal", ana, 100, "USD", "Lead");
    app.desk
        .lose_deal(old3, "Budget frozen until Q2", None)
        .unwrap();
    app.reload();
    press(&mut app, "lL");
    assert!(matches!(app.popup, Some(Popup::LostReason(_))));
    assert_snapshot!("lost_reason_popup", screen(&app, 100, 26));
    // Down picks the most used earlier reason.
    app.handle_key(code(KeyCode::Down));
    app.handle_key(code(KeyCode::Enter));
    assert!(app.popup.is_none());
    let d = app.desk.db.read(|c| deals::get(c, s.acme)).unwrap();
    assert_eq!(d.status, DealStatus::Lost);
    assert_eq!(d.lost_reason.as_deref(), Some("Budget frozen until Q2"));
    assert_eq!(d.history.last().unwrap().event, DealEvent::Lost);
    // An empty reason is refused and the popup stays.
    assert_eq!(pipeline(&app).selected_id(), None, "Qualified is empty now");
    press(&mut app, "hL");
    app.handle_key(code(KeyCode::Enter));
    assert!(matches!(app.popup, Some(Popup::LostReason(_))));
    app.handle_key(code(KeyCode::Esc));
    assert!(app.popup.is_none());
}

#[test]
fn deal_view_shows_fields_history_notes_and_follow_ups() {
    let (mut app, s) = board();
    let ana = s.ana;
    let mut n = NoteInput::new(ana, "Walked through the pricing sheet");
    n.deal_id = Some(s.acme);
    app.desk.log_note(&n).unwrap();
    app.desk.move_deal(s.acme, "Proposal", None).unwrap();
    app.reload();
    // Acme is now the first card of Proposal.
    press(&mut app, "ll");
    assert_eq!(selected(&app), s.acme);
    app.handle_key(code(KeyCode::Enter));
    assert!(matches!(app.screen, Screen::Deal(_)));
    let s80 = screen(&app, 80, 30);
    assert!(
        s80.contains("→ Qualified") && s80.contains("→ Proposal"),
        "{s80}"
    );
    assert!(s80.contains("Walked through the pricing sheet"), "{s80}");
    assert_snapshot!("deal_view", s80);
    // Moves work from the deal view too, and Esc goes back to the board on the same deal.
    press(&mut app, ">");
    assert_eq!(stage_of(&mut app, s.acme).0, "Negotiation");
    app.handle_key(code(KeyCode::Esc));
    assert_eq!(selected(&app), s.acme);
}

#[test]
fn a_deal_changed_elsewhere_is_refused() {
    let (mut app, s) = board();
    press(&mut app, "l");
    // Another window edits Acme after the board read it.
    app.desk
        .edit_deal(
            s.acme,
            &DealEdit {
                title: Some("Acme rollout, phase 2".into()),
                ..Default::default()
            },
            None,
        )
        .unwrap();
    press(&mut app, ">");
    assert!(
        status(&app).contains("changed elsewhere"),
        "{}",
        status(&app)
    );
    assert_eq!(stage_of(&mut app, s.acme).0, "Qualified");
    // The board now shows the deal as it is, and the next move goes through.
    assert!(
        pipeline(&app)
            .deals
            .iter()
            .any(|b| b.deal.title == "Acme rollout, phase 2")
    );
    press(&mut app, ">");
    assert_eq!(stage_of(&mut app, s.acme).0, "Proposal");
}

#[test]
fn add_and_edit_a_deal_through_the_form() {
    let (mut app, _) = board();
    press(&mut app, "ll");
    press(&mut app, "a");
    assert!(matches!(app.popup, Some(Popup::DealForm(_))));
    typed(&mut app, "chloe");
    app.handle_key(code(KeyCode::Enter));
    typed(&mut app, "Osaka office");
    app.handle_key(code(KeyCode::Tab));
    typed(&mut app, "12,500 EUR");
    // Value → currency (EUR, from the value) → stage → close.
    for _ in 0..3 {
        app.handle_key(code(KeyCode::Tab));
    }
    typed(&mut app, "dec 15");
    assert_snapshot!("deal_form_add", screen(&app, 90, 26));
    app.handle_key(code(KeyCode::Enter));
    assert!(app.popup.is_none(), "{}", status(&app));
    let list = app
        .desk
        .db
        .read(|c| deals::list(c, &Default::default()))
        .unwrap();
    let d = list.iter().find(|d| d.title == "Osaka office").unwrap();
    assert_eq!((d.value_cents, d.currency.as_str()), (1_250_000, "EUR"));
    assert_eq!(
        d.stage, "Proposal",
        "a new deal starts in the selected column's stage"
    );
    assert_eq!(d.expected_close.as_deref(), Some("2026-12-15"));
    assert_eq!(d.contact_name, "Chloé Martin");
    let id = d.id;
    assert_eq!(selected(&app), id, "the new deal is selected");
    press(&mut app, "e");
    for _ in 0.."Osaka office".len() {
        app.handle_key(code(KeyCode::Backspace));
    }
    typed(&mut app, "Osaka branch");
    app.handle_key(code(KeyCode::Enter));
    let d = app.desk.db.read(|c| deals::get(c, id)).unwrap();
    assert_eq!(d.title, "Osaka branch");
    assert_eq!(d.value_cents, 1_250_000);
}

#[test]
fn note_and_follow_up_go_to_the_deal_and_its_contact() {
    let (mut app, s) = board();
    press(&mut app, "llj");
    assert_eq!(selected(&app), s.lonely);
    press(&mut app, "f");
    assert!(matches!(app.popup, Some(Popup::FollowUp(_))));
    app.handle_key(code(KeyCode::Enter));
    assert!(app.popup.is_none(), "{}", status(&app));
    let b = pipeline(&app)
        .deals
        .iter()
        .find(|b| b.deal.id == s.lonely)
        .unwrap();
    assert!(b.next.is_some(), "the follow-up is its next step now");
    press(&mut app, "n");
    typed(&mut app, "Sent the floor plan");
    app.handle_key(code(KeyCode::Enter));
    let notes = app
        .desk
        .db
        .read(|c| salesdesk::storage::notes::for_deal(c, s.lonely, 5))
        .unwrap();
    assert_eq!(notes.len(), 1);
}

#[test]
fn closed_this_month_toggle_and_unstaged_column() {
    let mut d = desk();
    let s = seed(&mut d);
    d.win_deal(s.globex, None).unwrap();
    // The config drops Negotiation and renames nothing else: Acme's stage stays known.
    let mut cfg = Config::default();
    cfg.pipeline.stages = vec![
        Stage {
            name: "Lead".into(),
            probability: 10,
        },
        Stage {
            name: "Qualified".into(),
            probability: 25,
        },
        Stage {
            name: "Proposal".into(),
            probability: 50,
        },
    ];
    d.move_deal(s.acme, "Negotiation", None).unwrap();
    d.config = cfg;
    let mut app = App::new(d).unwrap();
    press(&mut app, "2");
    let kinds: Vec<ColumnKind> = pipeline(&app).columns.iter().map(|c| c.kind).collect();
    assert_eq!(kinds.last(), Some(&ColumnKind::Unstaged));
    let unstaged = pipeline(&app).columns.last().unwrap();
    assert_eq!(unstaged.cards.len(), 1);
    press(&mut app, "C");
    let titles: Vec<String> = pipeline(&app)
        .columns
        .iter()
        .map(|c| c.title.clone())
        .collect();
    assert_eq!(
        titles,
        [
            "Lead",
            "Qualified",
            "Proposal",
            "Unstaged",
            "Won this month",
            "Lost this month"
        ]
    );
    assert_eq!(pipeline(&app).columns[4].cards.len(), 1);
    let s100 = screen(&app, 100, 24);
    assert!(s100.contains("Unstaged"), "{s100}");
    // With the closed columns shown, six columns fit in 100: nothing is off the edge.
    press(&mut app, "lllll");
    let s100 = screen(&app, 100, 24);
    assert!(
        s100.contains("Lost this mon") && !s100.contains("more ›"),
        "{s100}"
    );
    // `>` on the unstaged deal moves it into the first stage.
    press(&mut app, "hh");
    assert_eq!(selected(&app), s.acme);
    press(&mut app, ">");
    assert_eq!(stage_of(&mut app, s.acme).0, "Lead");
    press(&mut app, "C");
    assert_eq!(pipeline(&app).columns.len(), 3);
}

#[test]
fn empty_board_says_what_to_do_and_tiny_terminal_does_not_panic() {
    let mut app = App::new(desk()).unwrap();
    press(&mut app, "2");
    let s = screen(&app, 80, 20);
    assert!(s.contains("No open deals. `a` adds one"), "{s}");
    press(&mut app, "<>WLej/");
    let _ = screen(&app, 20, 5);
    let (app, _) = board();
    let _ = screen(&app, 20, 5);
    let _ = screen(&app, 50, 16);
}

#[test]
fn every_pipeline_key_is_in_the_help_and_tab_cycles() {
    let (mut app, _) = board();
    press(&mut app, "?");
    let help = salesdesk::tui::keymap::Keymap::default().help();
    let pipeline_keys: Vec<&str> = help
        .iter()
        .filter(|(c, _)| c.title() == "Pipeline")
        .flat_map(|(_, rows)| rows.iter().map(|(_, d)| *d))
        .collect();
    assert!(pipeline_keys.iter().any(|d| d.contains("one stage on")));
    assert!(pipeline_keys.iter().any(|d| d.contains("lost")));
    app.handle_key(code(KeyCode::Esc));
    // Today → Pipeline → Contacts → Reports → Today.
    app.handle_key(code(KeyCode::Tab));
    assert!(matches!(app.screen, Screen::Contacts));
    app.handle_key(code(KeyCode::Tab));
    assert!(matches!(app.screen, Screen::Reports(_)));
    app.handle_key(code(KeyCode::Tab));
    assert!(matches!(app.screen, Screen::Today));
    app.handle_key(code(KeyCode::Tab));
    assert!(matches!(app.screen, Screen::Pipeline(_)));
}

fn won_and_lost(app: &mut App, s: &Seed) {
    app.desk.win_deal(s.acme, None).unwrap();
    app.desk
        .lose_deal(s.globex, "Went with a competitor", None)
        .unwrap();
    app.reload();
}

fn column_of(app: &App, id: i64) -> ColumnKind {
    let p = pipeline(app);
    let i = p.deals.iter().position(|b| b.deal.id == id).unwrap();
    p.columns
        .iter()
        .find(|c| c.cards.contains(&i))
        .map(|c| c.kind)
        .expect("the deal is on the board")
}

#[test]
fn reopen_in_the_closed_view_goes_through_the_op_and_undo_closes_it_again() {
    let (mut app, s) = board();
    won_and_lost(&mut app, &s);
    // On the open board R reopens nothing (the closed deals are not there); it says where it works.
    press(&mut app, "R");
    assert!(
        status(&app).starts_with("R works on a closed deal"),
        "{}",
        status(&app)
    );
    press(&mut app, "C");
    press(&mut app, "llll");
    assert_eq!(pipeline(&app).columns[4].kind, ColumnKind::Won);
    assert_eq!(selected(&app), s.acme);
    let shown = screen(&app, 100, 24);
    assert!(shown.contains("R reopen"), "{shown}");
    assert_snapshot!("closed_view_reopen", shown);
    press(&mut app, "R");
    assert_eq!(
        status(&app),
        "reopened \"Acme rollout\" in Qualified (u undoes)"
    );
    let d = app.desk.db.read(|c| deals::get(c, s.acme)).unwrap();
    assert_eq!(
        (d.stage.as_str(), d.status, d.closed_at),
        ("Qualified", DealStatus::Open, None)
    );
    assert_eq!(d.history.last().unwrap().event, DealEvent::Reopened);
    // The selection followed the deal back into its stage.
    assert_eq!(selected(&app), s.acme);
    assert_eq!(column_of(&app, s.acme), ColumnKind::Stage(1));
    press(&mut app, "u");
    assert!(status(&app).starts_with("undid"), "{}", status(&app));
    let d = app.desk.db.read(|c| deals::get(c, s.acme)).unwrap();
    assert_eq!(d.status, DealStatus::Won);
    assert_eq!(d.history.last().unwrap().event, DealEvent::Won);
    assert_eq!(column_of(&app, s.acme), ColumnKind::Won);
    // An open deal selected in the closed view is left as it is, with a word why.
    press(&mut app, "hhhh");
    press(&mut app, "R");
    assert!(status(&app).contains("only won and lost deals reopen"));
}

#[test]
fn reopen_from_a_closed_deals_view_and_a_stale_one_is_refused() {
    let (mut app, s) = board();
    won_and_lost(&mut app, &s);
    press(&mut app, "C");
    press(&mut app, "lllll");
    assert_eq!(selected(&app), s.globex);
    app.handle_key(code(KeyCode::Enter));
    assert!(matches!(app.screen, Screen::Deal(_)));
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("R reopen"), "{shown}");
    assert_snapshot!("deal_view_lost", shown);
    press(&mut app, "R");
    let d = app.desk.db.read(|c| deals::get(c, s.globex)).unwrap();
    assert_eq!(
        (d.status, d.lost_reason.as_deref()),
        (DealStatus::Open, None)
    );
    let Screen::Deal(view) = &app.screen else {
        panic!("left the deal view")
    };
    assert_eq!(view.deal.status, DealStatus::Open);
    press(&mut app, "u");
    let d = app.desk.db.read(|c| deals::get(c, s.globex)).unwrap();
    assert_eq!(
        (d.status, d.lost_reason.as_deref()),
        (DealStatus::Lost, Some("Went with a competitor"))
    );
    // Another window reopens and loses it again meanwhile: this view's R is refused.
    app.desk.reopen_deal(s.globex, None).unwrap();
    app.desk.lose_deal(s.globex, "No budget", None).unwrap();
    press(&mut app, "R");
    assert!(
        status(&app).contains("changed elsewhere"),
        "{}",
        status(&app)
    );
    let d = app.desk.db.read(|c| deals::get(c, s.globex)).unwrap();
    assert_eq!(d.status, DealStatus::Lost);
}

#[test]
fn reopen_is_in_the_help_and_can_be_rebound() {
    let help = salesdesk::tui::keymap::Keymap::default().help();
    assert!(
        help.iter()
            .flat_map(|(_, rows)| rows)
            .any(|(k, d)| k == "R" && d.contains("reopen"))
    );
    let mut keys = std::collections::BTreeMap::new();
    keys.insert("reopen".to_string(), "O".to_string());
    let mut d = desk();
    let s = seed(&mut d);
    d.win_deal(s.acme, None).unwrap();
    d.config.keys = keys;
    let mut app = App::new(d).unwrap();
    press(&mut app, "2C");
    press(&mut app, "llll");
    press(&mut app, "R");
    assert_eq!(stage_of(&mut app, s.acme).1, DealStatus::Won);
    press(&mut app, "O");
    assert_eq!(stage_of(&mut app, s.acme).1, DealStatus::Open);
}

fn backtab(app: &mut App) {
    app.handle_key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT));
}

fn clear_field(app: &mut App, n: usize) {
    for _ in 0..n {
        app.handle_key(code(KeyCode::Backspace));
    }
}

#[test]
fn edit_changes_contact_and_stage_in_one_undoable_step() {
    let (mut app, s) = board();
    let chloe = app.desk.resolve_contact("chloe").unwrap();
    press(&mut app, "l");
    assert_eq!(selected(&app), s.acme);
    press(&mut app, "e");
    // Back from the title to the contact, which completes as it is typed.
    backtab(&mut app);
    clear_field(&mut app, "Ana Souza".chars().count());
    typed(&mut app, "chlo");
    assert_snapshot!("deal_form_edit_contact", screen(&app, 90, 26));
    app.handle_key(code(KeyCode::Enter));
    // Title, value, currency, then the stage: one on.
    for _ in 0..3 {
        app.handle_key(code(KeyCode::Tab));
    }
    app.handle_key(code(KeyCode::Right));
    assert_snapshot!("deal_form_edit_stage", screen(&app, 90, 26));
    app.handle_key(code(KeyCode::Enter));
    assert!(app.popup.is_none(), "{}", status(&app));
    assert_eq!(
        status(&app),
        "deal #2 \"Acme rollout\" saved, in Proposal; u undoes it"
    );
    let d = app.desk.db.read(|c| deals::get(c, s.acme)).unwrap();
    assert_eq!((d.contact_id, d.stage.as_str()), (chloe, "Proposal"));
    assert_eq!(d.value_cents, 1_250_000, "untouched fields stay");
    let last = d.history.last().unwrap();
    assert_eq!(
        (last.event, last.stage.as_str()),
        (DealEvent::Stage, "Proposal")
    );
    assert_eq!(selected(&app), s.acme, "the selection follows the deal");
    // One undo takes back the contact and the move together.
    press(&mut app, "u");
    let d = app.desk.db.read(|c| deals::get(c, s.acme)).unwrap();
    assert_eq!((d.contact_id, d.stage.as_str()), (s.ana, "Qualified"));
    assert_eq!(d.history.len(), 1);
    // Saving the form as it is moves nothing.
    press(&mut app, "e");
    app.handle_key(code(KeyCode::Enter));
    let d = app.desk.db.read(|c| deals::get(c, s.acme)).unwrap();
    assert_eq!((d.stage.as_str(), d.history.len()), ("Qualified", 1));
}

#[test]
fn an_edit_of_a_deal_changed_meanwhile_is_refused() {
    let (mut app, s) = board();
    press(&mut app, "l");
    press(&mut app, "e");
    app.desk
        .edit_deal(
            s.acme,
            &DealEdit {
                title: Some("Acme rollout, phase 2".into()),
                ..Default::default()
            },
            None,
        )
        .unwrap();
    clear_field(&mut app, 3);
    typed(&mut app, "out!");
    app.handle_key(code(KeyCode::Enter));
    assert!(
        status(&app).contains("changed elsewhere"),
        "{}",
        status(&app)
    );
    assert!(app.popup.is_none());
    let d = app.desk.db.read(|c| deals::get(c, s.acme)).unwrap();
    assert_eq!(d.title, "Acme rollout, phase 2");
}

#[test]
fn a_closed_deal_edits_everything_but_its_stage() {
    let (mut app, s) = board();
    won_and_lost(&mut app, &s);
    press(&mut app, "C");
    press(&mut app, "llll");
    press(&mut app, "e");
    let shown = screen(&app, 90, 26);
    assert!(shown.contains("(won: R reopens it"), "{shown}");
    // Title → value → currency → close → contact: the stage is skipped.
    for _ in 0..4 {
        app.handle_key(code(KeyCode::Tab));
    }
    clear_field(&mut app, "Ana Souza".chars().count());
    typed(&mut app, "bob");
    app.handle_key(code(KeyCode::Enter));
    app.handle_key(code(KeyCode::Enter));
    assert!(app.popup.is_none(), "{}", status(&app));
    let d = app.desk.db.read(|c| deals::get(c, s.acme)).unwrap();
    assert_eq!(d.contact_name, "Bob Lee");
    assert_eq!((d.stage.as_str(), d.status), ("Qualified", DealStatus::Won));
}

/// Each column's kind, its cards by deal id, its total and weighted total.
type ColumnState = (ColumnKind, Vec<i64>, i128, i128);

/// What the board shows, by deal id: the columns, and the selection.
fn board_state(app: &App) -> (Vec<ColumnState>, usize, Vec<usize>) {
    let p = pipeline(app);
    let cols = p
        .columns
        .iter()
        .map(|c| {
            let ids = c.cards.iter().map(|i| p.deals[*i].deal.id).collect();
            (c.kind, ids, c.total, c.weighted)
        })
        .collect();
    (cols, p.col, p.rows.clone())
}

#[test]
fn a_move_in_place_leaves_the_board_as_a_full_read_would() {
    let (mut app, _) = board();
    // Moves on, back, across columns and into the first and last stages, with an EUR deal
    // (totalled apart) and a filter in between.
    for keys in ["l>", ">", "<", "h>", "lll<", "<<", "g>"] {
        press(&mut app, keys);
        let moved = board_state(&app);
        let Screen::Pipeline(p) = &mut app.screen else {
            panic!("left the board")
        };
        p.load(&mut app.desk).unwrap();
        assert_eq!(moved, board_state(&app), "after {keys:?}");
    }
    // With a filter on, a moved card stays only if it still passes.
    press(&mut app, "/acme");
    app.handle_key(code(KeyCode::Enter));
    let first = selected(&app);
    press(&mut app, ">");
    let moved = board_state(&app);
    let Screen::Pipeline(p) = &mut app.screen else {
        panic!("left the board")
    };
    p.load(&mut app.desk).unwrap();
    assert_eq!(moved, board_state(&app), "filtered");
    assert_eq!(
        selected(&app),
        first,
        "the selection follows the moved deal"
    );
}
