//! `import` and `export`: flags, progress, and what they print.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use crate::error::{Error, Result};
use crate::io::csv_export::{self, Kind};
use crate::io::csv_import::CsvRows;
use crate::io::decode::{self, Encoding};
use crate::io::progress::{Counter, Progress};
use crate::io::read_ahead::read_ahead;
use crate::io::{self, Format, ImportOptions, ImportReport, OnDuplicate, OutFile, Row, json};
use crate::ops::Desk;
use crate::paths;
use crate::storage;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    Csv,
    Vcf,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
    Vcf,
    Ics,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Duplicates {
    /// Fill what the contact lacks, add new emails, phones and tags; never overwrite
    Merge,
    /// Leave the contact in the book alone
    Skip,
    /// Make a new contact anyway
    Create,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum What {
    Contacts,
    Deals,
    FollowUps,
    Notes,
    All,
}

#[derive(Debug, Args)]
#[command(
    after_help = "CSV: the header row is mapped by name (Google Contacts, Outlook, LinkedIn \
    Connections.csv, HubSpot, or name,email,phone,company), with `,` `;` or tab, in UTF-8 (with or without a byte-order mark), \
    UTF-16 or Windows-1252. vCard 2.1, 3.0 and 4.0. A notes column or NOTE becomes a \
    note on the contact.\n\n\
    Duplicates are found by email, then phone, then the same name and company.\n\n\
    JSON: a `salesdesk export --format json` file, restored exactly (ids included); only into \
    an empty book, so nothing in it can collide: use a new --db, or import contacts as CSV or \
    vCard to merge them.\n\n\
    Each invalid row is reported as `error: line N: reason`; without --skip-invalid one invalid \
    row means nothing is imported (exit 2). `salesdesk undo` right after an import takes it \
    back whole, merges included."
)]
pub struct ImportArgs {
    /// The file to import
    pub file: PathBuf,
    /// Default: from the file's extension, else from its first bytes
    #[arg(long, value_enum)]
    pub format: Option<ImportFormat>,
    /// Report what would be imported; write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Import the valid rows even when some are invalid
    #[arg(long)]
    pub skip_invalid: bool,
    /// What to do with a contact already in the book
    #[arg(long, value_enum, default_value = "merge")]
    pub on_duplicate: Duplicates,
    /// Start this sequence of the config for every contact the import creates
    #[arg(long, value_name = "NAME")]
    pub sequence: Option<String>,
    /// Give the contacts it creates to NAME, or share them out in turn among the team's reps
    /// with `round-robin` (a manager's, on a team's server book)
    #[arg(long, value_name = "NAME|round-robin")]
    pub assign: Option<String>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Without -o the export goes to stdout. CSV of several kinds (--what all, \
    the default for csv) needs -o FOLDER: contacts.csv, deals.csv, follow-ups.csv and notes.csv \
    are written there. vcf is vCard 4.0 (contacts); ics holds the open follow-ups as events \
    with an alarm and a stable UID, so importing it again updates a calendar. Files are \
    written readable by you alone (0600). Cells starting with = + - @ get a leading ' in CSV.\n\n\
    On stdout, as everything salesdesk prints, text is made safe for a terminal: control and \
    bidi characters are left out (CR but in CRLF). JSON escapes them and stays exact; for an \
    exact CSV or vCard of such text, write a file with -o."
)]
pub struct ExportArgs {
    /// Default: from -o's extension, else json
    #[arg(long, value_enum)]
    pub format: Option<ExportFormat>,
    /// Default: all for csv and json, contacts for vcf, follow-ups for ics
    #[arg(long, value_enum)]
    pub what: Option<What>,
    /// A file, or for CSV of several kinds a folder
    #[arg(short = 'o', long = "output", value_name = "PATH")]
    pub output: Option<PathBuf>,
}

fn sniff_format(path: &Path) -> Result<Format> {
    if let Some(f) = Format::from_path(path) {
        if f == Format::Ics {
            return Err(Error::input(format!(
                "{}: salesdesk exports calendars but imports contacts; give a CSV, vCard or JSON file",
                path.display()
            )));
        }
        return Ok(f);
    }
    let (text, _) = decode::read_to_string(path)?;
    let head: String = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take(11)
        .collect();
    Ok(if head.to_ascii_uppercase().starts_with("BEGIN:VCARD") {
        Format::Vcf
    } else if head.starts_with('{') {
        Format::Json
    } else {
        Format::Csv
    })
}

fn file_label(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

pub fn import(desk: &mut Desk, a: &ImportArgs, out: &mut dyn Write) -> Result<()> {
    let path = &a.file;
    let meta = std::fs::metadata(path)
        .map_err(|e| Error::input(format!("cannot read {}: {e}", path.display())))?;
    if meta.is_dir() {
        return Err(Error::input(format!(
            "{} is a folder; give the file to import",
            path.display()
        )));
    }
    let format = match a.format {
        Some(ImportFormat::Csv) => Format::Csv,
        Some(ImportFormat::Vcf) => Format::Vcf,
        Some(ImportFormat::Json) => Format::Json,
        None => sniff_format(path)?,
    };
    let name = file_label(path);
    let opts = ImportOptions {
        dry_run: a.dry_run,
        skip_invalid: a.skip_invalid,
        on_duplicate: match a.on_duplicate {
            Duplicates::Merge => OnDuplicate::Merge,
            Duplicates::Skip => OnDuplicate::Skip,
            Duplicates::Create => OnDuplicate::Create,
        },
        label: format!("the import of {name}"),
        sequence: a.sequence.clone(),
        assign: desk.assignees(a.assign.as_deref())?,
    };
    let report = match format {
        Format::Csv => {
            let f = File::open(path)
                .map_err(|e| Error::input(format!("cannot read {}: {e}", path.display())))?;
            let (counter, read) = Counter::new(BufReader::with_capacity(1 << 16, f));
            let rows = CsvRows::open(path, counter)?;
            if rows.encoding != Encoding::Utf8 && rows.encoding != Encoding::Utf8Bom {
                crate::inert::say(
                    "note",
                    &format!(
                        "{name} is not UTF-8; reading it as {}",
                        rows.encoding.name()
                    ),
                );
            }
            let mut progress = Progress::new(&format!("importing {name}"), meta.len());
            let bytes = || read.load(std::sync::atomic::Ordering::Relaxed);
            let r = read_ahead(rows, bytes, |rows| {
                let at = rows.bytes_read();
                let mut tick = |n: u64| progress.update(at.get(), n);
                io::import_rows(desk, rows, &opts, &mut tick)
            });
            progress.finish();
            r?
        }
        Format::Vcf => {
            let (text, enc) = decode::read_to_string(path)?;
            if enc == Encoding::Windows1252 {
                crate::inert::say(
                    "note",
                    &format!("{name} is not UTF-8; reading it as Windows-1252"),
                );
            }
            let rows = io::vcard::rows(&text);
            if rows.is_empty() {
                return Err(Error::input(format!(
                    "{name} holds no vCard (no BEGIN:VCARD … END:VCARD)"
                )));
            }
            let mut it = rows.into_iter().map(Ok::<Row, Error>);
            io::import_rows(desk, &mut it, &opts, &mut |_| {})?
        }
        Format::Json => return import_json(desk, path, &name, &opts, out),
        Format::Ics => {
            return Err(Error::input(
                "salesdesk imports contacts (CSV, vCard, JSON), not calendars",
            ));
        }
    };
    print_report(&report, &opts, out)
}

fn print_report(report: &ImportReport, opts: &ImportOptions, out: &mut dyn Write) -> Result<()> {
    for w in &report.left_out {
        crate::inert::say("warning", &w.to_string());
    }
    let unlisted = report
        .fields_left_out
        .saturating_sub(report.left_out.len() as u64);
    if unlisted > 0 {
        crate::inert::say(
            "warning",
            &format!(
                "… and {} left out",
                crate::text::plural(unlisted, "more field")
            ),
        );
    }
    for e in &report.errors {
        crate::inert::say("error", e);
    }
    let unlisted = report.invalid.saturating_sub(report.errors.len() as u64);
    if unlisted > 0 {
        crate::inert::say(
            "error",
            &format!("… and {}", crate::text::plural(unlisted, "invalid row")),
        );
    }
    if report.invalid > 0 && !opts.skip_invalid {
        let none = ImportReport {
            invalid: report.invalid,
            ..Default::default()
        };
        writeln!(out, "{}", none.summary())?;
        let rows = if report.invalid == 1 {
            "row is"
        } else {
            "rows are"
        };
        return Err(Error::input(format!(
            "nothing was imported: {} {rows} invalid; fix them, or pass --skip-invalid to import the rest",
            report.invalid
        )));
    }
    writeln!(out, "{}", report.summary())?;
    if report.notes_added > 0 {
        writeln!(
            out,
            "{} added",
            crate::text::plural(report.notes_added, "note")
        )?;
    }
    if let Some(seq) = &opts.sequence {
        let verb = if opts.dry_run {
            "would start"
        } else {
            "started"
        };
        writeln!(
            out,
            "sequence {} {verb} for {}",
            crate::text::printable(seq),
            crate::text::plural(report.sequence_started, "contact")
        )?;
    }
    if opts.dry_run {
        writeln!(out, "dry run: nothing was written")?;
    }
    Ok(())
}

fn import_json(
    desk: &mut Desk,
    path: &Path,
    name: &str,
    opts: &ImportOptions,
    out: &mut dyn Write,
) -> Result<()> {
    if opts.sequence.is_some() {
        return Err(Error::input(
            "--sequence starts a sequence for the contacts a CSV or vCard import creates; a JSON \
             book keeps its own enrolments",
        ));
    }
    if !opts.assign.is_empty() {
        return Err(Error::input(
            "--assign shares out the contacts a CSV or vCard import creates; a JSON book is \
             restored as it was, each row the importer's",
        ));
    }
    let (text, _) = decode::read_to_string(path)?;
    let mut book = json::parse(&text, name)?;
    drop(text);
    // A file from before pipelines: its deals go to the first pipeline, as an upgraded book's.
    for d in &mut book.deals {
        d.pipeline
            .get_or_insert_with(|| desk.config.first_pipeline());
    }
    crate::io::json_check::check(&book, &desk.config, name)?;
    if !desk.db.read(storage::export::holds_no_rows)? {
        return Err(Error::input(format!(
            "{name} is a whole book, and JSON restores only into an empty one (ids are kept, so \
             they would collide); import it with a new --db, or export contacts as CSV or vCard \
             to merge them into this book"
        )));
    }
    let clock = desk.clock;
    let _held = crate::storage::busy::ImportMarker::hold(desk.db.path());
    let mut restored = None;
    let res = desk.db.import(&clock, opts.label.clone(), |imp| {
        restored = Some(json::restore(imp, &book)?);
        if opts.dry_run {
            Err(Error::Input(DRY.into()))
        } else {
            Ok(())
        }
    });
    match res {
        Ok(()) => {}
        Err(Error::Input(s)) if s == DRY => {}
        Err(e) => return Err(e),
    }
    let n = restored.unwrap_or_default();
    let report = ImportReport {
        imported: n.contacts,
        committed: !opts.dry_run,
        ..Default::default()
    };
    writeln!(out, "{}", report.summary())?;
    writeln!(
        out,
        "restored {}, {}, {}, {}, {}",
        crate::text::plural(n.companies, "company"),
        crate::text::plural(n.contacts, "contact"),
        crate::text::plural(n.deals, "deal"),
        crate::text::plural(n.follow_ups, "follow-up"),
        crate::text::plural(n.notes, "note")
    )?;
    if opts.dry_run {
        writeln!(out, "dry run: nothing was written")?;
    }
    Ok(())
}

const DRY: &str = "\u{0}dry run";

pub fn export(desk: &mut Desk, a: &ExportArgs, out: &mut dyn Write) -> Result<()> {
    let format = match a.format {
        Some(ExportFormat::Csv) => Format::Csv,
        Some(ExportFormat::Json) => Format::Json,
        Some(ExportFormat::Vcf) => Format::Vcf,
        Some(ExportFormat::Ics) => Format::Ics,
        None => a
            .output
            .as_deref()
            .and_then(Format::from_path)
            .unwrap_or(Format::Json),
    };
    let what = a.what.unwrap_or(match format {
        Format::Vcf => What::Contacts,
        Format::Ics => What::FollowUps,
        _ => What::All,
    });
    match (format, what) {
        (Format::Vcf, What::Contacts | What::All) | (Format::Ics, What::FollowUps | What::All) => {}
        (Format::Vcf, _) => {
            return Err(Error::input(
                "vcf holds contacts only: drop --what, or use --format csv or json",
            ));
        }
        (Format::Ics, _) => {
            return Err(Error::input(
                "ics holds follow-ups only: drop --what, or use --format csv or json",
            ));
        }
        _ => {}
    }
    let clock = desk.clock;
    let book = desk.db.path().map(Path::to_path_buf);
    if format == Format::Csv && what == What::All {
        let Some(dir) = &a.output else {
            return Err(Error::input(
                "a CSV export of every kind is one file per kind: name a folder with -o FOLDER, \
                 or pick one kind with --what contacts|deals|follow-ups|notes",
            ));
        };
        if dir.is_file() {
            return Err(Error::input(format!(
                "{} is a file; -o names a folder for a CSV export of every kind",
                dir.display()
            )));
        }
        // `-o out.csv` meant a file: making a folder of that name surprises everyone.
        if !dir.is_dir() && looks_like_a_file(dir) {
            return Err(Error::input(format!(
                "{} looks like a file name, but a CSV export of every kind is one file per kind: \
                 give a folder (-o FOLDER), or pick one kind with --what contacts|deals|follow-ups|notes",
                dir.display()
            )));
        }
        let files: Vec<(Kind, PathBuf)> = Kind::ALL
            .iter()
            .map(|k| (*k, dir.join(k.file_name())))
            .collect();
        paths::refuse_book_target(book.as_deref(), dir, "-o")?;
        for (_, p) in &files {
            paths::refuse_book_target(book.as_deref(), p, "-o")?;
        }
        paths::private_dir(dir)?;
        // All four or none: each is written whole under a temporary name, and put in place
        // only once every one of them is.
        let written = desk.db.read(|conn| {
            let mut done = Vec::new();
            for (kind, p) in files {
                let mut f = OutFile::create(&p)?;
                let n = csv_export::write(conn, kind, &clock, f.writer())
                    .map_err(|e| f.name_error(e))?;
                f.finish()?;
                done.push((f, n, p));
            }
            Ok(done)
        })?;
        for (f, n, p) in written {
            f.commit()?;
            writeln!(
                out,
                "wrote {} to {}",
                crate::text::plural(n, "row"),
                p.display()
            )?;
        }
        return Ok(());
    }
    let n = match &a.output {
        Some(p) => {
            if p.is_dir() {
                return Err(Error::input(format!(
                    "{} is a folder; name the file to write",
                    p.display()
                )));
            }
            paths::refuse_book_target(book.as_deref(), p, "-o")?;
            let mut f = OutFile::create(p)?;
            let n = export_one(desk, format, what, f.writer()).map_err(|e| f.name_error(e))?;
            f.commit()?;
            n
        }
        None => {
            let mut w = BufWriter::with_capacity(1 << 16, &mut *out);
            let n = export_one(desk, format, what, &mut w)?;
            w.flush()?;
            n
        }
    };
    if let Some(p) = &a.output {
        writeln!(
            out,
            "wrote {} to {}",
            crate::text::plural(n, noun(format, what)),
            p.display()
        )?;
    }
    Ok(())
}

/// A name with an export's extension (`out.csv`, `book.json`) names a file, not a folder.
fn looks_like_a_file(p: &Path) -> bool {
    p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["csv", "tsv", "txt", "json", "vcf", "ics", "xls", "xlsx"]
            .contains(&e.to_ascii_lowercase().as_str())
    })
}

fn keep_only<T>(book: &mut json::Book, pick: impl Fn(&mut json::Book) -> &mut Vec<T>) {
    let kept = std::mem::take(pick(book));
    book.companies.clear();
    book.contacts.clear();
    book.deals.clear();
    book.follow_ups.clear();
    book.notes.clear();
    *pick(book) = kept;
}

fn noun(format: Format, what: What) -> &'static str {
    match (format, what) {
        (Format::Ics, _) => "event",
        (Format::Vcf, _) | (Format::Json, What::All) => "contact",
        _ => "row",
    }
}

fn export_one(desk: &mut Desk, format: Format, what: What, sink: &mut dyn Write) -> Result<u64> {
    let clock = desk.clock;
    desk.db.read(|conn| -> Result<u64> {
        let n = match format {
            Format::Csv => {
                let kind = match what {
                    What::Contacts => Kind::Contacts,
                    What::Deals => Kind::Deals,
                    What::FollowUps => Kind::FollowUps,
                    What::Notes | What::All => Kind::Notes,
                };
                csv_export::write(conn, kind, &clock, sink)?
            }
            Format::Json => {
                let mut book = json::read_book(conn, &clock)?;
                match what {
                    What::All => {}
                    What::Contacts => {
                        book.deals.clear();
                        book.follow_ups.clear();
                        book.notes.clear();
                    }
                    What::Deals => keep_only(&mut book, |b| &mut b.deals),
                    What::FollowUps => keep_only(&mut book, |b| &mut b.follow_ups),
                    What::Notes => keep_only(&mut book, |b| &mut b.notes),
                }
                let n = book.contacts.len() as u64;
                crate::inert::to_writer_pretty(&mut *sink, &book)?;
                writeln!(sink)?;
                n
            }
            Format::Vcf => {
                let mut n = 0u64;
                let mut buf = String::new();
                storage::export::for_each_contact_page(conn, |c| {
                    buf.clear();
                    io::vcard::write_card(&mut buf, &c);
                    sink.write_all(buf.as_bytes())?;
                    n += 1;
                    Ok(())
                })?;
                n
            }
            Format::Ics => io::ics::write(conn, &clock, sink)?,
        };
        sink.flush()?;
        Ok(n)
    })
}
