//! Printing results: `--json` through serde, text as aligned columns.

use std::io::Write;

use serde::Serialize;

use crate::clock::Clock;
use crate::domain::contact::Contact;
use crate::domain::deal::Deal;
use crate::domain::follow_up::FollowUp;
use crate::domain::money;
use crate::error::Result;
use crate::ops::contacts::ContactView;
use crate::ops::today::Today;
use crate::text::{pad, printable, push_cell, push_printable, truncate};
use crate::when;

pub fn json<T: Serialize>(out: &mut dyn Write, v: &T) -> Result<()> {
    crate::inert::to_writer_pretty(&mut *out, v)?;
    writeln!(out)?;
    Ok(())
}

/// One line of a follow-up list, appended to `line` (cleared first): the daily list writes
/// thousands, through one buffer.
fn follow_up_line(line: &mut String, f: &FollowUp, clock: &Clock, with_status: bool) {
    use std::fmt::Write as _;
    line.clear();
    let mut due = when::relative(f.due, clock.now_naive());
    if f.late {
        due.push_str(" late");
    }
    let _ = write!(line, "  #{:<5} ", f.id);
    push_cell(line, &due, 16);
    line.push(' ');
    if with_status {
        push_cell(line, f.status.as_str(), 9);
        line.push(' ');
    }
    push_cell(line, f.kind.as_str(), 8);
    line.push(' ');
    match &f.company {
        Some(c) => push_cell(line, &format!("{} · {c}", f.contact_name), 32),
        None => push_cell(line, &f.contact_name, 32),
    }
    line.push(' ');
    push_printable(line, &f.text);
    match (&f.deal_title, f.deal_value_cents, &f.deal_currency) {
        (Some(t), Some(v), Some(cur)) if v > 0 => {
            line.push_str("  [");
            push_printable(line, t);
            let _ = write!(line, " {}]", money::format(v, cur));
        }
        (Some(t), _, _) => {
            line.push_str("  [");
            push_printable(line, t);
            line.push(']');
        }
        _ => {}
    }
    if let Some(seq) = &f.sequence {
        line.push_str("  (");
        push_printable(line, &seq.to_string());
        line.push(')');
    }
    line.push('\n');
}

fn follow_up_lines(
    out: &mut dyn Write,
    list: &[FollowUp],
    clock: &Clock,
    with_status: bool,
) -> Result<()> {
    let mut line = String::with_capacity(160);
    for f in list {
        follow_up_line(&mut line, f, clock, with_status);
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

/// The daily list: each due group (overdue, today, upcoming) under its title, then the
/// contacts to reconnect with; when all are empty, how to fill it.
pub fn today(out: &mut dyn Write, t: &Today, clock: &Clock) -> Result<()> {
    if t.is_empty() {
        writeln!(
            out,
            "Nothing due today. `salesdesk follow-up CONTACT WHEN TEXT` schedules one."
        )?;
        return Ok(());
    }
    for (title, list) in [
        ("Overdue", &t.overdue),
        ("Today", &t.today),
        ("Upcoming", &t.upcoming),
    ] {
        if list.is_empty() {
            continue;
        }
        writeln!(out, "{title} ({})", list.len())?;
        follow_up_lines(out, list, clock, false)?;
    }
    if !t.reconnect.is_empty() {
        use std::fmt::Write as _;
        writeln!(out, "Reconnect ({})", t.reconnect.len())?;
        // Thousands of lines on a large book: one line and one name buffer for them all.
        let (mut line, mut who) = (String::with_capacity(120), String::with_capacity(80));
        for r in &t.reconnect {
            who.clear();
            who.push_str(&r.name);
            if let Some(c) = &r.company {
                who.push_str(" · ");
                who.push_str(c);
            }
            line.clear();
            let _ = write!(line, "  #{:<5} ", r.contact_id);
            push_cell(&mut line, &who, 40);
            let _ = writeln!(
                line,
                " every {}d, last touch {}d ago",
                r.cadence_days, r.days_since
            );
            out.write_all(line.as_bytes())?;
        }
    }
    Ok(())
}

pub fn follow_ups(out: &mut dyn Write, list: &[FollowUp], clock: &Clock) -> Result<()> {
    if list.is_empty() {
        writeln!(out, "No follow-ups.")?;
    }
    // A list of several states says each one: a done item must not pass for an overdue one.
    follow_up_lines(out, list, clock, true)
}

fn ago(t: Option<chrono::DateTime<chrono::Local>>, clock: &Clock) -> String {
    match t {
        Some(t) => when::relative(when::When::Day(t.date_naive()), clock.now_naive()),
        None => "never".into(),
    }
}

pub fn contacts(out: &mut dyn Write, list: &[Contact], clock: &Clock) -> Result<()> {
    if list.is_empty() {
        writeln!(
            out,
            "No contacts. `salesdesk contact add --name NAME` adds one."
        )?;
        return Ok(());
    }
    writeln!(
        out,
        "{:<7} {} {} {} {} LAST CONTACT",
        "ID",
        pad("NAME", 26),
        pad("COMPANY", 20),
        pad("STATUS", 9),
        pad("TEMP", 5)
    )?;
    for c in list {
        writeln!(
            out,
            "{:<7} {} {} {} {} {}",
            format!("#{}", c.id),
            pad(&printable(&c.name), 26),
            pad(&printable(c.company.as_deref().unwrap_or("")), 20),
            pad(c.status.as_str(), 9),
            pad(c.temperature.map_or("", |t| t.as_str()), 5),
            ago(c.last_contacted_at, clock)
        )?;
    }
    Ok(())
}

pub fn contact_view(out: &mut dyn Write, v: &ContactView, clock: &Clock) -> Result<()> {
    let c = &v.contact;
    writeln!(out, "#{} {}", c.id, printable(&c.name))?;
    let mut field = |k: &str, val: String| -> Result<()> {
        if !val.is_empty() {
            writeln!(out, "  {} {}", pad(k, 12), printable(&val))?;
        }
        Ok(())
    };
    field("company", c.company.clone().unwrap_or_default())?;
    field("owner", team_name(&c.owner))?;
    field("title", c.title.clone().unwrap_or_default())?;
    field("emails", c.emails.join(", "))?;
    field("phones", c.phones.join(", "))?;
    field("tags", c.tags.join(", "))?;
    field("source", c.source.clone().unwrap_or_default())?;
    field(
        "referred by",
        c.referred_by
            .as_ref()
            .map(|r| format!("#{} {}", r.id, r.name))
            .unwrap_or_default(),
    )?;
    field(
        "referred",
        v.referred
            .iter()
            .map(|r| format!("#{} {}", r.id, r.name))
            .collect::<Vec<_>>()
            .join(", "),
    )?;
    field("status", c.status.to_string())?;
    field(
        "temperature",
        c.temperature.map(|t| t.to_string()).unwrap_or_default(),
    )?;
    field(
        "cadence",
        c.cadence_days
            .map(|d| format!("every {}", crate::text::plural(d, "day")))
            .unwrap_or_default(),
    )?;
    field("last touch", ago(c.last_contacted_at, clock))?;
    field("linkedin", c.linkedin_url.clone().unwrap_or_default())?;
    if c.archived {
        field("archived", "yes".into())?;
    }
    if let Some(e) = &v.sequence {
        let retired = if e.retired { ", retired" } else { "" };
        field(
            "sequence",
            format!(
                "{} step {} of {}{retired}",
                e.sequence,
                e.step,
                e.steps.len()
            ),
        )?;
    }
    let open: Vec<&Deal> = v
        .deals
        .iter()
        .filter(|d| d.status == crate::domain::deal::DealStatus::Open)
        .collect();
    if !open.is_empty() {
        writeln!(out, "Open deals")?;
        for d in open {
            writeln!(
                out,
                "  #{:<5} {} {} {}",
                d.id,
                pad(&printable(&d.title), 30),
                pad(&d.stage, 12),
                money::format(d.value_cents, &d.currency)
            )?;
        }
    }
    if !v.follow_ups.is_empty() {
        writeln!(out, "Follow-ups")?;
        follow_up_lines(out, &v.follow_ups, clock, false)?;
    }
    reassigned_lines(out, &v.reassigned)?;
    note_lines(out, &v.notes)
}

/// An owner's or author's name where a team works the book; nothing on a personal book,
/// whose one user owns everything.
fn team_name(login: &str) -> String {
    crate::domain::team::team_login(login)
        .unwrap_or_default()
        .to_string()
}

/// Who gave the contact or deal to whom, oldest first.
fn reassigned_lines(out: &mut dyn Write, list: &[crate::domain::team::Reassignment]) -> Result<()> {
    if list.is_empty() {
        return Ok(());
    }
    writeln!(out, "Reassigned")?;
    for r in list {
        writeln!(
            out,
            "  {} {}",
            r.at.format("%Y-%m-%d %H:%M"),
            printable(&r.describe())
        )?;
    }
    Ok(())
}

/// The notes of a contact's or a deal's page, newest first, each body line indented.
fn note_lines(out: &mut dyn Write, notes: &[crate::domain::note::Note]) -> Result<()> {
    if notes.is_empty() {
        return Ok(());
    }
    writeln!(out, "Notes")?;
    for n in notes {
        let outcome = n.outcome.map(|o| format!(", {o}")).unwrap_or_default();
        let author = match team_name(&n.author) {
            a if a.is_empty() => String::new(),
            a => format!(" · {}", printable(&a)),
        };
        let private = if n.private { " · private" } else { "" };
        writeln!(
            out,
            "  {} {}{outcome}{author}{private}",
            n.created_at.format("%Y-%m-%d %H:%M"),
            n.kind
        )?;
        for line in n.body.lines() {
            writeln!(out, "    {}", printable(line))?;
        }
    }
    Ok(())
}

pub fn deal_view(
    out: &mut dyn Write,
    v: &crate::ops::deals::DealView,
    clock: &Clock,
) -> Result<()> {
    let d = &v.deal;
    writeln!(out, "#{} {}", d.id, printable(&d.title))?;
    let mut field = |k: &str, val: String| -> Result<()> {
        if !val.is_empty() {
            writeln!(out, "  {} {}", pad(k, 12), printable(&val))?;
        }
        Ok(())
    };
    let who = match &d.company {
        Some(c) => format!("#{} {} · {c}", d.contact_id, d.contact_name),
        None => format!("#{} {}", d.contact_id, d.contact_name),
    };
    field("contact", who)?;
    field("owner", team_name(&d.owner))?;
    field("value", money::format(d.value_cents, &d.currency))?;
    field("pipeline", d.pipeline.clone())?;
    field("stage", d.stage.clone())?;
    field("status", d.status.to_string())?;
    field("lost reason", d.lost_reason.clone().unwrap_or_default())?;
    field("close", d.expected_close.clone().unwrap_or_default())?;
    field("created", d.created_at.format("%Y-%m-%d").to_string())?;
    field(
        "closed",
        d.closed_at
            .map(|t| t.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
    )?;
    if !d.history.is_empty() {
        writeln!(out, "History")?;
        for h in &d.history {
            let what = match h.event {
                crate::domain::deal::DealEvent::Stage => format!("→ {}", h.stage),
                e => format!("{e} (in {})", h.stage),
            };
            let what = match team_name(&h.by) {
                by if by.is_empty() => what,
                by => format!("{what} · by {by}"),
            };
            writeln!(
                out,
                "  {} {}",
                h.at.format("%Y-%m-%d %H:%M"),
                printable(&what)
            )?;
        }
    }
    reassigned_lines(out, &v.reassigned)?;
    if !v.follow_ups.is_empty() {
        writeln!(out, "Follow-ups")?;
        follow_up_lines(out, &v.follow_ups, clock, true)?;
    }
    note_lines(out, &v.notes)
}

pub fn deals(out: &mut dyn Write, list: &[Deal]) -> Result<()> {
    if list.is_empty() {
        writeln!(
            out,
            "No deals. `salesdesk deal add --title T --contact C` adds one."
        )?;
        return Ok(());
    }
    writeln!(
        out,
        "{:<7} {} {} {} {:>16} CLOSE",
        "ID",
        pad("TITLE", 28),
        pad("CONTACT", 22),
        pad("STAGE", 12),
        "VALUE"
    )?;
    for d in list {
        let stage = match d.status {
            crate::domain::deal::DealStatus::Open => d.stage.clone(),
            s => s.to_string(),
        };
        let close = d.expected_close.clone().unwrap_or_default();
        writeln!(
            out,
            "{:<7} {} {} {} {:>16} {}",
            format!("#{}", d.id),
            pad(&printable(&d.title), 28),
            pad(&printable(&d.contact_name), 22),
            pad(&stage, 12),
            truncate(&money::format(d.value_cents, &d.currency), 16),
            close
        )?;
    }
    Ok(())
}

pub fn search(out: &mut dyn Write, hits: &[crate::domain::search::Hit]) -> Result<()> {
    for h in hits {
        let kind = match h.kind {
            crate::domain::search::HitKind::Contact => "contact",
            crate::domain::search::HitKind::Company => "company",
            crate::domain::search::HitKind::Deal => "deal",
            crate::domain::search::HitKind::Note => "note",
        };
        writeln!(
            out,
            "{} #{:<6} {}  {}",
            pad(kind, 8),
            h.id,
            printable(&h.title),
            printable(&h.snippet)
        )?;
    }
    Ok(())
}
