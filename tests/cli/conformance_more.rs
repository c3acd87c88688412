//! More of the conformance suite (see `conformance.rs`): the rest of the CLI tests of
//! imports, exports, reports, dates and the desk, each body as in the file it names, run on
//! a SQLite book and on a PostgreSQL one.

use crate::conformance::{export_sample, report_book};
use crate::desk::import;
use crate::edges_output_import::{comparable, json_book};
use crate::edges_when_config::refused;
use crate::import::SUMMARY_2;
use crate::support::{Book, conformance, fixture, strs};
use serde_json::Value;
use std::os::unix::fs::PermissionsExt;

fn mode(p: &std::path::Path) -> u32 {
    std::fs::metadata(p).expect("a file").permissions().mode() & 0o777
}

/// tests/cli/edges_when_config.rs `book_with_ana`: Ana and one open follow-up (#1).
fn with_ana(b: &Book) {
    b.contact(&["--name", "Ana Pereira", "--cadence", "7d"]);
    b.ok(&["follow-up", "ana", "tomorrow", "call"]);
}

conformance! {
    /// tests/cli/commands.rs `other_currency_and_stage_config`.
    fn other_currency_and_stage_config(b: &Book) {
    std::fs::write(
        b.dir.path().join("config.toml"),
        "currency = \"EUR\"\n[pipeline]\nstages = [{ name = \"Discovery\", probability = 20 }, { name = \"Closing\", probability = 80 }]\n",
    )
    .unwrap();
    b.contact(&["--name", "Ana"]);
    b.ok(&[
        "deal",
        "add",
        "--title",
        "A",
        "--contact",
        "ana",
        "--value",
        "$500",
    ]);
    b.ok(&[
        "deal",
        "add",
        "--title",
        "B",
        "--contact",
        "ana",
        "--value",
        "900",
        "--stage",
        "clos",
    ]);
    let v = b.json(&["deal", "list"]);
    assert_eq!(v[0]["currency"], "USD");
    assert_eq!(v[0]["stage"], "Discovery");
    assert_eq!(v[1]["currency"], "EUR");
    assert_eq!(v[1]["stage"], "Closing");
}

    /// tests/cli/desk.rs `a_shared_email_is_refused_naming_the_contact_a_shared_phone_warns`.
    fn a_shared_email_is_refused_naming_the_contact_a_shared_phone_warns(b: &Book) {
    let ana = b.contact(&[
        "--name",
        "Ana Pereira",
        "--company",
        "Acme",
        "--email",
        "ana@acme.example",
        "--phone",
        "+1 555 0100",
    ]);
    let before = b.dump();
    for email in ["ana@acme.example", " ANA@acme.EXAMPLE "] {
        let err = b.fails(
            &[
                "contact",
                "add",
                "--name",
                "Ana P",
                "--email",
                "x@y.example",
                "--email",
                email,
            ],
            2,
        );
        assert!(err.contains(&format!("#{ana} Ana Pereira")), "{err}");
        assert!(err.contains("--allow-duplicate"), "{err}");
    }
    assert_eq!(b.dump(), before, "nothing written");
    let id = b.contact(&[
        "--name",
        "Ana P",
        "--email",
        "ana@acme.example",
        "--allow-duplicate",
    ]);
    assert!(id > ana);

    let out = b
        .cmd()
        .args([
            "contact",
            "add",
            "--name",
            "Reception",
            "--phone",
            "(555) 0100",
            "--phone",
            "1",
        ])
        .output()
        .expect("run");
    // "1" is no phone: refused before anything
    assert_eq!(out.status.code(), Some(2));
    let out = b
        .cmd()
        .args([
            "contact",
            "add",
            "--name",
            "Reception",
            "--phone",
            "+1 555-0100",
        ])
        .output()
        .expect("run");
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("warning:") && err.contains(&format!("#{ana} Ana Pereira")),
        "{err}"
    );
}

    /// tests/cli/desk.rs `outcomes_fit_the_kind`.
    fn outcomes_fit_the_kind(b: &Book) {
    b.contact(&["--name", "Ana Pereira"]);
    for (kind, outcome) in [
        ("call", "connected"),
        ("call", "voicemail"),
        ("call", "no-answer"),
        ("email", "replied"),
        ("meeting", "held"),
        ("meeting", "no-show"),
    ] {
        b.ok(&["note", "ana", "x", "--kind", kind, "--outcome", outcome]);
    }
    let before = b.dump();
    for (kind, outcome, accepted) in [
        ("email", "connected", "replied"),
        ("call", "replied", "connected, voicemail, no-answer"),
        ("meeting", "voicemail", "held, no-show"),
        ("note", "held", "no outcome"),
        ("call", "held", "connected"),
    ] {
        let err = b.fails(
            &["note", "ana", "x", "--kind", kind, "--outcome", outcome],
            2,
        );
        assert!(err.contains(accepted), "{kind} {outcome}: {err}");
    }
    assert_eq!(b.dump(), before);
    let notes = b.json(&["contact", "show", "ana"]);
    let outcomes: Vec<&str> = notes["notes"]
        .as_array()
        .map(|n| n.iter().filter_map(|n| n["outcome"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(outcomes.len(), 6, "{outcomes:?}");
    // the connect rate counts calls only: 1 connected of 3 calls with an outcome
    let r = b.json(&["report"]);
    assert_eq!(r["calls"]["connected"], 1, "{r}");
    assert_eq!(r["calls"]["with_outcome"], 3, "{r}");
}

    /// tests/cli/desk.rs `linkedin_exports_are_the_source_and_google_labels_are_tags`.
    fn linkedin_exports_are_the_source_and_google_labels_are_tags(b: &Book) {
    let linkedin = "Notes:\n\"When exporting your connection data, you may notice...\"\n\n\
                    First Name,Last Name,URL,Email Address,Company,Position,Connected On\n\
                    Ana,Pereira,https://www.linkedin.com/in/ana,,Acme,VP Sales,08 Nov 2023\n";
    let (code, out, err) = import(b, "Connections.csv", linkedin, &[]);
    assert_eq!(code, 0, "{out}{err}");
    let ana = b.json(&["contact", "show", "ana"]);
    assert_eq!(ana["contact"]["source"], "linkedin");

    let google = "Name,Given Name,Family Name,Labels,E-mail 1 - Value,Phone 1 - Value\n\
                  Bob Stone,Bob,Stone,* myContacts ::: Clients ::: Trade fair 2026,bob@x.example,555 0101\n";
    let (code, out, err) = import(b, "contacts.csv", google, &[]);
    assert_eq!(code, 0, "{out}{err}");
    let bob = b.json(&["contact", "show", "bob"]);
    assert_eq!(
        bob["contact"]["tags"],
        serde_json::json!(["Clients", "Trade fair 2026"])
    );
    assert!(bob["contact"]["source"].is_null(), "{bob}");
}

    /// tests/cli/desk.rs `a_field_that_cannot_be_read_is_left_out_and_the_person_kept`.
    fn a_field_that_cannot_be_read_is_left_out_and_the_person_kept(b: &Book) {
    let csv = "First Name,Last Name,Company,Business Phone,Mobile Phone,E-mail Address,Categories\n\
               Ana,Pereira,Acme,call reception,+1 555 0100,ana@acme.example,Clients\n\
               Bob,Stone,Globex,BusinessPhone,,bob@globex.example,\n\
               Cleo,Park,,+1 555 0102,,not an email,\n";
    for args in [&[][..], &["--skip-invalid"][..]] {
        let b = Book::on(b.engine()).expect("a book on the same engine");
        let (code, out, err) = import(&b, "outlook.csv", csv, args);
        assert_eq!(code, 0, "{args:?}: {out}{err}");
        assert!(
            out.contains("imported 3, merged 0, skipped 0 duplicates, invalid 0"),
            "{out}"
        );
        for want in [
            "warning: line 2, column 4 (Business Phone): \"call reception\" is not a phone number; left out",
            "warning: line 3, column 4 (Business Phone): \"BusinessPhone\" is not a phone number",
            "warning: line 4, column 6 (E-mail Address): \"not\" is not an email address",
        ] {
            assert!(err.contains(want), "{want}\n{err}");
        }
        let ana = b.json(&["contact", "show", "ana"]);
        assert_eq!(ana["contact"]["phones"], serde_json::json!(["+1 555 0100"]));
        assert_eq!(
            ana["contact"]["emails"],
            serde_json::json!(["ana@acme.example"])
        );
        assert_eq!(ana["contact"]["company"], "Acme");
        assert_eq!(ana["contact"]["tags"], serde_json::json!(["Clients"]));
        let cleo = b.json(&["contact", "show", "cleo"]);
        assert_eq!(
            cleo["contact"]["phones"],
            serde_json::json!(["+1 555 0102"])
        );
    }
    // a row with no person left in it is still invalid
    let (code, _, err) = import(
        b,
        "bad.csv",
        "name,email\n,not-an-email\nAna,ana@x.example\n",
        &[],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("error: line 2: \"not-an-email\" is not an email address"),
        "{err}"
    );
}

    /// tests/cli/import.rs `google_legacy_csv`.
    fn google_legacy_csv(b: &Book) {
    b.ok(&["import", fixture("google-legacy.csv").to_str().unwrap()]);
    let bea = b.contact_named("Bea Kim");
    assert_eq!(bea["company"], "Initech");
    assert_eq!(bea["title"], "Partner Manager");
    assert_eq!(strs(&bea["tags"]), ["Partners"]);
}

    /// tests/cli/import.rs `outlook_csv_title_is_the_honorific`.
    fn outlook_csv_title_is_the_honorific(b: &Book) {
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

    /// tests/cli/import.rs `linkedin_connections_with_preamble`.
    fn linkedin_connections_with_preamble(b: &Book) {
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

    /// tests/cli/import.rs `hubspot_lifecycle_stage_is_status`.
    fn hubspot_lifecycle_stage_is_status(b: &Book) {
    b.ok(&["import", fixture("hubspot.csv").to_str().unwrap()]);
    let dana = b.contact_named("Dana Fox");
    assert_eq!(dana["status"], "prospect");
    assert_eq!(dana["source"], "Organic Search");
    assert_eq!(dana["title"], "COO");
    assert_eq!(b.contact_named("Eli Stone")["status"], "customer");
}

    /// tests/cli/import.rs `windows_1252_is_decoded`.
    fn windows_1252_is_decoded(b: &Book) {
    let (code, out, err) = b.import(&fixture("windows-1252.csv"), &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("Windows-1252"), "{err}");
    let r = b.contact_named("Renée Dubois");
    assert_eq!(r["company"], "Café Crème");
    let notes = &b.show(r["id"].as_i64().unwrap())["notes"];
    assert_eq!(notes[0]["body"], "Likes “quotes” – and €");
}

    /// tests/cli/import.rs `utf16_outlook_is_decoded`.
    fn utf16_outlook_is_decoded(b: &Book) {
    b.ok(&["import", fixture("outlook-utf16.csv").to_str().unwrap()]);
    assert_eq!(b.contact_named("Zoë Çelik")["company"], "Öztürk AŞ");
}

    /// tests/cli/import.rs `undecodable_file_is_refused`.
    fn undecodable_file_is_refused(b: &Book) {
    let p = b.file("broken.csv");
    std::fs::write(&p, b"name,email\nAna \x81\x8d\x9d,ana@x.example\n").unwrap();
    let (code, _, err) = b.import(&p, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("UTF-8"), "{err}");
    assert!(b.contacts().is_empty());
}

    /// tests/cli/import.rs `no_header_is_a_clear_error`.
    fn no_header_is_a_clear_error(b: &Book) {
    let p = b.file("x.csv");
    std::fs::write(&p, "foo,bar\n1,2\n").unwrap();
    let (code, _, err) = b.import(&p, &[]);
    assert_eq!(code, 2);
    assert!(err.contains("header"), "{err}");
}

    /// tests/cli/import.rs `invalid_rows_mean_nothing_is_imported`.
    fn invalid_rows_mean_nothing_is_imported(b: &Book) {
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

    /// tests/cli/import.rs `duplicates_skip_and_create`.
    fn duplicates_skip_and_create(b: &Book) {
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

    /// tests/cli/import.rs `formula_guard_is_taken_off_on_import`.
    fn formula_guard_is_taken_off_on_import(b: &Book) {
    b.ok(&["import", fixture("formula.csv").to_str().unwrap()]);
    let c = b.contact_named("=HYPERLINK(\"http://evil.example\")");
    assert_eq!(strs(&c["phones"]), ["+1 555 0500"]);
    assert_eq!(c["company"], "@Acme");
}

    /// tests/cli/import.rs `missing_file_is_an_input_error`.
    fn missing_file_is_an_input_error(b: &Book) {
    let (code, _, err) = b.run(&["import", "/nonexistent/contacts.csv"]);
    assert_eq!(code, 2);
    // After the note that the book was new.
    assert!(
        err.lines().last().is_some_and(|l| l.starts_with("error: ")),
        "{err}"
    );
}

    /// tests/cli/import.rs `batches_keep_notes_and_duplicates_straight`.
    fn batches_keep_notes_and_duplicates_straight(b: &Book) {
    // More rows than one write batch (400), duplicates inside the file both near (same
    // batch) and far (an earlier batch), and a note on every row naming its row.
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

    /// tests/cli/import.rs `invalid_card_is_reported_by_line`.
    fn invalid_card_is_reported_by_line(b: &Book) {
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

    /// tests/cli/report.rs `since_takes_a_when_and_refuses_nonsense`.
    fn since_takes_a_when_and_refuses_nonsense(b: &mut Book) {
    report_book(b);
    assert_eq!(
        b.json(&["report", "--since", "-30d"])["since"],
        "2026-10-24"
    );
    assert_eq!(
        b.json(&["report", "--since", "2026-10-12"])["since"],
        "2026-10-12"
    );
    // "oct 1" said in November is this October, not next year's.
    assert_eq!(
        b.json(&["report", "--since", "oct 1"])["since"],
        "2026-10-01"
    );
    // From 10-12 nothing closed: nulls, not a division by zero.
    let v = b.json(&["report", "--since", "2026-10-12"]);
    assert_eq!(v["win_rate"], Value::Null);
    assert_eq!(v["avg_days_to_win"], Value::Null);
    assert_eq!(v["connect_rate"], Value::Null);
    let err = b.fails(&["report", "--since", "someday"], 2);
    assert!(err.starts_with("error: --since"), "{err}");
}

    /// tests/cli/export.rs `csv_of_every_kind_needs_a_folder`.
    fn csv_of_every_kind_needs_a_folder(b: &Book) {
    export_sample(b);
    let (code, _, err) = b.run(&["export", "--format", "csv"]);
    assert_eq!(code, 2);
    assert!(err.contains("-o FOLDER"), "{err}");
    let dir = b.file("out");
    let out = b.ok(&["export", "--format", "csv", "-o", dir.to_str().unwrap()]);
    assert!(out.contains("contacts.csv"), "{out}");
    for f in ["contacts.csv", "deals.csv", "follow-ups.csv", "notes.csv"] {
        let p = dir.join(f);
        assert_eq!(mode(&p), 0o600, "{f}");
    }
    let notes = std::fs::read_to_string(dir.join("notes.csv")).unwrap();
    assert!(
        notes.contains("\"Line one\nline two, with a comma\""),
        "{notes}"
    );
    let fus = std::fs::read_to_string(dir.join("follow-ups.csv")).unwrap();
    assert!(fus.contains("2026-11-24,yes"), "{fus}");
    assert!(fus.contains(",done,"), "{fus}");
}

    /// tests/cli/export.rs `files_are_private`.
    fn files_are_private(b: &Book) {
    export_sample(b);
    for (fmt, name) in [("json", "b.json"), ("vcf", "b.vcf"), ("ics", "b.ics")] {
        let p = b.file(name);
        // An existing world-readable file is made private too.
        std::fs::write(&p, "old").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
        b.ok(&["export", "--format", fmt, "-o", p.to_str().unwrap()]);
        assert_eq!(mode(&p), 0o600, "{fmt}");
    }
    // The format follows -o's extension when not given.
    let p = b.file("x.vcf");
    b.ok(&["export", "-o", p.to_str().unwrap()]);
    assert!(
        std::fs::read_to_string(&p)
            .unwrap()
            .starts_with("BEGIN:VCARD")
    );
}

    /// tests/cli/edges_output_import.rs `invalid_rows_are_reported_at_their_physical_line`.
    fn invalid_rows_are_reported_at_their_physical_line(b: &Book) {
    for eol in ["\n", "\r\n", "\r"] {
        for bom in ["", "\u{feff}"] {
            for preamble in [0, 2] {
                let mut lines: Vec<String> = Vec::new();
                for i in 0..preamble {
                    lines.push(format!("Notes: exported {i}"));
                }
                lines.push("name,email,notes".into());
                lines.push("Ana,ana@x.test,".into());
                // A quoted note over three physical lines, with each kind of break in it.
                lines.push(format!("Bo,bo@x.test,\"one{eol}two\r\nthree\""));
                lines.push(String::new());
                // No name, and an email that is none: nothing left to keep, so the row is invalid.
                lines.push(",not-an-email,".into());
                lines.push("Di,di@x.test,".into());
                let text = format!("{bom}{}{eol}", lines.join(eol));
                // Physical lines: preamble, header, Ana, Bo (3 lines), blank, then Cy.
                let want = preamble + 1 + 1 + 3 + 1 + 1;
                let p = b.dir.path().join("rows.csv");
                std::fs::write(&p, &text).unwrap();
                let err = b.fails(&["import", p.to_str().unwrap(), "--dry-run"], 2);
                assert!(
                    err.contains(&format!("line {want}: ")),
                    "{eol:?} bom {bom:?} preamble {preamble}: want line {want}: {err}"
                );
            }
        }
    }
}

    /// tests/cli/edges_output_import.rs `json_import_checks_every_field`.
    fn json_import_checks_every_field(b: &Book) {
    let good = json_book();
    let table: Vec<(&str, &str, Value, &str)> = vec![
        ("follow_ups", "every", "banana".into(), "every"),
        ("follow_ups", "every", "99999999m".into(), "every"),
        ("follow_ups", "kind", "banana".into(), "banana"),
        ("follow_ups", "status", "banana".into(), "status"),
        ("follow_ups", "due_at", "99999-01-01".into(), "due_at"),
        ("follow_ups", "created_at", "yesterday".into(), "created_at"),
        ("notes", "kind", "banana".into(), "banana"),
        ("notes", "outcome", "banana".into(), "banana"),
        ("notes", "version", 0.into(), "version"),
        ("deals", "stage", "Nowhere".into(), "stage"),
        ("deals", "value_cents", i64::MAX.into(), "value_cents"),
        ("deals", "value_cents", (-i64::MAX).into(), "value_cents"),
        ("deals", "currency", "dollars".into(), "currency"),
        ("deals", "status", "banana".into(), "banana"),
        (
            "deals",
            "expected_close",
            "2026-13-01".into(),
            "expected_close",
        ),
        ("deals", "title", " ".into(), "title"),
        ("contacts", "cadence_days", 0.into(), "cadence_days"),
        ("contacts", "cadence_days", i64::MAX.into(), "cadence_days"),
        ("contacts", "status", "banana".into(), "banana"),
        ("contacts", "temperature", "banana".into(), "banana"),
        ("contacts", "emails", serde_json::json!(["nope"]), "email"),
        ("contacts", "name", "".into(), "name"),
        ("contacts", "id", 0.into(), "id"),
        (
            "contacts",
            "last_contacted_at",
            "10000-01-01T00:00:00Z".into(),
            "last_contacted_at",
        ),
    ];
    for (list, field, value, says) in table {
        let mut book = good.clone();
        book[list][0][field] = value.clone();
            let p = b.dir.path().join("book.json");
        std::fs::write(&p, book.to_string()).unwrap();
        let err = b.fails(&["import", p.to_str().unwrap()], 2);
        assert!(
            err.contains(&format!("$.{list}[0]")) && err.contains(says),
            "{list}.{field} = {value}: {err}"
        );
        assert_eq!(
            b.json(&["contact", "list"]),
            serde_json::json!([]),
            "{list}.{field}"
        );
    }
    // The book as exported imports.
    let b = Book::on(b.engine()).expect("a book on the same engine");
    let p = b.dir.path().join("book.json");
    std::fs::write(&p, good.to_string()).unwrap();
    b.ok(&["import", p.to_str().unwrap()]);
    b.ok(&["done", "1"]);
}

    /// tests/cli/edges_output_import.rs `an_import_is_undone_whole_merges_included`.
    fn an_import_is_undone_whole_merges_included(b: &Book) {
    b.contact(&["--name", "Ana Old", "--email", "ana@x.test", "--tag", "vip"]);
    b.contact(&["--name", "Bo Old", "--phone", "+1 555 0100"]);
    b.ok(&["note", "#1", "first call", "--kind", "call"]);
    b.ok(&[
        "deal",
        "add",
        "--title",
        "Deal",
        "--contact",
        "#1",
        "--value",
        "10",
    ]);
    let before = comparable(b);
    let p = b.dir.path().join("people.csv");
    let mut text = String::from("name,email,phone,company,tags,notes\n");
    text.push_str("Ana Pereira,ana@x.test,+1 555 0199,NewCo,lead,merged note\n");
    text.push_str("Bo Other,bo@x.test,+1 555 0100,,,\n");
    for i in 0..300 {
        text.push_str(&format!(
            "New {i},new{i}@x.test,,Co {},t{i},hello {i}\n",
            i % 7
        ));
    }
    std::fs::write(&p, &text).unwrap();
    let out = b.ok(&["import", p.to_str().unwrap()]);
    assert!(out.contains("imported 300, merged 2"), "{out}");
    assert_ne!(comparable(b), before);
    // A change to an imported contact, undone, leaves the import undoable.
    b.ok(&["contact", "edit", "#3", "--title", "changed"]);
    b.ok(&["note", "#1", "after the import"]);
    assert!(b.ok(&["undo"]).contains("undid"));
    assert!(b.ok(&["undo"]).contains("undid"));
    let out = b.ok(&["undo"]);
    assert!(out.contains("undid the import of people.csv"), "{out}");
    assert_eq!(comparable(b), before, "the book is as before the import");
    assert!(b.ok(&["search", "hello"]).contains("nothing found"));
    // Undo goes on past it: the deal added before the import.
    assert!(b.ok(&["undo"]).contains("undid"));
    assert_eq!(b.json(&["deal", "list"]), serde_json::json!([]));
    b.assert_derived_consistent();

    // Refused when a row the import created has changed by a way undo does not know.
    let c = Book::on(b.engine()).expect("a book on the same engine");
    c.contact(&["--name", "Keep"]);
    c.ok(&["import", p.to_str().unwrap()]);
    c.sql("UPDATE contacts SET title = 'x', version = version + 1 WHERE id = 5");
    let before = c.dump();
    let err = c.fails(&["undo"], 2);
    assert!(
        err.contains("cannot undo the import") && err.contains("changed since"),
        "{err}"
    );
    assert_eq!(c.dump(), before, "a refused undo changes nothing");
}

    /// tests/cli/edges_numbers_money.rs `counts_and_win_rate_include_every_currency`.
    fn counts_and_win_rate_include_every_currency(b: &Book) {
    b.contact(&["--name", "Ana Pereira"]);
    let mut id = 0;
    for (cur, won) in [
        ("USD", true),
        ("USD", true),
        ("USD", true),
        ("USD", false),
        ("USD", false),
        ("USD", false),
        ("EUR", true),
    ] {
        b.ok(&[
            "deal",
            "add",
            "--title",
            "D",
            "--contact",
            "ana",
            "--value",
            "1000",
            "--currency",
            cur,
        ]);
        id += 1;
        let id = id.to_string();
        if won {
            b.ok(&["deal", "won", &id]);
        } else {
            b.ok(&["deal", "lost", &id, "--reason", "price"]);
        }
    }
    let v = b.json(&["report"]);
    assert_eq!(v["won"]["count"], 4, "{v}");
    assert_eq!(v["lost"]["count"], 3, "{v}");
    assert_eq!(
        v["won"]["value_cents"], 300_000,
        "money stays per currency: {v}"
    );
    assert_eq!(v["win_rate"], 0.5714, "{v}");
    assert_eq!(v["other_currencies"][0]["won"]["count"], 1, "{v}");
    assert_eq!(
        v["other_currencies"][0]["won"]["value_cents"], 100_000,
        "{v}"
    );
    let text = b.ok(&["report"]);
    let line = |label: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(label))
            .unwrap_or_else(|| panic!("{label}: {text}"))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(line("Won"), "Won 4 3,000");
    assert_eq!(line("Lost"), "Lost 3 3,000");
    assert_eq!(line("Win rate"), "Win rate 57%");

    // (The TUI's half of the original is not about the engine: it runs in memory.)
}

    /// tests/cli/edges_when_config.rs `dates_past_9999_are_refused_wherever_a_when_is_read`.
    fn dates_past_9999_are_refused_wherever_a_when_is_read(b: &Book) {
    with_ana(b);
    let far = "9999-12-31";
    refused(
        b,
        &[
            (&["follow-up", "ana", "+99999999h", "call"], far),
            (&["follow-up", "ana", "+99999999d"], far),
            (&["follow-up", "ana", "in", "99999999", "weeks"], far),
            (
                &["follow-up", "ana", "tomorrow", "--every", "99999999m"],
                "100 years",
            ),
            (
                &["follow-up", "edit", "1", "--every", "99999999d"],
                "100 years",
            ),
            (&["follow-up", "edit", "1", "--when", "+99999999h"], far),
            (&["snooze", "1", "+99999999h"], far),
            (&["note", "ana", "called", "--next", "+99999999h"], far),
            (&["note", "ana", "called @+99999999h"], far),
            (&["note", "ana", "called", "--at", "-99999999d"], far),
            (
                &[
                    "deal",
                    "add",
                    "--title",
                    "X",
                    "--contact",
                    "ana",
                    "--close",
                    "+99999999d",
                ],
                far,
            ),
            (
                &["contact", "edit", "ana", "--cadence", "99999999m"],
                "100 years",
            ),
            (&["report", "--since", "-99999999d"], far),
        ],
    );
    // `today`, `today --brief` and the TUI count the same book the same way.
    let brief = b.ok(&["today", "--brief"]);
    assert!(brief.starts_with("0 overdue · 0 today"), "{brief}");
}

    /// tests/cli/edges_when_config.rs `an_imported_date_past_9999_is_refused`.
    fn an_imported_date_past_9999_is_refused(b: &Book) {
    with_ana(b);
    let json = b.ok(&["export", "--format", "json"]);
    assert!(json.contains("\"2026-11-24\""), "{json}");
    let fresh = Book::on(b.engine()).expect("a book on the same engine");
    fresh.ok(&["today"]);
    for far in ["+10000-01-01", "10000-01-01", "99999-12-31"] {
        let file = fresh.dir.path().join("far.json");
        std::fs::write(&file, json.replace("\"2026-11-24\"", &format!("\"{far}\""))).unwrap();
        let before = fresh.dump();
        let err = fresh.fails(&["import", file.to_str().unwrap()], 2);
        assert!(err.contains("due_at"), "{far}: {err}");
        assert_eq!(fresh.dump(), before);
    }
}

    /// tests/cli/edges_when_config.rs `an_impossible_time_after_a_when_is_exit_2_never_text`.
    fn an_impossible_time_after_a_when_is_exit_2_never_text(b: &Book) {
    with_ana(b);
    let no_time = "is not a time of day";
    refused(
        b,
        &[
            (&["follow-up", "ana", "tomorrow", "24:00", "call"], no_time),
            (&["follow-up", "ana", "tomorrow", "23:60", "call"], no_time),
            (&["follow-up", "ana", "tomorrow", "25pm"], no_time),
            (&["follow-up", "ana", "fri", "13am", "demo"], no_time),
            (&["follow-up", "ana", "fri", "0pm"], no_time),
            (&["follow-up", "ana", "fri", "25", "pm"], no_time),
            (&["follow-up", "ana", "tomorrow", "at", "24:00"], no_time),
            (&["follow-up", "ana", "+4h", "3pm"], "a second time"),
            (&["snooze", "1", "tomorrow", "24:00"], no_time),
            (
                &["note", "ana", "called", "--next", "tomorrow 23:60"],
                no_time,
            ),
            (&["note", "ana", "called @tomorrow 24:00"], no_time),
            (
                &["note", "ana", "called", "--at", "yesterday 24:00"],
                no_time,
            ),
        ],
    );
    // A possible one is kept as the time, and a bare number stays text.
    let id = b.ok(&["follow-up", "ana", "tomorrow", "23:59", "call"]);
    let list = b.json(&["follow-up", "list"]);
    let row = list
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"].as_i64() == id.trim().parse().ok())
        .unwrap()
        .clone();
    assert_eq!(row["text"], "call", "{row}");
    let id = b.ok(&["follow-up", "ana", "tomorrow", "14", "seats"]);
    let list = b.json(&["follow-up", "list"]);
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"].as_i64() == id.trim().parse().ok() && f["text"] == "14 seats"),
        "{list}"
    );
}

    /// tests/cli/edges_when_config.rs `a_day_the_month_lacks_is_named`.
    fn a_day_the_month_lacks_is_named(b: &Book) {
    with_ana(b);
    refused(
        b,
        &[
            (
                &["follow-up", "ana", "feb", "30", "call"],
                "February has no day 30",
            ),
            (&["follow-up", "ana", "30", "feb"], "February has no day 30"),
            (&["follow-up", "ana", "apr", "31"], "April has no day 31"),
            (
                &["follow-up", "ana", "2026-02-30"],
                "February has no day 30",
            ),
            (
                &["follow-up", "ana", "feb", "29"],
                "February 2027 has no day 29",
            ),
            (&["snooze", "1", "apr 31"], "April has no day 31"),
        ],
    );
}

    /// Contacts whose cadence lapsed alike and whose names sort alike are listed by id, on
    /// both engines (the list's order had no last tie-break: SQLite listed #3, #1, #2).
    fn contacts_who_lapsed_alike_are_listed_by_id(b: &mut Book) {
        b.now = "2026-10-01T09:00:00+00:00".into();
        for name in ["Zoe Ng", "Zoë Ng", "ZOE NG"] {
            b.contact(&["--name", name, "--cadence", "30d"]);
        }
        b.now = crate::support::NOW.into();
        let ids: Vec<i64> = b.json(&["today"])["reconnect"]
            .as_array()
            .expect("a list")
            .iter()
            .filter_map(|r| r["contact_id"].as_i64())
            .collect();
        assert_eq!(ids, [1, 2, 3]);
    }
}
