//! `undo`: reverts the newest change made by any salesdesk process.

use rusqlite::TransactionBehavior;

use crate::error::Result;
use crate::ops::Desk;
pub use crate::storage::undo::Undone;

impl Desk {
    pub fn undo(&mut self) -> Result<Undone> {
        let tx = self
            .db
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = crate::storage::undo::undo_last(&tx)?;
        tx.commit()?;
        Ok(out)
    }
}
