//! The one path every byte salesdesk prints takes, so nothing a stored name holds can drive
//! the terminal (a title set, a clipboard write through OSC 52, a cursor move over what was
//! printed, a bidi override that reorders the line).
//!
//! - stdout: [`Inert`] wraps it, under the buffer, and lets no control character through but
//!   newline, tab and the CR of a CRLF (an `.ics` line ending); C1 controls, DEL and bidi
//!   overrides and isolates go too. Text, `--json` and exports to stdout alike.
//! - JSON: [`to_writer_pretty`] escapes what serde_json leaves raw (DEL, C1, bidi) as
//!   `\uXXXX`, so the document stays exact: it parses back to the stored text, and passes
//!   through [`Inert`] unchanged.
//! - stderr: [`say`] writes `error:`, `warning:` and `note:` lines, cleaned the same way.

use std::borrow::Cow;
use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};

use crate::text::is_bidi_control;

/// Whether `c` may reach the terminal raw. Newline and tab move the cursor forward only;
/// everything else a terminal acts on (C0, DEL, C1, bidi controls) is kept out.
pub fn is_inert(c: char) -> bool {
    c == '\n' || c == '\t' || (!c.is_control() && !is_bidi_control(c))
}

/// `s` with every character that is not [`is_inert`] taken out.
pub fn clean(s: &str) -> Cow<'_, str> {
    if s.chars().all(is_inert) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().filter(|&c| is_inert(c)).collect())
    }
}

/// Writes `kind: message` on stderr, the message cleaned: the one way a line reaches stderr
/// (the `error:` of `main`, the import's row errors, notes and warnings).
pub fn say(kind: &str, message: &str) {
    let mut err = io::stderr().lock();
    // Nothing is left to tell when stderr itself is gone.
    let _ = writeln!(err, "{}: {}", clean(kind), clean(message));
}

/// A line that already says its kind (`warning: …`), cleaned the same way.
pub fn say_line(line: &str) {
    let mut err = io::stderr().lock();
    let _ = writeln!(err, "{}", clean(line));
}

/// How many bytes at the end of `b` may be the start of a sequence [`Inert`] must see whole
/// before it can decide: a CR (CRLF?), or the first bytes of a C1, bidi or U+061C character.
fn open_tail(b: &[u8]) -> usize {
    match b {
        [.., 0xE2, 0x80 | 0x81] => 2,
        [.., b'\r' | 0xC2 | 0xD8 | 0xE2] => 1,
        _ => 0,
    }
}

/// A byte that passes whatever follows it: it cannot start a blocked sequence.
fn safe(b: u8) -> bool {
    (0x20..0x7F).contains(&b) || b == b'\n' || (b >= 0x80 && b != 0xC2 && b != 0xD8 && b != 0xE2)
}

/// The length of the sequence at the start of `b` that must not pass, or 0 if its first
/// byte may. `b` holds the whole sequence (see [`open_tail`]).
fn blocked(b: &[u8]) -> usize {
    match b {
        [b'\r', b'\n', ..] => 0,
        [b'\n' | b'\t', ..] => 0,
        [c, ..] if *c < 0x20 || *c == 0x7F => 1,
        // C1: U+0080..=U+009F.
        [0xC2, 0x80..=0x9F, ..] => 2,
        // U+061C ARABIC LETTER MARK.
        [0xD8, 0x9C, ..] => 2,
        // U+200E, U+200F, U+202A..=U+202E.
        [0xE2, 0x80, 0x8E | 0x8F | 0xAA..=0xAE, ..] => 3,
        // U+2066..=U+2069.
        [0xE2, 0x81, 0xA6..=0xA9, ..] => 3,
        _ => 0,
    }
}

/// A writer that passes only inert text to `inner` (see the module's notes). A sequence cut
/// by the end of one write is held until the next one, or [`Inert::finish`].
pub struct Inert<W: Write> {
    inner: W,
    held: Vec<u8>,
    scratch: Vec<u8>,
}

impl<W: Write> Inert<W> {
    pub fn new(inner: W) -> Self {
        Self {
            inner,
            held: Vec::new(),
            scratch: Vec::new(),
        }
    }

    /// Writes what is held (a trailing lone CR is dropped) and flushes.
    pub fn finish(&mut self) -> io::Result<()> {
        let held = std::mem::take(&mut self.held);
        let mut rest: &[u8] = &held;
        self.scratch.clear();
        while let Some((&b, tail)) = rest.split_first() {
            if blocked(rest) == 0 && b != b'\r' {
                self.scratch.push(b);
            }
            rest = tail;
        }
        self.inner.write_all(&self.scratch)?;
        self.inner.flush()
    }
}

impl<W: Write> Write for Inert<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let joined;
        let data: &[u8] = if self.held.is_empty() {
            buf
        } else {
            self.held.extend_from_slice(buf);
            joined = std::mem::take(&mut self.held);
            &joined
        };
        let keep = open_tail(data);
        let (now, later) = data.split_at(data.len() - keep);
        // The common case, plain text, is one scan and one write.
        let plain = now.iter().all(|&b| safe(b));
        if plain {
            self.inner.write_all(now)?;
        } else {
            self.scratch.clear();
            let mut i = 0;
            while i < now.len() {
                // Runs of bytes that can never start a blocked sequence are copied whole: a
                // list with a `·` in every line is not copied a byte at a time.
                let run = now[i..]
                    .iter()
                    .position(|&b| !safe(b))
                    .unwrap_or(now.len() - i);
                self.scratch.extend_from_slice(&now[i..i + run]);
                i += run;
                if i >= now.len() {
                    break;
                }
                // The whole sequence, even where it runs into the held tail.
                let n = blocked(&data[i..]);
                if n == 0 {
                    self.scratch.push(now[i]);
                    i += 1;
                } else {
                    i += n;
                }
            }
            self.inner.write_all(&self.scratch)?;
            // A sequence that began in `now` and ran into `later` was skipped whole.
            let over = i - now.len();
            self.held.extend_from_slice(&later[over.min(later.len())..]);
            return Ok(buf.len());
        }
        self.held.extend_from_slice(later);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        // What is held waits for the bytes that decide it; `finish` ends it.
        self.inner.flush()
    }
}

/// serde_json's pretty printer, but DEL, C1 and bidi controls in strings are written as
/// `\uXXXX` escapes, as it already writes C0 controls.
struct EscapingFormatter<'a>(PrettyFormatter<'a>);

impl Formatter for EscapingFormatter<'_> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if c == '\u{7f}' || c.is_control() || is_bidi_control(c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                write!(writer, "\\u{:04x}", c as u32)?;
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// `v` as pretty JSON with every control and bidi character escaped.
pub fn to_writer_pretty<W: Write, T: Serialize + ?Sized>(w: W, v: &T) -> serde_json::Result<()> {
    let mut ser =
        serde_json::Serializer::with_formatter(w, EscapingFormatter(PrettyFormatter::new()));
    v.serialize(&mut ser)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "a\x1b]52;c;aGk=\x07b\x1b]0;title\x1b\\c\x1b[2J\u{9b}31m\x08\x7f\r\0\u{202e}d\u{2066}\u{200f}\u{61c}e\u{85}";

    fn through(chunks: &[&[u8]]) -> Vec<u8> {
        let mut w = Inert::new(Vec::new());
        for c in chunks {
            w.write_all(c).unwrap();
        }
        w.finish().unwrap();
        w.inner
    }

    fn raw_controls(s: &str) -> Vec<char> {
        s.chars().filter(|&c| !is_inert(c)).collect()
    }

    #[test]
    fn the_writer_passes_only_inert_text_however_it_is_cut() {
        let text = format!("{HOSTILE} José 山田 שלום\r\nline\tend\n");
        let want = "a]52;c;aGk=b]0;title\\c[2J31mde José 山田 שלום\r\nline\tend\n";
        let bytes = text.as_bytes();
        assert_eq!(String::from_utf8(through(&[bytes])).unwrap(), want);
        // Every cut point, so a sequence split between two writes is still caught.
        for i in 0..=bytes.len() {
            for j in i..=bytes.len() {
                let out = through(&[&bytes[..i], &bytes[i..j], &bytes[j..]]);
                assert_eq!(String::from_utf8(out).unwrap(), want, "cut at {i}, {j}");
            }
        }
    }

    #[test]
    fn a_lone_cr_never_passes() {
        assert_eq!(through(&[b"a\rb\r"]), b"ab");
        assert_eq!(through(&[b"a\r", b"\nb"]), b"a\r\nb");
    }

    #[test]
    fn json_escapes_what_serde_leaves_raw_and_stays_exact() {
        let v = serde_json::json!({ "name": HOSTILE, HOSTILE: [HOSTILE] });
        let mut out = Vec::new();
        to_writer_pretty(&mut out, &v).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(raw_controls(&s).is_empty(), "{s:?}");
        assert!(s.contains("\\u202e") && s.contains("\\u009b"), "{s}");
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
        // Pretty as serde's own printer would be, for text without those characters.
        let plain = serde_json::json!({"a": [1, {"b": "c"}], "d": "José"});
        let mut ours = Vec::new();
        to_writer_pretty(&mut ours, &plain).unwrap();
        assert_eq!(ours, serde_json::to_vec_pretty(&plain).unwrap());
    }

    #[test]
    fn clean_keeps_newlines_and_drops_the_rest() {
        assert_eq!(clean("ok"), "ok");
        assert_eq!(clean("two\nlines\ttab"), "two\nlines\ttab");
        assert!(raw_controls(&clean(HOSTILE)).is_empty());
    }

    /// Every line salesdesk prints goes through this module: no other print in `src/`
    /// outside the TUI (which draws through ratatui and `text::printable`).
    #[test]
    fn no_other_print_in_the_source() {
        let mut bad = Vec::new();
        let mut dirs = vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")];
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    if !p.ends_with("tui") {
                        dirs.push(p);
                    }
                    continue;
                }
                if p.ends_with("inert.rs") || p.extension().is_none_or(|x| x != "rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&p).unwrap();
                for (i, line) in text.lines().enumerate() {
                    let code = line.trim_start();
                    if code.starts_with("//") {
                        continue;
                    }
                    for m in [
                        "println!",
                        "print!(",
                        "eprint!(",
                        "io::stderr()",
                        "io::stdout()",
                    ] {
                        if code.contains(m) && !code.contains("inert") {
                            bad.push(format!("{}:{}: {code}", p.display(), i + 1));
                        }
                    }
                }
            }
        }
        // stdout is wrapped once, in main.rs; the progress line writes its own escapes
        // around a cleaned label.
        bad.retain(|l| !l.contains("src/main.rs") && !l.contains("src/io/progress.rs"));
        assert!(
            bad.is_empty(),
            "print outside src/inert.rs:\n{}",
            bad.join("\n")
        );
    }
}
