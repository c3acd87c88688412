//! Several pipelines, renewals and referrals through the real binary (docs/MANUAL.md,
//! "Pipelines, renewals and referrals"): the old `[pipeline]` and an old book upgraded, deals
//! per pipeline, Unfiled, the renewal a win opens and its undo, the referral ask once.

use crate::support::Book;
use serde_json::Value;

pub const TWO: &str = r#"
[pipelines.sales]
stages = [{ name = "Lead", probability = 10 }, { name = "Proposal", probability = 50 }]
renew = { into = "renewals", after = "11m" }

[pipelines.renewals]
stages = [{ name = "Upcoming", probability = 70 }, { name = "Quoted", probability = 85 }]

[referrals]
ask_after = "30d"
"#;

pub(crate) fn deal(b: &Book, id: i64) -> Value {
    b.json(&["deal", "show", &id.to_string(), "--json"])["deal"].clone()
}

pub(crate) fn titles(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("a list")
        .iter()
        .map(|d| d["title"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Two pipelines, Ana with a deal in sales at Proposal.
fn two() -> Book {
    let b = Book::with_config(TWO);
    b.contact(&["--name", "Ana Pereira"]);
    b.ok(&[
        "deal",
        "add",
        "--title",
        "Rollout",
        "--contact",
        "ana",
        "--value",
        "12k",
        "--stage",
        "prop",
    ]);
    b
}

#[test]
fn deals_go_in_the_first_pipeline_or_the_one_named() {
    let b = two();
    assert_eq!(deal(&b, 1)["pipeline"], "sales");
    b.ok(&[
        "deal",
        "add",
        "--title",
        "Support",
        "--contact",
        "ana",
        "--pipeline",
        "ren",
    ]);
    let d = deal(&b, 2);
    assert_eq!(d["pipeline"], "renewals");
    assert_eq!(d["stage"], "Upcoming");
    let only = b.json(&["deal", "list", "--pipeline", "renewals", "--json"]);
    assert_eq!(titles(&only), ["Support"]);
    let e = b.fails(
        &[
            "deal",
            "add",
            "--title",
            "X",
            "--contact",
            "ana",
            "--pipeline",
            "nope",
        ],
        2,
    );
    assert!(e.contains("sales, renewals"), "{e}");
}

#[test]
fn a_stage_of_another_pipeline_is_refused_naming_the_stages() {
    let b = two();
    let e = b.fails(&["deal", "move", "1", "quoted"], 2);
    assert!(e.contains("Lead, Proposal"), "{e}");
    assert_eq!(deal(&b, 1)["stage"], "Proposal");
    b.ok(&["deal", "move", "1", "lead"]);
    assert_eq!(deal(&b, 1)["stage"], "Lead");
}

#[test]
fn a_notes_stage_word_is_read_in_its_deals_pipeline() {
    // `#qu` names Qualified in sales (the first pipeline) and Quoted in renewals.
    let b = Book::with_config(
        "[pipelines.sales]\nstages = [{ name = \"Lead\", probability = 10 }, { name = \"Qualified\", probability = 30 }]\n\
         [pipelines.renewals]\nstages = [{ name = \"Upcoming\", probability = 70 }, { name = \"Quoted\", probability = 85 }]\n",
    );
    b.contact(&["--name", "Ana Pereira"]);
    b.ok(&[
        "deal",
        "add",
        "--title",
        "Support",
        "--contact",
        "ana",
        "--pipeline",
        "renewals",
    ]);
    b.ok(&["note", "ana", "sent the quote #qu", "--deal", "1"]);
    assert_eq!(deal(&b, 1)["stage"], "Quoted");
    let err = b.fails(&["note", "ana", "back to it #lead", "--deal", "1"], 2);
    assert!(err.contains("#lead"), "{err}");
    assert_eq!(deal(&b, 1)["stage"], "Quoted", "nothing saved");
}

#[test]
fn moving_to_another_pipeline_takes_its_first_stage_or_the_one_given_in_the_history() {
    let b = two();
    b.ok(&["deal", "edit", "1", "--pipeline", "renewals"]);
    let d = deal(&b, 1);
    assert_eq!(
        (d["pipeline"].as_str(), d["stage"].as_str()),
        (Some("renewals"), Some("Upcoming"))
    );
    let last = d["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["event"].as_str(), last["stage"].as_str()),
        (Some("stage"), Some("Upcoming"))
    );
    b.ok(&[
        "deal",
        "edit",
        "1",
        "--pipeline",
        "sales",
        "--stage",
        "prop",
        "--value",
        "13k",
    ]);
    let d = deal(&b, 1);
    assert_eq!(d["stage"], "Proposal");
    assert_eq!(d["value_cents"], 1_300_000);
    // A stage of the pipeline it leaves is refused, and nothing changes.
    b.fails(
        &[
            "deal",
            "edit",
            "1",
            "--pipeline",
            "renewals",
            "--stage",
            "lead",
        ],
        2,
    );
    assert_eq!(deal(&b, 1)["pipeline"], "sales");
    // One undo puts it back where it was.
    b.ok(&["undo"]);
    assert_eq!(deal(&b, 1)["pipeline"], "renewals");
}

/// The book of `b` at the schema before pipelines, with Ana and her deal at Warm.
fn old_book_with_a_warm_deal(b: &Book) {
    std::fs::create_dir_all(b.path().parent().unwrap()).unwrap();
    {
        let mut c = rusqlite::Connection::open(b.path()).unwrap();
        salesdesk::storage::migrate_to(&mut c, None, salesdesk::storage::SCHEMA_VERSION - 1)
            .unwrap();
        let t = "2026-11-01T00:00:00Z";
        c.execute_batch(&format!(
            "INSERT INTO contacts(name, name_key, created_at, updated_at)
               VALUES ('Ana', 'ana', '{t}', '{t}');
             INSERT INTO deals(title, contact_id, currency, stage, stage_entered_at, created_at, updated_at)
               VALUES ('Old deal', 1, 'USD', 'Warm', '{t}', '{t}', '{t}');"
        ))
        .unwrap();
    }
}

#[test]
fn the_old_config_and_an_old_book_upgrade_into_sales() {
    let b = Book::with_config(
        "[pipeline]\nstages = [{ name = \"Cold\", probability = 5 }, { name = \"Warm\", probability = 40 }]\n",
    );
    old_book_with_a_warm_deal(&b);
    let d = deal(&b, 1);
    assert_eq!(
        (d["pipeline"].as_str(), d["stage"].as_str()),
        (Some("sales"), Some("Warm"))
    );
    b.ok(&["deal", "move", "1", "cold"]);
    let listed = b.json(&["deal", "list", "--pipeline", "sales", "--json"]);
    assert_eq!(titles(&listed), ["Old deal"]);
    assert!(b.ok(&["db", "check"]).contains("ok"));
}

#[test]
fn an_old_book_opened_with_new_pipelines_puts_its_deals_in_the_first() {
    let b = Book::with_config(
        "[pipelines.new-biz]\nstages = [{ name = \"Cold\", probability = 5 }, { name = \"Warm\", probability = 40 }]\n\
         [pipelines.sales]\nstages = [{ name = \"Lead\", probability = 10 }]\n",
    );
    old_book_with_a_warm_deal(&b);
    let (code, _, err) = b.run(&["deal", "list", "--json"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("now in new-biz"), "said once: {err}");
    assert_eq!(deal(&b, 1)["pipeline"], "new-biz");
    // Done once: a deal added to sales later stays there.
    b.ok(&[
        "deal",
        "add",
        "--title",
        "Later",
        "--contact",
        "ana",
        "--pipeline",
        "sales",
    ]);
    let (_, _, err) = b.run(&["deal", "list", "--json"]);
    assert!(!err.contains("now in"), "{err}");
    assert_eq!(deal(&b, 2)["pipeline"], "sales");
    assert!(b.ok(&["db", "check"]).contains("ok"));
}

#[test]
fn a_pipeline_removed_from_the_config_shows_its_deals_under_unfiled() {
    let b = two();
    b.ok(&[
        "deal",
        "add",
        "--title",
        "Support",
        "--contact",
        "ana",
        "--pipeline",
        "renewals",
    ]);
    std::fs::write(
        &b.config,
        "[pipelines.sales]\nstages = [{ name = \"Lead\", probability = 10 }, { name = \"Proposal\", probability = 50 }]\n",
    )
    .unwrap();
    let unfiled = b.json(&["deal", "list", "--pipeline", "unfiled", "--json"]);
    assert_eq!(titles(&unfiled), ["Support"]);
    assert_eq!(unfiled[0]["pipeline"], "renewals", "its name is kept");
    assert_eq!(
        titles(&b.json(&["deal", "list", "--json"])).len(),
        2,
        "nothing hidden"
    );
    // It can be moved into a pipeline that exists.
    let e = b.fails(&["deal", "move", "2", "lead"], 2);
    assert!(e.contains("Unfiled"), "{e}");
    b.ok(&["deal", "edit", "2", "--pipeline", "sales"]);
    assert_eq!(deal(&b, 2)["stage"], "Lead");
}

#[test]
fn a_win_opens_the_renewal_and_its_follow_up_and_undo_removes_them() {
    let b = two();
    let out = b.ok(&["deal", "won", "1"]);
    assert!(out.contains("renewal deal #2 opened in renewals"), "{out}");
    let r = deal(&b, 2);
    assert_eq!(r["title"], "Renewal: Rollout");
    assert_eq!(
        (r["pipeline"].as_str(), r["stage"].as_str()),
        (Some("renewals"), Some("Upcoming"))
    );
    assert_eq!(r["value_cents"], 1_200_000);
    assert_eq!(r["contact_id"], 1);
    assert_eq!(r["expected_close"], "2027-11-23");
    let fus = b.json(&["follow-up", "list", "--json"]);
    let on_renewal: Vec<&Value> = fus
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["deal_id"] == 2)
        .collect();
    assert_eq!(on_renewal.len(), 1);
    // Eleven months after Mon 23 Nov 2026 is Sat 23 Oct 2027: the next workday, Mon 25 Oct.
    assert_eq!(on_renewal[0]["due_at"], "2027-10-25");
    b.ok(&["undo"]);
    assert_eq!(deal(&b, 1)["status"], "open");
    b.fails(&["deal", "show", "2"], 2);
    assert!(
        b.json(&["follow-up", "list", "--json"])
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn won_reopened_and_won_again_opens_one_renewal() {
    let b = two();
    b.ok(&["deal", "won", "1"]);
    b.ok(&["deal", "reopen", "1"]);
    let out = b.ok(&["deal", "won", "1"]);
    assert!(!out.contains("renewal deal"), "{out}");
    let all = b.json(&["deal", "list", "--json"]);
    let renewals = titles(&all)
        .into_iter()
        .filter(|t| t.starts_with("Renewal:"))
        .count();
    assert_eq!(renewals, 1);
}

#[test]
fn a_renewal_renews_again_only_where_its_pipeline_has_renew() {
    let b = two();
    b.ok(&["deal", "won", "1"]);
    b.ok(&["deal", "won", "2"]);
    // renewals has no renew: nothing new.
    let all = b.json(&["deal", "list", "--json"]);
    assert_eq!(all.as_array().unwrap().len(), 2);
    let chained = Book::with_config(&TWO.replace(
        "[pipelines.renewals]\n",
        "[pipelines.renewals]\nrenew = { into = \"renewals\", after = \"11m\" }\n",
    ));
    chained.contact(&["--name", "Ana Pereira"]);
    chained.ok(&["deal", "add", "--title", "Rollout", "--contact", "ana"]);
    chained.ok(&["deal", "won", "1"]);
    chained.ok(&["deal", "won", "2"]);
    assert_eq!(deal(&chained, 3)["title"], "Renewal: Rollout");
    assert_eq!(deal(&chained, 3)["pipeline"], "renewals");
}

#[test]
fn closing_cancels_the_deals_follow_ups_but_never_what_the_win_opens() {
    let b = two();
    b.ok(&["follow-up", "ana", "tomorrow", "send terms", "--deal", "1"]);
    let out = b.ok(&["deal", "won", "1"]);
    assert!(out.contains("1 open follow-up cancelled"), "{out}");
    let open: Vec<String> = b
        .json(&["follow-up", "list", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] != "cancelled")
        .map(|f| f["text"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(open.len(), 2, "{open:?}");
    assert!(
        open.contains(&"Ask Ana Pereira for a referral".to_string()),
        "{open:?}"
    );
}

#[test]
fn the_referral_ask_comes_a_workday_after_ask_after_and_never_twice() {
    let b = two();
    b.ok(&["deal", "add", "--title", "Second", "--contact", "ana"]);
    b.ok(&["deal", "won", "1"]);
    b.ok(&["deal", "won", "2"]);
    let asks: Vec<Value> = b
        .json(&["follow-up", "list", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["text"] == "Ask Ana Pereira for a referral")
        .cloned()
        .collect();
    assert_eq!(asks.len(), 1, "one ask, not two");
    // 30 days after Mon 23 Nov 2026 is Wed 23 Dec 2026.
    assert_eq!(asks[0]["due_at"], "2026-12-23");
    // Done, a later win asks again.
    b.ok(&["done", &asks[0]["id"].to_string()]);
    b.ok(&["deal", "add", "--title", "Third", "--contact", "ana"]);
    let out = b.ok(&["deal", "won", "5"]);
    assert!(out.contains("referral ask"), "{out}");
    // Off with ask_after = "".
    let off = Book::with_config(&TWO.replace("ask_after = \"30d\"", "ask_after = \"\""));
    off.contact(&["--name", "Bo"]);
    off.ok(&["deal", "add", "--title", "X", "--contact", "bo"]);
    let out = off.ok(&["deal", "won", "1"]);
    assert!(!out.contains("referral"), "{out}");
}

#[test]
fn a_referral_ask_moves_off_the_weekend() {
    let mut b = two();
    // Fri 20 Nov 2026 + 30d is Sun 20 Dec: the ask is on Mon 21 Dec.
    b.now = "2026-11-20T09:00:00+00:00".into();
    b.ok(&["deal", "won", "1"]);
    let ask = b
        .json(&["follow-up", "list", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["text"] == "Ask Ana Pereira for a referral")
        .cloned()
        .expect("an ask");
    assert_eq!(ask["due_at"], "2026-12-21");
}

#[test]
fn referred_by_both_ways_and_the_source() {
    let b = two();
    b.contact(&["--name", "Bo Chen", "--referred-by", "ana"]);
    b.contact(&[
        "--name",
        "Cy Dee",
        "--source",
        "event",
        "--referred-by",
        "ana",
    ]);
    let bo = b.contact_named("Bo Chen");
    assert_eq!(bo["referred_by"]["id"], 1);
    assert_eq!(bo["referred_by"]["name"], "Ana Pereira");
    assert_eq!(bo["source"], "referral");
    assert_eq!(
        b.contact_named("Cy Dee")["source"],
        "event",
        "a source given stays"
    );
    assert_eq!(b.contact_named("Ana Pereira")["referrals"], 2);
    assert_eq!(b.contact_named("Ana Pereira")["referred_by"], Value::Null);
    b.ok(&["contact", "edit", "cy", "--referred-by", ""]);
    assert_eq!(b.contact_named("Cy Dee")["referred_by"], Value::Null);
    assert_eq!(b.contact_named("Ana Pereira")["referrals"], 1);
    b.fails(&["contact", "edit", "bo", "--referred-by", "bo"], 2);
    b.fails(&["contact", "edit", "bo", "--referred-by", "nobody"], 2);
    let shown = b.ok(&["contact", "show", "ana"]);
    assert!(shown.contains("Bo Chen"), "{shown}");
}

#[test]
fn bad_pipeline_configs_are_refused_with_their_line() {
    let b = Book::with_config(
        "[pipelines.sales]\nstages = [{ name = \"Lead\", probability = 10 }]\nrenew = { into = \"nowhere\", after = \"11m\" }\n",
    );
    let e = b.fails(&["deal", "list"], 2);
    assert!(e.contains("line 3"), "{e}");
    assert!(e.contains("nowhere"), "{e}");
}

/// Ana referred Bo and Cy, Bo referred Di; sales: Ana's A1 (10k, Lead), Bo's B1 (20k,
/// Proposal, won); renewals: Cy's C1 (5k, Upcoming) and B1's renewal (20k, Upcoming).
fn counted() -> Book {
    let b = Book::with_config(TWO);
    b.contact(&["--name", "Ana Pereira", "--source", "event"]);
    b.contact(&["--name", "Bo Chen", "--referred-by", "ana"]);
    b.contact(&["--name", "Cy Dee", "--referred-by", "ana"]);
    b.contact(&["--name", "Di Ek", "--referred-by", "bo"]);
    b.ok(&[
        "deal",
        "add",
        "--title",
        "A1",
        "--contact",
        "ana",
        "--value",
        "10k",
    ]);
    b.ok(&[
        "deal",
        "add",
        "--title",
        "B1",
        "--contact",
        "bo",
        "--value",
        "20k",
        "--stage",
        "prop",
    ]);
    b.ok(&[
        "deal",
        "add",
        "--title",
        "C1",
        "--contact",
        "cy",
        "--value",
        "5k",
        "--pipeline",
        "renewals",
    ]);
    b.ok(&["deal", "won", "2"]);
    b
}

pub(crate) fn lines(r: &Value) -> Vec<(String, String, i64, i64, i64)> {
    r["pipeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["pipeline"].as_str().unwrap().to_string(),
                s["stage"].as_str().unwrap().to_string(),
                s["count"].as_i64().unwrap(),
                s["value_cents"].as_i64().unwrap(),
                s["weighted_cents"].as_i64().unwrap(),
            )
        })
        .collect()
}

pub(crate) fn line(p: &str, s: &str, n: i64, v: i64, w: i64) -> (String, String, i64, i64, i64) {
    (p.into(), s.into(), n, v, w)
}

#[test]
fn the_report_per_pipeline_against_a_hand_counted_book() {
    let b = counted();
    let sales = b.json(&["report", "--pipeline", "sales", "--json"]);
    assert_eq!(
        lines(&sales),
        [
            line("sales", "Lead", 1, 1_000_000, 100_000),
            line("sales", "Proposal", 0, 0, 0),
        ]
    );
    assert_eq!(sales["won"]["count"], 1);
    assert_eq!(sales["won"]["value_cents"], 2_000_000);
    let renewals = b.json(&["report", "--pipeline", "renewals", "--json"]);
    assert_eq!(
        lines(&renewals),
        [
            line("renewals", "Upcoming", 2, 2_500_000, 1_750_000),
            line("renewals", "Quoted", 0, 0, 0),
        ]
    );
    assert_eq!(renewals["won"]["count"], 0);
    let all = b.json(&["report", "--json"]);
    assert_eq!(lines(&all).len(), 4);
    assert_eq!(all["won"]["count"], 1);
    let text = b.ok(&["report", "--pipeline", "renewals"]);
    assert!(text.contains("Upcoming 70%"), "{text}");
    b.fails(&["report", "--pipeline", "nope"], 2);
}

#[test]
fn the_report_lists_the_top_referrers() {
    let b = counted();
    let r = b.json(&["report", "--json"]);
    let refs = r["referrals"].as_array().unwrap();
    assert_eq!(refs.len(), 2);
    assert_eq!(refs[0]["name"], "Ana Pereira");
    assert_eq!(refs[0]["contact_id"], 1);
    assert_eq!(refs[0]["referred"], 2);
    assert_eq!(refs[0]["customers"], 1);
    assert_eq!(refs[0]["won_cents"], 2_000_000);
    assert_eq!(refs[1]["name"], "Bo Chen");
    assert_eq!(
        (refs[1]["referred"].as_i64(), refs[1]["customers"].as_i64()),
        (Some(1), Some(0))
    );
    let text = b.ok(&["report"]);
    assert!(text.contains("Top referrers"), "{text}");
}

#[test]
fn a_json_round_trip_keeps_pipelines_and_referrers() {
    let a = counted();
    let file = a.file("book.json");
    a.ok(&["export", "--format", "json", "-o", file.to_str().unwrap()]);
    let first = std::fs::read_to_string(&file).unwrap();
    let b = Book::with_config(TWO);
    b.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(deal(&b, 3)["pipeline"], "renewals");
    assert_eq!(b.contact_named("Di Ek")["referred_by"]["name"], "Bo Chen");
    let again = b.ok(&["export", "--format", "json"]);
    assert_eq!(first.trim_end(), again.trim_end());
}

#[test]
fn a_json_export_from_before_pipelines_lands_in_the_first_pipeline() {
    let config = "[pipelines.new-biz]\nstages = [{ name = \"Lead\", probability = 10 }]\n";
    let a = Book::with_config(config);
    a.contact(&["--name", "Ana"]);
    a.ok(&["deal", "add", "--title", "Old", "--contact", "ana"]);
    let file = a.file("book.json");
    a.ok(&["export", "--format", "json", "-o", file.to_str().unwrap()]);
    // As an export made before pipelines: no deal names one.
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    for d in v["deals"].as_array_mut().unwrap() {
        assert!(d.as_object_mut().unwrap().remove("pipeline").is_some());
    }
    std::fs::write(&file, v.to_string()).unwrap();
    let b = Book::with_config(config);
    b.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(deal(&b, 1)["pipeline"], "new-biz");
}

#[test]
fn csv_exports_carry_the_pipeline_and_the_referrer() {
    let b = counted();
    let deals = b.ok(&["export", "--format", "csv", "--what", "deals"]);
    let mut rows = deals.lines();
    assert!(rows.next().unwrap().ends_with(",pipeline"), "{deals}");
    assert!(
        deals
            .lines()
            .any(|l| l.starts_with("3,C1,") && l.ends_with(",renewals")),
        "{deals}"
    );
    let contacts = b.ok(&["export", "--format", "csv", "--what", "contacts"]);
    assert!(
        contacts
            .lines()
            .next()
            .unwrap()
            .ends_with(",referred_by,referred_by_id"),
        "{contacts}"
    );
    assert!(
        contacts
            .lines()
            .any(|l| l.starts_with("4,Di Ek,") && l.ends_with(",Bo Chen,2")),
        "{contacts}"
    );
}

#[test]
fn merging_or_purging_a_referrer_keeps_the_contacts_they_referred() {
    let b = counted();
    b.contact(&["--name", "Ana Twin"]);
    // Ana merged into Ana Twin: Bo and Cy were referred by Ana Twin now.
    b.ok(&["contact", "merge", "1", "5"]);
    assert_eq!(
        b.contact_named("Bo Chen")["referred_by"]["name"],
        "Ana Twin"
    );
    assert_eq!(b.contact_named("Ana Twin")["referrals"], 2);
    // Di (referred by Bo) merged into a Di Twin with no referrer: the twin keeps Bo as hers.
    b.contact(&["--name", "Di Twin"]);
    b.ok(&["contact", "merge", "Di Ek", "Di Twin"]);
    assert_eq!(b.contact_named("Di Twin")["referred_by"]["name"], "Bo Chen");
    // Bo purged: Di Twin stays, referred by nobody, in the book's own rows too (an export).
    b.ok(&["contact", "purge", "bo", "--yes"]);
    assert_eq!(b.contact_named("Di Twin")["referred_by"], Value::Null);
    let export: Value = serde_json::from_str(&b.ok(&["export", "--format", "json"])).unwrap();
    let twin = export["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "Di Twin")
        .cloned()
        .unwrap();
    assert_eq!(twin["referred_by"], Value::Null, "{twin}");
    assert!(b.ok(&["db", "check"]).contains("ok"));
}

#[test]
fn a_json_import_refuses_a_referrer_not_in_the_file() {
    let a = counted();
    let file = a.file("book.json");
    a.ok(&["export", "--format", "json", "-o", file.to_str().unwrap()]);
    let text = std::fs::read_to_string(&file).unwrap();
    let mut v: Value = serde_json::from_str(&text).unwrap();
    v["contacts"][3]["referred_by"]["id"] = 99.into();
    std::fs::write(&file, v.to_string()).unwrap();
    let b = Book::with_config(TWO);
    let e = b.fails(&["import", file.to_str().unwrap()], 2);
    assert!(e.contains("referred_by 99"), "{e}");
}

#[test]
fn a_csv_import_takes_a_referrer_already_in_the_book() {
    let b = Book::with_config(TWO);
    b.contact(&["--name", "Ana Pereira"]);
    let file = b.file("leads.csv");
    std::fs::write(
        &file,
        "name,email,referred by\nBo Chen,bo@x.example,Ana Pereira\nCy Dee,cy@x.example,Nobody Known\n",
    )
    .unwrap();
    let out = b.ok(&["import", file.to_str().unwrap()]);
    assert!(out.contains("imported 2"), "{out}");
    let bo = b.contact_named("Bo Chen");
    assert_eq!(bo["referred_by"]["name"], "Ana Pereira");
    assert_eq!(bo["source"], "referral");
    assert_eq!(b.contact_named("Cy Dee")["referred_by"], Value::Null);
    assert_eq!(b.contact_named("Ana Pereira")["referrals"], 1);
    // One undo takes the import back whole.
    b.ok(&["undo"]);
    assert_eq!(b.contact_named("Ana Pereira")["referrals"], 0);
}
