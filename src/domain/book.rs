//! The whole book as the JSON export holds it: every row with its id, version and times,
//! deals with their history. These serde shapes are the export's contract (docs/MANUAL.md, JSON output); storage
//! fills them, `io::json` writes and restores them.

use serde::{Deserialize, Serialize};

use crate::domain::contact::{Status, Temperature};
use crate::domain::deal::{DealEvent, DealStatus};
use crate::domain::follow_up::FollowUpKind;
use crate::domain::note::{NoteKind, Outcome};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Book {
    pub format: String,
    pub version: u32,
    #[serde(default)]
    pub exported_at: Option<String>,
    #[serde(default)]
    pub companies: Vec<Company>,
    #[serde(default)]
    pub contacts: Vec<Contact>,
    #[serde(default)]
    pub deals: Vec<Deal>,
    #[serde(default)]
    pub follow_ups: Vec<FollowUp>,
    #[serde(default)]
    pub notes: Vec<Note>,
    /// Who is or was in which sequence (docs/MANUAL.md, "Sequences").
    #[serde(default)]
    pub sequence_enrollments: Vec<SequenceEnrollment>,
    /// The highest id each table ever gave, so a restored book never reuses one.
    #[serde(default)]
    pub sequences: std::collections::BTreeMap<String, i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Company {
    pub id: i64,
    pub name: String,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Contact {
    pub id: i64,
    pub name: String,
    pub company: Option<String>,
    pub company_id: Option<i64>,
    pub title: Option<String>,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub tags: Vec<String>,
    pub source: Option<String>,
    pub status: Status,
    pub temperature: Option<Temperature>,
    pub cadence_days: Option<i64>,
    pub archived: bool,
    pub linkedin_url: Option<String>,
    pub connected_on: Option<String>,
    pub last_contacted_at: Option<String>,
    /// Derived from the follow-ups; written for readers, ignored on import.
    #[serde(default)]
    pub next_follow_up_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
    /// Who referred them (an export from before referrals has none).
    #[serde(default)]
    pub referred_by: Option<crate::domain::contact::ContactRef>,
    /// Who owned it where it was exported; an import makes rows the importer's.
    #[serde(default)]
    pub owner: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct HistoryEntry {
    #[serde(default)]
    pub id: Option<i64>,
    pub event: DealEvent,
    pub stage: String,
    pub at: String,
    #[serde(default = "one")]
    pub version: i64,
    /// Who made it, where it was exported.
    #[serde(default)]
    pub by: Option<String>,
}

fn one() -> i64 {
    1
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Deal {
    pub id: i64,
    pub title: String,
    pub contact_id: i64,
    #[serde(default)]
    pub contact_name: Option<String>,
    #[serde(default)]
    pub company: Option<String>,
    pub value_cents: i64,
    pub currency: String,
    /// None in an export from before pipelines: the import puts such deals in the config's
    /// first pipeline, as the upgrade of a book does.
    #[serde(default)]
    pub pipeline: Option<String>,
    pub stage: String,
    pub status: DealStatus,
    pub lost_reason: Option<String>,
    pub expected_close: Option<String>,
    pub created_at: String,
    pub closed_at: Option<String>,
    pub stage_entered_at: String,
    pub updated_at: String,
    pub history: Vec<HistoryEntry>,
    pub version: i64,
    /// Who owned it where it was exported; an import makes rows the importer's.
    #[serde(default)]
    pub owner: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FollowUp {
    pub id: i64,
    pub contact_id: i64,
    #[serde(default)]
    pub contact_name: Option<String>,
    #[serde(default)]
    pub company: Option<String>,
    pub deal_id: Option<i64>,
    pub kind: FollowUpKind,
    pub text: String,
    /// `2026-11-24` when all-day, else RFC 3339.
    pub due_at: String,
    pub all_day: bool,
    pub every: Option<String>,
    pub done_at: Option<String>,
    /// overdue, today, upcoming (all open), done or cancelled.
    pub status: String,
    /// The sequence step it is, or null.
    #[serde(default)]
    pub sequence: Option<StepOf>,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
    /// Who owned it where it was exported; an import makes rows the importer's.
    #[serde(default)]
    pub owner: Option<String>,
}

/// A follow-up's place in a sequence: its enrolment, the sequence, its step of how many.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StepOf {
    pub enrollment_id: i64,
    pub name: String,
    pub step: i64,
    pub steps: i64,
}

/// One contact's time in a sequence, with the steps copied when it started.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SequenceEnrollment {
    pub id: i64,
    pub contact_id: i64,
    pub deal_id: Option<i64>,
    pub name: String,
    pub steps: Vec<crate::domain::sequence::Step>,
    pub stop_on: Vec<crate::domain::sequence::StopOn>,
    pub step: i64,
    pub status: crate::domain::sequence::EnrollmentStatus,
    pub stop_reason: Option<String>,
    pub started_at: String,
    pub ended_at: Option<String>,
    pub updated_at: String,
    pub version: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Note {
    pub id: i64,
    pub contact_id: i64,
    pub deal_id: Option<i64>,
    pub kind: NoteKind,
    pub outcome: Option<Outcome>,
    pub body: String,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
    /// Who wrote it, where it was exported.
    #[serde(default)]
    pub author: Option<String>,
    /// Seen by its author and the managers only; kept through an export and import.
    #[serde(default)]
    pub private: bool,
}

/// An open follow-up as a calendar shows it: its times as stored (UTC), with the names of its
/// contact, company and deal.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarEntry {
    pub id: i64,
    pub kind: String,
    pub text: String,
    pub due_date: String,
    pub due_at: Option<String>,
    pub version: i64,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub contact: String,
    pub company: Option<String>,
    pub deal: Option<String>,
    pub every: Option<String>,
}
