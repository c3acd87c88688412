//! The demo book: a believable week of a salesperson, dated relative to now, so that the desk
//! shows overdue, due-today and upcoming work whenever it is loaded.

use std::collections::HashMap;

use chrono::{Days, NaiveDate, NaiveTime};
use serde::Deserialize;

use crate::clock::{Clock, local_instant};
use crate::domain::contact::ContactFields;
use crate::domain::contact::{Status, Temperature};
use crate::domain::deal::DealStatus;
use crate::domain::follow_up::FollowUpKind;
use crate::domain::follow_up::NewFollowUp;
use crate::domain::money;
use crate::domain::note::NewNote;
use crate::domain::note::{NoteKind, Outcome};
use crate::error::{Error, Result};
use crate::ops::Desk;
use crate::ops::deals::{close_deal_in, move_deal_in};
use crate::storage::contacts;
use crate::storage::follow_ups;
use crate::storage::notes;
use crate::storage::{self, Unlogged, deals};
use crate::when::When;

const DEMO: &str = include_str!("../../assets/demo.json");

#[derive(Deserialize)]
struct Book {
    contacts: Vec<DemoContact>,
    deals: Vec<DemoDeal>,
    notes: Vec<DemoNote>,
    follow_ups: Vec<DemoFollowUp>,
}

#[derive(Deserialize)]
struct DemoContact {
    key: String,
    name: String,
    company: String,
    title: String,
    emails: Vec<String>,
    phones: Vec<String>,
    tags: Vec<String>,
    source: String,
    status: Status,
    temperature: Temperature,
    cadence_days: Option<i64>,
    created_days: i64,
}

#[derive(Deserialize)]
struct DemoDeal {
    title: String,
    key: String,
    contact: String,
    value: String,
    /// An index into the configured stages, so the demo fits any pipeline.
    stage: usize,
    created_days: i64,
    moves: Vec<(usize, i64)>,
    close_days: Option<i64>,
    status: DealStatus,
    closed_days: Option<i64>,
    lost_reason: Option<String>,
    currency: Option<String>,
}

#[derive(Deserialize)]
struct DemoNote {
    contact: String,
    kind: NoteKind,
    days: i64,
    hour: u32,
    body: String,
    outcome: Option<Outcome>,
    deal: Option<String>,
}

#[derive(Deserialize)]
struct DemoFollowUp {
    contact: String,
    kind: FollowUpKind,
    days: i64,
    time: Option<String>,
    text: String,
    deal: Option<String>,
    every: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoLoaded {
    pub contacts: usize,
    pub deals: usize,
    pub notes: usize,
    pub follow_ups: usize,
}

fn day(today: NaiveDate, offset: i64) -> NaiveDate {
    if offset >= 0 {
        today
            .checked_add_days(Days::new(offset as u64))
            .unwrap_or(today)
    } else {
        today
            .checked_sub_days(Days::new(offset.unsigned_abs()))
            .unwrap_or(today)
    }
}

/// A clock set to `offset` days from today at `hour`, for back-dating rows.
fn at(today: NaiveDate, offset: i64, hour: u32) -> Clock {
    let t = day(today, offset)
        .and_time(NaiveTime::from_hms_opt(hour.min(23), 0, 0).unwrap_or_default());
    Clock::fixed(local_instant(t))
}

impl Desk {
    /// Loads the demo book. Refuses a book that holds anything unless `force`, which first
    /// backs the book up (when it is a file) and then replaces it.
    pub fn load_demo(&mut self, force: bool) -> Result<DemoLoaded> {
        let empty = self.db.read(storage::is_empty)?;
        if !empty && !force {
            return Err(Error::input(
                "this book already holds contacts; `salesdesk demo --force` replaces it (after a backup)",
            ));
        }
        // A team's book is never wiped for a demo: nothing would be kept of it here.
        if !empty && self.db.on_server() {
            return Err(Error::input(
                "this book on the server holds contacts; `demo --force` replaces only a book in \
                 a file (after a backup): load the demo into an empty database",
            ));
        }
        if !empty && self.db.path().is_some() {
            crate::ops::backup::automatic(
                &self.db,
                "before-demo",
                self.config.backup.keep as usize,
            )?;
        }
        let book: Book = serde_json::from_str(DEMO)
            .map_err(|e| Error::env(format!("the demo book is damaged: {e}")))?;
        let pipeline = self.config.first_pipeline();
        let stages: Vec<String> = self
            .config
            .stages_of(&pipeline)
            .iter()
            .map(|s| s.name.clone())
            .collect();
        let currency = self.config.currency();
        let clock = self.clock;
        self.db.write_barrier(&clock, "loading the demo book", |w| {
            storage::restore::wipe(w)?;
            load(w, &book, (&pipeline, &stages), &currency)
        })
    }
}

fn load(
    w: &mut Unlogged<'_>,
    book: &Book,
    (pipeline, stages): (&str, &[String]),
    currency: &str,
) -> Result<DemoLoaded> {
    let now = w.clock();
    let today = now.today();
    let stage = |i: usize| stages[i.min(stages.len() - 1)].clone();
    let mut people: HashMap<&str, i64> = HashMap::new();
    for c in &book.contacts {
        w.set_clock(at(today, c.created_days, 9));
        let f = ContactFields {
            name: Some(c.name.clone()),
            company: Some(Some(c.company.clone()).filter(|s| !s.is_empty())),
            title: Some(Some(c.title.clone())),
            emails: Some(c.emails.clone()),
            phones: Some(c.phones.clone()),
            tags: Some(c.tags.clone()),
            source: Some(Some(c.source.clone())),
            status: Some(c.status),
            temperature: Some(Some(c.temperature)),
            cadence_days: Some(c.cadence_days),
            ..Default::default()
        };
        people.insert(&c.key, contacts::insert(w, &f)?);
    }
    let person = |k: &str| {
        people
            .get(k)
            .copied()
            .ok_or_else(|| Error::env(format!("demo: no contact {k}")))
    };
    let mut deal_ids: HashMap<&str, i64> = HashMap::new();
    for d in &book.deals {
        w.set_clock(at(today, d.created_days, 10));
        let (cents, _) = money::parse(&d.value)?;
        let id = deals::insert(
            w,
            &crate::domain::deal::NewDeal {
                title: d.title.clone(),
                contact_id: person(&d.contact)?,
                value_cents: cents,
                currency: d.currency.clone().unwrap_or_else(|| currency.to_string()),
                stage: stage(0),
                expected_close: d.close_days.map(|n| day(today, n).to_string()),
            },
            pipeline,
        )?;
        let mut moves = d.moves.clone();
        if moves.last().map_or(d.stage != 0, |(s, _)| *s != d.stage) {
            moves.push((d.stage, d.created_days));
        }
        for (s, days) in &moves {
            w.set_clock(at(today, *days, 11));
            let cur = deals::get(w.read(), id)?;
            if cur.stage != stage(*s) {
                move_deal_in(w, &cur, &stage(*s))?;
            }
        }
        if d.status != DealStatus::Open {
            w.set_clock(at(today, d.closed_days.unwrap_or(-1), 12));
            let cur = deals::get(w.read(), id)?;
            close_deal_in(w, &cur, d.status, d.lost_reason.as_deref())?;
        }
        deal_ids.insert(&d.key, id);
    }
    let deal = |k: &Option<String>| k.as_deref().and_then(|k| deal_ids.get(k).copied());
    for n in &book.notes {
        w.set_clock(at(today, n.days, n.hour));
        notes::insert(
            w,
            &NewNote {
                contact_id: person(&n.contact)?,
                deal_id: deal(&n.deal),
                kind: n.kind,
                outcome: n.outcome,
                body: n.body.clone(),
                private: false,
            },
        )?;
    }
    w.set_clock(now);
    for f in &book.follow_ups {
        let date = day(today, f.days);
        let due = match f
            .time
            .as_deref()
            .and_then(|t| NaiveTime::parse_from_str(t, "%H:%M").ok())
        {
            Some(t) => When::At(date.and_time(t)),
            None => When::Day(date),
        };
        follow_ups::insert(
            w,
            &NewFollowUp {
                contact_id: person(&f.contact)?,
                deal_id: deal(&f.deal),
                kind: f.kind,
                text: f.text.clone(),
                due,
                every: f.every.clone(),
            },
        )?;
    }
    Ok(DemoLoaded {
        contacts: book.contacts.len(),
        deals: book.deals.len(),
        notes: book.notes.len(),
        follow_ups: book.follow_ups.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_loads_a_believable_week() {
        let clock = Clock::parse("2026-11-23T09:00:00+00:00").unwrap();
        let mut desk = Desk::in_memory(clock).unwrap();
        let n = desk.load_demo(false).unwrap();
        assert!(n.contacts >= 25 && n.deals >= 12);
        let t = desk.today(7, crate::domain::team::Scope::Mine).unwrap();
        assert!(!t.overdue.is_empty() && !t.today.is_empty() && !t.upcoming.is_empty());
        assert!(
            t.reconnect.len() >= 2,
            "two lapsed cadences: {:?}",
            t.reconnect
        );
        let companies = desk.db.read(crate::storage::lookups::companies).unwrap();
        assert!(companies >= 12);
        // every configured stage holds an open deal
        for s in &desk.config.stages_of("sales") {
            let n = desk
                .db
                .read(|r| crate::storage::lookups::open_deals_in(r, &s.name))
                .unwrap();
            assert!(n > 0, "no open deal in {}", s.name);
        }
        // a second load refuses, force replaces
        assert_eq!(desk.load_demo(false).unwrap_err().exit_code(), 2);
        desk.load_demo(true).unwrap();
        let contacts = desk.db.read(crate::storage::lookups::contacts).unwrap();
        assert_eq!(contacts as usize, n.contacts);
        // undo does not cross the demo
        assert!(desk.undo().is_err());
    }
}
