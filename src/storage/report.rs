//! The report's queries. Each one aggregates in SQL and returns a handful of rows (one per
//! stage, month, currency or source), never the deals or notes themselves.
//!
//! Times passed in are stored-form UTC stamps (`2026-08-25T00:00:00Z`), so text comparison
//! is time comparison and the indexes on `closed_at` and `notes.created_at` apply.

use crate::storage::sql;
use std::collections::BTreeMap;

use crate::domain::team::Scope;

use crate::domain::note::{NoteKind, Outcome};
use crate::storage::Snapshot;

use crate::error::Result;

use crate::domain::report::{ClosedGroup, NoteCounts, OpenGroup, SourceGroup, StageStays};

// Money is summed in two halves, the high and the low 32 bits of each value, joined in Rust
// as an i128 (`joined`): SQLite's `sum()` fails with "integer overflow" past 2^63, and
// `total()` is a float, where money must stay exact. Each half sums within an i64 for up to
// 2^31 rows, whatever the values.
const HI: i64 = 32;

/// The exact sum of the values whose halves summed to `hi` and `lo`.
fn joined(hi: i64, lo: i64) -> i128 {
    ((hi as i128) << HI) + lo as i128
}

// The statements, each one reading an index only (`tests::each_query_reads_its_index`).

// The stages open deals are in, one pipeline at a time, each a seek of `deals_pipeline`
// (pipeline, status, stage) past the last stage found: a few seeks, not a read of every open
// deal into a temporary b-tree.
const NEXT_OPEN_STAGE: &str = "SELECT min(stage) FROM deals
    WHERE pipeline = ?1 AND status = 'open' AND stage > ?2";

// Grouped in the index's order (no sort), then folded to months in Rust: at most one row per
// currency, stage and close date.
const OPEN_DEALS: &str = "WITH p(stage, prob) AS (SELECT key, value FROM json_each(?1))
    SELECT d.currency, d.stage, d.expected_close, count(*),
           sum(d.value_cents >> 32), sum(d.value_cents & 4294967295),
           sum(((d.value_cents / 100) * coalesce(p.prob, 0)
                + (d.value_cents % 100) * coalesce(p.prob, 0) / 100) >> 32),
           sum(((d.value_cents / 100) * coalesce(p.prob, 0)
                + (d.value_cents % 100) * coalesce(p.prob, 0) / 100) & 4294967295)
           , d.pipeline
    FROM deals d LEFT JOIN p ON p.stage = d.pipeline || char(31) || d.stage
    WHERE d.status = 'open'/*owner*/
    GROUP BY d.currency, d.pipeline, d.stage, d.expected_close";

// `+status`: the range of `deals_closed` (which holds every column read here), not every won
// and lost deal of all time through an index on the status.
const CLOSED: &str = "SELECT upper(currency), status = 'won', count(*),
           sum(value_cents >> 32), sum(value_cents & 4294967295),
           total(julianday(closed_at) - julianday(created_at)), pipeline
    FROM deals
    WHERE closed_at >= ?1 AND +status IN ('won', 'lost')/*owner*/
    GROUP BY 1, 2, pipeline";

const STAGE_DAYS: &str = "SELECT stage, count(*), total(julianday(ended_at) - julianday(at))
    FROM deal_events INDEXED BY deal_events_ended
    WHERE ended_at >= ?1 AND event IN ('stage', 'reopened')
    GROUP BY stage";

// One pipeline's stays: the same range, each event's deal read for its pipeline.
const STAGE_DAYS_BY_PIPELINE: &str = "SELECT e.stage, count(*),
           total(julianday(e.ended_at) - julianday(e.at)), d.pipeline
    FROM deal_events e INDEXED BY deal_events_ended JOIN deals d ON d.id = e.deal_id
    WHERE e.ended_at >= ?1 AND e.event IN ('stage', 'reopened')/*owner*/
    GROUP BY d.pipeline, e.stage";

/// A report text as PostgreSQL takes it: its JSON table of probabilities read as text,
/// `chr` for SQLite's `char`, no unary plus (which keeps SQLite off an index), and days
/// between instants read natively.
fn for_server(sql: &str) -> String {
    let mut sql = sql.to_string();
    // Days between two stored instants: the schema's julianday() reads any text, which is
    // slow on every row; the stamps are ISO instants, read natively.
    for (end, start) in [
        ("closed_at", "created_at"),
        ("ended_at", "at"),
        ("e.ended_at", "e.at"),
    ] {
        sql = sql.replace(
            &format!("total(julianday({end}) - julianday({start}))"),
            &format!(
                "CAST(coalesce(sum(EXTRACT(EPOCH FROM CAST({end} AS TIMESTAMPTZ) \
                 - CAST({start} AS TIMESTAMPTZ)) / 86400), 0) AS DOUBLE PRECISION)"
            ),
        );
    }
    sql.replace(
        "SELECT key, value FROM json_each(?1)",
        "SELECT key, CAST(value AS BIGINT) FROM json_each_text(CAST(CAST(?1 AS TEXT) AS json))",
    )
    .replace("char(31)", "chr(31)")
    .replace("+status", "status")
}

/// Whose rows a report reads: one owner's, or (None) every row of the book.
pub type Owner<'a> = Option<&'a str>;

/// The owner the report of `scope` is cut to: none on a personal book (its one user owns every
/// row) nor for the whole team.
pub fn owner_of(conn: &Snapshot, scope: &Scope) -> Option<String> {
    conn.owner_of(scope)
}

/// A report text for this engine, cut to `owner`'s rows: its `/*owner*/` becomes `cond` (which
/// names the owner's column and argument), or nothing for every row.
pub(in crate::storage) fn cut(conn: &Snapshot, sql: &str, cond: &str, owner: Owner) -> String {
    let sql = sql.replace("/*owner*/", if owner.is_some() { cond } else { "" });
    match conn.on_server() {
        true => for_server(&sql),
        false => sql,
    }
}

/// A text argument.
pub(in crate::storage) fn text(s: &str) -> sql::Value {
    sql::Value::Text(s.to_string())
}

/// `args`, then the owner's name when the rows are cut to one.
pub(in crate::storage) fn with_owner(mut args: Vec<sql::Value>, owner: Owner) -> Vec<sql::Value> {
    args.extend(owner.map(|o| sql::Value::from(o.to_string())));
    args
}

const SOURCES: &str =
    "SELECT source, status IN ('customer', 'repeat'), count(*) FROM contacts/*owner*/
    GROUP BY source, status";

// Named indexes: both cover the query, but without statistics SQLite would rather read the
// wide contact rows by id (a page each) than the narrow `(id, source)`.
const WON_BY_SOURCE: &str = "SELECT c.source, sum(d.value_cents >> 32),
           sum(d.value_cents & 4294967295)
    FROM deals d INDEXED BY deals_won_contact
    JOIN contacts c INDEXED BY contacts_id_source ON c.id = d.contact_id
    WHERE d.status = 'won' AND upper(d.currency) = ?1/*owner*/
    GROUP BY c.source";

// Two texts, not `outcome IS NOT DISTINCT FROM ?2`: PostgreSQL reads no index for that.
const NOTE_COUNT: &str = "SELECT count(*) FROM notes
    WHERE kind = ?1 AND outcome = ?2 AND created_at >= ?3 AND created_at < ?4/*owner*/";
const NOTE_COUNT_NO_OUTCOME: &str = "SELECT count(*) FROM notes
    WHERE kind = ?1 AND outcome IS NULL AND created_at >= ?2 AND created_at < ?3/*owner*/";
const NOTE_COUNT_GROUPED: &str = "SELECT kind, outcome, count(*) FROM notes
    WHERE created_at >= ?1 AND created_at < ?2/*owner*/ GROUP BY kind, outcome";

// One seek at the start of `notes_created`.
const FIRST_NOTE: &str = "SELECT min(created_at) FROM notes/*owner*/";

/// The stored stamp of the first note of the book (or of `owner`'s), if it has any.
pub fn first_note(conn: &Snapshot, owner: Owner) -> Result<Option<String>> {
    let mut stmt = conn.prepare_cached(&cut(conn, FIRST_NOTE, " WHERE author = ?1", owner))?;
    Ok(
        stmt.query_row(sql::params_from_iter(with_owner(vec![], owner)), |r| {
            r.get(0)
        })?,
    )
}

/// The pipelines and stages open deals are in, to look their probabilities up in the config.
pub fn open_stages(conn: &Snapshot) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare_cached(NEXT_OPEN_STAGE)?;
    let mut out = Vec::new();
    for pipeline in crate::storage::deals::pipelines_in_use(conn)? {
        let mut after = String::new();
        while let Some(stage) = stmt.query_row(sql::params![pipeline, after], |r| {
            r.get::<_, Option<String>>(0)
        })? {
            out.push((pipeline.clone(), stage.clone()));
            after = stage;
        }
    }
    Ok(out)
}

/// `probabilities`: (pipeline, stage) -> percent, for every pair of `open_stages`; a pair
/// missing from it weighs 0.
pub fn open_deals(
    conn: &Snapshot,
    probabilities: &[((String, String), u8)],
    owner: Owner,
) -> Result<Vec<OpenGroup>> {
    let map: serde_json::Map<String, serde_json::Value> = probabilities
        .iter()
        .map(|((pl, s), p)| (format!("{pl}\u{1f}{s}"), serde_json::Value::from(*p)))
        .collect();
    let json = serde_json::Value::Object(map).to_string();
    let mut stmt = conn.prepare_cached(&cut(conn, OPEN_DEALS, " AND d.owner = ?2", owner))?;
    let mut rows = stmt.query(sql::params_from_iter(with_owner(vec![text(&json)], owner)))?;
    type Key = (String, String, String, Option<String>);
    let mut groups: BTreeMap<Key, OpenGroup> = BTreeMap::new();
    while let Some(r) = rows.next()? {
        let currency = r.get::<_, String>(0)?.to_ascii_uppercase();
        let stage: String = r.get(1)?;
        let pipeline: String = r.get(8)?;
        let month = r
            .get::<_, Option<String>>(2)?
            .map(|d| d.chars().take(7).collect::<String>());
        let g = groups
            .entry((
                currency.clone(),
                pipeline.clone(),
                stage.clone(),
                month.clone(),
            ))
            .or_insert_with(|| OpenGroup {
                currency,
                pipeline,
                stage,
                month,
                count: 0,
                value_cents: 0,
                weighted_cents: 0,
            });
        g.count += r.get::<_, i64>(3)?;
        g.value_cents += joined(r.get(4)?, r.get(5)?);
        g.weighted_cents += joined(r.get(6)?, r.get(7)?);
    }
    Ok(groups.into_values().collect())
}

pub fn closed_since(conn: &Snapshot, since: &str, owner: Owner) -> Result<Vec<ClosedGroup>> {
    let mut stmt = conn.prepare_cached(&cut(conn, CLOSED, " AND owner = ?2", owner))?;
    let args = with_owner(vec![text(since)], owner);
    let rows = stmt.query_map(sql::params_from_iter(args), |r| {
        Ok(ClosedGroup {
            currency: r.get(0)?,
            pipeline: r.get(6)?,
            won: r.get(1)?,
            count: r.get(2)?,
            value_cents: joined(r.get(3)?, r.get(4)?),
            days: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<sql::Result<_>>()?)
}

/// A *stay* is read from a deal's history (`deal_events`, ordered by time then id):
///
/// - it starts at a `stage` event (the deal entered that stage: created in it or moved to it)
///   or a `reopened` event (a closed deal came back, open again in the stage it kept);
/// - it ends at the deal's next event, whatever it is: a move to another stage, `won`, or
///   `lost`;
/// - a deal that is still open in a stage has a stay that has not ended: it is not counted
///   (its length is not known yet);
/// - the time between a `won`/`lost` event and a `reopened` one is spent closed, in no stage,
///   so a stay never starts at `won` or `lost`.
///
/// So a deal that goes Lead → Qualified → Lead → Qualified → won counts two stays in Lead and
/// two in Qualified, each its own sample of the average; a deal won from Proposal, reopened a
/// week later and lost from Proposal after three more days counts its stay before the win and
/// a second stay of three days, not the week it was closed. A stay belongs to the period when
/// it ended in it.
///
/// Each event's `ended_at` (the `at` of the deal's next event, kept by triggers) is where its
/// stay ended, so the
/// stays of the period are one range of `deal_events_ended`. A stay is its deal owner's.
pub fn stage_days(conn: &Snapshot, since: &str, owner: Owner) -> Result<Vec<StageStays>> {
    if owner.is_some() {
        return stage_days_of(conn, since, &|_| true, owner);
    }
    let mut stmt = conn.prepare_cached(&cut(conn, STAGE_DAYS, "", None))?;
    let rows = stmt.query_map([since], |r| {
        Ok(StageStays {
            stage: r.get(0)?,
            stays: r.get(1)?,
            days: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<sql::Result<_>>()?)
}

/// As [`stage_days`], only the stays of deals whose pipeline `keep` takes.
pub fn stage_days_of(
    conn: &Snapshot,
    since: &str,
    keep: &dyn Fn(&str) -> bool,
    owner: Owner,
) -> Result<Vec<StageStays>> {
    let sql = cut(conn, STAGE_DAYS_BY_PIPELINE, " AND d.owner = ?2", owner);
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(sql::params_from_iter(with_owner(vec![text(since)], owner)))?;
    let mut by_stage: BTreeMap<String, StageStays> = BTreeMap::new();
    while let Some(r) = rows.next()? {
        let pipeline: String = r.get(3)?;
        if !keep(&pipeline) {
            continue;
        }
        let stage: String = r.get(0)?;
        let s = by_stage.entry(stage.clone()).or_insert(StageStays {
            stage,
            stays: 0,
            days: 0.0,
        });
        s.stays += r.get::<_, i64>(1)?;
        s.days += r.get::<_, f64>(2)?;
    }
    Ok(by_stage.into_values().collect())
}

/// Every contact of the book, archived ones too (they were leads all the same); `won_cents`
/// sums the won deals in `currency` of each source's contacts. Spellings of one source are
/// grouped (trimmed, case-folded) under the most common one; blank counts as no source. Most
/// contacts first, no source last. Cut to an owner: their contacts, and their won deals.
pub fn sources(conn: &Snapshot, currency: &str, owner: Owner) -> Result<Vec<SourceGroup>> {
    // key -> (group, spelling -> contacts)
    let mut groups: BTreeMap<Option<String>, (SourceGroup, BTreeMap<String, i64>)> =
        BTreeMap::new();
    let key = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_lowercase)
    };

    let mut stmt = conn.prepare_cached(&cut(conn, SOURCES, " WHERE owner = ?1", owner))?;
    let mut rows = stmt.query(sql::params_from_iter(with_owner(vec![], owner)))?;
    while let Some(r) = rows.next()? {
        let source: Option<String> = r.get(0)?;
        let customer: bool = r.get(1)?;
        let n: i64 = r.get(2)?;
        let (g, spellings) = groups.entry(key(&source)).or_insert_with(empty);
        g.contacts += n;
        if customer {
            g.customers += n;
        }
        if let Some(s) = source.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            *spellings.entry(s.to_string()).or_default() += n;
        }
    }
    let mut stmt = conn.prepare_cached(&cut(conn, WON_BY_SOURCE, " AND d.owner = ?2", owner))?;
    let mut rows = stmt.query(sql::params_from_iter(with_owner(
        vec![text(currency)],
        owner,
    )))?;
    while let Some(r) = rows.next()? {
        let source: Option<String> = r.get(0)?;
        let cents = joined(r.get(1)?, r.get(2)?);
        groups.entry(key(&source)).or_insert_with(empty).0.won_cents += cents;
    }
    let mut out: Vec<SourceGroup> = groups
        .into_values()
        .map(|(mut g, spellings)| {
            // The most used spelling; on a tie, the one that sorts first.
            g.source = spellings
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                .map(|(s, _)| s);
            g
        })
        .collect();
    out.sort_by(|a, b| {
        (
            a.source.is_none(),
            -a.contacts,
            a.source.as_ref().map(|s| s.to_lowercase()),
        )
            .cmp(&(
                b.source.is_none(),
                -b.contacts,
                b.source.as_ref().map(|s| s.to_lowercase()),
            ))
    });
    Ok(out)
}

fn empty() -> (SourceGroup, BTreeMap<String, i64>) {
    (
        SourceGroup {
            source: None,
            contacts: 0,
            customers: 0,
            won_cents: 0,
        },
        BTreeMap::new(),
    )
}

/// One count per (kind, outcome) pair, each a range of the `notes_kind_created` index: the
/// rows themselves are never read. Cut to an owner: the notes they wrote (a call is its
/// author's).
pub fn note_counts(conn: &Snapshot, from: &str, until: &str, owner: Owner) -> Result<NoteCounts> {
    if conn.on_server() {
        return note_counts_grouped(conn, from, until, owner);
    }
    let mut with = conn.prepare_cached(&cut(conn, NOTE_COUNT, " AND author = ?5", owner))?;
    let mut without =
        conn.prepare_cached(&cut(conn, NOTE_COUNT_NO_OUTCOME, " AND author = ?4", owner))?;
    let mut c = NoteCounts::default();
    for kind in NoteKind::ALL {
        for outcome in std::iter::once(None).chain(Outcome::ALL.iter().copied().map(Some)) {
            let mut args = vec![text(kind.as_str())];
            args.extend(outcome.map(|o| text(o.as_str())));
            args.extend([text(from), text(until)]);
            let stmt = match outcome {
                Some(_) => &mut with,
                None => &mut without,
            };
            let n: i64 =
                stmt.query_row(sql::params_from_iter(with_owner(args, owner)), |r| r.get(0))?;
            tally(&mut c, *kind, outcome, n);
        }
    }
    Ok(c)
}

/// The same counts in one grouped query: on a server each statement is a round trip, and
/// twenty of them a period cost more than reading the period's notes once.
fn note_counts_grouped(
    conn: &Snapshot,
    from: &str,
    until: &str,
    owner: Owner,
) -> Result<NoteCounts> {
    let mut stmt =
        conn.prepare_cached(&cut(conn, NOTE_COUNT_GROUPED, " AND author = ?3", owner))?;
    let mut c = NoteCounts::default();
    let args = with_owner(vec![text(from), text(until)], owner);
    let rows = stmt.query_map(sql::params_from_iter(args), |r| {
        Ok((
            r.get::<_, NoteKind>(0)?,
            r.get::<_, Option<Outcome>>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    for row in rows {
        let (kind, outcome, n) = row?;
        tally(&mut c, kind, outcome, n);
    }
    Ok(c)
}

/// Adds `n` notes of one (kind, outcome) pair to the counts.
fn tally(c: &mut NoteCounts, kind: NoteKind, outcome: Option<Outcome>, n: i64) {
    match kind {
        NoteKind::Call => {
            c.call += n;
            if outcome.is_some() {
                c.calls_with_outcome += n;
            }
            if outcome == Some(Outcome::Connected) {
                c.calls_connected += n;
            }
        }
        NoteKind::Email => c.email += n,
        NoteKind::Meeting => c.meeting += n,
        NoteKind::Note => c.note += n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::Db;

    /// Each query reads one range of an index that holds every column it needs: a table scan
    /// or a row lookup here is what made the report slow on a large book.
    #[test]
    fn each_query_reads_its_index() {
        let db = Db::open_in_memory().unwrap();
        for (sql, want) in [
            (NEXT_OPEN_STAGE, &["deals_pipeline"][..]),
            (OPEN_DEALS, &["deals_open_value"]),
            (CLOSED, &["deals_closed"]),
            (STAGE_DAYS, &["deal_events_ended"]),
            (SOURCES, &["contacts_source"]),
            (WON_BY_SOURCE, &["deals_won_contact", "contacts_id_source"]),
            (NOTE_COUNT, &["notes_kind_created"]),
            (NOTE_COUNT_NO_OUTCOME, &["notes_kind_created"]),
            (FIRST_NOTE, &["notes_created"]),
            (
                crate::storage::report_reps::CALLS_OF,
                &["notes_kind_created"],
            ),
        ] {
            let mut stmt = db
                .conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap();
            let plan: Vec<String> = stmt
                .query_map(
                    sql::params_from_iter(std::iter::repeat_n(
                        sql::Value::Null,
                        stmt.parameter_count(),
                    )),
                    |r| r.get(3),
                )
                .unwrap()
                .collect::<sql::Result<_>>()
                .unwrap();
            let reads: Vec<&String> = plan
                .iter()
                .filter(|l| l.starts_with("SCAN") || l.starts_with("SEARCH"))
                .filter(|l| !l.contains("json_each"))
                .collect();
            assert_eq!(reads.len(), want.len(), "{sql}: {plan:?}");
            for (line, index) in reads.iter().zip(want) {
                assert!(
                    line.contains(&format!("COVERING INDEX {index}")),
                    "{sql}: {plan:?}"
                );
            }
        }
    }
}
