//! Writes a realistic book of any size through salesdesk's own storage code.
//!
//!     cargo run --release --example generate -- --db PATH --contacts N --deals N \
//!         --follow-ups N --notes N [--seed S]
//!
//! Honours SALESDESK_NOW. Follow-ups are due over ±60 days: nearly all past ones are done;
//! the few still open (overdue) are mostly from the last few days. Notes read like a salesperson's: about one in three mentions
//! pricing, very few mention Acme, so searches have a common and a rare word to find.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{Days, Duration, NaiveTime};
use salesdesk::clock::{Clock, local_instant};
use salesdesk::config::Config;
use salesdesk::domain::contact::ContactFields;
use salesdesk::domain::contact::{Status, Temperature};
use salesdesk::domain::deal::DealStatus;
use salesdesk::domain::follow_up::NewFollowUp;
use salesdesk::domain::follow_up::{FollowUpKind, FollowUpStatus};
use salesdesk::domain::note::NewNote;
use salesdesk::domain::note::{NoteKind, Outcome};
use salesdesk::ops::deals::{close_deal_in, move_deal_in};
use salesdesk::storage::bulk::BulkLoad;
use salesdesk::storage::contacts;
use salesdesk::storage::follow_ups;
use salesdesk::storage::notes;
use salesdesk::storage::{Db, deals};
use salesdesk::when::When;

const FIRST: &[&str] = &[
    "Ana", "Marco", "Priya", "Tom", "José", "Lucía", "Kenji", "Emma", "Olav", "Sarah", "David",
    "Chloé", "Hugo", "Liam", "Nina", "Ahmed", "Grace", "Ben", "Mia", "Rafael", "Ingrid", "Omar",
    "Zoë", "Paul", "Sofia", "Yuki", "Carlos", "Fatima", "Jan", "Aisha", "Lars", "Mei", "Diego",
    "Hana", "Ivan", "Leila", "Noah", "Elena",
];
const LAST: &[&str] = &[
    "Pereira",
    "Bianchi",
    "Raman",
    "Becker",
    "Álvarez",
    "Fernández",
    "Watanabe",
    "Larsen",
    "Nygaard",
    "Cohen",
    "Okafor",
    "Martin",
    "Lefèvre",
    "O'Connor",
    "Petrova",
    "Hassan",
    "Kim",
    "Walker",
    "Schulz",
    "Costa",
    "Svensson",
    "Haddad",
    "Çelik",
    "Nguyen",
    "Rossi",
    "Yamada",
    "Silva",
    "Müller",
    "Novak",
    "Dubois",
];
const CO_A: &[&str] = &[
    "North", "Blue", "Silver", "Harbor", "Summit", "Delta", "Fjord", "Bright", "Nordic", "Lisboa",
    "Sakura", "Volga", "Maple", "Cedar", "Iron", "Golden", "Pacific", "Atlas", "Orbit", "Granite",
];
const CO_B: &[&str] = &[
    "wind", "line", "stone", "field", "works", "gate", "bridge", "point", "way", "ridge", "haven",
    "port",
];
const CO_C: &[&str] = &[
    "Traders",
    "Logistics",
    "Health",
    "Foods",
    "Systems",
    "Retail",
    "Imports",
    "Group",
    "Labs",
];
const SOURCES: &[&str] = &[
    "referral",
    "linkedin",
    "event",
    "website",
    "cold-call",
    "partner",
];
const TOPICS: &[&str] = &[
    "the rollout plan",
    "their renewal",
    "the pilot scope",
    "onboarding",
    "the support tiers",
    "integration with their ERP",
    "the security review",
    "training for the team",
    "the contract terms",
    "a second site",
    "the implementation timeline",
];
const OPENERS: &[&str] = &[
    "Talked through",
    "Went over",
    "Discussed",
    "Followed up on",
    "Sent a summary of",
    "Asked about",
    "Reviewed",
];

struct Args {
    db: PathBuf,
    contacts: u64,
    deals: u64,
    follow_ups: u64,
    notes: u64,
    seed: u64,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        db: PathBuf::new(),
        contacts: 1000,
        deals: 300,
        follow_ups: 2000,
        notes: 5000,
        seed: 1,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut val = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        let num = |s: String| {
            s.replace('_', "")
                .parse::<u64>()
                .map_err(|e| format!("{s}: {e}"))
        };
        match flag.as_str() {
            "--db" => a.db = PathBuf::from(val()?),
            "--contacts" => a.contacts = num(val()?)?,
            "--deals" => a.deals = num(val()?)?,
            "--follow-ups" => a.follow_ups = num(val()?)?,
            "--notes" => a.notes = num(val()?)?,
            "--seed" => a.seed = num(val()?)?,
            other => return Err(format!("unknown flag {other}")),
        }
    }
    if a.db.as_os_str().is_empty() {
        return Err("--db PATH is required".into());
    }
    if a.contacts == 0 && (a.deals > 0 || a.follow_ups > 0 || a.notes > 0) {
        return Err("deals, follow-ups and notes need --contacts ≥ 1".into());
    }
    Ok(a)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!(
                "error: {e}\nusage: generate --db PATH --contacts N --deals N --follow-ups N --notes N [--seed S]"
            );
            return ExitCode::from(2);
        }
    };
    match generate(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

fn pick<'a>(rng: &mut fastrand::Rng, xs: &'a [&'a str]) -> &'a str {
    xs[rng.usize(..xs.len())]
}

fn generate(a: &Args) -> salesdesk::error::Result<()> {
    let started = std::time::Instant::now();
    let now = Clock::from_env()?;
    let today = now.today();
    let config = Config::default();
    let stages: Vec<String> = config
        .pipeline
        .stages
        .iter()
        .map(|s| s.name.clone())
        .collect();
    let mut db = Db::open(&a.db)?;
    // A bulk load touches the full-text indexes' pages over and over: keep them in memory.
    db.set_page_cache_kib(1_048_576)?;
    let mut rng = fastrand::Rng::with_seed(a.seed);
    let companies: Vec<String> = (0..(a.contacts / 8).clamp(1, 20_000))
        .map(|i| {
            if i == 0 {
                "Acme Corporation".to_string()
            } else {
                format!(
                    "{}{} {} {}",
                    pick(&mut rng, CO_A),
                    pick(&mut rng, CO_B),
                    pick(&mut rng, CO_C),
                    i
                )
            }
        })
        .collect();
    let back = |days: u64, secs: i64| {
        let t = now.now() - Duration::days(days as i64) - Duration::seconds(secs);
        Clock::fixed(t)
    };
    db.write_barrier(&now, "generating a book", |chg| {
        let bulk = BulkLoad::begin(chg)?;
        let first_contact = salesdesk::storage::lookups::last_contact_id(chg.read())? + 1;
        for i in 0..a.contacts {
            chg.set_clock(back(rng.u64(30..900), rng.i64(0..86_400)));
            let first = pick(&mut rng, FIRST);
            let last = pick(&mut rng, LAST);
            let company = &companies[rng.usize(..companies.len())];
            let slug = format!("{}.{}{i}", first.to_lowercase(), last.to_lowercase())
                .replace(['\'', ' '], "");
            let f = ContactFields {
                name: Some(format!("{first} {last}")),
                company: Some(Some(company.clone())),
                title: Some(Some(
                    ["CEO", "COO", "Buyer", "Head of Operations", "IT Manager"][rng.usize(..5)]
                        .into(),
                )),
                emails: Some(vec![format!("{slug}@example.com")]),
                phones: Some(vec![format!(
                    "+1 555 {:03} {:04}",
                    rng.u32(100..1000),
                    rng.u32(0..10_000)
                )]),
                tags: Some(if rng.u8(..10) == 0 {
                    vec!["vip".into()]
                } else {
                    vec![]
                }),
                source: Some(Some(pick(&mut rng, SOURCES).into())),
                status: Some(
                    [
                        Status::Lead,
                        Status::Lead,
                        Status::Prospect,
                        Status::Customer,
                    ][rng.usize(..4)],
                ),
                temperature: Some(Some(
                    [Temperature::Hot, Temperature::Warm, Temperature::Cold][rng.usize(..3)],
                )),
                cadence_days: Some(if rng.u8(..20) == 0 {
                    Some([14, 30, 60, 90][rng.usize(..4)])
                } else {
                    None
                }),
                ..Default::default()
            };
            contacts::insert(chg, &f)?;
        }
        let contact =
            |rng: &mut fastrand::Rng| first_contact + rng.i64(0..a.contacts.max(1) as i64);
        let mut deal_ids = Vec::with_capacity(a.deals as usize);
        for i in 0..a.deals {
            let age = rng.u64(1..400);
            chg.set_clock(back(age, rng.i64(0..86_400)));
            let contact_id = contact(&mut rng);
            let id = deals::insert(
                chg,
                &salesdesk::domain::deal::NewDeal {
                    title: format!(
                        "{} {}",
                        ["Rollout", "Renewal", "Pilot", "Expansion", "Upgrade"][rng.usize(..5)],
                        i + 1
                    ),
                    contact_id,
                    value_cents: rng.i64(10..2_000) * 100_000 / 10,
                    currency: if rng.u8(..20) == 0 {
                        "EUR".into()
                    } else {
                        config.currency()
                    },
                    stage: stages[0].clone(),
                    expected_close: Some((today + Days::new(rng.u64(0..180))).to_string()),
                },
                &config.first_pipeline(),
            )?;
            // Walk the deal forward through some stages, then maybe close it.
            let steps = rng.usize(..stages.len());
            let mut d = deals::get(chg.read(), id)?;
            for (k, s) in stages.iter().enumerate().skip(1).take(steps) {
                chg.set_clock(back(
                    age.saturating_sub(k as u64 * age / (steps as u64 + 1)),
                    0,
                ));
                move_deal_in(chg, &d, s)?;
                d.stage = s.clone();
            }
            let roll = rng.u8(..10);
            if roll < 3 {
                chg.set_clock(back(rng.u64(0..age.max(1)), 0));
                let (status, reason) = if roll < 2 {
                    (DealStatus::Won, None)
                } else {
                    (DealStatus::Lost, Some("Chose a competitor"))
                };
                close_deal_in(chg, &d, status, reason)?;
            }
            deal_ids.push((id, contact_id));
        }
        for _ in 0..a.follow_ups {
            let offset = rng.i64(-60..=60);
            let date = if offset >= 0 {
                today + Days::new(offset as u64)
            } else {
                today - Days::new(offset.unsigned_abs())
            };
            let due = if rng.u8(..3) == 0 {
                When::At(
                    date.and_time(
                        NaiveTime::from_hms_opt(rng.u32(8..18), [0, 30][rng.usize(..2)], 0)
                            .unwrap_or_default(),
                    ),
                )
            } else {
                When::Day(date)
            };
            let (contact_id, deal_id) = if !deal_ids.is_empty() && rng.bool() {
                let (d, c) = deal_ids[rng.usize(..deal_ids.len())];
                (c, Some(d))
            } else {
                (contact(&mut rng), None)
            };
            chg.set_clock(now);
            let id = follow_ups::insert(
                chg,
                &NewFollowUp {
                    contact_id,
                    deal_id,
                    kind: [
                        FollowUpKind::Call,
                        FollowUpKind::Email,
                        FollowUpKind::Meeting,
                        FollowUpKind::Task,
                    ][rng.usize(..4)],
                    text: format!("{} {}", pick(&mut rng, OPENERS), pick(&mut rng, TOPICS)),
                    due,
                    every: None,
                },
            )?;
            // The past is mostly dealt with. What stays open is mostly from the last few days,
            // before the salesperson has caught up, plus a trickle of older ones that slipped:
            // about 1.3% of the past a day ago, falling by a fifth a day, never below 0.03%.
            // On the large book (4,100 follow-ups a day) that is a few hundred overdue, half of
            // them from the last three days.
            if offset < 0 {
                let ago = offset.unsigned_abs() as i32;
                let stays_open = 0.012 * 0.8f64.powi(ago - 1) + 0.0003;
                if rng.f64() >= stays_open {
                    let at = local_instant(
                        date.and_time(NaiveTime::from_hms_opt(17, 0, 0).unwrap_or_default()),
                    );
                    let status = if rng.u8(..50) == 0 {
                        FollowUpStatus::Cancelled
                    } else {
                        FollowUpStatus::Done
                    };
                    follow_ups::close_in_history(chg, id, status, &salesdesk::clock::stamp(at))?;
                }
            }
        }
        for _ in 0..a.notes {
            chg.set_clock(back(rng.u64(0..730), rng.i64(0..86_400)));
            let kind = [
                NoteKind::Call,
                NoteKind::Call,
                NoteKind::Email,
                NoteKind::Meeting,
                NoteKind::Note,
            ][rng.usize(..5)];
            let outcome = (kind == NoteKind::Call).then(|| {
                [
                    Outcome::Connected,
                    Outcome::Connected,
                    Outcome::Voicemail,
                    Outcome::NoAnswer,
                ][rng.usize(..4)]
            });
            let mut body = format!("{} {}.", pick(&mut rng, OPENERS), pick(&mut rng, TOPICS));
            if rng.u8(..3) == 0 {
                body.push_str(" They want pricing for the next phase.");
            }
            if rng.u32(..2000) == 0 {
                body.push_str(" Mentioned they used to work with Acme.");
            }
            body.push_str(
                [
                    " Positive overall.",
                    " Needs a decision from their board.",
                    " Will follow up next week.",
                    "",
                ][rng.usize(..4)],
            );
            let (contact_id, deal_id) = if !deal_ids.is_empty() && rng.u8(..3) == 0 {
                let (d, c) = deal_ids[rng.usize(..deal_ids.len())];
                (c, Some(d))
            } else {
                (contact(&mut rng), None)
            };
            notes::insert(
                chg,
                &NewNote {
                    contact_id,
                    deal_id,
                    kind,
                    outcome,
                    body,
                    private: false,
                },
            )?;
        }
        chg.set_clock(now);
        bulk.finish(chg)
    })?;
    eprintln!(
        "generated {} contacts, {} deals, {} follow-ups, {} notes in {:.1}s",
        a.contacts,
        a.deals,
        a.follow_ups,
        a.notes,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
