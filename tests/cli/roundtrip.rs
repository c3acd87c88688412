//! The JSON export restores the same book: a property test over random books built with the
//! real verbs, plus a direct test through the binary.

use crate::support;
use proptest::prelude::*;
use salesdesk::clock::Clock;
use salesdesk::domain::contact::ContactFields;
use salesdesk::domain::contact::{Status, Temperature};
use salesdesk::domain::deal::NewDeal;
use salesdesk::domain::follow_up::FollowUpKind;
use salesdesk::domain::follow_up::NewFollowUp;
use salesdesk::domain::note::{NoteKind, Outcome};
use salesdesk::io::json;
use salesdesk::ops::Desk;
use salesdesk::ops::notes::NoteInput;
use salesdesk::when::When;

#[derive(Debug, Clone)]
enum Op {
    Contact {
        name: String,
        company: Option<u8>,
        emails: Vec<String>,
        tags: Vec<String>,
        status: u8,
        temperature: Option<u8>,
        cadence: Option<i64>,
    },
    Deal {
        contact: usize,
        title: String,
        cents: i64,
        stage: u8,
    },
    Move {
        deal: usize,
        stage: u8,
    },
    Win {
        deal: usize,
    },
    Lose {
        deal: usize,
        reason: String,
    },
    Note {
        contact: usize,
        kind: u8,
        body: String,
    },
    FollowUp {
        contact: usize,
        days: i64,
        hour: Option<u32>,
        text: String,
    },
    Done {
        fu: usize,
    },
    Cancel {
        fu: usize,
    },
    Archive {
        contact: usize,
    },
    Later {
        minutes: i64,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (
            "[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ' -]{0,14}",
            proptest::option::of(0u8..4),
            proptest::collection::vec("[a-z]{1,6}@[a-z]{1,5}\\.example", 0..3),
            proptest::collection::vec("[a-z]{1,8}", 0..3),
            0u8..4,
            proptest::option::of(0u8..3),
            proptest::option::of(1i64..90),
        )
            .prop_map(|(name, company, emails, tags, status, temperature, cadence)| Op::Contact {
                name, company, emails, tags, status, temperature, cadence,
            }),
        2 => (any::<usize>(), "[A-Za-z ]{1,12}", 0i64..10_000_000, 0u8..4)
            .prop_map(|(contact, title, cents, stage)| Op::Deal { contact, title, cents, stage }),
        1 => (any::<usize>(), 0u8..4).prop_map(|(deal, stage)| Op::Move { deal, stage }),
        1 => any::<usize>().prop_map(|deal| Op::Win { deal }),
        1 => (any::<usize>(), "[a-z ]{1,10}").prop_map(|(deal, reason)| Op::Lose { deal, reason }),
        2 => (any::<usize>(), 0u8..4, "\\PC{1,40}")
            .prop_map(|(contact, kind, body)| Op::Note { contact, kind, body }),
        2 => (any::<usize>(), -5i64..20, proptest::option::of(8u32..18), "[a-z ]{0,12}")
            .prop_map(|(contact, days, hour, text)| Op::FollowUp { contact, days, hour, text }),
        1 => any::<usize>().prop_map(|fu| Op::Done { fu }),
        1 => any::<usize>().prop_map(|fu| Op::Cancel { fu }),
        1 => any::<usize>().prop_map(|contact| Op::Archive { contact }),
        2 => (1i64..5000).prop_map(|minutes| Op::Later { minutes }),
    ]
}

const STAGES: [&str; 4] = ["Lead", "Qualified", "Proposal", "Negotiation"];
const COMPANIES: [&str; 4] = ["Acme", "Globex", "Initech", "Umbrella"];

fn pick(ids: &[i64], i: usize) -> Option<i64> {
    (!ids.is_empty()).then(|| ids[i % ids.len()])
}

/// Builds a book by running the ops; ops the book refuses (winning a closed deal) are skipped.
fn build(ops: &[Op]) -> Desk {
    let mut desk = Desk::in_memory(Clock::parse(support::NOW).unwrap()).unwrap();
    let (mut contacts, mut deals, mut fus) = (Vec::new(), Vec::new(), Vec::new());
    for op in ops {
        match op {
            Op::Contact {
                name,
                company,
                emails,
                tags,
                status,
                temperature,
                cadence,
            } => {
                let f = ContactFields {
                    name: Some(name.clone()),
                    company: company.map(|c| Some(COMPANIES[c as usize].to_string())),
                    emails: Some(emails.clone()),
                    tags: Some(tags.clone()),
                    status: Some(Status::ALL[*status as usize % Status::ALL.len()]),
                    temperature: temperature.map(|t| Some(Temperature::ALL[t as usize])),
                    cadence_days: cadence.map(Some),
                    ..Default::default()
                };
                if let Ok(id) = desk.add_contact(&f) {
                    contacts.push(id);
                }
            }
            Op::Deal {
                contact,
                title,
                cents,
                stage,
            } => {
                let Some(c) = pick(&contacts, *contact) else {
                    continue;
                };
                let d = NewDeal {
                    title: title.clone(),
                    contact_id: c,
                    value_cents: *cents,
                    currency: "USD".into(),
                    stage: STAGES[*stage as usize].into(),
                    expected_close: Some("2026-12-15".into()),
                };
                if let Ok(id) = desk.add_deal(&d) {
                    deals.push(id);
                }
            }
            Op::Move { deal, stage } => {
                if let Some(d) = pick(&deals, *deal) {
                    let _ = desk.move_deal(d, STAGES[*stage as usize], None);
                }
            }
            Op::Win { deal } => {
                if let Some(d) = pick(&deals, *deal) {
                    let _ = desk.win_deal(d, None);
                }
            }
            Op::Lose { deal, reason } => {
                if let Some(d) = pick(&deals, *deal) {
                    let _ = desk.lose_deal(d, reason, None);
                }
            }
            Op::Note {
                contact,
                kind,
                body,
            } => {
                let Some(c) = pick(&contacts, *contact) else {
                    continue;
                };
                let kind = NoteKind::ALL[*kind as usize];
                let _ = desk.log_note(&NoteInput {
                    contact_id: c,
                    deal_id: None,
                    kind,
                    outcome: (kind == NoteKind::Call).then_some(Outcome::Connected),
                    body: body.clone(),
                    done: None,
                    next: None,
                    next_text: None,
                    next_kind: None,
                    raw: true,
                    at: None,
                    private: false,
                });
            }
            Op::FollowUp {
                contact,
                days,
                hour,
                text,
            } => {
                let Some(c) = pick(&contacts, *contact) else {
                    continue;
                };
                let day = desk.clock.today() + chrono::Duration::days(*days);
                let due = match hour {
                    Some(h) => When::At(day.and_hms_opt(*h, 30, 0).unwrap()),
                    None => When::Day(day),
                };
                let f = NewFollowUp {
                    contact_id: c,
                    deal_id: pick(&deals, *contact),
                    kind: FollowUpKind::Call,
                    text: text.clone(),
                    due,
                    every: None,
                };
                if let Ok(id) = desk.add_follow_up(&f) {
                    fus.push(id);
                }
            }
            Op::Done { fu } => {
                if let Some(f) = pick(&fus, *fu) {
                    let _ = desk.complete_follow_up(f, None);
                }
            }
            Op::Cancel { fu } => {
                if let Some(f) = pick(&fus, *fu) {
                    let _ = desk.cancel_follow_up(f, None);
                }
            }
            Op::Archive { contact } => {
                if let Some(c) = pick(&contacts, *contact) {
                    let _ = desk.set_archived(c, true);
                }
            }
            Op::Later { minutes } => {
                let t = desk.clock.now() + chrono::Duration::minutes(*minutes);
                desk.clock = Clock::fixed(t);
            }
        }
    }
    desk
}

fn book_of(desk: &mut Desk) -> json::Book {
    let clock = desk.clock;
    desk.db.read(|conn| json::read_book(conn, &clock)).unwrap()
}

fn restore(book: &json::Book, clock: Clock) -> Desk {
    let mut desk = Desk::in_memory(clock).unwrap();
    let text = serde_json::to_string(book).unwrap();
    let parsed = json::parse(&text, "book.json").unwrap();
    desk.db
        .import(&clock, "restore", |imp| json::restore(imp, &parsed))
        .unwrap();
    desk
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn json_round_trip_gives_the_same_book(ops in proptest::collection::vec(op(), 1..30)) {
        let mut a = build(&ops);
        let book = book_of(&mut a);
        let mut b = restore(&book, a.clock);
        let again = book_of(&mut b);
        prop_assert_eq!(&book, &again);
        // Ids are never reused after a restore either.
        let next_a: i64 = a.db.conn_for_tests().query_row(
            "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'contacts'), 0)", [], |r| r.get(0)).unwrap();
        let next_b: i64 = b.db.conn_for_tests().query_row(
            "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'contacts'), 0)", [], |r| r.get(0)).unwrap();
        prop_assert_eq!(next_a, next_b);
    }
}

/// Two contacts, a deal won from proposal, a call note, a follow-up done and one open, one
/// contact archived: what a book moved between books must keep.
pub(crate) fn seed_to_move(a: &support::Book) {
    a.ok(&[
        "contact",
        "add",
        "--name",
        "Ana Pereira",
        "--company",
        "Acme",
        "--email",
        "ana@acme.example",
        "--tag",
        "vip",
        "--cadence",
        "30d",
    ]);
    a.ok(&[
        "contact",
        "add",
        "--name",
        "Bo Li",
        "--phone",
        "+1 555 0100",
        "--status",
        "prospect",
    ]);
    a.ok(&[
        "deal",
        "add",
        "--title",
        "Acme rollout",
        "--contact",
        "ana",
        "--value",
        "12k",
        "--close",
        "dec 15",
    ]);
    a.ok(&["deal", "move", "1", "proposal"]);
    a.ok(&["deal", "won", "1"]);
    a.ok(&[
        "note",
        "ana",
        "Called about pricing",
        "--kind",
        "call",
        "--outcome",
        "connected",
    ]);
    a.ok(&["follow-up", "ana", "tomorrow", "3pm", "send the contract"]);
    a.ok(&["follow-up", "bo", "fri", "check in"]);
    a.ok(&["done", "2"]);
    a.ok(&["contact", "archive", "bo"]);
}

#[test]
fn json_round_trip_through_the_binary() {
    let a = support::Book::new();
    seed_to_move(&a);
    let file = a.file("book.json");
    let out = a.ok(&["export", "--format", "json", "-o", file.to_str().unwrap()]);
    assert!(out.contains("wrote 2 contacts"), "{out}");
    let first = std::fs::read_to_string(&file).unwrap();

    let b = support::Book::new();
    let out = b.ok(&["import", file.to_str().unwrap()]);
    assert!(
        out.contains("imported 2, merged 0, skipped 0 duplicates, invalid 0"),
        "{out}"
    );
    assert!(
        out.contains("restored 1 company, 2 contacts, 1 deal, 3 follow-ups, 1 note"),
        "{out}"
    );
    let again = b.ok(&["export", "--format", "json"]);
    assert_eq!(first.trim_end(), again.trim_end());
    // The restored book reads the same through the other commands too.
    assert_eq!(
        a.ok(&["deal", "list", "--json"]),
        b.ok(&["deal", "list", "--json"])
    );
    assert_eq!(
        a.ok(&["today", "--json", "--days", "7"]),
        b.ok(&["today", "--json", "--days", "7"])
    );

    // Into a book that is not empty: refused, clearly, and nothing changes.
    let (code, _, err) = b.run(&["import", file.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("empty"), "{err}");
    // A file that is not an export.
    let junk = b.file("junk.json");
    std::fs::write(&junk, "{\"hello\": 1}").unwrap();
    let (code, _, err) = b.run(&["import", junk.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not a salesdesk JSON export"), "{err}");
    // A dry run of a restore writes nothing.
    let c = support::Book::new();
    let out = c.ok(&["import", file.to_str().unwrap(), "--dry-run"]);
    assert!(out.contains("dry run"), "{out}");
    assert!(c.contacts().is_empty());
}
