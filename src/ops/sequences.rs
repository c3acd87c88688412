//! Sequences (docs/MANUAL.md, "Sequences"): starting, advancing and stopping them, each in the
//! transaction of the verb that caused it, so one `undo` takes it back whole.

use crate::domain::follow_up::{FollowUp, NewFollowUp};
use crate::domain::note::{NewNote, NoteKind, Outcome};
use crate::domain::sequence::{Enrollment, EnrollmentStatus, SequenceFigures, StopOn, step_day};
use crate::error::{Error, Result};
use crate::ops::Desk;
use crate::storage::sequences::{self as store, NewEnrollment};
use crate::storage::{Change, Snapshot, contacts, deals, follow_ups, notes};
use crate::when::When;

/// Why a sequence stopped, as its enrolment records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    Connected,
    Replied,
    Won,
    Lost,
    Cancelled,
    Archived,
    Merged,
    Stopped,
}

impl StopReason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Connected => "connected",
            Self::Replied => "replied",
            Self::Won => "won",
            Self::Lost => "lost",
            Self::Cancelled => "cancelled",
            Self::Archived => "archived",
            Self::Merged => "merged",
            Self::Stopped => "stopped",
        }
    }

    /// What the timeline says.
    fn words(self) -> &'static str {
        match self {
            Self::Connected => "a call connected",
            Self::Replied => "an email was replied",
            Self::Won => "the deal was won",
            Self::Lost => "the deal was lost",
            Self::Cancelled => "its step was cancelled",
            Self::Archived => "the contact was archived",
            Self::Merged => "the contact was merged",
            Self::Stopped => "stopped by hand",
        }
    }
}

/// A sequence's step scheduled, or its end.
#[derive(Debug, Clone, PartialEq)]
pub enum Advanced {
    /// The next step's follow-up, its number and its due.
    Next {
        id: i64,
        step: i64,
        due: When,
    },
    Finished,
}

/// What `sequence start` did.
#[derive(Debug, Clone)]
pub struct Started {
    pub enrollment: i64,
    pub name: String,
    pub follow_up: i64,
    pub due: When,
    pub steps: usize,
}

/// A sequence's next step as completing its current one today would schedule it.
#[derive(Debug, Clone, PartialEq)]
pub struct NextStep {
    pub name: String,
    pub step: i64,
    pub steps: i64,
    pub kind: crate::domain::follow_up::FollowUpKind,
    pub text: String,
    pub date: chrono::NaiveDate,
}

/// What `sequence show NAME` tells.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SequenceView {
    pub name: String,
    pub retired: bool,
    pub steps: Vec<crate::domain::sequence::Step>,
    pub stop_on: Vec<StopOn>,
    pub figures: SequenceFigures,
}

impl Desk {
    /// `sequence start CONTACT NAME [--deal DEAL]`.
    pub fn start_sequence(
        &mut self,
        contact_id: i64,
        name: &str,
        deal_id: Option<i64>,
    ) -> Result<Started> {
        let config = self.config.clone();
        let workdays = config.workdays();
        self.db.write(&self.clock, |chg| {
            let who = contacts::name_of(chg.read(), contact_id)?;
            chg.describe(format!("starting sequence {name} for {who}"));
            start_in(chg, &config, contact_id, name, deal_id, &workdays)
        })
    }

    /// `sequence stop CONTACT`: the open step is cancelled. Returns the sequence's name.
    pub fn stop_sequence(&mut self, contact_id: i64) -> Result<String> {
        self.db.write(&self.clock, |chg| {
            let who = contacts::name_of(chg.read(), contact_id)?;
            let Some(e) = store::active_of(chg.read(), contact_id)? else {
                return Err(Error::input(format!(
                    "{who} is in no sequence; `sequence list` shows who is"
                )));
            };
            chg.describe(format!("stopping sequence {} for {who}", e.sequence));
            stop_in(chg, &e, StopReason::Stopped)?;
            Ok(e.sequence)
        })
    }

    /// The contacts in a sequence now.
    pub fn sequence_list(&mut self) -> Result<Vec<Enrollment>> {
        let mut list = self.db.read(store::active)?;
        for e in &mut list {
            e.retired = self.config.sequence(&e.sequence).is_none();
        }
        Ok(list)
    }

    /// The sequence a contact is in now, if any.
    pub fn sequence_of(&mut self, contact_id: i64) -> Result<Option<Enrollment>> {
        let e = self.db.read(|r| store::active_of(r, contact_id))?;
        Ok(e.map(|mut e| {
            e.retired = self.config.sequence(&e.sequence).is_none();
            e
        }))
    }

    /// What completing `f` today schedules when it is the step of a sequence under way: the
    /// next step and its date (none after the last step).
    pub fn sequence_next(&mut self, f: &FollowUp) -> Result<Option<NextStep>> {
        let workdays = self.config.workdays();
        let today = self.clock.today();
        self.db.read(|r| {
            let Some(e) = step_of(r, f)? else {
                return Ok(None);
            };
            let Some(step) = e.next_step() else {
                return Ok(None);
            };
            Ok(
                step_day(today, &step.after, &workdays).map(|date| NextStep {
                    name: e.sequence.clone(),
                    step: e.step + 1,
                    steps: e.steps.len() as i64,
                    kind: step.kind,
                    text: step.text.clone(),
                    date,
                }),
            )
        })
    }

    /// The sequences a new enrolment may use, with their steps, by name.
    pub fn sequence_names(&self) -> Vec<String> {
        self.config.sequences.keys().cloned().collect()
    }

    /// `sequence show NAME`: a configured sequence, or a retired one the book still holds.
    pub fn sequence_view(&mut self, name: &str) -> Result<SequenceView> {
        let figures = self.sequence_figures()?;
        let find = |n: &str| {
            figures
                .iter()
                .find(|f| f.name.eq_ignore_ascii_case(n))
                .cloned()
        };
        if let Some((n, s)) = self.config.sequence(name) {
            return Ok(SequenceView {
                name: n.to_string(),
                retired: false,
                steps: s.steps(),
                stop_on: s.stop_on(),
                figures: find(n).unwrap_or_else(|| SequenceFigures {
                    name: n.to_string(),
                    ..Default::default()
                }),
            });
        }
        let Some(f) = find(name) else {
            return Err(Error::input(format!(
                "no sequence {name:?}; the config names: {}",
                self.known_names()
            )));
        };
        let last = self.db.read(|r| store::latest_of_name(r, &f.name))?;
        Ok(SequenceView {
            name: f.name.clone(),
            retired: true,
            steps: last.as_ref().map(|e| e.steps.clone()).unwrap_or_default(),
            stop_on: last.map(|e| e.stop_on).unwrap_or_default(),
            figures: f,
        })
    }

    /// Per sequence: enrolled, active, finished, replied, won, lost and the reply rate; a
    /// configured sequence nobody started shows zeros.
    pub fn sequence_figures(&mut self) -> Result<Vec<SequenceFigures>> {
        let config = &self.config;
        self.db.read(|r| figures(r, config, None))
    }

    fn known_names(&self) -> String {
        let names = self.sequence_names();
        if names.is_empty() {
            "none (add [sequences.NAME] to the config)".into()
        } else {
            names.join(", ")
        }
    }
}

/// Per sequence, over the whole book (or `owner`'s contacts), configured ones nobody started
/// included (zeros).
pub(crate) fn figures(
    conn: &Snapshot,
    config: &crate::config::Config,
    owner: Option<&str>,
) -> Result<Vec<SequenceFigures>> {
    let mut figs = store::figures(conn, owner)?;
    for name in config.sequences.keys() {
        if !figs.iter().any(|f| &f.name == name) {
            figs.push(SequenceFigures {
                name: name.clone(),
                ..Default::default()
            });
        }
    }
    figs.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(figs)
}

/// Starts `name` for a contact inside a running change (`sequence start`, an import).
pub(crate) fn start_in(
    chg: &mut Change<'_>,
    config: &crate::config::Config,
    contact_id: i64,
    name: &str,
    deal_id: Option<i64>,
    workdays: &[chrono::Weekday],
) -> Result<Started> {
    let Some((name, def)) = config.sequence(name) else {
        let names: Vec<&str> = config.sequences.keys().map(String::as_str).collect();
        return Err(Error::input(format!(
            "no sequence {name:?} in the config; it names: {}",
            if names.is_empty() {
                "none (add [sequences.NAME] to the config)".to_string()
            } else {
                names.join(", ")
            }
        )));
    };
    let who = contacts::get(chg.read(), contact_id)?;
    if who.archived {
        return Err(Error::input(format!(
            "{} is archived; `contact unarchive` first",
            who.name
        )));
    }
    if let Some(e) = store::active_of(chg.read(), contact_id)? {
        return Err(Error::input(format!(
            "{} is already in sequence {} (step {} of {}); a contact is in one sequence at a time (`sequence stop` first)",
            who.name,
            e.sequence,
            e.step,
            e.steps.len()
        )));
    }
    if let Some(d) = deal_id {
        let deal = deals::get(chg.read(), d)?;
        if deal.contact_id != contact_id {
            return Err(Error::input(format!(
                "deal #{d} belongs to {}, not {}",
                deal.contact_name, who.name
            )));
        }
        // Its win or loss could never stop the sequence.
        if deal.status != crate::domain::deal::DealStatus::Open {
            return Err(Error::input(format!(
                "deal #{d} is {}; a sequence is about an open deal (`salesdesk deal reopen {d}` first)",
                deal.status
            )));
        }
    }
    let steps = def.steps();
    let stop_on = def.stop_on();
    let id = store::insert(
        chg,
        &NewEnrollment {
            contact_id,
            deal_id,
            name,
            steps: &steps,
            stop_on: &stop_on,
        },
    )?;
    let e = store::get(chg.read(), id)?;
    let today = chg.clock().today();
    let (follow_up, due) = schedule(chg, &e, 1, today, None, workdays)?;
    Ok(Started {
        enrollment: id,
        name: name.to_string(),
        follow_up,
        due,
        steps: steps.len(),
    })
}

/// Schedules step `n` (1-based) of `e`: its `after` counted from `from`, on a workday, unless
/// the person named the date (`due`).
fn schedule(
    chg: &mut Change<'_>,
    e: &Enrollment,
    n: i64,
    from: chrono::NaiveDate,
    due: Option<When>,
    workdays: &[chrono::Weekday],
) -> Result<(i64, When)> {
    let Some(step) = e.steps.get((n - 1) as usize) else {
        return Err(Error::input(format!(
            "sequence {} has no step {n}",
            e.sequence
        )));
    };
    let due = match due {
        Some(d) => d,
        None => When::Day(step_day(from, &step.after, workdays).ok_or_else(|| {
            Error::input(format!(
                "step {n} of sequence {} would fall past {}",
                e.sequence,
                crate::when::LAST_DATE
            ))
        })?),
    };
    let f = NewFollowUp {
        contact_id: e.contact_id,
        deal_id: e.deal_id,
        kind: step.kind,
        text: step.text.clone(),
        due,
        every: None,
    };
    Ok((store::insert_step(chg, e, n, &f)?, due))
}

/// After `f` (a follow-up just marked done) completes its step: the next step, due `next`
/// when the person named it (a logged call, call mode) or its `after` from today, or the
/// sequence finished. None when `f` is no step of a sequence under way.
pub(crate) fn advance_in(
    chg: &mut Change<'_>,
    f: &FollowUp,
    next: Option<When>,
    workdays: &[chrono::Weekday],
) -> Result<Option<Advanced>> {
    let Some(e) = step_of(chg.read(), f)? else {
        return Ok(None);
    };
    if e.step as usize >= e.steps.len() {
        store::end(chg, e.id, EnrollmentStatus::Finished, None)?;
        return Ok(Some(Advanced::Finished));
    }
    let n = e.step + 1;
    store::set_step(chg, e.id, n)?;
    let today = chg.clock().today();
    let (id, due) = schedule(chg, &e, n, today, next, workdays)?;
    Ok(Some(Advanced::Next { id, step: n, due }))
}

/// The enrolment under way whose current step `f` is.
fn step_of(conn: &Snapshot, f: &FollowUp) -> Result<Option<Enrollment>> {
    let (Some(seq), Some(label)) = (f.seq_id, &f.sequence) else {
        return Ok(None);
    };
    // A step whose enrolment is gone (a book restored from a file that lacked it) is an
    // ordinary follow-up: completing it must not fail.
    let Some(e) = store::find(conn, seq)? else {
        return Ok(None);
    };
    Ok((e.status == EnrollmentStatus::Active && e.step == label.step).then_some(e))
}

/// Stops `e`: its open step cancelled, the enrolment ended, and a line on the contact's
/// timeline saying why.
pub(crate) fn stop_in(chg: &mut Change<'_>, e: &Enrollment, why: StopReason) -> Result<()> {
    if let Some(open) = store::open_step(chg.read(), e.id)? {
        follow_ups::cancel(chg, open)?;
    }
    store::end(chg, e.id, EnrollmentStatus::Stopped, Some(why.as_str()))?;
    notes::insert(
        chg,
        &NewNote {
            contact_id: e.contact_id,
            deal_id: e.deal_id,
            kind: NoteKind::Note,
            outcome: None,
            body: format!(
                "Sequence {} stopped at step {} of {}: {}.",
                e.sequence,
                e.step,
                e.steps.len(),
                why.words()
            ),
            private: false,
        },
    )?;
    Ok(())
}

/// The stop a note causes: a connected call or a replied email, when `stop_on` names it.
pub(crate) fn stop_for_note(
    conn: &Snapshot,
    contact_id: i64,
    kind: NoteKind,
    outcome: Option<Outcome>,
) -> Result<Option<(Enrollment, StopReason)>> {
    let why = match (kind, outcome) {
        (NoteKind::Call, Some(Outcome::Connected)) => (StopOn::Connected, StopReason::Connected),
        (NoteKind::Email, Some(Outcome::Replied)) => (StopOn::Replied, StopReason::Replied),
        _ => return Ok(None),
    };
    let Some(e) = store::active_of(conn, contact_id)? else {
        return Ok(None);
    };
    Ok(e.stops_on(why.0).then_some((e, why.1)))
}

/// Whether closing the deal (won or lost) would stop its contact's sequence.
pub(crate) fn stops_on_close(
    conn: &Snapshot,
    deal_id: i64,
    contact_id: i64,
    won: bool,
) -> Result<bool> {
    let cond = if won { StopOn::Won } else { StopOn::Lost };
    Ok(store::active_of_deal(conn, deal_id, contact_id)?.is_some_and(|e| e.stops_on(cond)))
}

/// A deal closed: stops its contact's sequence when `stop_on` names the close (the
/// sequence's own deal when it was started with one, else any deal of the contact).
pub(crate) fn on_deal_closed(
    chg: &mut Change<'_>,
    deal_id: i64,
    contact_id: i64,
    won: bool,
) -> Result<()> {
    let Some(e) = store::active_of_deal(chg.read(), deal_id, contact_id)? else {
        return Ok(());
    };
    let (cond, why) = if won {
        (StopOn::Won, StopReason::Won)
    } else {
        (StopOn::Lost, StopReason::Lost)
    };
    if e.stops_on(cond) {
        stop_in(chg, &e, why)?;
    }
    Ok(())
}

/// After follow-ups were cancelled: a sequence under way left with no open step stops.
pub(crate) fn on_cancelled(chg: &mut Change<'_>, contact_id: i64) -> Result<()> {
    let Some(e) = store::active_of(chg.read(), contact_id)? else {
        return Ok(());
    };
    if store::open_step(chg.read(), e.id)?.is_none() {
        stop_in(chg, &e, StopReason::Cancelled)?;
    }
    Ok(())
}

/// The contact is archived or merged away: its sequence stops.
pub(crate) fn on_contact_gone(
    chg: &mut Change<'_>,
    contact_id: i64,
    why: StopReason,
) -> Result<()> {
    if let Some(e) = store::active_of(chg.read(), contact_id)? {
        stop_in(chg, &e, why)?;
    }
    Ok(())
}

/// What a note will do to the contact's sequence, for its plan (shown before it is saved):
/// the stop it causes, or the next step the follow-up it completes schedules.
pub(crate) fn plan_effects(
    conn: &Snapshot,
    config: &crate::config::Config,
    now: chrono::NaiveDateTime,
    input: &crate::ops::notes::NoteInput,
    next: Option<When>,
) -> Result<Vec<String>> {
    if let Some((e, why)) = stop_for_note(conn, input.contact_id, input.kind, input.outcome)? {
        return Ok(vec![format!(
            "sequence {} stops: {}",
            e.sequence,
            why.as_str()
        )]);
    }
    let Some(done) = input.done else {
        return Ok(Vec::new());
    };
    let Ok(f) = follow_ups::get(conn, done, now) else {
        return Ok(Vec::new());
    };
    let Some(e) = step_of(conn, &f)? else {
        return Ok(Vec::new());
    };
    let Some(step) = e.next_step() else {
        return Ok(vec![format!("sequence {} finished", e.sequence)]);
    };
    let due = next.or_else(|| step_day(now.date(), &step.after, &config.workdays()).map(When::Day));
    Ok(due
        .map(|d| {
            format!(
                "sequence {} step {} of {}: {} {}",
                e.sequence,
                e.step + 1,
                e.steps.len(),
                step.kind,
                crate::when::describe(d, now)
            )
        })
        .into_iter()
        .collect())
}
