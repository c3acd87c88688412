//! Follow-ups: the due list, and writing them.

use crate::storage::sql;
use crate::storage::sql::{OptionalExtension, Row, params};
use chrono::{NaiveDate, NaiveDateTime};

use crate::clock::{local_instant, parse_stamp, stamp, to_local_rfc3339};
use crate::domain::follow_up::{FollowUpKind, FollowUpStatus, due_state, is_late};
use crate::domain::team::Scope;
use crate::error::{Error, Result};
use crate::storage::Snapshot;
use crate::storage::contacts::stamp_col;
use crate::storage::{Change, Unlogged};
use crate::when::When;

use crate::domain::follow_up::{FollowUp, ListFilter, NewFollowUp, Reconnect};

/// The labels (contact, company, deal) are the copies triggers keep on each follow-up
/// (migration 0008): no row of another table is read.
const SELECT: &str = "SELECT f.id, f.contact_id, f.contact_name, f.company_name, f.deal_id,
    f.deal_title, f.deal_value_cents, f.deal_currency,
    f.kind, f.text, f.due_date, f.due_at, f.every, f.done_at, f.status, f.version,
    f.seq_id, f.seq_name, f.seq_step, f.seq_steps, f.owner
  FROM follow_ups f";

/// `SELECT` for open rows only: the status is known, so every column comes from the covering
/// index `follow_ups_open` and the table itself is never read.
const SELECT_OPEN: &str = "SELECT f.id, f.contact_id, f.contact_name, f.company_name, f.deal_id,
    f.deal_title, f.deal_value_cents, f.deal_currency,
    f.kind, f.text, f.due_date, f.due_at, f.every, f.done_at, 'open', f.version,
    f.seq_id, f.seq_name, f.seq_step, f.seq_steps, f.owner
  FROM follow_ups f";

/// [`SELECT_OPEN`] on a server, whose open follow-ups' indexes (`follow_ups_open` and the
/// owner's `follow_ups_owner_open`) carry the text only as `text_head`, when it fits in an
/// index entry (server migration 11): the table is read for the rare text that does not.
const PG_SELECT_OPEN: &str = "SELECT f.id, f.contact_id, f.contact_name, f.company_name, f.deal_id,
    f.deal_title, f.deal_value_cents, f.deal_currency, f.kind,
    coalesce(f.text_head, (SELECT t.text FROM follow_ups t WHERE t.id = f.id)),
    f.due_date, f.due_at, f.every, f.done_at, 'open', f.version,
    f.seq_id, f.seq_name, f.seq_step, f.seq_steps, f.owner
  FROM follow_ups f";

/// The `SELECT` of open follow-ups for this engine, read from their indexes alone.
pub(super) fn select_open(conn: &Snapshot) -> &'static str {
    conn.pick(SELECT_OPEN, PG_SELECT_OPEN)
}

/// Order within a day: all-day first, then by time.
const ORDER: &str = "ORDER BY f.due_date, f.due_at IS NOT NULL, f.due_at, f.id";

pub(super) fn from_row(r: &Row<'_>, now: NaiveDateTime) -> sql::Result<FollowUp> {
    let due_date: String = r.get(10)?;
    let due_at: Option<String> = r.get(11)?;
    let status: FollowUpStatus = r.get(14)?;
    let date = due_date.parse::<NaiveDate>().unwrap_or_default();
    let at_local = due_at
        .as_deref()
        .and_then(parse_stamp)
        .map(|t| t.naive_local());
    let due = match at_local {
        Some(t) => When::At(t),
        None => When::Day(date),
    };
    Ok(FollowUp {
        id: r.get(0)?,
        contact_id: r.get(1)?,
        contact_name: r.get(2)?,
        company: r.get(3)?,
        deal_id: r.get(4)?,
        deal_title: r.get(5)?,
        deal_value_cents: r.get(6)?,
        deal_currency: r.get(7)?,
        kind: r.get(8)?,
        text: r.get(9)?,
        due_at: match due_at.as_deref() {
            Some(at) => to_local_rfc3339(at),
            None => due_date,
        },
        all_day: due_at.is_none(),
        late: is_late(status, at_local, now),
        every: r.get(12)?,
        done_at: stamp_col(r.get(13)?),
        status: due_state(status, date, now.date()),
        open: status,
        due,
        version: r.get(15)?,
        seq_id: r.get(16)?,
        sequence: crate::storage::sequences::label(r.get(17)?, r.get(18)?, r.get(19)?),
        owner: r.get(20)?,
    })
}

fn query(
    conn: &Snapshot,
    sql: &str,
    args: impl sql::Args,
    now: NaiveDateTime,
) -> Result<Vec<FollowUp>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(args, |r| from_row(r, now))?;
    Ok(rows.collect::<sql::Result<_>>()?)
}

pub fn get(conn: &Snapshot, id: i64, now: NaiveDateTime) -> Result<FollowUp> {
    query(conn, &format!("{SELECT} WHERE f.id = ?1"), [id], now)?
        .pop()
        .ok_or_else(|| {
            Error::input(format!(
                "no follow-up #{id}; `salesdesk follow-up list` shows them"
            ))
        })
}

/// The condition that cuts a list to `owner` (its argument `?n`), or nothing.
fn owned_by(owner: &Option<String>, col: &str, n: usize) -> String {
    match owner {
        Some(_) => format!(" AND {col} = ?{n}"),
        None => String::new(),
    }
}

/// Arguments, with the owner's last when the list is cut to one.
fn with_owner(mut args: Vec<sql::Value>, owner: Option<String>) -> Vec<sql::Value> {
    args.extend(owner.map(sql::Value::from));
    args
}

/// Open follow-ups due on or before `until`, oldest first: the daily list of `scope`.
pub fn due_until(
    conn: &Snapshot,
    until: NaiveDate,
    now: NaiveDateTime,
    scope: &Scope,
) -> Result<Vec<FollowUp>> {
    let owner = conn.owner_of(scope);
    query(
        conn,
        &format!(
            "{} WHERE f.status = 'open' AND f.due_date <= ?1{} {ORDER}",
            select_open(conn),
            owned_by(&owner, "f.owner", 2)
        ),
        sql::params_from_iter(with_owner(vec![until.to_string().into()], owner)),
        now,
    )
}

/// One page of the daily list: open follow-ups due from `first` (or any time before) through
/// `last`, in the daily list's order, at most `limit`; and how many there are in all. The TUI
/// loads the rows it can show, not every row due.
pub fn due_page(
    conn: &Snapshot,
    first: Option<NaiveDate>,
    last: NaiveDate,
    limit: usize,
    now: NaiveDateTime,
    scope: &Scope,
) -> Result<(Vec<FollowUp>, i64)> {
    let first = first.map_or_else(|| "0000-00-00".to_string(), |d| d.to_string());
    let owner = conn.owner_of(scope);
    let rows = query(
        conn,
        &format!(
            "{} WHERE f.status = 'open' AND f.due_date >= ?1 AND f.due_date <= ?2{}
             {ORDER} LIMIT ?3",
            select_open(conn),
            owned_by(&owner, "f.owner", 4)
        ),
        sql::params_from_iter(with_owner(
            vec![
                first.clone().into(),
                last.to_string().into(),
                (limit as i64).into(),
            ],
            owner.clone(),
        )),
        now,
    )?;
    let total: i64 = conn
        .prepare_cached(&format!(
            "SELECT count(*) FROM follow_ups WHERE status = 'open' AND due_date >= ?1 AND due_date <= ?2{}",
            owned_by(&owner, "owner", 3)
        ))?
        .query_row(
            sql::params_from_iter(with_owner(
                vec![first.into(), last.to_string().into()],
                owner,
            )),
            |r| r.get(0),
        )?;
    Ok((rows, total))
}

pub fn list(conn: &Snapshot, f: &ListFilter, now: NaiveDateTime) -> Result<Vec<FollowUp>> {
    let mut sql = format!("{SELECT} WHERE 1 = 1");
    let mut args: Vec<sql::Value> = Vec::new();
    if let Some(c) = f.contact_id {
        args.push(c.into());
        sql.push_str(&format!(" AND f.contact_id = ?{}", args.len()));
    }
    if let Some(d) = f.deal_id {
        args.push(d.into());
        sql.push_str(&format!(" AND f.deal_id = ?{}", args.len()));
    }
    if let Some(s) = f.status {
        args.push(s.as_str().to_string().into());
        sql.push_str(&format!(" AND f.status = ?{}", args.len()));
    }
    sql.push(' ');
    sql.push_str(ORDER);
    query(conn, &sql, sql::params_from_iter(args), now)
}

/// Counts for `today --brief`: overdue, due today, from the open-due index alone.
pub fn due_counts(conn: &Snapshot, today: NaiveDate, scope: &Scope) -> Result<(i64, i64)> {
    let owner = conn.owner_of(scope);
    let mine = owned_by(&owner, "owner", 2);
    let args = || sql::params_from_iter(with_owner(vec![today.to_string().into()], owner.clone()));
    let overdue: i64 = conn
        .prepare_cached(&format!(
            "SELECT count(*) FROM follow_ups WHERE status = 'open' AND due_date < ?1{mine}"
        ))?
        .query_row(args(), |r| r.get(0))?;
    let due: i64 = conn
        .prepare_cached(&format!(
            "SELECT count(*) FROM follow_ups WHERE status = 'open' AND due_date = ?1{mine}"
        ))?
        .query_row(args(), |r| r.get(0))?;
    Ok((overdue, due))
}

/// How many follow-ups were marked done on `day` (local), for the call-mode counter.
pub fn done_on(conn: &Snapshot, day: NaiveDate) -> Result<i64> {
    let start = stamp(local_instant(day.and_time(chrono::NaiveTime::MIN)));
    let end = match day.succ_opt() {
        Some(next) => stamp(local_instant(next.and_time(chrono::NaiveTime::MIN))),
        None => "9999".to_string(),
    };
    Ok(conn
        .prepare_cached(
            "SELECT count(*) FROM follow_ups WHERE status = 'done' AND done_at >= ?1 AND done_at < ?2",
        )?
        .query_row([start, end], |r| r.get(0))?)
}

/// The days since a contact's last contact, counted in local days (on a server, in the
/// session's time zone, which is set to the desk's). The server's own date arithmetic: its
/// schema's `julianday` and `date` read any text, too slow for every contact with a cadence.
const DAYS_SINCE: &str = "CAST(julianday(?1) - julianday(date(coalesce(c.last_contacted_at, c.created_at), 'localtime')) AS INTEGER)";
const PG_DAYS_SINCE: &str = "CAST(CAST(CAST(?1 AS TEXT) AS DATE)
    - CAST(CAST(coalesce(c.last_contacted_at, c.created_at) AS TIMESTAMPTZ) AS DATE) AS BIGINT)";

/// The condition that keeps [`lapsed`]'s rows whose cadence has run out.
const LAPSED: &str = "t.days >= t.cadence_days";

/// The contacts with a cadence and nothing scheduled (`?1`: today; `?2` their owner when
/// `owner`), as a table `t` of id, name, company_id, cadence_days, name_key and days, to be
/// cut to [`LAPSED`]. Each one's days are worked out once, in a subquery the planner may not
/// fold into the outer query (it would work them out again for the condition): on a server
/// that is a stamp parsed to a local date, ~1 µs a contact.
fn lapsed(conn: &Snapshot, owner: &Option<String>) -> String {
    format!(
        "(SELECT c.id, c.name, c.company_id, c.cadence_days, c.name_key, {} AS days
            FROM contacts c
           WHERE c.cadence_days IS NOT NULL AND c.archived = 0 AND c.open_follow_ups = 0{}
           {}) t",
        conn.pick(DAYS_SINCE, PG_DAYS_SINCE),
        owned_by(owner, "c.owner", 2),
        conn.pick("LIMIT -1", "OFFSET 0"),
    )
}

/// Contacts whose cadence has lapsed and who have nothing scheduled, most overdue first.
pub fn reconnect(conn: &Snapshot, today: NaiveDate, scope: &Scope) -> Result<Vec<Reconnect>> {
    let owner = conn.owner_of(scope);
    let lapsed = lapsed(conn, &owner);
    let sql = format!(
        "SELECT t.id, t.name, co.name, t.cadence_days, t.days
           FROM {lapsed} LEFT JOIN companies co ON co.id = t.company_id
          WHERE {LAPSED}
          ORDER BY t.days - t.cadence_days DESC, t.name_key, t.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let args = with_owner(vec![today.to_string().into()], owner);
    let rows = stmt.query_map(sql::params_from_iter(args), |r| {
        Ok(Reconnect {
            contact_id: r.get(0)?,
            name: r.get(1)?,
            company: r.get(2)?,
            cadence_days: r.get(3)?,
            days_since: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<sql::Result<_>>()?)
}

pub fn reconnect_count(conn: &Snapshot, today: NaiveDate, scope: &Scope) -> Result<i64> {
    let owner = conn.owner_of(scope);
    let sql = format!(
        "SELECT count(*) FROM {} WHERE {LAPSED}",
        lapsed(conn, &owner)
    );
    let args = with_owner(vec![today.to_string().into()], owner);
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(sql::params_from_iter(args), |r| r.get(0))?)
}

/// The stored columns of a due: the local date, and the UTC instant when timed.
pub fn due_columns(when: When) -> (String, Option<String>) {
    match when {
        When::Day(d) => (d.to_string(), None),
        When::At(t) => (t.date().to_string(), Some(stamp(local_instant(t)))),
    }
}

pub fn insert(chg: &mut Change<'_>, f: &NewFollowUp) -> Result<i64> {
    let (date, at) = due_columns(f.due);
    let now = chg.now();
    chg.insert(
        "follow_ups",
        "INSERT INTO follow_ups(contact_id, deal_id, kind, text, due_date, due_at, every, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        params![f.contact_id, f.deal_id, f.kind, f.text.trim(), date, at, f.every, now],
    )
}

/// A follow-up's fields as an edit leaves them.
#[derive(Debug, Clone)]
pub struct FollowUpFields<'a> {
    pub due: When,
    pub text: &'a str,
    pub kind: FollowUpKind,
    pub every: Option<String>,
    pub deal_id: Option<i64>,
}

/// Writes a follow-up's fields.
pub fn set_fields(chg: &mut Change<'_>, id: i64, f: &FollowUpFields<'_>) -> Result<()> {
    let (date, at) = due_columns(f.due);
    let now = chg.now();
    chg.update(
        "follow_ups",
        id,
        "UPDATE follow_ups SET due_date = ?2, due_at = ?3, text = ?4, kind = ?5, every = ?6,
            updated_at = ?7, deal_id = ?8, version = version + 1 WHERE id = ?1",
        params![id, date, at, f.text, f.kind, f.every, now, f.deal_id],
    )?;
    Ok(())
}

/// Moves a follow-up to another due (a snooze).
pub fn set_due(chg: &mut Change<'_>, id: i64, due: When) -> Result<()> {
    let (date, at) = due_columns(due);
    let now = chg.now();
    chg.update(
        "follow_ups",
        id,
        "UPDATE follow_ups SET due_date = ?2, due_at = ?3, updated_at = ?4, version = version + 1 WHERE id = ?1",
        params![id, date, at, now],
    )?;
    Ok(())
}

/// Marks a follow-up done now.
pub fn mark_done(chg: &mut Change<'_>, id: i64) -> Result<()> {
    let now = chg.now();
    chg.update(
        "follow_ups",
        id,
        "UPDATE follow_ups SET status = 'done', done_at = ?2, updated_at = ?2, version = version + 1 WHERE id = ?1",
        params![id, now],
    )?;
    Ok(())
}

/// Cancels a follow-up.
pub fn cancel(chg: &mut Change<'_>, id: i64) -> Result<()> {
    let now = chg.now();
    chg.update(
        "follow_ups",
        id,
        "UPDATE follow_ups SET status = 'cancelled', updated_at = ?2, version = version + 1 WHERE id = ?1",
        params![id, now],
    )?;
    Ok(())
}

/// Closes a follow-up (done or cancelled) at `at` as loading a history does (a generated
/// book): nobody edited it, so its version and update time stay.
pub fn close_in_history(w: &Unlogged<'_>, id: i64, status: FollowUpStatus, at: &str) -> Result<()> {
    w.exec(
        "UPDATE follow_ups SET status = ?2, done_at = ?3 WHERE id = ?1",
        params![id, status, at],
    )?;
    Ok(())
}

/// Cancels the open follow-ups of a deal; returns how many.
pub fn cancel_open_of_deal(chg: &mut Change<'_>, deal_id: i64) -> Result<usize> {
    let ids = crate::storage::lookups::open_follow_up_ids_of_deal(chg.read(), deal_id)?;
    for id in &ids {
        cancel(chg, *id)?;
    }
    Ok(ids.len())
}

/// The row's version now, or an error naming it when it is gone.
pub fn version(conn: &Snapshot, id: i64) -> Result<i64> {
    conn.prepare_cached("SELECT version FROM follow_ups WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::input(format!("no follow-up #{id}")))
}

pub fn check_version(id: i64, now: i64, expected: Option<i64>) -> Result<()> {
    match expected {
        Some(v) if v != now => Err(Error::conflict(format!(
            "follow-up #{id} was changed elsewhere since you opened it; reload and try again"
        ))),
        _ => Ok(()),
    }
}

/// Each contact's earliest open follow-up tied to no deal, `(contact_id, due)`, for the
/// contacts with deals: on the board, a step with the person is a next step for their deals.
pub fn next_open_by_contact(conn: &Snapshot) -> Result<std::collections::HashMap<i64, When>> {
    // Only the contacts with a deal, and no ORDER BY: the earliest is kept here, so SQLite
    // sorts nothing and the map holds one entry per such contact (on the large book it was
    // a sort of every open follow-up in memory, tens of megabytes for a moment).
    let mut stmt = conn.prepare_cached(
        // Pinned: without table statistics SQLite takes the (contact_id, status) index, which
        // sends every open follow-up to its row (0.44 s against 0.06 s on the large book).
        "SELECT contact_id, due_date, due_at FROM follow_ups INDEXED BY follow_ups_contact_next
         WHERE status = 'open' AND deal_id IS NULL AND contact_id IN (SELECT contact_id FROM deals)",
    )?;
    let mut earliest: std::collections::HashMap<i64, (String, Option<String>)> =
        std::collections::HashMap::new();
    let mut rows = stmt.query(())?;
    while let Some(r) = rows.next()? {
        let contact: i64 = r.get(0)?;
        let date: String = r.get(1)?;
        let at: Option<String> = r.get(2)?;
        // The order of `today`: by day, all-day before timed, then by time.
        match earliest.get_mut(&contact) {
            Some(e)
                if (date.as_str(), at.is_some(), at.as_deref())
                    < (e.0.as_str(), e.1.is_some(), e.1.as_deref()) =>
            {
                *e = (date, at)
            }
            Some(_) => {}
            None => {
                earliest.insert(contact, (date, at));
            }
        }
    }
    Ok(earliest
        .into_iter()
        .filter_map(|(contact, (date, at))| {
            let due = match at.as_deref().and_then(parse_stamp) {
                Some(t) => When::At(t.naive_local()),
                None => When::Day(NaiveDate::parse_from_str(&date, "%Y-%m-%d").ok()?),
            };
            Some((contact, due))
        })
        .collect())
}

/// Moves a contact's follow-ups to another contact (merging two contacts).
pub fn move_to_contact(chg: &mut Change<'_>, from: i64, into: i64) -> Result<()> {
    let ids: Vec<i64> = chg
        .read()
        .prepare("SELECT id FROM follow_ups WHERE contact_id = ?1")?
        .query_map([from], |r| r.get(0))?
        .collect::<sql::Result<_>>()?;
    for id in ids {
        chg.update(
            "follow_ups",
            id,
            "UPDATE follow_ups SET contact_id = ?2, version = version + 1 WHERE id = ?1",
            params![id, into],
        )?;
    }
    Ok(())
}
