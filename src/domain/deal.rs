use super::word_enum;
use chrono::{DateTime, Local};
use serde::Serialize;

word_enum!(DealStatus ("a deal status") { Open = "open", Won = "won", Lost = "lost" });

word_enum!(
    /// What happened to a deal, as its history records it.
    DealEvent ("a deal event") { Stage = "stage", Won = "won", Lost = "lost", Reopened = "reopened" }
);

/// The expected value of a deal at a stage's probability, rounded to the cent.
pub fn weighted(value_cents: i64, probability: u8) -> i64 {
    (value_cents as i128 * probability as i128 / 100) as i64
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct HistoryEntry {
    pub event: DealEvent,
    pub stage: String,
    #[serde(serialize_with = "crate::clock::json::time")]
    pub at: DateTime<Local>,
    /// Who made it.
    pub by: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Deal {
    pub id: i64,
    pub title: String,
    pub contact_id: i64,
    pub contact_name: String,
    pub company: Option<String>,
    pub value_cents: i64,
    pub currency: String,
    /// The pipeline it belongs to, as stored: one the config no longer names shows under
    /// Unfiled, its name kept.
    pub pipeline: String,
    pub stage: String,
    pub status: DealStatus,
    pub lost_reason: Option<String>,
    pub expected_close: Option<String>,
    #[serde(serialize_with = "crate::clock::json::time")]
    pub created_at: DateTime<Local>,
    #[serde(serialize_with = "crate::clock::json::opt_time")]
    pub closed_at: Option<DateTime<Local>>,
    #[serde(serialize_with = "crate::clock::json::time")]
    pub stage_entered_at: DateTime<Local>,
    pub history: Vec<HistoryEntry>,
    pub version: i64,
    /// Who owns it: the login on a server, `me` on a personal book.
    pub owner: String,
    /// The newest note, move or edit: what "stale" is measured from.
    #[serde(skip)]
    pub last_activity_at: Option<DateTime<Local>>,
    /// The next open follow-up on this deal, as its due text.
    #[serde(skip)]
    pub next_follow_up: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub pipeline: Option<PipelineFilter>,
    pub stage: Option<String>,
    pub status: Option<DealStatus>,
    pub contact_id: Option<i64>,
    pub company_id: Option<i64>,
    /// Load each deal's stage history (the JSON needs it; the board does not).
    pub history: bool,
}

/// Which pipeline's deals: one by name, or Unfiled (those in none of the names given).
#[derive(Debug, Clone)]
pub enum PipelineFilter {
    Is(String),
    NoneOf(Vec<String>),
}

pub struct NewDeal {
    pub title: String,
    pub contact_id: i64,
    pub value_cents: i64,
    pub currency: String,
    pub stage: String,
    pub expected_close: Option<String>,
}
