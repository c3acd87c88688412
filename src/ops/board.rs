//! The pipeline board's read model: every open deal, those closed since a day when asked, and
//! each contact's next step. The board screen reads it on its worker (35,000 open deals on the
//! large book take longer than a key may) and works out columns and ages from it in memory.

use std::collections::HashMap;

use crate::domain::deal::{Deal, DealStatus, ListFilter};
use crate::error::Result;
use crate::ops::{Db, Desk};
use crate::storage::{deals, follow_ups};
use crate::when::When;

/// One read of the deals the board shows.
#[derive(Debug, Default)]
pub struct BoardRead {
    pub open: Vec<Deal>,
    pub closed: Vec<Deal>,
    /// Each contact's earliest open follow-up tied to no deal, for the contacts with deals.
    pub next_by_contact: HashMap<i64, When>,
}

/// Every open deal of the book `db`, the deals closed since the stored stamp `closed_since`
/// when asked, and each contact's next step.
pub fn board(db: &mut Db, closed_since: Option<&str>) -> Result<BoardRead> {
    db.read(|conn| {
        let open = deals::list(
            conn,
            &ListFilter {
                status: Some(DealStatus::Open),
                ..Default::default()
            },
        )?;
        let closed = match closed_since {
            Some(since) => deals::closed_since(conn, since)?,
            None => Vec::new(),
        };
        Ok(BoardRead {
            open,
            closed,
            next_by_contact: follow_ups::next_open_by_contact(conn)?,
        })
    })
}

impl Desk {
    /// The board as of now, on this thread (a book in memory, or the first frame).
    pub fn board(&mut self, closed_since: Option<&str>) -> Result<BoardRead> {
        board(&mut self.db, closed_since)
    }
}
