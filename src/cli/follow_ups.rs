//! `follow-up CONTACT WHEN [TEXT]`, `follow-up edit|cancel|list`, `done` and `snooze`.

use std::io::Write;

use crate::cli::args::{FollowUpArgs, FollowUpCmd, FollowUpEditArgs, FollowUpListArgs};
use crate::cli::output;
use crate::domain::follow_up::NewFollowUp;
use crate::error::{Error, Result};
use crate::ops::Desk;
use crate::ops::follow_ups::FollowUpEdit;
use crate::storage::follow_ups;
use crate::when::{self, Interval};

pub fn run(desk: &mut Desk, f: &FollowUpArgs, out: &mut dyn Write) -> Result<()> {
    match &f.cmd {
        Some(FollowUpCmd::Edit(a)) => edit(desk, a, out),
        Some(FollowUpCmd::Cancel { id }) => {
            desk.cancel_follow_up(*id, None)?;
            writeln!(out, "follow-up #{id} cancelled")?;
            Ok(())
        }
        Some(FollowUpCmd::List(a)) => list(desk, a, out),
        None => add(desk, f, out),
    }
}

pub fn done(desk: &mut Desk, id: i64, out: &mut dyn Write) -> Result<()> {
    let next = desk.complete_follow_up(id, None)?;
    writeln!(out, "follow-up #{id} done")?;
    if let Some(n) = next {
        let f = desk.follow_up(n)?;
        writeln!(
            out,
            "next: follow-up #{n} {}",
            when::describe(f.due, desk.clock.now_naive())
        )?;
    }
    Ok(())
}

pub fn snooze(desk: &mut Desk, id: i64, words: &[String], out: &mut dyn Write) -> Result<()> {
    let w = desk.when(&words.join(" "))?;
    let due = desk.snooze_follow_up(id, w, None)?;
    writeln!(
        out,
        "follow-up #{id} snoozed to {}",
        when::describe(due, desk.clock.now_naive())
    )?;
    Ok(())
}

fn interval(flag: &str, s: &str) -> Result<Interval> {
    s.parse()
        .map_err(|e| Error::input(format!("{flag} {s:?}: {e}")))
}

/// `follow-up CONTACT WHEN [TEXT]`: the longest run of words that reads as a WHEN, the rest
/// is the text.
fn add(desk: &mut Desk, f: &FollowUpArgs, out: &mut dyn Write) -> Result<()> {
    let Some(contact) = &f.contact else {
        return Err(Error::input(
            "name a contact: `salesdesk follow-up CONTACT WHEN [TEXT]`",
        ));
    };
    let contact_id = desk.resolve_contact(contact)?;
    let words: Vec<&str> = f.words.iter().flat_map(|w| w.split_whitespace()).collect();
    let leading = when::parse_leading(&words, desk.clock.now_naive())
        .map_err(|e| Error::input(e.to_string()))?;
    let Some((due, used)) = leading else {
        let first = words.first().copied().unwrap_or("");
        return Err(Error::input(when::WhenError::new(first).to_string()));
    };
    let text = words[used..].join(" ");
    let every = f
        .every
        .as_ref()
        .map(|s| interval("--every", s))
        .transpose()?;
    let nf = NewFollowUp {
        contact_id,
        deal_id: f.deal,
        kind: f.kind,
        text,
        due,
        every: every.map(|i| i.to_string()),
    };
    let owner = desk.owner_named(f.owner.as_deref())?;
    let id = desk.add_follow_up_for(&nf, owner.as_deref())?;
    writeln!(out, "{id}")?;
    Ok(())
}

fn edit(desk: &mut Desk, a: &FollowUpEditArgs, out: &mut dyn Write) -> Result<()> {
    let FollowUpEditArgs {
        id,
        when: w,
        text,
        kind,
        every,
        no_repeat,
        owner,
    } = a;
    let e = FollowUpEdit {
        due: w.as_ref().map(|w| desk.when(w)).transpose()?,
        text: text.clone(),
        kind: *kind,
        every: if *no_repeat {
            Some(None)
        } else {
            every
                .as_ref()
                .map(|s| interval("--every", s).map(Some))
                .transpose()?
        },
        owner: desk.owner_named(owner.as_deref())?,
        ..Default::default()
    };
    desk.edit_follow_up(*id, &e, None)?;
    writeln!(out, "follow-up #{id} updated")?;
    Ok(())
}

fn list(desk: &mut Desk, a: &FollowUpListArgs, out: &mut dyn Write) -> Result<()> {
    let FollowUpListArgs {
        contact,
        status,
        json,
    } = a;
    let contact_id = contact
        .as_ref()
        .map(|c| desk.resolve_contact(c))
        .transpose()?;
    // Scripts read every follow-up from `--json`; a person reading the text wants
    // what is still to do.
    let status_flag = *status;
    let status = match status {
        Some(s) => s.status(),
        None if *json => None,
        None => Some(crate::domain::follow_up::FollowUpStatus::Open),
    };
    let filter = crate::domain::follow_up::ListFilter {
        contact_id,
        status,
        ..Default::default()
    };
    let now = desk.clock.now_naive();
    let list = desk.db.read(|conn| follow_ups::list(conn, &filter, now))?;
    let defaulted = status_flag.is_none();
    if *json {
        output::json(out, &list)?;
    } else if list.is_empty() && defaulted {
        writeln!(
            out,
            "No open follow-ups. `--status all` lists the done and cancelled ones too."
        )?;
    } else {
        output::follow_ups(out, &list, &desk.clock)?;
    }
    Ok(())
}
