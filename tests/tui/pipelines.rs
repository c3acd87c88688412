//! Several pipelines on the board: the title names the one shown, `P` goes to the next, the
//! filter and the closed deals work in each, the totals are the pipeline's; a win on the
//! sales board opens its renewal on the renewals board.

use chrono::{Local, NaiveDate, TimeZone};
use insta::assert_snapshot;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use salesdesk::clock::Clock;
use salesdesk::config::Config;
use salesdesk::domain::contact::ContactFields;
use salesdesk::domain::deal::NewDeal;
use salesdesk::ops::Desk;
use salesdesk::tui::App;
use salesdesk::tui::app::Screen;
use salesdesk::tui::screens::pipeline::PipelineScreen;

pub const TWO: &str = r#"
[pipelines.sales]
stages = [{ name = "Lead", probability = 10 }, { name = "Proposal", probability = 50 }]
renew = { into = "renewals", after = "11m" }
[pipelines.renewals]
stages = [{ name = "Upcoming", probability = 70 }, { name = "Quoted", probability = 85 }]
"#;

fn clock() -> Clock {
    let t = NaiveDate::from_ymd_opt(2026, 11, 23)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap();
    Clock::fixed(Local.from_local_datetime(&t).earliest().unwrap())
}

fn deal(
    desk: &mut Desk,
    pipeline: &str,
    title: &str,
    contact_id: i64,
    cents: i64,
    stage: &str,
) -> i64 {
    desk.add_deal_in(
        pipeline,
        &NewDeal {
            title: title.into(),
            contact_id,
            value_cents: cents,
            currency: "USD".into(),
            stage: stage.into(),
            expected_close: None,
        },
    )
    .unwrap()
}

struct Seed {
    acme: i64,
    support: i64,
}

/// Sales: Acme at Proposal, Globex at Lead; renewals: Initech support at Upcoming.
fn board() -> (App, Seed) {
    let mut desk = Desk::in_memory(clock()).unwrap();
    desk.config = Config::parse(TWO).unwrap();
    let mut person = |name: &str, company: &str| {
        desk.add_contact(&ContactFields {
            name: Some(name.into()),
            company: Some(Some(company.into())),
            ..Default::default()
        })
        .unwrap()
    };
    let ana = person("Ana Souza", "Acme");
    let bob = person("Bob Lee", "Globex");
    let cy = person("Cy Park", "Initech");
    let acme = deal(
        &mut desk,
        "sales",
        "Acme rollout",
        ana,
        1_200_000,
        "Proposal",
    );
    deal(&mut desk, "sales", "Globex pilot", bob, 300_000, "Lead");
    let support = deal(
        &mut desk,
        "renewals",
        "Initech support",
        cy,
        500_000,
        "Upcoming",
    );
    let mut app = App::new(desk).unwrap();
    press(&mut app, "2");
    (app, Seed { acme, support })
}

fn press(app: &mut App, keys: &str) {
    for c in keys.chars() {
        let m = if c.is_ascii_uppercase() {
            KeyModifiers::SHIFT
        } else {
            KeyModifiers::NONE
        };
        app.handle_key(KeyEvent::new(KeyCode::Char(c), m));
    }
}

fn screen(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| app.render(f)).unwrap();
    t.backend().to_string()
}

fn board_of(app: &App) -> &PipelineScreen {
    match &app.screen {
        Screen::Pipeline(p) => p,
        _ => panic!("not on the board"),
    }
}

fn titles(app: &App) -> Vec<String> {
    let p = board_of(app);
    p.columns
        .iter()
        .flat_map(|c| c.cards.iter().map(|i| p.deals[*i].deal.title.clone()))
        .collect()
}

#[test]
fn the_board_shows_one_pipeline_at_a_time_and_p_goes_to_the_next() {
    let (mut app, _) = board();
    assert_snapshot!("two_pipelines_sales_100x16", screen(&app, 100, 16));
    assert_eq!(board_of(&app).summary.open, 2, "sales' totals only");
    press(&mut app, "P");
    assert_snapshot!("two_pipelines_renewals_100x16", screen(&app, 100, 16));
    assert_eq!(titles(&app), ["Initech support"]);
    assert_eq!(board_of(&app).summary.open, 1);
    press(&mut app, "P");
    assert_eq!(
        board_of(&app).pipeline,
        "sales",
        "after the last, the first again"
    );
}

#[test]
fn the_board_opens_again_on_the_pipeline_last_looked_at() {
    let (mut app, _) = board();
    press(&mut app, "P");
    assert_eq!(board_of(&app).pipeline, "renewals");
    // Today and back: still renewals, with its deals.
    press(&mut app, "12");
    assert_eq!(board_of(&app).pipeline, "renewals");
    assert_eq!(titles(&app), ["Initech support"]);
}

#[test]
fn moving_on_in_renewals_uses_its_stages() {
    let (mut app, s) = board();
    press(&mut app, "P>");
    let d = app.desk.deal(s.support).unwrap();
    assert_eq!(d.stage, "Quoted");
    assert_eq!(titles(&app), ["Initech support"]);
}

#[test]
fn a_win_on_sales_opens_its_renewal_on_the_renewals_board() {
    let (mut app, s) = board();
    // Acme is in the second column (Proposal).
    press(&mut app, "lW");
    assert_eq!(app.desk.deal(s.acme).unwrap().status.as_str(), "won");
    assert!(!titles(&app).contains(&"Acme rollout".to_string()));
    press(&mut app, "P");
    let shown = titles(&app);
    assert!(
        shown.contains(&"Renewal: Acme rollout".to_string()),
        "{shown:?}"
    );
    // Undo takes the renewal away with the win.
    press(&mut app, "u");
    press(&mut app, "P");
    press(&mut app, "P");
    assert_eq!(titles(&app), ["Initech support"]);
}

#[test]
fn the_filter_and_the_closed_deals_work_in_each_pipeline() {
    let (mut app, _) = board();
    press(&mut app, "/glo");
    app.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    assert_eq!(titles(&app), ["Globex pilot"]);
    press(&mut app, "P");
    assert!(
        titles(&app).is_empty(),
        "the filter stays: no Globex in renewals"
    );
    app.handle_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
    assert_eq!(titles(&app), ["Initech support"]);
    press(&mut app, "W");
    press(&mut app, "C");
    assert_eq!(
        titles(&app),
        ["Initech support"],
        "won this month, in renewals"
    );
    press(&mut app, "P");
    assert!(!titles(&app).contains(&"Initech support".to_string()));
}

#[test]
fn a_pipeline_gone_from_the_config_shows_as_unfiled() {
    let (app, _) = board();
    let mut desk = app.desk;
    desk.config = Config::parse(
        "[pipelines.sales]\nstages = [{ name = \"Lead\", probability = 10 }, { name = \"Proposal\", probability = 50 }]\n",
    )
    .unwrap();
    let mut app = App::new(desk).unwrap();
    press(&mut app, "2");
    assert_eq!(board_of(&app).pipelines, ["sales", "Unfiled"]);
    press(&mut app, "P");
    assert_eq!(titles(&app), ["Initech support"]);
    assert_snapshot!("unfiled_80x16", screen(&app, 80, 16));
}

fn reports(app: &App) -> &salesdesk::tui::screens::reports::ReportsScreen {
    match &app.screen {
        Screen::Reports(r) => r,
        _ => panic!("not on Reports"),
    }
}

#[test]
fn reports_switch_pipeline_with_p_and_show_the_top_referrers() {
    let (mut app, s) = board();
    let ana = app.desk.deal(s.acme).unwrap().contact_id;
    app.desk
        .add_contact(&ContactFields {
            name: Some("Dee Referred".into()),
            referred_by: Some(Some(ana)),
            ..Default::default()
        })
        .unwrap();
    press(&mut app, "4");
    let stages = |app: &App| -> Vec<String> {
        let r = reports(app).report.as_ref().expect("figures");
        r.pipeline
            .iter()
            .map(|l| format!("{}/{}", l.pipeline, l.stage))
            .collect()
    };
    assert_eq!(stages(&app).len(), 4, "every pipeline's stages");
    press(&mut app, "P");
    assert_eq!(stages(&app), ["sales/Lead", "sales/Proposal"]);
    press(&mut app, "P");
    assert_eq!(stages(&app), ["renewals/Upcoming", "renewals/Quoted"]);
    assert_snapshot!("reports_renewals_100x30", screen(&app, 100, 30));
    press(&mut app, "P");
    assert_eq!(reports(&app).pipeline, None, "all again");
    let refs = &reports(&app).report.as_ref().unwrap().referrals;
    assert_eq!(refs.len(), 1);
    assert_eq!((refs[0].name.as_str(), refs[0].referred), ("Ana Souza", 1));
}

#[test]
fn a_contact_page_shows_referrals_both_ways() {
    let (mut app, s) = board();
    let ana = app.desk.deal(s.acme).unwrap().contact_id;
    let dee = app
        .desk
        .add_contact(&ContactFields {
            name: Some("Dee Referred".into()),
            referred_by: Some(Some(ana)),
            ..Default::default()
        })
        .unwrap();
    let bob = app.desk.resolve_contact("bob").unwrap();
    app.desk
        .edit_contact(
            bob,
            &ContactFields {
                referred_by: Some(Some(ana)),
                ..Default::default()
            },
            &Default::default(),
            None,
        )
        .unwrap();
    // Ana, who referred Dee and Bob, was herself referred by Dee.
    app.desk
        .edit_contact(
            ana,
            &ContactFields {
                referred_by: Some(Some(dee)),
                ..Default::default()
            },
            &Default::default(),
            None,
        )
        .unwrap();
    app.go(salesdesk::tui::nav::Target::Contact(ana));
    let s = screen(&app, 100, 24);
    assert!(s.contains("referred by Dee Referred #"), "{s}");
    assert!(s.contains("referred 2: Bob Lee #"), "{s}");
    assert_snapshot!("contact_referrals_both_ways_100x24", s);
}

#[test]
fn a_win_on_a_pipeline_that_renews_into_itself_shows_the_renewal_at_once() {
    let mut desk = Desk::in_memory(clock()).unwrap();
    desk.config = Config::parse(
        "[pipelines.sales]\nstages = [{ name = \"Lead\", probability = 10 }]\nrenew = { into = \"sales\", after = \"11m\" }\n",
    )
    .unwrap();
    let ana = desk
        .add_contact(&ContactFields {
            name: Some("Ana Souza".into()),
            ..Default::default()
        })
        .unwrap();
    deal(&mut desk, "sales", "Acme rollout", ana, 1_000_000, "Lead");
    let mut app = App::new(desk).unwrap();
    press(&mut app, "2W");
    assert_eq!(
        titles(&app),
        ["Renewal: Acme rollout"],
        "the won card goes, its renewal comes"
    );
}
