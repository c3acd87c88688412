//! CSV out: one kind a file, a header row, every cell guarded against spreadsheet formulas.

use std::io::Write;

use rusqlite::Connection;

use crate::clock::{Clock, to_local_rfc3339};
use crate::error::{Error, Result};
use crate::io::guard_cell;

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
}

fn csv_err(e: csv::Error) -> Error {
    match e.into_kind() {
        // A full disk is said as one, by the caller with the file's name.
        csv::ErrorKind::Io(io) => Error::from(io),
        other => Error::env(format!("cannot write the CSV: {other:?}")),
    }
}

fn json_list(s: Option<String>) -> String {
    let v: Vec<String> = s
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default();
    v.join("; ")
}

fn opt_local(s: Option<String>) -> String {
    s.map(|s| to_local_rfc3339(&s)).unwrap_or_default()
}

/// Writes one kind as CSV; returns the number of rows.
pub fn write(conn: &Connection, kind: Kind, clock: &Clock, out: &mut dyn Write) -> Result<u64> {
    let mut w = csv::Writer::from_writer(out);
    let (header, sql): (&[&str], &str) = match kind {
        Kind::Contacts => (
            &[
                "id", "name", "company", "title", "emails", "phones", "tags", "source", "status",
                "temperature", "cadence_days", "archived", "linkedin_url", "connected_on",
                "last_contacted_at", "created_at", "updated_at",
            ],
            "SELECT c.id, c.name, co.name, c.title, c.emails, c.phones, c.tags, c.source, c.status,
                c.temperature, c.cadence_days, c.archived, c.linkedin_url, c.connected_on,
                c.last_contacted_at, c.created_at, c.updated_at
             FROM contacts c LEFT JOIN companies co ON co.id = c.company_id ORDER BY c.id",
        ),
        Kind::Deals => (
            &[
                "id", "title", "contact_id", "contact_name", "company", "value", "value_cents",
                "currency", "stage", "status", "lost_reason", "expected_close", "created_at",
                "closed_at", "stage_entered_at",
            ],
            "SELECT d.id, d.title, d.contact_id, c.name, co.name, d.value_cents, d.currency, d.stage,
                d.status, d.lost_reason, d.expected_close, d.created_at, d.closed_at, d.stage_entered_at
             FROM deals d JOIN contacts c ON c.id = d.contact_id
             LEFT JOIN companies co ON co.id = c.company_id ORDER BY d.id",
        ),
        Kind::FollowUps => (
            &[
                "id", "contact_id", "contact_name", "company", "deal_id", "kind", "text", "due_at",
                "all_day", "every", "status", "done_at",
            ],
            "SELECT f.id, f.contact_id, c.name, co.name, f.deal_id, f.kind, f.text, f.due_date,
                f.due_at, f.every, f.status, f.done_at
             FROM follow_ups f JOIN contacts c ON c.id = f.contact_id
             LEFT JOIN companies co ON co.id = c.company_id ORDER BY f.id",
        ),
        Kind::Notes => (
            &[
                "id", "contact_id", "contact_name", "deal_id", "kind", "outcome", "body",
                "created_at",
            ],
            "SELECT n.id, n.contact_id, c.name, n.deal_id, n.kind, n.outcome, n.body, n.created_at
             FROM notes n JOIN contacts c ON c.id = n.contact_id ORDER BY n.id",
        ),
    };
    w.write_record(header).map_err(csv_err)?;
    let today = clock.today();
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query([])?;
    let mut n = 0u64;
    let mut cells: Vec<String> = Vec::with_capacity(header.len());
    while let Some(r) = rows.next()? {
        cells.clear();
        let s = |i: usize| -> rusqlite::Result<String> {
            Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default())
        };
        let int = |i: usize| -> rusqlite::Result<String> {
            Ok(r.get::<_, Option<i64>>(i)?
                .map(|v| v.to_string())
                .unwrap_or_default())
        };
        match kind {
            Kind::Contacts => {
                cells.push(int(0)?);
                cells.push(s(1)?);
                cells.push(s(2)?);
                cells.push(s(3)?);
                cells.push(json_list(r.get(4)?));
                cells.push(json_list(r.get(5)?));
                cells.push(json_list(r.get(6)?));
                cells.push(s(7)?);
                cells.push(s(8)?);
                cells.push(s(9)?);
                cells.push(int(10)?);
                cells.push(
                    if r.get::<_, i64>(11)? != 0 {
                        "yes"
                    } else {
                        "no"
                    }
                    .into(),
                );
                cells.push(s(12)?);
                cells.push(s(13)?);
                cells.push(opt_local(r.get(14)?));
                cells.push(opt_local(r.get(15)?));
                cells.push(opt_local(r.get(16)?));
            }
            Kind::Deals => {
                let cents: i64 = r.get(5)?;
                cells.push(int(0)?);
                cells.push(s(1)?);
                cells.push(int(2)?);
                cells.push(s(3)?);
                cells.push(s(4)?);
                let sign = if cents < 0 { "-" } else { "" };
                let abs = cents.unsigned_abs();
                cells.push(format!("{sign}{}.{:02}", abs / 100, abs % 100));
                cells.push(cents.to_string());
                cells.push(s(6)?);
                cells.push(s(7)?);
                cells.push(s(8)?);
                cells.push(s(9)?);
                cells.push(s(10)?);
                cells.push(opt_local(r.get(11)?));
                cells.push(opt_local(r.get(12)?));
                cells.push(opt_local(r.get(13)?));
            }
            Kind::FollowUps => {
                let due_date = s(7)?;
                let due_at: Option<String> = r.get(8)?;
                let status: crate::domain::follow_up::FollowUpStatus = r.get(10)?;
                let date =
                    chrono::NaiveDate::parse_from_str(&due_date, "%Y-%m-%d").unwrap_or_default();
                cells.push(int(0)?);
                cells.push(int(1)?);
                cells.push(s(2)?);
                cells.push(s(3)?);
                cells.push(int(4)?);
                cells.push(s(5)?);
                cells.push(s(6)?);
                cells.push(match &due_at {
                    Some(t) => to_local_rfc3339(t),
                    None => due_date,
                });
                cells.push(if due_at.is_none() { "yes" } else { "no" }.into());
                cells.push(s(9)?);
                cells.push(crate::domain::follow_up::due_state(status, date, today).to_string());
                cells.push(opt_local(r.get(11)?));
            }
            Kind::Notes => {
                cells.push(int(0)?);
                cells.push(int(1)?);
                cells.push(s(2)?);
                cells.push(int(3)?);
                cells.push(s(4)?);
                cells.push(s(5)?);
                cells.push(s(6)?);
                cells.push(opt_local(r.get(7)?));
            }
        }
        w.write_record(cells.iter().map(|c| guard_cell(c).into_owned()))
            .map_err(csv_err)?;
        n += 1;
    }
    w.flush()?;
    Ok(n)
}
