//! The report's queries. Each one aggregates in SQL and returns a handful of rows (one per
//! stage, month, currency or source), never the deals or notes themselves.
//!
//! Times passed in are stored-form UTC stamps (`2026-08-25T00:00:00Z`), so text comparison
//! is time comparison and the indexes on `closed_at` and `notes.created_at` apply.

use rusqlite::{Connection, params};

use crate::error::Result;

/// Open deals summed per currency, stage and expected close month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenGroup {
    /// Upper-cased.
    pub currency: String,
    pub stage: String,
    /// `2026-12`; `None` when the deals have no expected close date.
    pub month: Option<String>,
    pub count: i64,
    pub value_cents: i64,
    /// Each deal's value at its stage's probability, truncated to the cent per deal (as
    /// `domain::deal::weighted` does), then summed.
    pub weighted_cents: i64,
}

/// The stages open deals are in, to look their probabilities up in the config.
pub fn open_stages(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt =
        conn.prepare_cached("SELECT DISTINCT stage FROM deals WHERE status = 'open' ORDER BY 1")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// `probabilities`: stage name -> percent, for every stage of `open_stages`; a stage missing
/// from it weighs 0.
pub fn open_deals(conn: &Connection, probabilities: &[(String, u8)]) -> Result<Vec<OpenGroup>> {
    let map: serde_json::Map<String, serde_json::Value> = probabilities
        .iter()
        .map(|(s, p)| (s.clone(), serde_json::Value::from(*p)))
        .collect();
    let json = serde_json::Value::Object(map).to_string();
    let mut stmt = conn.prepare_cached(
        "WITH p(stage, prob) AS (SELECT key, value FROM json_each(?1))
         SELECT upper(d.currency), d.stage, substr(d.expected_close, 1, 7), count(*),
                sum(d.value_cents), sum(d.value_cents * coalesce(p.prob, 0) / 100)
         FROM deals d LEFT JOIN p ON p.stage = d.stage
         WHERE d.status = 'open'
         GROUP BY 1, 2, 3",
    )?;
    let rows = stmt.query_map([json], |r| {
        Ok(OpenGroup {
            currency: r.get(0)?,
            stage: r.get(1)?,
            month: r.get(2)?,
            count: r.get(3)?,
            value_cents: r.get(4)?,
            weighted_cents: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Deals closed (won or lost) since `since`, per currency and status.
#[derive(Debug, Clone, PartialEq)]
pub struct ClosedGroup {
    pub currency: String,
    /// `won` or `lost`.
    pub won: bool,
    pub count: i64,
    pub value_cents: i64,
    /// Sum over the group of the days from creation to closing.
    pub days: f64,
}

pub fn closed_since(conn: &Connection, since: &str) -> Result<Vec<ClosedGroup>> {
    let mut stmt = conn.prepare_cached(
        "SELECT upper(currency), status = 'won', count(*), sum(value_cents),
                total(julianday(closed_at) - julianday(created_at))
         FROM deals
         WHERE closed_at >= ?1 AND status IN ('won', 'lost')
         GROUP BY 1, 2",
    )?;
    let rows = stmt.query_map([since], |r| {
        Ok(ClosedGroup {
            currency: r.get(0)?,
            won: r.get(1)?,
            count: r.get(2)?,
            value_cents: r.get(3)?,
            days: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Stays in a stage that ended since `since`, per stage.
#[derive(Debug, Clone, PartialEq)]
pub struct StageStays {
    pub stage: String,
    pub stays: i64,
    pub days: f64,
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
pub fn stage_days(conn: &Connection, since: &str) -> Result<Vec<StageStays>> {
    let mut stmt = conn.prepare_cached(
        "SELECT stage, count(*), total(julianday(next_at) - julianday(at))
         FROM (SELECT stage, event, at,
                      lead(at) OVER (PARTITION BY deal_id ORDER BY at, id) AS next_at
               FROM deal_events
               WHERE deal_id IN (SELECT deal_id FROM deal_events WHERE at >= ?1))
         WHERE event IN ('stage', 'reopened') AND next_at >= ?1
         GROUP BY stage",
    )?;
    let rows = stmt.query_map([since], |r| {
        Ok(StageStays {
            stage: r.get(0)?,
            stays: r.get(1)?,
            days: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Contacts per lead source (compared trimmed and case-insensitively; blank is none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceGroup {
    pub source: Option<String>,
    pub contacts: i64,
    pub customers: i64,
    pub won_cents: i64,
}

/// Every contact of the book, archived ones too (they were leads all the same); `won_cents`
/// sums the won deals in `currency` of each source's contacts.
pub fn sources(conn: &Connection, currency: &str) -> Result<Vec<SourceGroup>> {
    let mut stmt = conn.prepare_cached(
        "WITH c AS (
           SELECT id, status, nullif(trim(source), '') AS source,
                  lower(nullif(trim(source), '')) AS skey
           FROM contacts),
         w AS (
           SELECT c.skey, sum(d.value_cents) AS cents
           FROM deals d JOIN c ON c.id = d.contact_id
           WHERE d.status = 'won' AND upper(d.currency) = ?1
           GROUP BY c.skey)
         SELECT min(c.source), count(*), sum(c.status IN ('customer', 'repeat')),
                coalesce((SELECT cents FROM w WHERE w.skey IS c.skey), 0)
         FROM c
         GROUP BY c.skey
         ORDER BY c.skey IS NULL, count(*) DESC, c.skey",
    )?;
    let rows = stmt.query_map([currency], |r| {
        Ok(SourceGroup {
            source: r.get(0)?,
            contacts: r.get(1)?,
            customers: r.get(2)?,
            won_cents: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Notes in `[from, until)` by kind, and the calls' outcomes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoteCounts {
    pub call: i64,
    pub email: i64,
    pub meeting: i64,
    pub note: i64,
    pub calls_connected: i64,
    pub calls_with_outcome: i64,
}

pub fn note_counts(conn: &Connection, from: &str, until: &str) -> Result<NoteCounts> {
    let mut stmt = conn.prepare_cached(
        "SELECT kind, outcome, count(*) FROM notes
         WHERE created_at >= ?1 AND created_at < ?2
         GROUP BY kind, outcome",
    )?;
    let mut rows = stmt.query(params![from, until])?;
    let mut c = NoteCounts::default();
    while let Some(r) = rows.next()? {
        let kind: String = r.get(0)?;
        let outcome: Option<String> = r.get(1)?;
        let n: i64 = r.get(2)?;
        match kind.as_str() {
            "call" => {
                c.call += n;
                if let Some(o) = outcome {
                    c.calls_with_outcome += n;
                    if o == "connected" {
                        c.calls_connected += n;
                    }
                }
            }
            "email" => c.email += n,
            "meeting" => c.meeting += n,
            _ => c.note += n,
        }
    }
    Ok(c)
}
