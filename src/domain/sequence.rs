//! Sequences (docs/MANUAL.md, "Sequences"): a named series of follow-ups a contact is worked
//! through. The steps are copied into the enrolment when it starts, so a later config change
//! affects later starts only.

use chrono::{NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::follow_up::FollowUpKind;
use super::word_enum;
use crate::when::Interval;

word_enum!(
    /// What stops a sequence besides `sequence stop`, archive, merge and purge.
    StopOn ("a stop condition") {
        Connected = "connected",
        Replied = "replied",
        Won = "won",
        Lost = "lost",
    }
);

word_enum!(
    /// Where an enrolment stands.
    EnrollmentStatus ("an enrolment status") {
        Active = "active",
        Finished = "finished",
        Stopped = "stopped",
    }
);

/// One step as the config writes it and the enrolment keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub after: String,
    pub kind: FollowUpKind,
    pub text: String,
}

/// The label a step's follow-up carries: `new-lead 2/3`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeqLabel {
    pub name: String,
    pub step: i64,
    pub steps: i64,
}

impl std::fmt::Display for SeqLabel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}/{}", self.name, self.step, self.steps)
    }
}

/// A contact's time in a sequence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Enrollment {
    pub id: i64,
    pub contact_id: i64,
    pub contact_name: String,
    pub deal_id: Option<i64>,
    pub sequence: String,
    /// The step under way (1-based); the last one when finished.
    pub step: i64,
    /// In JSON, how many steps there are (`step` of `steps`).
    #[serde(serialize_with = "count")]
    pub steps: Vec<Step>,
    pub stop_on: Vec<StopOn>,
    pub status: EnrollmentStatus,
    pub stop_reason: Option<String>,
    pub started_at: String,
    pub ended_at: Option<String>,
    /// When the open step is due (`2026-11-24`, or RFC 3339 when timed).
    pub next_due: Option<String>,
    /// The sequence is no longer in the config: its contacts go on to the end.
    pub retired: bool,
    #[serde(skip)]
    pub version: i64,
}

fn count<S: serde::Serializer>(steps: &[Step], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(steps.len() as u64)
}

impl Enrollment {
    /// The step after the one under way, if any.
    pub fn next_step(&self) -> Option<&Step> {
        self.steps.get(self.step as usize)
    }

    pub fn stops_on(&self, s: StopOn) -> bool {
        self.stop_on.contains(&s)
    }
}

/// A step's `after`: `0d` (the same day) or an interval (`2d`, `1w`, `1m`).
pub fn parse_after(s: &str) -> Option<After> {
    let t = s.trim().trim_start_matches('+').to_ascii_lowercase();
    if let Some(n) = t.strip_suffix('d').or_else(|| t.strip_suffix('w'))
        && n.parse::<u32>() == Ok(0)
    {
        return Some(After::Now);
    }
    Interval::parse(s).ok().map(After::Interval)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum After {
    Now,
    Interval(Interval),
}

/// The day a step falls on: `after` counted from `from`, moved to a workday (salesdesk
/// picked the date). None past the calendar's end.
pub fn step_day(from: NaiveDate, after: &str, workdays: &[Weekday]) -> Option<NaiveDate> {
    let day = match parse_after(after)? {
        After::Now => from,
        After::Interval(i) => i.checked_add_to(from)?,
    };
    Some(super::workdays::workday_on_or_after(day, workdays))
}

/// The default `stop_on`.
pub fn default_stop_on() -> Vec<StopOn> {
    StopOn::ALL.to_vec()
}

/// Reports: one sequence's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct SequenceFigures {
    pub name: String,
    pub enrolled: i64,
    pub active: i64,
    pub finished: i64,
    /// Stopped by a reply or a connected call.
    pub replied: i64,
    pub won: i64,
    pub lost: i64,
    /// `replied` over those no longer active; null with none.
    pub reply_rate: Option<f64>,
}

impl SequenceFigures {
    /// Fills the rate from the counts.
    pub fn with_rate(mut self) -> Self {
        let done = self.enrolled - self.active;
        self.reply_rate = (done > 0).then(|| self.replied as f64 / done as f64);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::workdays::DEFAULT;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn after_reads_zero_and_intervals() {
        assert_eq!(parse_after("0d"), Some(After::Now));
        assert_eq!(parse_after("+0d"), Some(After::Now));
        assert!(matches!(parse_after("2d"), Some(After::Interval(_))));
        assert_eq!(parse_after("soon"), None);
        assert_eq!(parse_after("-2d"), None);
        assert_eq!(parse_after("2h"), None);
    }

    #[test]
    fn a_step_on_a_weekend_moves_to_monday() {
        // Thursday 2026-11-26 + 2d is Saturday: Monday 30 Nov.
        assert_eq!(
            step_day(d("2026-11-26"), "2d", &DEFAULT),
            Some(d("2026-11-30"))
        );
        assert_eq!(
            step_day(d("2026-11-23"), "0d", &DEFAULT),
            Some(d("2026-11-23"))
        );
    }

    #[test]
    fn reply_rate_counts_those_no_longer_active() {
        let f = SequenceFigures {
            enrolled: 5,
            active: 1,
            replied: 2,
            ..Default::default()
        }
        .with_rate();
        assert_eq!(f.reply_rate, Some(0.5));
        let none = SequenceFigures {
            enrolled: 1,
            active: 1,
            ..Default::default()
        }
        .with_rate();
        assert_eq!(none.reply_rate, None);
    }
}
