//! Fuzzing what files and users hand the desk: CSV and vCard files (arbitrary bytes and
//! near-valid files), and the commands at the end of a note. In-process, on in-memory books,
//! so a case costs milliseconds. `cargo test` runs a bounded number of cases;
//! `PROPTEST_CASES=5000 cargo test --test model fuzz_input` runs more.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use proptest::prelude::*;
use salesdesk::clock::Clock;
use salesdesk::domain::contact::ContactFields;
use salesdesk::domain::deal::NewDeal;
use salesdesk::domain::inline::{self, Close};
use salesdesk::error::Error;
use salesdesk::io::csv_import::CsvRows;
use salesdesk::io::progress::Counter;
use salesdesk::io::{self, ImportOptions, ImportReport, OnDuplicate, Row, decode, vcard};
use salesdesk::ops::Desk;
use salesdesk::ops::notes::NoteInput;
use salesdesk::storage::deals;

const NOW: &str = "2026-11-23T09:00:00+00:00";

/// `cases` unless PROPTEST_CASES asks for another number (an explicit count would override it).
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        // The failing input is printed; a regressions file next to the test is not wanted.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn desk() -> Desk {
    Desk::in_memory(Clock::parse(NOW).unwrap()).unwrap()
}

fn opts(dry_run: bool) -> ImportOptions {
    ImportOptions {
        dry_run,
        skip_invalid: true,
        on_duplicate: OnDuplicate::Merge,
        label: "the import of fuzz.csv".into(),
        sequence: None,
        assign: Vec::new(),
    }
}

fn count(desk: &Desk, sql: &str) -> i64 {
    desk.db
        .conn_for_tests()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

/// What a finished import must leave: the rows it counted, derived tables in step.
fn check_book(desk: &Desk, report: &ImportReport, dry_run: bool) {
    let contacts = count(desk, "SELECT count(*) FROM contacts");
    if dry_run {
        assert_eq!(contacts, 0, "a dry run wrote contacts");
        assert!(!report.committed);
    } else {
        assert_eq!(contacts as u64, report.imported, "{report:?}");
        assert_eq!(
            count(desk, "SELECT count(*) FROM notes") as u64,
            report.notes_added
        );
    }
    assert_eq!(
        count(
            desk,
            "SELECT count(*) FROM contact_keys WHERE kind = 'email'"
        ),
        count(
            desk,
            "SELECT coalesce(sum(json_array_length(emails)), 0) FROM contacts"
        ),
        "contact_keys out of step with the emails"
    );
    assert_eq!(
        count(desk, "SELECT count(*) FROM pragma_foreign_key_check"),
        0
    );
    for e in &report.errors {
        assert!(e.starts_with("line "), "{e}");
    }
}

/// A refused file is an input error with a message, never an environment failure.
fn check_refusal(e: &Error) {
    assert_eq!(e.exit_code(), 2, "{e}");
    let msg = e.to_string();
    assert!(!msg.trim().is_empty());
}

fn import_csv_file(path: &Path, dry_run: bool) {
    let mut desk = desk();
    let f = File::open(path).unwrap();
    let (counter, _) = Counter::new(BufReader::new(f));
    let rows = CsvRows::open(path, counter);
    let mut rows = match rows {
        Ok(r) => r,
        Err(e) => return check_refusal(&e),
    };
    match io::import_rows(&mut desk, &mut rows, &opts(dry_run), &mut |_| {}) {
        Ok(report) => check_book(&desk, &report, dry_run),
        Err(e) => {
            check_refusal(&e);
            assert_eq!(count(&desk, "SELECT count(*) FROM contacts"), 0);
        }
    }
}

fn import_csv(bytes: &[u8], name: &str, dry_run: bool) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    import_csv_file(&path, dry_run);
}

fn import_vcf_text(text: &str) {
    let rows = vcard::rows(text);
    let mut desk = desk();
    let mut it = rows.into_iter().map(Ok::<Row, Error>);
    match io::import_rows(&mut desk, &mut it, &opts(false), &mut |_| {}) {
        Ok(report) => check_book(&desk, &report, false),
        Err(e) => check_refusal(&e),
    }
}

const HEADERS: &[&str] = &[
    "name",
    "Name",
    "First Name",
    "Last Name",
    "Middle Name",
    "Name Prefix",
    "E-mail Address",
    "E-mail 1 - Value",
    "email",
    "Work Email",
    "Phone 1 - Value",
    "Mobile Phone",
    "phone",
    "company",
    "Organization 1 - Name",
    "Job Title",
    "Title",
    "Labels",
    "tags",
    "status",
    "Lifecycle Stage",
    "temperature",
    "URL",
    "LinkedIn",
    "Connected On",
    "notes",
    "cadence",
    "source",
    "",
    "zzz",
    "\"name\"",
    "name,email",
];

/// Cells a real file holds, and the near misses: bad emails, giant numbers, quotes and
/// delimiters inside, formula guards, control characters, dates in every shape.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-zÀ-ÿ' .-]{0,20}",
        "[a-z]{1,8}@[a-z]{1,6}\\.(com|example)",
        "[a-z@. ]{0,12}",
        "\\+?[0-9 ()./-]{0,18}",
        "-?[0-9]{1,25}",
        "(lead|customer|lost|hot|warm|cold|Subscriber|Opportunity|archived)",
        "[0-9]{1,2} (Jan|Feb|Dec) [0-9]{2,4}",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}",
        "[0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4}",
        "'?[=+@-][A-Z0-9()]{0,8}",
        "\"[^\"]{0,12}\"",
        "\"[a-z,;\t\n]{0,12}",
        "[a-z]{0,5}\"[a-z]{0,5}",
        "[a-z]{1,6}( ::: [a-z]{1,6}){0,3}",
        "https?://(www\\.)?linkedin\\.com/in/[a-z-]{0,10}",
        "\\PC{0,30}",
        "[\\x00-\\x1f\\x7f]{0,6}",
        Just("x".repeat(5000)),
    ]
}

#[derive(Debug, Clone)]
struct CsvFile {
    preamble: Vec<String>,
    header: Vec<&'static str>,
    rows: Vec<Vec<String>>,
    delim: char,
    crlf: bool,
    encoding: u8,
}

fn csv_file() -> impl Strategy<Value = CsvFile> {
    (
        prop::collection::vec("[A-Za-z :,]{0,20}", 0..3),
        prop::collection::vec(prop::sample::select(HEADERS), 1..8),
        prop::collection::vec(prop::collection::vec(cell(), 0..10), 0..12),
        prop::sample::select(vec![',', ';', '\t', '|']),
        any::<bool>(),
        0u8..5,
    )
        .prop_map(|(preamble, header, rows, delim, crlf, encoding)| CsvFile {
            preamble,
            header,
            rows,
            delim,
            crlf,
            encoding,
        })
}

impl CsvFile {
    fn bytes(&self) -> Vec<u8> {
        let nl = if self.crlf { "\r\n" } else { "\n" };
        let d = self.delim.to_string();
        let mut text = String::new();
        for p in &self.preamble {
            text.push_str(p);
            text.push_str(nl);
        }
        text.push_str(&self.header.join(&d));
        for r in &self.rows {
            text.push_str(nl);
            text.push_str(&r.join(&d));
        }
        match self.encoding {
            // UTF-8 with a byte-order mark
            1 => [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat(),
            // UTF-16LE with a byte-order mark, as Outlook writes
            2 => {
                let mut b = vec![0xFF, 0xFE];
                for u in text.encode_utf16() {
                    b.extend_from_slice(&u.to_le_bytes());
                }
                b
            }
            // Windows-1252: Latin-1 bytes where they fit
            3 => text
                .chars()
                .map(|c| if (c as u32) < 256 { c as u8 } else { b'?' })
                .collect(),
            // a file cut in the middle of a character
            4 => {
                let b = text.as_bytes();
                b[..b.len().saturating_sub(1)].to_vec()
            }
            _ => text.into_bytes(),
        }
    }
}

const VCARD_LINES: &[&str] = &[
    "BEGIN:VCARD",
    "begin:vcard",
    "END:VCARD",
    "VERSION:2.1",
    "VERSION:3.0",
    "VERSION:4.0",
    "FN:Ana Souza",
    "FN:",
    "FN;CHARSET=ISO-8859-1:Jos\u{e9}",
    "N:Souza;Ana;;Dr.;",
    "N:;;;;",
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=81lvarez;Jos=C3=A9;;;",
    "FN;ENCODING=QUOTED-PRINTABLE:Jos=C3=A9 =",
    "=C3=81lvarez",
    "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=windows-1252:caf=E9 =ZZ =",
    "NOTE;ENCODING=QUOTED-PRINTABLE:=",
    "NOTE:line one\\nline two\\, with a comma",
    "NOTE;CHARSET=KOI8-R:\u{444}",
    " folded continuation",
    "\tfolded with a tab",
    "EMAIL;TYPE=work:ana@acme.example",
    "EMAIL;TYPE=INTERNET;TYPE=pref:not-an-email",
    "EMAIL:",
    "item1.EMAIL;type=INTERNET:ana@home.example",
    "item1.X-ABLabel:_$!<Other>!$_",
    "item2.TEL:+1 555 0101",
    "TEL;TYPE=cell:+1 (555) 123-4567",
    "TEL;VALUE=uri:tel:+1-555-0102",
    "TEL:12",
    "ORG:Acme;Sales",
    "ORG:",
    "TITLE:Buyer",
    "CATEGORIES:lead,vip,,",
    "URL:https://www.linkedin.com/in/ana",
    "X-SOCIALPROFILE;type=linkedin:https://linkedin.com/in/x",
    "BDAY:--1231",
    "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRg==",
    "PHOTO;ENCODING=BASE64:!!!notbase64",
    "BEGIN:VCALENDAR",
    "END:VCALENDAR",
    "BEGIN:VEVENT",
    "END:VEVENT",
    ":",
    ";;;",
    "X-WEIRD;PARAM=\"quoted;value\":x",
    "EMAIL;PARAM=\"unterminated:x@y.example",
    "\u{feff}BEGIN:VCARD",
];

fn vcard_text() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        8 => prop::sample::select(VCARD_LINES).prop_map(str::to_string),
        2 => "[A-Z-]{1,10}(;[A-Z]{1,6}=[A-Za-z0-9-]{0,8}){0,2}:\\PC{0,30}",
        1 => "\\PC{0,40}",
    ];
    (
        prop::collection::vec(line, 0..40),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(lines, crlf, wrap)| {
            let nl = if crlf { "\r\n" } else { "\n" };
            let body = lines.join(nl);
            // Most files hold whole cards; the rest are left as they came.
            if wrap {
                format!("BEGIN:VCARD{nl}VERSION:3.0{nl}{body}{nl}END:VCARD{nl}")
            } else {
                body
            }
        })
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn csv_of_arbitrary_bytes_is_imported_or_refused(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        import_csv(&bytes, "fuzz.csv", true);
    }

    #[test]
    fn near_valid_csv_is_imported_or_refused(file in csv_file(), dry_run in any::<bool>()) {
        import_csv(&file.bytes(), "fuzz.csv", dry_run);
    }

    #[test]
    fn vcards_of_vcard_ish_lines_never_panic(text in vcard_text()) {
        import_vcf_text(&text);
    }

    #[test]
    fn vcf_of_arbitrary_bytes_is_decoded_or_refused(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fuzz.vcf");
        std::fs::write(&path, &bytes).unwrap();
        match decode::read_to_string(&path) {
            Ok((text, _)) => import_vcf_text(&text),
            Err(e) => check_refusal(&e),
        }
    }
}

fn stage_of(w: &str) -> Option<String> {
    ["Lead", "Qualified", "Proposal", "Negotiation"]
        .iter()
        .find(|s| s.to_lowercase().starts_with(w))
        .map(|s| s.to_string())
}

fn now() -> chrono::NaiveDateTime {
    Clock::parse(NOW).unwrap().now_naive()
}

/// Words a note ends with: commands, near-commands, and plain words.
fn note_word() -> impl Strategy<Value = String> {
    prop_oneof![
        "@(fri|mon|tomorrow|today|next|in|[0-9]{1,3}(d|w|m)?|dec|[0-9]{1,2}(am|pm)|[0-9]{1,2}:[0-9]{2})",
        "(next|fri|3pm|2|weeks|days|at|10am|ago|week)",
        "#(won|lost|Won|LOST|proposal|prop|neg|lead|qual|nope|[0-9]{1,4}|)[.,!]?",
        "\\$[0-9]{0,12}(\\.[0-9]{0,3})?(k|m|K)?[.!]?",
        "\\$(abc|,|\\.|-5)",
        "[a-z]{1,8}[.,!]?",
        "[@#$]\\PC{0,6}",
        "\\PC{1,8}",
    ]
}

fn note_body() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            note_word(),
            prop::sample::select(vec![" ", "  ", "\n", "\t", " \r\n"]),
        ),
        0..14,
    )
    .prop_map(|ws| ws.into_iter().map(|(w, s)| w + s).collect())
}

fn has_word(body: &str, f: impl Fn(&str) -> bool) -> bool {
    body.split_whitespace().any(f)
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn inline_commands_never_panic_on_any_text(s in "\\PC{0,200}") {
        let _ = inline::parse(&s, now(), &stage_of);
    }

    /// What the parser reports comes from words in the note, only the trailing run counts,
    /// and how the words are spaced does not matter.
    #[test]
    fn inline_commands_report_only_what_the_note_ends_with(body in note_body(), prefix in "[a-z]{1,8}( [a-z]{1,8}){0,3}") {
        let c = inline::parse(&body, now(), &stage_of);
        if c.next.is_some() {
            prop_assert!(has_word(&body, |w| w.starts_with('@')));
        }
        if let Some(s) = &c.stage {
            prop_assert!(["Lead", "Qualified", "Proposal", "Negotiation"].contains(&s.as_str()));
            prop_assert!(has_word(&body, |w| w.starts_with('#')));
        }
        match c.close {
            Some(Close::Won) => prop_assert!(has_word(&body, |w| w.to_lowercase().starts_with("#won"))),
            Some(Close::Lost) => prop_assert!(has_word(&body, |w| w.to_lowercase().starts_with("#lost"))),
            None => {}
        }
        if c.value_cents.is_some() {
            prop_assert!(has_word(&body, |w| w.starts_with('$')));
        }
        // plain words before the note change nothing; a plain word after it ends every command
        let before = format!("{prefix} {body}");
        prop_assert_eq!(&inline::parse(&before, now(), &stage_of), &c);
        let after = format!("{body} zqxv");
        prop_assert!(inline::parse(&after, now(), &stage_of).is_empty());
        let respaced = body.split_whitespace().collect::<Vec<_>>().join(" ");
        prop_assert_eq!(&inline::parse(&respaced, now(), &stage_of), &c);
    }
}

proptest! {
    #![proptest_config(config(48))]

    /// Through the desk: the note is stored as typed, and what the plan said the commands
    /// would do is what happened to the deal and the follow-ups.
    #[test]
    fn a_logged_note_does_what_its_plan_said(body in note_body()) {
        let mut desk = desk();
        let ana = desk
            .add_contact(&ContactFields {
                name: Some("Ana".into()),
                ..Default::default()
            })
            .unwrap();
        let deal = desk
            .add_deal(&NewDeal {
                title: "Rollout".into(),
                contact_id: ana,
                value_cents: 100,
                currency: "USD".into(),
                stage: "Lead".into(),
                expected_close: None,
            })
            .unwrap();
        let input = NoteInput::new(ana, body.clone());
        if body.trim().is_empty() {
            let e = desk.log_note(&input).unwrap_err();
            prop_assert!(e.to_string().contains("empty"), "{}", e);
            return Ok(());
        }
        let plan = desk.plan_note(&input);
        let saved = desk.log_note(&input);
        let d = desk.db.peek(|s| deals::get(s, deal)).unwrap();
        match (plan, saved) {
            (Ok(plan), Ok(saved)) => {
                let stored: String = desk
                    .db
                    .conn_for_tests()
                    .query_row("SELECT body FROM notes WHERE id = ?1", [saved.note_id], |r| r.get(0))
                    .unwrap();
                prop_assert_eq!(stored.as_str(), body.trim_end());
                prop_assert_eq!(saved.next_follow_up.is_some(), plan.next.is_some());
                if let Some(v) = plan.commands.value_cents {
                    prop_assert_eq!(d.value_cents, v);
                } else {
                    prop_assert_eq!(d.value_cents, 100);
                }
                match plan.commands.close {
                    Some(Close::Won) => prop_assert_eq!(d.status.to_string(), "won"),
                    Some(Close::Lost) => prop_assert_eq!(d.status.to_string(), "lost"),
                    None => {
                        prop_assert_eq!(d.status.to_string(), "open");
                        prop_assert_eq!(&d.stage, plan.commands.stage.as_deref().unwrap_or("Lead"));
                    }
                }
            }
            (Err(a), Err(b)) => {
                prop_assert_eq!(a.exit_code(), 2);
                prop_assert_eq!(a.to_string(), b.to_string());
                prop_assert_eq!(count(&desk, "SELECT count(*) FROM notes"), 0);
                prop_assert_eq!(d.stage.as_str(), "Lead");
            }
            (p, s) => prop_assert!(false, "the plan and the save disagree: {:?} / {:?}", p.map(|p| p.effects), s.map(|s| s.effects)),
        }
    }
}
