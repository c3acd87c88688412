//! The report: where the money is and how the work is going, for a period starting on a
//! local day. Every figure comes from an aggregate query of `storage::report`, all read in
//! one snapshot; this module only arranges the few rows they return.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};

use crate::clock::{local_instant, stamp};
use crate::config::Config;
use crate::config::stage_key;
use crate::domain::report::{
    self, Calls, MonthLine, OpenTally, OtherCurrency, Report, SourceLine, StageDays, StageLine,
    Tally, WeekLine,
};
use crate::error::Result;
use crate::ops::Desk;
use crate::storage::Db;
use crate::storage::{follow_ups, report as q};

/// How long the period is when `--since` is not given.
pub const DEFAULT_DAYS: u64 = 90;

/// The stored UTC stamp of local midnight starting `day`.
fn day_start(day: NaiveDate) -> String {
    stamp(local_instant(day.and_time(chrono::NaiveTime::MIN)))
}

/// The running totals of one other currency.
fn other<'a>(
    others: &'a mut BTreeMap<String, OtherCurrency>,
    currency: &str,
) -> &'a mut OtherCurrency {
    others
        .entry(currency.to_string())
        .or_insert_with(|| OtherCurrency {
            currency: currency.to_string(),
            open: OpenTally::default(),
            won: Tally::default(),
            lost: Tally::default(),
        })
}

impl Desk {
    /// The first day of the default period: 90 days before today.
    pub fn default_since(&self) -> NaiveDate {
        self.clock.today() - Days::new(DEFAULT_DAYS)
    }

    /// Every figure of the report for the period that starts on the local day `since`.
    pub fn report(&mut self, since: NaiveDate) -> Result<Report> {
        let today = self.clock.today();
        report(&mut self.db, &self.config, today, since)
    }
}

/// The report of the book `db` with `config`'s stages and currency, for the period from the
/// local day `since` to `today`: what the Reports screen's worker runs on its own connection.
pub fn report(db: &mut Db, config: &Config, today: NaiveDate, since: NaiveDate) -> Result<Report> {
    let currency = config.currency();
    let from = day_start(since);
    db.read(|conn| {
        // Pipeline and forecast: open deals, per currency, stage and month.
        let probabilities: Vec<(String, u8)> = q::open_stages(conn)?
            .into_iter()
            .map(|s| {
                let p = config.probability(&s);
                (s, p)
            })
            .collect();
        let open = q::open_deals(conn, &probabilities)?;

        let mut pipeline: Vec<StageLine> = config
            .pipeline
            .stages
            .iter()
            .map(|s| StageLine {
                stage: s.name.clone(),
                count: 0,
                value_cents: 0,
                weighted_cents: 0,
                probability: s.probability,
            })
            .collect();
        let mut months: BTreeMap<String, MonthLine> = BTreeMap::new();
        let mut undated = 0;
        let mut others: BTreeMap<String, OtherCurrency> = BTreeMap::new();
        for g in &open {
            if g.currency != currency {
                let o = &mut other(&mut others, &g.currency).open;
                o.count += g.count;
                o.value_cents += g.value_cents;
                o.weighted_cents += g.weighted_cents;
                continue;
            }
            // A stage the config no longer names still shows, after the configured ones.
            let key = stage_key(&g.stage);
            let i = match pipeline.iter().position(|s| stage_key(&s.stage) == key) {
                Some(i) => i,
                None => {
                    pipeline.push(StageLine {
                        stage: g.stage.clone(),
                        count: 0,
                        value_cents: 0,
                        weighted_cents: 0,
                        probability: config.probability(&g.stage),
                    });
                    pipeline.len() - 1
                }
            };
            let line = &mut pipeline[i];
            line.count += g.count;
            line.value_cents += g.value_cents;
            line.weighted_cents += g.weighted_cents;
            match &g.month {
                Some(m) => {
                    let line = months.entry(m.clone()).or_insert_with(|| MonthLine {
                        month: m.clone(),
                        weighted_cents: 0,
                        count: 0,
                        value_cents: 0,
                    });
                    line.weighted_cents += g.weighted_cents;
                    line.count += g.count;
                    line.value_cents += g.value_cents;
                }
                None => undated += g.weighted_cents,
            }
        }

        // Won and lost in the period. The counts, the rate and the days to win count every
        // currency (SPEC.md, Reports): they are not money, and a rate beside counts must
        // be of those counts. The values are the book currency's; others are kept apart.
        let mut won = Tally::default();
        let mut lost = Tally::default();
        let mut win_days = 0.0;
        for g in q::closed_since(conn, &from)? {
            let t = if g.won { &mut won } else { &mut lost };
            t.count += g.count;
            if g.won {
                win_days += g.days;
            }
            let t = if g.currency == currency {
                t
            } else {
                let o = other(&mut others, &g.currency);
                let t = if g.won { &mut o.won } else { &mut o.lost };
                t.count += g.count;
                t
            };
            t.value_cents += g.value_cents;
        }
        let avg_days_to_win = (won.count > 0).then(|| report::days(win_days / won.count as f64));

        // Days in each stage: configured stages first (null when no stay ended), then
        // stages the config no longer names.
        let stays = q::stage_days(conn, &from)?;
        let mut stage_days: Vec<StageDays> = config
            .pipeline
            .stages
            .iter()
            .map(|s| StageDays {
                stage: s.name.clone(),
                avg_days: None,
                stays: 0,
            })
            .collect();
        let mut sums: Vec<f64> = vec![0.0; stage_days.len()];
        for s in stays {
            let key = stage_key(&s.stage);
            let i = match stage_days.iter().position(|d| stage_key(&d.stage) == key) {
                Some(i) => i,
                None => {
                    stage_days.push(StageDays {
                        stage: s.stage.clone(),
                        avg_days: None,
                        stays: 0,
                    });
                    sums.push(0.0);
                    stage_days.len() - 1
                }
            };
            stage_days[i].stays += s.stays;
            sums[i] += s.days;
        }
        for (d, sum) in stage_days.iter_mut().zip(sums) {
            if d.stays > 0 {
                d.avg_days = Some(report::days(sum / d.stays as f64));
            }
        }

        let sources = q::sources(conn, &currency)?
            .into_iter()
            .map(|g| SourceLine {
                source: g.source,
                contacts: g.contacts,
                customers: g.customers,
                conversion_rate: report::rate(g.customers, g.contacts),
                won_cents: g.won_cents,
            })
            .collect();

        // Activity per ISO week of the period, and the calls' outcomes. A period reaching far
        // back (`--since -1000000m`) would be a row per empty week for millennia: weeks before
        // the book's first note are left out, save those of the default period.
        let mut activity = Vec::new();
        let mut calls = Calls::default();
        let first = q::first_note(conn)?
            .and_then(|s| crate::clock::parse_stamp(&s))
            .map_or(today, |t| t.date_naive());
        let default_since = today
            .checked_sub_days(Days::new(DEFAULT_DAYS))
            .unwrap_or(since);
        let activity_since = since.max(first.min(default_since));
        for w in report::weeks(activity_since, today) {
            let n = q::note_counts(conn, &day_start(w.from), &day_start(w.until))?;
            activity.push(WeekLine {
                week: w.label(),
                call: n.call,
                email: n.email,
                meeting: n.meeting,
                note: n.note,
            });
            calls.connected += n.calls_connected;
            calls.with_outcome += n.calls_with_outcome;
        }

        let (overdue, _) = follow_ups::due_counts(conn, today)?;

        Ok(Report {
            since,
            pipeline,
            forecast: months.into_values().collect(),
            won,
            lost,
            win_rate: report::rate(won.count, won.count + lost.count),
            avg_days_to_win,
            stage_days,
            sources,
            activity,
            connect_rate: report::rate(calls.connected, calls.with_outcome),
            overdue,
            currency: currency.clone(),
            forecast_undated_cents: undated,
            calls,
            other_currencies: others.into_values().collect(),
        })
    })
}
