//! Physical line numbers for the rows a CSV reader returns.
//!
//! The csv crate counts `\n` bytes, as they pass, into the position of the next record. A
//! CRLF record ends at its CR, so the LF was counted into the *next* record's start: every
//! row of a CRLF file was reported one line too low, and a CR-only file had one line. Here
//! every line break counts once, whatever it is (LF, CRLF, CR), and a row's line is taken
//! from where its record ends, less the line breaks inside its quoted fields.

use std::collections::VecDeque;
use std::io::{self, Read};

/// A reader that notes where each line break is, for [`Lines::line_of`].
pub struct Lines<R> {
    inner: R,
    /// Bytes passed through so far.
    at: u64,
    /// Line breaks not yet behind a record: the offset of their first and last byte.
    breaks: VecDeque<(u64, u64)>,
    /// Breaks already behind a returned record.
    counted: u64,
    /// The last of those.
    last: Option<(u64, u64)>,
    cr: bool,
}

impl<R: Read> Lines<R> {
    pub fn new(inner: R) -> Self {
        Self {
            inner,
            at: 0,
            breaks: VecDeque::new(),
            counted: 0,
            last: None,
            cr: false,
        }
    }

    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    /// The first physical line (from 1) of a record that ends at byte `end` (the reader's
    /// position after it) and holds `fields`. Records are asked about in order.
    pub fn line_of<'a>(&mut self, end: u64, fields: impl Iterator<Item = &'a [u8]>) -> u64 {
        while let Some(&(first, last)) = self.breaks.front() {
            if first >= end {
                break;
            }
            self.breaks.pop_front();
            self.counted += 1;
            self.last = Some((first, last));
        }
        // A record cut by the end of the file has no break of its own after its last line.
        let ended = matches!(self.last, Some((first, last)) if end > 0 && (first == end - 1 || last == end - 1));
        let last_line = self.counted + u64::from(!ended);
        let inside: u64 = fields.map(breaks_in).sum();
        last_line.saturating_sub(inside).max(1)
    }
}

/// Line breaks in a field, each CRLF, CR or LF once.
pub fn breaks_in(b: &[u8]) -> u64 {
    let mut n = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\r' => {
                n += 1;
                if b.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
            }
            b'\n' => n += 1,
            _ => {}
        }
        i += 1;
    }
    n
}

impl<R: Read> Read for Lines<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        for (i, &b) in buf[..n].iter().enumerate() {
            let at = self.at + i as u64;
            match b {
                b'\n' if self.cr => {
                    if let Some(last) = self.breaks.back_mut() {
                        last.1 = at;
                    } else if let Some(last) = self.last.as_mut() {
                        // Its CR was already behind a record.
                        last.1 = at;
                    }
                    self.cr = false;
                }
                b'\n' => self.breaks.push_back((at, at)),
                b'\r' => {
                    self.breaks.push_back((at, at));
                    self.cr = true;
                }
                _ => self.cr = false,
            }
        }
        self.at += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line each record of `text` is reported at, through the csv crate as the importer
    /// reads it.
    fn lines(text: &str) -> Vec<(String, u64)> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(Lines::new(text.as_bytes()));
        let mut rec = csv::ByteRecord::new();
        let mut out = Vec::new();
        while rdr.read_byte_record(&mut rec).unwrap() {
            let end = rdr.position().byte();
            let line = rdr.get_mut().line_of(end, rec.iter());
            out.push((String::from_utf8_lossy(&rec[0]).into_owned(), line));
        }
        out
    }

    #[test]
    fn every_line_ending_counts_once() {
        let want = |v: &[(&str, u64)]| -> Vec<(String, u64)> {
            v.iter().map(|(s, n)| (s.to_string(), *n)).collect()
        };
        for eol in ["\n", "\r\n", "\r"] {
            let text = ["h", "a", "", "b", "\"q", "uoted\"", "c"].join(eol);
            assert_eq!(
                lines(&text),
                want(&[
                    ("h", 1),
                    ("a", 2),
                    ("b", 4),
                    (&format!("q{eol}uoted"), 5),
                    ("c", 7)
                ]),
                "{eol:?}"
            );
            // Ending with a line break, or a blank line, changes nothing.
            assert_eq!(lines(&format!("{text}{eol}")).last().unwrap().1, 7);
            assert_eq!(lines(&format!("{text}{eol}{eol}")).last().unwrap().1, 7);
        }
        // Mixed endings, a quoted CRLF before the row.
        assert_eq!(
            lines("h\r\n\"a\r\nb\"\nc\rd\r\n"),
            want(&[("h", 1), ("a\r\nb", 2), ("c", 4), ("d", 5)])
        );
    }
}
