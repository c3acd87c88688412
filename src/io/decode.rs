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
    let mut utf8_ok = true;
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
        if utf8_ok {
            carry.extend_from_slice(chunk);
            match std::str::from_utf8(&carry) {
                Ok(_) => carry.clear(),
                Err(e) if e.error_len().is_none() => {
                    // A character cut by the chunk's end: keep its first bytes for next time.
                    let keep = carry.split_off(e.valid_up_to());
                    carry = keep;
                }
                Err(_) => utf8_ok = false,
            }
        }
        if !utf8_ok && !cp1252_ok {
            break;
        }
    }
    if nul {
        return Err(not_text(
            path,
            "it holds NUL bytes: binary, or UTF-16 without a byte-order mark",
        ));
    }
    if utf8_ok && carry.is_empty() {
        return Ok(if bom {
            Encoding::Utf8Bom
        } else {
            Encoding::Utf8
        });
    }
    if bom {
        return Err(not_text(
            path,
            "it starts as UTF-8 but holds bytes that are not",
        ));
    }
    if cp1252_ok {
        return Ok(Encoding::Windows1252);
    }
    Err(not_text(path, "it is neither UTF-8 nor Windows-1252"))
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

/// The whole file as a string, whatever its encoding (for vCard and JSON, read at once).
pub fn read_to_string(path: &Path) -> Result<(String, Encoding)> {
    let enc = detect(path)?;
    let f = File::open(path)
        .map_err(|e| Error::input(format!("cannot read {}: {e}", path.display())))?;
    let mut s = String::new();
    Utf8Reader::new(BufReader::new(f), enc)
        .read_to_string(&mut s)
        .map_err(|e| Error::input(format!("cannot read {}: {e}", path.display())))?;
    Ok((s, enc))
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
}
