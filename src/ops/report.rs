//! The report, Reports' read model: where the money is and how the work is going, for a
//! period starting on a local day. Every figure comes from an aggregate query of
//! `storage::report`, all read in one snapshot; this module only arranges the few rows they
//! return, one figure per step.
//!
//! A report is whose `Scope` says: the user's own by default (a personal book's, everything),
//! a colleague's or the whole team's for a manager. Every figure is cut to it: a deal's figures
//! (pipeline, forecast, won and lost, days in stage, won by source) by the deal's `owner`, a
//! contact's (sources, referrals, sequences) by the contact's, notes and calls by their
//! `author`, overdue follow-ups by theirs.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};

use crate::clock::{local_instant, stamp};
use crate::config::Config;
use crate::config::stage_key;
use crate::domain::report::{
    self, Calls, ClosedGroup, MonthLine, NoteCounts, OpenGroup, OpenTally, OtherCurrency, Report,
    SourceGroup, SourceLine, StageDays, StageLine, StageStays, Tally, WeekLine, WeekSpan,
};
use crate::domain::team::Scope;
use crate::error::Result;
use crate::ops::Db;
use crate::ops::Desk;
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

    /// Every figure of the user's report for the period that starts on the local day `since`.
    pub fn report(&mut self, since: NaiveDate) -> Result<Report> {
        let today = self.clock.today();
        report(&mut self.db, &self.config, today, since)
    }

    /// The report of one pipeline (or Unfiled), or of all of them, of `scope` (checked: a
    /// colleague's or the team's is a manager's to read).
    pub fn report_of(
        &mut self,
        since: NaiveDate,
        pipeline: Option<&str>,
        scope: Scope,
    ) -> Result<Report> {
        let scope = self.may_see(scope)?;
        let today = self.clock.today();
        report_in(&mut self.db, &self.config, today, since, pipeline, &scope)
    }
}

/// The rows every figure is arranged from, read from the book in one snapshot.
struct Rows {
    open: Vec<OpenGroup>,
    closed: Vec<ClosedGroup>,
    stays: Vec<StageStays>,
    sources: Vec<SourceGroup>,
    /// Each week of the activity table with its notes.
    weeks: Vec<(WeekSpan, NoteCounts)>,
    overdue: i64,
    sequences: Vec<crate::domain::sequence::SequenceFigures>,
    referrals: Vec<crate::domain::report::ReferrerLine>,
    reps: Vec<crate::domain::report::RepLine>,
    /// Whose rows were read: None for every row.
    owner: Option<String>,
}

/// How many referrers the report lists.
pub const TOP_REFERRERS: usize = 10;

/// The report of the book `db` with `config`'s stages and currency, for the period from the
/// local day `since` to `today`: what `salesdesk report` prints and what the Reports
/// screen's worker runs on its own connection.
pub fn report(db: &mut Db, config: &Config, today: NaiveDate, since: NaiveDate) -> Result<Report> {
    report_in(db, config, today, since, None, &Scope::Mine)
}

/// The report of pipeline `pipeline` (a configured name, or Unfiled), or of all with None:
/// the deals' figures are the pipeline's; sources, activity, overdue and referrals stay the
/// book's (a contact is in no pipeline). Whose figures: `scope`'s, which the caller checked.
pub fn report_in(
    db: &mut Db,
    config: &Config,
    today: NaiveDate,
    since: NaiveDate,
    pipeline: Option<&str>,
    scope: &Scope,
) -> Result<Report> {
    let currency = config.currency();
    let pick = Pick::new(config, pipeline);
    let mut rows = read(db, config, &currency, today, since, &pick, scope)?;
    rows.open.retain(|g| pick.keeps(&g.pipeline));
    rows.closed.retain(|g| pick.keeps(&g.pipeline));
    let mut others: BTreeMap<String, OtherCurrency> = BTreeMap::new();
    let (pipeline, forecast, undated) =
        open_pipeline(config, &pick, &currency, &rows.open, &mut others);
    let (won, lost, avg_days_to_win) = closed(&currency, &rows.closed, &mut others);
    let (activity, calls) = activity(&rows.weeks);
    Ok(Report {
        since,
        pipeline,
        forecast,
        won,
        lost,
        win_rate: report::rate(won.count, won.count + lost.count),
        avg_days_to_win,
        stage_days: stage_days(config, &pick, rows.stays),
        sources: rows.sources.into_iter().map(source_line).collect(),
        activity,
        connect_rate: report::rate(calls.connected, calls.with_outcome),
        overdue: rows.overdue,
        sequences: rows.sequences,
        currency,
        forecast_undated_cents: undated,
        calls,
        other_currencies: others.into_values().collect(),
        referrals: rows.referrals,
        reps: rows.reps,
        owner: match scope {
            Scope::Team => None,
            _ => Some(rows.owner.unwrap_or_else(|| db.user())),
        },
    })
}

/// Which pipelines a report counts: the configured ones it shows stages of, and whether a
/// deal's stored pipeline is in.
struct Pick {
    shown: Vec<String>,
    one: Option<String>,
    configured: Vec<String>,
}

impl Pick {
    fn new(config: &Config, pipeline: Option<&str>) -> Self {
        let configured = config.pipeline_names();
        let shown = match pipeline {
            None => configured.clone(),
            Some(p) if p == crate::config::UNFILED => Vec::new(),
            Some(p) => vec![p.to_string()],
        };
        Pick {
            shown,
            one: pipeline.map(str::to_string),
            configured,
        }
    }

    fn keeps(&self, pipeline: &str) -> bool {
        match self.one.as_deref() {
            None => true,
            Some(crate::config::UNFILED) => !self.configured.iter().any(|c| c == pipeline),
            Some(p) => p == pipeline,
        }
    }
}

/// Reads the aggregate rows of every figure in one snapshot.
fn read(
    db: &mut Db,
    config: &Config,
    currency: &str,
    today: NaiveDate,
    since: NaiveDate,
    pick: &Pick,
    scope: &Scope,
) -> Result<Rows> {
    let from = day_start(since);
    db.read(|conn| {
        let owner = q::owner_of(conn, scope);
        let by = owner.as_deref();
        let probabilities: Vec<((String, String), u8)> = q::open_stages(conn)?
            .into_iter()
            .map(|(pl, s)| {
                let p = config.probability_in(&pl, &s);
                ((pl, s), p)
            })
            .collect();
        let first_note = q::first_note(conn, by)?;
        let mut weeks = Vec::new();
        for w in report::weeks(activity_since(first_note, today, since), today) {
            let n = q::note_counts(conn, &day_start(w.from), &day_start(w.until), by)?;
            weeks.push((w, n));
        }
        Ok(Rows {
            open: q::open_deals(conn, &probabilities, by)?,
            closed: q::closed_since(conn, &from, by)?,
            stays: match pick.one {
                None => q::stage_days(conn, &from, by)?,
                Some(_) => q::stage_days_of(conn, &from, &|p| pick.keeps(p), by)?,
            },
            referrals: crate::storage::referrals::top_referrers(conn, currency, TOP_REFERRERS, by)?,
            sources: q::sources(conn, currency, by)?,
            weeks,
            overdue: follow_ups::due_counts(conn, today, scope)?.0,
            sequences: crate::ops::sequences::figures(conn, config, by)?,
            reps: crate::storage::report_reps::reps(conn, &from, currency, by)?,
            owner,
        })
    })
}

/// The first week of the activity table. A period reaching far back (`--since -1000000m`)
/// would be a row per empty week for millennia: weeks before the book's first note are left
/// out, save those of the default period.
fn activity_since(first_note: Option<String>, today: NaiveDate, since: NaiveDate) -> NaiveDate {
    let first = first_note
        .and_then(|s| crate::clock::parse_stamp(&s))
        .map_or(today, |t| t.date_naive());
    let default_since = today
        .checked_sub_days(Days::new(DEFAULT_DAYS))
        .unwrap_or(since);
    since.max(first.min(default_since))
}

/// Pipeline and forecast: the open deals in the book's currency per stage (configured stages
/// first, zeros included) and per expected close month, with the weighted value of those
/// without a close date; other currencies' open deals go to `others`.
fn open_pipeline(
    config: &Config,
    pick: &Pick,
    currency: &str,
    open: &[OpenGroup],
    others: &mut BTreeMap<String, OtherCurrency>,
) -> (Vec<StageLine>, Vec<MonthLine>, i128) {
    let mut pipeline: Vec<StageLine> = pick
        .shown
        .iter()
        .flat_map(|p| {
            config
                .stages_of(p)
                .into_iter()
                .map(|s| stage_line(p, s.name, s.probability))
        })
        .collect();
    let mut months: BTreeMap<String, MonthLine> = BTreeMap::new();
    let mut undated = 0;
    for g in open {
        if g.currency != currency {
            let o = &mut other(others, &g.currency).open;
            o.count += g.count;
            o.value_cents += g.value_cents;
            o.weighted_cents += g.weighted_cents;
            continue;
        }
        // A stage the config no longer names still shows, after the configured ones.
        let key = stage_key(&g.stage);
        let at = pipeline
            .iter()
            .position(|s| s.pipeline == g.pipeline && stage_key(&s.stage) == key);
        let i = match at {
            Some(i) => i,
            None => {
                let p = config.probability_in(&g.pipeline, &g.stage);
                pipeline.push(stage_line(&g.pipeline, g.stage.clone(), p));
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
    (pipeline, months.into_values().collect(), undated)
}

fn stage_line(pipeline: &str, stage: String, probability: u8) -> StageLine {
    StageLine {
        pipeline: pipeline.to_string(),
        stage,
        count: 0,
        value_cents: 0,
        weighted_cents: 0,
        probability,
    }
}

/// Won and lost in the period, and the average days to a win. The counts, the rate and the
/// days to win count every currency (docs/MANUAL.md, Reports): they are not money, and a rate beside
/// counts must be of those counts. The values are the book currency's; others go to `others`.
fn closed(
    currency: &str,
    closed: &[ClosedGroup],
    others: &mut BTreeMap<String, OtherCurrency>,
) -> (Tally, Tally, Option<f64>) {
    let mut won = Tally::default();
    let mut lost = Tally::default();
    let mut win_days = 0.0;
    for g in closed {
        let t = if g.won { &mut won } else { &mut lost };
        t.count += g.count;
        if g.won {
            win_days += g.days;
        }
        let t = if g.currency == currency {
            t
        } else {
            let o = other(others, &g.currency);
            let t = if g.won { &mut o.won } else { &mut o.lost };
            t.count += g.count;
            t
        };
        t.value_cents += g.value_cents;
    }
    let avg_days_to_win = (won.count > 0).then(|| report::days(win_days / won.count as f64));
    (won, lost, avg_days_to_win)
}

/// Days in each stage: configured stages first (null when no stay ended), then stages the
/// config no longer names.
fn stage_days(config: &Config, pick: &Pick, stays: Vec<StageStays>) -> Vec<StageDays> {
    let mut stage_days: Vec<StageDays> = Vec::new();
    for s in pick.shown.iter().flat_map(|p| config.stages_of(p)) {
        if !stage_days
            .iter()
            .any(|d| stage_key(&d.stage) == stage_key(&s.name))
        {
            stage_days.push(StageDays {
                stage: s.name.clone(),
                avg_days: None,
                stays: 0,
            });
        }
    }
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
    stage_days
}

fn source_line(g: SourceGroup) -> SourceLine {
    SourceLine {
        source: g.source,
        contacts: g.contacts,
        customers: g.customers,
        conversion_rate: report::rate(g.customers, g.contacts),
        won_cents: g.won_cents,
    }
}

/// Notes by kind per ISO week, and the calls' outcomes over all of them.
fn activity(weeks: &[(WeekSpan, NoteCounts)]) -> (Vec<WeekLine>, Calls) {
    let mut calls = Calls::default();
    let lines = weeks
        .iter()
        .map(|(w, n)| {
            calls.connected += n.calls_connected;
            calls.with_outcome += n.calls_with_outcome;
            WeekLine {
                week: w.label(),
                call: n.call,
                email: n.email,
                meeting: n.meeting,
                note: n.note,
            }
        })
        .collect();
    (lines, calls)
}
