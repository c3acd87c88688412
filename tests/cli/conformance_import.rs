//! Imports bigger than one batch, on both engines: new contacts are written 400 at a time
//! (on a server copied in with `COPY`), and a server looks the rows' duplicates up a window
//! of rows at a time. What crosses those boundaries, and text the copy's escaping must keep.

use crate::support::{Book, conformance, strs};

/// A CSV of `n` distinct people (`Person 1` …, `p1@x.example`, `+1 555 000 0001`), each at
/// `Co <i % 7>`, with `extra(i)` rows written after row `i`.
fn people(b: &Book, name: &str, n: usize, extra: impl Fn(usize) -> Vec<String>) -> String {
    let mut csv = String::from("name,email,phone,company,title,tags,notes\n");
    for i in 1..=n {
        csv.push_str(&format!(
            "Person {i},p{i}@x.example,+1 555 {i:07},Co {},,,\n",
            i % 7
        ));
        for row in extra(i) {
            csv.push_str(&row);
            csv.push('\n');
        }
    }
    let p = b.file(name);
    std::fs::write(&p, csv).unwrap();
    p.to_str().unwrap().to_string()
}

fn count(b: &Book, sql: &str) -> i64 {
    match b.rows(sql)[0][0] {
        rusqlite::types::Value::Integer(n) => n,
        ref v => panic!("{sql}: {v:?}"),
    }
}

conformance! {
    /// A row that repeats one written in an earlier batch merges into it (a duplicate in the
    /// book), one that repeats a row of its own batch merges into that (a duplicate still
    /// pending), and the new people keep the ids of their order in the file.
    fn duplicates_across_a_batch_boundary_merge_into_the_first(b: &Book) {
        let file = people(b, "batches.csv", 1000, |i| match i {
            // Person 5 was written with the first batch (400 new rows) by now.
            450 => vec!["P. Five,P5@X.example,+1 777 0000005,,Buyer,vip,met at the fair".into()],
            // Person 810 is still pending: the third batch starts at row 801.
            812 => vec!["Someone,,+1 555 0000810,,CTO,,".into()],
            // Same name and company as Person 399, no keys: across the first boundary.
            401 => vec!["Person 399,,,Co 0,VP,,".into()],
            _ => vec![],
        });
        let out = b.ok(&["import", &file]);
        assert!(out.contains("imported 1000, merged 3, skipped 0 duplicates, invalid 0"), "{out}");
        let five = b.show(5);
        assert_eq!(five["contact"]["name"], "Person 5", "{five}");
        assert_eq!(five["contact"]["title"], "Buyer");
        assert_eq!(strs(&five["contact"]["phones"]), ["+1 555 0000005", "+1 777 0000005"]);
        assert_eq!(strs(&five["contact"]["tags"]), ["vip"]);
        assert_eq!(b.show(810)["contact"]["title"], "CTO");
        assert_eq!(b.show(399)["contact"]["title"], "VP");
        assert_eq!(b.show(1000)["contact"]["name"], "Person 1000");
        assert_eq!(count(b, "SELECT max(id) FROM contacts"), 1000);
        // Each key once, the merged ones included.
        assert_eq!(count(b, "SELECT count(*) FROM contact_keys"), 2000 + 2);
        assert!(b.ok(&["search", "fair"]).contains("Person 5"));
        assert!(b.ok(&["search", "person 999"]).contains("Person 999"));
        b.ok(&["db", "check"]);
        // Again: every row is a duplicate in the book now, and nothing changes.
        let before = b.dump();
        let out = b.ok(&["import", &file]);
        assert!(out.contains("imported 0, merged 1003, skipped 0 duplicates, invalid 0"), "{out}");
        assert_eq!(b.dump().lines().filter(|l| l.starts_with("contacts")).count(), 1000);
        assert_eq!(
            before.lines().filter(|l| !l.starts_with("undo_log")).collect::<Vec<_>>(),
            b.dump().lines().filter(|l| !l.starts_with("undo_log")).collect::<Vec<_>>()
        );
    }

    /// One company, however it is spelled, named by rows written in different batches: added
    /// once (as the first row spells it), every row's contact at it.
    fn a_company_named_in_several_batches_is_added_once(b: &Book) {
        let file = people(b, "shared.csv", 900, |i| match i {
            1 => vec!["Ana,ana@shared.example,,Shäred Co,,,".into()],
            450 => vec!["Bo,bo@shared.example,,SHARED CO,,,".into()],
            899 => vec!["Cy,cy@shared.example,,  shared co ,,,".into()],
            _ => vec![],
        });
        b.ok(&["import", &file]);
        let at = "FROM contacts c JOIN companies co ON co.id = c.company_id
                  WHERE c.name IN ('Ana', 'Bo', 'Cy')";
        assert_eq!(count(b, &format!("SELECT count(*) {at}")), 3);
        assert_eq!(count(b, &format!("SELECT count(DISTINCT co.id) {at}")), 1);
        for n in ["Ana", "Bo", "Cy"] {
            assert_eq!(b.contact_named(n)["company"], "Shäred Co");
        }
        assert_eq!(count(b, "SELECT count(*) FROM companies"), 8);
        assert_eq!(count(b, "SELECT count(*) FROM contacts WHERE company_id IS NULL"), 0);
        b.ok(&["db", "check"]);
    }

    /// Text the copy's escaping could mangle (tabs, backslashes, `\N`, `\.`, line breaks,
    /// quotes, wide characters) comes back as it went in, past the first batch too.
    fn odd_text_is_kept_as_written(b: &Book) {
        let odd = [
            ("Odd One", "back\\slash \\N \\. \\\\\tx", "Co\\Tab\there", "t\\1\tx"),
            ("Zoë 小龍 O'Brien", "line one\nline two\r\nthree\tt", "\"Quoted\" Co", "\\."),
        ];
        let file = people(b, "odd.csv", 450, |i| {
            if i != 420 {
                return vec![];
            }
            let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
            odd.iter()
                .map(|(name, text, co, tag)| {
                    format!("{},,,{},{},{},{}", q(name), q(co), q(text), q(tag), q(text))
                })
                .collect()
        });
        b.ok(&["import", &file]);
        for (name, text, co, tag) in odd {
            let c = b.contact_named(name);
            assert_eq!(c["company"], co, "{c}");
            assert_eq!(c["title"], text, "{c}");
            assert_eq!(strs(&c["tags"]), [tag], "{c}");
            let page = b.show(c["id"].as_i64().unwrap());
            let bodies: Vec<&str> = page["notes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["body"].as_str().unwrap())
                .collect();
            // A note's line breaks are made \n on import, on both engines.
            assert_eq!(bodies, [text.replace("\r\n", "\n")], "{page}");
        }
        assert!(b.ok(&["search", "小龍"]).contains("O'Brien"));
        assert!(b.ok(&["search", "quoted"]).contains("O'Brien"));
        b.ok(&["db", "check"]);
    }

    /// A row that cannot be imported in the third batch: nothing of the file is kept, what the
    /// book held before is as it was, and undo still undoes the change before.
    fn a_broken_row_in_the_third_batch_leaves_the_book_as_it_was(b: &Book) {
        b.contact(&["--name", "Before Import", "--company", "Co 1"]);
        let before = b.dump();
        let file = people(b, "broken.csv", 1000, |i| match i {
            950 => vec![",not-an-email,,,,,".into()],
            _ => vec![],
        });
        let (code, out, err) = b.import(std::path::Path::new(&file), &[]);
        assert_eq!(code, 2, "{out}{err}");
        assert!(err.contains("error: line 952: "), "{err}");
        assert!(out.contains("imported 0, merged 0, skipped 0 duplicates, invalid 1"), "{out}");
        assert_eq!(b.dump(), before);
        assert_eq!(count(b, "SELECT count(*) FROM contact_keys"), 0);
        assert!(b.ok(&["search", "person"]).starts_with("nothing found"));
        b.ok(&["db", "check"]);
        b.ok(&["undo"]);
        assert!(b.contacts().is_empty());
    }
}

/// A JSON book of `n` contacts, each with a follow-up, ids from 1 (`scripts/gen-contacts.py
/// --json`'s shape), and the contacts of `more` after them.
pub(crate) fn json_book(n: usize, more: &[serde_json::Value]) -> String {
    let t = "2026-11-23T09:00:00+00:00";
    let mut contacts: Vec<serde_json::Value> = (1..=n)
        .map(|i| {
            serde_json::json!({"id": i, "name": format!("Person {i}"),
                "emails": [format!("p{i}@x.example")], "phones": [format!("+1 555 {i:07}")],
                "tags": ["clients"], "status": "lead", "archived": false, "title": "a\tb\\c",
                "created_at": t, "updated_at": t, "version": 1})
        })
        .collect();
    contacts.extend(more.iter().cloned());
    let follow_ups: Vec<serde_json::Value> = (1..=n)
        .map(|i| {
            serde_json::json!({"id": i, "contact_id": i, "kind": "call",
                "text": format!("call about order {i}"), "due_at": "2026-11-25", "all_day": true,
                "status": "upcoming", "created_at": t, "updated_at": t, "version": 1})
        })
        .collect();
    serde_json::json!({"format": "salesdesk-book", "version": 1, "contacts": contacts,
        "follow_ups": follow_ups})
    .to_string()
}

conformance! {
    /// A JSON book the server refuses part-way (a contact's id twice): the refusal names the
    /// row, as SQLite's does, and nothing is kept.
    fn a_json_book_with_an_id_twice_names_the_row_and_keeps_nothing(b: &Book) {
        let t = "2026-11-23T09:00:00+00:00";
        let again = serde_json::json!({"id": 3, "name": "Again", "emails": [], "phones": [],
            "tags": [], "status": "lead", "archived": false, "created_at": t, "updated_at": t,
            "version": 1});
        let p = b.file("twice.json");
        std::fs::write(&p, json_book(6, &[again])).unwrap();
        let (code, out, err) = b.import(&p, &[]);
        assert_eq!(code, 2, "{out}{err}");
        assert!(err.contains("error: contact #3: "), "{err}");
        assert!(b.contacts().is_empty());
        assert_eq!(count(b, "SELECT count(*) FROM follow_ups"), 0);
        b.ok(&["db", "check"]);
    }
}

conformance! {
    /// An export reads its rows as they come (on a server through a cursor, 2,000 rows at a
    /// time): every row of a book larger than one such batch is written once, in id order,
    /// with what each needs read meanwhile (a deal's history, a contact's next follow-up).
    fn an_export_larger_than_a_cursor_batch_writes_every_row_once(b: &Book) {
        let n = 4500;
        let mut csv = String::from("name,email,notes\n");
        for i in 1..=n {
            csv.push_str(&format!("Person {i},p{i}@x.example,note number {i}\n"));
        }
        let file = b.file("many.csv");
        std::fs::write(&file, csv).unwrap();
        b.ok(&["import", file.to_str().unwrap()]);
        b.ok(&["deal", "add", "--title", "Rollout", "--contact", "Person 4500"]);
        b.ok(&["deal", "move", "1", "Qualified"]);
        b.ok(&["follow-up", "Person 4499", "fri", "call back"]);

        let notes = b.ok(&["export", "--format", "csv", "--what", "notes"]);
        let bodies: Vec<&str> = notes.lines().skip(1).collect();
        assert_eq!(bodies.len(), n, "{}", &notes[..200]);
        assert!(bodies[0].contains("note number 1,") || bodies[0].contains("note number 1\""), "{}", bodies[0]);
        assert!(bodies[n - 1].contains("note number 4500"), "{}", bodies[n - 1]);

        let book: serde_json::Value =
            serde_json::from_str(&b.ok(&["export", "--format", "json"])).unwrap();
        let contacts = book["contacts"].as_array().unwrap();
        assert_eq!(contacts.len(), n);
        let ids: Vec<i64> = contacts.iter().map(|c| c["id"].as_i64().unwrap()).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "contacts out of id order");
        assert_eq!(book["notes"].as_array().unwrap().len(), n);
        let next = contacts.iter().filter(|c| !c["next_follow_up_at"].is_null()).count();
        assert_eq!(next, 1, "the one contact with a follow-up");
        let history = &book["deals"][0]["history"];
        assert_eq!(history.as_array().map(Vec::len), Some(2), "{history}");
    }
}
