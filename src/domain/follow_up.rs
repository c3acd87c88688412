use crate::when::When;
use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use super::word_enum;

word_enum!(FollowUpKind ("a follow-up kind") { Call = "call", Email = "email", Meeting = "meeting", Task = "task" });

word_enum!(
    /// Where a follow-up stands, as `today` and the JSON show it.
    DueState ("a due state") {
        Overdue = "overdue",
        Today = "today",
        Upcoming = "upcoming",
        Done = "done",
        Cancelled = "cancelled",
    }
);

word_enum!(FollowUpStatus ("a follow-up status") { Open = "open", Done = "done", Cancelled = "cancelled" });

/// Overdue: due before today. Today: due today (a timed one whose time passed is `late`).
pub fn due_state(status: FollowUpStatus, due_date: NaiveDate, today: NaiveDate) -> DueState {
    match status {
        FollowUpStatus::Done => DueState::Done,
        FollowUpStatus::Cancelled => DueState::Cancelled,
        FollowUpStatus::Open if due_date < today => DueState::Overdue,
        FollowUpStatus::Open if due_date == today => DueState::Today,
        FollowUpStatus::Open => DueState::Upcoming,
    }
}

/// A timed follow-up due today whose time has passed.
pub fn is_late(status: FollowUpStatus, due_at: Option<NaiveDateTime>, now: NaiveDateTime) -> bool {
    status == FollowUpStatus::Open && due_at.is_some_and(|t| t.date() == now.date() && t < now)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn states() {
        let today = d("2026-11-23");
        assert_eq!(
            due_state(FollowUpStatus::Open, d("2026-11-22"), today),
            DueState::Overdue
        );
        assert_eq!(
            due_state(FollowUpStatus::Open, today, today),
            DueState::Today
        );
        assert_eq!(
            due_state(FollowUpStatus::Open, d("2026-11-24"), today),
            DueState::Upcoming
        );
        assert_eq!(
            due_state(FollowUpStatus::Cancelled, d("2026-11-01"), today),
            DueState::Cancelled
        );
    }

    #[test]
    fn late_only_today_and_past() {
        let now = d("2026-11-23").and_hms_opt(9, 0, 0).unwrap();
        let at = |h| Some(d("2026-11-23").and_hms_opt(h, 0, 0).unwrap());
        assert!(is_late(FollowUpStatus::Open, at(8), now));
        assert!(!is_late(FollowUpStatus::Open, at(10), now));
        assert!(!is_late(FollowUpStatus::Open, None, now));
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FollowUp {
    pub id: i64,
    pub contact_id: i64,
    pub contact_name: String,
    pub company: Option<String>,
    pub deal_id: Option<i64>,
    pub deal_title: Option<String>,
    pub deal_value_cents: Option<i64>,
    pub deal_currency: Option<String>,
    pub kind: FollowUpKind,
    pub text: String,
    /// `2026-11-24` when all-day, else RFC 3339 in local time.
    pub due_at: String,
    pub all_day: bool,
    pub late: bool,
    pub every: Option<String>,
    #[serde(serialize_with = "crate::clock::json::opt_time")]
    pub done_at: Option<chrono::DateTime<chrono::Local>>,
    pub status: DueState,
    /// The sequence step this follow-up is, `{"name", "step", "steps"}`, or null.
    pub sequence: Option<super::sequence::SeqLabel>,
    /// Who owns it: the login on a server, `me` on a personal book.
    pub owner: String,
    #[serde(skip)]
    pub seq_id: Option<i64>,
    #[serde(skip)]
    pub open: FollowUpStatus,
    #[serde(skip)]
    pub due: When,
    #[serde(skip)]
    pub version: i64,
}

#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub contact_id: Option<i64>,
    pub deal_id: Option<i64>,
    pub status: Option<FollowUpStatus>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Reconnect {
    pub contact_id: i64,
    pub name: String,
    pub company: Option<String>,
    pub cadence_days: i64,
    pub days_since: i64,
}

pub struct NewFollowUp {
    pub contact_id: i64,
    pub deal_id: Option<i64>,
    pub kind: FollowUpKind,
    pub text: String,
    pub due: When,
    pub every: Option<String>,
}
