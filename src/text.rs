//! Text helpers shared by storage, the CLI and the TUI: folding for matching, display widths.

use unicode_normalization::UnicodeNormalization;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Letters that carry no accent Unicode can take off (ø is not o plus a mark, as é is e plus
/// one), folded to what people type for them: `bjorn` finds Bjørn, `strasse` Straße.
/// Lowercase and uppercase both, since SQLite's indexes get them before lowercasing.
/// The schema's triggers fold indexed text with the same table (`storage::fold_sql`), one
/// nested replace() a letter: a SQLite built with the default fixed parser stack (the
/// sqlite3 shell of Debian 12, 3.40) refuses the schema past 23 letters, so the table stays
/// well short of that (see `the_fold_table_stays_parsable_everywhere`).
pub const FOLDED_LETTERS: &[(char, &str)] = &[
    ('ø', "o"),
    ('Ø', "o"),
    ('æ', "ae"),
    ('Æ', "ae"),
    ('œ', "oe"),
    ('Œ', "oe"),
    ('ß', "ss"),
    ('ẞ', "ss"),
    ('ł', "l"),
    ('Ł', "l"),
    ('đ', "d"),
    ('Đ', "d"),
    ('ð', "d"),
    ('Ð', "d"),
    ('þ', "th"),
    ('Þ', "th"),
    ('ı', "i"),
];

fn folded_letter(c: char) -> Option<&'static str> {
    if c.is_ascii() {
        return None;
    }
    FOLDED_LETTERS
        .iter()
        .find(|(l, _)| *l == c)
        .map(|(_, f)| *f)
}

/// Lowercase without accents, whitespace collapsed: how names are compared ("José" = "jose",
/// "Bjørn" = "bjorn", "Straße" = "strasse").
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
        for l in c.to_lowercase() {
            match folded_letter(l) {
                Some(f) => out.push_str(f),
                None => out.push(l),
            }
        }
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
    let mut out = String::new();
    push_cut(&mut out, s, max);
    out
}

/// Appends the characters of `s` that fit in `max - 1` columns, then `…` (nothing when `max`
/// is 0): `s` cut to `max` columns.
fn push_cut(out: &mut String, s: &str, max: usize) {
    if max == 0 {
        return;
    }
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
/// each cell straight into its line, allocating nothing unless `s` has characters to strip
/// (a "name · company" is wider than its cell on most lines, and is cut in place).
pub fn push_cell(out: &mut String, s: &str, w: usize) {
    let (n, ascii) = if plain_ascii(s) {
        (s.len(), true)
    } else if s.chars().all(|c| !c.is_control() && !is_bidi_control(c)) {
        (width(s), false)
    } else {
        out.push_str(&pad(&printable(s), w));
        return;
    };
    if n <= w {
        out.push_str(s);
        out.extend(std::iter::repeat_n(' ', w - n));
        return;
    }
    if w == 0 {
        return;
    }
    // As `pad(truncate(..))`: the characters that fit in w - 1 columns, `…`, then the fill
    // to the cut text's width (a sequence such as an emoji with a joiner is narrower than
    // its characters).
    if ascii {
        out.push_str(&s[..w - 1]);
        out.push('…');
        return;
    }
    let start = out.len();
    push_cut(out, s, w);
    let cut = width(&out[start..]);
    out.extend(std::iter::repeat_n(' ', w.saturating_sub(cut)));
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

/// Breaks `s` into lines of at most `w` display columns, between words where it can; a word
/// wider than a line is cut across lines. Runs of spaces between words become one.
pub fn wrap(s: &str, w: usize) -> Vec<String> {
    let w = w.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut lw = 0;
    for word in s.split_whitespace() {
        let ww = width(word);
        if lw > 0 && lw + 1 + ww <= w {
            line.push(' ');
            line.push_str(word);
            lw += 1 + ww;
            continue;
        }
        if lw > 0 {
            lines.push(std::mem::take(&mut line));
            lw = 0;
        }
        for c in word.chars() {
            let cw = UnicodeWidthChar::width(c).unwrap_or(0);
            if lw + cw > w && lw > 0 {
                lines.push(std::mem::take(&mut line));
                lw = 0;
            }
            line.push(c);
            lw += cw;
        }
    }
    if lw > 0 || lines.is_empty() {
        lines.push(line);
    }
    lines
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

/// 200000 → "200,000".
pub fn thousands(n: usize) -> String {
    group_digits(&n.to_string())
}

/// "1234567" → "1,234,567": a number's digits in groups of three.
pub fn group_digits(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Digits of a phone number, for matching "+1 (555) 123-4567" against "5551234567".
pub fn phone_digits(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_digit()).collect()
}

#[cfg(test)]
mod tests {

    #[test]
    fn wrap_breaks_between_words_and_cuts_long_words() {
        assert_eq!(
            wrap("wants a quote for forty seats", 12),
            ["wants a", "quote for", "forty seats"]
        );
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 5), [""]);
        assert_eq!(wrap("東京オフィス訪問", 6), ["東京オ", "フィス", "訪問"]);
        for (text, w) in [
            ("a  b   c", 3),
            ("x y z long-word-here", 5),
            ("🚀🚀🚀 ok", 4),
        ] {
            for l in wrap(text, w) {
                assert!(width(&l) <= w, "{l:?} wider than {w}");
            }
        }
    }
    use super::*;

    #[test]
    fn fold_strips_accents_and_case() {
        assert_eq!(fold("  José   ÁLVAREZ "), "jose alvarez");
        assert_eq!(fold("Zoë Çelik"), "zoe celik");
    }

    #[test]
    fn fold_spells_letters_without_a_decomposition() {
        for (name, folded) in [
            ("Bjørn Olsen", "bjorn olsen"),
            ("SØREN NILSSON", "soren nilsson"),
            ("Łukasz Żółć", "lukasz zolc"),
            ("Hauptstraße", "hauptstrasse"),
            ("HAUPTSTRAẞE", "hauptstrasse"),
            ("Æsa Þórsdóttir", "aesa thorsdottir"),
            ("Đorđe Ðuric", "dorde duric"),
            ("Œuvre", "oeuvre"),
            ("Kızılay", "kizilay"),
            ("Åsa Ångström", "asa angstrom"),
        ] {
            assert_eq!(fold(name), folded, "{name}");
        }
        for (c, f) in FOLDED_LETTERS {
            assert_eq!(fold(&c.to_string()), *f, "{c}");
            assert!(f.chars().all(|x| x.is_ascii_lowercase()), "{c}");
        }
    }

    #[test]
    fn the_fold_table_stays_parsable_everywhere() {
        // Measured: the triggers of migration 0009 parse in SQLite 3.40's default build up
        // to 23 letters; a few levels of margin are kept for SQL around them.
        assert!(FOLDED_LETTERS.len() <= 17, "{}", FOLDED_LETTERS.len());
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
            "Hugo Becker · Ironline Logistics 7457",
            "Zoë Çelik · Lisboa Bridge",
            "👩‍💻 Ana ❤️ · 山田 Co",
            "a\u{0301}ccent combining",
        ] {
            for w in [0, 1, 2, 3, 5, 10, 11, 32, 40] {
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
