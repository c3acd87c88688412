//! Text helpers shared by storage, the CLI and the TUI: folding for matching, display widths.

use unicode_normalization::UnicodeNormalization;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Lowercase without accents, whitespace collapsed: how names are compared ("José" = "jose").
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// Removes control characters (terminal escapes among them) so nothing a contact's name
/// holds can drive the terminal. Newlines and tabs become spaces. Bidirectional overrides
/// and isolates go too: in a terminal that applies bidi they would reorder the rest of the
/// line, the columns after a name included.
pub fn printable(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c == '\n' || c == '\t' || c == '\r' {
                ' '
            } else {
                c
            }
        })
        .filter(|&c| !c.is_control() && !is_bidi_control(c))
        .collect()
}

/// The invisible characters that change the direction of the text around them.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cuts `s` to at most `max` display columns, ending in `…` when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw > max - 1 {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

/// Pads (or truncates) to exactly `w` display columns.
pub fn pad(s: &str, w: usize) -> String {
    let t = truncate(s, w);
    let fill = w.saturating_sub(width(&t));
    format!("{t}{}", " ".repeat(fill))
}

/// Plain ASCII with nothing to strip: its width is its length, no pass over it is needed.
fn plain_ascii(s: &str) -> bool {
    s.bytes().all(|b| (0x20..0x7f).contains(&b))
}

/// Appends `pad(&printable(s), w)` to `out`: a list of thousands of lines (`today`) writes
/// each cell straight into its line, allocating nothing for the common ASCII name.
pub fn push_cell(out: &mut String, s: &str, w: usize) {
    let fits = if plain_ascii(s) {
        Some(s.len())
    } else if s.chars().all(|c| !c.is_control() && !is_bidi_control(c)) {
        Some(width(s))
    } else {
        None
    };
    match fits {
        Some(n) if n <= w => {
            out.push_str(s);
            out.extend(std::iter::repeat_n(' ', w - n));
        }
        _ => out.push_str(&pad(&printable(s), w)),
    }
}

/// Appends `printable(s)` to `out`.
pub fn push_printable(out: &mut String, s: &str) {
    if plain_ascii(s) {
        out.push_str(s);
    } else {
        out.push_str(&printable(s));
    }
}

pub fn pad_left(s: &str, w: usize) -> String {
    let t = truncate(s, w);
    let fill = w.saturating_sub(width(&t));
    format!("{}{t}", " ".repeat(fill))
}

/// `1 deal`, `2 deals`, `0 deals`: a count and its noun, the noun plural unless the count is
/// one. Every count in salesdesk's text goes through here. The last word of `noun` is the one
/// made plural (`open deal` -> `open deals`).
pub fn plural<N>(n: N, noun: &str) -> String
where
    N: TryInto<i128> + Copy + std::fmt::Display,
{
    if n.try_into().ok() == Some(1) {
        return format!("{n} {noun}");
    }
    let (head, last) = match noun.rsplit_once(' ') {
        Some((h, l)) => (format!("{h} "), l),
        None => (String::new(), noun),
    };
    let vowel_y = ["ay", "ey", "oy", "uy"].iter().any(|v| last.ends_with(v));
    let many = match last {
        "person" => "people".to_string(),
        _ if last.ends_with('y') && !vowel_y => format!("{}ies", &last[..last.len() - 1]),
        _ if last.ends_with(['s', 'x']) || last.ends_with("ch") || last.ends_with("sh") => {
            format!("{last}es")
        }
        _ => format!("{last}s"),
    };
    format!("{n} {head}{many}")
}

/// Digits of a phone number, for matching "+1 (555) 123-4567" against "5551234567".
pub fn phone_digits(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_digit()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_strips_accents_and_case() {
        assert_eq!(fold("  José   ÁLVAREZ "), "jose alvarez");
        assert_eq!(fold("Zoë Çelik"), "zoe celik");
    }

    #[test]
    fn truncate_by_display_width() {
        assert_eq!(truncate("山田太郎さん", 7), "山田太…");
        assert_eq!(width(&truncate("山田太郎さん", 7)), 7);
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(pad("ab", 4), "ab  ");
        assert_eq!(pad_left("ab", 4), "  ab");
    }

    #[test]
    fn cells_match_pad_of_printable() {
        for s in [
            "Ana",
            "",
            "exactly ten",
            "a name longer than the cell",
            "Bob\x1b[31m",
            "山田太郎さん",
            "tab\there",
        ] {
            for w in [0, 1, 5, 10, 11, 40] {
                let mut cell = String::from(">");
                push_cell(&mut cell, s, w);
                assert_eq!(cell, format!(">{}", pad(&printable(s), w)), "{s:?} in {w}");
            }
            let mut p = String::new();
            push_printable(&mut p, s);
            assert_eq!(p, printable(s));
        }
    }

    #[test]
    fn printable_drops_escapes() {
        assert_eq!(printable("Bob\x1b[31m Red\x07"), "Bob[31m Red");
        assert_eq!(printable("evil\u{202e}txt.exe\u{2066}"), "eviltxt.exe");
        assert_eq!(
            printable("שלום Ana"),
            "שלום Ana",
            "right-to-left text itself stays"
        );
    }

    #[test]
    fn counts_name_their_noun_in_the_right_number() {
        for (n, noun, want) in [
            (1i64, "deal", "1 deal"),
            (0, "deal", "0 deals"),
            (2, "open deal", "2 open deals"),
            (1, "open deal", "1 open deal"),
            (1, "day", "1 day"),
            (3, "day", "3 days"),
            (1, "call", "1 call"),
            (2, "follow-up", "2 follow-ups"),
            (2, "company", "2 companies"),
            (1, "company", "1 company"),
            (2, "person", "2 people"),
            (1, "person", "1 person"),
            (2, "match", "2 matches"),
            (-1, "day", "-1 days"),
        ] {
            assert_eq!(plural(n, noun), want);
        }
        assert_eq!(plural(1usize, "row"), "1 row");
        assert_eq!(plural(5u64, "row"), "5 rows");
    }
}
