//! What encoding a file is in, and reading it as UTF-8 whatever it is.
//!
//! Spreadsheets still save "CSV" as Windows-1252 and Outlook as UTF-16. A file is scanned
//! once, in fixed-size chunks (memory does not grow with it): UTF-8 (with or without a
//! byte-order mark) is read as it is, a UTF-16 byte-order mark means UTF-16, and anything else
//! that is a plausible Windows-1252 file is decoded as such. A file that is none of these is
//! refused: never imported as garbage.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    /// UTF-8 behind a byte-order mark (skipped).
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 | Encoding::Utf8Bom => "UTF-8",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Windows1252 => "Windows-1252",
        }
    }
}

/// The characters of Windows-1252's 0x80..=0x9F; `None` where the code page has a hole.
const CP1252_HIGH: [Option<char>; 32] = [
    Some('€'),
    None,
    Some('‚'),
    Some('ƒ'),
    Some('„'),
    Some('…'),
    Some('†'),
    Some('‡'),
    Some('ˆ'),
    Some('‰'),
    Some('Š'),
    Some('‹'),
    Some('Œ'),
    None,
    Some('Ž'),
    None,
    None,
    Some('‘'),
    Some('’'),
    Some('“'),
    Some('”'),
    Some('•'),
    Some('–'),
    Some('—'),
    Some('˜'),
    Some('™'),
    Some('š'),
    Some('›'),
    Some('œ'),
    None,
    Some('ž'),
    Some('Ÿ'),
];

pub fn cp1252_char(b: u8) -> Option<char> {
    match b {
        0x80..=0x9F => CP1252_HIGH[(b - 0x80) as usize],
        _ => Some(b as char),
    }
}

/// Decodes Windows-1252 bytes; `None` if a byte is one the code page leaves undefined.
pub fn decode_cp1252(bytes: &[u8]) -> Option<String> {
    bytes.iter().map(|b| cp1252_char(*b)).collect()
}

fn not_text(path: &Path, why: &str) -> Error {
    Error::input(format!(
        "{} is not a text file salesdesk can read ({why}); save it as UTF-8 (\"CSV UTF-8\" in a spreadsheet) and try again",
        path.display()
    ))
}

/// Scans the whole file once and says how it is encoded.
pub fn detect(path: &Path) -> Result<Encoding> {
    let f = File::open(path)
        .map_err(|e| Error::input(format!("cannot read {}: {e}", path.display())))?;
    let mut r = BufReader::with_capacity(1 << 16, f);
    let mut buf = vec![0u8; 1 << 16];
    let mut carry: Vec<u8> = Vec::new();
    let mut first = true;
    let mut bom = false;
    let mut utf8 = Utf8Evidence::default();
    let mut cp1252_ok = true;
    let mut nul = false;
    loop {
        let n = r
            .read(&mut buf)
            .map_err(|e| Error::input(format!("cannot read {}: {e}", path.display())))?;
        if n == 0 {
            break;
        }
        let mut chunk = &buf[..n];
        if first {
            first = false;
            if chunk.starts_with(&[0xFF, 0xFE]) {
                return Ok(Encoding::Utf16Le);
            }
            if chunk.starts_with(&[0xFE, 0xFF]) {
                return Ok(Encoding::Utf16Be);
            }
            if chunk.starts_with(&[0xEF, 0xBB, 0xBF]) {
                bom = true;
                chunk = &chunk[3..];
            }
        }
        nul |= chunk.contains(&0);
        cp1252_ok &= chunk.iter().all(|b| cp1252_char(*b).is_some());
        carry.extend_from_slice(chunk);
        let used = utf8.scan(&carry);
        carry.drain(..used);
    }
    // A character cut by the end of the file is a bad sequence too.
    utf8.bad += u64::from(!carry.is_empty());
    if nul {
        return Err(not_text(
            path,
            "it holds NUL bytes: binary, or UTF-16 without a byte-order mark",
        ));
    }
    // UTF-8 when it all is, or when its byte-order mark says so, or when it holds more UTF-8
    // characters than bytes that are not: a stray byte in a UTF-8 file (its rows are then
    // reported invalid) must not turn every `José` into `JosÃ©`. A Windows-1252 file has
    // next to no valid multi-byte sequences (é is one byte, followed by a letter). A file
    // all ASCII but for a few such bytes is Windows-1252: that is what one looks like.
    if utf8.bad == 0 || bom || utf8.wide > utf8.bad {
        return Ok(if bom {
            Encoding::Utf8Bom
        } else {
            Encoding::Utf8
        });
    }
    if cp1252_ok {
        return Ok(Encoding::Windows1252);
    }
    Err(not_text(path, "it is neither UTF-8 nor Windows-1252"))
}

/// What a scan found for UTF-8: characters of more than one byte, and bad sequences.
#[derive(Debug, Default)]
struct Utf8Evidence {
    wide: u64,
    bad: u64,
}

impl Utf8Evidence {
    /// Scans `b`; returns how many bytes it used (a character cut at the end is left).
    fn scan(&mut self, b: &[u8]) -> usize {
        let mut at = 0;
        loop {
            match std::str::from_utf8(&b[at..]) {
                Ok(s) => {
                    self.wide += wide(s.as_bytes());
                    return b.len();
                }
                Err(e) => {
                    let good = &b[at..at + e.valid_up_to()];
                    self.wide += wide(good);
                    match e.error_len() {
                        None => return at + e.valid_up_to(),
                        Some(n) => {
                            self.bad += 1;
                            at += e.valid_up_to() + n;
                        }
                    }
                }
            }
        }
    }
}

/// Characters of more than one byte in valid UTF-8: their lead bytes.
fn wide(b: &[u8]) -> u64 {
    b.iter().filter(|&&x| x >= 0xC0).count() as u64
}

/// Reads any of the [`Encoding`]s as UTF-8, streaming.
pub struct Utf8Reader<R: Read> {
    inner: R,
    enc: Encoding,
    started: bool,
    raw: Vec<u8>,
    out: Vec<u8>,
    pos: usize,
}

impl<R: Read> Utf8Reader<R> {
    pub fn new(inner: R, enc: Encoding) -> Self {
        Self {
            inner,
            enc,
            started: false,
            raw: Vec::new(),
            out: Vec::new(),
            pos: 0,
        }
    }

    fn fill(&mut self) -> io::Result<bool> {
        let mut buf = [0u8; 1 << 15];
        let n = self.inner.read(&mut buf)?;
        let mut bytes = &buf[..n];
        if !self.started {
            self.started = true;
            let bom: &[u8] = match self.enc {
                Encoding::Utf8Bom => &[0xEF, 0xBB, 0xBF],
                Encoding::Utf16Le => &[0xFF, 0xFE],
                Encoding::Utf16Be => &[0xFE, 0xFF],
                _ => &[],
            };
            if bytes.starts_with(bom) {
                bytes = &bytes[bom.len()..];
            }
        }
        self.out.clear();
        self.pos = 0;
        match self.enc {
            Encoding::Utf8 | Encoding::Utf8Bom => self.out.extend_from_slice(bytes),
            Encoding::Windows1252 => {
                let mut tmp = [0u8; 4];
                for b in bytes {
                    let c = cp1252_char(*b).unwrap_or('\u{FFFD}');
                    self.out
                        .extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
                }
            }
            Encoding::Utf16Le | Encoding::Utf16Be => {
                self.raw.extend_from_slice(bytes);
                let whole = self.raw.len() / 2 * 2;
                let units: Vec<u16> = self.raw[..whole]
                    .chunks_exact(2)
                    .map(|p| {
                        if self.enc == Encoding::Utf16Le {
                            u16::from_le_bytes([p[0], p[1]])
                        } else {
                            u16::from_be_bytes([p[0], p[1]])
                        }
                    })
                    .collect();
                // Keep a high surrogate cut by the chunk's end for the next round.
                let cut = match units.last() {
                    Some(u) if (0xD800..0xDC00).contains(u) && n > 0 => units.len() - 1,
                    _ => units.len(),
                };
                let mut tmp = [0u8; 4];
                for c in char::decode_utf16(units[..cut].iter().copied()) {
                    let c = c.unwrap_or('\u{FFFD}');
                    self.out
                        .extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
                }
                self.raw.drain(..cut * 2);
                if n == 0 {
                    self.raw.clear();
                }
            }
        }
        Ok(n > 0)
    }
}

impl<R: Read> Read for Utf8Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos >= self.out.len() {
            if !self.fill()? && self.out.is_empty() {
                return Ok(0);
            }
        }
        let n = buf.len().min(self.out.len() - self.pos);
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// The whole file as a string, whatever its encoding (for vCard and JSON, read at once). A
/// UTF-8 file with bytes that are not is refused, naming the first line that holds one.
pub fn read_to_string(path: &Path) -> Result<(String, Encoding)> {
    let enc = detect(path)?;
    let f = File::open(path)
        .map_err(|e| Error::input(format!("cannot read {}: {e}", path.display())))?;
    let mut bytes = Vec::new();
    Utf8Reader::new(BufReader::new(f), enc)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::input(format!("cannot read {}: {e}", path.display())))?;
    match String::from_utf8(bytes) {
        Ok(s) => Ok((s, enc)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let b = e.as_bytes();
            let line = 1
                + crate::io::lines::breaks_in(&b[..at])
                + u64::from(b[..at].ends_with(b"\r") && b.get(at) == Some(&b'\n'));
            Err(Error::input(format!(
                "{} is UTF-8 but for bytes at line {line} that are not; fix or remove them and try again",
                path.display()
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8], enc: Encoding) -> String {
        let mut s = String::new();
        Utf8Reader::new(bytes, enc).read_to_string(&mut s).unwrap();
        s
    }

    #[test]
    fn cp1252_maps_the_high_range() {
        assert_eq!(
            decode_cp1252(b"Jos\xe9 \x80 \x93q\x94").unwrap(),
            "José € “q”"
        );
        assert!(decode_cp1252(b"\x81").is_none());
        assert_eq!(decode(b"Ren\xe9e", Encoding::Windows1252), "Renée");
    }

    #[test]
    fn utf16_and_bom() {
        let mut le = vec![0xFF, 0xFE];
        for u in "name,José\n".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&le, Encoding::Utf16Le), "name,José\n");
        assert_eq!(decode(b"\xEF\xBB\xBFname", Encoding::Utf8Bom), "name");
    }

    #[test]
    fn detects_from_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.csv");
        std::fs::write(&p, b"name\nJos\xe9\n").unwrap();
        assert_eq!(detect(&p).unwrap(), Encoding::Windows1252);
        std::fs::write(&p, "name\nJosé\n").unwrap();
        assert_eq!(detect(&p).unwrap(), Encoding::Utf8);
        std::fs::write(&p, b"\xEF\xBB\xBFname\n").unwrap();
        assert_eq!(detect(&p).unwrap(), Encoding::Utf8Bom);
        std::fs::write(&p, b"name\n\x81\x8d\n").unwrap();
        assert_eq!(detect(&p).unwrap_err().exit_code(), 2);
    }

    #[test]
    fn a_few_bad_bytes_in_utf8_are_not_windows_1252() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.csv");
        // 5,000 rows of UTF-8 with one stray byte: UTF-8.
        let mut text = b"name\n".to_vec();
        for i in 0..5000 {
            text.extend_from_slice(format!("José {i}\n").as_bytes());
        }
        text.extend_from_slice(b"Bad \xe9 byte\n");
        std::fs::write(&p, &text).unwrap();
        assert_eq!(detect(&p).unwrap(), Encoding::Utf8);
        // The same with a byte-order mark, and with the bad byte cut at the end.
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(&text);
        bom.push(0xC3);
        std::fs::write(&p, &bom).unwrap();
        assert_eq!(detect(&p).unwrap(), Encoding::Utf8Bom);
        // A Windows-1252 file, however long, with its accents: Windows-1252.
        let mut cp = b"name\n".to_vec();
        for i in 0..5000 {
            cp.extend_from_slice(b"Jos\xe9");
            cp.extend_from_slice(format!(" {i}\n").as_bytes());
        }
        std::fs::write(&p, &cp).unwrap();
        assert_eq!(detect(&p).unwrap(), Encoding::Windows1252);
        // Even one holding a few sequences that happen to be valid UTF-8 (Ã© written out).
        cp.extend_from_slice("Ã©\n".as_bytes());
        std::fs::write(&p, &cp).unwrap();
        assert_eq!(detect(&p).unwrap(), Encoding::Windows1252);
    }
}
