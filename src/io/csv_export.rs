//! CSV out: one kind a file, a header row, every cell guarded against spreadsheet formulas.

use std::io::Write;

use crate::clock::Clock;
use crate::domain::book::{Contact, Deal, FollowUp, Note};
use crate::error::{Error, Result};
use crate::io::guard_cell;
use crate::storage::Snapshot;
use crate::storage::export::{self, History, NextDue};

/// The kinds a CSV export can hold, one file each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Contacts,
    Deals,
    FollowUps,
    Notes,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Contacts, Kind::Deals, Kind::FollowUps, Kind::Notes];

    pub fn file_name(self) -> &'static str {
        match self {
            Kind::Contacts => "contacts.csv",
            Kind::Deals => "deals.csv",
            Kind::FollowUps => "follow-ups.csv",
            Kind::Notes => "notes.csv",
        }
    }

    fn header(self) -> &'static [&'static str] {
        match self {
            Kind::Contacts => CONTACTS,
            Kind::Deals => DEALS,
            Kind::FollowUps => FOLLOW_UPS,
            Kind::Notes => NOTES,
        }
    }
}

fn csv_err(e: csv::Error) -> Error {
    match e.into_kind() {
        // A full disk is said as one, by the caller with the file's name.
        csv::ErrorKind::Io(io) => Error::from(io),
        other => Error::env(format!("cannot write the CSV: {other:?}")),
    }
}

const CONTACTS: &[&str] = &[
    "id",
    "name",
    "company",
    "title",
    "emails",
    "phones",
    "tags",
    "source",
    "status",
    "temperature",
    "cadence_days",
    "archived",
    "linkedin_url",
    "connected_on",
    "last_contacted_at",
    "created_at",
    "updated_at",
    "referred_by",
    "referred_by_id",
];
const DEALS: &[&str] = &[
    "id",
    "title",
    "contact_id",
    "contact_name",
    "company",
    "value",
    "value_cents",
    "currency",
    "stage",
    "status",
    "lost_reason",
    "expected_close",
    "created_at",
    "closed_at",
    "stage_entered_at",
    "pipeline",
];
const FOLLOW_UPS: &[&str] = &[
    "id",
    "contact_id",
    "contact_name",
    "company",
    "deal_id",
    "kind",
    "text",
    "due_at",
    "all_day",
    "every",
    "status",
    "done_at",
];
const NOTES: &[&str] = &[
    "id",
    "contact_id",
    "contact_name",
    "deal_id",
    "kind",
    "outcome",
    "body",
    "created_at",
];

fn opt(s: Option<&str>) -> String {
    s.unwrap_or_default().to_string()
}

fn opt_int(v: Option<i64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.into()
}

/// Cents as a decimal amount: `-1234` is `-12.34`.
fn amount(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

fn contact_cells(c: Contact) -> Vec<String> {
    vec![
        c.id.to_string(),
        c.name,
        opt(c.company.as_deref()),
        opt(c.title.as_deref()),
        c.emails.join("; "),
        c.phones.join("; "),
        c.tags.join("; "),
        opt(c.source.as_deref()),
        c.status.as_str().into(),
        opt(c.temperature.map(|t| t.as_str())),
        opt_int(c.cadence_days),
        yes_no(c.archived),
        opt(c.linkedin_url.as_deref()),
        opt(c.connected_on.as_deref()),
        opt(c.last_contacted_at.as_deref()),
        c.created_at,
        c.updated_at,
        opt(c.referred_by.as_ref().map(|r| r.name.as_str())),
        opt_int(c.referred_by.as_ref().map(|r| r.id)),
    ]
}

fn deal_cells(d: Deal) -> Vec<String> {
    vec![
        d.id.to_string(),
        d.title,
        d.contact_id.to_string(),
        opt(d.contact_name.as_deref()),
        opt(d.company.as_deref()),
        amount(d.value_cents),
        d.value_cents.to_string(),
        d.currency,
        d.stage,
        d.status.as_str().into(),
        opt(d.lost_reason.as_deref()),
        opt(d.expected_close.as_deref()),
        d.created_at,
        opt(d.closed_at.as_deref()),
        d.stage_entered_at,
        d.pipeline.unwrap_or_default(),
    ]
}

fn follow_up_cells(f: FollowUp) -> Vec<String> {
    vec![
        f.id.to_string(),
        f.contact_id.to_string(),
        opt(f.contact_name.as_deref()),
        opt(f.company.as_deref()),
        opt_int(f.deal_id),
        f.kind.as_str().into(),
        f.text,
        f.due_at,
        yes_no(f.all_day),
        opt(f.every.as_deref()),
        f.status,
        opt(f.done_at.as_deref()),
    ]
}

fn note_cells((n, contact_name): (Note, String)) -> Vec<String> {
    vec![
        n.id.to_string(),
        n.contact_id.to_string(),
        contact_name,
        opt_int(n.deal_id),
        n.kind.as_str().into(),
        opt(n.outcome.map(|o| o.as_str())),
        n.body,
        n.created_at,
    ]
}

/// Writes one kind as CSV; returns the number of rows.
pub fn write(conn: &Snapshot, kind: Kind, clock: &Clock, out: &mut dyn Write) -> Result<u64> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(kind.header()).map_err(csv_err)?;
    let mut n = 0u64;
    let mut row = |cells: Vec<String>| -> Result<()> {
        w.write_record(cells.iter().map(|c| guard_cell(c).into_owned()))
            .map_err(csv_err)?;
        n += 1;
        Ok(())
    };
    match kind {
        Kind::Contacts => export::for_each_contact(conn, NextDue::Skip, |c| row(contact_cells(c)))?,
        Kind::Deals => export::for_each_deal(conn, History::Skip, |d| row(deal_cells(d)))?,
        Kind::FollowUps => {
            export::for_each_follow_up(conn, clock.today(), |f| row(follow_up_cells(f)))?
        }
        Kind::Notes => export::for_each_note_with_contact(conn, |x| row(note_cells(x)))?,
    }
    w.flush()?;
    Ok(n)
}
