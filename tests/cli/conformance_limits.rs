//! One-line fields (names, companies, titles, sources, emails, phones, tags, deal titles)
//! past their 200-character bound, every way they come in, on both engines: a server indexes
//! them and refuses an index entry over ~2.7 kB, so the bound is checked before either engine
//! sees the row, and the book is left as it was.

use crate::support::{Book, conformance};

/// 201 characters of 3 bytes each (603 bytes; 6000 would be the 2.7 kB the server refuses,
/// but the bound is in characters and is met well before).
fn long() -> String {
    "山".repeat(201)
}

/// The book's rows as a JSON export holds them. Not its id counters: a server's sequences are
/// not transactional, so a refused import on a server leaves its ids skipped (never reused).
fn book_json(b: &Book) -> serde_json::Value {
    let mut v: serde_json::Value =
        serde_json::from_str(&b.ok(&["export", "--format", "json"])).expect("a JSON export");
    v["sequences"] = serde_json::Value::Null;
    v
}

conformance! {
    /// Each field of `contact add` and `contact edit`, and a deal's title on `deal add` and
    /// `deal edit`: exit 2 naming the field and the bound, the book untouched; 200 characters
    /// are kept whole.
    fn one_line_fields_past_their_bound_are_refused(b: &Book) {
        let id = b.contact(&["--name", "Ana Lima", "--email", "ana@acme.test"]);
        b.ok(&["deal", "add", "--title", "Roll-out", "--contact", "ana"]);
        let before = book_json(b);
        let long = long();
        let email = format!("{}@acme.test", "a".repeat(195));
        for (flag, value, says) in [
            ("--name", long.as_str(), "the contact's name is 201 characters long; at most 200"),
            ("--company", &long, "the company's name is 201 characters long"),
            ("--title", &long, "the title is 201 characters long"),
            ("--source", &long, "the source is 201 characters long"),
            ("--email", &email, "an email is 205 characters long"),
            ("--phone", &format!("+1 {}", "5".repeat(200)), "a phone is 203 characters long"),
            ("--tag", &long, "a tag is 201 characters long"),
        ] {
            let mut add = vec!["contact", "add", flag, value];
            if flag != "--name" {
                add.extend(["--name", "Bo Chen"]);
            }
            let err = b.fails(&add, 2);
            assert!(err.contains(says), "contact add {flag}: {err}");
            let err = b.fails(&["contact", "edit", &id.to_string(), flag, value], 2);
            assert!(err.contains(says), "contact edit {flag}: {err}");
        }
        let err = b.fails(&["contact", "edit", "1", "--add-tag", &long], 2);
        assert!(err.contains("a tag is 201 characters long"), "{err}");
        let err = b.fails(&["deal", "add", "--title", &long, "--contact", "ana"], 2);
        assert!(err.contains("the deal's title is 201 characters long"), "{err}");
        let err = b.fails(&["deal", "edit", "1", "--title", &long], 2);
        assert!(err.contains("the deal's title is 201 characters long"), "{err}");
        assert_eq!(book_json(b), before, "a refused field changed the book");

        let most = "é".repeat(200);
        b.ok(&["contact", "edit", "ana", "--title", &most, "--add-tag", &most]);
        let c = b.show(id);
        assert_eq!(c["contact"]["title"], most.as_str());
        assert_eq!(c["contact"]["tags"][0], most.as_str());
    }
}

conformance! {
    /// A file's row: a name past the bound makes the row invalid (nothing imported unless
    /// `--skip-invalid`, which names its line); another field past it is left out of the
    /// person, who is kept, as an unreadable email is. A JSON book with one is refused whole.
    fn imported_fields_past_their_bound_are_left_out_or_refused(b: &Book) {
        let long = long();
        // A JSON book (a personal book's export) with one contact's title made too long.
        let src = Book::new();
        src.contact(&["--name", "Ana Lima"]);
        src.contact(&["--name", "Bo Chen"]);
        let mut book: serde_json::Value =
            serde_json::from_str(&src.ok(&["export", "--format", "json"])).unwrap();
        book["contacts"][1]["title"] = long.clone().into();
        let json = b.file("long.json");
        std::fs::write(&json, book.to_string()).unwrap();
        let err = b.fails(&["import", json.to_str().unwrap()], 2);
        assert!(err.contains("$.contacts[1] (id 2): title is 201 characters long"), "{err}");
        assert!(b.json(&["contact", "list"]).as_array().unwrap().is_empty());

        let csv = b.file("long.csv");
        std::fs::write(
            &csv,
            format!(
                "name,email,company,title,tags\n\
                 Ana Lima,ana@acme.test,{long},Buyer,vip\n\
                 {long},bo@acme.test,Acme,,\n\
                 Cy Dune,cy@acme.test,Acme,{long},{long}\n"
            ),
        )
        .unwrap();
        let csv = csv.to_str().unwrap();
        let before = book_json(b);
        let err = b.fails(&["import", csv], 2);
        assert!(err.contains("line 3: the name is 201 characters long"), "{err}");
        assert_eq!(book_json(b), before, "a refused import changed the book");

        let out = b.ok(&["import", csv, "--skip-invalid"]);
        assert!(out.contains("imported 2"), "{out}");
        let ana = b.json(&["contact", "show", "Ana Lima"]);
        assert_eq!(ana["contact"]["company"], serde_json::Value::Null, "{ana}");
        assert_eq!(ana["contact"]["title"], "Buyer");
        let cy = b.json(&["contact", "show", "Cy Dune"]);
        assert_eq!(cy["contact"]["name"], "Cy Dune");
        assert_eq!(cy["contact"]["title"], serde_json::Value::Null, "{cy}");
        assert_eq!(cy["contact"]["tags"], serde_json::json!([]), "{cy}");

    }
}

conformance! {
    /// A row written before the bound (an older personal book; a server takes 300 characters
    /// too) keeps working: every edit that does not bring a long field goes through, and a
    /// win of a deal whose title is as long as a title may be opens its renewal, cut to fit.
    fn rows_written_before_the_bound_keep_working(b: &Book) {
        b.configure(crate::pipelines::TWO);
        b.contact(&["--name", "Ana Lima", "--email", "ana@acme.test"]);
        let title = "t".repeat(200);
        b.ok(&["deal", "add", "--title", &title, "--contact", "ana"]);
        let long = "L".repeat(300);
        b.sql(&format!(
            "UPDATE contacts SET name = 'Ana {long}', title = '{long}', tags = '[\"{long}\"]'"
        ));
        b.ok(&["contact", "edit", "1", "--status", "customer", "--add-tag", "vip"]);
        b.ok(&["contact", "edit", "1", "--add-email", "ana@home.test"]);
        b.ok(&["contact", "archive", "1"]);
        b.ok(&["contact", "unarchive", "1"]);
        b.ok(&["deal", "edit", "1", "--value", "5000"]);
        let c = b.show(1);
        assert_eq!(c["contact"]["tags"].as_array().map(Vec::len), Some(2), "{c}");
        // Bringing a long field is still refused.
        let err = b.fails(&["contact", "edit", "1", "--title", &format!("{long}!")], 2);
        assert!(err.contains("the title is 301 characters long"), "{err}");

        b.ok(&["deal", "won", "1"]);
        let renewal = crate::pipelines::deal(b, 2);
        let t = renewal["title"].as_str().unwrap();
        assert_eq!(t.chars().count(), 200, "{t}");
        assert!(t.starts_with("Renewal: ttt") && t.ends_with("t…"), "{t}");
    }
}

conformance! {
    /// A JSON book's deal stage (in a pipeline the config lacks, so it comes in Unfiled) and
    /// sequence enrolment name are one-line fields too: both engines refuse the file whole.
    fn a_json_books_stages_and_enrolments_are_bounded(b: &Book) {
        let src = Book::new();
        src.contact(&["--name", "Ana Lima"]);
        src.ok(&["deal", "add", "--title", "Rollout", "--contact", "ana"]);
        let export: serde_json::Value =
            serde_json::from_str(&src.ok(&["export", "--format", "json"])).unwrap();
        let mut book = export.clone();
        book["deals"][0]["pipeline"] = "gone".into();
        book["deals"][0]["stage"] = "S".repeat(201).into();
        let file = b.file("stage.json");
        std::fs::write(&file, book.to_string()).unwrap();
        let err = b.fails(&["import", file.to_str().unwrap()], 2);
        assert!(err.contains("$.deals[0] (id 1): stage is 201 characters long"), "{err}");
        assert!(b.json(&["contact", "list"]).as_array().unwrap().is_empty());
    }
}
