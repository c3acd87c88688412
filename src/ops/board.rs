//! The pipeline board's read model: every open deal, those closed since a day when asked, and
//! each contact's next step. The board screen reads it on its worker (35,000 open deals on the
//! large book take longer than a key may) and works out columns and ages from it in memory.

use std::collections::HashMap;

use crate::domain::deal::{Deal, DealStatus, ListFilter, PipelineFilter};
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
    /// The pipelines the book's deals are in (those the config lacks make Unfiled).
    pub in_use: Vec<String>,
}

/// Every open deal of one pipeline of the book `db`, its deals closed since the stored stamp
/// `closed_since` when asked, and each contact's next step.
pub fn board(
    db: &mut Db,
    pipeline: &PipelineFilter,
    closed_since: Option<&str>,
) -> Result<BoardRead> {
    db.read(|conn| {
        let open = deals::list(
            conn,
            &ListFilter {
                pipeline: Some(pipeline.clone()),
                status: Some(DealStatus::Open),
                ..Default::default()
            },
        )?;
        let closed = match closed_since {
            Some(since) => deals::closed_since(conn, since)?
                .into_iter()
                .filter(|d| in_pipeline(d, pipeline))
                .collect(),
            None => Vec::new(),
        };
        Ok(BoardRead {
            open,
            closed,
            next_by_contact: follow_ups::next_open_by_contact(conn)?,
            in_use: deals::pipelines_in_use(conn)?,
        })
    })
}

fn in_pipeline(d: &Deal, p: &PipelineFilter) -> bool {
    match p {
        PipelineFilter::Is(name) => d.pipeline == *name,
        PipelineFilter::NoneOf(known) => !known.contains(&d.pipeline),
    }
}

impl Desk {
    /// The board as of now, on this thread (a book in memory, or the first frame).
    pub fn board(
        &mut self,
        pipeline: &PipelineFilter,
        closed_since: Option<&str>,
    ) -> Result<BoardRead> {
        board(&mut self.db, pipeline, closed_since)
    }
}
