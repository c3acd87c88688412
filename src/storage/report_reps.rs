//! The report's table per rep (`report --json`'s `reps`): what each owner won and lost in the
//! period, their calls and how many connected, and their open pipeline in the book's currency.
//! On a personal book the one row is its one user's; a report cut to one owner has their row.
//! A deal is its owner's; a call, its author's.

use std::collections::BTreeMap;

use crate::domain::note::Outcome;
use crate::domain::report::RepLine;
use crate::error::Result;
use crate::storage::Snapshot;
use crate::storage::report::{Owner, cut, text, with_owner};
use crate::storage::sql;

// A sum of values split in two halves, as the report's other money sums: never overflows.
const DEALS: &str = "SELECT owner,
       sum(CASE WHEN status = 'won' AND closed_at >= ?1 THEN 1 ELSE 0 END),
       sum(CASE WHEN status = 'lost' AND closed_at >= ?1 THEN 1 ELSE 0 END),
       sum(CASE WHEN status = 'open' AND upper(currency) = ?2 THEN value_cents >> 32 ELSE 0 END),
       sum(CASE WHEN status = 'open' AND upper(currency) = ?2
                THEN value_cents & 4294967295 ELSE 0 END)
    FROM deals/*owner*/ GROUP BY owner";

// Calls with an outcome are what a connect rate is over, as the report's own.
const CALLS: &str = "SELECT author, count(*),
       sum(CASE WHEN outcome IS NOT NULL THEN 1 ELSE 0 END),
       sum(CASE WHEN outcome = 'connected' THEN 1 ELSE 0 END)
    FROM notes WHERE kind = 'call' AND created_at >= ?1/*owner*/ GROUP BY author";

// SQLite's: one outcome's calls by author (`?1` NULL for calls without one).
pub(in crate::storage) const CALLS_OF: &str = "SELECT author, count(*) FROM notes
    WHERE kind = 'call' AND outcome IS ?1 AND created_at >= ?2/*owner*/ GROUP BY author";

/// Everyone with deals or calls, and everyone on the team (a personal book's one user):
/// most won first. Cut to `owner`: their line alone.
pub fn reps(conn: &Snapshot, since: &str, currency: &str, owner: Owner) -> Result<Vec<RepLine>> {
    let mut by: BTreeMap<String, (RepLine, i64)> = BTreeMap::new();
    fn line(by: &mut BTreeMap<String, (RepLine, i64)>, owner: String) -> &mut (RepLine, i64) {
        by.entry(owner.clone())
            .or_insert_with(|| (RepLine::empty(owner), 0))
    }
    let mut stmt = conn.prepare_cached(&cut(conn, DEALS, " WHERE owner = ?3", owner))?;
    let args = with_owner(vec![text(since), text(currency)], owner);
    let mut rows = stmt.query(sql::params_from_iter(args))?;
    while let Some(r) = rows.next()? {
        let (l, _) = line(&mut by, r.get(0)?);
        l.won = r.get(1)?;
        l.lost = r.get(2)?;
        l.pipeline_cents =
            (i128::from(r.get::<_, i64>(3)?) << 32) + i128::from(r.get::<_, i64>(4)?);
    }
    if conn.on_server() {
        let mut stmt = conn.prepare_cached(&cut(conn, CALLS, " AND author = ?2", owner))?;
        let mut rows = stmt.query(sql::params_from_iter(with_owner(vec![text(since)], owner)))?;
        while let Some(r) = rows.next()? {
            let (l, with_outcome) = line(&mut by, r.get(0)?);
            l.calls = r.get(1)?;
            *with_outcome = r.get(2)?;
            l.connected = r.get(3)?;
        }
    } else {
        // A range of notes_kind_created per outcome, read from the index alone (it holds the
        // author): a statement costs nothing on SQLite, a row lookup per call did.
        let mut stmt = conn.prepare_cached(&cut(conn, CALLS_OF, " AND author = ?3", owner))?;
        for outcome in std::iter::once(None).chain(Outcome::ALL.iter().copied().map(Some)) {
            let args = vec![
                outcome.map_or(sql::Value::Null, |o| text(o.as_str())),
                text(since),
            ];
            let mut rows = stmt.query(sql::params_from_iter(with_owner(args, owner)))?;
            while let Some(r) = rows.next()? {
                let n: i64 = r.get(1)?;
                let (l, with_outcome) = line(&mut by, r.get(0)?);
                l.calls += n;
                if outcome.is_some() {
                    *with_outcome += n;
                }
                if outcome == Some(Outcome::Connected) {
                    l.connected += n;
                }
            }
        }
    }
    if let Some(owner) = owner {
        line(&mut by, owner.to_string());
    } else if !conn.on_server() {
        line(&mut by, crate::domain::team::LOCAL_USER.to_string());
    } else {
        let mut stmt = conn.prepare_cached("SELECT login FROM users")?;
        let mut rows = stmt.query(())?;
        while let Some(r) = rows.next()? {
            line(&mut by, r.get(0)?);
        }
    }
    let mut out: Vec<RepLine> = by
        .into_values()
        .map(|(l, with_outcome)| l.with_rates(with_outcome))
        .collect();
    out.sort_by(|a, b| {
        (b.won, b.pipeline_cents, &a.owner).cmp(&(a.won, a.pipeline_cents, &b.owner))
    });
    Ok(out)
}
