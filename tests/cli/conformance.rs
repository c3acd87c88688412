//! Issue 21's conformance suite: the same tests through the real binary on a SQLite book and
//! on a PostgreSQL one (`conformance!` makes `name::sqlite` and `name::postgres` of each). The
//! bodies are the CLI tests that were SQLite's alone, moved here (each names the file it came
//! from), so SQLite, already correct, is the reference; the rest compare the two engines'
//! answers directly.

use crate::desk::FOLDED_NAMES;
use crate::import::SUMMARY_2;
use crate::support::{self, Book, conformance, fixture, strs};
use serde_json::Value;

fn ids(v: &Value) -> Vec<i64> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x["id"].as_i64().expect("id"))
        .collect()
}

/// tests/cli/report.rs `book`: a small book made on the command line, each step at its own
/// "now".
pub(crate) fn report_book(b: &mut Book) {
    b.now = "2026-10-01T10:00:00+00:00".into();
    b.contact(&["--name", "Ana Lima", "--source", "referral"]);
    b.contact(&["--name", "Bo Chen", "--source", "linkedin"]);
    b.ok(&[
        "deal",
        "add",
        "--title",
        "Rollout",
        "--contact",
        "ana",
        "--value",
        "12,500",
    ]);
    b.ok(&[
        "deal",
        "add",
        "--title",
        "Pilot",
        "--contact",
        "bo",
        "--value",
        "1234567.89",
        "--stage",
        "prop",
        "--close",
        "2026-12-15",
    ]);
    b.ok(&[
        "deal",
        "add",
        "--title",
        "Euro",
        "--contact",
        "bo",
        "--value",
        "900",
        "--currency",
        "EUR",
    ]);
    b.now = "2026-10-11T10:00:00+00:00".into();
    b.ok(&["deal", "won", "1"]);
    b.ok(&[
        "note",
        "ana",
        "--kind",
        "call",
        "--outcome",
        "connected",
        "good talk",
    ]);
    b.now = support::NOW.into();
}

/// tests/cli/export.rs `sample`.
pub(crate) fn export_sample(b: &Book) {
    b.ok(&[
        "contact",
        "add",
        "--name",
        "=cmd|' /C calc'!A0",
        "--phone",
        "+1 555 0100",
        "--company",
        "@Evil",
        "--email",
        "evil@x.example",
    ]);
    b.ok(&[
        "contact",
        "add",
        "--name",
        "Ana Pereira",
        "--company",
        "Acme, Inc.",
        "--email",
        "ana@acme.example",
        "--email",
        "ana@home.example",
        "--tag",
        "vip",
        "--title",
        "VP",
    ]);
    b.ok(&[
        "deal",
        "add",
        "--title=-Rollout",
        "--contact",
        "ana",
        "--value",
        "12000.50",
    ]);
    b.ok(&[
        "note",
        "ana",
        "Line one\nline two, with a comma",
        "--kind",
        "call",
        "--outcome",
        "connected",
    ]);
    b.ok(&["follow-up", "ana", "tomorrow", "send pricing"]);
    b.ok(&["follow-up", "ana", "fri", "3pm", "call back"]);
    b.ok(&["follow-up", "ana", "mon", "done soon"]);
    b.ok(&["done", "3"]);
}

conformance! {
    /// tests/cli/commands.rs `contact_add_show_edit_and_json_fields`.
    fn contact_add_show_edit_and_json_fields(b: &Book) {
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

    /// tests/cli/commands.rs `references_by_id_email_and_name`.
    fn references_by_id_email_and_name(b: &Book) {
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

    /// tests/cli/commands.rs `an_exact_whole_name_beats_partial_matches`.
    fn an_exact_whole_name_beats_partial_matches(b: &Book) {
    b.contact(&["--name", "Ana"]);
    b.contact(&["--name", "Ana Souza"]);
    assert_eq!(b.json(&["contact", "show", "ana"])["contact"]["id"], 1);
}

    /// tests/cli/commands.rs `contact_list_filters_and_archive`.
    fn contact_list_filters_and_archive(b: &Book) {
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

    /// tests/cli/commands.rs `merge_moves_everything_and_fills_gaps`.
    fn merge_moves_everything_and_fills_gaps(b: &Book) {
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

    /// tests/cli/commands.rs `deals_move_win_lose_reopen_with_history`.
    fn deals_move_win_lose_reopen_with_history(b: &Book) {
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

    /// tests/cli/commands.rs `follow_ups_today_and_ordering`.
    fn follow_ups_today_and_ordering(b: &Book) {
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

    /// tests/cli/commands.rs `done_repeats_and_snooze_keeps_the_time`.
    fn done_repeats_and_snooze_keeps_the_time(b: &Book) {
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

    /// tests/cli/commands.rs `notes_from_args_stdin_and_their_commands`.
    fn notes_from_args_stdin_and_their_commands(b: &Book) {
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

    /// tests/cli/commands.rs `a_command_that_cannot_apply_saves_nothing`.
    fn a_command_that_cannot_apply_saves_nothing(b: &Book) {
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

    /// tests/cli/commands.rs `cadence_resets_with_calls_not_plain_notes`.
    fn cadence_resets_with_calls_not_plain_notes(b: &mut Book) {
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

    /// tests/cli/commands.rs `undo_reverts_in_order_across_processes_and_refuses_stale_rows`.
    fn undo_reverts_in_order_across_processes_and_refuses_stale_rows(b: &Book) {
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
    b.sql("UPDATE contacts SET version = version + 1, title = 'CEO'");
    let before = b.dump();
    let e = b.fails(&["undo"], 2);
    assert!(e.contains("changed since"), "{e}");
    assert_eq!(b.dump(), before);
}

    /// tests/cli/commands.rs `bad_input_is_exit_2_and_changes_nothing`.
    fn bad_input_is_exit_2_and_changes_nothing(b: &Book) {
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

    /// tests/cli/desk.rs `follow_up_list_text_shows_open_ones_with_their_status_json_shows_all`.
    fn follow_up_list_text_shows_open_ones_with_their_status_json_shows_all(b: &Book) {
    b.contact(&["--name", "Ana Pereira"]);
    let open = b.ok(&["follow-up", "ana", "tomorrow", "call back"]);
    let done = b.ok(&["follow-up", "ana", "today", "old call"]);
    let cancelled = b.ok(&["follow-up", "ana", "fri", "dropped"]);
    let (open, done, cancelled) = (open.trim(), done.trim(), cancelled.trim());
    b.ok(&["done", done]);
    b.ok(&["follow-up", "cancel", cancelled]);

    let text = b.ok(&["follow-up", "list"]);
    assert!(text.contains(&format!("#{open}")), "{text}");
    assert!(
        text.contains("upcoming"),
        "each line says its status: {text}"
    );
    assert!(
        !text.contains(&format!("#{done} ")),
        "done is not open: {text}"
    );
    assert!(!text.contains(&format!("#{cancelled} ")), "{text}");

    for (status, want, not) in [
        ("open", open, done),
        ("done", done, open),
        ("cancelled", cancelled, done),
    ] {
        let t = b.ok(&["follow-up", "list", "--status", status]);
        assert!(t.contains(&format!("#{want} ")), "--status {status}: {t}");
        assert!(t.contains(if status == "open" { "upcoming" } else { status }));
        assert!(!t.contains(&format!("#{not} ")), "--status {status}: {t}");
    }
    let all = b.ok(&["follow-up", "list", "--status", "all"]);
    for id in [open, done, cancelled] {
        assert!(all.contains(&format!("#{id} ")), "{all}");
    }
    for s in ["upcoming", "done", "cancelled"] {
        assert!(all.contains(s), "{all}");
    }
    let json = b.json(&["follow-up", "list"]);
    assert_eq!(
        json.as_array().map(Vec::len),
        Some(3),
        "--json lists all: {json}"
    );
    let json = b.json(&["follow-up", "list", "--status", "done"]);
    assert_eq!(json.as_array().map(Vec::len), Some(1));
    b.fails(&["follow-up", "list", "--status", "late"], 2);
    b.ok(&["done", open]);
    let none = b.ok(&["follow-up", "list"]);
    assert!(
        none.contains("No open follow-ups") && none.contains("--status all"),
        "{none}"
    );
}

    /// tests/cli/desk.rs `folded_letters_are_found_by_reference_search_and_contact_list`.
    fn folded_letters_are_found_by_reference_search_and_contact_list(b: &Book) {
    let mut ids = Vec::new();
    for (name, _) in FOLDED_NAMES {
        ids.push(b.contact(&["--name", name, "--company", &format!("{name} AS")]));
    }
    for ((name, queries), id) in FOLDED_NAMES.iter().zip(&ids) {
        for q in *queries {
            if q.contains("djuric") {
                // "dj" is how some spell đ; fold gives "d": not a match, and no false one.
                continue;
            }
            // references: a deal for the contact named as typed
            let deal = b.ok(&[
                "deal",
                "add",
                "--title",
                &format!("{q} deal"),
                "--contact",
                q,
            ]);
            let deal: i64 = deal.trim().parse().expect("deal id");
            let d = b.json(&["deal", "show", &deal.to_string()]);
            assert_eq!(d["deal"]["contact_id"], *id, "{q:?} names {name}");
            // search: the contact first
            let hits = b.json(&["search", q]);
            assert!(
                hits.as_array()
                    .is_some_and(|h| h.iter().any(|h| h["kind"] == "contact" && h["id"] == *id)),
                "search {q:?} finds {name}: {hits}"
            );
            // contact list --search
            let list = b.json(&["contact", "list", "--search", q]);
            assert!(
                list.as_array()
                    .is_some_and(|l| l.iter().any(|c| c["id"] == *id)),
                "contact list --search {q:?} finds {name}: {list}"
            );
        }
    }
    // companies, deals and notes are searched folded too
    b.ok(&[
        "note",
        "bjorn",
        "Met at the Hauptstraße office, talked Øresund logistics",
    ]);
    for (q, kind) in [
        ("hauptstrasse", "note"),
        ("oresund", "note"),
        ("bjorn olsen as", "company"),
        ("bjorn deal", "deal"),
    ] {
        let hits = b.json(&["search", q]);
        assert!(
            hits.as_array()
                .is_some_and(|h| h.iter().any(|h| h["kind"] == kind)),
            "search {q:?} finds a {kind}: {hits}"
        );
    }
    // renaming keeps the index folded
    b.ok(&["contact", "edit", "bjorn", "--name", "Bjørnar Ødegård"]);
    b.ok(&[
        "deal",
        "add",
        "--title",
        "x",
        "--contact",
        "bjornar odegard",
    ]);
    assert!(
        b.json(&["search", "odegard"])
            .as_array()
            .is_some_and(|h| !h.is_empty())
    );
    assert!(
        b.json(&["contact", "list", "--search", "bjornar"])
            .as_array()
            .is_some_and(|l| l.len() == 1)
    );
    b.assert_derived_consistent();
}

    /// tests/cli/desk.rs `closing_a_deal_cancels_its_open_follow_ups_and_one_undo_brings_them_back`.
    fn closing_a_deal_cancels_its_open_follow_ups_and_one_undo_brings_them_back(b: &Book) {
    b.contact(&["--name", "Ana Pereira"]);
    let deal = b.ok(&["deal", "add", "--title", "Rollout", "--contact", "ana"]);
    let deal = deal.trim();
    let other = b.ok(&["deal", "add", "--title", "Other", "--contact", "ana"]);
    let f1 = b.ok(&["follow-up", "ana", "tomorrow", "send terms", "--deal", deal]);
    let f2 = b.ok(&["follow-up", "ana", "fri", "call", "--deal", deal]);
    let f3 = b.ok(&[
        "follow-up",
        "ana",
        "fri",
        "other deal",
        "--deal",
        other.trim(),
    ]);
    let f4 = b.ok(&["follow-up", "ana", "fri", "no deal"]);
    let status = |id: &str| -> String {
        let all = b.json(&["follow-up", "list"]);
        let f = all
            .as_array()
            .and_then(|a| {
                a.iter()
                    .find(|f| f["id"].as_i64() == id.trim().parse::<i64>().ok())
                    .cloned()
            })
            .expect("follow-up listed");
        f["status"].as_str().unwrap_or_default().to_string()
    };

    let out = b.ok(&["deal", "lost", deal, "--reason", "budget"]);
    assert!(out.contains("deal #"), "{out}");
    assert!(out.contains("2 open follow-ups cancelled"), "{out}");
    assert_eq!(status(&f1), "cancelled");
    assert_eq!(status(&f2), "cancelled");
    assert_ne!(status(&f3), "cancelled", "another deal's follow-up stays");
    assert_ne!(status(&f4), "cancelled");
    let today = b.json(&["today", "--days", "7"]);
    assert!(!today.to_string().contains("send terms"), "{today}");

    let undo = b.ok(&["undo"]);
    assert!(undo.contains("lost"), "{undo}");
    assert_eq!(status(&f1), "upcoming");
    assert_eq!(status(&f2), "upcoming");
    let d = b.json(&["deal", "show", deal]);
    assert_eq!(d["deal"]["status"], "open");

    let out = b.ok(&["deal", "won", deal, "--keep-follow-ups"]);
    assert!(!out.contains("cancelled"), "{out}");
    assert_eq!(status(&f1), "upcoming");
    b.ok(&["undo"]);
    let out = b.ok(&["deal", "won", deal]);
    assert!(out.contains("2 open follow-ups cancelled"), "{out}");
    b.assert_derived_consistent();
}

    /// tests/cli/desk.rs `won_and_lost_in_a_note_cancel_too_and_the_reason_loses_the_command`.
    fn won_and_lost_in_a_note_cancel_too_and_the_reason_loses_the_command(b: &Book) {
    b.contact(&["--name", "Ana Pereira"]);
    let deal = b.ok(&["deal", "add", "--title", "Rollout", "--contact", "ana"]);
    let deal = deal.trim();
    b.ok(&["follow-up", "ana", "tomorrow", "send terms", "--deal", deal]);
    let out = b.ok(&[
        "note",
        "ana",
        "Went with a competitor, cheaper #lost @next week",
    ]);
    assert!(out.contains("1 open follow-up cancelled"), "{out}");
    assert!(
        out.contains("next follow-up"),
        "the note's own next step is kept: {out}"
    );
    let d = b.json(&["deal", "show", deal]);
    assert_eq!(d["deal"]["lost_reason"], "Went with a competitor, cheaper");
    let open = b.json(&["follow-up", "list", "--status", "open"]);
    assert_eq!(
        open.as_array().map(Vec::len),
        Some(1),
        "only the note's next step: {open}"
    );

    let deal2 = b.ok(&["deal", "add", "--title", "Second", "--contact", "ana"]);
    b.ok(&["follow-up", "ana", "fri", "demo", "--deal", deal2.trim()]);
    let out = b.ok(&["note", "ana", "Signed! #won"]);
    assert!(
        out.contains("won") && out.contains("1 open follow-up cancelled"),
        "{out}"
    );
}

    /// tests/cli/desk.rs `deal_show_and_deal_list_by_contact_and_company`.
    fn deal_show_and_deal_list_by_contact_and_company(b: &Book) {
    let ana = b.contact(&["--name", "Ana Pereira", "--company", "Acme Corp"]);
    b.contact(&["--name", "Bob Stone", "--company", "Acme Corp"]);
    b.contact(&["--name", "Cleo Park", "--company", "Globex"]);
    let d1 = b.ok(&[
        "deal",
        "add",
        "--title",
        "Rollout",
        "--contact",
        "ana",
        "--value",
        "12000",
    ]);
    let d1 = d1.trim();
    b.ok(&["deal", "add", "--title", "Pilot", "--contact", "bob"]);
    b.ok(&["deal", "add", "--title", "Globex deal", "--contact", "cleo"]);
    b.ok(&["deal", "move", d1, "proposal"]);
    b.ok(&["follow-up", "ana", "tomorrow", "send terms", "--deal", d1]);
    b.ok(&[
        "note",
        "ana",
        "Asked for terms",
        "--deal",
        d1,
        "--kind",
        "call",
        "--outcome",
        "connected",
    ]);

    let v = b.json(&["deal", "show", d1]);
    assert_eq!(v["deal"]["title"], "Rollout");
    assert_eq!(v["deal"]["contact_id"], ana);
    assert_eq!(v["deal"]["value_cents"], 1_200_000);
    assert_eq!(
        v["deal"]["history"].as_array().map(Vec::len),
        Some(2),
        "{v}"
    );
    assert_eq!(v["follow_ups"][0]["text"], "send terms");
    assert_eq!(v["notes"][0]["body"], "Asked for terms");
    let text = b.ok(&["deal", "show", d1]);
    for want in [
        "Rollout",
        "Ana Pereira",
        "Proposal",
        "History",
        "send terms",
        "Asked for terms",
        "upcoming",
    ] {
        assert!(text.contains(want), "{want}: {text}");
    }
    b.fails(&["deal", "show", "999"], 2);

    let titles = |args: &[&str]| -> Vec<String> {
        let mut a = vec!["deal", "list"];
        a.extend_from_slice(args);
        b.json(&a)
            .as_array()
            .map(|l| {
                l.iter()
                    .map(|d| d["title"].as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(titles(&["--contact", "ana"]), ["Rollout"]);
    let mut acme = titles(&["--company", "acme"]);
    acme.sort();
    assert_eq!(acme, ["Pilot", "Rollout"]);
    assert_eq!(
        titles(&["--company", "ACME corp", "--contact", "bob"]),
        ["Pilot"]
    );
    assert_eq!(titles(&["--company", "globex"]), ["Globex deal"]);
    b.fails(&["deal", "list", "--company", "initech"], 2);
    let text = b.ok(&["deal", "list", "--company", "acme"]);
    assert!(text.contains("Pilot") && !text.contains("Globex"), "{text}");
}

    /// tests/cli/safety.rs `search_ranks_names_first_and_takes_any_input`.
    fn search_ranks_names_first_and_takes_any_input(b: &Book) {
    b.contact(&[
        "--name",
        "José Álvarez",
        "--company",
        "Acme",
        "--phone",
        "+1 (555) 123-4567",
        "--email",
        "jose@acme.example",
    ]);
    b.contact(&["--name", "Joseph Stone", "--company", "Initech"]);
    b.contact(&["--name", "Maria Lopez", "--company", "Acme"]);
    b.ok(&[
        "note",
        "maria",
        "Jose from Acme introduced us; pricing call next week",
    ]);
    b.ok(&[
        "deal",
        "add",
        "--title",
        "Acme expansion",
        "--contact",
        "maria",
    ]);

    let hits = b.json(&["search", "jose", "acm"]);
    assert_eq!(hits[0]["kind"], "contact");
    assert_eq!(
        hits[0]["title"], "José Álvarez",
        "accent-insensitive, prefix: {hits}"
    );
    for field in ["kind", "id", "title", "snippet", "contact_id"] {
        assert!(hits[0].get(field).is_some(), "search JSON lacks {field}");
    }
    assert!(hits.as_array().unwrap().iter().any(|h| h["kind"] == "note"));

    let hits = b.json(&["search", "jos"]);
    let titles: Vec<&str> = hits
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["kind"] == "contact")
        .map(|h| h["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles.len(), 2, "{hits}");

    assert_eq!(b.json(&["search", "acme"])[0]["kind"], "company");
    assert_eq!(
        b.json(&["search", "4567"])[0]["title"],
        "José Álvarez",
        "phone substring"
    );
    assert_eq!(
        b.json(&["search", "5551234567"])[0]["title"],
        "José Álvarez",
        "phone digits"
    );
    assert_eq!(
        b.json(&["search", "lvar"])[0]["title"],
        "José Álvarez",
        "name substring"
    );
    assert_eq!(b.json(&["search", "expansion"])[0]["kind"], "deal");
    assert_eq!(
        b.json(&["search", "pricing", "--limit", "1"])
            .as_array()
            .map(Vec::len),
        Some(1)
    );

    for hostile in [
        "\"",
        "*",
        "NEAR(",
        "re:",
        "quote,",
        "a OR b",
        "'; DROP TABLE contacts; --",
        "^",
        "-",
        "((",
    ] {
        let out = b
            .cmd()
            .args(["search", hostile, "--json"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{hostile}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(
        b.ok(&["search", "nothingmatchesthis"]).trim(),
        "nothing found for \"nothingmatchesthis\""
    );
    assert_eq!(
        b.json(&["contact", "list"]).as_array().map(Vec::len),
        Some(3)
    );
}

    /// tests/cli/import.rs `google_contacts_csv`.
    fn google_contacts_csv(b: &Book) {
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

    /// tests/cli/import.rs `plain_semicolon_tab_bom`.
    fn plain_semicolon_tab_bom(b: &Book) {
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

    /// tests/cli/import.rs `dry_run_writes_nothing`.
    fn dry_run_writes_nothing(b: &Book) {
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

    /// tests/cli/import.rs `duplicates_merge_by_default`.
    fn duplicates_merge_by_default(b: &Book) {
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

    /// tests/cli/import.rs `import_is_undone_whole`.
    fn import_is_undone_whole(b: &Book) {
    b.ok(&["contact", "add", "--name", "Before"]);
    b.ok(&["import", fixture("plain.csv").to_str().unwrap()]);
    let (code, out, err) = b.run(&["undo"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("undid the import of plain.csv"), "{out}");
    assert_eq!(b.contacts().len(), 1);
}

    /// tests/cli/import.rs `own_vcards`.
    fn own_vcards(b: &Book) {
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

    /// tests/cli/report.rs `json_has_the_fields_of_the_spec`.
    fn json_has_the_fields_of_the_spec(b: &mut Book) {
    report_book(b);
    let v = b.json(&["report"]);
    for key in [
        "since",
        "pipeline",
        "forecast",
        "won",
        "lost",
        "win_rate",
        "avg_days_to_win",
        "stage_days",
        "sources",
        "activity",
        "connect_rate",
        "overdue",
        "other_currencies",
    ] {
        assert!(v.get(key).is_some(), "missing {key}: {v}");
    }
    // Default period: 90 days before Monday 2026-11-23.
    assert_eq!(v["since"], "2026-08-25");
    for key in ["stage", "count", "value_cents", "weighted_cents"] {
        assert!(v["pipeline"][0].get(key).is_some(), "pipeline.{key}");
    }
    assert_eq!(v["pipeline"][2]["stage"], "Proposal");
    assert_eq!(v["pipeline"][2]["value_cents"], 123_456_789);
    assert_eq!(v["pipeline"][2]["weighted_cents"], 61_728_394);
    assert_eq!(v["forecast"][0]["month"], "2026-12");
    assert_eq!(v["forecast"][0]["weighted_cents"], 61_728_394);
    assert_eq!(v["won"]["count"], 1);
    assert_eq!(v["won"]["value_cents"], 1_250_000);
    assert_eq!(v["lost"]["count"], 0);
    assert_eq!(v["win_rate"], 1.0);
    assert_eq!(v["avg_days_to_win"], 10.0);
    assert_eq!(v["stage_days"][0]["stage"], "Lead");
    assert_eq!(v["stage_days"][0]["avg_days"], 10.0);
    assert_eq!(v["stage_days"][1]["avg_days"], Value::Null);
    let s = &v["sources"][0];
    for key in [
        "source",
        "contacts",
        "customers",
        "conversion_rate",
        "won_cents",
    ] {
        assert!(s.get(key).is_some(), "sources.{key}");
    }
    let w = v["activity"].as_array().expect("activity");
    assert_eq!(w.first().expect("a week")["week"], "2026-W35");
    assert_eq!(w.last().expect("a week")["week"], "2026-W48");
    for key in ["week", "call", "email", "meeting", "note"] {
        assert!(w[0].get(key).is_some(), "activity.{key}");
    }
    assert_eq!(v["connect_rate"], 1.0);
    // The referral ask the win of 2026-10-11 scheduled 30 days on is overdue by now.
    assert_eq!(v["overdue"], 1);
    assert_eq!(v["other_currencies"][0]["currency"], "EUR");
    assert_eq!(v["other_currencies"][0]["open"]["value_cents"], 90_000);
}

    /// tests/cli/report.rs `text_is_aligned_with_thousands_separators`.
    fn text_is_aligned_with_thousands_separators(b: &mut Book) {
    report_book(b);
    let out = b.ok(&["report"]);
    assert!(out.contains("money in USD"), "{out}");
    assert!(out.contains("1,234,567.89"), "{out}");
    assert!(out.contains("617,283.94"), "{out}");
    assert!(out.contains("EUR"), "{out}");
    // The pipeline's number columns end at the same place on every line.
    let lines: Vec<&str> = out
        .lines()
        .skip_while(|l| !l.starts_with("Open pipeline"))
        .take(6)
        .collect();
    let width = lines[0].len();
    assert!(lines.iter().all(|l| l.len() == width), "{lines:#?}");
}

    /// tests/cli/export.rs `csv_formula_guard_both_ways`.
    fn csv_formula_guard_both_ways(b: &Book) {
    export_sample(b);
    let out = b.ok(&["export", "--format", "csv", "--what", "contacts"]);
    let mut lines = out.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("id,name,company,title,emails,phones,tags")
    );
    assert!(out.contains("'=cmd|' /C calc'!A0"), "{out}");
    assert!(out.contains("'+1 555 0100"), "{out}");
    assert!(out.contains("'@Evil"), "{out}");
    assert!(out.contains("\"Acme, Inc.\""), "{out}");
    assert!(out.contains("ana@acme.example; ana@home.example"), "{out}");
    let deals = b.ok(&["export", "--format", "csv", "--what", "deals"]);
    assert!(deals.contains("'-Rollout"), "{deals}");
    assert!(deals.contains("12000.50,1200050,USD"), "{deals}");

    // Re-imported, the guard comes off again.
    let file = b.file("contacts.csv");
    std::fs::write(&file, &out).unwrap();
    let c = Book::on(b.engine()).expect("a book on the same engine");
    let o = c.ok(&["import", file.to_str().unwrap()]);
    assert!(
        o.contains("imported 2, merged 0, skipped 0 duplicates, invalid 0"),
        "{o}"
    );
    let evil = c.contact_named("=cmd|' /C calc'!A0");
    assert_eq!(strs(&evil["phones"]), ["+1 555 0100"]);
    assert_eq!(evil["company"], "@Evil");
    let ana = c.contact_named("Ana Pereira");
    assert_eq!(
        strs(&ana["emails"]),
        ["ana@acme.example", "ana@home.example"]
    );
    assert_eq!(strs(&ana["tags"]), ["vip"]);
    assert_eq!(ana["title"], "VP");
    assert_eq!(ana["company"], "Acme, Inc.");
}

    /// tests/cli/export.rs `vcard_export_reads_back`.
    fn vcard_export_reads_back(b: &Book) {
    export_sample(b);
    let vcf = b.ok(&["export", "--format", "vcf"]);
    assert_eq!(vcf.matches("BEGIN:VCARD\r\n").count(), 2, "{vcf}");
    assert!(vcf.contains("VERSION:4.0\r\n"), "{vcf}");
    assert!(vcf.contains("FN:Ana Pereira\r\n"), "{vcf}");
    assert!(vcf.contains("N:Pereira;Ana;;;\r\n"), "{vcf}");
    assert!(
        vcf.contains("ORG:Acme\\, Inc.\r\n") || vcf.contains("ORG:Acme, Inc.\r\n"),
        "{vcf}"
    );
    let file = b.file("all.vcf");
    std::fs::write(&file, &vcf).unwrap();
    let c = Book::on(b.engine()).expect("a book on the same engine");
    c.ok(&["import", file.to_str().unwrap()]);
    let ana = c.contact_named("Ana Pereira");
    assert_eq!(
        strs(&ana["emails"]),
        ["ana@acme.example", "ana@home.example"]
    );
    assert_eq!(strs(&ana["tags"]), ["vip"]);
    assert_eq!(ana["title"], "VP");
    assert_eq!(ana["company"], "Acme, Inc.");
    let (code, _, _) = b.run(&["export", "--format", "vcf", "--what", "deals"]);
    assert_eq!(code, 2);
}

    /// tests/cli/export.rs `ics_has_open_follow_ups_with_stable_uids`.
    fn ics_has_open_follow_ups_with_stable_uids(b: &Book) {
    export_sample(b);
    let ics = b.ok(&["export", "--format", "ics"]);
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"), "{ics}");
    assert!(ics.trim_end().ends_with("END:VCALENDAR"), "{ics}");
    assert_eq!(
        ics.matches("BEGIN:VEVENT").count(),
        2,
        "the done one is left out: {ics}"
    );
    assert_eq!(ics.matches("BEGIN:VALARM").count(), 2, "{ics}");
    // All-day: a date, ending (exclusively) the next day.
    assert!(ics.contains("DTSTART;VALUE=DATE:20261124"), "{ics}");
    assert!(ics.contains("DTEND;VALUE=DATE:20261125"), "{ics}");
    // Timed: Friday 15:00 (UTC here).
    assert!(ics.contains("DTSTART:20261127T150000Z"), "{ics}");
    assert!(ics.contains("UID:follow-up-1@salesdesk"), "{ics}");
    assert!(ics.contains("UID:follow-up-2@salesdesk"), "{ics}");
    // Exported again after a change: the same UID, a higher SEQUENCE.
    b.ok(&["snooze", "1", "dec 1"]);
    let again = b.ok(&["export", "--format", "ics"]);
    assert!(again.contains("UID:follow-up-1@salesdesk"), "{again}");
    assert!(again.contains("DTSTART;VALUE=DATE:20261201"), "{again}");
    assert!(again.contains("SEQUENCE:2"), "{again}");
    assert!(
        ics.lines().all(|l| l.len() <= 75),
        "lines are folded: {ics}"
    );
}


    /// References as people type them: accents either way, prefixes, emails.
    fn references_with_accents_and_prefixes(b: &Book) {
        let bjorn = b.contact(&["--name", "Bjorn Olsen", "--email", "bjorn@fjord.example"]);
        let zoe = b.contact(&["--name", "Zoë Çelik", "--company", "Ünal Ltd"]);
        b.ok(&["note", "Björn", "typed with the accent"]);
        b.ok(&["note", "bjo", "a prefix"]);
        b.ok(&["note", "BJORN@fjord.example", "by email"]);
        b.ok(&["note", "zoe", "without the accent"]);
        b.ok(&["note", "çel", "a prefix with one"]);
        let bodies = |id: i64| -> Vec<String> {
            b.show(id)["notes"]
                .as_array()
                .expect("notes")
                .iter()
                .map(|n| n["body"].as_str().unwrap_or_default().to_string())
                .collect()
        };
        assert_eq!(
            bodies(bjorn),
            ["by email", "a prefix", "typed with the accent"]
        );
        assert_eq!(bodies(zoe), ["a prefix with one", "without the accent"]);
        let e = b.fails(&["note", "nobody", "x"], 2);
        assert!(e.starts_with("error: "), "{e}");
    }

    /// Search: folded names, email and phone substrings, a name match ranked over a note's.
    fn search_finds_accents_emails_phones_and_ranks_names_first(b: &Book) {
        b.contact(&[
            "--name",
            "Renée Fässler",
            "--email",
            "renee.faessler@kontor.example",
            "--phone",
            "+41 44 555 12 34",
        ]);
        b.contact(&["--name", "Tom Baker"]);
        b.ok(&["note", "tom", "Renee called about the Fassler account"]);
        let hits = b.json(&["search", "renee"]);
        assert_eq!(hits[0]["kind"], "contact", "{hits}");
        assert_eq!(hits[0]["title"], "Renée Fässler", "{hits}");
        assert!(
            hits.as_array()
                .is_some_and(|h| h.iter().any(|h| h["kind"] == "note")),
            "the note is found too, after the name: {hits}"
        );
        assert_eq!(b.json(&["search", "fässler"])[0]["title"], "Renée Fässler");
        assert_eq!(b.json(&["search", "kontor.example"])[0]["title"], "Renée Fässler");
        assert_eq!(b.json(&["search", "faessler@kon"])[0]["title"], "Renée Fässler");
        assert_eq!(b.json(&["search", "5551234"])[0]["title"], "Renée Fässler");
        assert_eq!(b.json(&["search", "12 34"])[0]["title"], "Renée Fässler");
        let hits = b.json(&["search", "account"]);
        assert_eq!(hits[0]["kind"], "note", "{hits}");
        assert_eq!(
            b.ok(&["search", "zzzzzz"]).trim(),
            "nothing found for \"zzzzzz\""
        );
    }

    /// The daily list as text: its three groups and the brief line.
    fn today_text_has_overdue_today_and_reconnect(b: &mut Book) {
        b.now = "2026-09-01T09:00:00+00:00".into();
        b.contact(&["--name", "Quiet Quinn", "--cadence", "30d"]);
        b.now = support::NOW.into();
        b.contact(&["--name", "Ana Pereira"]);
        b.ok(&["follow-up", "ana", "2026-11-20", "chase the invoice"]);
        b.ok(&["follow-up", "ana", "today", "send the deck"]);
        let t = b.json(&["today"]);
        assert_eq!(t["overdue"][0]["text"], "chase the invoice");
        assert_eq!(t["today"][0]["text"], "send the deck");
        assert_eq!(t["reconnect"][0]["name"], "Quiet Quinn");
        assert_eq!(t["reconnect"][0]["days_since"], 83);
        let text = b.ok(&["today"]);
        for want in ["Overdue", "chase the invoice", "send the deck", "Quiet Quinn"] {
            assert!(text.contains(want), "{want}: {text}");
        }
        assert_eq!(
            b.ok(&["today", "--brief"]).trim(),
            "1 overdue · 1 today · 1 reconnect"
        );
        b.ok(&["done", "1"]);
        b.ok(&["snooze", "2", "tomorrow"]);
        assert_eq!(
            b.ok(&["today", "--brief"]).trim(),
            "0 overdue · 0 today · 1 reconnect"
        );
    }

    /// Undo with versions: an edit undone, then an edit made stale behind undo's back refused
    /// with the version message, changing nothing.
    fn undo_an_edit_and_refuse_a_stale_one(b: &Book) {
        let id = b.contact(&["--name", "Ana", "--title", "CTO"]);
        b.ok(&["contact", "edit", "ana", "--title", "CEO"]);
        assert_eq!(b.show(id)["contact"]["version"], 2);
        assert!(b.ok(&["undo"]).contains("Ana"));
        let c = &b.show(id)["contact"];
        assert_eq!(c["title"], "CTO");
        b.ok(&["contact", "edit", "ana", "--title", "COO"]);
        b.sql("UPDATE contacts SET version = version + 1, title = 'CFO'");
        let before = b.dump();
        let e = b.fails(&["undo"], 2);
        assert!(e.contains("changed since"), "{e}");
        assert_eq!(b.dump(), before);
    }

    /// The demo book: its daily list, search and report read as on SQLite's.
    fn demo_book_answers(b: &Book) {
        b.ok(&["demo"]);
        let t = b.json(&["today", "--days", "7"]);
        assert!(t["overdue"].as_array().is_some_and(|a| !a.is_empty()), "{t}");
        let r = b.json(&["report"]);
        assert!(r["pipeline"].as_array().is_some_and(|a| !a.is_empty()), "{r}");
        assert!(!b.json(&["search", "sakura"]).as_array().is_some_and(Vec::is_empty));
        b.assert_derived_consistent();
    }

    /// Deals moving through the stages by name prefix, and back; each move in the history.
    fn deals_move_through_stages(b: &Book) {
        b.contact(&["--name", "Ana Pereira"]);
        b.ok(&["deal", "add", "--title", "Rollout", "--contact", "ana"]);
        for (to, stage) in [("qual", "Qualified"), ("prop", "Proposal"), ("lead", "Lead")] {
            b.ok(&["deal", "move", "1", to]);
            assert_eq!(b.json(&["deal", "show", "1"])["deal"]["stage"], stage);
        }
        let d = &b.json(&["deal", "list"])[0];
        assert_eq!(d["history"].as_array().map(Vec::len), Some(4));
        assert_eq!(d["version"], 4);
        b.ok(&["undo"]);
        assert_eq!(b.json(&["deal", "show", "1"])["deal"]["stage"], "Proposal");
    }

    /// A repeating follow-up completed by two processes at once, five times over: each time
    /// one completes it (and schedules the one repeat), the other is refused; nothing doubles.
    fn a_repeating_follow_up_done_twice_at_once_repeats_once(b: &Book) {
        b.contact(&["--name", "Ana Pereira"]);
        b.ok(&["follow-up", "ana", "today", "check in", "--every", "1w"]);
        let mut open = 1;
        for round in 0..5 {
            let id = open.to_string();
            let codes: Vec<i32> = std::thread::scope(|s| {
                let runs: Vec<_> = (0..2)
                    .map(|_| s.spawn(|| b.run(&["done", &id]).0))
                    .collect();
                runs.into_iter().map(|r| r.join().expect("a run")).collect()
            });
            let mut sorted = codes.clone();
            sorted.sort();
            assert_eq!(sorted, [0, 2], "round {round}: {codes:?}");
            let all = b.json(&["follow-up", "list", "--status", "all"]);
            assert_eq!(all.as_array().map(Vec::len), Some(round + 2), "{all}");
            let open_now = b.json(&["follow-up", "list", "--status", "open"]);
            assert_eq!(open_now.as_array().map(Vec::len), Some(1), "{open_now}");
            open = open_now[0]["id"].as_i64().expect("an id");
        }
        b.assert_derived_consistent();
    }

    /// Four processes each add, snooze and complete 50 follow-ups at once (600 changes):
    /// every one ends done, on the day it was snoozed to.
    fn follow_ups_done_and_snoozed_by_four_clients_lose_nothing(b: &Book) {
        for w in 0..4 {
            b.contact(&["--name", &format!("Worker {w}")]);
        }
        std::thread::scope(|s| {
            for w in 0..4 {
                s.spawn(move || {
                    let who = format!("worker {w}");
                    for i in 0..50 {
                        let id = b.ok(&["follow-up", &who, "today", &format!("w{w} f{i}")]);
                        let id = id.trim();
                        b.ok(&["snooze", id, "fri"]);
                        b.ok(&["done", id]);
                    }
                });
            }
        });
        let done = b.json(&["follow-up", "list", "--status", "done"]);
        let done = done.as_array().cloned().unwrap_or_default();
        assert_eq!(done.len(), 200);
        assert!(
            done.iter().all(|f| f["due_at"] == "2026-11-27"),
            "each kept its snooze: {done:?}"
        );
        let mut texts: Vec<&str> = done.iter().filter_map(|f| f["text"].as_str()).collect();
        texts.sort_unstable();
        texts.dedup();
        assert_eq!(texts.len(), 200);
        let open = b.json(&["follow-up", "list", "--status", "open"]);
        assert_eq!(open, serde_json::json!([]));
        b.assert_derived_consistent();
    }

    /// Two processes move one deal at once, and four add 200 notes each: every change lands.
    fn concurrent_clients_lose_nothing(b: &Book) {
        b.contact(&["--name", "Ana Pereira"]);
        b.ok(&["deal", "add", "--title", "Rollout", "--contact", "ana"]);
        std::thread::scope(|s| {
            for stage in ["qual", "prop"] {
                s.spawn(move || b.ok(&["deal", "move", "1", stage]));
            }
        });
        let d = &b.json(&["deal", "list"])[0];
        assert_eq!(d["version"], 3, "both moves counted: {d}");
        assert_eq!(d["history"].as_array().map(Vec::len), Some(3), "{d}");

        std::thread::scope(|s| {
            for w in 0..4 {
                s.spawn(move || {
                    for i in 0..200 {
                        b.ok(&["note", "ana", &format!("w{w} n{i}"), "--kind", "call"]);
                    }
                });
            }
        });
        let notes = b.show(1)["notes"].as_array().cloned().unwrap_or_default();
        assert_eq!(notes.len(), 800);
        let mut seen: Vec<String> = notes
            .iter()
            .map(|n| n["body"].as_str().unwrap_or_default().to_string())
            .collect();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), 800, "each note once");
        b.assert_derived_consistent();
    }
}

/// `v` without the keys that may differ between two books holding the same things: ids and
/// owners.
fn without_ids(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| {
                    !(k.as_str() == "id"
                        || k.ends_with("_id")
                        || ["owner", "author", "by"].contains(&k.as_str()))
                })
                .map(|(k, v)| (k.clone(), without_ids(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(without_ids).collect()),
        other => other.clone(),
    }
}

/// A personal book moved to the server and back (issue 21): `export --format json` from
/// SQLite, `import` into PostgreSQL, export again, import into a new SQLite book: the three
/// exports are equal, ids and owners aside.
#[test]
fn a_book_moves_to_the_server_and_back() {
    if let Some(server) = Book::server() {
        move_through(&server);
    }
}

/// The same through a second SQLite book: the reference the server's trip is held to.
#[test]
fn a_book_moves_through_another_file_and_back() {
    move_through(&Book::new());
}

/// A SQLite book exported, imported into `server` (empty), exported from it, imported into a
/// new SQLite book and exported again: the three exports are equal, ids and owners aside.
fn move_through(server: &Book) {
    let a = Book::new();
    crate::roundtrip::seed_to_move(&a);
    a.ok(&["contact", "add", "--name", "Zoë Çelik", "--cadence", "30d"]);
    a.ok(&[
        "note",
        "zoe",
        "Grüße aus Köln @next week",
        "--kind",
        "meeting",
    ]);
    let first = a.file("first.json");
    a.ok(&[
        "export",
        "--format",
        "json",
        "-o",
        first.to_str().expect("utf-8"),
    ]);
    let out = server.ok(&["import", first.to_str().expect("utf-8")]);
    assert!(out.contains("restored"), "{out}");
    let second = a.file("second.json");
    server.ok(&[
        "export",
        "--format",
        "json",
        "-o",
        second.to_str().expect("utf-8"),
    ]);
    let c = Book::new();
    c.ok(&["import", second.to_str().expect("utf-8")]);
    let third = c.ok(&["export", "--format", "json"]);
    let read = |p: &std::path::Path| -> Value {
        serde_json::from_str(&std::fs::read_to_string(p).expect("export")).expect("JSON")
    };
    let first = read(&first);
    assert_eq!(without_ids(&first), without_ids(&read(&second)));
    let third: Value = serde_json::from_str(&third).expect("JSON");
    assert_eq!(without_ids(&first), without_ids(&third));
    server.assert_derived_consistent();
}

/// The demo book on the server reads exactly as on SQLite, command by command.
#[test]
fn the_demo_book_reads_the_same_on_both_engines() {
    let Some(server) = Book::server() else {
        return;
    };
    let lite = Book::new();
    for b in [&lite, &server] {
        b.ok(&["demo"]);
        b.ok(&["done", "3"]);
        b.ok(&[
            "note",
            "1",
            "Talked pricing #proposal @fri",
            "--kind",
            "call",
        ]);
    }
    for args in [
        &["today", "--days", "7", "--json"][..],
        &["today"],
        &["today", "--brief"],
        &["contact", "list", "--json"],
        &["deal", "list", "--json"],
        &["follow-up", "list", "--json"],
        &["report", "--json"],
        &["report"],
        &["export", "--format", "json"],
        &["export", "--format", "csv", "--what", "contacts"],
        &["export", "--format", "ics"],
        &["contact", "show", "1", "--json"],
        &["deal", "show", "1", "--json"],
        &["search", "sakura", "--json"],
        &["search", "pricing", "--json"],
        &["contact", "list", "--search", "sak", "--json"],
    ] {
        assert_eq!(
            owners_aside(&lite.ok(args)),
            owners_aside(&server.ok(args)),
            "salesdesk {args:?}"
        );
    }
}

/// The output with every JSON owner, author and history entry's user as `me`: the server
/// book's rows are its login's, a personal book's its one user's (ids and owners aside, as
/// the issue says).
fn owners_aside(out: &str) -> String {
    let mut s = out.to_string();
    for key in ["\"owner\": \"", "\"author\": \"", "\"by\": \""] {
        let mut done = String::with_capacity(s.len());
        let mut rest = s.as_str();
        while let Some(at) = rest.find(key) {
            let value = &rest[at + key.len()..];
            let end = value.find('"').unwrap_or(value.len());
            done.push_str(&rest[..at + key.len()]);
            done.push_str("me");
            rest = &value[end..];
        }
        done.push_str(rest);
        s = done;
    }
    s
}

/// Runs `script` on a SQLite book and on a server book, then asserts each of `reads` prints
/// the same on both, byte for byte: SQLite is the reference for order, ties and text.
fn same_on_both(script: &[&[&str]], reads: &[&[&str]]) {
    let Some(server) = Book::server() else {
        return;
    };
    let lite = Book::new();
    for b in [&lite, &server] {
        for args in script {
            b.ok(args);
        }
    }
    let mut differ = Vec::new();
    for args in reads {
        let (want, got) = (owners_aside(&lite.ok(args)), owners_aside(&server.ok(args)));
        if want != got {
            differ.push(format!("salesdesk {args:?}:\n{}", difference(&want, &got)));
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
    for b in [&lite, &server] {
        b.ok(&["db", "check"]);
    }
}

/// Where two outputs part: search hits as `kind#id` in order, anything else from its first
/// differing line.
fn difference(want: &str, got: &str) -> String {
    let hits = |s: &str| -> Option<Vec<String>> {
        let v: Value = serde_json::from_str(s).ok()?;
        v.as_array()?
            .iter()
            .map(|h| Some(format!("{}#{}", h.get("kind")?.as_str()?, h.get("id")?)))
            .collect()
    };
    if let (Some(w), Some(g)) = (hits(want), hits(got)) {
        return format!(
            "  SQLite:     {}\n  PostgreSQL: {}",
            w.join(" "),
            g.join(" ")
        );
    }
    let at = want
        .lines()
        .zip(got.lines())
        .position(|(a, b)| a != b)
        .unwrap_or(0);
    let from = |s: &str| s.lines().skip(at).take(8).collect::<Vec<_>>().join(" ");
    format!(
        "  from line {}\n  SQLite:     {}\n  PostgreSQL: {}",
        at + 1,
        from(want),
        from(got)
    )
}

/// Names, emails, notes and deals that sort, fold and rank in ways a second engine could
/// get subtly wrong: accents, case, ties, shared prefixes, punctuation.
const PEOPLE: &[&[&str]] = &[
    &[
        "contact",
        "add",
        "--name",
        "Émile Zola",
        "--email",
        "emile@zola.example",
        "--tag",
        "Author",
    ],
    &[
        "contact",
        "add",
        "--name",
        "emile zola",
        "--email",
        "ez@other.example",
        "--company",
        "Zola SA",
    ],
    &[
        "contact",
        "add",
        "--name",
        "Zoë Adams",
        "--phone",
        "+44 20 7946 0018",
        "--company",
        "Ångström AB",
    ],
    &[
        "contact",
        "add",
        "--name",
        "Zoe Adams",
        "--phone",
        "020 7946 0019",
        "--company",
        "angstrom ab",
    ],
    &[
        "contact",
        "add",
        "--name",
        "O'Brien, Seán",
        "--email",
        "sean.obrien@pub.example",
        "--tag",
        "vip",
    ],
    &[
        "contact",
        "add",
        "--name",
        "Ana",
        "--status",
        "customer",
        "--cadence",
        "14d",
    ],
    &[
        "contact",
        "add",
        "--name",
        "Ana Ana",
        "--temperature",
        "hot",
    ],
    &["contact", "add", "--name", "ANA B", "--source", "Referral"],
    &[
        "contact",
        "add",
        "--name",
        "Łukasz Żółć",
        "--email",
        "lukasz@zolc.example",
    ],
    &[
        "contact",
        "add",
        "--name",
        "李 小龍",
        "--email",
        "li@dragon.example",
    ],
    &[
        "note",
        "#1",
        "Zola wrote about the Ångström project, call Zoe",
        "--kind",
        "call",
        "--outcome",
        "connected",
    ],
    &["note", "#3", "Adams asked for pricing; Zola was cc'd"],
    &[
        "note",
        "#5",
        "Seán: pricing, pricing and more pricing",
        "--kind",
        "email",
        "--outcome",
        "replied",
    ],
    &["note", "#6", "ana ana ana", "--kind", "meeting"],
    &[
        "deal",
        "add",
        "--title",
        "Zola rollout",
        "--contact",
        "#1",
        "--value",
        "1000",
    ],
    &[
        "deal",
        "add",
        "--title",
        "zola rollout",
        "--contact",
        "#2",
        "--value",
        "1000",
    ],
    &[
        "deal",
        "add",
        "--title",
        "Ångström pilot",
        "--contact",
        "#3",
        "--value",
        "250.50",
        "--stage",
        "prop",
    ],
    &[
        "deal",
        "add",
        "--title",
        "Pricing study",
        "--contact",
        "#5",
        "--value",
        "99",
        "--close",
        "dec 1",
    ],
    &["follow-up", "#1", "today", "call Émile"],
    &["follow-up", "#2", "today", "call emile"],
    &["follow-up", "#3", "today", "10am", "pricing"],
    &["follow-up", "#4", "today", "10am", "pricing too"],
    &["follow-up", "#9", "2026-11-20", "late one"],
    &["follow-up", "#10", "tomorrow", "出发"],
    &["deal", "won", "4"],
    &["note", "#7", "lost it #lost", "--raw"],
];

#[test]
fn lists_reports_and_exports_print_the_same_on_both_engines() {
    same_on_both(
        PEOPLE,
        &[
            &["contact", "list"],
            &["contact", "list", "--json"],
            &["contact", "list", "--tag", "VIP", "--json"],
            &["contact", "list", "--search", "zo", "--json"],
            &["contact", "list", "--search", "ana", "--json"],
            &["deal", "list", "--json"],
            &["deal", "list"],
            &["follow-up", "list", "--status", "all", "--json"],
            &["today", "--days", "7", "--json"],
            &["today", "--days", "7"],
            &["today", "--brief"],
            &["report", "--json"],
            &["report"],
            &["contact", "show", "seán", "--json"],
            &["contact", "show", "#1", "--json"],
            &["deal", "show", "3", "--json"],
            &["export", "--format", "json"],
            &["export", "--format", "csv", "--what", "contacts"],
            &["export", "--format", "vcf"],
            &["export", "--format", "ics"],
        ],
    );
}

/// Search's hits in SQLite's order: kinds ranked as there, and bm25's order within a kind.
#[test]
fn searches_rank_the_same_on_both_engines() {
    same_on_both(
        PEOPLE,
        &[
            &["search", "zola", "--json"],
            &["search", "Zoë", "--json"],
            &["search", "zoe", "--json"],
            &["search", "pricing", "--json"],
            &["search", "angstrom", "--json"],
            &["search", "ana", "--json"],
            &["search", "7946", "--json"],
            &["search", "obrien", "--json"],
            &["search", "pub.example", "--json"],
            &["search", "小龍", "--json"],
            &["search", "lukasz zolc", "--json"],
            &["search", "rollout", "--json"],
            &["search", "a", "--json"],
        ],
    );
}

/// A book where only bm25's inverse document frequency and length normalisation decide the
/// order (written to `dir`, returned as the commands that make it): 20 contacts, 10 notes and
/// 3 deals hold `common`, two contacts and two notes `rare` (each pair the two words in
/// mirrored counts, so without IDF they would tie), and `solo` is in a long and a short
/// title of each kind (without length normalisation, a tie).
fn idf_and_length_book(dir: &std::path::Path) -> Vec<Vec<String>> {
    let mut csv = String::from("name,title\n");
    csv.push_str("Pat One,common common rare\nPat Two,common rare rare\n");
    csv.push_str("Lee Three,solo with many more words here\nLee Four,solo\n");
    for i in 1..=20 {
        csv.push_str(&format!("Filler {i},common filler\n"));
    }
    let path = dir.join("people.csv");
    std::fs::write(&path, csv).expect("write");
    let mut script = vec![vec!["import".to_string(), path.display().to_string()]];
    let mut add = |args: &[&str]| script.push(args.iter().map(|a| a.to_string()).collect());
    add(&["note", "#1", "common common rare"]);
    add(&["note", "#2", "common rare rare"]);
    for i in 5..15 {
        add(&["note", &format!("#{i}"), "common filler"]);
    }
    add(&[
        "deal",
        "add",
        "--title",
        "Solo renewal of the whole northern region",
        "--contact",
        "#5",
    ]);
    add(&["deal", "add", "--title", "Solo renewal", "--contact", "#6"]);
    add(&["deal", "add", "--title", "Common ground", "--contact", "#7"]);
    script
}

/// Hits of `search q` as `kind#id`, in order.
fn hit_order(b: &Book, q: &str) -> Vec<String> {
    let hits = b.json(&["search", q, "--json"]);
    hits.as_array()
        .expect("an array")
        .iter()
        .map(|h| format!("{}#{}", h["kind"].as_str().expect("a kind"), h["id"]))
        .collect()
}

conformance! {
    /// bm25's IDF puts the row with more of the rare word first, and its length
    /// normalisation the shorter of two rows with the same hits, on both engines.
    fn search_ranks_by_idf_and_length(b: &Book) {
        let dir = tempfile::tempdir().expect("a temporary folder");
        for args in idf_and_length_book(dir.path()) {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            b.ok(&args);
        }
        // Contact #2 and note #2 have `rare` twice and `common` once (#1, the reverse): the
        // rare word weighs more (without IDF they would tie, and go in id order).
        assert_eq!(
            hit_order(b, "rare common"),
            ["contact#2", "contact#1", "note#2", "note#1"]
        );
        // The short title before the long one, contacts and deals alike.
        assert_eq!(
            hit_order(b, "solo"),
            ["deal#2", "deal#1", "contact#4", "contact#3"]
        );
        let common = hit_order(b, "common");
        assert_eq!(common.len(), 20, "{common:?}");
        assert_eq!(common[..2], ["deal#3", "contact#1"], "{common:?}");
        b.ok(&["db", "check"]);
    }
}

/// The same book read on both engines: the same hits in the same order, byte for byte.
#[test]
fn searches_by_idf_and_length_rank_the_same_on_both_engines() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let script = idf_and_length_book(dir.path());
    let script: Vec<Vec<&str>> = script
        .iter()
        .map(|a| a.iter().map(String::as_str).collect())
        .collect();
    let script: Vec<&[&str]> = script.iter().map(Vec::as_slice).collect();
    same_on_both(
        &script,
        &[
            &["search", "rare common", "--json"],
            &["search", "solo", "--json"],
            &["search", "common", "--json"],
            &["search", "common filler", "--json"],
            &["search", "co", "--json"],
            &["search", "lee", "--json"],
            &["contact", "list", "--search", "common", "--json"],
        ],
    );
}

/// More notes hold a word than search's window of the newest 2,000 matches: a server finds
/// that window among the newest notes (`number`, in every note), or through the words' index
/// when the newest notes hold less than a window (`alpha`, in a third): either way the window,
/// and bm25's order within it (notes of different lengths), are SQLite's.
#[test]
fn a_word_in_more_notes_than_a_window_searches_the_same_on_both_engines() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut csv = String::from("name,notes\n");
    for i in 1..=4500 {
        let alpha = if i % 3 == 0 { " alpha" } else { "" };
        let pad = " more".repeat(i % 7);
        csv.push_str(&format!("Person {i},note number {i}{alpha}{pad}\n"));
    }
    let path = dir.path().join("notes.csv");
    std::fs::write(&path, csv).expect("write");
    let path = path.display().to_string();
    same_on_both(
        &[&["import", &path]],
        &[
            &["search", "number", "--limit", "30", "--json"],
            &["search", "alpha", "--limit", "30", "--json"],
            &["search", "number alpha", "--limit", "30", "--json"],
            &["search", "more", "--limit", "30", "--json"],
        ],
    );
}

/// Every import fixture in turn, then `reads` print the same on both engines.
fn imported_the_same(reads: &[&[&str]]) {
    let files: Vec<String> = [
        "google.csv",
        "google-legacy.csv",
        "outlook.csv",
        "linkedin.csv",
        "hubspot.csv",
        "plain.csv",
        "semicolon-bom.csv",
        "tab.tsv",
        "windows-1252.csv",
        "outlook-utf16.csv",
        "duplicates.csv",
        "cards.vcf",
    ]
    .iter()
    .map(|f| fixture(f).to_str().expect("utf-8").to_string())
    .collect();
    let script: Vec<Vec<&str>> = files.iter().map(|f| vec!["import", f.as_str()]).collect();
    let script: Vec<&[&str]> = script.iter().map(Vec::as_slice).collect();
    same_on_both(&script, reads);
}

#[test]
fn imported_books_print_the_same_on_both_engines() {
    imported_the_same(&[
        &["contact", "list", "--json"],
        &["contact", "list"],
        &["export", "--format", "json"],
        &["export", "--format", "vcf"],
    ]);
}

/// A file of several batches whose rows repeat each other (by email, phone, and name at a
/// company, in the book or still pending, spelled otherwise), imported twice, then a second
/// file that adds to them: the same rows, ids, companies and notes on both engines.
#[test]
fn imports_of_many_batches_end_the_same_on_both_engines() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut first = String::from("name,email,phone,company,title,tags,notes\n");
    let mut second = first.clone();
    for i in 1..=1500 {
        let co = ["Acme", "ACME ", "Ácme", "Beta Co", ""][i % 5];
        first.push_str(&format!(
            "Person {},p{i}@x.example,+1 555 {i:07},{co},,t{},\"note\t{i}\\\"\n",
            i % 700,
            i % 3
        ));
        let j = (i * 7919) % 1500 + 1;
        let row = match i % 4 {
            0 => format!("Again {j},P{j}@X.EXAMPLE,,,Boss,vip,"),
            1 => format!("By Phone,,+1-555-{j:07},Gamma,,,called"),
            2 => format!(
                "Person {},,,{},CTO,,",
                j % 700,
                ["Acme", "ACME ", "Ácme", "Beta Co", ""][j % 5]
            ),
            _ => format!("New {i},n{i}@y.example,,Delta {},,,", i % 40),
        };
        second.push_str(&row);
        second.push('\n');
    }
    let (a, b) = (dir.path().join("first.csv"), dir.path().join("second.csv"));
    std::fs::write(&a, first).expect("write");
    std::fs::write(&b, second).expect("write");
    let (a, b) = (a.to_str().expect("utf-8"), b.to_str().expect("utf-8"));
    same_on_both(
        &[&["import", a], &["import", a], &["import", b]],
        &[
            &["export", "--format", "json"],
            &["contact", "list", "--json"],
            &["search", "person 12", "--json"],
            &["undo"],
            &["export", "--format", "json"],
        ],
    );
}

/// A JSON book larger than a server holds before it copies rows in (5,000), restored: the
/// same book on both engines, every contact's keys, follow-up counts and search included.
#[test]
fn a_large_json_book_restores_the_same_on_both_engines() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let p = dir.path().join("book.json");
    std::fs::write(&p, crate::conformance_import::json_book(6000, &[])).expect("write");
    let p = p.to_str().expect("utf-8");
    same_on_both(
        &[&["import", p]],
        &[
            // (Not the JSON export: a fresh SQLite book's id counters list `notes` at 0.)
            &["export", "--format", "csv", "--what", "contacts"],
            &["export", "--format", "ics"],
            &["contact", "list", "--json"],
            &["today", "--json"],
            &["contact", "show", "p5999@x.example", "--json"],
            &["search", "person 5999", "--json"],
        ],
    );
}

#[test]
fn imported_books_search_the_same_on_both_engines() {
    imported_the_same(&[
        &["search", "acme", "--json"],
        &["search", "müller", "--json"],
        &["search", "555", "--json"],
        &["search", "example", "--json"],
        &["search", "jürgen", "--json"],
        &["search", "+1", "--json"],
    ]);
}

conformance! {
    /// Words past the server's longest (2,047 bytes) in a search or a reference: the same
    /// answers as SQLite's, never the server's refusal.
    fn words_too_long_for_the_server_find_nothing_on_both(b: &Book) {
        b.ok(&["contact", "add", "--name", "Ana Souza"]);
        for n in [2047, 2048, 5000] {
            let long = "a".repeat(n);
            for query in [long.clone(), format!("ana {long}"), format!("{long} ana")] {
                let out = b.ok(&["search", &query]);
                assert!(out.starts_with("nothing found"), "{n}: {out}");
            }
            let e = b.fails(&["note", &long, "called"], 2);
            assert!(e.contains("no contact matches"), "{n}: {e}");
        }
        assert!(b.ok(&["search", "ana"]).contains("Ana Souza"));
    }
}
