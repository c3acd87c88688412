//! `report --owner NAME | --team` on a team's server book (issue 22): a rep's report is their
//! own rows, a manager reads a rep's or the whole team's, and every figure is cut. Two reps
//! each with rows behind every figure, in different amounts, so a figure read without its
//! owner's cut would count the other rep's rows too.

use serde_json::Value;

use crate::support::Book;
use crate::support::team::Team;

/// Ten days before the tests' now: the rows made then are a week old when the deals close.
const EARLIER: &str = "2026-11-13T09:00:00+00:00";

/// The id `deal add` printed.
fn added(out: &str) -> String {
    out.split(|c: char| !c.is_ascii_digit())
        .find(|s| !s.is_empty())
        .unwrap_or_else(|| panic!("no id in {out:?}"))
        .to_string()
}

/// What one rep does: `n` of each kind of row (contacts per source, a customer, referrals,
/// open, won and lost deals with close dates, overdue follow-ups, notes of every kind,
/// connected calls and one not, enrolments in a sequence).
fn work(desk: &mut Book, who: &str, n: usize) {
    desk.now = EARLIER.to_string();
    let lead = format!("{who} Lead");
    desk.ok(&["contact", "add", "--name", &lead, "--source", "event"]);
    let mut deals = Vec::new();
    for i in 0..n {
        let referred = format!("{who} Referral {i}");
        desk.ok(&[
            "contact",
            "add",
            "--name",
            &referred,
            "--referred-by",
            &lead,
        ]);
        desk.ok(&["sequence", "start", &referred, "intro"]);
        let customer = format!("{who} Customer {i}");
        desk.ok(&[
            "contact", "add", "--name", &customer, "--status", "customer",
        ]);
        for (kind, value) in [("open", 1000 + i), ("won", 300 * (i + 1)), ("lost", 70)] {
            let title = format!("{who} {kind} {i}");
            let value = value.to_string();
            let out = desk.ok(&[
                "deal",
                "add",
                "--title",
                &title,
                "--contact",
                &lead,
                "--value",
                &value,
                "--close",
                "2027-01-15",
            ]);
            deals.push((kind, added(&out)));
        }
        desk.ok(&["follow-up", &lead, "2026-11-20", "overdue by now"]);
    }
    desk.now = crate::support::NOW.to_string();
    for (kind, id) in &deals {
        match *kind {
            "open" => desk.ok(&["deal", "move", id, "Qualified"]),
            "won" => desk.ok(&["deal", "won", id]),
            _ => desk.ok(&["deal", "lost", id, "--reason", "price"]),
        };
    }
    let call = |outcome| {
        vec![
            "note",
            &lead,
            "rang",
            "--kind",
            "call",
            "--outcome",
            outcome,
        ]
    };
    desk.ok(&call("no-answer"));
    for _ in 0..n {
        desk.ok(&call("connected"));
        for kind in ["email", "meeting", "note"] {
            desk.ok(&["note", &lead, "touch", "--kind", kind]);
        }
    }
}

/// The team with the `intro` sequence in its settings; Ana does one of each, Bob two.
fn team() -> Option<Team> {
    let mut t = Team::new()?;
    let file = t.manager.1.file("team.toml");
    std::fs::write(
        &file,
        "[sequences.intro]\nsteps = [{ after = \"0d\", kind = \"call\", text = \"Intro\" }]\n",
    )
    .expect("config");
    t.manager.1.ok(&[
        "team",
        "settings",
        "--import",
        file.to_str().expect("utf-8"),
    ]);
    let ana = t.ana.0.clone();
    let bob = t.bob.0.clone();
    work(&mut t.ana.1, &ana, 1);
    work(&mut t.bob.1, &bob, 2);
    Some(t)
}

fn sum(v: &Value, list: &str, field: &str) -> i64 {
    v[list]
        .as_array()
        .unwrap_or_else(|| panic!("no {list} in {v}"))
        .iter()
        .map(|x| x[field].as_i64().unwrap_or(0))
        .sum()
}

/// Every figure of a report that adds up across owners, by name.
fn figures(v: &Value) -> Vec<(&'static str, i64)> {
    let n = |x: &Value| x.as_i64().unwrap_or_else(|| panic!("not a count: {x}"));
    vec![
        ("open deals", sum(v, "pipeline", "count")),
        ("open value", sum(v, "pipeline", "value_cents")),
        ("weighted", sum(v, "pipeline", "weighted_cents")),
        ("forecast", sum(v, "forecast", "weighted_cents")),
        ("won", n(&v["won"]["count"])),
        ("won value", n(&v["won"]["value_cents"])),
        ("lost", n(&v["lost"]["count"])),
        ("lost value", n(&v["lost"]["value_cents"])),
        ("stays", sum(v, "stage_days", "stays")),
        ("contacts", sum(v, "sources", "contacts")),
        ("customers", sum(v, "sources", "customers")),
        ("won by source", sum(v, "sources", "won_cents")),
        ("calls", sum(v, "activity", "call")),
        ("emails", sum(v, "activity", "email")),
        ("meetings", sum(v, "activity", "meeting")),
        ("notes", sum(v, "activity", "note")),
        ("connected", n(&v["calls"]["connected"])),
        ("with outcome", n(&v["calls"]["with_outcome"])),
        ("overdue", n(&v["overdue"])),
        ("enrolled", sum(v, "sequences", "enrolled")),
        ("referred", sum(v, "referrals", "referred")),
        ("reps' won", sum(v, "reps", "won")),
        ("reps' calls", sum(v, "reps", "calls")),
        ("reps' pipeline", sum(v, "reps", "pipeline_cents")),
    ]
}

#[test]
fn a_reps_report_counts_their_rows_only() {
    let Some(t) = team() else {
        return;
    };
    let (ana, bob) = (&t.ana.0, &t.bob.0);
    let mine = t.ana.1.json(&["report"]);
    let his = t.bob.1.json(&["report"]);
    assert_eq!(mine["owner"], Value::from(ana.clone()));
    // Every figure is there on both sides, and no two are the same: one read without its
    // cut would give each rep the sum.
    for ((name, a), (_, b)) in figures(&mine).into_iter().zip(figures(&his)) {
        assert!(a > 0 && b > 0, "{name}: {a} and {b}");
        assert_ne!(a, b, "{name}");
    }
    // Exactly what each did: one of each for Ana.
    assert_eq!(
        (&mine["won"]["count"], &his["won"]["count"]),
        (&1.into(), &2.into())
    );
    // Her follow-up and her sequence's first step, both due last week.
    assert_eq!(mine["overdue"], Value::from(2));
    assert_eq!(mine["connect_rate"], Value::from(0.5));
    assert_eq!(his["calls"]["with_outcome"], Value::from(3));
    assert_eq!(mine["sequences"][0]["enrolled"], Value::from(1));
    // The table has the rep's line alone.
    let reps = mine["reps"].as_array().expect("reps");
    assert_eq!(reps.len(), 1, "{reps:?}");
    assert_eq!(reps[0]["owner"], Value::from(ana.clone()));
    let text = t.ana.1.ok(&["report"]);
    assert!(!text.contains("Reps") && !text.contains("'s,"), "{text}");
    assert!(!text.contains(bob.as_str()), "{text}");
    let text = t.manager.1.ok(&["report", "--owner", ana]);
    assert!(text.contains(&format!("{ana}'s, money in")), "{text}");
}

#[test]
fn a_manager_reads_a_reps_report_or_the_teams() {
    let Some(t) = team() else {
        return;
    };
    let (ana, bob, m) = (&t.ana.0, &t.bob.0, &t.manager.1);
    assert_eq!(
        m.json(&["report", "--owner", ana]),
        t.ana.1.json(&["report"])
    );
    assert_eq!(
        m.json(&["report", "--owner", bob]),
        t.bob.1.json(&["report"])
    );
    // The manager's own report: they did nothing.
    let own = m.json(&["report"]);
    assert_eq!(own["won"]["count"], Value::from(0));
    assert_eq!(own["overdue"], Value::from(0));
    // The team's is the sum of everyone's, with a line per member.
    let team = m.json(&["report", "--team"]);
    assert_eq!(team["owner"], Value::Null);
    let (a, b) = (t.ana.1.json(&["report"]), t.bob.1.json(&["report"]));
    for (((name, all), (_, x)), (_, y)) in
        figures(&team).into_iter().zip(figures(&a)).zip(figures(&b))
    {
        assert_eq!(all, x + y, "{name}");
    }
    // Everyone on the team: the two reps, the manager and the book's owner (its first manager).
    assert_eq!(team["reps"].as_array().map(Vec::len), Some(4));
    assert_eq!(
        team["reps"][0]["owner"],
        Value::from(bob.clone()),
        "most won first"
    );
    let text = m.ok(&["report", "--team"]);
    assert!(
        text.contains("the whole team's") && text.contains("Reps"),
        "{text}"
    );
    // Naming oneself is one's own report; a name not on the team is refused.
    assert_eq!(m.json(&["report", "--owner", &t.manager.0]), own);
    let e = m.fails(&["report", "--owner", "nobody_here"], 2);
    assert!(e.contains("not on the team"), "{e}");
}

#[test]
fn a_rep_reads_no_one_elses_report() {
    let Some(t) = Team::new() else {
        return;
    };
    let (ana, bob) = (&t.ana.0, &t.bob.0);
    for args in [&["report", "--team"][..], &["report", "--owner", bob]] {
        let e = t.ana.1.fails(args, 2);
        assert!(e.contains("only a manager"), "{args:?}: {e}");
    }
    // Their own name is their own report.
    assert_eq!(
        t.ana.1.json(&["report", "--owner", ana]),
        t.ana.1.json(&["report"])
    );
}

#[test]
fn a_personal_books_report_is_all_of_it() {
    let b = Book::new();
    b.ok(&["contact", "add", "--name", "Ana"]);
    b.ok(&[
        "deal",
        "add",
        "--title",
        "D",
        "--contact",
        "Ana",
        "--value",
        "10",
    ]);
    for args in [&["report", "--team"][..], &["report", "--owner", "me"]] {
        let e = b.fails(args, 2);
        assert!(e.contains("PostgreSQL server"), "{args:?}: {e}");
    }
    let r = b.json(&["report"]);
    assert_eq!(r["owner"], Value::from("me"));
    assert_eq!(sum(&r, "pipeline", "count"), 1);
    assert_eq!(sum(&r, "sources", "contacts"), 1);
    let text = b.ok(&["report"]);
    assert!(
        text.starts_with("Report from") && !text.contains("'s,"),
        "{text}"
    );
}
