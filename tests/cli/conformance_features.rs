//! The conformance suite for pipelines, renewals, referrals and sequences (see
//! `conformance.rs`): the bodies of tests/cli/pipelines.rs and sequences.rs on a SQLite book
//! and on a PostgreSQL one. Left out: the two pipelines tests of a SQLite book made at an old
//! schema (a server book has no old schemas of SQLite's).

use crate::pipelines::{TWO, deal, line, lines, titles};
use crate::sequences::{
    NEW_LEAD, active, assert_stopped, follow_ups, only_open, open_steps, timeline,
};
use crate::support::{Book, conformance};
use serde_json::Value;

/// tests/cli/pipelines.rs `two`, in the test's own book.
fn two_in(b: &Book) {
    b.configure(TWO);
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
}

/// tests/cli/pipelines.rs `counted`, in the test's own book.
fn counted_in(b: &Book) {
    b.configure(TWO);
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
}

/// tests/cli/sequences.rs `started`, in the test's own book.
fn started_in(b: &Book) {
    b.configure(NEW_LEAD);
    b.contact(&["--name", "Ana Pereira", "--email", "ana@example.com"]);
    b.ok(&["sequence", "start", "ana", "new-lead"]);
}

conformance! {
    /// tests/cli/pipelines.rs `deals_go_in_the_first_pipeline_or_the_one_named`.
    fn deals_go_in_the_first_pipeline_or_the_one_named(b: &Book) {
    two_in(b);
    assert_eq!(deal(b, 1)["pipeline"], "sales");
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
    let d = deal(b, 2);
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

    /// tests/cli/pipelines.rs `a_stage_of_another_pipeline_is_refused_naming_the_stages`.
    fn a_stage_of_another_pipeline_is_refused_naming_the_stages(b: &Book) {
    two_in(b);
    let e = b.fails(&["deal", "move", "1", "quoted"], 2);
    assert!(e.contains("Lead, Proposal"), "{e}");
    assert_eq!(deal(b, 1)["stage"], "Proposal");
    b.ok(&["deal", "move", "1", "lead"]);
    assert_eq!(deal(b, 1)["stage"], "Lead");
}

    /// tests/cli/pipelines.rs `a_notes_stage_word_is_read_in_its_deals_pipeline`.
    fn a_notes_stage_word_is_read_in_its_deals_pipeline(b: &Book) {
    // `#qu` names Qualified in sales (the first pipeline) and Quoted in renewals.
    b.configure("[pipelines.sales]\nstages = [{ name = \"Lead\", probability = 10 }, { name = \"Qualified\", probability = 30 }]\n\
         [pipelines.renewals]\nstages = [{ name = \"Upcoming\", probability = 70 }, { name = \"Quoted\", probability = 85 }]\n",);
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
    assert_eq!(deal(b, 1)["stage"], "Quoted");
    let err = b.fails(&["note", "ana", "back to it #lead", "--deal", "1"], 2);
    assert!(err.contains("#lead"), "{err}");
    assert_eq!(deal(b, 1)["stage"], "Quoted", "nothing saved");
}

    /// tests/cli/pipelines.rs `moving_to_another_pipeline_takes_its_first_stage_or_the_one_given_in_the_history`.
    fn moving_to_another_pipeline_takes_its_first_stage_or_the_one_given_in_the_history(b: &Book) {
    two_in(b);
    b.ok(&["deal", "edit", "1", "--pipeline", "renewals"]);
    let d = deal(b, 1);
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
    let d = deal(b, 1);
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
    assert_eq!(deal(b, 1)["pipeline"], "sales");
    // One undo puts it back where it was.
    b.ok(&["undo"]);
    assert_eq!(deal(b, 1)["pipeline"], "renewals");
}

    /// tests/cli/pipelines.rs `a_pipeline_removed_from_the_config_shows_its_deals_under_unfiled`.
    fn a_pipeline_removed_from_the_config_shows_its_deals_under_unfiled(b: &Book) {
    two_in(b);
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
    assert_eq!(deal(b, 2)["stage"], "Lead");
}

    /// tests/cli/pipelines.rs `a_win_opens_the_renewal_and_its_follow_up_and_undo_removes_them`.
    fn a_win_opens_the_renewal_and_its_follow_up_and_undo_removes_them(b: &Book) {
    two_in(b);
    let out = b.ok(&["deal", "won", "1"]);
    assert!(out.contains("renewal deal #2 opened in renewals"), "{out}");
    let r = deal(b, 2);
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
    assert_eq!(deal(b, 1)["status"], "open");
    b.fails(&["deal", "show", "2"], 2);
    assert!(
        b.json(&["follow-up", "list", "--json"])
            .as_array()
            .unwrap()
            .is_empty()
    );
}

    /// tests/cli/pipelines.rs `won_reopened_and_won_again_opens_one_renewal`.
    fn won_reopened_and_won_again_opens_one_renewal(b: &Book) {
    two_in(b);
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

    /// tests/cli/pipelines.rs `a_renewal_renews_again_only_where_its_pipeline_has_renew`.
    fn a_renewal_renews_again_only_where_its_pipeline_has_renew(b: &Book) {
    two_in(b);
    b.ok(&["deal", "won", "1"]);
    b.ok(&["deal", "won", "2"]);
    // renewals has no renew: nothing new.
    let all = b.json(&["deal", "list", "--json"]);
    assert_eq!(all.as_array().unwrap().len(), 2);
    let chained = Book::on_with_config(b.engine(), &TWO.replace(
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

    /// tests/cli/pipelines.rs `closing_cancels_the_deals_follow_ups_but_never_what_the_win_opens`.
    fn closing_cancels_the_deals_follow_ups_but_never_what_the_win_opens(b: &Book) {
    two_in(b);
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

    /// tests/cli/pipelines.rs `the_referral_ask_comes_a_workday_after_ask_after_and_never_twice`.
    fn the_referral_ask_comes_a_workday_after_ask_after_and_never_twice(b: &Book) {
    two_in(b);
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
    let off = Book::on_with_config(b.engine(), &TWO.replace("ask_after = \"30d\"", "ask_after = \"\""));
    off.contact(&["--name", "Bo"]);
    off.ok(&["deal", "add", "--title", "X", "--contact", "bo"]);
    let out = off.ok(&["deal", "won", "1"]);
    assert!(!out.contains("referral"), "{out}");
}

    /// tests/cli/pipelines.rs `a_referral_ask_moves_off_the_weekend`.
    fn a_referral_ask_moves_off_the_weekend(b: &mut Book) {
    two_in(b);
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

    /// tests/cli/pipelines.rs `referred_by_both_ways_and_the_source`.
    fn referred_by_both_ways_and_the_source(b: &Book) {
    two_in(b);
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

    /// tests/cli/pipelines.rs `bad_pipeline_configs_are_refused_with_their_line`.
    fn bad_pipeline_configs_are_refused_with_their_line(b: &Book) {
    b.configure("[pipelines.sales]\nstages = [{ name = \"Lead\", probability = 10 }]\nrenew = { into = \"nowhere\", after = \"11m\" }\n",);
    let e = b.fails(&["deal", "list"], 2);
    assert!(e.contains("line 3"), "{e}");
    assert!(e.contains("nowhere"), "{e}");
}

    /// tests/cli/pipelines.rs `the_report_per_pipeline_against_a_hand_counted_book`.
    fn the_report_per_pipeline_against_a_hand_counted_book(b: &Book) {
    counted_in(b);
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

    /// tests/cli/pipelines.rs `the_report_lists_the_top_referrers`.
    fn the_report_lists_the_top_referrers(b: &Book) {
    counted_in(b);
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

    /// tests/cli/pipelines.rs `a_json_round_trip_keeps_pipelines_and_referrers`.
    fn a_json_round_trip_keeps_pipelines_and_referrers(a: &Book) {
    counted_in(a);
    let file = a.file("book.json");
    a.ok(&["export", "--format", "json", "-o", file.to_str().unwrap()]);
    let first = std::fs::read_to_string(&file).unwrap();
    let b = Book::on_with_config(a.engine(), TWO);
    b.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(deal(&b, 3)["pipeline"], "renewals");
    assert_eq!(b.contact_named("Di Ek")["referred_by"]["name"], "Bo Chen");
    let again = b.ok(&["export", "--format", "json"]);
    assert_eq!(first.trim_end(), again.trim_end());
}

    /// tests/cli/pipelines.rs `a_json_export_from_before_pipelines_lands_in_the_first_pipeline`.
    fn a_json_export_from_before_pipelines_lands_in_the_first_pipeline(b: &Book) {
    let config = "[pipelines.new-biz]\nstages = [{ name = \"Lead\", probability = 10 }]\n";
    let a = Book::on_with_config(b.engine(), config);
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
    b.configure(config);
    b.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(deal(b, 1)["pipeline"], "new-biz");
}

    /// tests/cli/pipelines.rs `csv_exports_carry_the_pipeline_and_the_referrer`.
    fn csv_exports_carry_the_pipeline_and_the_referrer(b: &Book) {
    counted_in(b);
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

    /// tests/cli/pipelines.rs `merging_or_purging_a_referrer_keeps_the_contacts_they_referred`.
    fn merging_or_purging_a_referrer_keeps_the_contacts_they_referred(b: &Book) {
    counted_in(b);
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

    /// tests/cli/pipelines.rs `a_json_import_refuses_a_referrer_not_in_the_file`.
    fn a_json_import_refuses_a_referrer_not_in_the_file(a: &Book) {
    counted_in(a);
    let file = a.file("book.json");
    a.ok(&["export", "--format", "json", "-o", file.to_str().unwrap()]);
    let text = std::fs::read_to_string(&file).unwrap();
    let mut v: Value = serde_json::from_str(&text).unwrap();
    v["contacts"][3]["referred_by"]["id"] = 99.into();
    std::fs::write(&file, v.to_string()).unwrap();
    let b = Book::on_with_config(a.engine(), TWO);
    let e = b.fails(&["import", file.to_str().unwrap()], 2);
    assert!(e.contains("referred_by 99"), "{e}");
}

    /// tests/cli/pipelines.rs `a_csv_import_takes_a_referrer_already_in_the_book`.
    fn a_csv_import_takes_a_referrer_already_in_the_book(b: &Book) {
    b.configure(TWO);
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

    /// tests/cli/sequences.rs `start_schedules_the_first_step_and_a_second_start_is_refused`.
    fn start_schedules_the_first_step_and_a_second_start_is_refused(b: &Book) {
    started_in(b);
    let f = only_open(b);
    assert_eq!(f["text"], "Intro call");
    assert_eq!(f["kind"], "call");
    assert_eq!(f["due_at"], "2026-11-23");
    assert_eq!(
        f["sequence"],
        serde_json::json!({"name": "new-lead", "step": 1, "steps": 3})
    );
    let err = b.fails(&["sequence", "start", "ana", "new-lead"], 2);
    assert!(err.contains("already in sequence new-lead"), "{err}");
    let err = b.fails(&["sequence", "start", "ana", "nope"], 2);
    assert!(err.contains("no sequence"), "{err}");
    let list = active(b);
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["sequence"], "new-lead");
    assert_eq!(list[0]["step"], 1);
    assert_eq!(list[0]["steps"], 3);
    assert_eq!(list[0]["next_due"], "2026-11-23");
    assert_eq!(list[0]["retired"], false);
    assert!(
        list[0]["started_at"]
            .as_str()
            .unwrap()
            .starts_with("2026-11-23")
    );
}

    /// tests/cli/sequences.rs `an_ordinary_follow_up_has_a_null_sequence`.
    fn an_ordinary_follow_up_has_a_null_sequence(b: &Book) {
    b.configure(NEW_LEAD);
    b.contact(&["--name", "Bo Chen"]);
    b.ok(&["follow-up", "bo", "tomorrow", "call"]);
    let f = follow_ups(b);
    assert!(f[0].as_object().unwrap().contains_key("sequence"));
    assert!(f[0]["sequence"].is_null());
    let today = b.json(&["today", "--days", "3"]);
    assert!(today["upcoming"][0]["sequence"].is_null());
}

    /// tests/cli/sequences.rs `done_schedules_the_next_step_from_the_completion_and_the_last_finishes`.
    fn done_schedules_the_next_step_from_the_completion_and_the_last_finishes(b: &mut Book) {
    started_in(b);
    b.now = "2026-11-24T10:00:00+00:00".into(); // done a day late, on Tuesday
    let out = b.ok(&["done", "1"]);
    assert!(out.contains("next: follow-up #2"), "{out}");
    let f = only_open(b);
    assert_eq!(f["due_at"], "2026-11-26", "two days after Tuesday");
    assert_eq!(f["sequence"]["step"], 2);
    b.ok(&["done", "2"]);
    let f = only_open(b);
    assert_eq!(f["due_at"], "2026-11-27", "three days after Tuesday");
    assert_eq!(f["text"], "Second call");
    b.ok(&["done", "3"]);
    assert!(open_steps(b).is_empty());
    assert!(active(b).is_empty());
    let show = b.json(&["sequence", "show", "new-lead"]);
    assert_eq!(show["figures"]["finished"], 1);
    assert_eq!(show["figures"]["active"], 0);
}

    /// tests/cli/sequences.rs `a_step_that_lands_on_a_weekend_moves_to_the_next_workday`.
    fn a_step_that_lands_on_a_weekend_moves_to_the_next_workday(b: &mut Book) {
    started_in(b);
    b.now = "2026-11-26T09:00:00+00:00".into(); // Thursday: +2d is Saturday
    b.ok(&["done", "1"]);
    assert_eq!(only_open(b)["due_at"], "2026-11-30", "Monday");
}

    /// tests/cli/sequences.rs `note_done_advances_and_its_next_date_is_the_next_step`.
    fn note_done_advances_and_its_next_date_is_the_next_step(b: &Book) {
    started_in(b);
    b.ok(&[
        "note",
        "ana",
        "left a message",
        "--kind",
        "call",
        "--outcome",
        "voicemail",
        "--done",
        "1",
    ]);
    let f = only_open(b);
    assert_eq!(f["sequence"]["step"], 2);
    assert_eq!(f["due_at"], "2026-11-25");
    // A logged call that asks for a next date: the sequence's next step is it, never two.
    let out = b.ok(&[
        "note",
        "ana",
        "sent it",
        "--kind",
        "email",
        "--done",
        &f["id"].to_string(),
        "--next",
        "fri",
    ]);
    assert!(out.contains("sequence new-lead step 3 of 3"), "{out}");
    let f = only_open(b);
    assert_eq!(f["sequence"]["step"], 3);
    assert_eq!(
        f["due_at"], "2026-11-27",
        "the date asked for, not 3 days on"
    );
}

    /// tests/cli/sequences.rs `snoozing_a_step_moves_only_that_step`.
    fn snoozing_a_step_moves_only_that_step(b: &Book) {
    started_in(b);
    b.ok(&["snooze", "1", "wed"]);
    let f = only_open(b);
    assert_eq!(f["due_at"], "2026-11-25");
    assert_eq!(f["sequence"]["step"], 1);
    assert_eq!(active(b).len(), 1);
}

    /// tests/cli/sequences.rs `a_connected_call_stops_it`.
    fn a_connected_call_stops_it(b: &Book) {
    started_in(b);
    b.ok(&[
        "note",
        "ana",
        "spoke at length",
        "--kind",
        "call",
        "--outcome",
        "connected",
    ]);
    assert_stopped(b, "a call connected");
    assert_eq!(follow_ups(b)[0]["status"], "cancelled");
}

    /// tests/cli/sequences.rs `a_connected_call_that_completes_the_step_stops_it_with_no_next_step`.
    fn a_connected_call_that_completes_the_step_stops_it_with_no_next_step(b: &Book) {
    started_in(b);
    b.ok(&[
        "note",
        "ana",
        "spoke",
        "--kind",
        "call",
        "--outcome",
        "connected",
        "--done",
        "1",
    ]);
    assert_stopped(b, "a call connected");
    assert_eq!(follow_ups(b).len(), 1, "step 2 never came");
    assert!(follow_ups(b)[0]["done_at"].is_string());
}

    /// tests/cli/sequences.rs `a_replied_email_stops_it`.
    fn a_replied_email_stops_it(b: &Book) {
    started_in(b);
    b.ok(&[
        "note",
        "ana",
        "she wrote back",
        "--kind",
        "email",
        "--outcome",
        "replied",
    ]);
    assert_stopped(b, "an email was replied");
}

    /// tests/cli/sequences.rs `stop_on_names_what_stops_it`.
    fn stop_on_names_what_stops_it(b: &Book) {
    b.configure(&format!("{NEW_LEAD}stop_on = [\"replied\"]\n"));
    b.contact(&["--name", "Ana Pereira"]);
    b.ok(&["sequence", "start", "ana", "new-lead"]);
    b.ok(&[
        "note",
        "ana",
        "spoke",
        "--kind",
        "call",
        "--outcome",
        "connected",
    ]);
    assert_eq!(active(b).len(), 1, "a connected call is not in stop_on");
    assert_eq!(only_open(b)["sequence"]["step"], 1, "its step still open");
}

    /// tests/cli/sequences.rs `a_call_logged_without_completing_the_step_moves_the_step_never_a_second_follow_up`.
    fn a_call_logged_without_completing_the_step_moves_the_step_never_a_second_follow_up(b: &Book) {
    started_in(b);
    b.ok(&[
        "note",
        "ana",
        "no answer",
        "--kind",
        "call",
        "--outcome",
        "no-answer",
        "--next",
        "fri",
    ]);
    let f = only_open(b);
    assert_eq!(f["sequence"]["step"], 1, "{f:#}");
    assert_eq!(
        f["due_at"], "2026-11-27",
        "the step moved to the date asked"
    );
    assert_eq!(active(b).len(), 1);
}

    /// tests/cli/sequences.rs `a_closed_deal_and_names_differing_only_in_case_are_refused`.
    fn a_closed_deal_and_names_differing_only_in_case_are_refused(b: &Book) {
    b.configure(NEW_LEAD);
    b.contact(&["--name", "Ana Pereira"]);
    b.ok(&["deal", "add", "--title", "Rollout", "--contact", "ana"]);
    b.ok(&["deal", "lost", "1", "--reason", "budget"]);
    let err = b.fails(&["sequence", "start", "ana", "new-lead", "--deal", "1"], 2);
    assert!(err.contains("is lost"), "{err}");
    assert!(active(b).is_empty());
    let twice = Book::on_with_config(b.engine(), &format!(
        "{NEW_LEAD}{}",
        NEW_LEAD.replace("new-lead", "New-Lead")
    ));
    let err = twice.fails(&["today"], 2);
    assert!(err.contains("differ only in case"), "{err}");
}

    /// tests/cli/sequences.rs `a_deal_closed_that_stop_on_leaves_out_keeps_the_sequence_and_its_step`.
    fn a_deal_closed_that_stop_on_leaves_out_keeps_the_sequence_and_its_step(b: &Book) {
    b.configure(&format!("{NEW_LEAD}stop_on = [\"replied\"]\n"));
    b.contact(&["--name", "Ana Pereira"]);
    b.ok(&["deal", "add", "--title", "Rollout", "--contact", "ana"]);
    b.ok(&["sequence", "start", "ana", "new-lead", "--deal", "1"]);
    b.ok(&["deal", "won", "1"]);
    assert_eq!(active(b).len(), 1, "won is not in stop_on");
    let steps: Vec<Value> = open_steps(b)
        .into_iter()
        .filter(|f| !f["sequence"].is_null())
        .collect();
    assert_eq!(
        steps.len(),
        1,
        "the step is the sequence's, not cancelled with the deal"
    );
}

    /// tests/cli/sequences.rs `the_sequences_deal_won_stops_it`.
    fn the_sequences_deal_won_stops_it(b: &Book) {
    b.configure(NEW_LEAD);
    b.contact(&["--name", "Ana Pereira"]);
    b.ok(&["deal", "add", "--title", "Rollout", "--contact", "ana"]);
    b.ok(&["deal", "add", "--title", "Pilot", "--contact", "ana"]);
    b.ok(&["sequence", "start", "ana", "new-lead", "--deal", "1"]);
    b.ok(&["deal", "won", "2"]);
    assert_eq!(active(b).len(), 1, "another deal than the sequence's");
    b.ok(&["deal", "won", "1"]);
    assert_stopped(b, "the deal was won");
}

    /// tests/cli/sequences.rs `any_deal_lost_stops_a_sequence_started_without_one`.
    fn any_deal_lost_stops_a_sequence_started_without_one(b: &Book) {
    started_in(b);
    b.ok(&["deal", "add", "--title", "Rollout", "--contact", "ana"]);
    b.ok(&["deal", "lost", "1", "--reason", "budget"]);
    assert_stopped(b, "the deal was lost");
}

    /// tests/cli/sequences.rs `archive_stops_it`.
    fn archive_stops_it(b: &Book) {
    started_in(b);
    b.ok(&["contact", "archive", "ana"]);
    assert_stopped(b, "archived");
}

    /// tests/cli/sequences.rs `merge_stops_it_and_keeps_the_record`.
    fn merge_stops_it_and_keeps_the_record(b: &Book) {
    started_in(b);
    b.contact(&["--name", "Ana P", "--email", "ap@example.com"]);
    b.ok(&["contact", "merge", "1", "2"]);
    assert!(active(b).is_empty());
    let notes = b.show(2)["notes"].to_string();
    assert!(notes.contains("merged"), "{notes}");
    let show = b.json(&["sequence", "show", "new-lead"]);
    assert_eq!(show["figures"]["enrolled"], 1);
}

    /// tests/cli/sequences.rs `purge_takes_the_enrolment_with_the_person`.
    fn purge_takes_the_enrolment_with_the_person(b: &Book) {
    started_in(b);
    b.ok(&["contact", "purge", "ana", "--yes"]);
    assert!(active(b).is_empty());
    let show = b.json(&["sequence", "show", "new-lead"]);
    assert_eq!(show["figures"]["enrolled"], 0);
}

    /// tests/cli/sequences.rs `sequence_stop_cancels_the_open_step`.
    fn sequence_stop_cancels_the_open_step(b: &Book) {
    started_in(b);
    let out = b.ok(&["sequence", "stop", "ana"]);
    assert!(out.contains("stopped"), "{out}");
    assert_stopped(b, "stopped by hand");
    b.fails(&["sequence", "stop", "ana"], 2);
    // Stopped, a contact may start again.
    b.ok(&["sequence", "start", "ana", "new-lead"]);
    assert_eq!(active(b).len(), 1);
}

    /// tests/cli/sequences.rs `cancelling_a_step_stops_the_sequence`.
    fn cancelling_a_step_stops_the_sequence(b: &Book) {
    started_in(b);
    b.ok(&["follow-up", "cancel", "1"]);
    assert_stopped(b, "its step was cancelled");
}

    /// tests/cli/sequences.rs `start_advance_and_stop_each_undo`.
    fn start_advance_and_stop_each_undo(b: &Book) {
    started_in(b);
    b.ok(&["undo"]);
    assert!(active(b).is_empty());
    assert!(follow_ups(b).is_empty());
    b.ok(&["sequence", "start", "ana", "new-lead"]);
    b.ok(&["done", "2"]);
    assert_eq!(only_open(b)["sequence"]["step"], 2);
    b.ok(&["undo"]);
    let f = only_open(b);
    assert_eq!(f["id"], 2);
    assert_eq!(active(b)[0]["step"], 1);
    b.ok(&["sequence", "stop", "ana"]);
    b.ok(&["undo"]);
    assert_eq!(active(b).len(), 1);
    // Put back whole: an enrolment under way again has no end.
    assert!(
        active(b)[0]
            .get("ended_at")
            .is_some_and(serde_json::Value::is_null),
        "{:#?}",
        active(b)
    );
    assert!(active(b)[0]["stop_reason"].is_null());
    assert_eq!(only_open(b)["id"], 2);
    assert!(!timeline(b).contains("stopped"));
}

    /// tests/cli/sequences.rs `a_sequence_removed_from_the_config_goes_on_as_retired`.
    fn a_sequence_removed_from_the_config_goes_on_as_retired(b: &Book) {
    started_in(b);
    std::fs::write(&b.config, "").unwrap();
    let list = active(b);
    assert_eq!(list[0]["retired"], true);
    assert!(b.ok(&["sequence", "list"]).contains("retired"));
    b.ok(&["done", "1"]);
    let f = only_open(b);
    assert_eq!(f["sequence"]["step"], 2, "its steps were copied at start");
    assert_eq!(f["text"], "Send the case study");
    let show = b.json(&["sequence", "show", "new-lead"]);
    assert_eq!(show["retired"], true);
    assert_eq!(show["steps"].as_array().unwrap().len(), 3);
    b.fails(&["sequence", "start", "ana", "new-lead"], 2);
}

    /// tests/cli/sequences.rs `a_broken_sequence_config_is_exit_2_naming_the_line`.
    fn a_broken_sequence_config_is_exit_2_naming_the_line(b: &Book) {
    b.configure(&NEW_LEAD.replace("\"email\"", "\"fax\""));
    let err = b.fails(&["today"], 2);
    assert!(err.contains("line 5") && err.contains("fax"), "{err}");
    let b = Book::on_with_config(b.engine(), "[sequences.empty]\nsteps = []\n");
    assert!(b.fails(&["today"], 2).contains("line 2"));
}

    /// tests/cli/sequences.rs `text_lines_carry_the_label`.
    fn text_lines_carry_the_label(b: &Book) {
    started_in(b);
    let out = b.ok(&["today"]);
    assert!(out.contains("new-lead 1/3"), "{out}");
    let out = b.ok(&["sequence", "show", "new-lead"]);
    assert!(
        out.contains("Send the case study") && out.contains("enrolled 1"),
        "{out}"
    );
}

    /// tests/cli/sequences.rs `report_figures_match_a_hand_counted_book`.
    fn report_figures_match_a_hand_counted_book(b: &Book) {
    b.configure(&format!(
        "{NEW_LEAD}\n[sequences.nurture]\nsteps = [{{ after = \"1w\", kind = \"email\", text = \"News\" }}]\n"
    ));
    for name in ["Ann", "Bea", "Cid", "Dan", "Eve", "Fay", "Gus", "Hal"] {
        b.contact(&["--name", name]);
        b.ok(&["sequence", "start", name, "new-lead"]);
    }
    b.ok(&[
        "note",
        "ann",
        "yes!",
        "--kind",
        "email",
        "--outcome",
        "replied",
    ]); // replied
    b.ok(&[
        "note",
        "bea",
        "talked",
        "--kind",
        "call",
        "--outcome",
        "connected",
    ]); // replied
    b.ok(&["deal", "add", "--title", "C", "--contact", "cid"]);
    b.ok(&["deal", "won", "1"]); // won
    b.ok(&["deal", "add", "--title", "D", "--contact", "dan"]);
    b.ok(&["deal", "lost", "2", "--reason", "no"]); // lost
    for _ in 0..3 {
        let eve = b.json(&["follow-up", "list", "--contact", "eve", "--status", "open"]);
        b.ok(&["done", &eve[0]["id"].to_string()]);
    } // finished
    // Fay stays active.
    b.ok(&["sequence", "stop", "gus"]); // stopped, by hand
    b.ok(&["contact", "archive", "hal"]); // stopped, archived
    let r = b.json(&["report"]);
    let seqs = r["sequences"].as_array().unwrap();
    assert_eq!(seqs.len(), 2);
    let nl = &seqs[0];
    assert_eq!(nl["name"], "new-lead");
    assert_eq!(
        (
            nl["enrolled"].as_i64(),
            nl["active"].as_i64(),
            nl["finished"].as_i64()
        ),
        (Some(8), Some(1), Some(1))
    );
    assert_eq!(
        (
            nl["replied"].as_i64(),
            nl["won"].as_i64(),
            nl["lost"].as_i64()
        ),
        (Some(2), Some(1), Some(1))
    );
    let rate = nl["reply_rate"].as_f64().unwrap();
    assert!((rate - 2.0 / 7.0).abs() < 1e-9, "{rate}");
    let mut keys: Vec<&String> = nl.as_object().unwrap().keys().collect();
    keys.sort();
    let mut want = [
        "name",
        "enrolled",
        "active",
        "finished",
        "replied",
        "won",
        "lost",
        "reply_rate",
    ];
    want.sort();
    assert_eq!(keys, want);
    assert_eq!(seqs[1]["name"], "nurture");
    assert_eq!(seqs[1]["enrolled"], 0);
    assert!(seqs[1]["reply_rate"].is_null());
    let text = b.ok(&["report"]);
    assert!(text.contains("new-lead") && text.contains("29%"), "{text}");
}

    /// tests/cli/sequences.rs `export_json_carries_the_enrolments_and_import_restores_them`.
    fn export_json_carries_the_enrolments_and_import_restores_them(b: &Book) {
    started_in(b);
    b.ok(&["done", "1"]);
    let out = b.file("book.json");
    b.ok(&["export", "--format", "json", "-o", out.to_str().unwrap()]);
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let e = &v["sequence_enrollments"][0];
    assert_eq!(e["name"], "new-lead");
    assert_eq!(e["step"], 2);
    assert_eq!(e["status"], "active");
    assert_eq!(e["steps"].as_array().unwrap().len(), 3);
    assert_eq!(v["follow_ups"][1]["sequence"]["step"], 2);
    let again = Book::on_with_config(b.engine(), NEW_LEAD);
    let (code, _, err) = again.import(&out, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        again.json(&["sequence", "list"]),
        b.json(&["sequence", "list"])
    );
    let out2 = again.file("again.json");
    again.ok(&["export", "--format", "json", "-o", out2.to_str().unwrap()]);
    let w: Value = serde_json::from_str(&std::fs::read_to_string(&out2).unwrap()).unwrap();
    assert_eq!(v["sequence_enrollments"], w["sequence_enrollments"]);
    assert_eq!(v["follow_ups"], w["follow_ups"]);
    // The restored sequence goes on.
    again.ok(&["done", "2"]);
    assert_eq!(only_open(&again)["sequence"]["step"], 3);
}

    /// tests/cli/sequences.rs `import_with_sequence_enrols_every_contact_it_creates`.
    fn import_with_sequence_enrols_every_contact_it_creates(b: &Book) {
    b.configure(NEW_LEAD);
    b.contact(&["--name", "Old Friend", "--email", "old@example.com"]);
    let csv = b.file("leads.csv");
    std::fs::write(
        &csv,
        "name,email\nNew One,one@example.com\nNew Two,two@example.com\nOld Friend,old@example.com\n",
    )
    .unwrap();
    let path = csv.to_str().unwrap();
    let dry = b.ok(&["import", path, "--sequence", "new-lead", "--dry-run"]);
    assert!(
        dry.contains("sequence new-lead would start for 2 contacts"),
        "{dry}"
    );
    assert!(active(b).is_empty(), "a dry run writes nothing");
    let err = b.fails(&["import", path, "--sequence", "nope"], 2);
    assert!(err.contains("no such sequence"), "{err}");
    let out = b.ok(&["import", path, "--sequence", "new-lead"]);
    assert!(
        out.contains("sequence new-lead started for 2 contacts"),
        "{out}"
    );
    let list = active(b);
    let names: Vec<&str> = list
        .iter()
        .map(|e| e["contact_name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["New One", "New Two"],
        "the merged contact is not enrolled"
    );
    let steps = open_steps(b);
    assert_eq!(steps.len(), 2);
    assert!(
        steps
            .iter()
            .all(|f| f["sequence"]["step"] == 1 && f["due_at"] == "2026-11-23")
    );
    assert_eq!(
        steps[0]["contact_name"], "New One",
        "labels filled: {steps:#?}"
    );
    b.assert_derived_consistent();
    // The enrolled go on like any other.
    b.ok(&["done", &steps[0]["id"].to_string()]);
    assert_eq!(active(b)[0]["step"], 2);
    b.ok(&["undo"]);
    b.ok(&["undo"]);
    assert!(
        active(b).is_empty(),
        "the import is undone whole, its enrolments too"
    );
    assert!(open_steps(b).is_empty());
    assert_eq!(b.contacts().len(), 1);
}

    /// tests/cli/sequences.rs `contact_show_says_the_sequence_and_json_gives_it`.
    fn contact_show_says_the_sequence_and_json_gives_it(b: &Book) {
    started_in(b);
    assert!(
        b.ok(&["contact", "show", "ana"])
            .contains("sequence     new-lead step 1 of 3")
    );
    let v = b.show(1);
    assert_eq!(v["sequence"]["sequence"], "new-lead");
    assert_eq!(v["sequence"]["steps"], 3);
}

    /// tests/cli/sequences.rs `a_json_step_whose_enrolment_is_missing_is_refused`.
    fn a_json_step_whose_enrolment_is_missing_is_refused(b: &Book) {
    started_in(b);
    let out = b.file("book.json");
    b.ok(&["export", "--format", "json", "-o", out.to_str().unwrap()]);
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    v["sequence_enrollments"] = Value::Array(vec![]);
    std::fs::write(&out, v.to_string()).unwrap();
    let again = Book::on_with_config(b.engine(), NEW_LEAD);
    let (code, _, err) = again.import(&out, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("which the file lacks"), "{err}");
}

    /// tests/cli/sequences.rs `a_note_that_wins_the_deal_on_a_step_stops_it_and_keeps_the_next_it_asks_for`.
    fn a_note_that_wins_the_deal_on_a_step_stops_it_and_keeps_the_next_it_asks_for(b: &Book) {
    b.configure(NEW_LEAD);
    b.contact(&["--name", "Ana Pereira"]);
    b.ok(&["deal", "add", "--title", "Rollout", "--contact", "ana"]);
    b.ok(&["sequence", "start", "ana", "new-lead", "--deal", "1"]);
    let out = b.ok(&[
        "note",
        "ana",
        "signed! @fri #won",
        "--kind",
        "call",
        "--done",
        "1",
    ]);
    assert!(out.contains("won"), "{out}");
    assert_stopped(b, "the deal was won");
    // The win also schedules its referral ask (issue 20): set it aside.
    let all: Vec<Value> = follow_ups(b)
        .into_iter()
        .filter(|f| f["text"] != "Ask Ana Pereira for a referral")
        .collect();
    assert_eq!(
        all.len(),
        2,
        "the step done, and the asked-for follow-up: {all:#?}"
    );
    let open: Vec<&Value> = all
        .iter()
        .filter(|f| f["done_at"].is_null() && f["status"] != "cancelled")
        .collect();
    assert_eq!(open.len(), 1, "{open:#?}");
    let f = open[0];
    assert!(f["sequence"].is_null());
    assert_eq!(f["due_at"], "2026-11-27");
}

}
