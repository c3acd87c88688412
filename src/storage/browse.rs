//! Reading for the TUI's tables: the contact index in a chosen order (ids, names and the few
//! fields the filter matches, so 200,000 of them fit in memory), the rows on screen by id, and companies.

use crate::storage::sql;
use crate::storage::sql::{OptionalExtension, params};

use crate::domain::contact::Contact;
use crate::error::{Error, Result};
use crate::storage::Snapshot;
use crate::storage::contacts;

use crate::domain::company::{Company, CompanyRow};
use crate::domain::contact::{IndexRow, SortBy};

/// The ORDER BY of a column, ascending; every order ends on the name, then the id.
fn order(by: SortBy) -> &'static str {
    match by {
        SortBy::Name => "name_key",
        SortBy::Company => "company_key IS NULL, company_key, name_key",
        SortBy::Status => {
            "CASE status WHEN 'lead' THEN 0 WHEN 'prospect' THEN 1 WHEN 'customer' THEN 2 ELSE 3 END, name_key"
        }
        SortBy::Temperature => {
            "CASE temperature WHEN 'hot' THEN 0 WHEN 'warm' THEN 1 WHEN 'cold' THEN 2 ELSE 3 END, name_key"
        }
        // Most recent first; never contacted, the oldest of all, last.
        SortBy::LastContact => "last_contacted_at IS NULL, last_contacted_at DESC, name_key",
        SortBy::NextFollowUp => "nf IS NULL, nf, name_key",
    }
}

/// Every contact (live, or archived too), in the order of `sort`, with what the filter
/// matches besides the name.
pub fn index(
    conn: &Snapshot,
    archived_too: bool,
    sort: SortBy,
    desc: bool,
) -> Result<Vec<IndexRow>> {
    let nf = if sort == SortBy::NextFollowUp {
        "(SELECT min(f.due_date) FROM follow_ups f WHERE f.contact_id = c.id AND f.status = 'open')"
    } else {
        "NULL"
    };
    let mut order = order(sort).to_string();
    if desc {
        // Reverse the first key only, so blanks stay last and ties keep the name order.
        order = match sort {
            SortBy::Name => "name_key DESC".into(),
            // Never contacted is the oldest contact of all: first when the oldest come first.
            SortBy::LastContact => {
                "last_contacted_at IS NOT NULL, last_contacted_at, name_key".into()
            }
            SortBy::NextFollowUp => "nf IS NULL, nf DESC, name_key".into(),
            SortBy::Company => "company_key IS NULL, company_key DESC, name_key".into(),
            _ => order.replacen(" END,", " END DESC,", 1),
        };
    }
    // A derived table, so the order can use the next follow-up's column by name (PostgreSQL
    // takes an output column's name in ORDER BY only alone, not in an expression); SQLite
    // flattens it into the same plan.
    let sql = format!(
        "SELECT id, name, nf, company, emails, phones, tags, status, temperature, owner FROM (
           SELECT c.id, c.name, {nf} AS nf, co.name AS company, c.emails, c.phones, c.tags,
             c.status, c.temperature, c.owner, c.name_key, co.name_key AS company_key, c.last_contacted_at
           FROM contacts c LEFT JOIN companies co ON co.id = c.company_id
           WHERE c.archived IN (0, ?1)) t
         ORDER BY {order}, id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([i64::from(archived_too)], |r| {
        Ok(IndexRow {
            id: r.get(0)?,
            name: r.get(1)?,
            company: r.get(3)?,
            emails: contacts::json_list(r.get(4)?),
            phones: contacts::json_list(r.get(5)?),
            tags: contacts::json_list(r.get(6)?),
            status: r.get(7)?,
            temperature: r.get(8)?,
            owner: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<sql::Result<_>>()?)
}

/// The contacts with these ids, in the order given (missing ones left out).
pub fn contacts_by_id(conn: &Snapshot, ids: &[i64]) -> Result<Vec<Contact>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks = (1..=ids.len())
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(",");
    let sql = format!("{} WHERE c.id IN ({marks})", contacts::SELECT);
    let mut stmt = conn.prepare(&sql)?;
    let mut found: Vec<Contact> = stmt
        .query_map(sql::params_from_iter(ids.iter()), contacts::from_row)?
        .collect::<sql::Result<_>>()?;
    found.sort_by_key(|c| ids.iter().position(|i| *i == c.id));
    Ok(found)
}

pub fn company(conn: &Snapshot, id: i64) -> Result<Company> {
    conn.prepare_cached("SELECT id, name FROM companies WHERE id = ?1")?
        .query_row([id], |r| {
            Ok(Company {
                id: r.get(0)?,
                name: r.get(1)?,
            })
        })
        .optional()?
        .ok_or_else(|| Error::input(format!("no company #{id}")))
}

/// The people of a company, archived ones too, by name.
pub fn company_contacts(conn: &Snapshot, company_id: i64) -> Result<Vec<Contact>> {
    let sql = format!(
        "{} WHERE c.company_id = ?1 ORDER BY c.name_key, c.id",
        contacts::SELECT
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![company_id], contacts::from_row)?;
    Ok(rows.collect::<sql::Result<_>>()?)
}

/// Ids of the notes of everyone at a company, newest first.
pub fn company_note_ids(conn: &Snapshot, company_id: i64, limit: usize) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT n.id FROM notes n JOIN contacts c ON c.id = n.contact_id WHERE c.company_id = ?1
         ORDER BY n.created_at DESC, n.id DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![company_id, limit as i64], |r| r.get(0))?;
    Ok(rows.collect::<sql::Result<_>>()?)
}

/// Every company by name, with its people and open deals counted (index lookups per
/// company: `contacts_company`, `deals_contact`).
pub fn companies(conn: &Snapshot) -> Result<Vec<CompanyRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT co.id, co.name,
           (SELECT count(*) FROM contacts c WHERE c.company_id = co.id AND c.archived = 0),
           (SELECT count(*) FROM contacts c JOIN deals d ON d.contact_id = c.id AND d.status = 'open'
            WHERE c.company_id = co.id)
         FROM companies co ORDER BY co.name_key, co.id",
    )?;
    let rows = stmt.query_map((), |r| {
        Ok(CompanyRow {
            id: r.get(0)?,
            name: r.get(1)?,
            people: r.get(2)?,
            open_deals: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<sql::Result<_>>()?)
}
