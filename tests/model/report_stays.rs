//! Days in stage against a model: random histories of moves (back and forth), wins, losses
//! and reopenings made through the ops, and the stays the report counts compared with the
//! stays the definition in `storage::report::stage_days` gives when walked by hand.

use chrono::{Days, Local, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use salesdesk::clock::Clock;
use salesdesk::domain::contact::ContactFields;
use salesdesk::domain::deal::NewDeal;
use salesdesk::ops::Desk;

const STAGES: [&str; 4] = ["Lead", "Qualified", "Proposal", "Negotiation"];

#[derive(Debug, Clone)]
enum Step {
    Move(usize),
    Win,
    Lose,
    Reopen,
}

fn step() -> impl Strategy<Value = (u64, Step)> {
    (
        0u64..15,
        prop_oneof![
            4 => (0usize..4).prop_map(Step::Move),
            1 => Just(Step::Win),
            1 => Just(Step::Lose),
            2 => Just(Step::Reopen),
        ],
    )
}

fn clock(day: NaiveDate) -> Clock {
    let t = Utc.from_utc_datetime(&day.and_hms_opt(12, 0, 0).expect("noon"));
    Clock::fixed(t.with_timezone(&Local))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn stays_match_the_definition(
        deals in prop::collection::vec((0usize..4, prop::collection::vec(step(), 0..10)), 1..4)
    ) {
        let start: NaiveDate = "2026-01-05".parse().expect("date");
        let mut desk = Desk::in_memory(clock(start)).expect("desk");
        let who = desk
            .add_contact(&ContactFields { name: Some("Ana".into()), ..Default::default() })
            .expect("contact");
        // stage -> (stays, days)
        let mut want = [(0i64, 0i64); 4];
        for (first, steps) in deals {
            let mut day = start;
            desk.clock = clock(day);
            let id = desk
                .add_deal(&NewDeal {
                    title: "d".into(),
                    contact_id: who,
                    value_cents: 100,
                    currency: "USD".into(),
                    stage: STAGES[first].into(),
                    expected_close: None,
                })
                .expect("deal");
            let (mut stage, mut open, mut since) = (first, true, day);
            for (gap, s) in steps {
                day = day + Days::new(gap);
                desk.clock = clock(day);
                let ended = |want: &mut [(i64, i64); 4], stage: usize, since: NaiveDate| {
                    want[stage].0 += 1;
                    want[stage].1 += (day - since).num_days();
                };
                match s {
                    Step::Move(to) if open && to != stage => {
                        desk.move_deal(id, STAGES[to], None).expect("move");
                        ended(&mut want, stage, since);
                        (stage, since) = (to, day);
                    }
                    Step::Win if open => {
                        desk.win_deal(id, None).expect("win");
                        ended(&mut want, stage, since);
                        open = false;
                    }
                    Step::Lose if open => {
                        desk.lose_deal(id, "why", None).expect("lose");
                        ended(&mut want, stage, since);
                        open = false;
                    }
                    Step::Reopen if !open => {
                        desk.reopen_deal(id, None).expect("reopen");
                        (open, since) = (true, day);
                    }
                    _ => {}
                }
            }
        }
        let r = desk.report(start).expect("report");
        for (i, name) in STAGES.iter().enumerate() {
            let got = r.stage_days.iter().find(|d| d.stage == *name).expect("stage line");
            let (stays, days) = want[i];
            prop_assert_eq!(got.stays, stays, "{} stays", name);
            let avg = (stays > 0).then(|| (days as f64 / stays as f64 * 10.0).round() / 10.0);
            prop_assert_eq!(got.avg_days, avg, "{} average", name);
        }
    }
}
