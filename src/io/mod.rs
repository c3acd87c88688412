//! Import and export: CSV, vCard, JSON and iCalendar.
//!
//! Importers turn a file into a stream of [`Row`]s (a line number and a contact record, or the
//! reason the row is invalid); [`import_rows`] writes them in one transaction, finding
//! duplicates through the indexed `contact_keys`. Exporters read the book and write a file.
//! Both talk to the book through storage's verbs (`storage::import`, `storage::export`),
//! whose statements are prepared once and reused for every row: a 100,000-row file must not
//! prepare 100,000 statements.

pub mod csv_export;
pub mod csv_header;
pub mod csv_import;
pub mod decode;
pub mod ics;
pub mod json;
pub mod json_check;
pub mod lines;
pub mod notify;
mod out_file;
pub mod remind_service;
pub use out_file::OutFile;
mod merge;
pub mod progress;
pub mod read_ahead;
pub mod vcard;

use std::fmt;
use std::path::Path;

use crate::domain::contact::{Status, Temperature};
use crate::domain::fields::check_line;
use crate::error::{Error, Result};
use crate::ops::Desk;

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
    /// Who referred them, as a name (or id) of a contact already in the book.
    pub referred_by: Option<String>,
    /// Each becomes a note on the contact, kind `note`, dated at the import.
    pub notes: Vec<String>,
    /// Fields that could not be read and were left out: the person is kept without them.
    pub left_out: Vec<LeftOut>,
}

/// A field of a row left out of the person: where it was and why.
#[derive(Debug, Clone, PartialEq)]
pub struct LeftOut {
    /// `column 7 (Business Phone)` in a CSV file, the property (`TEL`) in a vCard.
    pub field: String,
    pub reason: String,
}

impl ContactRecord {
    /// Fills the name when the file gave none, and leaves out the emails and phones the
    /// book would refuse. A row is invalid only when no person is left: no name, no email.
    pub fn finish(mut self) -> std::result::Result<ContactRecord, String> {
        self.emails = dedup(self.emails, |s| s.to_lowercase());
        self.phones = dedup(self.phones, merge::phone_key);
        self.tags = dedup(self.tags, |s| s.to_lowercase());
        for n in &mut self.notes {
            *n = n.replace("\r\n", "\n").replace('\r', "\n");
        }
        let mut left_out = std::mem::take(&mut self.left_out);
        self.emails.retain(|e| match email_problem(e) {
            None => true,
            Some(reason) => {
                left_out.push(LeftOut {
                    field: "email".into(),
                    reason,
                });
                false
            }
        });
        self.phones.retain(|p| match phone_problem(p) {
            None => true,
            Some(reason) => {
                left_out.push(LeftOut {
                    field: "phone".into(),
                    reason,
                });
                false
            }
        });
        self.tags.retain(|t| match check_line("a tag", t) {
            Ok(()) => true,
            Err(reason) => {
                left_out.push(LeftOut {
                    field: "tag".into(),
                    reason,
                });
                false
            }
        });
        for (field, v) in [
            ("company", &mut self.company),
            ("title", &mut self.title),
            ("source", &mut self.source),
        ] {
            if let Some(Err(reason)) = v.as_deref().map(|s| check_line(&format!("the {field}"), s))
            {
                *v = None;
                left_out.push(LeftOut {
                    field: field.into(),
                    reason,
                });
            }
        }
        self.left_out = left_out;
        check_line("the name", &self.name)?;
        if self.name.trim().is_empty() {
            match self.emails.first() {
                Some(e) => self.name = e.clone(),
                None => {
                    return Err(match self.left_out.first() {
                        Some(l) => format!("{}, and the row has no name", l.reason),
                        None => "no name and no email".into(),
                    });
                }
            }
        }
        Ok(self)
    }
}

/// Why `e` cannot be a contact's email, if it cannot.
pub fn email_problem(e: &str) -> Option<String> {
    if let Err(why) = check_line("an email", e) {
        return Some(why);
    }
    (!crate::storage::contacts::looks_like_email(e))
        .then(|| format!("{e:?} is not an email address"))
}

/// Why `p` cannot be a contact's phone (fewer than three digits: "call reception").
pub fn phone_problem(p: &str) -> Option<String> {
    if let Err(why) = check_line("a phone", p) {
        return Some(why);
    }
    (crate::text::phone_digits(p).len() < 3).then(|| format!("{p:?} is not a phone number"))
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
    /// What undo will name the import: "the import of contacts.csv".
    pub label: String,
    /// `--sequence NAME`: every contact the import creates starts this sequence.
    pub sequence: Option<String>,
    /// `--assign`: the people the contacts it creates are shared out among, in turn (empty:
    /// they are the importer's).
    pub assign: Vec<String>,
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
    /// Fields left out of people who were kept, `line N, column C (Header): reason`, the
    /// first [`MAX_ERRORS`] of them.
    pub left_out: Vec<String>,
    pub fields_left_out: u64,
    /// Contacts the import put into `--sequence` (or would, in a dry run).
    pub sequence_started: u64,
    /// Whether anything was written.
    pub committed: bool,
}

/// Invalid rows listed one by one; past this, only counted.
pub const MAX_ERRORS: usize = 1000;

impl ImportReport {
    /// The summary line of docs/MANUAL.md (Import).
    pub fn summary(&self) -> String {
        format!(
            "imported {}, merged {}, skipped {} duplicates, invalid {}",
            self.imported, self.merged, self.skipped, self.invalid
        )
    }

    fn left_out(&mut self, line: u64, l: &LeftOut) {
        self.fields_left_out += 1;
        if self.left_out.len() < MAX_ERRORS {
            self.left_out
                .push(format!("line {line}, {}: {}; left out", l.field, l.reason));
        }
    }

    fn invalid_row(&mut self, line: u64, reason: &str) {
        self.invalid += 1;
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(format!("line {line}: {reason}"));
        }
    }
}

const ROLLBACK: &str = "\u{0}salesdesk import rollback";

/// Writes the rows in one transaction, undone whole by one `undo`. Without `skip_invalid`, one invalid
/// row means nothing is written; a dry run writes nothing either way. `tick` is called with
/// the number of rows read so far, for a progress line.
pub fn import_rows(
    desk: &mut Desk,
    rows: &mut dyn Iterator<Item = Result<Row>>,
    opts: &ImportOptions,
    tick: &mut dyn FnMut(u64),
) -> Result<ImportReport> {
    let clock = desk.clock;
    let sequence = imported_sequence(desk, opts)?;
    let _held = crate::storage::busy::ImportMarker::hold(desk.db.path());
    let mut out: Option<ImportReport> = None;
    let res = crate::storage::import::import(&mut desk.db, &clock, opts.label.clone(), |imp| {
        let mut report = ImportReport::default();
        let contacts_before = crate::storage::sequences::last_contact_id(imp.read())?;
        let mut w = merge::Writer::new(opts.on_duplicate);
        let mut n = 0u64;
        let mut window: Vec<Row> = Vec::new();
        loop {
            // Rows read ahead of the writer (on a server it looks their duplicates up many
            // at a time): as many as it takes new before it writes its batch, which changes
            // the book's answers, so that no window is asked about twice.
            for row in (&mut *rows).take(w.room()) {
                window.push(row?);
            }
            if window.is_empty() {
                break;
            }
            w.expect(
                imp.read(),
                window.iter().filter_map(|r| r.record.as_ref().ok()),
            );
            for row in window.drain(..) {
                n += 1;
                if n.is_multiple_of(1000) {
                    tick(n);
                }
                write_row(imp, &mut w, &mut report, row)?;
            }
        }
        w.finish(imp)?;
        if let Some(seq) = &sequence {
            report.sequence_started =
                crate::storage::sequences::enrol_imported(imp, contacts_before, seq)?;
        }
        crate::storage::owners::assign_imported(imp, contacts_before, &opts.assign)?;
        tick(n);
        let keep = !opts.dry_run && (report.invalid == 0 || opts.skip_invalid);
        report.committed = keep;
        out = Some(report);
        if keep {
            Ok(())
        } else {
            // The rollback puts the suspended triggers back with everything else.
            Err(Error::Input(ROLLBACK.into()))
        }
    });
    match res {
        Ok(()) => {}
        Err(Error::Input(s)) if s == ROLLBACK => {}
        Err(e) => return Err(e),
    }
    out.ok_or_else(|| Error::env("the import ended without a report"))
}

/// One row of the file into the report, and into the book through the writer.
fn write_row(
    imp: &mut crate::storage::Importing<'_>,
    w: &mut merge::Writer,
    report: &mut ImportReport,
    row: Row,
) -> Result<()> {
    match row.record {
        Err(reason) => report.invalid_row(row.line, &reason),
        Ok(mut rec) => {
            for l in std::mem::take(&mut rec.left_out) {
                report.left_out(row.line, &l);
            }
            match w.apply(imp, rec) {
                Ok((outcome, notes)) => {
                    match outcome {
                        merge::Outcome::Imported => report.imported += 1,
                        merge::Outcome::Merged => report.merged += 1,
                        merge::Outcome::Skipped => report.skipped += 1,
                    }
                    report.notes_added += notes;
                }
                // A row the book refuses (a bad value that slipped past the parser) is an
                // invalid row like any other; the environment failing is not.
                Err(Error::Input(reason)) => report.invalid_row(row.line, &reason),
                Err(e) => return Err(e),
            }
        }
    }
    Ok(())
}

/// `--sequence NAME` as the import starts it: the config's sequence, its first step dated
/// from today (on a workday). An unknown name stops the import before it reads a row.
fn imported_sequence(
    desk: &Desk,
    opts: &ImportOptions,
) -> Result<Option<crate::storage::sequences::Enrolling>> {
    let Some(name) = &opts.sequence else {
        return Ok(None);
    };
    let Some((name, def)) = desk.config.sequence(name) else {
        let names: Vec<&str> = desk.config.sequences.keys().map(String::as_str).collect();
        return Err(Error::input(format!(
            "--sequence {name:?}: no such sequence in the config; it names: {}",
            if names.is_empty() {
                "none".to_string()
            } else {
                names.join(", ")
            }
        )));
    };
    let steps = def.steps();
    let first_day = steps.first().and_then(|s| {
        crate::domain::sequence::step_day(desk.clock.today(), &s.after, &desk.config.workdays())
    });
    let Some(first_day) = first_day else {
        return Err(Error::input(format!(
            "sequence {name} has no first step that can be dated"
        )));
    };
    Ok(Some(crate::storage::sequences::Enrolling {
        name: name.to_string(),
        steps,
        stop_on: def.stop_on(),
        first_day,
    }))
}

/// A name as a file gives it, with runs of spaces and tabs made one space ("  John   Doe ").
/// A line break or control the name holds is kept: an exported name reads back as stored.
pub fn squeeze_name(s: &str) -> String {
    s.split([' ', '\t'])
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a spreadsheet would run a cell starting with `c` (docs/MANUAL.md, Export).
fn formula_start(c: Option<char>) -> bool {
    matches!(c, Some('=' | '+' | '-' | '@' | '\t' | '\r'))
}

/// Whether `s` is some `'` marks and then a formula start: the cells that get one mark more.
fn guarded_shape(s: &str) -> bool {
    formula_start(s.trim_start_matches('\'').chars().next())
}

/// A cell as a spreadsheet would see it: one starting with `=`, `+`, `-`, `@`, tab or carriage
/// return gets a leading `'`, so opening the export never runs a formula. A value that
/// already looks guarded (`'=x`, `''+1`) gets one mark more, so that [`unguard_cell`], which
/// takes exactly one mark off such a cell, gives back what was stored.
pub fn guard_cell(s: &str) -> std::borrow::Cow<'_, str> {
    if guarded_shape(s) {
        format!("'{s}").into()
    } else {
        s.into()
    }
}

/// Takes the formula guard off again: `'=SUM(A1)` reads back as `=SUM(A1)`, `''=x` as `'=x`;
/// anything else (`'quoted`) is left as it is. The inverse of [`guard_cell`].
pub fn unguard_cell(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if guarded_shape(rest) => rest,
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        // A value that looks guarded already keeps its mark through a round trip.
        for s in ["'=Quoted Legit", "''+1", "'", "''", "'-", "x'=", "'\r"] {
            assert_eq!(unguard_cell(&guard_cell(s)), s, "{s:?}");
        }
        assert_eq!(guard_cell("'=Quoted Legit"), "''=Quoted Legit");
    }

    proptest::proptest! {
        /// Any text, through the guard, the CSV writer, the CSV reader and the unguard, comes
        /// back exactly.
        #[test]
        fn any_cell_round_trips_through_csv(s in "(['=+@\t\r-]{0,3})(\\PC|[\r\n\t\x1b\u{9b}\u{202e}\"',;]){0,12}") {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record([guard_cell(&s).as_ref(), "next"]).unwrap();
            let bytes = w.into_inner().unwrap();
            let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(&bytes[..]);
            let rec = r.records().next().unwrap().unwrap();
            proptest::prop_assert_eq!(unguard_cell(&rec[0]), s.as_str());
            proptest::prop_assert_eq!(&rec[1], "next");
        }
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
        let kept = ContactRecord {
            name: "Bo".into(),
            emails: vec!["nope".into(), "bo@x.com".into()],
            phones: vec!["call reception".into()],
            ..Default::default()
        }
        .finish()
        .unwrap();
        assert_eq!(kept.emails, ["bo@x.com"]);
        assert!(kept.phones.is_empty());
        assert_eq!(kept.left_out.len(), 2, "{:?}", kept.left_out);
        assert!(kept.left_out[1].reason.contains("not a phone number"));
        let e = ContactRecord {
            emails: vec!["nope".into()],
            ..Default::default()
        }
        .finish()
        .unwrap_err();
        assert!(e.starts_with("\"nope\" is not an email"), "{e}");
        assert!(ContactRecord::default().finish().is_err());
    }
}
