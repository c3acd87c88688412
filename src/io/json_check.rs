//! A JSON book is checked whole before a row of it is written, as the CLI checks what it is
//! typed: a follow-up whose `every` is `banana` once made `done` fail on it forever. Each
//! error names the record by its JSON path (`$.follow_ups[3]`) and id.

use chrono::{DateTime, Datelike, NaiveDate};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::config::Config;
use crate::domain::fields::{check_line, check_lines};
use crate::error::{Error, Result};
use crate::io::json::Book;
use crate::when::Interval;

/// The largest deal value a file may carry: the one bound every way in shares.
use crate::domain::money::MAX_CENTS as MAX_VALUE_CENTS;

/// The longest cadence or repeat a file may carry: a hundred years.
const MAX_DAYS: u32 = 36_525;

/// Reads the book record by record, so a record serde refuses (`"kind": "banana"`) is named
/// by its path.
pub fn from_value(mut v: Value, name: &str) -> Result<Book> {
    let mut lists = serde_json::Map::new();
    if let Value::Object(top) = &mut v {
        for key in [
            "companies",
            "contacts",
            "deals",
            "follow_ups",
            "notes",
            "sequence_enrollments",
        ] {
            if let Some(list) = top.remove(key) {
                lists.insert(key.to_string(), list);
            }
        }
    }
    let mut book: Book = serde_json::from_value(v).map_err(|e| {
        Error::input(format!(
            "{name} is not a salesdesk JSON export: {e}; make one with `salesdesk export --format json`"
        ))
    })?;
    book.companies = records(&mut lists, "companies", name)?;
    book.contacts = records(&mut lists, "contacts", name)?;
    book.deals = records(&mut lists, "deals", name)?;
    book.follow_ups = records(&mut lists, "follow_ups", name)?;
    book.notes = records(&mut lists, "notes", name)?;
    book.sequence_enrollments = records(&mut lists, "sequence_enrollments", name)?;
    Ok(book)
}

fn records<T: DeserializeOwned>(
    lists: &mut serde_json::Map<String, Value>,
    key: &str,
    name: &str,
) -> Result<Vec<T>> {
    let list = match lists.remove(key) {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(a)) => a,
        Some(_) => return Err(Error::input(format!("{name}: $.{key} is not a list"))),
    };
    list.into_iter()
        .enumerate()
        .map(|(i, r)| {
            let id = r.get("id").and_then(Value::as_i64);
            serde_json::from_value(r).map_err(|e| bad(name, key, i, id, &e.to_string()))
        })
        .collect()
}

fn bad(name: &str, key: &str, i: usize, id: Option<i64>, why: &str) -> Error {
    let id = id.map(|id| format!(" (id {id})")).unwrap_or_default();
    Error::input(format!(
        "{name}: $.{key}[{i}]{id}: {why}; nothing was imported"
    ))
}

fn time(field: &str, s: &str) -> std::result::Result<(), String> {
    match DateTime::parse_from_rfc3339(s) {
        Ok(t) if (1..=9999).contains(&t.year()) => Ok(()),
        _ => Err(format!(
            "{field} {s:?} is not an RFC 3339 time between years 1 and 9999"
        )),
    }
}

fn opt_time(field: &str, s: &Option<String>) -> std::result::Result<(), String> {
    s.as_deref().map_or(Ok(()), |s| time(field, s))
}

fn date(field: &str, s: &str) -> std::result::Result<(), String> {
    match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(d) if (1..=9999).contains(&d.year()) && s.len() == 10 => Ok(()),
        _ => Err(format!("{field} {s:?} is not a date like 2026-12-01")),
    }
}

fn version(v: i64) -> std::result::Result<(), String> {
    if v >= 1 {
        Ok(())
    } else {
        Err(format!("version {v} is not 1 or more"))
    }
}

fn id(v: i64) -> std::result::Result<(), String> {
    if v >= 1 {
        Ok(())
    } else {
        Err(format!("id {v} is not 1 or more"))
    }
}

/// A one-line field that must be given: not blank, not past the bound of domain::fields.
fn named(field: &str, s: &str) -> std::result::Result<(), String> {
    if s.trim().is_empty() {
        Err(format!("{field} is empty"))
    } else {
        check_line(field, s)
    }
}

/// Every field of every record, as the CLI would take it.
pub fn check(book: &Book, config: &Config, name: &str) -> Result<()> {
    for (i, c) in book.companies.iter().enumerate() {
        (|| {
            id(c.id)?;
            named("name", &c.name)?;
            time("created_at", &c.created_at)?;
            time("updated_at", &c.updated_at)?;
            version(c.version)
        })()
        .map_err(|e| bad(name, "companies", i, Some(c.id), &e))?;
    }
    let contact_ids: std::collections::HashSet<i64> = book.contacts.iter().map(|c| c.id).collect();
    for (i, c) in book.contacts.iter().enumerate() {
        (|| {
            id(c.id)?;
            named("name", &c.name)?;
            if let Some(r) = &c.referred_by
                && (r.id == c.id || !contact_ids.contains(&r.id))
            {
                return Err(format!(
                    "referred_by {} is not another contact of the file",
                    r.id
                ));
            }
            for (field, v) in [("title", &c.title), ("source", &c.source)] {
                v.as_deref().map_or(Ok(()), |v| check_line(field, v))?;
            }
            check_lines("a tag", &c.tags)?;
            check_lines("an email", &c.emails)?;
            check_lines("a phone", &c.phones)?;
            for e in &c.emails {
                if !crate::storage::contacts::looks_like_email(e) {
                    return Err(format!("email {e:?} is not an email address"));
                }
            }
            for p in &c.phones {
                if crate::text::phone_digits(p).len() < 3 {
                    return Err(format!("phone {p:?} is not a phone number"));
                }
            }
            if let Some(d) = c.cadence_days
                && !(1..=i64::from(MAX_DAYS)).contains(&d)
            {
                return Err(format!("cadence_days {d} is not between 1 and {MAX_DAYS}"));
            }
            opt_time("last_contacted_at", &c.last_contacted_at)?;
            time("created_at", &c.created_at)?;
            time("updated_at", &c.updated_at)?;
            version(c.version)
        })()
        .map_err(|e| bad(name, "contacts", i, Some(c.id), &e))?;
    }
    let first = config.first_pipeline();
    for (i, d) in book.deals.iter().enumerate() {
        (|| {
            id(d.id)?;
            named("title", &d.title)?;
            let pipeline = d.pipeline.as_deref().unwrap_or(&first);
            named("pipeline", pipeline)?;
            if !(0..=MAX_VALUE_CENTS).contains(&d.value_cents) {
                return Err(format!(
                    "value_cents {} is not a value salesdesk keeps: 0 to {MAX_VALUE_CENTS}",
                    d.value_cents
                ));
            }
            if d.currency.len() != 3 || !d.currency.chars().all(|c| c.is_ascii_uppercase()) {
                return Err(format!(
                    "currency {:?} is not a three-letter code like USD",
                    d.currency
                ));
            }
            named("stage", &d.stage)?;
            // A deal of a pipeline the config does not name comes in under Unfiled.
            if !config.is_unfiled(pipeline)
                && config.stage_index_in(pipeline, &d.stage).is_none()
            {
                return Err(format!(
                    "stage {:?} is not in the pipeline {} (config.toml); add it there to import this file",
                    d.stage, pipeline
                ));
            }
            if let Some(c) = &d.expected_close {
                date("expected_close", c)?;
            }
            opt_time("closed_at", &d.closed_at)?;
            time("stage_entered_at", &d.stage_entered_at)?;
            time("created_at", &d.created_at)?;
            time("updated_at", &d.updated_at)?;
            for h in &d.history {
                named("a history entry's stage", &h.stage)?;
                time("a history entry's at", &h.at)?;
                version(h.version)?;
            }
            version(d.version)
        })()
        .map_err(|e| bad(name, "deals", i, Some(d.id), &e))?;
    }
    for (i, f) in book.follow_ups.iter().enumerate() {
        (|| {
            id(f.id)?;
            if f.all_day {
                date("due_at", &f.due_at)?;
            } else {
                time("due_at", &f.due_at)?;
            }
            if let Some(e) = &f.every {
                match Interval::parse(e) {
                    Ok(iv) if iv.approx_days() <= MAX_DAYS => {}
                    _ => {
                        return Err(format!(
                            "every {e:?} is not an interval of up to {MAX_DAYS} days (2w, 30d, monthly)"
                        ));
                    }
                }
            }
            if !matches!(
                f.status.as_str(),
                "overdue" | "today" | "upcoming" | "open" | "done" | "cancelled"
            ) {
                return Err(format!(
                    "status {:?} is not one of overdue, today, upcoming, done, cancelled",
                    f.status
                ));
            }
            opt_time("done_at", &f.done_at)?;
            time("created_at", &f.created_at)?;
            time("updated_at", &f.updated_at)?;
            version(f.version)
        })()
        .map_err(|e| bad(name, "follow_ups", i, Some(f.id), &e))?;
    }
    for (i, n) in book.notes.iter().enumerate() {
        (|| {
            id(n.id)?;
            time("created_at", &n.created_at)?;
            time("updated_at", &n.updated_at)?;
            version(n.version)
        })()
        .map_err(|e| bad(name, "notes", i, Some(n.id), &e))?;
    }
    let enrolments: std::collections::HashSet<i64> =
        book.sequence_enrollments.iter().map(|e| e.id).collect();
    for (i, f) in book.follow_ups.iter().enumerate() {
        if let Some(s) = &f.sequence
            && !enrolments.contains(&s.enrollment_id)
        {
            let why = format!(
                "its sequence step names enrolment {}, which the file lacks",
                s.enrollment_id
            );
            return Err(bad(name, "follow_ups", i, Some(f.id), &why));
        }
    }
    for (i, e) in book.sequence_enrollments.iter().enumerate() {
        (|| {
            id(e.id)?;
            named("name", &e.name)?;
            if e.steps.is_empty() || e.step < 1 || e.step as usize > e.steps.len() {
                return Err(format!(
                    "step {} is not one of its {} steps",
                    e.step,
                    e.steps.len()
                ));
            }
            time("started_at", &e.started_at)?;
            opt_time("ended_at", &e.ended_at)?;
            time("updated_at", &e.updated_at)?;
            version(e.version)
        })()
        .map_err(|err| bad(name, "sequence_enrollments", i, Some(e.id), &err))?;
    }
    for (tbl, seq) in &book.sequences {
        if *seq < 0 {
            return Err(Error::input(format!(
                "{name}: $.sequences.{tbl} {seq} is below 0; nothing was imported"
            )));
        }
    }
    Ok(())
}
