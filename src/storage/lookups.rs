//! Small reads the verbs ask for before they decide: how many open follow-ups a deal keeps,
//! how many deals a contact has won, who holds an email.

use crate::storage::sql;
use crate::storage::sql::{OptionalExtension, params};

use crate::error::Result;
use crate::storage::Snapshot;

/// The deal's open follow-ups, leaving out `except` (the one being marked done).
pub fn open_follow_ups_of_deal(conn: &Snapshot, deal_id: i64, except: Option<i64>) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM follow_ups WHERE deal_id = ?1 AND status = 'open' AND id IS DISTINCT FROM ?2",
        params![deal_id, except],
        |r| r.get(0),
    )?)
}

/// The contact's won deals other than `deal_id`.
pub fn wins_besides(conn: &Snapshot, contact_id: i64, deal_id: i64) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM deals WHERE contact_id = ?1 AND status = 'won' AND id != ?2",
        params![contact_id, deal_id],
        |r| r.get(0),
    )?)
}

/// Rows in the book: companies.
pub fn companies(conn: &Snapshot) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM companies", (), |r| r.get(0))?)
}

/// Rows in the book: contacts.
pub fn contacts(conn: &Snapshot) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM contacts", (), |r| r.get(0))?)
}

/// The highest contact id given so far (0 in a new book): where a bulk load numbers on from.
pub fn last_contact_id(conn: &Snapshot) -> Result<i64> {
    Ok(
        conn.query_row("SELECT coalesce(max(id), 0) FROM contacts", (), |r| {
            r.get(0)
        })?,
    )
}

/// The open deals in stage `stage`.
pub fn open_deals_in(conn: &Snapshot, stage: &str) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM deals WHERE status = 'open' AND stage = ?1",
        [stage],
        |r| r.get(0),
    )?)
}

/// The first contact (lowest id) holding the `kind` key (`email`, `phone`) `key`.
pub fn key_holder(conn: &Snapshot, kind: &str, key: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT contact_id FROM contact_keys WHERE kind = ?1 AND key = ?2 ORDER BY contact_id LIMIT 1",
        )?
        .query_row(params![kind, key], |r| r.get(0))
        .optional()?)
}

/// The deal's open follow-ups, by id.
pub fn open_follow_up_ids_of_deal(conn: &Snapshot, deal_id: i64) -> Result<Vec<i64>> {
    // The open step of a sequence still under way is the sequence's, not the deal's: closing
    // the deal stops the sequence only where its `stop_on` says so (which cancels the step).
    let ids = conn
        .prepare_cached(
            "SELECT id FROM follow_ups WHERE deal_id = ?1 AND status = 'open'
               AND (seq_id IS NULL
                    OR seq_id NOT IN (SELECT id FROM sequence_enrollments WHERE status = 'active'))",
        )?
        .query_map([deal_id], |r| r.get(0))?
        .collect::<sql::Result<_>>()?;
    Ok(ids)
}

/// The values of the `meta` keys from `from` up to (not including) `to`, in key order.
pub fn meta_values_in(conn: &Snapshot, from: &str, to: &str) -> Result<Vec<String>> {
    let values = conn
        .prepare_cached("SELECT value FROM meta WHERE key >= ?1 AND key < ?2 ORDER BY key")?
        .query_map(params![from, to], |r| r.get(0))?
        .collect::<sql::Result<_>>()?;
    Ok(values)
}
