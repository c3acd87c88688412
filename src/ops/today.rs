//! The daily list, Today's read model: overdue, today, upcoming and the contacts to reconnect
//! with. `salesdesk today` prints every row; the TUI's Today screen reads a page of each group
//! (on its worker) with the whole counts, and the call queue takes what is due now.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::domain::follow_up::DueState;
use crate::domain::follow_up::{FollowUp, Reconnect};
use crate::domain::team::Scope;
use crate::error::{Error, Result};
use crate::ops::{Db, Desk};
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

/// How many rows of each group to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rows {
    /// Every row: the CLI prints them all.
    All,
    /// At most this many per group, with each group's whole count: a screen shows a page,
    /// and a book of 200,000 contacts has thousands due.
    Page(usize),
}

/// The daily list as of a moment, Upcoming some days long, of whose follow-ups.
#[derive(Debug, Clone)]
pub struct DueAsOf {
    pub now: NaiveDateTime,
    pub today: NaiveDate,
    /// How far Upcoming looks (0: today only).
    pub days: u32,
    pub scope: Scope,
}

/// Today's read model: the groups, how many are due in each (overdue, today, upcoming),
/// loaded or not, and whether the book is empty (the TUI then shows its welcome).
#[derive(Debug, Clone, Default)]
pub struct DueList {
    pub lists: Today,
    pub totals: [i64; 3],
    pub empty: bool,
}

/// Reads the daily list of the book `db` as of `at`: what `salesdesk today` prints and what
/// the Today screen's worker runs on its own connection. All-day before timed within a day.
pub fn due_list(db: &mut Db, at: DueAsOf, rows: Rows) -> Result<DueList> {
    let DueAsOf {
        now,
        today,
        days,
        scope,
    } = at;
    let until = today
        .checked_add_days(chrono::Days::new(days.into()))
        .ok_or_else(|| {
            Error::input(format!(
                "{days} days from today is past the last date salesdesk keeps"
            ))
        })?;
    // Every row (the CLI): the due rows and the contacts to reconnect with side by side (on a
    // server, two connections: `today`'s budget is tight and each list waits on the server).
    // A page (a screen): a read per group, each with its whole count.
    let (lists, totals) = match rows {
        Rows::All => {
            let (mut t, reconnect) = db.read_both(
                |conn| {
                    let mut t = Today::default();
                    for f in follow_ups::due_until(conn, until, now, &scope)? {
                        match f.status {
                            DueState::Overdue => t.overdue.push(f),
                            DueState::Today => t.today.push(f),
                            _ => t.upcoming.push(f),
                        }
                    }
                    Ok(t)
                },
                {
                    let scope = scope.clone();
                    move |conn: &crate::storage::Snapshot| {
                        follow_ups::reconnect(conn, today, &scope)
                    }
                },
            )?;
            t.reconnect = reconnect;
            let totals = [&t.overdue, &t.today, &t.upcoming].map(|g| g.len() as i64);
            (t, totals)
        }
        Rows::Page(limit) => db.read(|conn| {
            let yesterday = today.pred_opt().unwrap_or(today);
            let page = |first, last| follow_ups::due_page(conn, first, last, limit, now, &scope);
            let (overdue, o) = page(None, yesterday)?;
            let (due, t) = page(Some(today), today)?;
            let (upcoming, u) = page(today.succ_opt(), until)?;
            let lists = Today {
                overdue,
                today: due,
                upcoming,
                reconnect: follow_ups::reconnect(conn, today, &scope)?,
            };
            Ok((lists, [o, t, u]))
        })?,
    };
    // Counting the whole book only matters when nothing is due.
    let empty = totals.iter().sum::<i64>() == 0
        && lists.reconnect.is_empty()
        && db.peek(crate::storage::is_empty)?;
    Ok(DueList {
        lists,
        totals,
        empty,
    })
}

impl Desk {
    /// The moment the user's daily list is read for, Upcoming `days` long.
    pub fn due_as_of(&self, days: u32) -> DueAsOf {
        DueAsOf {
            now: self.clock.now_naive(),
            today: self.clock.today(),
            days,
            scope: Scope::Mine,
        }
    }

    /// Due through today + `days` (0: today only), grouped, every row, of `scope`:
    /// `salesdesk today`.
    pub fn today(&mut self, days: u32, scope: Scope) -> Result<Today> {
        let at = DueAsOf {
            scope: self.may_see(scope)?,
            ..self.due_as_of(days)
        };
        Ok(due_list(&mut self.db, at, Rows::All)?.lists)
    }

    /// What the user has due now (overdue and today), at most `limit`, oldest first: the
    /// call queue.
    pub fn due_now(&mut self, limit: usize) -> Result<Vec<FollowUp>> {
        let (now, today) = (self.clock.now_naive(), self.clock.today());
        self.db
            .read(|conn| Ok(follow_ups::due_page(conn, None, today, limit, now, &Scope::Mine)?.0))
    }

    /// How many follow-ups were marked done today: call mode's counter.
    pub fn done_today(&mut self) -> Result<i64> {
        let today = self.clock.today();
        self.db.read(|conn| follow_ups::done_on(conn, today))
    }

    pub fn brief(&mut self, scope: Scope) -> Result<Brief> {
        let today = self.clock.today();
        let scope = self.may_see(scope)?;
        self.db.read(|conn| {
            let (overdue, due) = follow_ups::due_counts(conn, today, &scope)?;
            let reconnect = follow_ups::reconnect_count(conn, today, &scope)?;
            Ok(Brief {
                overdue,
                today: due,
                reconnect,
            })
        })
    }
}
