//! One reminders pass (docs/MANUAL.md, "Reminders"): what came due since the catch-up limit
//! and was not sent yet, and the morning summary, each claimed in the book before it is
//! delivered so that two passes at once send it once. Delivery is the caller's (`io::notify`).

use chrono::{DateTime, Local};
use serde::Serialize;

use crate::clock::{parse_stamp, stamp, to_local_rfc3339};
use crate::domain::remind::{self, Message};
use crate::error::{Error, Result};
use crate::ops::Desk;
use crate::storage::{follow_ups, remind as kept};

pub use crate::storage::remind::Sent;

/// A notification the pass will send, and what it is for.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Outgoing {
    /// `follow_up` or `morning`.
    pub kind: &'static str,
    pub follow_up_id: Option<i64>,
    /// When it was due (RFC 3339, local); the day, for a morning summary.
    pub due_at: String,
    #[serde(flatten)]
    pub message: Message,
    /// The key it is recorded under: the follow-up (0 for a morning) and the due instant.
    #[serde(skip)]
    pub key: (i64, String),
}

/// What a pass did.
#[derive(Debug, Default)]
pub struct Pass {
    pub sent: Vec<Outgoing>,
    /// Those whose delivery failed, with why: not recorded, tried again next pass.
    pub failed: Vec<(Outgoing, Error)>,
}

impl Desk {
    /// What a pass would send now (nothing is written): `remind --dry-run`, and the pass.
    pub fn remind_plan(&mut self) -> Result<Vec<Outgoing>> {
        let cfg = self.config.remind.clone();
        let now = self.clock.now();
        if remind::quiet_now(cfg.quiet(), now) {
            return Ok(Vec::new());
        }
        let from = stamp(now - cfg.catch_up());
        let to = stamp(now);
        let morning = remind::morning_due(now, cfg.morning(), &self.config.workdays());
        let today = self.clock.today();
        let now_naive = self.clock.now_naive();
        self.db.read(|conn| {
            let mut out: Vec<Outgoing> = kept::due_unsent(conn, &from, &to, now_naive)?
                .iter()
                .filter_map(|(f, stored)| due_one(f, stored, now))
                .collect();
            let day = remind::morning_key(today);
            if morning && !kept::morning_taken(conn, &day.1)? {
                let (overdue, due) = follow_ups::due_counts(conn, today)?;
                let (first, _) =
                    follow_ups::due_page(conn, None, today, remind::MORNING_ITEMS, now_naive)?;
                if let Some(message) = remind::morning_message(overdue, due, &first, today) {
                    out.insert(
                        0,
                        Outgoing {
                            kind: "morning",
                            follow_up_id: None,
                            due_at: day.1.clone(),
                            message,
                            key: day,
                        },
                    );
                }
            }
            Ok(out)
        })
    }

    /// One pass: plan, claim, deliver each with `deliver`, record what went out. A failed
    /// delivery gives its claim back, so the next pass tries it again.
    pub fn remind_pass(
        &mut self,
        deliver: &mut dyn FnMut(&Outgoing) -> Result<()>,
    ) -> Result<Pass> {
        let plan = self.remind_plan()?;
        let mut pass = Pass::default();
        if plan.is_empty() {
            return Ok(pass);
        }
        let now = self.clock.stamp();
        let keys: Vec<(i64, String)> = plan.iter().map(|o| o.key.clone()).collect();
        let won = self.db.remind_claim(&keys, &now)?;
        for (o, ours) in plan.into_iter().zip(won) {
            if !ours {
                continue;
            }
            match deliver(&o) {
                Ok(()) => pass.sent.push(o),
                Err(e) => pass.failed.push((o, e)),
            }
        }
        let sent: Vec<(i64, String)> = pass.sent.iter().map(|o| o.key.clone()).collect();
        let failed: Vec<(i64, String)> = pass.failed.iter().map(|(o, _)| o.key.clone()).collect();
        self.db.remind_settle(&sent, &failed, &now)?;
        Ok(pass)
    }

    /// The last reminders sent, newest first, for `remind status`.
    pub fn reminders_sent(&mut self, n: usize) -> Result<Vec<kept::Sent>> {
        self.db.read(|conn| kept::last_sent(conn, n))
    }
}

/// A timed follow-up that came due, keyed by its due instant as stored; None for one whose
/// stored time cannot be read (`db check` reports those).
fn due_one(
    f: &crate::domain::follow_up::FollowUp,
    stored: &str,
    now: DateTime<Local>,
) -> Option<Outgoing> {
    let due = parse_stamp(stored)?;
    Some(Outgoing {
        kind: "follow_up",
        follow_up_id: Some(f.id),
        due_at: to_local_rfc3339(stored),
        message: remind::due_message(f, due, now),
        key: (f.id, stored.to_string()),
    })
}
