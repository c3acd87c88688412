//! The report on a book built through the ops with a fixed clock, every figure checked
//! against numbers worked out by hand (the working is in the comments).
//!
//! Every event happens at 12:00 UTC, so local dates are the UTC dates in any time zone within
//! ±11 hours and durations are whole days.

use chrono::{Local, NaiveDate, TimeZone, Utc};
use salesdesk::clock::Clock;
use salesdesk::domain::contact::ContactFields;
use salesdesk::domain::deal::NewDeal;
use salesdesk::domain::follow_up::FollowUpKind;
use salesdesk::domain::follow_up::NewFollowUp;
use salesdesk::domain::note::{NoteKind, Outcome};
use salesdesk::ops::Desk;
use salesdesk::ops::notes::NoteInput;
use salesdesk::when::When;
use serde_json::{Value, json};

fn at(date: &str, hour: u32) -> Clock {
    let d: NaiveDate = date.parse().expect("date");
    let t = Utc.from_utc_datetime(&d.and_hms_opt(hour, 0, 0).expect("time"));
    Clock::fixed(t.with_timezone(&Local))
}

fn day(date: &str) -> NaiveDate {
    date.parse().expect("date")
}

struct Book {
    desk: Desk,
}

impl Book {
    fn on(&mut self, date: &str) -> &mut Desk {
        self.desk.clock = at(date, 12);
        &mut self.desk
    }

    fn contact(&mut self, date: &str, name: &str, source: Option<&str>) -> i64 {
        let f = ContactFields {
            name: Some(name.into()),
            source: source.map(|s| Some(s.to_string())),
            ..Default::default()
        };
        self.on(date).add_contact(&f).expect("contact")
    }

    #[allow(clippy::too_many_arguments)]
    fn deal(
        &mut self,
        date: &str,
        contact_id: i64,
        title: &str,
        value_cents: i64,
        currency: &str,
        stage: &str,
        close: Option<&str>,
    ) -> i64 {
        let d = NewDeal {
            title: title.into(),
            contact_id,
            value_cents,
            currency: currency.into(),
            stage: stage.into(),
            expected_close: close.map(str::to_string),
        };
        self.on(date).add_deal(&d).expect("deal")
    }

    fn note(&mut self, date: &str, hour: u32, contact_id: i64, kind: NoteKind, o: Option<Outcome>) {
        self.desk.clock = at(date, hour);
        let mut n = NoteInput::new(contact_id, format!("{kind} on {date}"));
        n.kind = kind;
        n.outcome = o;
        self.desk.log_note(&n).expect("note");
    }

    fn follow_up(&mut self, date: &str, contact_id: i64, due: &str) -> i64 {
        let f = NewFollowUp {
            contact_id,
            deal_id: None,
            kind: FollowUpKind::Call,
            text: "call back".into(),
            due: When::Day(day(due)),
            every: None,
        };
        self.on(date).add_follow_up(&f).expect("follow-up")
    }
}

/// The book, said on Monday 2026-11-23 at 12:00 UTC. Default pipeline: Lead 10%,
/// Qualified 25%, Proposal 50%, Negotiation 75%; currency USD.
fn book() -> Book {
    let mut b = Book {
        desk: Desk::in_memory(at("2026-07-01", 12)).expect("desk"),
    };
    let ana = b.contact("2026-07-01", "Ana Lima", Some("referral"));
    let bo = b.contact("2026-07-01", "Bo Chen", Some("linkedin"));
    // Same source as Ana once trimmed and case-folded.
    let cy = b.contact("2026-07-01", "Cy Park", Some(" Referral "));
    let di = b.contact("2026-07-01", "Di Roy", Some("event"));
    let ed = b.contact("2026-07-01", "Ed Fox", None);

    // D1 goes back a stage, then is won in the period.
    // Lead 09-01 → Qualified 09-11 (10 d, ended before the period) → Proposal 10-11 (30 d)
    // → back to Qualified 10-16 (5 d) → Proposal 10-20 (4 d) → won 10-30 (10 d).
    let d1 = b.deal("2026-09-01", ana, "Ana big", 1_000_000, "USD", "Lead", None);
    b.on("2026-09-11").move_deal(d1, "Qualified", None).unwrap();
    b.on("2026-10-11").move_deal(d1, "Proposal", None).unwrap();
    b.on("2026-10-16").move_deal(d1, "Qualified", None).unwrap();
    b.on("2026-10-20").move_deal(d1, "Proposal", None).unwrap();
    b.on("2026-10-30").win_deal(d1, None).unwrap();

    // D2 is won, reopened and lost: Proposal 10-05 → won 10-15 (10 d) → closed 10 days →
    // reopened 10-25 → lost 10-28 (3 d). It counts as lost, closed 10-28.
    let d2 = b.deal(
        "2026-10-05",
        bo,
        "Bo pilot",
        400_000,
        "USD",
        "Proposal",
        None,
    );
    b.on("2026-10-15").win_deal(d2, None).unwrap();
    b.on("2026-10-25").reopen_deal(d2, None).unwrap();
    b.on("2026-10-28").lose_deal(d2, "budget", None).unwrap();

    // D3 was lost before the period: in no figure of a period from 10-01.
    let d3 = b.deal("2026-08-01", cy, "Cy deal", 200_000, "USD", "Lead", None);
    b.on("2026-09-15").lose_deal(d3, "timing", None).unwrap();

    // Open deals in USD.
    let d4 = b.deal(
        "2026-11-02",
        cy,
        "Cy expansion",
        600_000,
        "USD",
        "Lead",
        Some("2026-12-20"),
    );
    b.on("2026-11-12")
        .move_deal(d4, "Negotiation", None)
        .unwrap(); // Lead stay: 10 d
    b.deal(
        "2026-11-10",
        di,
        "Di trial",
        100_050,
        "USD",
        "Qualified",
        Some("2027-01-15"),
    );
    b.deal("2026-11-20", ed, "Ed open", 50_000, "USD", "Lead", None);

    // Deals in euros: kept apart from the money, counted in the win rate and stage days.
    b.deal(
        "2026-10-02",
        ana,
        "Euro deal",
        300_000,
        "EUR",
        "Proposal",
        Some("2026-12-01"),
    );
    let d8 = b.deal("2026-10-03", bo, "Euro won", 700_000, "EUR", "Lead", None);
    b.on("2026-11-03").win_deal(d8, None).unwrap(); // Lead stay 31 d, 31 days to win

    // Notes.
    b.note(
        "2026-09-30",
        12,
        ana,
        NoteKind::Call,
        Some(Outcome::Connected),
    ); // before
    b.note(
        "2026-10-01",
        12,
        ana,
        NoteKind::Call,
        Some(Outcome::Connected),
    ); // W40
    b.note("2026-10-02", 12, bo, NoteKind::Email, None); // W40
    b.note(
        "2026-10-14",
        12,
        cy,
        NoteKind::Call,
        Some(Outcome::Voicemail),
    ); // W42
    b.note("2026-10-14", 13, cy, NoteKind::Meeting, None); // W42
    b.note("2026-11-18", 12, di, NoteKind::Call, None); // W47, no outcome
    b.note("2026-11-18", 13, di, NoteKind::Note, None); // W47
    b.note(
        "2026-11-23",
        11,
        ed,
        NoteKind::Call,
        Some(Outcome::NoAnswer),
    ); // W48

    // Follow-ups: one overdue, one done, one cancelled (both would be overdue), one today.
    b.follow_up("2026-11-01", ana, "2026-11-20");
    let done = b.follow_up("2026-11-01", bo, "2026-11-10");
    b.on("2026-11-10").complete_follow_up(done, None).unwrap();
    let cancelled = b.follow_up("2026-10-20", cy, "2026-11-01");
    b.on("2026-10-21")
        .cancel_follow_up(cancelled, None)
        .unwrap();
    b.follow_up("2026-11-01", di, "2026-11-23");

    b.desk.clock = at("2026-11-23", 12);
    b
}

fn report(b: &mut Book, since: &str) -> Value {
    let r = b.desk.report(day(since)).expect("report");
    serde_json::to_value(&r).expect("json")
}

fn week(w: &str, call: i64, email: i64, meeting: i64, note: i64) -> Value {
    json!({"week": w, "call": call, "email": email, "meeting": meeting, "note": note})
}

#[test]
fn every_figure_of_a_period() {
    let mut b = book();
    let r = report(&mut b, "2026-10-01");
    assert_eq!(r["since"], "2026-10-01");
    assert_eq!(r["currency"], "USD");

    // Open USD deals. Qualified: 1,000.50 × 25% = 250.125 → 250.12 (truncated per deal).
    assert_eq!(
        r["pipeline"],
        json!([
            {"pipeline": "sales", "stage": "Lead", "count": 1, "value_cents": 50_000, "weighted_cents": 5_000, "probability": 10},
            {"pipeline": "sales", "stage": "Qualified", "count": 1, "value_cents": 100_050, "weighted_cents": 25_012, "probability": 25},
            {"pipeline": "sales", "stage": "Proposal", "count": 0, "value_cents": 0, "weighted_cents": 0, "probability": 50},
            {"pipeline": "sales", "stage": "Negotiation", "count": 1, "value_cents": 600_000, "weighted_cents": 450_000, "probability": 75},
        ])
    );
    // By expected close; Ed's deal has none; the euro deal is not in it.
    assert_eq!(
        r["forecast"],
        json!([
            {"month": "2026-12", "weighted_cents": 450_000, "count": 1, "value_cents": 600_000},
            {"month": "2027-01", "weighted_cents": 25_012, "count": 1, "value_cents": 100_050},
        ])
    );
    assert_eq!(r["forecast_undated_cents"], 5_000);

    // Closed since 10-01: D1 won, D2 lost (its earlier win was undone by the reopening), and
    // the euro D8 won: counted with the others (docs/MANUAL.md, Reports), its money kept apart.
    assert_eq!(r["won"], json!({"count": 2, "value_cents": 1_000_000}));
    assert_eq!(r["lost"], json!({"count": 1, "value_cents": 400_000}));
    // Every currency: won D1 and D8, lost D2 → 2 / 3.
    assert_eq!(r["win_rate"], 0.6667);
    // D1: 09-01 → 10-30 = 59 days; D8: 10-03 → 11-03 = 31 days; (59 + 31) / 2 = 45.
    assert_eq!(r["avg_days_to_win"], 45.0);

    // Stays that ended since 10-01:
    // Lead: D4 10, D8 31 → 20.5 (D1's Lead stay ended 09-11, D3's 09-15; D6 is still there).
    // Qualified: D1 30 and 4 → 17 (went back a stage: two stays).
    // Proposal: D1 5 and 10, D2 10 and 3 (reopened: the 10 closed days are in no stage) → 7.
    // Negotiation: D4 is still there → no stay ended.
    assert_eq!(
        r["stage_days"],
        json!([
            {"stage": "Lead", "avg_days": 20.5, "stays": 2},
            {"stage": "Qualified", "avg_days": 17.0, "stays": 2},
            {"stage": "Proposal", "avg_days": 7.0, "stays": 4},
            {"stage": "Negotiation", "avg_days": null, "stays": 0},
        ])
    );

    // Sources, whole book. referral: Ana (customer) and Cy (lead); linkedin: Bo, customer since
    // D2's win (the reopening does not demote him), no USD won deal (D8 is in euros); event: Di,
    // no customers; no source: Ed.
    assert_eq!(
        r["sources"],
        json!([
            {"source": "Referral", "contacts": 2, "customers": 1, "conversion_rate": 0.5, "won_cents": 1_000_000},
            {"source": "event", "contacts": 1, "customers": 0, "conversion_rate": 0.0, "won_cents": 0},
            {"source": "linkedin", "contacts": 1, "customers": 1, "conversion_rate": 1.0, "won_cents": 0},
            {"source": null, "contacts": 1, "customers": 0, "conversion_rate": 0.0, "won_cents": 0},
        ])
    );

    // From Thursday 10-01 (W40) to this week (W48); the call of 09-30 is before the period.
    assert_eq!(
        r["activity"],
        json!([
            week("2026-W40", 1, 1, 0, 0),
            week("2026-W41", 0, 0, 0, 0),
            week("2026-W42", 1, 0, 1, 0),
            week("2026-W43", 0, 0, 0, 0),
            week("2026-W44", 0, 0, 0, 0),
            week("2026-W45", 0, 0, 0, 0),
            week("2026-W46", 0, 0, 0, 0),
            week("2026-W47", 1, 0, 0, 1),
            week("2026-W48", 1, 0, 0, 0),
        ])
    );
    // Calls with an outcome: connected 10-01, voicemail 10-14, no-answer 11-23 → 1 / 3.
    assert_eq!(r["connect_rate"], 0.3333);
    assert_eq!(r["calls"], json!({"connected": 1, "with_outcome": 3}));

    // Due 11-20 and open, and the referral ask of the win of 10-15 (30 days on is Sat 11-14,
    // moved to Mon 11-16); the done and cancelled ones, today's and the later asks do not count.
    assert_eq!(r["overdue"], 2);

    assert_eq!(
        r["other_currencies"],
        json!([{
            "currency": "EUR",
            "open": {"count": 1, "value_cents": 300_000, "weighted_cents": 150_000},
            "won": {"count": 1, "value_cents": 700_000},
            "lost": {"count": 0, "value_cents": 0},
        }])
    );
}

#[test]
fn a_period_with_no_closed_deals() {
    let mut b = book();
    // From Sunday 11-22: nothing closed, no stay ended, one call (no answer).
    let r = report(&mut b, "2026-11-22");
    assert_eq!(r["won"], json!({"count": 0, "value_cents": 0}));
    assert_eq!(r["lost"], json!({"count": 0, "value_cents": 0}));
    assert_eq!(r["win_rate"], Value::Null);
    assert_eq!(r["avg_days_to_win"], Value::Null);
    for s in r["stage_days"].as_array().unwrap() {
        assert_eq!(s["avg_days"], Value::Null, "{s}");
        assert_eq!(s["stays"], 0, "{s}");
    }
    // The open pipeline does not depend on the period.
    assert_eq!(r["pipeline"][3]["weighted_cents"], 450_000);
    // W47 holds only Sunday 11-22: the notes of 11-18 are before the period.
    assert_eq!(
        r["activity"],
        json!([week("2026-W47", 0, 0, 0, 0), week("2026-W48", 1, 0, 0, 0)])
    );
    assert_eq!(r["connect_rate"], 0.0);
    assert_eq!(r["other_currencies"][0]["won"]["count"], 0);
}

#[test]
fn an_empty_book_is_zeros_and_nulls() {
    let mut desk = Desk::in_memory(at("2026-11-23", 12)).unwrap();
    let r = serde_json::to_value(desk.report(day("2026-11-16")).unwrap()).unwrap();
    assert_eq!(r["pipeline"].as_array().unwrap().len(), 4);
    assert_eq!(r["pipeline"][0]["count"], 0);
    assert_eq!(r["forecast"], json!([]));
    assert_eq!(r["win_rate"], Value::Null);
    assert_eq!(r["avg_days_to_win"], Value::Null);
    assert_eq!(r["sources"], json!([]));
    assert_eq!(
        r["activity"],
        json!([week("2026-W47", 0, 0, 0, 0), week("2026-W48", 0, 0, 0, 0)])
    );
    assert_eq!(r["connect_rate"], Value::Null);
    assert_eq!(r["overdue"], 0);
    assert_eq!(r["other_currencies"], json!([]));
}

#[test]
fn a_stage_the_config_no_longer_names_still_shows() {
    let mut b = book();
    b.desk
        .config
        .pipeline
        .stages
        .retain(|s| s.name != "Negotiation");
    let r = report(&mut b, "2026-10-01");
    let stages: Vec<&str> = r["pipeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["stage"].as_str().unwrap())
        .collect();
    assert_eq!(stages, ["Lead", "Qualified", "Proposal", "Negotiation"]);
    // Unknown to the config: probability 0.
    assert_eq!(r["pipeline"][3]["value_cents"], 600_000);
    assert_eq!(r["pipeline"][3]["weighted_cents"], 0);
}
