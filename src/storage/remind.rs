//! The reminders pass's bookkeeping: which follow-up was sent for which due instant. It is
//! written outside the undo log on purpose (docs/MANUAL.md, "Reminders"): sending is not a
//! change to the book, so it makes no undo entry, bumps no row version, and an edit open in
//! the desk is never refused because a reminder went out.

use chrono::NaiveDateTime;
use rusqlite::{TransactionBehavior, params};

use crate::domain::follow_up::FollowUp;
use crate::error::Result;
use crate::storage::{Db, Snapshot, busy, follow_ups};

/// A claim left by a pass that died before it finished delivering is taken over after this
/// long (the pass runs every minute and delivers in well under a second).
const STALE_CLAIM_SECS: i64 = 120;

/// What was sent, newest first, for `remind status`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Sent {
    /// 0 for a morning summary.
    pub follow_up_id: i64,
    /// The due instant (UTC) sent for; a date for a morning summary.
    pub due_at: String,
    pub sent_at: String,
    /// The contact, while the follow-up is still in the book.
    pub contact_name: Option<String>,
    pub text: Option<String>,
}

/// Open timed follow-ups due after `from` and up to `to` (UTC stamps) not yet sent for that
/// due instant, oldest first, each with the instant as stored: the key it is sent under.
pub fn due_unsent(
    conn: &Snapshot,
    from: &str,
    to: &str,
    now: NaiveDateTime,
) -> Result<Vec<(FollowUp, String)>> {
    let sql = format!(
        "{} WHERE f.status = 'open' AND f.due_at IS NOT NULL AND f.due_at > ?1 AND f.due_at <= ?2
           AND NOT EXISTS (SELECT 1 FROM reminders_sent s
                           WHERE s.follow_up_id = f.id AND s.due_at = f.due_at)
         ORDER BY f.due_at, f.id",
        follow_ups::SELECT_OPEN
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![from, to], |r| {
        Ok((follow_ups::from_row(r, now)?, r.get::<_, String>(11)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Whether the morning summary of `day` (`YYYY-MM-DD`) was sent or is being sent.
pub fn morning_taken(conn: &Snapshot, day: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*) FROM reminders_sent WHERE follow_up_id = 0 AND due_at = ?1",
        )?
        .query_row([day], |r| r.get::<_, i64>(0))?
        > 0)
}

/// The last `n` reminders sent.
pub fn last_sent(conn: &Snapshot, n: usize) -> Result<Vec<Sent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.follow_up_id, s.due_at, s.sent_at, f.contact_name, f.text
           FROM reminders_sent s LEFT JOIN follow_ups f ON f.id = s.follow_up_id
          WHERE s.sent_at IS NOT NULL
          ORDER BY s.sent_at DESC, s.follow_up_id DESC LIMIT ?1",
    )?;
    let rows = stmt.query_map([n as i64], |r| {
        Ok(Sent {
            follow_up_id: r.get(0)?,
            due_at: r.get(1)?,
            sent_at: r.get(2)?,
            contact_name: r.get(3)?,
            text: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl Db {
    /// Claims each key (follow-up id, due instant) for this pass, in one transaction: true
    /// for the ones this pass won, false for those another pass sent or is sending.
    pub fn remind_claim(&mut self, keys: &[(i64, String)], now: &str) -> Result<Vec<bool>> {
        let stale = crate::clock::parse_stamp(now)
            .map(|t| crate::clock::stamp(t - chrono::Duration::seconds(STALE_CLAIM_SECS)))
            .unwrap_or_default();
        self.bookkeeping(|tx| {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO reminders_sent (follow_up_id, due_at, claimed_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (follow_up_id, due_at) DO UPDATE SET claimed_at = excluded.claimed_at
                 WHERE sent_at IS NULL AND claimed_at < ?4",
            )?;
            let mut won = Vec::with_capacity(keys.len());
            for (id, due) in keys {
                won.push(stmt.execute(params![id, due, now, stale])? == 1);
            }
            Ok(won)
        })
    }

    /// Settles this pass's claims: the delivered ones are recorded as sent, the failed ones
    /// given up so the next pass tries again. Rows of a month ago are dropped on the way.
    pub fn remind_settle(
        &mut self,
        sent: &[(i64, String)],
        failed: &[(i64, String)],
        now: &str,
    ) -> Result<()> {
        let month_ago = crate::clock::parse_stamp(now)
            .map(|t| crate::clock::stamp(t - chrono::Duration::days(31)))
            .unwrap_or_default();
        self.bookkeeping(|tx| {
            let mut mark = tx.prepare_cached(
                "UPDATE reminders_sent SET sent_at = ?3 WHERE follow_up_id = ?1 AND due_at = ?2",
            )?;
            for (id, due) in sent {
                mark.execute(params![id, due, now])?;
            }
            let mut drop = tx.prepare_cached(
                "DELETE FROM reminders_sent
                  WHERE follow_up_id = ?1 AND due_at = ?2 AND sent_at IS NULL",
            )?;
            for (id, due) in failed {
                drop.execute(params![id, due])?;
            }
            tx.execute(
                "DELETE FROM reminders_sent WHERE sent_at IS NOT NULL AND sent_at < ?1",
                [month_ago],
            )?;
            Ok(())
        })
    }

    fn bookkeeping<T>(
        &mut self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<T>,
    ) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| busy::explain(e, self.path.as_deref()))?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(id: i64, due: &str) -> (i64, String) {
        (id, due.to_string())
    }

    #[test]
    fn a_claim_is_won_once_and_a_failed_one_is_free_again() {
        let mut db = Db::open_in_memory().unwrap();
        let now = "2026-12-04T15:00:00Z";
        let k = [
            key(7, "2026-12-04T14:59:00Z"),
            key(8, "2026-12-04T14:58:00Z"),
        ];
        assert_eq!(db.remind_claim(&k, now).unwrap(), vec![true, true]);
        assert_eq!(db.remind_claim(&k, now).unwrap(), vec![false, false]);
        db.remind_settle(&k[..1], &k[1..], now).unwrap();
        assert_eq!(db.remind_claim(&k, now).unwrap(), vec![false, true]);
        let sent = db.peek(|s| last_sent(s, 5)).unwrap();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].follow_up_id, 7);
    }

    #[test]
    fn a_claim_abandoned_by_a_dead_pass_is_taken_over_later() {
        let mut db = Db::open_in_memory().unwrap();
        let k = [key(7, "2026-12-04T14:59:00Z")];
        assert_eq!(
            db.remind_claim(&k, "2026-12-04T15:00:00Z").unwrap(),
            vec![true]
        );
        assert_eq!(
            db.remind_claim(&k, "2026-12-04T15:01:00Z").unwrap(),
            vec![false]
        );
        assert_eq!(
            db.remind_claim(&k, "2026-12-04T15:03:00Z").unwrap(),
            vec![true]
        );
    }
}
