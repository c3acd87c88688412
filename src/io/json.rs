//! The whole book as JSON, lossless: every row with its id, version and times, deals with
//! their history. `import --format json` into an empty book gives the same book back.
//!
//! Field names follow docs/MANUAL.md's JSON shapes (times in RFC 3339 with the local offset), with
//! the extra fields a restore needs (`company_id`, `updated_at`, history entries' ids...).

use crate::clock::Clock;
pub use crate::domain::book::{Book, Company, Contact, Deal, FollowUp, HistoryEntry, Note};
use crate::error::{Error, Result};
use crate::storage::export::{self, History, NextDue};
use crate::storage::restore::SEQUENCED;
use crate::storage::{Importing, Snapshot};

pub const FORMAT: &str = "salesdesk-book";
pub const VERSION: u32 = 1;

/// Reads the whole book.
pub fn read_book(conn: &Snapshot, clock: &Clock) -> Result<Book> {
    let mut sequences = export::sequences(conn)?;
    sequences.retain(|k, _| SEQUENCED.contains(&k.as_str()));
    Ok(Book {
        format: FORMAT.into(),
        version: VERSION,
        exported_at: Some(
            clock
                .now()
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        ),
        companies: export::companies(conn)?,
        contacts: collect(|f| export::for_each_contact(conn, NextDue::Read, f))?,
        deals: collect(|f| export::for_each_deal(conn, History::Read, f))?,
        follow_ups: collect(|f| export::for_each_follow_up(conn, clock.today(), f))?,
        notes: collect(|f| export::for_each_note(conn, f))?,
        sequence_enrollments: export::sequence_enrollments(conn)?,
        sequences,
    })
}

/// The rows a storage reader hands out one at a time, as a list.
fn collect<T>(read: impl FnOnce(&mut dyn FnMut(T) -> Result<()>) -> Result<()>) -> Result<Vec<T>> {
    let mut out = Vec::new();
    read(&mut |row| {
        out.push(row);
        Ok(())
    })?;
    Ok(out)
}

/// A time from the file as the book stores it (UTC), or an input error naming the field.
pub use crate::storage::restore::Restored;

/// Parses an export, refusing anything that is not one.
pub fn parse(text: &str, name: &str) -> Result<Book> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        Error::input(format!(
            "{name} is not a salesdesk JSON export: {e}; make one with `salesdesk export --format json`"
        ))
    })?;
    // Its format first: a file that is no export is said to be none, not picked apart.
    let format = value.get("format").and_then(serde_json::Value::as_str);
    if format.is_some_and(|f| f != FORMAT) {
        return Err(Error::input(format!(
            "{name} is not a salesdesk JSON export (format {:?}, expected {FORMAT:?})",
            format.unwrap_or_default()
        )));
    }
    let book = super::json_check::from_value(value, name)?;
    if book.format != FORMAT {
        return Err(Error::input(format!(
            "{name} is not a salesdesk JSON export (format {:?}, expected {FORMAT:?})",
            book.format
        )));
    }
    if book.version > VERSION {
        return Err(Error::input(format!(
            "{name} was written by a newer salesdesk (export version {}); upgrade salesdesk to import it",
            book.version
        )));
    }
    Ok(book)
}

/// Writes every row of the book with its id. The caller checks the book is empty.
pub fn restore(imp: &mut Importing<'_>, book: &Book) -> Result<Restored> {
    crate::storage::restore::book(imp, book)
}
