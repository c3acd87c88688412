//! The verbs a salesperson performs. Each is one transaction with its undo record; the CLI and
//! the TUI both call these, so they cannot disagree.

pub mod backup;
pub mod contacts;
pub mod damage;
pub mod deals;
pub mod demo;
pub mod follow_ups;
pub mod notes;
pub mod purge;
pub mod purge_backups;
pub mod report;
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
