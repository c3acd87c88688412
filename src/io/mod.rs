//! Import and export: CSV, vCard, JSON and iCalendar.
//!
//! Importers turn a file into a stream of [`Row`]s (a line number and a contact record, or the
//! reason the row is invalid); [`import_rows`] writes them in one transaction, finding
//! duplicates through the indexed `contact_keys`. Exporters read the book and write a file.
//! Import and export speak SQL of their own (prepared once, reused for every row): a
//! 100,000-row file must not prepare 100,000 statements.

pub mod csv_export;
pub mod csv_import;
pub mod decode;
pub mod ics;
pub mod json;
mod out_file;
pub use out_file::OutFile;
mod merge;
pub mod progress;
pub mod read_ahead;
pub mod vcard;

use std::fmt;
use std::path::Path;

use crate::domain::contact::{Status, Temperature};
use crate::error::{Error, Result};
use crate::ops::Desk;
use crate::storage::Change;
use crate::storage::bulk::BulkLoad;

pub use merge::OnDuplicate;

/// The formats `import` and `export` know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
    Vcf,
    Ics,
}

impl Format {
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" | "tsv" | "txt" => Some(Format::Csv),
            "json" => Some(Format::Json),
            "vcf" | "vcard" => Some(Format::Vcf),
            "ics" | "ical" => Some(Format::Ics),
            _ => None,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Vcf => "vcf",
            Format::Ics => "ics",
        })
    }
}

/// One contact as a file describes it, before it meets the book.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContactRecord {
    pub name: String,
    pub company: Option<String>,
    pub title: Option<String>,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub tags: Vec<String>,
    pub source: Option<String>,
    pub status: Option<Status>,
    pub temperature: Option<Temperature>,
    pub cadence_days: Option<i64>,
    pub linkedin_url: Option<String>,
    pub connected_on: Option<String>,
    /// Each becomes a note on the contact, kind `note`, dated at the import.
    pub notes: Vec<String>,
}

impl ContactRecord {
    /// Fills the name when the file gave none, then checks what the book would refuse.
    pub fn finish(mut self) -> std::result::Result<ContactRecord, String> {
        self.emails = dedup(self.emails, |s| s.to_lowercase());
        self.phones = dedup(self.phones, merge::phone_key);
        self.tags = dedup(self.tags, |s| s.to_lowercase());
        for n in &mut self.notes {
            *n = n.replace("\r\n", "\n").replace('\r', "\n");
        }
        if self.name.trim().is_empty() {
            match self.emails.first() {
                Some(e) => self.name = e.clone(),
                None => return Err("no name and no email".into()),
            }
        }
        for e in &self.emails {
            if !crate::storage::contacts::looks_like_email(e) {
                return Err(format!("{e:?} is not an email address"));
            }
        }
        for p in &self.phones {
            if crate::text::phone_digits(p).len() < 3 {
                return Err(format!("{p:?} is not a phone number"));
            }
        }
        Ok(self)
    }
}

fn dedup(v: Vec<String>, key: impl Fn(&str) -> String) -> Vec<String> {
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for s in v {
        let s = s.trim().to_string();
        if s.is_empty() {
            continue;
        }
        let k = key(&s);
        if !seen.contains(&k) {
            seen.push(k);
            out.push(s);
        }
    }
    out
}

/// A row of the file: where it starts, and the contact or why it is invalid.
#[derive(Debug)]
pub struct Row {
    pub line: u64,
    pub record: std::result::Result<ContactRecord, String>,
}

#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub dry_run: bool,
    pub skip_invalid: bool,
    pub on_duplicate: OnDuplicate,
    /// What undo will name the barrier: "import of contacts.csv".
    pub label: String,
}

/// What an import did (or, for a dry run or a refused file, would have done).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub imported: u64,
    pub merged: u64,
    pub skipped: u64,
    pub invalid: u64,
    pub notes_added: u64,
    /// `line N: reason`, the first [`MAX_ERRORS`] of them.
    pub errors: Vec<String>,
    /// Whether anything was written.
    pub committed: bool,
}

/// Invalid rows listed one by one; past this, only counted.
pub const MAX_ERRORS: usize = 1000;

impl ImportReport {
    /// The summary line of SPEC.md.
    pub fn summary(&self) -> String {
        format!(
            "imported {}, merged {}, skipped {} duplicates, invalid {}",
            self.imported, self.merged, self.skipped, self.invalid
        )
    }

    fn invalid_row(&mut self, line: u64, reason: &str) {
        self.invalid += 1;
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(format!("line {line}: {reason}"));
        }
    }
}

/// The page cache during an import, in KiB as `PRAGMA cache_size` takes it (negative).
const IMPORT_CACHE_KIB: i64 = -16_384;

const ROLLBACK: &str = "\u{0}salesdesk import rollback";

/// Writes the rows in one transaction, an undo barrier. Without `skip_invalid`, one invalid
/// row means nothing is written; a dry run writes nothing either way. `tick` is called with
/// the number of rows read so far, for a progress line.
pub fn import_rows(
    desk: &mut Desk,
    rows: &mut dyn Iterator<Item = Result<Row>>,
    opts: &ImportOptions,
    tick: &mut dyn FnMut(u64),
) -> Result<ImportReport> {
    let clock = desk.clock;
    let mut out: Option<ImportReport> = None;
    // One transaction for the whole file: with SQLite's default 2 MiB page cache, the pages
    // it dirties spill to the WAL and are read back again and again. A bigger (but fixed)
    // cache for the import keeps memory flat in the file's size and the import fast.
    let cache: i64 = desk
        .db
        .conn
        .query_row("PRAGMA cache_size", [], |r| r.get(0))?;
    desk.db
        .conn
        .pragma_update(None, "cache_size", IMPORT_CACHE_KIB)?;
    // The writer makes every reference it writes (a new contact's company, its keys and
    // notes) from ids it has just read or written, so checking each one is pure cost: with
    // foreign keys on, every multi-row insert also needs a statement journal to undo itself,
    // though any failure undoes the whole import anyway. (It cannot change in a transaction.)
    let foreign_keys: bool = desk
        .db
        .conn
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
    desk.db.conn.pragma_update(None, "foreign_keys", false)?;
    // The duplicate lookups run once a row with new values bound. Without the query planner
    // stability guarantee SQLite re-plans such a statement on every new binding (it checks
    // whether the values would make a partial index usable), which cost a re-prepare per row.
    use rusqlite::config::DbConfig;
    let qpsg = desk
        .db
        .conn
        .set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    let res = desk.db.write(&clock, |chg| {
        chg.barrier(opts.label.clone());
        // The rows are indexed for search once, at the end, and only if they are kept: per
        // batch, the full-text triggers flushed and merged hundreds of small segments, and
        // their `contact_keys` trigger unpacked the JSON the writer had just packed.
        let bulk = BulkLoad::begin_writing_keys(chg)?;
        let mut report = ImportReport::default();
        let mut w = merge::Writer::new(opts.on_duplicate);
        let mut n = 0u64;
        for row in rows {
            let row = row?;
            n += 1;
            if n.is_multiple_of(1000) {
                tick(n);
            }
            match row.record {
                Err(reason) => report.invalid_row(row.line, &reason),
                Ok(rec) => match w.apply(chg, rec) {
                    Ok((outcome, notes)) => {
                        match outcome {
                            merge::Outcome::Imported => report.imported += 1,
                            merge::Outcome::Merged => report.merged += 1,
                            merge::Outcome::Skipped => report.skipped += 1,
                        }
                        report.notes_added += notes;
                    }
                    // A row the book refuses (a bad value that slipped past the parser) is
                    // an invalid row like any other; the environment failing is not.
                    Err(Error::Input(reason)) => report.invalid_row(row.line, &reason),
                    Err(e) => return Err(e),
                },
            }
        }
        w.finish(chg)?;
        tick(n);
        let keep = !opts.dry_run && (report.invalid == 0 || opts.skip_invalid);
        report.committed = keep;
        out = Some(report);
        if keep {
            bulk.finish(chg)?;
            check_references(chg)
        } else {
            // The rollback puts the suspended triggers back with everything else.
            Err(Error::Input(ROLLBACK.into()))
        }
    });
    desk.db.conn.pragma_update(None, "cache_size", cache)?;
    desk.db
        .conn
        .pragma_update(None, "foreign_keys", foreign_keys)?;
    desk.db
        .conn
        .set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, qpsg)?;
    match res {
        Ok(()) => {}
        Err(Error::Input(s)) if s == ROLLBACK => {}
        Err(e) => return Err(e),
    }
    out.ok_or_else(|| Error::env("the import ended without a report"))
}

/// What the import wrote with foreign keys off, checked before it is kept: a reference to a
/// missing row fails the import rather than reaching the book. A scan of each table the
/// import writes, a small part of the import's time.
fn check_references(chg: &Change<'_>) -> Result<()> {
    let dangling: i64 = chg.query_row(
        "SELECT count(*) FROM (
           SELECT 1 FROM pragma_foreign_key_check('contacts')
           UNION ALL SELECT 1 FROM pragma_foreign_key_check('contact_keys')
           UNION ALL SELECT 1 FROM pragma_foreign_key_check('notes')
           UNION ALL SELECT 1 FROM pragma_foreign_key_check('undo_rows'))",
        [],
        |r| r.get(0),
    )?;
    if dangling > 0 {
        return Err(Error::env(format!(
            "the import would leave {dangling} rows pointing at missing rows; nothing was imported"
        )));
    }
    Ok(())
}

/// A cell as a spreadsheet would see it: one starting with `=`, `+`, `-`, `@`, tab or carriage
/// return gets a leading `'`, so opening the export never runs a formula.
pub fn guard_cell(s: &str) -> std::borrow::Cow<'_, str> {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}").into(),
        _ => s.into(),
    }
}

/// Takes the formula guard off again: `'=SUM(A1)` reads back as `=SUM(A1)`.
pub fn unguard_cell(s: &str) -> &str {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some('\''), Some('=' | '+' | '-' | '@' | '\t' | '\r')) => &s[1..],
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_to_a_missing_row_is_refused() {
        let mut db = crate::storage::Db::open_in_memory().unwrap();
        db.conn.pragma_update(None, "foreign_keys", false).unwrap();
        let clock = crate::clock::Clock::parse("2026-11-23T09:00:00+00:00").unwrap();
        let e = db
            .write(&clock, |chg| {
                check_references(chg)?;
                chg.execute(
                    "INSERT INTO contact_keys(contact_id, kind, key) VALUES (42, 'tag', 'x')",
                    [],
                )?;
                check_references(chg)
            })
            .unwrap_err();
        assert!(e.to_string().contains("1 rows pointing"), "{e}");
        assert_eq!(e.exit_code(), 1);
    }

    #[test]
    fn formula_guard_round_trips() {
        for s in ["=1+1", "+1 555", "-3", "@SUM(A1)", "\tx", "\rx"] {
            let g = guard_cell(s);
            assert!(g.starts_with('\''), "{s:?}");
            assert_eq!(unguard_cell(&g), s);
        }
        assert_eq!(guard_cell("Ana"), "Ana");
        assert_eq!(unguard_cell("'quoted"), "'quoted");
        assert_eq!(unguard_cell("Ana"), "Ana");
    }

    #[test]
    fn finish_fills_name_and_checks() {
        let r = ContactRecord {
            emails: vec!["a@x.com".into(), "A@X.com".into()],
            ..Default::default()
        }
        .finish()
        .unwrap();
        assert_eq!(r.name, "a@x.com");
        assert_eq!(r.emails.len(), 1);
        let e = ContactRecord {
            name: "Bo".into(),
            emails: vec!["nope".into()],
            ..Default::default()
        }
        .finish()
        .unwrap_err();
        assert!(e.contains("not an email"), "{e}");
        assert!(ContactRecord::default().finish().is_err());
    }
}
