//! The daily list: overdue, today, upcoming and the contacts to reconnect with.

use serde::Serialize;

use crate::domain::follow_up::DueState;
use crate::domain::follow_up::{FollowUp, Reconnect};
use crate::error::Result;
use crate::ops::Desk;
use crate::storage::follow_ups;

#[derive(Debug, Clone, Default, Serialize)]
pub struct Today {
    pub overdue: Vec<FollowUp>,
    pub today: Vec<FollowUp>,
    pub upcoming: Vec<FollowUp>,
    pub reconnect: Vec<Reconnect>,
}

impl Today {
    pub fn is_empty(&self) -> bool {
        self.overdue.is_empty()
            && self.today.is_empty()
            && self.upcoming.is_empty()
            && self.reconnect.is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Brief {
    pub overdue: i64,
    pub today: i64,
    pub reconnect: i64,
}

impl std::fmt::Display for Brief {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} overdue · {} today · {} reconnect",
            self.overdue, self.today, self.reconnect
        )
    }
}

impl Desk {
    /// Due through today + `days` (0: today only), grouped; all-day before timed within a day.
    pub fn today(&mut self, days: u32) -> Result<Today> {
        let now = self.clock.now_naive();
        let today = self.clock.today();
        let until = today
            .checked_add_days(chrono::Days::new(days.into()))
            .ok_or_else(|| {
                crate::error::Error::input(format!(
                    "{days} days from today is past the last date salesdesk keeps"
                ))
            })?;
        self.db.read(|conn| {
            let mut t = Today::default();
            for f in follow_ups::due_until(conn, until, now)? {
                match f.status {
                    DueState::Overdue => t.overdue.push(f),
                    DueState::Today => t.today.push(f),
                    _ => t.upcoming.push(f),
                }
            }
            t.reconnect = follow_ups::reconnect(conn, today)?;
            Ok(t)
        })
    }

    pub fn brief(&mut self) -> Result<Brief> {
        let today = self.clock.today();
        self.db.read(|conn| {
            let (overdue, due) = follow_ups::due_counts(conn, today)?;
            let reconnect = follow_ups::reconnect_count(conn, today)?;
            Ok(Brief {
                overdue,
                today: due,
                reconnect,
            })
        })
    }
}
