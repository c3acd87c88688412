//! `import`: each CSV flavour, each vCard sample, duplicates, all-or-nothing, dry run.

use crate::support::{Book, fixture, shared_vcards, strs};

pub(crate) const SUMMARY_2: &str = "imported 2, merged 0, skipped 0 duplicates, invalid 0";

#[test]
fn google_contacts_csv() {
    let b = Book::new();
    let out = b.ok(&["import", fixture("google.csv").to_str().unwrap()]);
    assert!(out.contains(SUMMARY_2), "{out}");
    let ana = b.contact_named("Ana Pereira");
    assert_eq!(ana["company"], "Acme Corp");
    assert_eq!(ana["title"], "Head of Procurement");
    assert_eq!(
        strs(&ana["emails"]),
        ["ana@acme.example", "ana.pereira@mail.example"]
    );
    assert_eq!(strs(&ana["phones"]), ["+1 555 0100", "+1 555 0101"]);
    // Labels become tags, without Google's "* myContacts".
    assert_eq!(strs(&ana["tags"]), ["Clients", "VIP"]);
    let view = b.show(ana["id"].as_i64().unwrap());
    let notes = view["notes"].as_array().unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0]["kind"], "note");
    assert_eq!(notes[0]["body"], "Met at SaaStr.\nWants a demo in Q1.");
    assert_eq!(notes[0]["created_at"], "2026-11-23T09:00:00+00:00");
    let jose = b.contact_named("José María Álvarez");
    assert_eq!(
        strs(&jose["emails"]),
        ["jose@globex.example", "jm@globex.example"]
    );
    assert_eq!(strs(&jose["tags"]), Vec::<String>::new());
}

#[test]
fn google_legacy_csv() {
    let b = Book::new();
    b.ok(&["import", fixture("google-legacy.csv").to_str().unwrap()]);
    let bea = b.contact_named("Bea Kim");
    assert_eq!(bea["company"], "Initech");
    assert_eq!(bea["title"], "Partner Manager");
    assert_eq!(strs(&bea["tags"]), ["Partners"]);
}

#[test]
fn outlook_csv_title_is_the_honorific() {
    let b = Book::new();
    let out = b.ok(&["import", fixture("outlook.csv").to_str().unwrap()]);
    assert!(out.contains(SUMMARY_2), "{out}");
    let john = b.contact_named("John Doe");
    assert_eq!(
        john["title"], "CFO",
        "Job Title is the position, Title (Mr.) is not"
    );
    assert_eq!(john["company"], "Contoso Ltd");
    assert_eq!(
        strs(&john["phones"]),
        ["+1 (555) 010-4000", "(555) 010-4002"]
    );
    assert_eq!(strs(&john["tags"]), ["Customers", "Golf"]);
    let notes = &b.show(john["id"].as_i64().unwrap())["notes"];
    assert_eq!(
        notes[0]["body"],
        "Prefers calls before 10.\nAssistant: Mary"
    );
    let carol = b.contact_named("Carol Nguyen");
    assert_eq!(
        strs(&carol["emails"]),
        ["carol@fabrikam.example", "c.nguyen@home.example"]
    );
}

#[test]
fn linkedin_connections_with_preamble() {
    let b = Book::new();
    let out = b.ok(&["import", fixture("linkedin.csv").to_str().unwrap()]);
    assert!(out.contains(SUMMARY_2), "{out}");
    let priya = b.contact_named("Priya Shah");
    assert_eq!(priya["title"], "Director of IT");
    assert_eq!(priya["company"], "Umbrella Corp");
    assert_eq!(
        priya["linkedin_url"],
        "https://www.linkedin.com/in/priyashah"
    );
    assert_eq!(priya["connected_on"], "2025-10-14");
    let tom = b.contact_named("Tom Becker");
    assert_eq!(tom["title"], "Engineer, Platform");
    assert_eq!(strs(&tom["emails"]), Vec::<String>::new());
    assert_eq!(tom["connected_on"], "2024-01-03");
}

#[test]
fn hubspot_lifecycle_stage_is_status() {
    let b = Book::new();
    b.ok(&["import", fixture("hubspot.csv").to_str().unwrap()]);
    let dana = b.contact_named("Dana Fox");
    assert_eq!(dana["status"], "prospect");
    assert_eq!(dana["source"], "Organic Search");
    assert_eq!(dana["title"], "COO");
    assert_eq!(b.contact_named("Eli Stone")["status"], "customer");
}

#[test]
fn plain_semicolon_tab_bom() {
    let b = Book::new();
    b.ok(&["import", fixture("plain.csv").to_str().unwrap()]);
    assert_eq!(b.contact_named("Fay Wong")["company"], "Acme Corp");
    let out = b.ok(&["import", fixture("semicolon-bom.csv").to_str().unwrap()]);
    assert!(out.contains(SUMMARY_2), "{out}");
    // The byte-order mark is not part of the first header, nor of a name.
    let h = b.contact_named("Hanna Schmidt");
    assert_eq!(strs(&h["phones"]), ["+49 30 1234567"]);
    assert_eq!(b.contact_named("Jürgen Müller")["company"], "Beispiel GmbH");
    b.ok(&["import", fixture("tab.tsv").to_str().unwrap()]);
    assert_eq!(b.contact_named("Ivo Petrov")["company"], "Tabco");
}

#[test]
fn windows_1252_is_decoded() {
    let b = Book::new();
    let (code, out, err) = b.import(&fixture("windows-1252.csv"), &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("Windows-1252"), "{err}");
    let r = b.contact_named("Renée Dubois");
    assert_eq!(r["company"], "Café Crème");
    let notes = &b.show(r["id"].as_i64().unwrap())["notes"];
    assert_eq!(notes[0]["body"], "Likes “quotes” – and €");
}

#[test]
fn utf16_outlook_is_decoded() {
    let b = Book::new();
    b.ok(&["import", fixture("outlook-utf16.csv").to_str().unwrap()]);
    assert_eq!(b.contact_named("Zoë Çelik")["company"], "Öztürk AŞ");
}

#[test]
fn undecodable_file_is_refused() {
    let b = Book::new();
    let p = b.file("broken.csv");
    std::fs::write(&p, b"name,email\nAna \x81\x8d\x9d,ana@x.example\n").unwrap();
    let (code, _, err) = b.import(&p, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("UTF-8"), "{err}");
    assert!(b.contacts().is_empty());
}

#[test]
fn no_header_is_a_clear_error() {
    let b = Book::new();
    let p = b.file("x.csv");
    std::fs::write(&p, "foo,bar\n1,2\n").unwrap();
    let (code, _, err) = b.import(&p, &[]);
    assert_eq!(code, 2);
    assert!(err.contains("header"), "{err}");
}

#[test]
fn invalid_rows_mean_nothing_is_imported() {
    let b = Book::new();
    let (code, out, err) = b.import(&fixture("invalid.csv"), &[]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains("error: line 3: \"not-an-email\" is not an email address"),
        "{err}"
    );
    assert!(err.contains("error: line 5: "), "{err}");
    assert!(err.contains("--skip-invalid"), "{err}");
    assert!(
        out.contains("imported 0, merged 0, skipped 0 duplicates, invalid 2"),
        "{out}"
    );
    assert!(b.contacts().is_empty(), "all or nothing");

    let (code, out, err) = b.import(&fixture("invalid.csv"), &["--skip-invalid"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("error: line 3:"), "{err}");
    assert!(
        out.contains("imported 2, merged 0, skipped 0 duplicates, invalid 2"),
        "{out}"
    );
    assert_eq!(b.contacts().len(), 2);
    assert_eq!(b.contact_named("Good Two")["status"], "customer");
}

#[test]
fn dry_run_writes_nothing() {
    let b = Book::new();
    let out = b.ok(&[
        "import",
        fixture("plain.csv").to_str().unwrap(),
        "--dry-run",
    ]);
    assert!(out.contains(SUMMARY_2), "{out}");
    assert!(out.contains("dry run"), "{out}");
    assert!(b.contacts().is_empty());
    let (code, _, _) = b.import(&fixture("invalid.csv"), &["--dry-run"]);
    assert_eq!(code, 2);
}

#[test]
fn duplicates_merge_by_default() {
    let b = Book::new();
    b.ok(&["import", fixture("plain.csv").to_str().unwrap()]);
    let out = b.ok(&["import", fixture("duplicates.csv").to_str().unwrap()]);
    // Fay by email (any case), "Someone Else" by Gus's phone, Gus by name + company.
    assert!(
        out.contains("imported 1, merged 3, skipped 0 duplicates, invalid 0"),
        "{out}"
    );
    assert_eq!(b.contacts().len(), 3);
    let fay = b.contact_named("Fay Wong");
    assert_eq!(fay["title"], "Buyer", "a missing field is filled");
    assert_eq!(strs(&fay["tags"]), ["vip"]);
    assert_eq!(
        strs(&fay["emails"]),
        ["fay@acme.example"],
        "same email, other case"
    );
    let gus = b.contact_named("Gus Lee");
    assert_eq!(gus["company"], "Acme Corp", "never overwritten");
    assert_eq!(gus["title"], "Director");
    assert_eq!(strs(&gus["tags"]), ["golf"]);
    // The same file again changes nothing more.
    let out = b.ok(&["import", fixture("duplicates.csv").to_str().unwrap()]);
    assert!(out.contains("imported 0, merged 4"), "{out}");
    assert_eq!(b.contacts().len(), 3);
}

#[test]
fn duplicates_skip_and_create() {
    let b = Book::new();
    b.ok(&["import", fixture("plain.csv").to_str().unwrap()]);
    let dup = fixture("duplicates.csv");
    let out = b.ok(&["import", dup.to_str().unwrap(), "--on-duplicate", "skip"]);
    assert!(
        out.contains("imported 1, merged 0, skipped 3 duplicates, invalid 0"),
        "{out}"
    );
    assert!(b.contact_named("Fay Wong")["title"].is_null());
    let out = b.ok(&["import", dup.to_str().unwrap(), "--on-duplicate", "create"]);
    assert!(
        out.contains("imported 4, merged 0, skipped 0 duplicates, invalid 0"),
        "{out}"
    );
    assert_eq!(b.contacts().len(), 7);
    let (code, _, _) = b.run(&["import", dup.to_str().unwrap(), "--on-duplicate", "maybe"]);
    assert_eq!(code, 2);
}

#[test]
fn formula_guard_is_taken_off_on_import() {
    let b = Book::new();
    b.ok(&["import", fixture("formula.csv").to_str().unwrap()]);
    let c = b.contact_named("=HYPERLINK(\"http://evil.example\")");
    assert_eq!(strs(&c["phones"]), ["+1 555 0500"]);
    assert_eq!(c["company"], "@Acme");
}

/// docs/MANUAL.md, `undo`: an import is undone whole (it was a barrier before issue 15; the full
/// test is `tests/cli/edges_output.rs` `an_import_is_undone_whole_merges_included`).
#[test]
fn import_is_undone_whole() {
    let b = Book::new();
    b.ok(&["contact", "add", "--name", "Before"]);
    b.ok(&["import", fixture("plain.csv").to_str().unwrap()]);
    let (code, out, err) = b.run(&["undo"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("undid the import of plain.csv"), "{out}");
    assert_eq!(b.contacts().len(), 1);
}

#[test]
fn missing_file_is_an_input_error() {
    let b = Book::new();
    let (code, _, err) = b.run(&["import", "/nonexistent/contacts.csv"]);
    assert_eq!(code, 2);
    // After the note that the book was new.
    assert!(
        err.lines().last().is_some_and(|l| l.starts_with("error: ")),
        "{err}"
    );
}

#[test]
fn own_vcards() {
    let b = Book::new();
    let (code, out, err) = b.import(&fixture("cards.vcf"), &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("imported 3, merged 0, skipped 0 duplicates, invalid 0"),
        "{out}"
    );
    // vCard 2.1, quoted-printable in ISO-8859-1; the honorific from N is not kept.
    let j = b.contact_named("Jürgen Müller");
    assert_eq!(j["company"], "Bäckerei Müller");
    assert_eq!(strs(&j["emails"]), ["juergen@baeckerei.example"]);
    let notes = &b.show(j["id"].as_i64().unwrap())["notes"];
    assert_eq!(notes[0]["body"], "Backt Brezn.\nRuft zurück.");
    // 3.0 with item1. groups, mixed-case BEGIN, folded NOTE, CATEGORIES, a LinkedIn URL.
    let k = b.contact_named("Kim Lee");
    assert_eq!(strs(&k["emails"]), ["kim@lee.example"]);
    assert_eq!(strs(&k["phones"]), ["+1 555 0600"]);
    assert_eq!(strs(&k["tags"]), ["Prospects", "Events"]);
    assert_eq!(k["company"], "Lee & Co");
    assert_eq!(k["linkedin_url"], "https://www.linkedin.com/in/kimlee");
    let notes = &b.show(k["id"].as_i64().unwrap())["notes"];
    assert_eq!(notes[0]["body"], "Long note that is folded over two lines.");
    // 4.0 with a tel: URI.
    assert_eq!(
        strs(&b.contact_named("Mia Ortiz")["phones"]),
        ["+1-555-0700"]
    );
}

/// (file, name, an email, a phone, company); the name keeps FN's suffix (`Sr.`, `Jr.`) and
/// leaves out its honorific (`Mr.`).
const SAMPLES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "John_Doe_GMAIL.vcf",
        "John Richter, James Doe Sr.",
        "john.doe@ibm.com",
        "905-555-1234",
        "IBM",
    ),
    (
        "John_Doe_IPHONE.vcf",
        "John Richter James Doe Sr.",
        "john.doe@ibm.com",
        "905-777-1234",
        "IBM",
    ),
    (
        "John_Doe_MS_OUTLOOK.vcf",
        "John Richter James Doe Sr.",
        "john.doe@ibm.cm",
        "(905) 555-1234",
        "IBM",
    ),
    (
        "gmail-single.vcf",
        "Greg Dartmouth",
        "gdartmouth@hotmail.com",
        "555 555 2222",
        "TheCompany",
    ),
    (
        "outlook-2007.vcf",
        "Michael Angstadt Jr.",
        "mike.angstadt@gmail.com",
        "(111) 555-1111",
        "TheCompany",
    ),
    (
        "rfc2426-example.vcf",
        "Frank Dawson",
        "fdawson@earthlink.net",
        "+1-919-676-9515",
        "Lotus Development Corporation",
    ),
    (
        "rfc6350-example.vcf",
        "Simon Perreault",
        "simon.perreault@viagenie.ca",
        "+1-418-262-6501",
        "Viagenie",
    ),
];

#[test]
fn vcard_samples_from_real_programs() {
    let Some(dir) = shared_vcards() else { return };
    for (file, name, email, phone, company) in SAMPLES {
        let b = Book::new();
        let (code, out, err) = b.import(&dir.join(file), &[]);
        assert_eq!(code, 0, "{file}: {out}{err}");
        assert!(out.contains("invalid 0"), "{file}: {out}");
        let c = b.contact_named(name);
        assert!(
            strs(&c["emails"]).contains(&email.to_string()),
            "{file}: {c:#}"
        );
        assert!(
            strs(&c["phones"]).contains(&phone.to_string()),
            "{file}: {c:#}"
        );
        assert_eq!(c["company"], *company, "{file}");
    }
    // The RFC 2426 example holds two cards with `BEGIN:vCard`.
    let b = Book::new();
    b.import(&dir.join("rfc2426-example.vcf"), &[]);
    assert_eq!(b.contacts().len(), 2);
    assert_eq!(
        b.contact_named("Tim Howes")["company"],
        "Netscape Communications Corp."
    );
    // Notes from Gmail (escaped, folded) and Outlook 2.1 (quoted-printable) are kept.
    let b = Book::new();
    b.import(&dir.join("John_Doe_GMAIL.vcf"), &[]);
    let c = b.contact_named("John Richter, James Doe Sr.");
    let notes = &b.show(c["id"].as_i64().unwrap())["notes"];
    assert!(
        notes[0]["body"]
            .as_str()
            .unwrap()
            .ends_with("\nFavotire Color: Blue"),
        "{notes}"
    );
}

#[test]
fn batches_keep_notes_and_duplicates_straight() {
    // More rows than one write batch (400), duplicates inside the file both near (same
    // batch) and far (an earlier batch), and a note on every row naming its row.
    let b = Book::new();
    let p = b.file("many.csv");
    let mut csv = String::from("name,email,phone,notes\n");
    for i in 0..1000 {
        csv.push_str(&format!("Person {i},p{i}@x.example,,note for {i}\n"));
    }
    // Row 1001 repeats person 3 by email (an earlier batch); row 1002 person 999 by name.
    csv.push_str("Someone,P3@X.example,555-0003,second note for 3\n");
    csv.push_str("Person 999,,555-0999,second note for 999\n");
    std::fs::write(&p, csv).unwrap();
    let out = b.ok(&["import", p.to_str().unwrap()]);
    assert!(
        out.contains("imported 1000, merged 2, skipped 0 duplicates, invalid 0"),
        "{out}"
    );
    assert!(out.contains("1002 notes added"), "{out}");
    for i in [0, 1, 399, 400, 401, 799, 800, 998] {
        let c = b.contact_named(&format!("Person {i}"));
        let notes = &b.show(c["id"].as_i64().unwrap())["notes"];
        assert_eq!(notes.as_array().unwrap().len(), 1, "person {i}: {notes}");
        assert_eq!(notes[0]["body"], format!("note for {i}"));
        assert_eq!(strs(&c["emails"]), [format!("p{i}@x.example")]);
    }
    let three = b.contact_named("Person 3");
    assert_eq!(strs(&three["phones"]), ["555-0003"]);
    assert_eq!(
        b.show(three["id"].as_i64().unwrap())["notes"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let last = b.contact_named("Person 999");
    assert_eq!(strs(&last["phones"]), ["555-0999"]);
    assert_eq!(
        b.show(last["id"].as_i64().unwrap())["notes"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn invalid_card_is_reported_by_line() {
    let b = Book::new();
    let p = b.file("two.vcf");
    std::fs::write(
        &p,
        "BEGIN:VCARD\nVERSION:3.0\nFN:Ok Person\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nTEL:555-0100\nEND:VCARD\n",
    )
    .unwrap();
    let (code, out, err) = b.import(&p, &[]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("error: line 5: no name and no email"), "{err}");
    let out = b.ok(&["import", p.to_str().unwrap(), "--skip-invalid"]);
    assert!(
        out.contains("imported 1, merged 0, skipped 0 duplicates, invalid 1"),
        "{out}"
    );
}

/// The schema's triggers (name and SQL), to see that an import put back what it suspended.
fn triggers(db: &std::path::Path) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(db).expect("open");
    let mut stmt = conn
        .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
        .expect("prepare");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows")
}

/// Rows of `contact_keys` that differ from what the schema derives from the contacts' JSON.
fn stray_keys(db: &std::path::Path) -> i64 {
    let conn = rusqlite::Connection::open(db).expect("open");
    let derived = "SELECT * FROM (
        SELECT c.id, 'email', lower(trim(value)) FROM contacts c, json_each(c.emails)
        UNION ALL SELECT c.id, 'phone', replace(replace(replace(replace(replace(replace(replace(
          value,' ',''),'-',''),'(',''),')',''),'.',''),'+',''),'/','') FROM contacts c, json_each(c.phones)
        UNION ALL SELECT c.id, 'tag', lower(trim(value)) FROM contacts c, json_each(c.tags))";
    let kept = "SELECT contact_id, kind, key FROM contact_keys";
    conn.query_row(
        &format!(
            "SELECT (SELECT count(*) FROM ({derived} EXCEPT {kept}))
                  + (SELECT count(*) FROM ({kept} EXCEPT {derived}))
                  + (SELECT count(*) FROM contact_keys) - (SELECT count(*) FROM ({derived}))"
        ),
        [],
        |r| r.get(0),
    )
    .expect("query")
}

fn search_names(b: &Book, q: &str) -> Vec<String> {
    let hits: serde_json::Value =
        serde_json::from_str(&b.ok(&["search", q, "--json", "--limit", "50"])).expect("json");
    hits.as_array()
        .expect("array")
        .iter()
        .filter(|h| h["kind"] == "contact")
        .map(|h| h["title"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn a_large_import_is_indexed_and_consistent() {
    // More rows than one indexing span (5,000) and many write batches (400), a row merged
    // into a contact the book had, and one merged into a contact an earlier batch of this
    // same import wrote (its update trigger indexes it before the import's own indexing).
    let b = Book::new();
    let fresh = {
        b.ok(&[
            "contact",
            "add",
            "--name",
            "Old Timer",
            "--email",
            "p10@x.example",
        ]);
        triggers(&b.db)
    };
    let p = b.file("large.csv");
    let mut csv = String::from("name,email,phone,company,labels,notes\n");
    for i in 0..5200 {
        csv.push_str(&format!(
            "Person {i},p{i}@x.example,+1 (555) {i:07},Firm {},Tag{},note {i}\n",
            i % 7,
            i % 3
        ));
    }
    csv.push_str("Someone,P3@X.example,(777) 4242-42,,,\n");
    std::fs::write(&p, csv).unwrap();
    let out = b.ok(&["import", p.to_str().unwrap()]);
    assert!(
        out.contains("imported 5199, merged 2, skipped 0 duplicates, invalid 0"),
        "{out}"
    );
    assert_eq!(triggers(&b.db), fresh, "every suspended trigger is back");
    assert_eq!(
        stray_keys(&b.db),
        0,
        "contact_keys as the trigger derives them"
    );
    assert!(b.ok(&["db", "check"]).starts_with("ok"));

    // By a substring of the name, the email and the phone (trigram), and by word.
    assert_eq!(search_names(&b, "erson 5199"), ["Person 5199"]);
    assert_eq!(search_names(&b, "p4711@x"), ["Person 4711"]);
    assert_eq!(search_names(&b, "0002345"), ["Person 2345"]);
    assert_eq!(
        search_names(&b, "7774242"),
        ["Person 3"],
        "the merged phone"
    );
    assert!(search_names(&b, "timer").contains(&"Old Timer".to_string()));
    let all: serde_json::Value =
        serde_json::from_str(&b.ok(&["search", "firm", "--json", "--limit", "5"])).unwrap();
    assert!(!all.as_array().unwrap().is_empty(), "by company word");
    let conn = rusqlite::Connection::open(&b.db).unwrap();
    for t in ["contacts_fts", "contacts_tri", "notes_fts", "companies_fts"] {
        let missing: i64 = conn
            .query_row(
                &format!(
                    "SELECT count(*) FROM {} WHERE id NOT IN (SELECT rowid FROM {t})",
                    match t {
                        "notes_fts" => "notes",
                        "companies_fts" => "companies",
                        _ => "contacts",
                    }
                ),
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(missing, 0, "{t}: every row indexed");
    }
    conn.execute(
        "INSERT INTO notes_fts(notes_fts, rank) VALUES ('integrity-check', 1)",
        [],
    )
    .expect("the notes index matches the notes");

    // Contacts added afterwards go through the restored triggers.
    b.ok(&[
        "contact",
        "add",
        "--name",
        "Zed Later",
        "--email",
        "zed@later.example",
    ]);
    assert_eq!(search_names(&b, "d@later"), ["Zed Later"]);
    assert_eq!(stray_keys(&b.db), 0);
}

#[test]
fn a_refused_or_dry_import_leaves_the_schema_whole() {
    let b = Book::new();
    b.ok(&["contact", "add", "--name", "Before"]);
    let fresh = triggers(&b.db);
    let (code, _, _) = b.import(&fixture("invalid.csv"), &[]);
    assert_eq!(code, 2);
    assert_eq!(triggers(&b.db), fresh);
    b.ok(&[
        "import",
        fixture("plain.csv").to_str().unwrap(),
        "--dry-run",
    ]);
    assert_eq!(triggers(&b.db), fresh);
    assert_eq!(b.contacts().len(), 1);
    b.ok(&[
        "contact",
        "add",
        "--name",
        "After Wards",
        "--email",
        "aw@x.example",
    ]);
    assert_eq!(search_names(&b, "ter war"), ["After Wards"]);
    assert_eq!(stray_keys(&b.db), 0);
}
