//! vCard: 2.1, 3.0 and 4.0 in (several cards a file, folded lines, `item1.EMAIL` groups,
//! quoted-printable with a charset), 4.0 out. Parsing is calcard's, which reads what Apple,
//! Gmail and Outlook really write; mapping to a contact is here.

use calcard::vcard::{
    VCard, VCardEntry, VCardParameter, VCardParameterName, VCardParameterValue, VCardProperty,
    VCardValue, VCardVersion,
};
use calcard::{Entry, Parser};

use crate::domain::contact::Contact;
use crate::io::{ContactRecord, Row};

/// The text parts of a property's value, components split out (`ORG:IBM;Accounting`).
fn texts(e: &VCardEntry) -> Vec<String> {
    let mut out = Vec::new();
    for v in &e.values {
        match v {
            VCardValue::Text(s) => out.push(s.clone()),
            VCardValue::Component(parts) => out.extend(parts.iter().cloned()),
            VCardValue::Integer(i) => out.push(i.to_string()),
            _ => {}
        }
    }
    out
}

fn first_text(e: &VCardEntry) -> Option<String> {
    texts(e)
        .into_iter()
        .map(|s| s.trim().to_string())
        .find(|s| !s.is_empty())
}

/// The line each card starts on (`BEGIN:VCARD`, any case), to report rows by line.
fn card_lines(text: &str) -> Vec<u64> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            l.trim_start_matches('\u{feff}')
                .trim()
                .eq_ignore_ascii_case("BEGIN:VCARD")
        })
        .map(|(i, _)| i as u64 + 1)
        .collect()
}

/// One card as a contact.
pub fn card_to_record(card: &VCard) -> std::result::Result<ContactRecord, String> {
    let mut r = ContactRecord::default();
    let mut n_name = None;
    let mut honorifics: Vec<String> = Vec::new();
    for e in &card.entries {
        match &e.name {
            VCardProperty::Fn if r.name.is_empty() => {
                r.name = texts(e).join(" ").trim().to_string();
            }
            VCardProperty::N => {
                // family; given; additional; prefix; suffix
                let parts = texts(e);
                let get = |i: usize| parts.get(i).map(|s| s.trim()).unwrap_or("");
                // Prefix and suffix are the last two parts (a comma list in "additional
                // names", as Apple writes it, makes more than five).
                let n = parts.len();
                let suffix = if n >= 5 { get(n - 1) } else { "" };
                let name: Vec<&str> = [get(1), get(2), get(0)]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect();
                if !name.is_empty() {
                    // The suffix (III, Sr., PhD) is part of who someone is; the honorific
                    // (Mr., Dr.) is how one addresses them, and is left out.
                    let mut full = name.join(" ");
                    if !suffix.is_empty() {
                        full = format!("{full} {suffix}");
                    }
                    n_name = Some(full);
                }
                if n >= 5 && !get(n - 2).is_empty() {
                    honorifics.push(get(n - 2).to_string());
                }
            }
            VCardProperty::Email => r
                .emails
                .extend(first_text(e).map(|s| s.trim_start_matches("mailto:").to_string())),
            VCardProperty::Tel => r
                .phones
                .extend(first_text(e).map(|s| s.trim_start_matches("tel:").to_string())),
            VCardProperty::Org if r.company.is_none() => r.company = first_text(e),
            VCardProperty::Title if r.title.is_none() => r.title = first_text(e),
            VCardProperty::Categories => r.tags.extend(
                texts(e)
                    .iter()
                    .flat_map(|t| t.split(','))
                    .map(|t| t.trim().to_string()),
            ),
            VCardProperty::Note => {
                let body = texts(e).join(";");
                if !body.trim().is_empty() {
                    r.notes.push(body.trim().to_string());
                }
            }
            VCardProperty::Url | VCardProperty::Socialprofile => {
                if let Some(u) = first_text(e)
                    && u.to_ascii_lowercase().contains("linkedin.com")
                    && r.linkedin_url.is_none()
                {
                    r.linkedin_url = Some(u);
                }
            }
            VCardProperty::Other(name) if name.eq_ignore_ascii_case("X-SOCIALPROFILE") => {
                if let Some(u) = first_text(e)
                    && u.to_ascii_lowercase().contains("linkedin")
                    && r.linkedin_url.is_none()
                {
                    r.linkedin_url = Some(u);
                }
            }
            _ => {}
        }
    }
    if r.name.is_empty() {
        r.name = n_name.unwrap_or_default();
    }
    // "Mr. John Doe Sr.": the honorific N names is not part of the name kept; the suffix is.
    for a in &honorifics {
        let name = r.name.trim();
        if let Some(rest) = name.strip_prefix(a.as_str())
            && rest.starts_with(' ')
        {
            r.name = rest.trim().to_string();
        }
    }
    r.name = crate::io::squeeze_name(&r.name);
    if r.name.is_empty()
        && r.emails.is_empty()
        && let Some(c) = &r.company
    {
        r.name = c.clone();
    }
    r.finish()
}

/// Every card of a .vcf file as rows, numbered by the line its card starts on.
pub fn rows(text: &str) -> Vec<Row> {
    let lines = card_lines(text);
    let mut out = Vec::new();
    let mut parser = Parser::new(text);
    let mut i = 0usize;
    loop {
        let line = lines.get(i).copied().unwrap_or(0);
        match parser.entry() {
            Entry::Eof => break,
            Entry::VCard(card) => {
                out.push(Row {
                    line,
                    record: card_to_record(&card),
                });
                i += 1;
            }
            Entry::InvalidLine(_) => {}
            Entry::UnterminatedComponent(_) => {
                out.push(Row {
                    line,
                    record: Err("the card has no END:VCARD".into()),
                });
                break;
            }
            Entry::ICalendar(_) => {
                out.push(Row {
                    line,
                    record: Err("a calendar entry, not a vCard".into()),
                });
            }
            other => {
                out.push(Row {
                    line,
                    record: Err(format!("not a vCard: {other:?}")),
                });
                i += 1;
            }
        }
    }
    out
}

fn text_entry(prop: VCardProperty, value: &str) -> VCardEntry {
    VCardEntry::new(prop).with_value(value.to_string())
}

/// A contact as a vCard 4.0 card.
pub fn contact_card(c: &Contact) -> VCard {
    let mut entries = vec![text_entry(VCardProperty::Fn, &c.name)];
    // N: family; given. The last word is taken as the family name.
    let words: Vec<&str> = c.name.split_whitespace().collect();
    let (given, family) = match words.split_last() {
        Some((last, rest)) if !rest.is_empty() => (rest.join(" "), last.to_string()),
        _ => (String::new(), c.name.clone()),
    };
    entries.push(VCardEntry::new(VCardProperty::N).with_values(vec![
        VCardValue::Text(family),
        VCardValue::Text(given),
        VCardValue::Text(String::new()),
        VCardValue::Text(String::new()),
        VCardValue::Text(String::new()),
    ]));
    if let Some(co) = &c.company {
        entries.push(text_entry(VCardProperty::Org, co));
    }
    if let Some(t) = &c.title {
        entries.push(text_entry(VCardProperty::Title, t));
    }
    for (i, e) in c.emails.iter().enumerate() {
        let mut entry = text_entry(VCardProperty::Email, e);
        if i == 0 {
            entry = entry.with_param(VCardParameter {
                name: VCardParameterName::Pref,
                value: VCardParameterValue::Integer(1),
            });
        }
        entries.push(entry);
    }
    for p in &c.phones {
        entries.push(text_entry(VCardProperty::Tel, p));
    }
    if !c.tags.is_empty() {
        entries.push(
            VCardEntry::new(VCardProperty::Categories)
                .with_values(c.tags.iter().map(|t| VCardValue::Text(t.clone())).collect()),
        );
    }
    if let Some(u) = &c.linkedin_url {
        entries.push(text_entry(VCardProperty::Url, u));
    }
    entries.push(text_entry(
        VCardProperty::Uid,
        &format!("urn:salesdesk:contact:{}", c.id),
    ));
    VCard { entries }
}

/// Writes a card as vCard 4.0 text.
pub fn write_card(out: &mut String, c: &Contact) {
    // Writing to a String cannot fail.
    let _ = contact_card(c).write_to(out, VCardVersion::V4_0);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> ContactRecord {
        let mut rows = rows(text);
        assert_eq!(rows.len(), 1, "{rows:?}");
        rows.remove(0).record.unwrap()
    }

    #[test]
    fn groups_and_mixed_case() {
        let r = one(
            "BEGIN:vCard\r\nVERSION:3.0\r\nFN:Ana Pereira\r\nitem1.EMAIL;TYPE=INTERNET:ana@acme.com\r\nitem1.X-ABLabel:work\r\nORG:Acme;Sales\r\nTITLE:VP\r\nNOTE:met at the fair\r\nEND:vCard\r\n",
        );
        assert_eq!(r.name, "Ana Pereira");
        assert_eq!(r.emails, ["ana@acme.com"]);
        assert_eq!(r.company.as_deref(), Some("Acme"));
        assert_eq!(r.notes, ["met at the fair"]);
    }

    #[test]
    fn quoted_printable_with_charset() {
        let r = one(
            "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen\r\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=C3=BCller\r\nTEL;CELL:+49 170 1234567\r\nEND:VCARD\r\n",
        );
        assert_eq!(r.name, "Jürgen Müller");
        assert_eq!(r.phones, ["+49 170 1234567"]);
    }

    #[test]
    fn folded_lines_and_several_cards() {
        let text = "BEGIN:VCARD\nVERSION:4.0\nFN:Bo\n Li\nEMAIL:bo@x.com\nEND:VCARD\nBEGIN:VCARD\nVERSION:4.0\nFN:Cy\nEND:VCARD\n";
        let rows = rows(text);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].record.as_ref().unwrap().name, "BoLi");
        assert_eq!(rows[1].line, 7);
    }

    #[test]
    fn the_suffix_is_kept_the_honorific_left_out() {
        for (card, name) in [
            ("FN:John Doe III\nN:Doe;John;;;III", "John Doe III"),
            (
                "FN:Mr. John Richter James Doe Sr.\nN:Doe;John;Richter,James;Mr.;Sr.",
                "John Richter James Doe Sr.",
            ),
            (
                "FN:Mr. John Richter, James Doe Sr.\nN:Doe;John;Richter\\, James;Mr.;Sr.",
                "John Richter, James Doe Sr.",
            ),
            ("N:Doe;James;;Dr.;Jr.", "James Doe Jr."),
            (
                "FN:Dr. Ana Pereira PhD\nN:Pereira;Ana;;Dr.;PhD",
                "Ana Pereira PhD",
            ),
            ("FN:Ana Pereira\nN:Pereira;Ana;;;", "Ana Pereira"),
        ] {
            let r = one(&format!("BEGIN:VCARD\nVERSION:3.0\n{card}\nEND:VCARD\n"));
            assert_eq!(r.name, name, "{card}");
        }
    }

    #[test]
    fn a_phone_that_is_no_phone_is_left_out_of_the_kept_person() {
        let r = one(
            "BEGIN:VCARD\nVERSION:3.0\nFN:Ana\nTEL:call reception\nTEL:+1 555 0100\nEMAIL:ana@x.example\nEND:VCARD\n",
        );
        assert_eq!(r.phones, ["+1 555 0100"]);
        assert_eq!(r.left_out.len(), 1, "{:?}", r.left_out);
        assert_eq!(r.left_out[0].field, "phone");
    }

    /// The exports of real programs in ../shared/fixtures (beside the repository; a clone
    /// without it skips): Gmail, iPhone and Outlook write the same person, John Doe Sr.
    #[test]
    fn real_exports_keep_the_suffix() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/vcard");
        if !dir.is_dir() {
            crate::inert::say(
                "skipped",
                &format!("{} is absent (the shared vCard fixtures)", dir.display()),
            );
            return;
        }
        for f in [
            "John_Doe_GMAIL.vcf",
            "John_Doe_IPHONE.vcf",
            "John_Doe_MS_OUTLOOK.vcf",
        ] {
            let bytes = std::fs::read(dir.join(f)).expect("fixture");
            let text = String::from_utf8_lossy(&bytes);
            let rows = rows(&text);
            let r = rows[0].record.as_ref().expect(f);
            assert!(r.name.ends_with("Doe Sr."), "{f}: {}", r.name);
            assert!(!r.name.starts_with("Mr."), "{f}: {}", r.name);
        }
    }
}
