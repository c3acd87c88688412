//! The real binary on temporary books, with a fixed clock: every daily command, the JSON
//! fields docs/MANUAL.md names, and the exit codes.

use crate::support::{self, Book};
use serde_json::Value;

fn ids(v: &Value) -> Vec<i64> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x["id"].as_i64().expect("id"))
        .collect()
}

#[test]
fn contact_add_show_edit_and_json_fields() {
    let b = Book::new();
    let id = b.contact(&[
        "--name",
        "José Álvarez",
        "--company",
        "Acme",
        "--title",
        "CTO",
        "--email",
        "jose@acme.com",
        "--email",
        "j@home.org",
        "--phone",
        "+1 (555) 123-4567",
        "--tag",
        "vip",
        "--source",
        "referral",
        "--status",
        "prospect",
        "--temperature",
        "hot",
        "--cadence",
        "2w",
    ]);
    assert_eq!(id, 1);
    let v = b.json(&["contact", "show", "1"]);
    let c = &v["contact"];
    for field in [
        "id",
        "name",
        "company",
        "title",
        "emails",
        "phones",
        "tags",
        "source",
        "status",
        "temperature",
        "cadence_days",
        "archived",
        "last_contacted_at",
        "next_follow_up_at",
        "created_at",
        "updated_at",
        "version",
    ] {
        assert!(c.get(field).is_some(), "contact JSON lacks {field}: {c}");
    }
    assert_eq!(c["company"], "Acme");
    assert_eq!(
        c["emails"],
        serde_json::json!(["jose@acme.com", "j@home.org"])
    );
    assert_eq!(c["cadence_days"], 14);
    assert_eq!(c["status"], "prospect");
    assert_eq!(c["created_at"], "2026-11-23T09:00:00+00:00");
    for k in ["deals", "follow_ups", "notes"] {
        assert!(v[k].is_array(), "show lacks {k}");
    }

    b.ok(&[
        "contact",
        "edit",
        "jose",
        "--title",
        "CEO",
        "--add-tag",
        "board",
        "--remove-tag",
        "vip",
    ]);
    let c = &b.json(&["contact", "show", "1"])["contact"];
    assert_eq!(c["title"], "CEO");
    assert_eq!(c["tags"], serde_json::json!(["board"]));
    assert_eq!(
        c["emails"].as_array().map(Vec::len),
        Some(2),
        "edit changes only what is given"
    );
    assert_eq!(c["version"], 2);
    // a repeatable flag replaces the whole list
    b.ok(&["contact", "edit", "1", "--email", "new@acme.com"]);
    assert_eq!(
        b.json(&["contact", "show", "1"])["contact"]["emails"],
        serde_json::json!(["new@acme.com"])
    );
}

#[test]
fn references_by_id_email_and_name() {
    let b = Book::new();
    b.contact(&["--name", "Ana Pereira", "--email", "ana@globex.io"]);
    b.contact(&["--name", "Ana Souza"]);
    b.contact(&["--name", "Zoë Çelik"]);
    let name = |r: &str| {
        b.json(&["contact", "show", r])["contact"]["name"]
            .as_str()
            .map(str::to_string)
    };
    assert_eq!(name("#1").as_deref(), Some("Ana Pereira"));
    assert_eq!(name("2").as_deref(), Some("Ana Souza"));
    assert_eq!(name("ANA@globex.io").as_deref(), Some("Ana Pereira"));
    assert_eq!(name("zoe celik").as_deref(), Some("Zoë Çelik"));
    assert_eq!(name("ana per").as_deref(), Some("Ana Pereira"));
    let err = b.fails(&["contact", "show", "ana"], 2);
    assert!(
        err.contains("#1 Ana Pereira") && err.contains("#2 Ana Souza"),
        "{err}"
    );
    let err = b.fails(&["contact", "show", "nobody"], 2);
    assert!(err.starts_with("error: "), "{err}");
    b.fails(&["contact", "show", "#99"], 2);
}

#[test]
fn an_exact_whole_name_beats_partial_matches() {
    let b = Book::new();
    b.contact(&["--name", "Ana"]);
    b.contact(&["--name", "Ana Souza"]);
    assert_eq!(b.json(&["contact", "show", "ana"])["contact"]["id"], 1);
}

#[test]
fn contact_list_filters_and_archive() {
    let b = Book::new();
    b.contact(&[
        "--name",
        "Ana Pereira",
        "--tag",
        "vip",
        "--status",
        "customer",
    ]);
    b.contact(&["--name", "Bob Stone", "--company", "Acme"]);
    b.contact(&["--name", "Cleo Park"]);
    assert_eq!(ids(&b.json(&["contact", "list"])), vec![1, 2, 3]);
    assert_eq!(ids(&b.json(&["contact", "list", "--tag", "VIP"])), vec![1]);
    assert_eq!(
        ids(&b.json(&["contact", "list", "--status", "customer"])),
        vec![1]
    );
    assert_eq!(
        ids(&b.json(&["contact", "list", "--search", "acm"])),
        vec![2]
    );
    b.ok(&["contact", "archive", "cleo"]);
    assert_eq!(ids(&b.json(&["contact", "list"])), vec![1, 2]);
    assert_eq!(ids(&b.json(&["contact", "list", "--archived"])), vec![3]);
    b.ok(&["contact", "unarchive", "cleo"]);
    assert_eq!(ids(&b.json(&["contact", "list"])), vec![1, 2, 3]);
    assert!(b.ok(&["contact", "list"]).contains("Bob Stone"));
}

#[test]
fn merge_moves_everything_and_fills_gaps() {
    let b = Book::new();
    b.contact(&[
        "--name",
        "Ana P",
        "--email",
        "ana@old.com",
        "--phone",
        "555 1000",
        "--title",
        "CFO",
    ]);
    b.contact(&[
        "--name",
        "Ana Pereira",
        "--email",
        "ana@new.com",
        "--company",
        "Globex",
    ]);
    b.ok(&["deal", "add", "--title", "Renewal", "--contact", "1"]);
    b.ok(&["follow-up", "1", "fri", "call back"]);
    b.ok(&["note", "1", "met at the fair", "--kind", "meeting"]);
    b.ok(&["contact", "merge", "1", "2"]);
    b.fails(&["contact", "show", "1"], 2);
    let v = b.json(&["contact", "show", "2"]);
    assert_eq!(
        v["contact"]["emails"],
        serde_json::json!(["ana@new.com", "ana@old.com"])
    );
    assert_eq!(v["contact"]["title"], "CFO");
    assert_eq!(v["contact"]["company"], "Globex");
    assert_eq!(v["deals"].as_array().map(Vec::len), Some(1));
    assert_eq!(v["follow_ups"].as_array().map(Vec::len), Some(1));
    assert_eq!(v["notes"].as_array().map(Vec::len), Some(1));
    assert!(
        v["contact"]["last_contacted_at"].is_string(),
        "the meeting counts as a touch"
    );
    b.assert_derived_consistent();
    // and undo brings the first contact back whole
    b.ok(&["undo"]);
    b.assert_derived_consistent();
    assert_eq!(
        b.json(&["contact", "show", "1"])["notes"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}

#[test]
fn deals_move_win_lose_reopen_with_history() {
    let b = Book::new();
    b.contact(&["--name", "Ana Pereira"]);
    assert_eq!(
        b.ok(&[
            "deal",
            "add",
            "--title",
            "Acme rollout",
            "--contact",
            "ana",
            "--value",
            "12,000.50",
            "--close",
            "dec 15"
        ])
        .trim(),
        "1"
    );
    let d = &b.json(&["deal", "list"])[0];
    for field in [
        "id",
        "title",
        "contact_id",
        "contact_name",
        "company",
        "value_cents",
        "currency",
        "stage",
        "status",
        "lost_reason",
        "expected_close",
        "created_at",
        "closed_at",
        "stage_entered_at",
        "history",
        "version",
    ] {
        assert!(d.get(field).is_some(), "deal JSON lacks {field}");
    }
    assert_eq!(d["value_cents"], 1_200_050);
    assert_eq!(d["currency"], "USD");
    assert_eq!(d["stage"], "Lead");
    assert_eq!(d["expected_close"], "2026-12-15");
    b.ok(&["deal", "move", "1", "prop"]);
    b.ok(&["deal", "won", "1"]);
    let d = &b.json(&["deal", "list"])[0];
    assert_eq!(d["status"], "won");
    assert_eq!(d["stage"], "Proposal", "a closed deal keeps its last stage");
    let events: Vec<&str> = d["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["event"].as_str().unwrap())
        .collect();
    assert_eq!(events, ["stage", "stage", "won"]);
    assert_eq!(
        b.json(&["contact", "show", "ana"])["contact"]["status"],
        "customer"
    );

    b.ok(&["deal", "reopen", "1"]);
    b.ok(&["deal", "lost", "1", "--reason", "went with a rival"]);
    let d = &b.json(&["deal", "list", "--status", "lost"])[0];
    assert_eq!(d["lost_reason"], "went with a rival");
    assert_eq!(d["history"].as_array().map(Vec::len), Some(5));

    // a second win makes a repeat customer
    b.ok(&["deal", "add", "--title", "Phase 2", "--contact", "ana"]);
    b.ok(&["deal", "add", "--title", "Phase 3", "--contact", "ana"]);
    b.ok(&["deal", "won", "2"]);
    b.ok(&["deal", "won", "3"]);
    assert_eq!(
        b.json(&["contact", "show", "ana"])["contact"]["status"],
        "repeat"
    );
    assert_eq!(
        ids(&b.json(&["deal", "list", "--status", "won"])),
        vec![2, 3]
    );

    // `deal edit` with a stage is one transaction: a won deal cannot move, so its new title
    // is not kept either; an open deal's edit and move land together, the move in history.
    b.fails(
        &["deal", "edit", "2", "--title", "Renamed", "--stage", "prop"],
        2,
    );
    let d = &b.json(&["deal", "list", "--status", "won"])[0];
    assert_eq!(
        (&d["title"], &d["stage"]),
        (&"Phase 2".into(), &"Lead".into())
    );
    b.ok(&["deal", "add", "--title", "Phase 4", "--contact", "ana"]);
    b.ok(&[
        "deal",
        "edit",
        "4",
        "--title",
        "Phase four",
        "--stage",
        "prop",
    ]);
    let d = &b.json(&["deal", "list", "--status", "open"])[0];
    assert_eq!(
        (&d["title"], &d["stage"]),
        (&"Phase four".into(), &"Proposal".into())
    );
    assert_eq!(d["history"].as_array().map(Vec::len), Some(2));
    b.ok(&["undo"]);
    let d = &b.json(&["deal", "list", "--status", "open"])[0];
    assert_eq!(
        (&d["title"], &d["stage"]),
        (&"Phase 4".into(), &"Lead".into())
    );

    let e = b.fails(&["deal", "move", "2", "won"], 2);
    assert!(e.contains("status"), "{e}");
    b.fails(&["deal", "lost", "3", "--reason", " "], 2);
    b.fails(
        &[
            "deal",
            "add",
            "--title",
            "X",
            "--contact",
            "ana",
            "--value",
            "lots",
        ],
        2,
    );
}

#[test]
fn other_currency_and_stage_config() {
    let b = Book::new();
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

#[test]
fn follow_ups_today_and_ordering() {
    let b = Book::new();
    b.contact(&["--name", "Ana Pereira", "--company", "Acme"]);
    b.contact(&["--name", "Bob Stone"]);
    assert_eq!(
        b.ok(&[
            "follow-up",
            "ana",
            "next",
            "week",
            "call",
            "about",
            "pricing"
        ])
        .trim(),
        "1"
    );
    b.ok(&["follow-up", "bob", "today", "8am", "early", "call"]); // 2: timed, passed: late
    b.ok(&[
        "follow-up",
        "bob",
        "today",
        "send",
        "deck",
        "--kind",
        "email",
    ]); // 3: all-day today
    b.ok(&["follow-up", "ana", "2026-11-20", "overdue", "thing"]); // 4
    b.ok(&[
        "follow-up",
        "ana",
        "tomorrow",
        "3pm",
        "demo",
        "--kind",
        "meeting",
    ]); // 5
    let t = b.json(&["today"]);
    assert_eq!(ids(&t["overdue"]), vec![4]);
    assert_eq!(ids(&t["today"]), vec![3, 2], "all-day before timed");
    assert_eq!(ids(&t["upcoming"]), Vec::<i64>::new(), "default N=0");
    assert!(t["reconnect"].is_array());
    let f = &t["today"][1];
    for field in [
        "id",
        "contact_id",
        "contact_name",
        "company",
        "deal_id",
        "kind",
        "text",
        "due_at",
        "all_day",
        "late",
        "every",
        "done_at",
        "status",
    ] {
        assert!(f.get(field).is_some(), "follow-up JSON lacks {field}");
    }
    assert_eq!(f["late"], true);
    assert_eq!(f["all_day"], false);
    assert_eq!(f["due_at"], "2026-11-23T08:00:00+00:00");
    assert_eq!(t["today"][0]["due_at"], "2026-11-23");
    assert_eq!(t["overdue"][0]["status"], "overdue");
    assert_eq!(t["overdue"][0]["text"], "overdue thing");

    let t = b.json(&["today", "--days", "7"]);
    assert_eq!(ids(&t["upcoming"]), vec![5, 1]);
    assert_eq!(t["upcoming"][1]["text"], "call about pricing");
    assert_eq!(t["upcoming"][1]["due_at"], "2026-11-30");
    assert_eq!(
        b.ok(&["today", "--brief"]).trim(),
        "1 overdue · 2 today · 0 reconnect"
    );
    let text = b.ok(&["today"]);
    assert!(text.contains("Overdue") && text.contains("late"), "{text}");
}

#[test]
fn done_repeats_and_snooze_keeps_the_time() {
    let b = Book::new();
    b.contact(&["--name", "Ana"]);
    b.ok(&["follow-up", "ana", "today", "check", "in", "--every", "2w"]); // 1
    b.ok(&["follow-up", "ana", "today", "4pm", "call"]); // 2
    let out = b.ok(&["done", "1"]);
    assert!(out.contains("#3"), "prints the new row's id: {out}");
    let list = b.json(&["follow-up", "list", "--contact", "ana"]);
    let third = list
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == 3)
        .expect("the repeat");
    assert_eq!(third["due_at"], "2026-12-07");
    assert_eq!(third["every"], "2w");
    assert_eq!(
        b.json(&["follow-up", "list", "--status", "done"])[0]["status"],
        "done"
    );
    b.fails(&["done", "1"], 2);

    b.ok(&["snooze", "2", "fri"]);
    let f = &b.json(&["follow-up", "list", "--status", "open"]);
    let two = f.as_array().unwrap().iter().find(|f| f["id"] == 2).unwrap();
    assert_eq!(
        two["due_at"], "2026-11-27T16:00:00+00:00",
        "keeps its time of day"
    );

    b.ok(&[
        "follow-up",
        "edit",
        "2",
        "--when",
        "dec 1",
        "--text",
        "call again",
        "--kind",
        "email",
        "--every",
        "1m",
    ]);
    let f = &b.json(&["follow-up", "list", "--status", "open"]);
    let two = f.as_array().unwrap().iter().find(|f| f["id"] == 2).unwrap();
    assert_eq!(
        (
            two["due_at"].as_str(),
            two["text"].as_str(),
            two["kind"].as_str()
        ),
        (Some("2026-12-01"), Some("call again"), Some("email"))
    );
    assert_eq!(two["every"], "1m");
    b.ok(&["follow-up", "edit", "2", "--no-repeat"]);
    b.ok(&["follow-up", "cancel", "2"]);
    let c = b.json(&["follow-up", "list", "--status", "cancelled"]);
    assert_eq!(ids(&c), vec![2]);
    assert_eq!(c[0]["every"], Value::Null);
    assert_eq!(c[0]["status"], "cancelled");
    b.fails(&["follow-up", "cancel", "2"], 2);
    b.assert_derived_consistent();
    for _ in 0..6 {
        b.ok(&["undo"]);
        b.assert_derived_consistent();
    }
}

#[test]
fn notes_from_args_stdin_and_their_commands() {
    let b = Book::new();
    b.contact(&["--name", "Ana Pereira"]);
    b.ok(&["deal", "add", "--title", "Acme rollout", "--contact", "ana"]);
    b.ok(&["follow-up", "ana", "today", "call"]);
    let out = b.ok(&[
        "note",
        "ana",
        "Good call, wants pricing @fri #proposal $15k",
        "--kind",
        "call",
        "--outcome",
        "connected",
        "--done",
        "1",
    ]);
    assert!(
        out.contains("follow-up #1 done") && out.contains("Proposal"),
        "{out}"
    );
    let v = b.json(&["contact", "show", "ana"]);
    assert_eq!(v["deals"][0]["stage"], "Proposal");
    assert_eq!(v["deals"][0]["value_cents"], 1_500_000);
    assert_eq!(v["follow_ups"][0]["due_at"], "2026-11-27");
    assert_eq!(
        v["notes"][0]["body"], "Good call, wants pricing @fri #proposal $15k",
        "commands stay in the text"
    );
    assert_eq!(v["notes"][0]["outcome"], "connected");
    assert_eq!(v["notes"][0]["deal_id"], 1);
    for field in [
        "id",
        "contact_id",
        "deal_id",
        "kind",
        "outcome",
        "body",
        "created_at",
    ] {
        assert!(
            v["notes"][0].get(field).is_some(),
            "note JSON lacks {field}"
        );
    }

    // from stdin, with `-` and without text
    b.cmd()
        .args(["note", "ana", "-"])
        .write_stdin("line one\nline two\n")
        .assert()
        .success();
    b.cmd()
        .args(["note", "ana"])
        .write_stdin("from a pipe")
        .assert()
        .success();
    let v = b.json(&["contact", "show", "ana"]);
    assert_eq!(v["notes"][0]["body"], "from a pipe");
    assert_eq!(v["notes"][1]["body"], "line one\nline two");

    // plain text that looks like commands
    b.ok(&["note", "ana", "see ticket #4471 and ask @dave"]);
    b.ok(&["note", "ana", "#won", "--raw"]);
    assert_eq!(b.json(&["deal", "list"])[0]["status"], "open");
    b.ok(&["note", "ana", "signed today #won"]);
    assert_eq!(b.json(&["deal", "list"])[0]["status"], "won");
    // --next with its text
    b.ok(&[
        "note",
        "ana",
        "kickoff done",
        "--next",
        "dec 3 10am",
        "--next-text",
        "check onboarding",
    ]);
    let f = b.json(&["follow-up", "list", "--status", "open"]);
    assert!(
        f.as_array()
            .unwrap()
            .iter()
            .any(|f| f["text"] == "check onboarding" && f["due_at"] == "2026-12-03T10:00:00+00:00")
    );
}

#[test]
fn a_command_that_cannot_apply_saves_nothing() {
    let b = Book::new();
    b.contact(&["--name", "Ana"]);
    let before = b.dump();
    let e = b.fails(&["note", "ana", "moving on #proposal"], 2);
    assert!(e.contains("no open deal") && e.contains("--raw"), "{e}");
    b.ok(&["deal", "add", "--title", "One", "--contact", "ana"]);
    b.ok(&["deal", "add", "--title", "Two", "--contact", "ana"]);
    let before2 = b.dump();
    let e = b.fails(&["note", "ana", "moving on #proposal"], 2);
    assert!(e.contains("2 open deals"), "{e}");
    assert_eq!(b.dump(), before2);
    assert_ne!(before, before2);
    // naming the deal makes it work
    b.ok(&["note", "ana", "moving on #proposal", "--deal", "2"]);
    assert_eq!(b.json(&["deal", "list", "--stage", "proposal"])[0]["id"], 2);
}

#[test]
fn cadence_resets_with_calls_not_plain_notes() {
    let mut b = Book::new();
    b.now = "2026-10-01T09:00:00+00:00".into();
    b.contact(&["--name", "Ana", "--cadence", "30d"]);
    b.contact(&["--name", "Bob", "--cadence", "30d"]);
    b.now = support::NOW.into();
    let r = b.json(&["today"]);
    let names: Vec<&str> = r["reconnect"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Ana", "Bob"]);
    for field in [
        "contact_id",
        "name",
        "company",
        "cadence_days",
        "days_since",
    ] {
        assert!(
            r["reconnect"][0].get(field).is_some(),
            "reconnect lacks {field}"
        );
    }
    assert_eq!(r["reconnect"][0]["days_since"], 53);
    b.ok(&["note", "ana", "just a thought"]);
    b.ok(&["note", "bob", "caught up", "--kind", "call"]);
    let names: Vec<String> = b.json(&["today"])["reconnect"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["Ana"]);
    // an open follow-up takes a contact off the list
    b.ok(&["follow-up", "ana", "+2w", "catch up"]);
    assert_eq!(
        b.ok(&["today", "--brief"]).trim(),
        "0 overdue · 0 today · 0 reconnect"
    );
}

#[test]
fn undo_reverts_in_order_across_processes_and_refuses_stale_rows() {
    let b = Book::new();
    assert_eq!(b.ok(&["undo"]).trim(), "nothing to undo");
    b.contact(&["--name", "Ana"]);
    b.ok(&["follow-up", "ana", "today", "3pm", "call"]);
    b.ok(&[
        "note",
        "ana",
        "talked @fri",
        "--kind",
        "call",
        "--done",
        "1",
    ]);
    b.assert_derived_consistent();
    assert!(b.ok(&["undo"]).contains("logging a call with Ana"));
    b.assert_derived_consistent();
    let f = b.json(&["follow-up", "list"]);
    assert_eq!(ids(&f), vec![1]);
    assert_eq!(
        f[0]["status"], "today",
        "the completed follow-up is open again"
    );
    assert!(b.ok(&["undo"]).contains("follow-up"));
    assert!(b.ok(&["undo"]).contains("adding contact Ana"));
    assert_eq!(b.ok(&["undo"]).trim(), "nothing to undo");
    assert_eq!(b.json(&["contact", "list"]), serde_json::json!([]));

    // a row changed after the newest change was made, behind undo's back, is refused
    b.contact(&["--name", "Bob"]);
    b.ok(&["contact", "edit", "bob", "--title", "CTO"]);
    let conn = rusqlite::Connection::open(b.path()).unwrap();
    conn.execute(
        "UPDATE contacts SET version = version + 1, title = 'CEO'",
        [],
    )
    .unwrap();
    drop(conn);
    let before = b.dump();
    let e = b.fails(&["undo"], 2);
    assert!(e.contains("changed since"), "{e}");
    assert_eq!(b.dump(), before);
}

#[test]
fn bad_input_is_exit_2_and_changes_nothing() {
    let b = Book::new();
    b.contact(&["--name", "Ana"]);
    b.ok(&["follow-up", "ana", "fri", "call"]);
    let before = b.dump();
    for args in [
        vec!["follow-up", "ana", "someday", "call"],
        vec!["follow-up", "nobody", "fri", "call"],
        vec!["snooze", "1", "never"],
        vec!["snooze", "99", "fri"],
        vec!["done", "99"],
        vec!["contact", "add", "--name", " "],
        vec!["contact", "add", "--name", "X", "--email", "not-an-email"],
        vec!["contact", "add", "--name", "X", "--cadence", "often"],
        vec!["contact", "add", "--name", "X", "--status", "vip"],
        vec![
            "deal",
            "add",
            "--title",
            "X",
            "--contact",
            "ana",
            "--stage",
            "nope",
        ],
        vec![
            "deal",
            "add",
            "--title",
            "X",
            "--contact",
            "ana",
            "--close",
            "soonish",
        ],
        vec!["deal", "won", "42"],
        vec!["note", "ana", "hi", "--done", "99"],
        vec!["note", "ana", "  "],
        vec!["--bogus-flag"],
    ] {
        let e = b.fails(&args, 2);
        assert!(e.contains("error"), "{args:?}: {e}");
    }
    assert_eq!(b.dump(), before);
    let e = b.fails(&["follow-up", "ana", "someday"], 2);
    assert!(
        e.contains("tomorrow") && e.contains("next week"),
        "lists the accepted forms: {e}"
    );
}

#[test]
fn environment_failures_are_exit_1() {
    let b = Book::new();
    std::fs::create_dir_all(b.path().parent().unwrap()).unwrap();
    std::fs::write(
        b.path(),
        b"this is not a database, just some text that is long enough to be a header.....",
    )
    .unwrap();
    let e = b.fails(&["today"], 1);
    assert!(e.contains("not") && e.starts_with("error: "), "{e}");

    let b = Book::new();
    b.ok(&["today"]);
    let conn = rusqlite::Connection::open(b.path()).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let e = b.fails(&["today"], 1);
    assert!(e.contains("newer salesdesk"), "{e}");
}

#[test]
fn broken_config_and_clock_are_input_errors() {
    let b = Book::new();
    std::fs::write(
        b.dir.path().join("config.toml"),
        "currency = \"USD\"\n[follow_up]\nsnoze = \"+1d\"\n",
    )
    .unwrap();
    let e = b.fails(&["today"], 2);
    assert!(e.contains("line 3") && e.contains("snoze"), "{e}");
    std::fs::write(
        b.dir.path().join("config.toml"),
        "[pipeline]\nstages = [{ name = \"Won\", probability = 100 }]\n",
    )
    .unwrap();
    b.fails(&["today"], 2);
    std::fs::remove_file(b.dir.path().join("config.toml")).unwrap();
    let mut b2 = Book::new();
    b2.now = "last tuesday".into();
    let e = b2.fails(&["today"], 2);
    assert!(e.contains("SALESDESK_NOW"), "{e}");
}

#[cfg(unix)]
#[test]
fn the_book_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let b = Book::new();
    b.contact(&["--name", "Ana"]);
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(b.path()), 0o600);
    assert_eq!(mode(b.path().parent().unwrap()), 0o700);
}

#[test]
fn db_path_check_and_completions() {
    let b = Book::new();
    assert_eq!(b.ok(&["db", "path"]).trim(), b.path().display().to_string());
    assert!(b.ok(&["db", "check"]).starts_with("ok"));
    let out = b.ok(&["completions", "bash"]);
    assert!(out.contains("salesdesk") && out.contains("follow-up"));
    // the path comes from the environment when no flag is given
    let mut c = assert_cmd::Command::cargo_bin("salesdesk").unwrap();
    let out = c
        .env("SALESDESK_DB", "/tmp/elsewhere.db")
        .args(["db", "path"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "/tmp/elsewhere.db"
    );
}
