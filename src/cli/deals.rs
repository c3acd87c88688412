//! `deal add|edit|move|won|lost|reopen|show|list`.

use std::io::Write;

use crate::cli::args::{DealAddArgs, DealCmd, DealEditArgs, DealListArgs};
use crate::cli::output;
use crate::domain::deal::{DealStatus, NewDeal};
use crate::domain::money;
use crate::error::{Error, Result};
use crate::ops::Desk;
use crate::ops::deals::DealEdit;
use crate::storage::contacts;
use crate::storage::deals;

pub fn run(desk: &mut Desk, d: &DealCmd, out: &mut dyn Write) -> Result<()> {
    match d {
        DealCmd::Add(a) => add(desk, a, out)?,
        DealCmd::Edit(a) => edit(desk, a, out)?,
        DealCmd::Move { id, stage } => {
            let pipeline = desk.deal(*id)?.pipeline;
            let s = desk.config.resolve_stage_in(&pipeline, stage)?;
            desk.move_deal(*id, &s, None)?;
            writeln!(out, "deal #{id} → {s}")?;
        }
        DealCmd::Won {
            id,
            keep_follow_ups,
        } => close(desk, *id, None, *keep_follow_ups, out)?,
        DealCmd::Lost {
            id,
            reason,
            keep_follow_ups,
        } => close(desk, *id, Some(reason), *keep_follow_ups, out)?,
        DealCmd::Reopen { id } => {
            desk.reopen_deal(*id, None)?;
            writeln!(out, "deal #{id} reopened")?;
        }
        DealCmd::Show { id, json } => {
            let view = desk.deal_view(*id, 1000)?;
            if *json {
                output::json(out, &view)?;
            } else {
                output::deal_view(out, &view, &desk.clock)?;
            }
        }
        DealCmd::List(a) => list(desk, a, out)?,
    }
    Ok(())
}

fn value(v: &Option<String>, currency: &Option<String>) -> Result<(Option<i64>, Option<String>)> {
    let (cents, sym) = match v {
        Some(v) => {
            let (c, s) = money::parse(v)?;
            (Some(c), s)
        }
        None => (None, None),
    };
    let cur = match currency {
        Some(c) => {
            let c = c.trim().to_ascii_uppercase();
            if c.len() != 3 || !c.chars().all(|x| x.is_ascii_alphabetic()) {
                return Err(Error::input(format!(
                    "--currency {c:?}: use a three-letter code like USD"
                )));
            }
            Some(c)
        }
        None => sym.map(str::to_string),
    };
    Ok((cents, cur))
}

fn close_date(desk: &Desk, close: &Option<String>) -> Result<Option<String>> {
    close
        .as_ref()
        .map(|c| Ok(desk.when(c)?.date().to_string()))
        .transpose()
}

fn add(desk: &mut Desk, a: &DealAddArgs, out: &mut dyn Write) -> Result<()> {
    let contact_id = desk.resolve_contact(&a.contact)?;
    let (cents, cur) = value(&a.value, &a.currency)?;
    let pipeline = match &a.pipeline {
        Some(p) => desk.config.resolve_pipeline(p, false)?,
        None => desk.config.first_pipeline(),
    };
    let stage = match &a.stage {
        Some(s) => desk.config.resolve_stage_in(&pipeline, s)?,
        None => desk.config.first_stage_in(&pipeline),
    };
    let nd = NewDeal {
        title: a.title.clone(),
        contact_id,
        value_cents: cents.unwrap_or(0),
        currency: cur.unwrap_or_else(|| desk.config.currency()),
        stage,
        expected_close: close_date(desk, &a.close)?,
    };
    let owner = desk.owner_named(a.owner.as_deref())?;
    let id = desk.add_deal_for(&pipeline, &nd, owner.as_deref())?;
    writeln!(out, "{id}")?;
    Ok(())
}

fn edit(desk: &mut Desk, a: &DealEditArgs, out: &mut dyn Write) -> Result<()> {
    let DealEditArgs {
        id,
        title,
        contact,
        value: v,
        currency,
        close,
        stage,
        pipeline,
        owner,
    } = a;
    let (cents, cur) = value(v, currency)?;
    let pipeline = pipeline
        .as_ref()
        .map(|p| desk.config.resolve_pipeline(p, false))
        .transpose()?;
    // A stage is read in the pipeline the deal goes to, else the one it is in.
    let stage_in = match &pipeline {
        Some(p) => p.clone(),
        None => desk.deal(*id)?.pipeline,
    };
    let e = DealEdit {
        title: title.clone(),
        contact_id: contact
            .as_ref()
            .map(|c| desk.resolve_contact(c))
            .transpose()?,
        value_cents: cents,
        currency: cur,
        expected_close: close_date(desk, close)?.map(Some),
        stage: stage
            .as_ref()
            .map(|s| desk.config.resolve_stage_in(&stage_in, s))
            .transpose()?,
        pipeline,
        owner: desk.owner_named(owner.as_deref())?,
    };
    // One transaction: a stage that cannot be reached leaves the other fields as
    // they were too.
    desk.edit_deal(*id, &e, None)?;
    writeln!(out, "deal #{id} updated")?;
    Ok(())
}

/// `deal won` (no reason) and `deal lost REASON`.
fn close(
    desk: &mut Desk,
    id: i64,
    lost_reason: Option<&str>,
    keep_follow_ups: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let (status, word) = match lost_reason {
        None => (DealStatus::Won, "won"),
        Some(_) => (DealStatus::Lost, "lost"),
    };
    let (n, opened) = desk.close_deal_saying(id, status, lost_reason, keep_follow_ups, None)?;
    writeln!(out, "deal #{id} {word}")?;
    if let Some(w) = crate::ops::deals::cancelled_words(n) {
        writeln!(out, "{w}")?;
    }
    for w in opened.words() {
        writeln!(out, "{w}")?;
    }
    Ok(())
}

fn list(desk: &mut Desk, a: &DealListArgs, out: &mut dyn Write) -> Result<()> {
    let DealListArgs {
        pipeline,
        stage,
        status,
        contact,
        company,
        json,
    } = a;
    let pipeline = pipeline
        .as_ref()
        .map(|p| desk.config.resolve_pipeline(p, true))
        .transpose()?;
    let stage = stage
        .as_ref()
        .map(|s| match &pipeline {
            Some(p) if p != crate::config::UNFILED => desk.config.resolve_stage_in(p, s),
            _ => desk
                .config
                .resolve_stage_any(s)
                .ok_or_else(|| Error::input(format!("no stage {s:?} in any pipeline"))),
        })
        .transpose()?;
    let pipeline = pipeline.map(|p| desk.config.pipeline_filter(&p));
    let contact_id = contact
        .as_ref()
        .map(|c| desk.resolve_contact(c))
        .transpose()?;
    let company_id = company
        .as_ref()
        .map(|c| desk.db.read(|conn| contacts::resolve_company(conn, c)))
        .transpose()?;
    let f = crate::domain::deal::ListFilter {
        pipeline,
        stage,
        status: *status,
        contact_id,
        company_id,
        history: *json,
    };
    let list = desk.db.read(|conn| deals::list(conn, &f))?;
    if *json {
        output::json(out, &list)?;
    } else {
        output::deals(out, &list)?;
    }
    Ok(())
}
