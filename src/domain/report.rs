//! The report's figures as plain types, and the small pieces of math they share: rates that
//! are `None` when there is nothing to divide, rounding, ISO weeks, and the weeks of a period.
//!
//! The JSON shape is docs/MANUAL.md's `report --json`: field names are part of the contract, so the
//! structs below serialize in that order, and fields beyond the manual's come after them.

use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;

/// Everything `report` shows, for one period starting at `since`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The first local day of the period.
    pub since: NaiveDate,
    /// Open deals in the book's currency, one line per configured stage (zeros included),
    /// then any stage the config no longer names.
    pub pipeline: Vec<StageLine>,
    /// Weighted value of open deals in the book's currency by expected close month, oldest first.
    pub forecast: Vec<MonthLine>,
    /// Deals won in the period (`closed_at` ≥ the start of `since`): the count is of every
    /// currency, the value the book currency's (other currencies' in `other_currencies`).
    pub won: Tally,
    pub lost: Tally,
    /// won / (won + lost) over every deal closed in the period, whatever its currency (a rate
    /// is not money); `None` when nothing closed.
    pub win_rate: Option<f64>,
    /// Days from creation to the win, over the deals won in the period; `None` when none.
    pub avg_days_to_win: Option<f64>,
    /// Average length of the stays in each stage that ended in the period (see
    /// `storage::report::stage_days` for what a stay is).
    pub stage_days: Vec<StageDays>,
    /// By lead source, over the whole book: a contact's status has no date.
    pub sources: Vec<SourceLine>,
    /// Notes by kind per ISO week, every week of the period, oldest first; weeks before the
    /// book's first note are left out when they are also before the default period's start.
    pub activity: Vec<WeekLine>,
    /// Calls with outcome `connected` / calls with an outcome, in the period.
    pub connect_rate: Option<f64>,
    /// Open follow-ups due before today.
    pub overdue: i64,
    /// Per sequence, over the whole book (a configured one nobody started shows zeros).
    pub sequences: Vec<super::sequence::SequenceFigures>,
    // Fields beyond the manual's example.
    /// The book's currency: every money figure above is in it.
    pub currency: String,
    /// Weighted value of open deals (book currency) that have no expected close date.
    pub forecast_undated_cents: i128,
    /// The calls behind `connect_rate`.
    pub calls: Calls,
    /// Deals in other currencies, totalled apart per currency and never added to the above.
    pub other_currencies: Vec<OtherCurrency>,
    /// The top referrers: whom they referred, how many became customers, what those won.
    pub referrals: Vec<ReferrerLine>,
    /// Per owner: won and lost in the period, calls, open pipeline (`report --json`'s `reps`).
    pub reps: Vec<RepLine>,
    /// Whose figures these are: the login (a personal book's `me`), or None for the whole
    /// team's (`--team`).
    pub owner: Option<String>,
}

/// One rep in the report's table (a leaderboard on a team's book; one line on a personal one).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RepLine {
    pub owner: String,
    /// Deals of theirs won in the period, whatever the currency.
    pub won: i64,
    pub lost: i64,
    /// won / (won + lost); null when nothing of theirs closed.
    pub win_rate: Option<f64>,
    /// Calls they logged in the period.
    pub calls: i64,
    /// Connected / calls with an outcome; null when none had one.
    pub connect_rate: Option<f64>,
    /// Their open deals in the book's currency.
    pub pipeline_cents: i128,
    #[serde(skip)]
    pub connected: i64,
}

impl RepLine {
    pub fn empty(owner: String) -> RepLine {
        RepLine {
            owner,
            won: 0,
            lost: 0,
            win_rate: None,
            calls: 0,
            connect_rate: None,
            pipeline_cents: 0,
            connected: 0,
        }
    }

    /// With its rates worked out, `with_outcome` being the calls that had an outcome.
    pub fn with_rates(self, with_outcome: i64) -> RepLine {
        RepLine {
            win_rate: rate(self.won, self.won + self.lost),
            connect_rate: rate(self.connected, with_outcome),
            ..self
        }
    }
}

/// One referrer in the report (`report --json`'s `referrals`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReferrerLine {
    pub contact_id: i64,
    pub name: String,
    /// Contacts they referred.
    pub referred: i64,
    /// Of those, customers (or repeat customers).
    pub customers: i64,
    /// What those contacts' won deals brought, in the book's currency.
    pub won_cents: i128,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StageLine {
    /// The pipeline the stage is in (as the deals have it stored).
    pub pipeline: String,
    pub stage: String,
    pub count: i64,
    pub value_cents: i128,
    pub weighted_cents: i128,
    /// The stage's probability, percent.
    pub probability: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthLine {
    /// `2026-12`
    pub month: String,
    pub weighted_cents: i128,
    pub count: i64,
    pub value_cents: i128,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub count: i64,
    pub value_cents: i128,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageDays {
    pub stage: String,
    /// `None` when no stay in this stage ended in the period.
    pub avg_days: Option<f64>,
    /// How many stays the average is over.
    pub stays: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceLine {
    /// Its most used spelling, trimmed; `None` for contacts with no source.
    pub source: Option<String>,
    pub contacts: i64,
    /// Contacts whose status is customer or repeat.
    pub customers: i64,
    pub conversion_rate: Option<f64>,
    /// Value of the won deals (book currency) of this source's contacts.
    pub won_cents: i128,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WeekLine {
    /// ISO week, `2026-W47`.
    pub week: String,
    pub call: i64,
    pub email: i64,
    pub meeting: i64,
    pub note: i64,
}

impl WeekLine {
    pub fn total(&self) -> i64 {
        self.call + self.email + self.meeting + self.note
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Calls {
    pub connected: i64,
    pub with_outcome: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OpenTally {
    pub count: i64,
    pub value_cents: i128,
    pub weighted_cents: i128,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OtherCurrency {
    pub currency: String,
    pub open: OpenTally,
    pub won: Tally,
    pub lost: Tally,
}

impl Report {
    /// Open deals in the book's currency, all stages.
    pub fn open_total(&self) -> OpenTally {
        let mut t = OpenTally::default();
        for s in &self.pipeline {
            t.count += s.count;
            t.value_cents += s.value_cents;
            t.weighted_cents += s.weighted_cents;
        }
        t
    }
}

/// `num / den`, rounded to four decimals; `None` when there is nothing to divide.
pub fn rate(num: i64, den: i64) -> Option<f64> {
    if den <= 0 {
        return None;
    }
    Some(round_to(num as f64 / den as f64, 4))
}

/// Days to one decimal, as averages are shown.
pub fn days(d: f64) -> f64 {
    round_to(d, 1)
}

fn round_to(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

/// A rate as a percentage for people: `0.6667` -> `67%`, `None` -> `–`.
pub fn percent(r: Option<f64>) -> String {
    match r {
        Some(r) => format!("{:.0}%", r * 100.0),
        None => "–".to_string(),
    }
}

/// The ISO week a date falls in: `2026-W48`.
pub fn iso_week(d: NaiveDate) -> String {
    let w = d.iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

/// The Monday that starts the ISO week of `d`.
pub fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Days::new(d.weekday().num_days_from_monday() as u64)
}

/// One week of the period: its label and the local days it covers, `from` inclusive and
/// `until` exclusive. The first week starts at `since` rather than its Monday, so a note
/// before the period never counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeekSpan {
    pub from: NaiveDate,
    pub until: NaiveDate,
}

impl WeekSpan {
    pub fn label(&self) -> String {
        iso_week(self.from)
    }
}

/// The weeks from the one holding `since` through the one holding `today`; none when `since`
/// is after `today`.
pub fn weeks(since: NaiveDate, today: NaiveDate) -> Vec<WeekSpan> {
    let mut out = Vec::new();
    if since > today {
        return out;
    }
    let mut from = since;
    while from <= today {
        let until = monday_of(from) + Days::new(7);
        out.push(WeekSpan { from, until });
        from = until;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn rates_never_divide_by_zero() {
        assert_eq!(rate(0, 0), None);
        assert_eq!(rate(3, 0), None);
        assert_eq!(rate(0, 4), Some(0.0));
        assert_eq!(rate(2, 3), Some(0.6667));
        assert_eq!(rate(1, 1), Some(1.0));
        assert_eq!(percent(rate(2, 3)), "67%");
        assert_eq!(percent(None), "–");
    }

    #[test]
    fn days_round_to_a_tenth() {
        assert_eq!(days(3.45), 3.5);
        assert_eq!(days(2.0 / 3.0), 0.7);
    }

    #[test]
    fn iso_weeks_cross_the_year() {
        assert_eq!(iso_week(d("2026-11-23")), "2026-W48");
        assert_eq!(iso_week(d("2026-11-22")), "2026-W47");
        // 2027-01-01 is a Friday: still in 2026's last week
        assert_eq!(iso_week(d("2027-01-01")), "2026-W53");
        assert_eq!(iso_week(d("2024-12-30")), "2025-W01");
    }

    #[test]
    fn weeks_cover_the_period() {
        // since Wed 2026-11-04, today Mon 2026-11-23
        let w = weeks(d("2026-11-04"), d("2026-11-23"));
        let labels: Vec<String> = w.iter().map(WeekSpan::label).collect();
        assert_eq!(labels, ["2026-W45", "2026-W46", "2026-W47", "2026-W48"]);
        assert_eq!(w[0].from, d("2026-11-04"));
        assert_eq!(w[0].until, d("2026-11-09"));
        assert_eq!(w[3].from, d("2026-11-23"));
        assert_eq!(w[3].until, d("2026-11-30"));
        assert!(weeks(d("2026-12-01"), d("2026-11-23")).is_empty());
        assert_eq!(weeks(d("2026-11-23"), d("2026-11-23")).len(), 1);
    }
}

/// Open deals summed per currency, stage and expected close month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenGroup {
    /// Upper-cased.
    pub currency: String,
    pub pipeline: String,
    pub stage: String,
    /// `2026-12`; `None` when the deals have no expected close date.
    pub month: Option<String>,
    pub count: i64,
    pub value_cents: i128,
    /// Each deal's value at its stage's probability, truncated to the cent per deal (as
    /// `domain::deal::weighted` does, here as `v / 100 * p + v % 100 * p / 100`, which cannot
    /// overflow), then summed.
    pub weighted_cents: i128,
}

/// Deals closed (won or lost) since `since`, per currency and status.
#[derive(Debug, Clone, PartialEq)]
pub struct ClosedGroup {
    pub currency: String,
    pub pipeline: String,
    /// `won` or `lost`.
    pub won: bool,
    pub count: i64,
    pub value_cents: i128,
    /// Sum over the group of the days from creation to closing.
    pub days: f64,
}

/// Stays in a stage that ended since `since`, per stage.
#[derive(Debug, Clone, PartialEq)]
pub struct StageStays {
    pub stage: String,
    pub stays: i64,
    pub days: f64,
}

/// Contacts per lead source (compared trimmed and case-insensitively; blank is none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceGroup {
    pub source: Option<String>,
    pub contacts: i64,
    pub customers: i64,
    pub won_cents: i128,
}

/// Notes in `[from, until)` by kind, and the calls' outcomes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoteCounts {
    pub call: i64,
    pub email: i64,
    pub meeting: i64,
    pub note: i64,
    pub calls_connected: i64,
    pub calls_with_outcome: i64,
}
