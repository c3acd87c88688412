//! Deals and their history.

use crate::storage::sql;
use crate::storage::sql::{OptionalExtension, Row, params};

use crate::domain::deal::{DealEvent, DealStatus};
use crate::error::{Error, Result};
use crate::storage::Snapshot;
use crate::storage::contacts::stamp_col;
use crate::storage::{Change, Db};

use crate::domain::deal::{Deal, HistoryEntry, ListFilter, NewDeal, PipelineFilter};

const SELECT: &str = "SELECT d.id, d.title, d.contact_id, c.name, co.name, d.value_cents, d.currency,
    d.stage, d.status, d.lost_reason, d.expected_close, d.created_at, d.closed_at, d.stage_entered_at,
    d.version,
    d.updated_at,
    (SELECT coalesce(f.due_at, f.due_date) FROM follow_ups f WHERE f.deal_id = d.id AND f.status = 'open'
       ORDER BY f.due_date, f.due_at IS NOT NULL, f.due_at LIMIT 1),
    d.pipeline,
    (SELECT max(n.created_at) FROM notes n WHERE n.deal_id = d.id),
    d.owner
  FROM deals d JOIN contacts c ON c.id = d.contact_id LEFT JOIN companies co ON co.id = c.company_id";

fn from_row(r: &Row<'_>) -> sql::Result<Deal> {
    Ok(Deal {
        id: r.get(0)?,
        title: r.get(1)?,
        contact_id: r.get(2)?,
        contact_name: r.get(3)?,
        company: r.get(4)?,
        value_cents: r.get(5)?,
        currency: r.get(6)?,
        pipeline: r.get(17)?,
        stage: r.get(7)?,
        status: r.get(8)?,
        lost_reason: r.get(9)?,
        expected_close: r.get(10)?,
        created_at: stamp_col(r.get(11)?).unwrap_or_default(),
        closed_at: stamp_col(r.get(12)?),
        stage_entered_at: stamp_col(r.get(13)?).unwrap_or_default(),
        history: Vec::new(),
        version: r.get(14)?,
        owner: r.get(19)?,
        // The later of its own change and its last note (compared in Rust: SQLite's two-value
        // max() is PostgreSQL's greatest()).
        last_activity_at: stamp_col(std::cmp::max(r.get::<_, Option<String>>(15)?, r.get(18)?)),
        next_follow_up: r
            .get::<_, Option<String>>(16)?
            .map(crate::storage::contacts::due_text),
    })
}

fn with_history(conn: &Snapshot, mut d: Deal) -> Result<Deal> {
    d.history = history(conn, d.id)?;
    Ok(d)
}

pub fn history(conn: &Snapshot, deal_id: i64) -> Result<Vec<HistoryEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT event, stage, at, by_user FROM deal_events WHERE deal_id = ?1 ORDER BY at, id",
    )?;
    let rows = stmt.query_map([deal_id], |r| {
        Ok(HistoryEntry {
            event: r.get(0)?,
            stage: r.get(1)?,
            at: stamp_col(r.get(2)?).unwrap_or_default(),
            by: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<sql::Result<_>>()?)
}

pub fn get(conn: &Snapshot, id: i64) -> Result<Deal> {
    let d = conn
        .prepare_cached(&format!("{SELECT} WHERE d.id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or_else(|| Error::input(format!("no deal #{id}; `salesdesk deal list` shows them")))?;
    with_history(conn, d)
}

pub fn list(conn: &Snapshot, f: &ListFilter) -> Result<Vec<Deal>> {
    let mut sql = format!("{SELECT} WHERE 1 = 1");
    let mut args: Vec<sql::Value> = Vec::new();
    match &f.pipeline {
        Some(PipelineFilter::Is(p)) => {
            args.push(p.clone().into());
            sql.push_str(&format!(" AND d.pipeline = ?{}", args.len()));
        }
        Some(PipelineFilter::NoneOf(known)) => {
            for p in known {
                args.push(p.clone().into());
                sql.push_str(&format!(" AND d.pipeline != ?{}", args.len()));
            }
        }
        None => {}
    }
    if let Some(s) = &f.stage {
        args.push(s.clone().into());
        sql.push_str(&format!(" AND d.stage = ?{}", args.len()));
    }
    if let Some(s) = f.status {
        args.push(s.as_str().to_string().into());
        sql.push_str(&format!(" AND d.status = ?{}", args.len()));
    }
    if let Some(c) = f.contact_id {
        args.push(c.into());
        sql.push_str(&format!(" AND d.contact_id = ?{}", args.len()));
    }
    if let Some(c) = f.company_id {
        args.push(c.into());
        sql.push_str(&format!(" AND c.company_id = ?{}", args.len()));
    }
    sql.push_str(
        " ORDER BY d.status = 'open' DESC, d.expected_close IS NULL, d.expected_close, d.id",
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(sql::params_from_iter(args), from_row)?;
    let deals: Vec<Deal> = rows.collect::<sql::Result<_>>()?;
    if f.history {
        deals.into_iter().map(|d| with_history(conn, d)).collect()
    } else {
        Ok(deals)
    }
}

/// Adds a deal in `pipeline` at its stage, with its first history entry.
pub fn insert(chg: &mut Change<'_>, d: &NewDeal, pipeline: &str) -> Result<i64> {
    let title = d.title.trim();
    if title.is_empty() {
        return Err(Error::input("a deal needs a title (--title)"));
    }
    check_title(title)?;
    let now = chg.now();
    let id = chg.insert(
        "deals",
        "INSERT INTO deals(title, contact_id, value_cents, currency, stage, expected_close,
            stage_entered_at, created_at, updated_at, pipeline)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?7, ?8)",
        params![
            title,
            d.contact_id,
            d.value_cents,
            d.currency,
            d.stage,
            d.expected_close,
            now,
            pipeline
        ],
    )?;
    add_event(chg, id, DealEvent::Stage, &d.stage)?;
    Ok(id)
}

pub fn add_event(chg: &mut Change<'_>, deal_id: i64, event: DealEvent, stage: &str) -> Result<()> {
    let now = chg.now();
    chg.insert(
        "deal_events",
        "INSERT INTO deal_events(deal_id, event, stage, at) VALUES (?1, ?2, ?3, ?4)",
        params![deal_id, event, stage, now],
    )?;
    Ok(())
}

/// A deal's own fields as an edit leaves them (the stage moves through [`set_stage`]).
#[derive(Debug, Clone)]
pub struct DealFields<'a> {
    pub title: &'a str,
    pub contact_id: i64,
    pub value_cents: i64,
    pub currency: &'a str,
    pub expected_close: Option<String>,
}

/// Refuses a title past a one-line field's bound (domain::fields).
pub fn check_title(title: &str) -> Result<()> {
    crate::domain::fields::check_line("the deal's title", title).map_err(Error::input)
}

/// Writes a deal's own fields.
pub fn set_fields(chg: &mut Change<'_>, id: i64, f: &DealFields<'_>) -> Result<()> {
    let now = chg.now();
    chg.update(
        "deals",
        id,
        "UPDATE deals SET title = ?2, contact_id = ?3, value_cents = ?4, currency = ?5,
            expected_close = ?6, updated_at = ?7, version = version + 1 WHERE id = ?1",
        params![
            id,
            f.title,
            f.contact_id,
            f.value_cents,
            f.currency,
            f.expected_close,
            now
        ],
    )?;
    Ok(())
}

/// Moves a deal to `stage`, with its history entry.
pub fn set_stage(chg: &mut Change<'_>, id: i64, stage: &str) -> Result<()> {
    let now = chg.now();
    chg.update(
        "deals",
        id,
        "UPDATE deals SET stage = ?2, stage_entered_at = ?3, updated_at = ?3, version = version + 1 WHERE id = ?1",
        params![id, stage, now],
    )?;
    add_event(chg, id, DealEvent::Stage, stage)
}

/// Moves a deal to another pipeline at `stage`, with its history entry.
pub fn set_pipeline(chg: &mut Change<'_>, id: i64, pipeline: &str, stage: &str) -> Result<()> {
    let now = chg.now();
    chg.update(
        "deals",
        id,
        "UPDATE deals SET pipeline = ?2, stage = ?3, stage_entered_at = ?4, updated_at = ?4,
            version = version + 1 WHERE id = ?1",
        params![id, pipeline, stage, now],
    )?;
    add_event(chg, id, DealEvent::Stage, stage)
}

/// Writes a deal's value.
pub fn set_value(chg: &mut Change<'_>, id: i64, cents: i64) -> Result<()> {
    let now = chg.now();
    chg.update(
        "deals",
        id,
        "UPDATE deals SET value_cents = ?2, updated_at = ?3, version = version + 1 WHERE id = ?1",
        params![id, cents, now],
    )?;
    Ok(())
}

/// Closes a deal (won or lost, with the reason), with its history entry at `stage`.
pub fn close(
    chg: &mut Change<'_>,
    id: i64,
    status: DealStatus,
    reason: Option<&str>,
    stage: &str,
) -> Result<()> {
    let now = chg.now();
    chg.update(
        "deals",
        id,
        "UPDATE deals SET status = ?2, lost_reason = ?3, closed_at = ?4, updated_at = ?4, version = version + 1
         WHERE id = ?1",
        params![id, status, reason, now],
    )?;
    let event = if status == DealStatus::Won {
        DealEvent::Won
    } else {
        DealEvent::Lost
    };
    add_event(chg, id, event, stage)
}

/// Opens a closed deal again in `stage`, with its history entry.
pub fn reopen(chg: &mut Change<'_>, id: i64, stage: &str) -> Result<()> {
    let now = chg.now();
    chg.update(
        "deals",
        id,
        "UPDATE deals SET status = 'open', closed_at = NULL, lost_reason = NULL, stage_entered_at = ?2,
            updated_at = ?2, version = version + 1 WHERE id = ?1",
        params![id, now],
    )?;
    add_event(chg, id, DealEvent::Reopened, stage)
}

/// Refuses when the caller read the deal at another version than it has now.
pub fn check_version(d: &Deal, expected: Option<i64>) -> Result<()> {
    match expected {
        Some(v) if v != d.version => Err(Error::conflict(format!(
            "deal #{} \"{}\" was changed elsewhere since you opened it; reload and try again",
            d.id, d.title
        ))),
        _ => Ok(()),
    }
}

/// The reasons deals were lost before, most used first, to offer again.
pub fn lost_reasons(conn: &Snapshot, limit: usize) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT lost_reason FROM deals WHERE status = 'lost' AND lost_reason IS NOT NULL AND lost_reason != ''
         GROUP BY lost_reason ORDER BY count(*) DESC, max(closed_at) DESC LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit as i64], |r| r.get(0))?;
    Ok(rows.collect::<sql::Result<_>>()?)
}

/// Deals closed (won or lost) at or after `since` (a stored UTC stamp), newest first: what
/// the board shows when asked for this month's closed deals.
pub fn closed_since(conn: &Snapshot, since: &str) -> Result<Vec<Deal>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE d.status != 'open' AND d.closed_at >= ?1 ORDER BY d.closed_at DESC, d.id DESC"
    ))?;
    let rows = stmt.query_map([since], from_row)?;
    Ok(rows.collect::<sql::Result<_>>()?)
}

/// Whether the contact has an open deal of that title in that pipeline.
pub fn open_titled(conn: &Snapshot, contact_id: i64, pipeline: &str, title: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*) FROM deals
              WHERE contact_id = ?1 AND pipeline = ?2 AND title = ?3 AND status = 'open'",
        )?
        .query_row(params![contact_id, pipeline, title], |r| r.get::<_, i64>(0))?
        > 0)
}

/// The pipelines the deals are in, each once: one seek of `deals_pipeline` a pipeline, not a
/// read of every deal.
pub fn pipelines_in_use(conn: &Snapshot) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "WITH RECURSIVE p(name) AS (
           SELECT min(pipeline) FROM deals
           UNION ALL
           SELECT (SELECT min(pipeline) FROM deals WHERE pipeline > p.name) FROM p
           WHERE p.name IS NOT NULL)
         SELECT name FROM p WHERE name IS NOT NULL",
    )?;
    let rows = stmt.query_map((), |r| r.get(0))?;
    Ok(rows.collect::<sql::Result<_>>()?)
}

/// Moves a contact's deals to another contact (merging two contacts).
pub fn move_to_contact(chg: &mut Change<'_>, from: i64, into: i64) -> Result<()> {
    let ids: Vec<i64> = chg
        .read()
        .prepare("SELECT id FROM deals WHERE contact_id = ?1")?
        .query_map([from], |r| r.get(0))?
        .collect::<sql::Result<_>>()?;
    for id in ids {
        chg.update(
            "deals",
            id,
            "UPDATE deals SET contact_id = ?2, version = version + 1 WHERE id = ?1",
            params![id, into],
        )?;
    }
    Ok(())
}

impl Db {
    /// Ends the upgrade to several pipelines (migration 0013): the deals that were in the one
    /// pipeline of before go to the config's `first` pipeline. Part of the schema upgrade, so
    /// it makes no undo entry; done once, then the mark is gone.
    pub fn settle_pipeline_upgrade(&mut self, first: &str) -> Result<bool> {
        let marked = |c: &sql::Conn| {
            c.query_row(
                "SELECT value FROM meta WHERE key = 'deals_to_first_pipeline'",
                (),
                |r| r.get::<_, String>(0),
            )
            .optional()
        };
        // Every later open only looks: the write is taken once, and the mark read again in it.
        if marked(&self.conn)?.is_none() {
            return Ok(false);
        }
        self.outside_undo(|tx| {
            let Some(from) = marked(tx)? else {
                return Ok(false);
            };
            let moved = if from != first {
                tx.execute(
                    "UPDATE deals SET pipeline = ?2 WHERE pipeline = ?1",
                    params![from, first],
                )?
            } else {
                0
            };
            tx.execute("DELETE FROM meta WHERE key = 'deals_to_first_pipeline'", ())?;
            Ok(moved > 0)
        })
    }
}
