//! CSV contacts: the header row mapped by name, whatever the program that wrote it.
//!
//! Google Contacts, Outlook, LinkedIn's Connections.csv, HubSpot and plain
//! `name,email,phone,company` files. The header is found among the first lines (LinkedIn puts
//! notes before it), the delimiter is `,`, `;` or tab, whichever gives the best header, and
//! the file is read as a stream in whatever encoding [`decode`](super::decode) found.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use crate::error::{Error, Result};
use crate::io::Row;
use crate::io::csv_header::Header;
use crate::io::decode::{self, Encoding, Utf8Reader};
use crate::io::lines::Lines;
use crate::io::progress::Counter;

/// How far into the file the header may be.
const HEADER_SEARCH: usize = 50;

/// Chooses the delimiter whose best header row maps the most columns.
fn sniff(sample: &str) -> Option<(u8, usize)> {
    let mut best: Option<(u8, usize, usize)> = None;
    for d in [b',', b';', b'\t'] {
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(d)
            .has_headers(false)
            .flexible(true)
            .from_reader(sample.as_bytes());
        for (i, rec) in rdr.records().take(HEADER_SEARCH).enumerate() {
            let Ok(rec) = rec else { break };
            let cells: Vec<&str> = rec.iter().collect();
            let score = Header::map(&cells).score();
            if score > 0 && best.is_none_or(|(_, s, _)| score > s) {
                best = Some((d, score, i));
            }
            if score > 0 {
                break;
            }
        }
    }
    best.map(|(d, _, i)| (d, i))
}

/// A CSV file of contacts, read row by row.
pub struct CsvRows {
    rdr: csv::Reader<Lines<Utf8Reader<Counter<BufReader<File>>>>>,
    header: Header,
    record: csv::ByteRecord,
    path: String,
    pub encoding: Encoding,
}

impl CsvRows {
    pub fn open(path: &Path, counter: Counter<BufReader<File>>) -> Result<CsvRows> {
        let encoding = decode::detect(path)?;
        // The header is looked for in the first 64 KiB.
        let mut sample = String::new();
        {
            let f = File::open(path)?;
            let mut r = Utf8Reader::new(BufReader::new(f), encoding).take(1 << 16);
            r.read_to_string(&mut sample).ok();
            if sample.is_empty() {
                let mut bytes = Vec::new();
                let f = File::open(path)?;
                Utf8Reader::new(BufReader::new(f), encoding)
                    .take(1 << 16)
                    .read_to_end(&mut bytes)?;
                sample = String::from_utf8_lossy(&bytes).into_owned();
            }
        }
        let Some((delim, header_at)) = sniff(&sample) else {
            let first = sample.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            return Err(Error::input(format!(
                "{}: found no header row naming a contact's name or email in the first {HEADER_SEARCH} lines (first line: {:?}); \
                 the first row should name the columns, such as name,email,phone,company",
                path.display(),
                crate::text::truncate(first, 80)
            )));
        };
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(delim)
            .has_headers(false)
            .flexible(true)
            .from_reader(Lines::new(Utf8Reader::new(counter, encoding)));
        let mut record = csv::ByteRecord::new();
        let mut header = None;
        for _ in 0..=header_at {
            if !rdr
                .read_byte_record(&mut record)
                .map_err(|e| csv_error(path, e))?
            {
                break;
            }
            let cells: Vec<String> = record
                .iter()
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect();
            let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
            header = Some(Header::map(&cells));
        }
        let header = header.ok_or_else(|| Error::input(format!("{} is empty", path.display())))?;
        Ok(CsvRows {
            rdr,
            header,
            record,
            path: path.display().to_string(),
            encoding,
        })
    }

    pub fn header(&self) -> &Header {
        &self.header
    }
}

fn csv_error(path: &Path, e: csv::Error) -> Error {
    let line = e
        .position()
        .map(|p| format!(" at line {}", p.line()))
        .unwrap_or_default();
    match e.kind() {
        csv::ErrorKind::Io(io) => Error::input(format!("cannot read {}: {io}", path.display())),
        _ => Error::input(format!("{}{line}: {e}", path.display())),
    }
}

impl Iterator for CsvRows {
    type Item = Result<Row>;

    fn next(&mut self) -> Option<Result<Row>> {
        loop {
            match self.rdr.read_byte_record(&mut self.record) {
                Ok(false) => return None,
                Ok(true) => {}
                Err(e) => return Some(Err(csv_error(Path::new(&self.path), e))),
            }
            let end = self.rdr.position().byte();
            let line = self.rdr.get_mut().line_of(end, self.record.iter());
            // A file read as UTF-8 for the evidence of the rest of it (see `decode::detect`)
            // may hold a few bytes that are not: their rows are invalid, the others are read.
            let mut cells: Vec<&str> = Vec::with_capacity(self.record.len());
            for (i, c) in self.record.iter().enumerate() {
                match std::str::from_utf8(c) {
                    Ok(c) => cells.push(c),
                    Err(_) => {
                        return Some(Ok(Row {
                            line,
                            record: Err(format!(
                                "column {} holds bytes that are not UTF-8 (the rest of the file is UTF-8)",
                                i + 1
                            )),
                        }));
                    }
                }
            }
            if let Some(record) = self.header.record(&cells) {
                return Some(Ok(Row { line, record }));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_delimiter_and_preamble() {
        assert_eq!(sniff("name;email\nAna;a@x.com\n"), Some((b';', 0)));
        assert_eq!(sniff("name\temail\nAna\ta@x.com\n"), Some((b'\t', 0)));
        let li = "Notes:\n\"When exporting your connection data, you may notice that some of the email addresses are missing.\"\n\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\n";
        assert_eq!(sniff(li).map(|(d, _)| d), Some(b','));
        assert!(sniff("hello world\n").is_none());
    }
}
