//! The hot queries keep their indexes. Each test runs the real storage function on the demo
//! book with a trace on the connection, then asks SQLite for the plan of every statement it
//! ran (`EXPLAIN QUERY PLAN` of the statement with its values bound). A plan that loses its
//! index, or falls back to reading a whole big table, fails here instead of on a user's
//! 200,000-contact book, where it would cost seconds. Books carry no planner statistics
//! (nothing runs ANALYZE), so the plans on this small book are the plans on a large one.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Local};
use rusqlite::trace::{TraceEvent, TraceEventCodes};
use salesdesk::clock::Clock;
use salesdesk::ops::Desk;
use salesdesk::storage::Snapshot;
use salesdesk::storage::{browse, contacts, deals, follow_ups, search};

/// Tables that grow with the book: reading one whole is never a hot query's plan.
const BIG: &[&str] = &[
    "contacts",
    "companies",
    "deals",
    "deal_events",
    "follow_ups",
    "notes",
    "contact_keys",
];

fn demo() -> Desk {
    let now: DateTime<Local> = DateTime::parse_from_rfc3339("2026-11-23T09:00:00+00:00")
        .expect("a fixed time")
        .with_timezone(&Local);
    let mut desk = Desk::in_memory(Clock::fixed(now)).expect("an in-memory book");
    desk.load_demo(false).expect("the demo loads");
    desk
}

struct Ran {
    sql: String,
    plan: Vec<String>,
}

impl std::fmt::Debug for Ran {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "\n{}\n  {}", self.sql.trim(), self.plan.join("\n  "))
    }
}

/// Every statement `f` ran on the book (its SQL with the values bound), with its plan.
fn plans(desk: &mut Desk, f: impl FnOnce(&Snapshot)) -> Vec<Ran> {
    traced(desk, |db| {
        db.peek(|s| {
            f(s);
            Ok(())
        })
        .expect("the reads")
    })
}

/// The statements `run` makes the book's connection run, with their plans.
fn traced(desk: &mut Desk, run: impl FnOnce(&salesdesk::storage::Db)) -> Vec<Ran> {
    let seen = Arc::new(Mutex::new(Vec::<String>::new()));
    let sink = Arc::clone(&seen);
    desk.db
        .conn_for_tests_mut()
        .trace_v2(
            TraceEventCodes::SQLITE_TRACE_STMT,
            Some(move |e: TraceEvent<'_>| {
                if let TraceEvent::Stmt(stmt, sql) = e
                    // Statements run by triggers are reported as comments: not ours to plan.
                    && !sql.starts_with("--")
                {
                    let full = stmt.expanded_sql().unwrap_or_else(|| sql.to_string());
                    sink.lock().expect("the trace lock").push(full);
                }
            }),
        )
        .expect("trace on");
    run(&desk.db);
    desk.db
        .conn_for_tests_mut()
        .trace_v2(TraceEventCodes::empty(), None::<fn(TraceEvent<'_>)>)
        .expect("trace off");
    let ran = seen.lock().expect("the trace lock").clone();
    ran.into_iter()
        .filter(|sql| {
            let s = sql.trim_start().to_ascii_uppercase();
            s.starts_with("SELECT") || s.starts_with("WITH")
        })
        .map(|sql| {
            let mut stmt = desk
                .db
                .conn_for_tests()
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .expect("the statement explains");
            let plan = stmt
                .query_map([], |r| r.get::<_, String>(3))
                .expect("the plan reads")
                .collect::<rusqlite::Result<Vec<_>>>()
                .expect("the plan reads");
            Ran { sql, plan }
        })
        .collect()
}

/// The table a plan line reads whole, if any: `SCAN contacts`, `SCAN c` (an alias of a big
/// table in that statement) or `SCAN c USING INDEX …` (every entry of an index is as bad).
fn full_scan<'a>(ran: &'a Ran, line: &'a str) -> Option<&'a str> {
    let rest = line.strip_prefix("SCAN ")?;
    let name = rest.split_whitespace().next()?;
    if rest.contains("VIRTUAL TABLE") {
        return None;
    }
    let sql = ran.sql.replace(['\n', '\t'], " ");
    let is_big = BIG.iter().any(|t| {
        name == *t
            || sql.contains(&format!(" {t} {name} "))
            || sql.contains(&format!(" {t} AS {name} "))
    });
    is_big.then_some(name)
}

fn assert_no_full_scan(runs: &[Ran]) {
    for r in runs {
        for line in &r.plan {
            if let Some(t) = full_scan(r, line) {
                panic!("a hot query reads all of {t}: {r:?}");
            }
        }
    }
}

/// The statement whose SQL contains `marker` uses `index` (a line of its plan names it).
fn assert_uses(runs: &[Ran], marker: &str, index: &str) {
    let matching: Vec<&Ran> = runs.iter().filter(|r| r.sql.contains(marker)).collect();
    assert!(
        !matching.is_empty(),
        "no statement containing {marker:?} ran; ran: {runs:?}"
    );
    for r in matching {
        assert!(
            r.plan.iter().any(|l| l.contains(index)),
            "expected {index} in the plan of {r:?}"
        );
    }
}

fn today_of(desk: &Desk) -> chrono::NaiveDate {
    desk.clock.today()
}

#[test]
fn the_daily_list_comes_sorted_from_the_covering_open_index() {
    let mut desk = demo();
    let now = desk.clock.now_naive();
    let today = today_of(&desk);
    let runs = plans(&mut desk, |c| {
        let due = follow_ups::due_until(c, today, now, &salesdesk::domain::team::Scope::Mine)
            .expect("the due list");
        assert!(!due.is_empty(), "the demo has follow-ups due");
    });
    assert_uses(
        &runs,
        "f.due_date <=",
        "SEARCH f USING COVERING INDEX follow_ups_open (due_date<?)",
    );
    for r in &runs {
        assert!(
            !r.plan.iter().any(|l| l.contains("TEMP B-TREE")),
            "the daily list is sorted after reading: {r:?}"
        );
        // The labels are copies on the follow-up: no contact, company or deal is looked up.
        assert_eq!(
            r.plan.len(),
            1,
            "the daily list reads more than its index: {r:?}"
        );
    }
    assert_no_full_scan(&runs);
}

#[test]
fn the_tui_today_pages_pick_rows_on_the_open_index() {
    let mut desk = demo();
    let now = desk.clock.now_naive();
    let today = today_of(&desk);
    let runs = plans(&mut desk, |c| {
        follow_ups::due_page(
            c,
            None,
            today,
            200,
            now,
            &salesdesk::domain::team::Scope::Mine,
        )
        .expect("a page");
        follow_ups::due_page(
            c,
            today.succ_opt(),
            today + chrono::Days::new(7),
            200,
            now,
            &salesdesk::domain::team::Scope::Mine,
        )
        .expect("a page");
    });
    assert_uses(&runs, "LIMIT", "COVERING INDEX follow_ups_open");
    assert_uses(&runs, "count(*)", "COVERING INDEX follow_ups_open");
    assert_no_full_scan(&runs);
}

#[test]
fn the_brief_counts_come_from_indexes_alone() {
    let mut desk = demo();
    let today = today_of(&desk);
    let runs = plans(&mut desk, |c| {
        follow_ups::due_counts(c, today, &salesdesk::domain::team::Scope::Mine).expect("counts");
        follow_ups::reconnect_count(c, today, &salesdesk::domain::team::Scope::Mine)
            .expect("count");
    });
    assert_uses(
        &runs,
        "due_date <",
        "SEARCH follow_ups USING COVERING INDEX follow_ups_open (due_date<?)",
    );
    assert_uses(
        &runs,
        "due_date =",
        "SEARCH follow_ups USING COVERING INDEX follow_ups_open (due_date=?)",
    );
    // Covering: the count never reads a contact's row.
    assert_uses(&runs, "cadence_days", "COVERING INDEX contacts_reconnect");
    assert_no_full_scan(&runs);
}

#[test]
fn reconnect_reads_the_small_partial_index() {
    let mut desk = demo();
    let today = today_of(&desk);
    let runs = plans(&mut desk, |c| {
        follow_ups::reconnect(c, today, &salesdesk::domain::team::Scope::Mine).expect("reconnect");
    });
    // Covering: the list never reads a contact's row, only each company's name.
    assert_uses(
        &runs,
        "cadence_days",
        "USING COVERING INDEX contacts_reconnect",
    );
    assert_no_full_scan(&runs);
}

#[test]
fn search_goes_through_the_full_text_indexes() {
    let mut desk = demo();
    let runs = plans(&mut desk, |c| {
        let hits = search::search(c, "pricing", 20).expect("search");
        assert!(!hits.is_empty(), "the demo's notes mention pricing");
        let hits = search::search(c, "ana", 20).expect("search");
        assert!(!hits.is_empty(), "the demo has an Ana");
    });
    for fts in [
        "contacts_fts",
        "contacts_tri",
        "companies_fts",
        "deals_fts",
        "notes_fts",
    ] {
        assert_uses(&runs, &format!("{fts} MATCH"), "VIRTUAL TABLE INDEX");
    }
    // The rows behind each hit are read by their id.
    assert_uses(&runs, "WHERE c.id =", "SEARCH c USING INTEGER PRIMARY KEY");
    assert_uses(&runs, "WHERE n.id =", "SEARCH n USING INTEGER PRIMARY KEY");
    assert_no_full_scan(&runs);
}

#[test]
fn a_contact_is_found_by_id_email_or_name_through_an_index() {
    let mut desk = demo();
    let runs = plans(&mut desk, |c| {
        contacts::resolve(c, "1").expect("by id");
        contacts::resolve(c, "ana.pereira@northwind.example").expect("by email");
        contacts::resolve(c, "Ana Pereira").expect("by name");
    });
    assert_uses(&runs, "WHERE id =", "USING INTEGER PRIMARY KEY");
    assert_uses(
        &runs,
        "kind = 'email'",
        "INDEX contact_keys_key (kind=? AND key=?)",
    );
    assert_uses(
        &runs,
        "name_key =",
        "USING COVERING INDEX contacts_name_key",
    );
    assert_no_full_scan(&runs);
}

#[test]
fn the_board_reads_open_deals_on_the_status_index() {
    let mut desk = demo();
    let runs = plans(&mut desk, |c| {
        let open = deals::list(
            c,
            &salesdesk::domain::deal::ListFilter {
                pipeline: Some(salesdesk::domain::deal::PipelineFilter::Is("sales".into())),
                status: Some(salesdesk::domain::deal::DealStatus::Open),
                ..Default::default()
            },
        )
        .expect("the board");
        assert!(!open.is_empty(), "the demo has open deals");
        salesdesk::storage::follow_ups::next_open_by_contact(c).expect("next steps");
        let in_use = deals::pipelines_in_use(c).expect("the pipelines in use");
        assert_eq!(in_use, ["sales"]);
    });
    // One pipeline's open deals: a range of the index with the pipeline first.
    assert_uses(&runs, "d.status =", "SEARCH d USING INDEX deals_pipeline");
    // The pipelines in use: a seek a pipeline.
    assert_uses(
        &runs,
        "min(pipeline)",
        "SEARCH deals USING COVERING INDEX deals_pipeline",
    );
    // Each deal's newest note and next step are probes, not scans, and the next step comes
    // from the open follow-ups' own index without visiting their rows.
    assert_uses(&runs, "d.status =", "notes_deal");
    assert_uses(&runs, "d.status =", "COVERING INDEX follow_ups_deal_next");
    // Each contact's own next step: one covering index, the contacts with deals alone.
    assert_uses(
        &runs,
        "deal_id IS NULL",
        "COVERING INDEX follow_ups_contact_next",
    );
    // That statement lists the contacts with deals from the small (contact_id, status)
    // index, once a board: the one whole read allowed here.
    let (next_steps, rest): (Vec<Ran>, Vec<Ran>) = runs
        .into_iter()
        .partition(|r| r.sql.contains("deal_id IS NULL"));
    assert!(
        next_steps.iter().all(|r| r
            .plan
            .iter()
            .all(|l| !l.contains("SCAN deals") || l.contains("COVERING INDEX deals_contact"))),
        "{next_steps:?}"
    );
    assert_no_full_scan(&rest);
}

#[test]
fn the_contacts_page_reads_its_rows_by_id() {
    let mut desk = demo();
    let runs = plans(&mut desk, |c| {
        let page = browse::contacts_by_id(c, &[1, 2, 3]).expect("a page");
        assert_eq!(page.len(), 3);
    });
    assert_uses(
        &runs,
        "c.id IN",
        "SEARCH c USING INTEGER PRIMARY KEY (rowid=?)",
    );
    assert_no_full_scan(&runs);
}

/// The contacts index is read whole by design (the screen filters 200,000 names in memory),
/// but in name order straight from the name index, without a sort of the whole table.
#[test]
fn the_contacts_index_comes_in_name_order_from_the_name_index() {
    let mut desk = demo();
    let runs = plans(&mut desk, |c| {
        browse::index(c, false, salesdesk::domain::contact::SortBy::Name, false)
            .expect("the index");
    });
    assert_uses(&runs, "ORDER BY name_key", "contacts_name_key");
    for r in &runs {
        assert!(
            !r.plan.iter().any(|l| l.contains("TEMP B-TREE")),
            "the contacts index is sorted after reading: {r:?}"
        );
    }
}

/// The check itself: a query that reads a big table whole is caught.
#[test]
fn a_full_scan_is_caught() {
    let mut desk = demo();
    let runs = traced(&mut desk, |db| {
        db.conn_for_tests()
            .query_row(
                "SELECT count(*) FROM notes n WHERE n.body LIKE '%x%'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .expect("a count");
    });
    let caught = std::panic::catch_unwind(|| assert_no_full_scan(&runs));
    assert!(caught.is_err(), "a scan of notes went unnoticed: {runs:?}");
}
