//! Follow-ups: scheduling, completing (and repeating), snoozing, editing, cancelling.

use crate::domain::follow_up::NewFollowUp;
use crate::domain::follow_up::{FollowUp, FollowUpKind, FollowUpStatus};
use crate::error::{Error, Result};
use crate::ops::{Desk, sequences};
use crate::storage::Change;
use crate::storage::follow_ups::{self, FollowUpFields};
use crate::when::{self, Interval, When};

#[derive(Debug, Clone, Default)]
pub struct FollowUpEdit {
    pub due: Option<When>,
    pub text: Option<String>,
    pub kind: Option<FollowUpKind>,
    /// Some(None) stops the repetition.
    pub every: Option<Option<Interval>>,
    /// Some(None) unties it from its deal.
    pub deal: Option<Option<i64>>,
    /// Reassigns it (a manager's to do).
    pub owner: Option<String>,
}

impl Desk {
    pub fn add_follow_up(&mut self, f: &NewFollowUp) -> Result<i64> {
        self.add_follow_up_for(f, None)
    }

    /// Schedules a follow-up, `owner`'s when given (`--owner`), else the user's.
    pub fn add_follow_up_for(&mut self, f: &NewFollowUp, owner: Option<&str>) -> Result<i64> {
        self.db.write(&self.clock, |chg| {
            let who = crate::storage::contacts::name_of(chg.read(), f.contact_id)?;
            chg.describe(format!("scheduling a follow-up with {who}"));
            if let Some(d) = f.deal_id {
                crate::storage::deals::get(chg.read(), d)?;
            }
            let id = follow_ups::insert(chg, f)?;
            if let Some(o) = owner {
                crate::storage::owners::give_new(chg, "follow_ups", id, o)?;
            }
            Ok(id)
        })
    }

    /// Marks a follow-up done; a repeating one comes back as a new row, whose id is returned.
    pub fn complete_follow_up(
        &mut self,
        id: i64,
        expected_version: Option<i64>,
    ) -> Result<Option<i64>> {
        let workdays = self.config.workdays();
        self.db.write(&self.clock, |chg| {
            let f = follow_ups::get(chg.read(), id, chg.clock().now_naive())?;
            follow_ups::check_version(id, f.version, expected_version)?;
            chg.describe(format!("marking done: {} with {}", f.kind, f.contact_name));
            complete_in(chg, id, &workdays)
        })
    }

    pub fn snooze_follow_up(
        &mut self,
        id: i64,
        when: When,
        expected_version: Option<i64>,
    ) -> Result<When> {
        self.db.write(&self.clock, |chg| {
            let f = follow_ups::get(chg.read(), id, chg.clock().now_naive())?;
            follow_ups::check_version(id, f.version, expected_version)?;
            if f.open != FollowUpStatus::Open {
                return Err(Error::input(format!(
                    "follow-up #{id} is {}; only open ones snooze",
                    f.open
                )));
            }
            chg.describe(format!("snoozing {} with {}", f.kind, f.contact_name));
            let target = when::snooze_target(when, f.due);
            follow_ups::set_due(chg, id, target)?;
            Ok(target)
        })
    }

    pub fn edit_follow_up(
        &mut self,
        id: i64,
        e: &FollowUpEdit,
        expected_version: Option<i64>,
    ) -> Result<()> {
        self.db.write(&self.clock, |chg| {
            let f = follow_ups::get(chg.read(), id, chg.clock().now_naive())?;
            follow_ups::check_version(id, f.version, expected_version)?;
            chg.describe(format!("editing follow-up with {}", f.contact_name));
            let every = match e.every {
                Some(i) => i.map(|i| i.to_string()),
                None => f.every.clone(),
            };
            let deal = match e.deal {
                Some(Some(d)) => {
                    crate::storage::deals::get(chg.read(), d)?;
                    Some(d)
                }
                Some(None) => None,
                None => f.deal_id,
            };
            let fields = FollowUpFields {
                due: e.due.unwrap_or(f.due),
                text: e.text.as_deref().map(str::trim).unwrap_or(&f.text),
                kind: e.kind.unwrap_or(f.kind),
                every,
                deal_id: deal,
            };
            follow_ups::set_fields(chg, id, &fields)?;
            if let Some(o) = &e.owner {
                crate::storage::owners::reassign(chg, "follow_ups", id, o)?;
            }
            Ok(())
        })
    }

    pub fn cancel_follow_up(&mut self, id: i64, expected_version: Option<i64>) -> Result<()> {
        self.db.write(&self.clock, |chg| {
            let f = follow_ups::get(chg.read(), id, chg.clock().now_naive())?;
            follow_ups::check_version(id, f.version, expected_version)?;
            if f.open != FollowUpStatus::Open {
                return Err(Error::input(format!(
                    "follow-up #{id} is already {}",
                    f.open
                )));
            }
            chg.describe(format!("cancelling {} with {}", f.kind, f.contact_name));
            follow_ups::cancel(chg, id)?;
            // Cancelling a step stops its sequence.
            sequences::on_cancelled(chg, f.contact_id)
        })
    }
}

/// Completes a follow-up inside a running change; returns the id of what comes next: its next
/// occurrence, or the next step of its sequence.
pub(crate) fn complete_in(
    chg: &mut Change<'_>,
    id: i64,
    workdays: &[chrono::Weekday],
) -> Result<Option<i64>> {
    let f = mark_done_in(chg, id)?;
    if f.seq_id.is_some() {
        let advanced = sequences::advance_in(chg, &f, None, workdays)?;
        return Ok(match advanced {
            Some(sequences::Advanced::Next { id, .. }) => Some(id),
            _ => None,
        });
    }
    repeat_in(chg, &f, workdays)
}

/// Marks an open follow-up done; returns it as it was.
pub(crate) fn mark_done_in(chg: &mut Change<'_>, id: i64) -> Result<FollowUp> {
    let f = follow_ups::get(chg.read(), id, chg.clock().now_naive())?;
    if f.open != FollowUpStatus::Open {
        return Err(Error::input(format!(
            "follow-up #{id} is already {}",
            f.open
        )));
    }
    follow_ups::mark_done(chg, id)?;
    Ok(f)
}

/// A repeating follow-up just done comes back as a new row, whose id is returned.
pub(crate) fn repeat_in(
    chg: &mut Change<'_>,
    f: &FollowUp,
    workdays: &[chrono::Weekday],
) -> Result<Option<i64>> {
    let id = f.id;
    let now_naive = chg.clock().now_naive();
    let Some(every) = f.every.as_deref() else {
        return Ok(None);
    };
    let interval: Interval = every
        .parse()
        .map_err(|e| Error::input(format!("follow-up #{id} repeats every {every:?}: {e}")))?;
    // The next one is due that interval after the completion, at the same time of day, on
    // a workday: salesdesk picked that date, nobody typed it.
    let Some(next_day) = interval.checked_add_to(now_naive.date()) else {
        return Err(Error::input(format!(
            "follow-up #{id} repeats every {interval}, which would fall past {}; \
             change the repeat with `follow-up edit {id} --every I|--no-repeat`",
            when::LAST_DATE
        )));
    };
    let next_day = crate::domain::workdays::workday_on_or_after(next_day, workdays);
    let due = match f.due {
        When::Day(_) => When::Day(next_day),
        When::At(t) => When::At(next_day.and_time(t.time())),
    };
    let next = NewFollowUp {
        contact_id: f.contact_id,
        deal_id: f.deal_id,
        kind: f.kind,
        text: f.text.clone(),
        due,
        every: Some(interval.to_string()),
    };
    let next_id = follow_ups::insert(chg, &next)?;
    // The next one is the owner's, whoever marked this one done.
    if f.owner != chg.user() {
        crate::storage::owners::give_new(chg, "follow_ups", next_id, &f.owner)?;
    }
    Ok(Some(next_id))
}
