//! Deals: adding, editing, moving across stages, winning, losing, reopening.

use crate::domain::deal::DealStatus;
use crate::domain::deal::NewDeal;
use crate::error::{Error, Result};
use crate::ops::Desk;
use crate::ops::renewals::WinOpened;
use crate::storage::deals::{self, DealFields};
use crate::storage::{Change, contacts};

/// `deal show`: the deal with its history, every follow-up on it, and its notes.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DealView {
    pub deal: crate::domain::deal::Deal,
    pub follow_ups: Vec<crate::domain::follow_up::FollowUp>,
    pub notes: Vec<crate::domain::note::Note>,
    /// Who gave the deal to whom, oldest first.
    pub reassigned: Vec<crate::domain::team::Reassignment>,
}

#[derive(Debug, Clone, Default)]
pub struct DealEdit {
    pub title: Option<String>,
    pub contact_id: Option<i64>,
    pub value_cents: Option<i64>,
    pub currency: Option<String>,
    pub expected_close: Option<Option<String>>,
    /// A stage (as the config names it) to move the deal to, in the same transaction: the move
    /// goes into the deal's history like any other. The stage it is in already is no move.
    pub stage: Option<String>,
    /// Another pipeline (as the config names it): the deal goes to `stage`, else that
    /// pipeline's first stage, the move kept in its history.
    pub pipeline: Option<String>,
    /// Reassigns it (a manager's to do).
    pub owner: Option<String>,
}

impl Desk {
    pub fn deal_view(&mut self, id: i64, notes_limit: usize) -> Result<DealView> {
        let now = self.clock.now_naive();
        self.db.read(|conn| {
            let deal = deals::get(conn, id)?;
            let follow_ups = crate::storage::follow_ups::list(
                conn,
                &crate::domain::follow_up::ListFilter {
                    deal_id: Some(id),
                    ..Default::default()
                },
                now,
            )?;
            let notes = crate::storage::notes::for_deal(conn, id, notes_limit)?;
            Ok(DealView {
                reassigned: crate::storage::owners::history(conn, "deals", id)?,
                deal,
                follow_ups,
                notes,
            })
        })
    }

    /// Adds a deal to the first pipeline.
    pub fn add_deal(&mut self, d: &NewDeal) -> Result<i64> {
        let first = self.config.first_pipeline();
        self.add_deal_in(&first, d)
    }

    /// Adds a deal to `pipeline` (as the config names it).
    pub fn add_deal_in(&mut self, pipeline: &str, d: &NewDeal) -> Result<i64> {
        self.add_deal_for(pipeline, d, None)
    }

    /// Adds a deal to `pipeline`, `owner`'s when given (`--owner`), else the user's.
    pub fn add_deal_for(
        &mut self,
        pipeline: &str,
        d: &NewDeal,
        owner: Option<&str>,
    ) -> Result<i64> {
        crate::domain::money::check(d.value_cents, "the value")?;
        self.db.write(&self.clock, |chg| {
            let who = contacts::name_of(chg.read(), d.contact_id)?;
            chg.describe(format!("adding deal \"{}\" for {who}", d.title.trim()));
            let id = deals::insert(chg, d, pipeline)?;
            if let Some(o) = owner {
                crate::storage::owners::give_new(chg, "deals", id, o)?;
            }
            Ok(id)
        })
    }

    pub fn edit_deal(
        &mut self,
        id: i64,
        e: &DealEdit,
        expected_version: Option<i64>,
    ) -> Result<()> {
        if let Some(v) = e.value_cents {
            crate::domain::money::check(v, "the value")?;
        }
        let config = &self.config;
        self.db.write(&self.clock, |chg| {
            let d = deals::get(chg.read(), id)?;
            deals::check_version(&d, expected_version)?;
            if let Some(p) = &e.pipeline
                && crate::config::stage_key(p) != crate::config::stage_key(&d.pipeline)
            {
                let stage = e.stage.clone().unwrap_or_else(|| config.first_stage_in(p));
                chg.describe(format!("moving \"{}\" to pipeline {p} ({stage})", d.title));
                edit_into_pipeline(chg, &d, e, p, &stage)?;
                return reassign_as_edited(chg, id, e);
            }
            let moving = e
                .stage
                .as_deref()
                .filter(|s| crate::config::stage_key(s) != crate::config::stage_key(&d.stage));
            match moving {
                Some(s) => chg.describe(format!("editing deal \"{}\" (→ {s})", d.title)),
                None => chg.describe(format!("editing deal \"{}\"", d.title)),
            }
            set_fields_in(chg, &d, e)?;
            if let Some(stage) = moving {
                check_stage_of_pipeline(config, &d, stage)?;
                let edited = deals::get(chg.read(), id)?;
                move_deal_in(chg, &edited, stage)?;
            }
            reassign_as_edited(chg, id, e)
        })
    }

    pub fn move_deal(&mut self, id: i64, stage: &str, expected_version: Option<i64>) -> Result<()> {
        let config = &self.config;
        self.db.write(&self.clock, |chg| {
            let d = deals::get(chg.read(), id)?;
            deals::check_version(&d, expected_version)?;
            check_stage_of_pipeline(config, &d, stage)?;
            chg.describe(format!("moving \"{}\" to {stage}", d.title));
            move_deal_in(chg, &d, stage)
        })
    }

    pub fn win_deal(&mut self, id: i64, expected_version: Option<i64>) -> Result<()> {
        self.close_deal(id, DealStatus::Won, None, false, expected_version)
            .map(|_| ())
    }

    pub fn lose_deal(
        &mut self,
        id: i64,
        reason: &str,
        expected_version: Option<i64>,
    ) -> Result<()> {
        self.close_deal(id, DealStatus::Lost, Some(reason), false, expected_version)
            .map(|_| ())
    }

    /// Closes a deal won or lost and, unless `keep_follow_ups`, cancels its open follow-ups:
    /// a closed deal leaves nothing on Today. Returns how many were cancelled; one undo
    /// reverts the close and the cancels together.
    pub fn close_deal(
        &mut self,
        id: i64,
        status: DealStatus,
        reason: Option<&str>,
        keep_follow_ups: bool,
        expected_version: Option<i64>,
    ) -> Result<usize> {
        self.close_deal_saying(id, status, reason, keep_follow_ups, expected_version)
            .map(|(n, _)| n)
    }

    /// As [`Desk::close_deal`], with what a win opened (a renewal, a referral ask).
    pub fn close_deal_saying(
        &mut self,
        id: i64,
        status: DealStatus,
        reason: Option<&str>,
        keep_follow_ups: bool,
        expected_version: Option<i64>,
    ) -> Result<(usize, WinOpened)> {
        let config = &self.config;
        self.db.write(&self.clock, |chg| {
            let d = deals::get(chg.read(), id)?;
            deals::check_version(&d, expected_version)?;
            let word = if status == DealStatus::Won {
                "won"
            } else {
                "lost"
            };
            chg.describe(format!("marking \"{}\" {word}", d.title));
            let how = Closing {
                status,
                reason,
                keep_follow_ups,
            };
            close_and_cancel_in(chg, config, &d, how)
        })
    }

    pub fn reopen_deal(&mut self, id: i64, expected_version: Option<i64>) -> Result<()> {
        self.db.write(&self.clock, |chg| {
            let d = deals::get(chg.read(), id)?;
            deals::check_version(&d, expected_version)?;
            if d.status == DealStatus::Open {
                return Err(Error::input(format!("deal #{id} is already open")));
            }
            chg.describe(format!("reopening \"{}\"", d.title));
            deals::reopen(chg, id, &d.stage)
        })
    }
}

/// Moves an open deal to `stage` inside a running change (also used by note commands).
pub fn move_deal_in(
    chg: &mut Change<'_>,
    d: &crate::domain::deal::Deal,
    stage: &str,
) -> Result<()> {
    if d.status != DealStatus::Open {
        return Err(Error::input(format!(
            "deal #{} is {}; `salesdesk deal reopen {}` first",
            d.id, d.status, d.id
        )));
    }
    if d.stage == stage {
        return Err(Error::input(format!(
            "deal #{} is already in {stage}",
            d.id
        )));
    }
    deals::set_stage(chg, d.id, stage)
}

/// How a person closes a deal.
#[derive(Debug, Clone, Copy)]
pub struct Closing<'a> {
    pub status: DealStatus,
    pub reason: Option<&'a str>,
    pub keep_follow_ups: bool,
}

/// Closes an open deal as a person does (`deal won|lost`, `W`/`L`, `#won`/`#lost`): its open
/// follow-ups are cancelled first, unless kept, so what the win itself schedules afterwards
/// (a renewal and its follow-up, a referral ask) is never among them. Returns how many were
/// cancelled and what the win opened.
pub fn close_and_cancel_in(
    chg: &mut Change<'_>,
    config: &crate::config::Config,
    d: &crate::domain::deal::Deal,
    how: Closing<'_>,
) -> Result<(usize, WinOpened)> {
    if d.status == DealStatus::Open {
        crate::ops::sequences::on_deal_closed(
            chg,
            d.id,
            d.contact_id,
            how.status == DealStatus::Won,
        )?;
    }
    let cancelled = if !how.keep_follow_ups && d.status == DealStatus::Open {
        crate::storage::follow_ups::cancel_open_of_deal(chg, d.id)?
    } else {
        0
    };
    // A sequence whose step went with the deal's follow-ups stops too.
    crate::ops::sequences::on_cancelled(chg, d.contact_id)?;
    close_deal_in(chg, d, how.status, how.reason)?;
    let opened = match how.status {
        DealStatus::Won => crate::ops::renewals::after_win_in(chg, config, d)?,
        _ => WinOpened::default(),
    };
    Ok((cancelled, opened))
}

/// Writes the fields an edit gives (not its stage or pipeline).
fn set_fields_in(chg: &mut Change<'_>, d: &crate::domain::deal::Deal, e: &DealEdit) -> Result<()> {
    if let Some(t) = &e.title
        && t.trim().is_empty()
    {
        return Err(Error::input("a deal's title cannot be empty"));
    }
    // Only a new title: one written before the bound existed keeps every other edit working.
    if let Some(t) = &e.title
        && t.trim() != d.title
    {
        deals::check_title(t.trim())?;
    }
    if let Some(c) = e.contact_id {
        contacts::get(chg.read(), c)?;
    }
    let fields = DealFields {
        title: e.title.as_deref().map(str::trim).unwrap_or(&d.title),
        contact_id: e.contact_id.unwrap_or(d.contact_id),
        value_cents: e.value_cents.unwrap_or(d.value_cents),
        currency: e.currency.as_deref().unwrap_or(&d.currency),
        expected_close: e.expected_close.clone().unwrap_or(d.expected_close.clone()),
    };
    deals::set_fields(chg, d.id, &fields)
}

/// A stage of another pipeline is refused, naming this pipeline's stages.
pub fn check_stage_of_pipeline(
    config: &crate::config::Config,
    d: &crate::domain::deal::Deal,
    stage: &str,
) -> Result<()> {
    config.resolve_stage_in(&d.pipeline, stage).map(|_| ())
}

/// An edit that moves the deal to another pipeline: its fields, then the pipeline and stage
/// with their history entry, in one change.
fn edit_into_pipeline(
    chg: &mut Change<'_>,
    d: &crate::domain::deal::Deal,
    e: &DealEdit,
    pipeline: &str,
    stage: &str,
) -> Result<()> {
    if d.status != DealStatus::Open {
        return Err(Error::input(format!(
            "deal #{} is {}; `salesdesk deal reopen {}` first",
            d.id, d.status, d.id
        )));
    }
    let plain = DealEdit {
        stage: None,
        pipeline: None,
        ..e.clone()
    };
    set_fields_in(chg, d, &plain)?;
    deals::set_pipeline(chg, d.id, pipeline, stage)
}

/// "2 open follow-ups cancelled", or nothing when there were none.
pub fn cancelled_words(n: usize) -> Option<String> {
    match n {
        0 => None,
        1 => Some("1 open follow-up cancelled".into()),
        n => Some(format!("{n} open follow-ups cancelled")),
    }
}

/// Closes an open deal won or lost, leaving its follow-ups as they are (loading a book's
/// history: the demo, the generator); a win promotes the contact (customer, then repeat).
pub fn close_deal_in(
    chg: &mut Change<'_>,
    d: &crate::domain::deal::Deal,
    status: DealStatus,
    reason: Option<&str>,
) -> Result<()> {
    if d.status != DealStatus::Open {
        return Err(Error::input(format!(
            "deal #{} is already {}",
            d.id, d.status
        )));
    }
    let reason = reason.map(str::trim);
    if status == DealStatus::Lost && reason.is_none_or(str::is_empty) {
        return Err(Error::input("say why the deal was lost (--reason)"));
    }
    deals::close(chg, d.id, status, reason, &d.stage)?;
    if status == DealStatus::Won {
        let c = contacts::get(chg.read(), d.contact_id)?;
        let wins_before = crate::storage::lookups::wins_besides(chg.read(), d.contact_id, d.id)?;
        let promoted = c.status.after_win(wins_before);
        if promoted != c.status {
            let f = crate::domain::contact::ContactFields {
                status: Some(promoted),
                ..Default::default()
            };
            contacts::update(chg, c.id, &f, None)?;
        }
    }
    Ok(())
}

/// Gives the deal to the edit's `owner`, if it names one, recorded in its history.
fn reassign_as_edited(chg: &mut Change<'_>, id: i64, e: &DealEdit) -> Result<()> {
    if let Some(o) = &e.owner {
        crate::storage::owners::reassign(chg, "deals", id, o)?;
    }
    Ok(())
}
