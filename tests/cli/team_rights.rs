//! Owners and rights on a team's server book (issue 22), with three logins on the test
//! server: two reps and a manager (none of them the book's owner, whom PostgreSQL does not
//! hold to row-level security). Each right is checked through salesdesk and through a plain
//! connection as the login, so that it is the server that refuses, not only the client.

use serde_json::Value;

use crate::support::Book;
use crate::support::team::Team;

fn count(c: &mut postgres::Client, sql: &str) -> i64 {
    c.query_one(sql, &[])
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .get(0)
}

/// Ana's lead with a deal, a follow-up, a call and a private note; Bob's own lead.
fn seed(t: &Team) {
    let ana = &t.ana.1;
    ana.ok(&["contact", "add", "--name", "Ana Lead", "--company", "Acme"]);
    ana.ok(&[
        "deal",
        "add",
        "--title",
        "Acme roll-out",
        "--contact",
        "Ana Lead",
        "--value",
        "5000",
    ]);
    ana.ok(&["follow-up", "Ana Lead", "today", "call about the roll-out"]);
    ana.ok(&["note", "Ana Lead", "Talked budget", "--kind", "call"]);
    ana.ok(&[
        "note",
        "Ana Lead",
        "Thinks the zanzibar price is too high",
        "--private",
    ]);
    let bob = &t.bob.1;
    bob.ok(&["contact", "add", "--name", "Bob Lead"]);
    bob.ok(&["follow-up", "Bob Lead", "today", "first call"]);
}

fn owners(list: &Value) -> Vec<(String, String)> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap_or_default().to_string(),
                c["owner"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_rep_reads_the_team_and_changes_only_their_own() {
    let Some(t) = Team::new() else {
        return;
    };
    seed(&t);
    let (ana, bob) = (&t.ana, &t.bob);
    // What you create is yours; everyone reads the team's contacts and deals.
    let contacts = owners(&bob.1.json(&["contact", "list"]));
    assert_eq!(
        contacts,
        vec![
            ("Ana Lead".to_string(), ana.0.clone()),
            ("Bob Lead".to_string(), bob.0.clone())
        ]
    );
    let deals = bob.1.json(&["deal", "list"]);
    assert_eq!(deals[0]["owner"], Value::from(ana.0.clone()), "{deals}");

    // Bob may not change Ana's contact or deal, or her follow-up: exit 2 naming her.
    for args in [
        &["contact", "edit", "Ana Lead", "--title", "CTO"][..],
        &["deal", "won", "1"],
        &["done", "1"],
        &["snooze", "1", "tomorrow"],
    ] {
        let e = bob.1.fails(args, 2);
        assert!(
            e.contains(&format!("is {}'s", ana.0)) && e.contains("manager"),
            "{args:?}: {e}"
        );
    }
    assert_eq!(
        t.owner.json(&["contact", "show", "Ana Lead"])["contact"]["title"],
        Value::Null
    );

    // He may log a call on her contact: the note is his, and her contact's last touch moves
    // (a trigger with the owner's rights writes it, though Bob may not change the contact).
    bob.1
        .ok(&["note", "Ana Lead", "Called her back", "--kind", "call"]);
    let shown = bob.1.json(&["contact", "show", "Ana Lead"]);
    let authors: Vec<&str> = shown["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .filter_map(|n| n["author"].as_str())
        .collect();
    assert_eq!(authors, vec![bob.0.as_str(), ana.0.as_str()], "{shown}");
    assert!(shown["contact"]["last_contacted_at"].is_string(), "{shown}");

    // A manager changes anything.
    t.manager
        .1
        .ok(&["contact", "edit", "Ana Lead", "--title", "CTO"]);
    t.manager.1.ok(&["deal", "won", "1"]);
    let deal = t.manager.1.json(&["deal", "show", "1"]);
    let by: Vec<&str> = deal["deal"]["history"]
        .as_array()
        .or_else(|| deal["history"].as_array())
        .expect("history")
        .iter()
        .filter_map(|h| h["by"].as_str())
        .collect();
    assert_eq!(by.last(), Some(&t.manager.0.as_str()), "{deal}");
}

#[test]
fn a_private_note_is_its_authors_and_the_managers_only() {
    let Some(t) = Team::new() else {
        return;
    };
    seed(&t);
    let secret = "zanzibar";
    for (who, desk) in [&t.ana, &t.manager] {
        let shown = desk.ok(&["contact", "show", "Ana Lead", "--json"]);
        assert!(shown.contains(secret), "{who} reads it: {shown}");
        assert!(
            desk.ok(&["search", secret]).contains(secret),
            "{who} finds it"
        );
    }
    let bob = &t.bob.1;
    assert_eq!(bob.json(&["search", secret]), serde_json::json!([]));
    for args in [
        &["contact", "show", "Ana Lead", "--json"][..],
        &["export", "--format", "json"],
        &["export", "--format", "csv", "--what", "notes"],
    ] {
        let out = bob.ok(args);
        assert!(!out.contains(secret), "bob: {args:?}: {out}");
    }
    // The report counts Bob the calls he may read: Ana's call, not a private note's.
    let report = bob.json(&["report"]);
    assert!(!report.to_string().contains(secret), "{report}");

    // psql as Bob: the server gives him neither the note nor its search row.
    let mut c = t.psql(&t.bob.0);
    assert_eq!(
        count(&mut c, "SELECT count(*) FROM notes WHERE private = 1"),
        0
    );
    assert_eq!(
        count(&mut c, "SELECT count(*) FROM note_search"),
        count(&mut c, "SELECT count(*) FROM notes"),
        "Bob sees a search row for each note he may read, no more"
    );
    // Nor through the note search's function (it reads as the book's owner), whichever way
    // it finds the notes, even with a temporary table of his own that names him a manager:
    // the function looks `users` up in the book's schema only.
    let search = "SELECT count(*) FROM salesdesk_note_matches(salesdesk_prefix_query('zanzibar'), ";
    for newest in [0, 1, 40000] {
        assert_eq!(count(&mut c, &format!("{search}{newest}, 10)")), 0);
    }
    c.batch_execute(
        "CREATE TEMP TABLE users(login text, role text);
         INSERT INTO users VALUES (current_user, 'manager')",
    )
    .expect("a temporary table");
    assert_eq!(count(&mut c, &format!("{search}0, 10)")), 0, "pg_temp");
    let mut m = t.psql(&t.manager.0);
    assert_eq!(
        count(&mut m, "SELECT count(*) FROM notes WHERE private = 1"),
        1
    );
    assert_eq!(count(&mut m, &format!("{search}0, 10)")), 1);
}

#[test]
fn the_server_refuses_a_rep_what_salesdesk_refuses() {
    let Some(t) = Team::new() else {
        return;
    };
    seed(&t);
    let ana = t.ana.0.clone();
    let mut bob = t.psql(&t.bob.0);
    // His updates and deletes of her rows match nothing.
    for sql in [
        "UPDATE contacts SET title = 'x' WHERE name = 'Ana Lead'",
        "UPDATE deals SET stage = 'Won'",
        "UPDATE follow_ups SET status = 'done' WHERE text LIKE 'call about%'",
        "DELETE FROM notes WHERE author <> current_user",
        "DELETE FROM deal_events",
    ] {
        let n = bob
            .execute(sql, &[])
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        assert_eq!(n, 0, "{sql}");
    }
    // He cannot give a row to her, nor take hers.
    for sql in [
        format!(
            "INSERT INTO contacts(name, name_key, created_at, updated_at, owner)
             VALUES ('Planted', 'planted', 'x', 'x', '{ana}')"
        ),
        "UPDATE contacts SET owner = current_user WHERE name = 'Ana Lead'".to_string(),
        format!("UPDATE contacts SET owner = '{ana}' WHERE name = 'Bob Lead'"),
        "INSERT INTO users(login, role, added_at) VALUES (current_user, 'manager', 'x')"
            .to_string(),
    ] {
        let refused = bob.execute(sql.as_str(), &[]).map_or(true, |n| n == 0);
        assert!(refused, "{sql}");
    }
    // Undo images are each user's own.
    assert_eq!(
        count(
            &mut bob,
            "SELECT count(*) FROM undo_log WHERE by_user <> current_user"
        ),
        0
    );
    let mut owner = t
        .owner
        .rows("SELECT count(*) FROM undo_log WHERE kind = 'change'");
    let all = match owner.pop().and_then(|mut r| r.pop()) {
        Some(rusqlite::types::Value::Integer(n)) => n,
        other => panic!("{other:?}"),
    };
    assert!(all > count(&mut bob, "SELECT count(*) FROM undo_log"));
    // Her rows are as she left them.
    let shown = t.owner.json(&["contact", "show", "Ana Lead"]);
    assert_eq!(shown["contact"]["owner"], Value::from(ana));
    assert_eq!(shown["contact"]["title"], Value::Null);
}

#[test]
fn today_and_undo_are_each_users_own() {
    let Some(t) = Team::new() else {
        return;
    };
    seed(&t);
    let texts = |v: &Value| -> Vec<String> {
        v["today"]
            .as_array()
            .expect("today")
            .iter()
            .map(|f| f["text"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(
        texts(&t.ana.1.json(&["today"])),
        vec!["call about the roll-out"]
    );
    assert_eq!(texts(&t.bob.1.json(&["today"])), vec!["first call"]);
    assert_eq!(
        t.bob.1.ok(&["today", "--brief"]).trim(),
        "0 overdue · 1 today · 0 reconnect"
    );
    // A manager reads a colleague's list, or the team's; a rep neither.
    let m = &t.manager.1;
    assert_eq!(
        texts(&m.json(&["today", "--owner", &t.ana.0])),
        vec!["call about the roll-out"]
    );
    assert_eq!(texts(&m.json(&["today", "--team"])).len(), 2);
    assert!(
        m.fails(&["today", "--owner", "nobody_here"], 2)
            .contains("not on the team")
    );
    for args in [&["today", "--team"][..], &["today", "--owner", &t.ana.0]] {
        let e = t.bob.1.fails(args, 2);
        assert!(e.contains("only a manager"), "{e}");
    }
    // Undo takes back the user's own last change, not a colleague's later one.
    t.bob
        .1
        .ok(&["note", "Bob Lead", "left a voicemail", "--kind", "call"]);
    t.ana
        .1
        .ok(&["note", "Ana Lead", "sent the deck", "--kind", "email"]);
    let undone = t.bob.1.ok(&["undo"]);
    assert!(undone.contains("Bob Lead"), "{undone}");
    let ana_notes = t.ana.1.json(&["contact", "show", "Ana Lead"])["notes"].clone();
    assert!(
        ana_notes.to_string().contains("sent the deck"),
        "{ana_notes}"
    );
}

#[test]
fn owners_flags_on_a_personal_book_are_refused() {
    let b = Book::new();
    b.ok(&["contact", "add", "--name", "Ana"]);
    for args in [&["today", "--team"][..], &["today", "--owner", "bo"]] {
        let e = b.fails(args, 2);
        assert!(e.contains("PostgreSQL server"), "{e}");
    }
    let c = b.json(&["contact", "show", "Ana"]);
    assert_eq!(c["contact"]["owner"], Value::from("me"));
    b.ok(&["note", "Ana", "just mine", "--private"]);
    let notes = b.json(&["contact", "show", "Ana"])["notes"].clone();
    assert_eq!(notes[0]["author"], Value::from("me"));
    assert_eq!(notes[0]["private"], Value::from(true));
}

#[test]
fn a_manager_reassigns_and_the_history_says_who() {
    let Some(t) = Team::new() else {
        return;
    };
    seed(&t);
    let (ana, bob, mia) = (&t.ana.0, &t.bob.0, &t.manager.0);
    // A rep gives nothing away, even their own; a manager names only people on the team.
    let e = t
        .ana
        .1
        .fails(&["contact", "edit", "Ana Lead", "--owner", bob], 2);
    assert!(e.contains("only a manager"), "{e}");
    let e = t.manager.1.fails(
        &["contact", "edit", "Ana Lead", "--owner", "nobody_here"],
        2,
    );
    assert!(e.contains("not on the team"), "{e}");

    // The contact goes to Bob with its open follow-up (hers); the deal stays hers.
    t.manager
        .1
        .ok(&["contact", "edit", "Ana Lead", "--owner", bob]);
    let shown = t.bob.1.json(&["contact", "show", "Ana Lead"]);
    assert_eq!(shown["contact"]["owner"], Value::from(bob.clone()));
    assert_eq!(shown["follow_ups"][0]["owner"], Value::from(bob.clone()));
    assert_eq!(shown["reassigned"][0]["from"], Value::from(ana.clone()));
    assert_eq!(shown["reassigned"][0]["by"], Value::from(mia.clone()));
    let texts = |v: &Value| v["today"].as_array().map_or(0, Vec::len);
    assert_eq!(
        texts(&t.bob.1.json(&["today"])),
        2,
        "his list has her call now"
    );
    assert_eq!(texts(&t.ana.1.json(&["today"])), 0);
    assert!(
        t.bob
            .1
            .ok(&["contact", "show", "Ana Lead"])
            .contains(&format!("{ana} → {bob} · by {mia}"))
    );

    // The deal, reassigned on its own, says so in its history; Bob may now move it, Ana not.
    t.manager.1.ok(&["deal", "edit", "1", "--owner", bob]);
    assert_eq!(
        t.owner.json(&["deal", "show", "1"])["reassigned"][0]["to"],
        Value::from(bob.clone())
    );
    t.bob.1.ok(&["deal", "won", "1"]);
    assert!(
        t.ana
            .1
            .fails(&["deal", "reopen", "1"], 2)
            .contains(&format!("is {bob}'s"))
    );

    // Added for someone: theirs from the start, with nothing to say it was reassigned.
    t.manager
        .1
        .ok(&["contact", "add", "--name", "Fresh Lead", "--owner", ana]);
    let fresh = t.ana.1.json(&["contact", "show", "Fresh Lead"]);
    assert_eq!(fresh["contact"]["owner"], Value::from(ana.clone()));
    assert_eq!(fresh["reassigned"], serde_json::json!([]));
    // Undo takes back the manager's own last change; the deal's reassignment, which Bob has
    // built on since (he won it), is refused rather than overwritten.
    assert!(t.manager.1.ok(&["undo"]).contains("Fresh Lead"));
    let e = t.manager.1.fails(&["undo"], 2);
    assert!(e.contains("has changed since"), "{e}");
    let back = t.owner.json(&["deal", "show", "1"]);
    assert_eq!(back["deal"]["owner"], Value::from(bob.clone()), "{back}");
}

#[test]
fn owner_flags_on_a_personal_book_are_refused() {
    let b = Book::new();
    b.ok(&["contact", "add", "--name", "Ana"]);
    for args in [
        &["contact", "add", "--name", "Bo", "--owner", "me"][..],
        &["contact", "edit", "Ana", "--owner", "bo"],
        &[
            "deal",
            "add",
            "--title",
            "D",
            "--contact",
            "Ana",
            "--owner",
            "bo",
        ],
        &["follow-up", "Ana", "tomorrow", "--owner", "bo"],
    ] {
        let e = b.fails(args, 2);
        assert!(e.contains("PostgreSQL server"), "{args:?}: {e}");
    }
    assert_eq!(
        b.json(&["contact", "list"]).as_array().map(Vec::len),
        Some(1)
    );
}

#[test]
fn the_report_has_a_line_per_rep() {
    let Some(t) = Team::new() else {
        return;
    };
    seed(&t);
    t.ana.1.ok(&["deal", "won", "1"]);
    t.ana.1.ok(&[
        "deal",
        "add",
        "--title",
        "Second",
        "--contact",
        "Ana Lead",
        "--value",
        "700",
    ]);
    t.bob.1.ok(&[
        "note",
        "Bob Lead",
        "no answer",
        "--kind",
        "call",
        "--outcome",
        "no-answer",
    ]);
    t.bob.1.ok(&[
        "note",
        "Bob Lead",
        "got him",
        "--kind",
        "call",
        "--outcome",
        "connected",
    ]);
    let reps = t.manager.1.json(&["report", "--team"])["reps"].clone();
    let line = |who: &str| -> Value {
        reps.as_array()
            .expect("reps")
            .iter()
            .find(|r| r["owner"] == who)
            .cloned()
            .unwrap_or_else(|| panic!("no line for {who}: {reps}"))
    };
    let ana = line(&t.ana.0);
    assert_eq!(
        (
            &ana["won"],
            &ana["lost"],
            &ana["win_rate"],
            &ana["pipeline_cents"]
        ),
        (
            &Value::from(1),
            &Value::from(0),
            &Value::from(1.0),
            &Value::from(70_000)
        )
    );
    assert_eq!(
        ana["calls"],
        Value::from(1),
        "her call without an outcome: {ana}"
    );
    assert_eq!(ana["connect_rate"], Value::Null);
    let bob = line(&t.bob.0);
    assert_eq!(
        (&bob["calls"], &bob["connect_rate"]),
        (&Value::from(2), &Value::from(0.5))
    );
    // Everyone on the team has a line, most won first.
    let mia = line(&t.manager.0);
    assert_eq!(mia["won"], Value::from(0));
    assert_eq!(reps[0]["owner"], Value::from(t.ana.0.clone()));
    let text = t.manager.1.ok(&["report", "--team"]);
    let short: String = t.bob.0.chars().take(12).collect();
    assert!(text.contains("Reps") && text.contains(&short), "{text}");
    // A personal book's report has its one line, and no table in the text.
    let b = Book::new();
    b.ok(&["contact", "add", "--name", "Ana"]);
    assert_eq!(b.json(&["report"])["reps"][0]["owner"], Value::from("me"));
    assert!(!b.ok(&["report"]).contains("Reps"));
}

#[test]
fn an_import_shares_leads_out_among_the_reps() {
    let Some(t) = Team::new() else {
        return;
    };
    let m = &t.manager.1;
    m.configure(crate::sequences::NEW_LEAD);
    let csv = m.file("leads.csv");
    std::fs::write(
        &csv,
        "name,email\nLea One,lea1@x.io\nLea Two,lea2@x.io\nLea Three,lea3@x.io\nLea Four,lea4@x.io\n",
    )
    .expect("csv");
    let csv = csv.to_str().expect("utf-8");
    // A rep shares nothing out; a name must be on the team.
    let e = t
        .ana
        .1
        .fails(&["import", csv, "--assign", "round-robin"], 2);
    assert!(e.contains("only a manager"), "{e}");
    assert!(
        m.fails(&["import", csv, "--assign", "nobody_here"], 2)
            .contains("not on the team")
    );
    assert!(
        m.fails(&["import", csv, "--assign", " "], 2)
            .contains("need a NAME")
    );
    assert_eq!(t.owner.json(&["contact", "list"]), serde_json::json!([]));

    m.ok(&[
        "import",
        csv,
        "--assign",
        "round-robin",
        "--sequence",
        "new-lead",
    ]);
    let contacts = owners(&t.owner.json(&["contact", "list"]));
    let (ana, bob) = (&t.ana.0, &t.bob.0);
    let mine = |who: &str| contacts.iter().filter(|(_, o)| o == who).count();
    assert_eq!((mine(ana), mine(bob)), (2, 2), "{contacts:?}");
    // Each rep's first sequence step is theirs: on their own list today, two each.
    for (who, desk) in [&t.ana, &t.bob] {
        let today = desk.json(&["today"]);
        let calls = today["today"].as_array().map_or(0, Vec::len);
        assert_eq!(calls, 2, "{who}: {today}");
    }
    // The import is undone whole, owners and all.
    m.ok(&["undo"]);
    assert_eq!(t.owner.json(&["contact", "list"]), serde_json::json!([]));
    m.ok(&["import", csv, "--assign", ana]);
    assert_eq!(mine_of(&t.owner, ana), 4);
    // A rep's own import is theirs, through the server's checks as any insert.
    let own = t.bob.1.file("own.csv");
    std::fs::write(&own, "name,email\nBo Own,bo@own.io\n").expect("csv");
    t.bob.1.ok(&["import", own.to_str().expect("utf-8")]);
    assert_eq!(mine_of(&t.owner, bob), 1);
}

fn mine_of(b: &Book, who: &str) -> usize {
    owners(&b.json(&["contact", "list"]))
        .iter()
        .filter(|(_, o)| o == who)
        .count()
}

#[test]
fn each_user_is_reminded_of_their_own() {
    use crate::remind::{at, remind_cmd, sent};
    // A Monday: a workday has a morning summary.
    const MON: &str = "2026-12-07";
    let Some(t) = Team::new() else {
        return;
    };
    seed(&t);
    let morning = at(MON, "08:00:00");
    for (lead, desk) in [("Ana Lead", &t.ana.1), ("Bob Lead", &t.bob.1)] {
        desk.configure("[remind]\nvia = [\"print\"]\nmorning = \"08:00\"\n");
        remind_cmd(desk, &morning)
            .args(["follow-up", lead, "today", "15:00", &format!("ring {lead}")])
            .assert()
            .success();
    }
    // Each morning summary is its user's own: neither takes the other's day.
    let ana_morning = sent(&t.ana.1, &at(MON, "08:01:00"));
    let bob_morning = sent(&t.bob.1, &at(MON, "08:01:00"));
    assert!(
        !ana_morning.is_empty() && !bob_morning.is_empty(),
        "{ana_morning}|{bob_morning}"
    );
    assert!(
        ana_morning.contains("Ana Lead") && !ana_morning.contains("Bob Lead"),
        "{ana_morning}"
    );
    assert!(
        bob_morning.contains("Bob Lead") && !bob_morning.contains("Ana Lead"),
        "{bob_morning}"
    );
    // At 15:00 each hears of their own call only.
    let ana = sent(&t.ana.1, &at(MON, "15:00:30"));
    assert!(
        ana.contains("ring Ana Lead") && !ana.contains("Bob"),
        "{ana}"
    );
    let bob = sent(&t.bob.1, &at(MON, "15:00:30"));
    assert!(
        bob.contains("ring Bob Lead") && !bob.contains("Ana"),
        "{bob}"
    );
}

#[test]
fn the_team_settings_in_the_book_are_every_desks() {
    let Some(t) = Team::new() else {
        return;
    };
    let m = &t.manager.1;
    assert!(
        m.ok(&["team", "settings"])
            .contains("no settings in the book yet")
    );
    assert_eq!(m.json(&["team", "settings"]), Value::Null);
    let file = m.file("team.toml");
    std::fs::write(
        &file,
        "currency = \"EUR\"\n[follow_up]\nsnooze = \"+2d\"\n\
         [pipelines.field]\nstages = [{ name = \"Visit\", probability = 20 }, \
         { name = \"Offer\", probability = 60 }]\n",
    )
    .expect("config");
    let file = file.to_str().expect("utf-8");
    // Only a manager sets them, and a file that is no config is refused whole.
    assert!(
        t.ana
            .1
            .fails(&["team", "settings", "--import", file], 2)
            .contains("only a manager")
    );
    let broken = m.file("broken.toml");
    std::fs::write(&broken, "[pipelines.x]\nstages = []\n").expect("config");
    m.fails(
        &[
            "team",
            "settings",
            "--import",
            broken.to_str().expect("utf-8"),
        ],
        2,
    );
    let out = m.ok(&["team", "settings", "--import", file]);
    assert!(out.contains("currency, pipelines"), "{out}");
    let json = t.ana.1.json(&["team", "settings"]);
    assert_eq!(json["currency"], Value::from("EUR"), "{json}");
    assert!(
        json.get("follow_up").is_none(),
        "personal sections stay personal: {json}"
    );

    // Ana's own config says GBP and other stages: the team's apply, and she is told.
    t.ana.1.configure(
        "currency = \"GBP\"\n[pipeline]\nstages = [{ name = \"Mine\", probability = 5 }]\n",
    );
    t.ana.1.ok(&["contact", "add", "--name", "Ana Lead"]);
    let add = t
        .ana
        .1
        .cmd()
        .args([
            "deal",
            "add",
            "--title",
            "Big one",
            "--contact",
            "Ana Lead",
            "--value",
            "100",
        ])
        .output()
        .expect("run");
    assert!(
        add.status.success(),
        "{}",
        String::from_utf8_lossy(&add.stderr)
    );
    assert!(String::from_utf8_lossy(&add.stderr).contains("team's settings apply"));
    let deal = t.bob.1.json(&["deal", "show", "1"]);
    assert_eq!(
        (
            &deal["deal"]["currency"],
            &deal["deal"]["pipeline"],
            &deal["deal"]["stage"]
        ),
        (
            &Value::from("EUR"),
            &Value::from("field"),
            &Value::from("Visit")
        ),
        "{deal}"
    );
    // psql as a rep cannot change them either.
    let mut ana = t.psql(&t.ana.0);
    let n = ana
        .execute(
            "UPDATE meta SET value = 'currency = \"JPY\"' WHERE key = 'team_settings'",
            &[],
        )
        .unwrap_or(0);
    assert_eq!(n, 0);
    assert_eq!(
        t.bob.1.json(&["team", "settings"])["currency"],
        Value::from("EUR")
    );
}

#[test]
fn a_private_note_stays_private_through_an_export_and_an_import() {
    let a = Book::new();
    a.ok(&["contact", "add", "--name", "Ana"]);
    a.ok(&["note", "Ana", "between us", "--private"]);
    a.ok(&["note", "Ana", "for all"]);
    let file = a.file("book.json");
    a.ok(&[
        "export",
        "--format",
        "json",
        "-o",
        file.to_str().expect("utf-8"),
    ]);
    let mut targets = vec![Book::new()];
    targets.extend(Book::server());
    for b in &targets {
        b.ok(&["import", file.to_str().expect("utf-8")]);
        let notes = b.json(&["contact", "show", "Ana"])["notes"].clone();
        let private: Vec<(&str, bool)> = notes
            .as_array()
            .expect("notes")
            .iter()
            .map(|n| (n["body"].as_str().unwrap_or(""), n["private"] == true))
            .collect();
        assert_eq!(
            private,
            vec![("for all", false), ("between us", true)],
            "{notes}"
        );
    }
}
