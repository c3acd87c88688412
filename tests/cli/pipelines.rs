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

/// The book of `b` at the schema before pipelines, with Ana and her deal at Warm.
fn old_book_with_a_warm_deal(b: &Book) {
    std::fs::create_dir_all(b.path().parent().unwrap()).unwrap();
    {
        let mut c = rusqlite::Connection::open(b.path()).unwrap();
        let before = salesdesk::storage::version_of("0013_pipelines").unwrap() - 1;
        salesdesk::storage::migrate_to(&mut c, None, before).unwrap();
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
