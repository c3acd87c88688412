//! One reminders pass (docs/MANUAL.md, "Reminders"): what came due since the catch-up limit
//! and was not sent yet, and the morning summary, each claimed in the book before it is
//! delivered so that two passes at once send it once. Delivery is the caller's (`io::notify`).

use chrono::{DateTime, Local};
use serde::Serialize;

use crate::clock::{parse_stamp, stamp, to_local_rfc3339};
use crate::domain::remind::{self, Message, Via};
use crate::domain::team::Scope;
use crate::error::{Error, Result};
use crate::ops::Desk;
use crate::storage::{follow_ups, remind as kept};

pub use crate::storage::remind::Sent;

/// A claim older than this that was never settled belongs to a pass that died: the next
/// pass takes it over. Longer than a pass may take (see `PASS_BUDGET`).
const STALE_CLAIM: chrono::Duration = chrono::Duration::minutes(10);
/// A pass stops delivering after this long and gives the rest back for the next pass, so a
/// slow command or bus cannot hold claims until they go stale.
const PASS_BUDGET: std::time::Duration = std::time::Duration::from_secs(240);

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
    /// The ways it still goes out (those that sent it already are not asked again).
    #[serde(serialize_with = "via_names")]
    pub via: Vec<Via>,
    /// The follow-up (0 for a morning) and the due instant as stored: its key with each way.
    #[serde(skip)]
    pub key: (i64, String),
}

fn via_names<S: serde::Serializer>(via: &[Via], s: S) -> std::result::Result<S::Ok, S::Error> {
    s.collect_seq(via.iter().map(|v| v.as_str()))
}

/// What a pass will do: the notifications, and a morning with nothing due, recorded so the
/// day gets no summary later on.
#[derive(Debug, Default)]
pub struct Plan {
    pub outgoing: Vec<Outgoing>,
    pub quiet_morning: Option<(i64, String)>,
}

/// What a pass did.
#[derive(Debug, Default)]
pub struct Pass {
    /// Those at least one way delivered.
    pub sent: Vec<Outgoing>,
    /// Each way that failed, with why: not recorded, tried again next pass.
    pub failed: Vec<(Outgoing, Via, Error)>,
}

impl Desk {
    /// What a pass would send now (nothing is written): `remind --dry-run`, and the pass.
    pub fn remind_plan(&mut self) -> Result<Plan> {
        let cfg = self.config.remind.clone();
        let via = cfg.via();
        let names: Vec<&str> = via.iter().map(|v| v.as_str()).collect();
        let now = self.clock.now();
        if remind::quiet_now(cfg.quiet(), now) || names.is_empty() {
            return Ok(Plan::default());
        }
        let window = (
            stamp(remind::window_start(now, cfg.catch_up(), cfg.quiet())),
            stamp(now),
        );
        let stale = stamp(now - STALE_CLAIM);
        let morning = remind::morning_due(now, cfg.morning(), &self.config.workdays());
        let today = self.clock.today();
        let now_naive = self.clock.now_naive();
        let day = remind::morning_key(today);
        // On a team's book each user has their own morning: the day's record names them.
        let morning_key = match self.db.on_server() {
            true => (day.0, format!("{} {}", day.1, self.db.user())),
            false => day.clone(),
        };
        self.db.read(|conn| {
            let mut plan = Plan::default();
            for (f, stored) in
                kept::due_unsent(conn, (&window.0, &window.1), &names, &stale, now_naive)?
            {
                let pending = kept::pending_vias(conn, (f.id, &stored), &names, &stale)?;
                if let Some(o) = due_one(&f, &stored, now, ways(&pending)) {
                    plan.outgoing.push(o);
                }
            }
            let pending =
                kept::pending_vias(conn, (morning_key.0, &morning_key.1), &names, &stale)?;
            if morning && !pending.is_empty() {
                let (overdue, due) = follow_ups::due_counts(conn, today, &Scope::Mine)?;
                let (first, _) = follow_ups::due_page(
                    conn,
                    None,
                    today,
                    remind::MORNING_ITEMS,
                    now_naive,
                    &Scope::Mine,
                )?;
                match remind::morning_message(overdue, due, &first, today) {
                    Some(message) => plan.outgoing.insert(
                        0,
                        Outgoing {
                            kind: "morning",
                            follow_up_id: None,
                            due_at: day.1.clone(),
                            message,
                            via: ways(&pending),
                            key: morning_key,
                        },
                    ),
                    None => plan.quiet_morning = Some(morning_key),
                }
            }
            Ok(plan)
        })
    }

    /// One pass: plan, claim each way of each notification, deliver with `deliver`, record
    /// what went out. A way that failed gives its claim back, so the next pass tries it (and
    /// only it) again.
    pub fn remind_pass(
        &mut self,
        deliver: &mut dyn FnMut(&Outgoing, Via) -> Result<()>,
    ) -> Result<Pass> {
        let plan = self.remind_plan()?;
        let mut pass = Pass::default();
        let now = self.clock.stamp();
        let stale = stamp(self.clock.now() - STALE_CLAIM);
        if let Some((id, day)) = plan.quiet_morning {
            // Nothing due this morning: the day is done, without a notification.
            let keys: Vec<kept::Key> = self
                .config
                .remind
                .via()
                .iter()
                .map(|v| (id, day.clone(), v.as_str().to_string()))
                .collect();
            self.db.remind_claim(&keys, &now, &stale)?;
            self.db.remind_settle(&keys, &[], &now, &now)?;
        }
        let keys: Vec<kept::Key> = plan
            .outgoing
            .iter()
            .flat_map(|o| {
                o.via
                    .iter()
                    .map(|v| (o.key.0, o.key.1.clone(), v.as_str().to_string()))
            })
            .collect();
        if keys.is_empty() {
            return Ok(pass);
        }
        let mut won = self.db.remind_claim(&keys, &now, &stale)?.into_iter();
        let started = std::time::Instant::now();
        let (mut sent, mut failed) = (Vec::new(), Vec::new());
        for o in plan.outgoing {
            let mut delivered = false;
            for v in o.via.clone() {
                if !won.next().unwrap_or(false) {
                    continue;
                }
                let key = (o.key.0, o.key.1.clone(), v.as_str().to_string());
                let result = if started.elapsed() > PASS_BUDGET {
                    Err(Error::env("not tried: the pass ran out of time"))
                } else {
                    deliver(&o, v)
                };
                match result {
                    Ok(()) => {
                        delivered = true;
                        sent.push(key);
                    }
                    Err(e) => {
                        failed.push(key);
                        pass.failed.push((o.clone(), v, e));
                    }
                }
            }
            if delivered {
                pass.sent.push(o);
            }
        }
        self.db
            .remind_settle(&sent, &failed, &now, &self.clock.stamp())?;
        Ok(pass)
    }

    /// The last reminders sent, newest first, for `remind status`.
    pub fn reminders_sent(&mut self, n: usize) -> Result<Vec<kept::Sent>> {
        self.db.read(|conn| kept::last_sent(conn, n))
    }
}

fn ways(names: &[&str]) -> Vec<Via> {
    names.iter().filter_map(|n| Via::parse(n)).collect()
}

/// A timed follow-up that came due, keyed by its due instant as stored; None for one whose
/// stored time cannot be read (`db check` reports those).
fn due_one(
    f: &crate::domain::follow_up::FollowUp,
    stored: &str,
    now: DateTime<Local>,
    via: Vec<Via>,
) -> Option<Outgoing> {
    let due = parse_stamp(stored)?;
    Some(Outgoing {
        kind: "follow_up",
        follow_up_id: Some(f.id),
        due_at: to_local_rfc3339(stored),
        message: remind::due_message(f, due, now),
        via,
        key: (f.id, stored.to_string()),
    })
}
