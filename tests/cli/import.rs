//! `import`: each CSV flavour, each vCard sample, duplicates, all-or-nothing, dry run.

use crate::support::{Book, fixture, shared_vcards, strs};

pub(crate) const SUMMARY_2: &str = "imported 2, merged 0, skipped 0 duplicates, invalid 0";

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
