//! The reminders pass's bookkeeping: which follow-up was sent for which due instant. It is
//! written outside the undo log on purpose (docs/MANUAL.md, "Reminders"): sending is not a
//! change to the book, so it makes no undo entry, bumps no row version, and an edit open in
//! the desk is never refused because a reminder went out.

use crate::storage::sql;
use crate::storage::sql::params;
use chrono::NaiveDateTime;

use crate::domain::follow_up::FollowUp;
use crate::error::Result;
use crate::storage::{Db, Snapshot, follow_ups};

/// One delivery's key: the follow-up (0 for a morning summary), the due instant as stored (a
/// date for a morning summary), and the way (`desktop`, `print`, `command`).
pub type Key = (i64, String, String);

/// What was sent, newest first, for `remind status`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Sent {
    /// 0 for a morning summary.
    pub follow_up_id: i64,
    /// The due instant (UTC) sent for; a date for a morning summary.
    pub due_at: String,
    pub via: String,
    pub sent_at: String,
    /// The contact, while the follow-up is still in the book.
    pub contact_name: Option<String>,
    pub text: Option<String>,
}

/// Open timed follow-ups of the user's (all of a personal book's) due after `from` and up to
/// `to` (UTC stamps) that some way of `vias` has not sent yet for that due instant, oldest
/// first, each with the instant as stored.
pub fn due_unsent(
    conn: &Snapshot,
    (from, to): (&str, &str),
    vias: &[&str],
    stale: &str,
    now: NaiveDateTime,
) -> Result<Vec<(FollowUp, String)>> {
    // One parameter a way (there are three at most), after the four fixed ones.
    let ways = match vias.len() {
        0 => "NULL".to_string(),
        n => (5..5 + n)
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", "),
    };
    let owner = conn.owner_of(&crate::domain::team::Scope::Mine);
    let mine = match owner {
        Some(_) => format!(" AND f.owner = ?{}", 5 + vias.len()),
        None => String::new(),
    };
    let sql = format!(
        "{} WHERE f.status = 'open' AND f.due_at IS NOT NULL AND f.due_at > ?1 AND f.due_at <= ?2{mine}
           AND (SELECT count(*) FROM reminders_sent s
                 WHERE s.follow_up_id = f.id AND s.due_at = f.due_at
                   AND s.via IN ({ways})
                   -- sent, or claimed by a pass still within its time
                   AND (s.sent_at IS NOT NULL OR s.claimed_at >= ?3)) < ?4
         ORDER BY f.due_at, f.id",
        follow_ups::select_open(conn)
    );
    let mut args: Vec<sql::Value> = vec![
        from.to_string().into(),
        to.to_string().into(),
        stale.to_string().into(),
        (vias.len() as i64).into(),
    ];
    args.extend(vias.iter().map(|v| sql::Value::from(v.to_string())));
    args.extend(owner.map(sql::Value::from));
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(args, |r| {
        Ok((follow_ups::from_row(r, now)?, r.get::<_, String>(11)?))
    })?;
    Ok(rows.collect::<sql::Result<_>>()?)
}

/// The ways of `vias` that have not sent (nor are sending) `(id, due)`.
pub fn pending_vias<'v>(
    conn: &Snapshot,
    (id, due): (i64, &str),
    vias: &[&'v str],
    stale: &str,
) -> Result<Vec<&'v str>> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.via FROM reminders_sent s
          WHERE s.follow_up_id = ?1 AND s.due_at = ?2
            AND (s.sent_at IS NOT NULL OR s.claimed_at >= ?3)",
    )?;
    let taken: Vec<String> = stmt
        .query_map(params![id, due, stale], |r| r.get(0))?
        .collect::<sql::Result<_>>()?;
    Ok(vias
        .iter()
        .copied()
        .filter(|v| !taken.iter().any(|t| t == v))
        .collect())
}

/// The last `n` reminders sent.
pub fn last_sent(conn: &Snapshot, n: usize) -> Result<Vec<Sent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.follow_up_id, s.due_at, s.via, s.sent_at, f.contact_name, f.text
           FROM reminders_sent s LEFT JOIN follow_ups f ON f.id = s.follow_up_id
          WHERE s.sent_at IS NOT NULL
          ORDER BY s.sent_at DESC, s.follow_up_id DESC, s.via LIMIT ?1",
    )?;
    let rows = stmt.query_map([n as i64], |r| {
        Ok(Sent {
            follow_up_id: r.get(0)?,
            due_at: r.get(1)?,
            via: r.get(2)?,
            sent_at: r.get(3)?,
            contact_name: r.get(4)?,
            text: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<sql::Result<_>>()?)
}

impl Db {
    /// Claims each key for this pass at `now`, in one transaction: true for the ones this
    /// pass holds, false for those another pass sent or is sending. A claim older than `stale`
    /// and never settled (its pass died) is taken over.
    pub fn remind_claim(&mut self, keys: &[Key], now: &str, stale: &str) -> Result<Vec<bool>> {
        self.outside_undo(|tx| {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO reminders_sent (follow_up_id, due_at, via, claimed_at)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (follow_up_id, due_at, via) DO UPDATE SET claimed_at = excluded.claimed_at
                 WHERE reminders_sent.sent_at IS NULL AND reminders_sent.claimed_at < ?5",
            )?;
            let mut won = Vec::with_capacity(keys.len());
            for (id, due, via) in keys {
                won.push(stmt.execute(params![id, due, via, now, stale])? == 1);
            }
            Ok(won)
        })
    }

    /// Settles the claims this pass made at `claimed`: the delivered ones are recorded as sent,
    /// the failed ones given up so the next pass tries again. A claim another pass has taken
    /// over meanwhile is that pass's to settle. Rows of a month ago are dropped on the way.
    pub fn remind_settle(
        &mut self,
        sent: &[Key],
        failed: &[Key],
        claimed: &str,
        now: &str,
    ) -> Result<()> {
        let month_ago = crate::clock::parse_stamp(now)
            .map(|t| crate::clock::stamp(t - chrono::Duration::days(31)))
            .unwrap_or_default();
        self.outside_undo(|tx| {
            let mut mark = tx.prepare_cached(
                "UPDATE reminders_sent SET sent_at = ?5
                  WHERE follow_up_id = ?1 AND due_at = ?2 AND via = ?3 AND claimed_at = ?4
                    AND sent_at IS NULL",
            )?;
            for (id, due, via) in sent {
                mark.execute(params![id, due, via, claimed, now])?;
            }
            let mut drop = tx.prepare_cached(
                "DELETE FROM reminders_sent
                  WHERE follow_up_id = ?1 AND due_at = ?2 AND via = ?3 AND claimed_at = ?4
                    AND sent_at IS NULL",
            )?;
            for (id, due, via) in failed {
                drop.execute(params![id, due, via, claimed])?;
            }
            tx.execute(
                "DELETE FROM reminders_sent WHERE sent_at IS NOT NULL AND sent_at < ?1",
                [month_ago],
            )?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: &str = "2026-12-04T15:00:00Z";
    const STALE: &str = "2026-12-04T14:50:00Z";

    fn key(id: i64, via: &str) -> Key {
        (id, "2026-12-04T14:59:00Z".to_string(), via.to_string())
    }

    fn pending(db: &mut Db, id: i64, stale: &str) -> Vec<&'static str> {
        db.peek(|s| {
            pending_vias(
                s,
                (id, "2026-12-04T14:59:00Z"),
                &["desktop", "command"],
                stale,
            )
        })
        .unwrap()
    }

    #[test]
    fn a_claim_is_held_once_and_a_failed_way_alone_is_free_again() {
        let mut db = Db::open_in_memory().unwrap();
        let k = [key(7, "desktop"), key(7, "command")];
        assert_eq!(db.remind_claim(&k, NOW, STALE).unwrap(), vec![true, true]);
        assert_eq!(db.remind_claim(&k, NOW, STALE).unwrap(), vec![false, false]);
        assert!(
            pending(&mut db, 7, STALE).is_empty(),
            "claimed: not planned again"
        );
        db.remind_settle(&k[..1], &k[1..], NOW, NOW).unwrap();
        assert_eq!(pending(&mut db, 7, STALE), vec!["command"]);
        assert_eq!(db.remind_claim(&k, NOW, STALE).unwrap(), vec![false, true]);
        let sent = db.peek(|s| last_sent(s, 5)).unwrap();
        assert_eq!(sent.len(), 1);
        assert_eq!((sent[0].follow_up_id, sent[0].via.as_str()), (7, "desktop"));
    }

    #[test]
    fn a_claim_abandoned_by_a_dead_pass_is_planned_and_taken_over_once_stale() {
        let mut db = Db::open_in_memory().unwrap();
        let k = [key(7, "desktop")];
        let early = "2026-12-04T14:00:00Z";
        assert_eq!(
            db.remind_claim(&k, early, "2026-12-04T13:50:00Z").unwrap(),
            vec![true]
        );
        // Ten minutes on the claim is still fresh; after that the plan sees it again.
        assert_eq!(pending(&mut db, 7, "2026-12-04T13:59:00Z"), vec!["command"]);
        assert_eq!(pending(&mut db, 7, STALE), vec!["desktop", "command"]);
        assert_eq!(db.remind_claim(&k, NOW, STALE).unwrap(), vec![true]);
        // The dead pass, waking up, cannot settle what is now another's.
        db.remind_settle(&[], &k, early, NOW).unwrap();
        assert_eq!(pending(&mut db, 7, STALE), vec!["command"]);
        db.remind_settle(&k, &[], NOW, NOW).unwrap();
        assert_eq!(db.peek(|s| last_sent(s, 5)).unwrap().len(), 1);
    }
}
