//! `undo`: reverts the newest change made by any salesdesk process.

use crate::error::Result;
use crate::ops::Desk;
pub use crate::storage::Undone;

impl Desk {
    pub fn undo(&mut self) -> Result<Undone> {
        self.db.undo()
    }
}
