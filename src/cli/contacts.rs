//! `contact add|edit|list|show|archive|unarchive|merge|purge`.

use std::io::Write;

use crate::cli::args::{ContactCmd, ContactEditArgs, ContactFlags};
use crate::cli::output;
use crate::domain::contact::ContactFields;
use crate::error::{Error, Result};
use crate::ops::Desk;
use crate::ops::contacts::ListEdits;
use crate::storage::contacts;
use crate::text::plural;
use crate::when::Interval;

pub fn run(desk: &mut Desk, c: &ContactCmd, out: &mut dyn Write) -> Result<()> {
    match c {
        ContactCmd::Add {
            name,
            flags,
            allow_duplicate,
        } => add(desk, name, flags, *allow_duplicate, out),
        ContactCmd::Edit(a) => edit(desk, a, out),
        ContactCmd::List {
            search,
            tag,
            status,
            archived,
            json,
        } => {
            let filter = crate::domain::contact::ListFilter {
                search: search.clone(),
                tag: tag.clone(),
                status: *status,
                archived: *archived,
                limit: None,
            };
            list(desk, &filter, *json, out)
        }
        ContactCmd::Show { contact, json } => show(desk, contact, *json, out),
        ContactCmd::Archive { contact } => archive(desk, contact, true, out),
        ContactCmd::Unarchive { contact } => archive(desk, contact, false, out),
        ContactCmd::Purge { contact, yes } => purge(desk, contact, *yes, out),
        ContactCmd::Merge { contact, into } => {
            let from = desk.resolve_contact(contact)?;
            let to = desk.resolve_contact(into)?;
            desk.merge_contacts(from, to)?;
            writeln!(out, "contact #{from} merged into #{to}")?;
            Ok(())
        }
    }
}

fn cadence(s: &Option<String>) -> Result<Option<Option<i64>>> {
    match s {
        None => Ok(None),
        Some(s) => {
            let days = Interval::cadence_days(s)
                .map_err(|e| Error::input(format!("--cadence {s:?}: {e}")))?;
            Ok(Some(Some(days)))
        }
    }
}

fn fields(desk: &Desk, name: Option<String>, f: &ContactFlags) -> Result<ContactFields> {
    let some_list = |v: &Vec<String>| if v.is_empty() { None } else { Some(v.clone()) };
    let referred_by = match f.referred_by.as_deref().map(str::trim) {
        None => None,
        Some("") => Some(None),
        Some(r) => Some(Some(desk.resolve_contact(r)?)),
    };
    Ok(ContactFields {
        referred_by,
        name,
        company: f.company.clone().map(Some),
        title: f.title.clone().map(Some),
        emails: some_list(&f.emails),
        phones: some_list(&f.phones),
        tags: some_list(&f.tags),
        source: f.source.clone().map(Some),
        status: f.status,
        temperature: f.temperature.map(Some),
        cadence_days: cadence(&f.cadence)?,
        owner: desk.owner_named(f.owner.as_deref())?,
        ..Default::default()
    })
}

fn add(
    desk: &mut Desk,
    name: &str,
    flags: &ContactFlags,
    allow_duplicate: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let added = desk.add_contact_checked(
        &fields(desk, Some(name.to_string()), flags)?,
        allow_duplicate,
    )?;
    for w in &added.warnings {
        crate::inert::say("warning", w);
    }
    writeln!(out, "{}", added.id)?;
    Ok(())
}

fn edit(desk: &mut Desk, a: &ContactEditArgs, out: &mut dyn Write) -> Result<()> {
    let id = desk.resolve_contact(&a.contact)?;
    let mut f = fields(desk, a.name.clone(), &a.flags)?;
    if a.no_cadence {
        f.cadence_days = Some(None);
    }
    let lists = ListEdits {
        add_tags: a.add_tag.clone(),
        remove_tags: a.remove_tag.clone(),
        add_emails: a.add_email.clone(),
        add_phones: a.add_phone.clone(),
    };
    desk.edit_contact(id, &f, &lists, None)?;
    writeln!(out, "contact #{id} updated")?;
    Ok(())
}

fn list(
    desk: &mut Desk,
    filter: &crate::domain::contact::ListFilter,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let list = desk.db.read(|conn| contacts::list(conn, filter))?;
    if json {
        output::json(out, &list)?;
    } else {
        output::contacts(out, &list, &desk.clock)?;
    }
    Ok(())
}

fn show(desk: &mut Desk, contact: &str, json: bool, out: &mut dyn Write) -> Result<()> {
    let id = desk.resolve_contact(contact)?;
    let view = desk.contact_view(id, 1000)?;
    if json {
        output::json(out, &view)?;
    } else {
        output::contact_view(out, &view, &desk.clock)?;
    }
    Ok(())
}

fn archive(desk: &mut Desk, contact: &str, archived: bool, out: &mut dyn Write) -> Result<()> {
    let id = desk.resolve_contact(contact)?;
    desk.set_archived(id, archived)?;
    let done = if archived { "archived" } else { "unarchived" };
    writeln!(out, "contact #{id} {done}")?;
    Ok(())
}

fn purge(desk: &mut Desk, contact: &str, yes: bool, out: &mut dyn Write) -> Result<()> {
    let id = desk.resolve_contact(contact)?;
    if !yes {
        return Err(Error::input(format!(
            "purge erases contact #{id} and everything tied to them for good; add --yes to confirm"
        )));
    }
    let p = desk.purge_contact_saying(id, &mut |m| crate::inert::say_line(m))?;
    writeln!(
        out,
        "purged {} with {}, {} and {}",
        p.name,
        plural(p.deals, "deal"),
        plural(p.follow_ups, "follow-up"),
        plural(p.notes, "note")
    )?;
    if desk.db.on_server() {
        writeln!(
            out,
            "the server's backups and replicas keep copies until their retention ends"
        )?;
    }
    if p.backups_cleaned > 0 {
        writeln!(
            out,
            "taken out of {} automatic backups, the rest of each kept",
            p.backups_cleaned
        )?;
    }
    for r in &p.removed {
        writeln!(
            out,
            "removed {} (a half-written or damaged copy that could not be cleaned)",
            r.display()
        )?;
    }
    crate::inert::say(
        "warning",
        "exports and copies made by hand (`salesdesk backup PATH`, `salesdesk export`) still hold this person; delete them too",
    );
    Ok(())
}
