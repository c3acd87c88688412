//! The verbs a salesperson performs. Each is one transaction with its undo record; the CLI and
//! the TUI both call these, so they cannot disagree.
//!
//! And one read model per screen, run by the CLI directly and by the TUI (on its workers
//! where a read takes longer than a key may), returning domain types: `today` (Today and
//! `salesdesk today`), `board` (the pipeline board), `contacts_index` (Contacts),
//! `contacts::ContactView` (a contact's page, `contact show`), `deals::DealView` (a deal's
//! page, `deal show`), `timeline::CompanyView` (a company's page), `report` (Reports and
//! `salesdesk report`). `lookup` holds the small reads beside them: a row by id, search.

pub mod backup;
pub mod board;
pub mod contacts;
pub mod contacts_index;
pub mod damage;
pub mod deals;
pub mod demo;
pub mod follow_ups;
pub mod lookup;
pub mod notes;
pub mod purge;
pub mod purge_backups;
pub mod remind;
pub mod renewals;
pub mod report;
pub mod sequences;
pub mod team;
pub mod timeline;
pub mod today;
pub mod undo;

use crate::clock::Clock;
use crate::config::Config;
use crate::error::Result;
/// The handle to an open book. The front ends name it through ops: they never reach into
/// storage themselves.
pub use crate::storage::{Access, Db};

/// An open book with the settings and the clock every verb needs.
pub struct Desk {
    pub db: Db,
    pub clock: Clock,
    pub config: Config,
}

impl Desk {
    pub fn new(db: Db, clock: Clock, config: Config) -> Self {
        Self { db, clock, config }
    }

    /// A fresh in-memory book with the default config, for tests.
    pub fn in_memory(clock: Clock) -> Result<Self> {
        Ok(Self::new(Db::open_in_memory()?, clock, Config::default()))
    }

    pub fn resolve_contact(&self, reference: &str) -> Result<i64> {
        self.db
            .peek(|r| crate::storage::contacts::resolve(r, reference))
    }

    pub fn when(&self, input: &str) -> Result<crate::when::When> {
        crate::when::parse(input, self.clock.now_naive())
            .map_err(|e| crate::error::Error::input(e.to_string()))
    }
}
