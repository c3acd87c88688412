//! Copying by OSC 52 (the terminal puts the text on the clipboard, over SSH too) and opening
//! `mailto:` / `tel:` with the system's opener, the address passed as one argument.

use std::io::Write;
use std::process::{Command, Stdio};

/// The escape sequence that asks the terminal to set the clipboard to `text`.
pub fn osc52(text: &str) -> String {
    format!("\x1b]52;c;{}\x07", base64(text.as_bytes()))
}

pub fn copy(out: &mut impl Write, text: &str) -> std::io::Result<()> {
    out.write_all(osc52(text).as_bytes())?;
    out.flush()
}

/// `mailto:ana@acme.com` or `tel:+15551234567` (spaces and punctuation other than `+` dropped).
pub fn uri(kind: Kind, address: &str) -> String {
    match kind {
        Kind::Email => format!("mailto:{}", address.trim()),
        Kind::Phone => {
            let digits: String = address
                .chars()
                .filter(|c| c.is_ascii_digit() || *c == '+')
                .collect();
            format!("tel:{digits}")
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Email,
    Phone,
}

/// The opener of this system: `open` on macOS, `xdg-open` elsewhere.
pub fn opener() -> &'static str {
    if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    }
}

/// Starts the opener on `uri` as one argument, never through a shell; does not wait.
pub fn open(uri: &str) -> std::io::Result<()> {
    let mut child = Command::new(opener())
        .arg(uri)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    // Reap it in the background so no zombie is left.
    std::thread::spawn(move || {
        let _ = child.wait();
    });
    Ok(())
}

fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_is_base64_of_the_text() {
        assert_eq!(base64(b"ana@acme.com"), "YW5hQGFjbWUuY29t");
        assert_eq!(base64(b"a"), "YQ==");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(osc52("hi"), "\x1b]52;c;aGk=\x07");
    }

    #[test]
    fn uris() {
        assert_eq!(uri(Kind::Email, " ana@acme.com "), "mailto:ana@acme.com");
        assert_eq!(uri(Kind::Phone, "+1 (555) 123-4567"), "tel:+15551234567");
    }
}
