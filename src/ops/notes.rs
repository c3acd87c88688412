//! Logging a note in one step: the note, the follow-up it completes, the next one, and the
//! commands at its end (`@fri #proposal $12k`), all in one transaction.

use crate::domain::deal::Deal;
use crate::domain::deal::DealStatus;
use crate::domain::follow_up::FollowUpKind;
use crate::domain::follow_up::NewFollowUp;
use crate::domain::inline::{self, Close, Commands};
use crate::domain::money;
use crate::domain::note::NewNote;
use crate::domain::note::{NoteKind, Outcome};
use crate::error::{Error, Result};
use crate::ops::{Desk, deals as deal_ops, follow_ups as fu_ops, sequences};
use crate::storage::deals;
use crate::storage::follow_ups;
use crate::storage::notes;
use crate::storage::{Change, contacts};
use crate::when::{self, When};

#[derive(Debug, Clone, PartialEq)]
pub struct NoteInput {
    pub contact_id: i64,
    pub deal_id: Option<i64>,
    pub kind: NoteKind,
    pub outcome: Option<Outcome>,
    pub body: String,
    /// The follow-up this note completes.
    pub done: Option<i64>,
    pub next: Option<When>,
    pub next_text: Option<String>,
    pub next_kind: Option<FollowUpKind>,
    /// Leave `@…`, `#…`, `$…` at the end as plain text.
    pub raw: bool,
    /// When it happened, for a note logged late (`note --at`); None is now.
    pub at: Option<chrono::NaiveDateTime>,
    /// Seen by its author and the managers only (`note --private`).
    pub private: bool,
}

impl NoteInput {
    pub fn new(contact_id: i64, body: impl Into<String>) -> Self {
        Self {
            contact_id,
            deal_id: None,
            kind: NoteKind::Note,
            outcome: None,
            body: body.into(),
            done: None,
            next: None,
            next_text: None,
            next_kind: None,
            raw: false,
            at: None,
            private: false,
        }
    }
}

/// What saving the note will do, worked out before anything is written.
#[derive(Debug, Clone, Default)]
pub struct NotePlan {
    pub commands: Commands,
    pub deal: Option<Deal>,
    pub next: Option<When>,
    /// One line per effect: "next follow-up Fri 27 Nov", "deal #3 Acme rollout → Proposal".
    pub effects: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct NoteSaved {
    pub note_id: i64,
    pub next_follow_up: Option<i64>,
    /// The follow-up that replaces a completed repeating one.
    pub repeated: Option<i64>,
    pub effects: Vec<String>,
}

/// What a note's plan depends on, the book aside: the note without its words, the commands
/// its words end with, and the minute. Equal keys plan alike on the same book, so a form plans
/// again when its key changes rather than at every letter typed: a plan reads the book (a few
/// round trips on a server), and a form plans on the UI thread.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanKey {
    input: NoteInput,
    commands: Commands,
    minute: chrono::NaiveDateTime,
}

impl Desk {
    /// The key of `input`'s plan now (see [`PlanKey`]); reads nothing.
    fn note_plan_key(&self, input: &NoteInput) -> PlanKey {
        let now = self.clock.now_naive();
        let commands = commands_of(&self.config, now, input);
        let minute = now
            .date()
            .and_hms_opt(
                chrono::Timelike::hour(&now),
                chrono::Timelike::minute(&now),
                0,
            )
            .unwrap_or(now);
        PlanKey {
            input: NoteInput {
                body: String::new(),
                ..input.clone()
            },
            commands,
            minute,
        }
    }

    /// What saving `input` will do (one line per effect), or why it cannot be saved; None,
    /// reading nothing, when `planned` holds the same key (a form's last plan stands).
    pub fn replan_note(
        &mut self,
        input: &NoteInput,
        planned: &mut Option<PlanKey>,
    ) -> Option<Result<Vec<String>, String>> {
        let key = self.note_plan_key(input);
        if planned.as_ref() == Some(&key) {
            return None;
        }
        let plan = self.plan_note(input);
        // A failed read (a lost connection) is not the plan: the next key reads again.
        *planned = match &plan {
            Err(Error::Env(_)) => None,
            _ => Some(key),
        };
        Some(plan.map(|p| p.effects).map_err(|e| e.to_string()))
    }

    pub fn plan_note(&mut self, input: &NoteInput) -> Result<NotePlan> {
        let config = self.config.clone();
        let now = self.clock.now_naive();
        self.db.read(|conn| plan(conn, &config, now, input))
    }

    pub fn log_note(&mut self, input: &NoteInput) -> Result<NoteSaved> {
        if input.body.trim().is_empty() {
            return Err(Error::input("the note is empty; nothing saved"));
        }
        let config = self.config.clone();
        self.db.write(&self.clock, |chg| {
            let now = chg.clock().now_naive();
            let plan = plan(chg.read(), &config, now, input)?;
            let who = contacts::name_of(chg.read(), input.contact_id)?;
            chg.describe(match input.kind {
                NoteKind::Note => format!("logging a note on {who}"),
                k => format!(
                    "logging a{} {k} with {who}",
                    if k == NoteKind::Email { "n" } else { "" }
                ),
            });
            save(chg, &config, input, plan)
        })
    }
}

/// The commands at the end of the note's words (none for a raw note).
fn commands_of(
    config: &crate::config::Config,
    now: chrono::NaiveDateTime,
    input: &NoteInput,
) -> Commands {
    if input.raw {
        return Commands::default();
    }
    // `#word` is kept as typed while any pipeline has such a stage: it is read in the deal's
    // own pipeline once the deal is known (`#qu` is Qualified on sales, Quoted on renewals).
    inline::parse(&input.body, now, &|w| {
        config.resolve_stage_any(w).map(|_| w.to_string())
    })
}

fn plan(
    conn: &crate::storage::Snapshot,
    config: &crate::config::Config,
    now: chrono::NaiveDateTime,
    input: &NoteInput,
) -> Result<NotePlan> {
    contacts::get(conn, input.contact_id)?;
    if let Some(o) = input.outcome
        && !o.fits(input.kind)
    {
        let fits = Outcome::for_kind(input.kind);
        let takes = if fits.is_empty() {
            "no outcome".to_string()
        } else {
            fits.iter()
                .map(|o| o.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        return Err(Error::input(format!(
            "outcome {o} does not fit a {kind}; a {kind} takes {takes} (--kind call takes connected, voicemail, no-answer; email replied; meeting held, no-show)",
            kind = input.kind
        )));
    }
    let mut commands = commands_of(config, now, input);
    if let Some(why) = &commands.bad_when {
        return Err(Error::input(format!(
            "{why}; nothing saved (--raw keeps the words as plain text)"
        )));
    }
    if let Some(at) = input.at
        && at > now
    {
        return Err(Error::input(format!(
            "the note's time {} has not come yet; a note is backdated, never dated ahead",
            at.format("%Y-%m-%d %H:%M")
        )));
    }
    let mut deal = match input.deal_id {
        Some(id) => {
            let d = deals::get(conn, id)?;
            if d.contact_id != input.contact_id {
                return Err(Error::input(format!(
                    "deal #{id} belongs to {}, not this contact",
                    d.contact_name
                )));
            }
            Some(d)
        }
        None => None,
    };
    let mut effects = Vec::new();
    if commands.needs_deal() && deal.is_none() {
        let open = deals::list(
            conn,
            &crate::domain::deal::ListFilter {
                contact_id: Some(input.contact_id),
                status: Some(DealStatus::Open),
                ..Default::default()
            },
        )?;
        let raw_hint = "add --deal DEAL, or --raw to keep the words as plain text";
        deal = match open.len() {
            1 => open.into_iter().next(),
            0 => {
                return Err(Error::input(format!(
                    "the note's commands need a deal, and this contact has no open deal; nothing saved ({raw_hint})"
                )));
            }
            n => {
                return Err(Error::input(format!(
                    "the note's commands need a deal, and this contact has {} ({}); nothing saved ({raw_hint})",
                    crate::text::plural(n, "open deal"),
                    open.iter()
                        .map(|d| format!("#{} {}", d.id, d.title))
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
        };
    }
    if let Some(d) = &deal {
        if let Some(word) = commands.stage.take() {
            let stage = config
                .resolve_stage_in(&d.pipeline, &word)
                .map_err(|e| Error::input(format!("#{word}: {e}; nothing saved")))?;
            commands.stage = Some(stage);
        }
        if commands.needs_deal() && d.status != DealStatus::Open {
            return Err(Error::input(format!(
                "deal #{} is {}, so the note's commands cannot change it; nothing saved (`deal reopen {}` first, or --raw)",
                d.id, d.status, d.id
            )));
        }
        if let Some(s) = &commands.stage {
            if *s == d.stage && commands.close.is_none() {
                effects.push(format!("deal #{} {} stays in {s}", d.id, d.title));
            } else {
                effects.push(format!("deal #{} {} → {s}", d.id, d.title));
            }
        }
        if let Some(v) = commands.value_cents {
            effects.push(format!(
                "deal #{} value → {}",
                d.id,
                money::format(v, &d.currency)
            ));
        }
        match commands.close {
            Some(Close::Won) => effects.push(format!("deal #{} {} won", d.id, d.title)),
            Some(Close::Lost) => effects.push(format!("deal #{} {} lost", d.id, d.title)),
            None => {}
        }
        if commands.close.is_some() {
            let open = crate::storage::lookups::open_follow_ups_of_deal(conn, d.id, input.done)?;
            effects.extend(deal_ops::cancelled_words(open as usize));
        }
    }
    let next = input.next.or(commands.next);
    let sequence = sequences::plan_effects(conn, config, now, input, next)?;
    // A step's completion schedules the sequence's next step at that date, not another one.
    let takes_next = sequence.iter().any(|e| e.contains(" step "));
    if let Some(n) = next.filter(|_| !takes_next) {
        effects.push(format!("next follow-up {}", when::describe(n, now)));
    }
    effects.extend(sequence);
    Ok(NotePlan {
        commands,
        deal,
        next,
        effects,
    })
}

fn save(
    chg: &mut Change<'_>,
    config: &crate::config::Config,
    input: &NoteInput,
    plan: NotePlan,
) -> Result<NoteSaved> {
    let deal_id = plan.deal.as_ref().map(|d| d.id);
    let at = input
        .at
        .map(|t| crate::clock::stamp(crate::clock::local_instant(t)));
    let note_id = notes::insert_at(
        chg,
        &NewNote {
            contact_id: input.contact_id,
            deal_id,
            kind: input.kind,
            outcome: input.outcome,
            body: input.body.trim_end().to_string(),
            private: input.private,
        },
        at,
    )?;
    let mut effects = Vec::new();
    let stop = sequences::stop_for_note(chg.read(), input.contact_id, input.kind, input.outcome)?;
    // A `#won`/`#lost` that will stop the sequence stops it before a next step is made.
    let closes_it = match (&plan.deal, plan.commands.close) {
        (Some(d), Some(c)) => {
            sequences::stops_on_close(chg.read(), d.id, d.contact_id, c == Close::Won)?
        }
        _ => false,
    };
    let advance = stop.is_none() && !closes_it;
    let done = match input.done {
        Some(fid) => complete_for_note(chg, config, input, fid, advance, plan.next)?,
        None => Completed::default(),
    };
    effects.extend(done.effects);
    if let Some((e, why)) = stop {
        sequences::stop_in(chg, &e, why)?;
        effects.push(format!("sequence {} stopped: {}", e.sequence, why.as_str()));
    }
    if let Some(d) = &plan.deal {
        let c = &plan.commands;
        if let Some(v) = c.value_cents {
            deals::set_value(chg, d.id, v)?;
            effects.push(format!(
                "deal #{} value → {}",
                d.id,
                money::format(v, &d.currency)
            ));
        }
        if let Some(s) = &c.stage
            && *s != d.stage
        {
            let fresh = deals::get(chg.read(), d.id)?;
            let s = &config.resolve_stage_in(&fresh.pipeline, s)?;
            deal_ops::move_deal_in(chg, &fresh, s)?;
            effects.push(format!("deal #{} {} → {s}", d.id, d.title));
        }
        if let Some(close) = c.close {
            let fresh = deals::get(chg.read(), d.id)?;
            let cancelled = match close {
                Close::Won => {
                    let how = deal_ops::Closing {
                        status: DealStatus::Won,
                        reason: None,
                        keep_follow_ups: false,
                    };
                    let (n, opened) = deal_ops::close_and_cancel_in(chg, config, &fresh, how)?;
                    effects.push(format!("deal #{} {} won", d.id, d.title));
                    effects.extend(opened.words());
                    n
                }
                Close::Lost => {
                    // The reason is what the note says, not the command that closed it.
                    let now = chg.clock().now_naive();
                    let reason = inline::text_before_commands(&input.body, now, &|w| {
                        config.resolve_stage_any(w)
                    });
                    let reason = if reason.is_empty() {
                        input.body.trim()
                    } else {
                        reason
                    };
                    let how = deal_ops::Closing {
                        status: DealStatus::Lost,
                        reason: Some(reason),
                        keep_follow_ups: false,
                    };
                    let (n, _) = deal_ops::close_and_cancel_in(chg, config, &fresh, how)?;
                    effects.push(format!("deal #{} {} lost", d.id, d.title));
                    n
                }
            };
            effects.extend(deal_ops::cancelled_words(cancelled));
        }
    }
    let mut next_follow_up = done.next_step;
    // A next step asked for while the contact's sequence goes on is the sequence's open step,
    // moved to it: never a second follow-up beside it.
    if let Some(due) = plan.next.filter(|_| next_follow_up.is_none() && advance)
        && let Some(step) = sequence_step_to_move(chg, input.contact_id)?
    {
        crate::storage::follow_ups::set_due(chg, step, due)?;
        effects.push(format!(
            "the sequence's step #{step} moved to {}",
            when::describe(due, chg.clock().now_naive())
        ));
        next_follow_up = Some(step);
    }
    // Where the completed follow-up was a sequence's step, its next step is the next one.
    if let Some(due) = plan.next.filter(|_| next_follow_up.is_none()) {
        let text = input
            .next_text
            .clone()
            .unwrap_or_else(|| default_next_text(&input.body));
        let kind = input.next_kind.unwrap_or(match input.kind {
            NoteKind::Email => FollowUpKind::Email,
            NoteKind::Meeting => FollowUpKind::Meeting,
            _ => FollowUpKind::Call,
        });
        let id = follow_ups::insert(
            chg,
            &NewFollowUp {
                contact_id: input.contact_id,
                deal_id,
                kind,
                text,
                due,
                every: None,
            },
        )?;
        effects.push(format!(
            "next follow-up #{id} {}",
            when::describe(due, chg.clock().now_naive())
        ));
        next_follow_up = Some(id);
    }
    Ok(NoteSaved {
        note_id,
        next_follow_up,
        repeated: done.repeated,
        effects,
    })
}

/// The open step of the sequence the contact is in, if any.
fn sequence_step_to_move(chg: &mut Change<'_>, contact_id: i64) -> Result<Option<i64>> {
    match crate::storage::sequences::active_of(chg.read(), contact_id)? {
        Some(e) => crate::storage::sequences::open_step(chg.read(), e.id),
        None => Ok(None),
    }
}

/// What completing the note's follow-up did.
#[derive(Default)]
struct Completed {
    repeated: Option<i64>,
    /// The sequence's next step, scheduled at the note's next date when it asked for one.
    next_step: Option<i64>,
    effects: Vec<String>,
}

/// Completes the follow-up the note is about: a repeating one comes back, a sequence's step
/// moves the sequence on (unless the note stops it).
fn complete_for_note(
    chg: &mut Change<'_>,
    config: &crate::config::Config,
    input: &NoteInput,
    fid: i64,
    advance: bool,
    next: Option<When>,
) -> Result<Completed> {
    let f = follow_ups::get(chg.read(), fid, chg.clock().now_naive())?;
    if f.contact_id != input.contact_id {
        return Err(Error::input(format!(
            "follow-up #{fid} is for {}, not this contact",
            f.contact_name
        )));
    }
    let f = fu_ops::mark_done_in(chg, fid)?;
    let now = chg.clock().now_naive();
    let mut out = Completed {
        effects: vec![format!("follow-up #{fid} done")],
        ..Default::default()
    };
    if let Some(label) = f.sequence.clone() {
        if !advance {
            return Ok(out);
        }
        match sequences::advance_in(chg, &f, next, &config.workdays())? {
            Some(sequences::Advanced::Next { id, step, due }) => {
                out.effects.push(format!(
                    "sequence {} step {step} of {}: follow-up #{id} {}",
                    label.name,
                    label.steps,
                    when::describe(due, now)
                ));
                out.next_step = Some(id);
            }
            Some(sequences::Advanced::Finished) => {
                out.effects
                    .push(format!("sequence {} finished", label.name));
            }
            None => {}
        }
        return Ok(out);
    }
    out.repeated = fu_ops::repeat_in(chg, &f, &config.workdays())?;
    if let Some(r) = out.repeated {
        let due = follow_ups::get(chg.read(), r, now)?.due;
        out.effects.push(format!(
            "repeats as follow-up #{r} {}",
            when::describe(due, now)
        ));
    }
    Ok(out)
}

/// "Follow up: wants pricing for 40 seats" from the note's first line, commands left out.
pub fn default_next_text(body: &str) -> String {
    let first = body
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let words: Vec<&str> = first
        .split_whitespace()
        .take_while(|w| !w.starts_with(['@', '#', '$']))
        .collect();
    let text = crate::text::truncate(&words.join(" "), 60);
    if text.is_empty() {
        "Follow up".into()
    } else {
        format!("Follow up: {text}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Clock;
    use crate::domain::contact::ContactFields;
    use crate::domain::deal::NewDeal;
    use chrono::{Local, NaiveDate, TimeZone};

    fn clock(minute: u32, second: u32) -> Clock {
        let t = NaiveDate::from_ymd_opt(2026, 11, 23)
            .and_then(|d| d.and_hms_opt(9, minute, second))
            .expect("a time");
        Clock::fixed(Local.from_local_datetime(&t).earliest().expect("local"))
    }

    /// A form plans again when the commands, the note's other fields or the minute change,
    /// and reads nothing while only plain words are typed: the deal renamed behind the form
    /// shows only once something the plan depends on changes.
    #[test]
    fn a_form_plans_again_only_when_what_the_plan_depends_on_changes() {
        let mut desk = Desk::in_memory(clock(0, 0)).expect("a desk");
        let fields = |name: &str| ContactFields {
            name: Some(name.to_string()),
            ..Default::default()
        };
        let ana = desk.add_contact(&fields("Ana Souza")).expect("ana");
        let bo = desk.add_contact(&fields("Bo Lind")).expect("bo");
        let deal = desk
            .add_deal(&NewDeal {
                title: "Rollout".into(),
                contact_id: ana,
                value_cents: 100,
                currency: "USD".into(),
                stage: "Qualified".into(),
                expected_close: None,
            })
            .expect("a deal");
        let mut planned = None;
        let mut replan = |desk: &mut Desk, contact: i64, body: &str| {
            desk.replan_note(&NoteInput::new(contact, body), &mut planned)
        };
        let first = replan(&mut desk, ana, "called #prop").expect("planned");
        assert!(
            first
                .as_ref()
                .is_ok_and(|e| e.iter().any(|l| l.contains("Rollout → Proposal"))),
            "{first:?}"
        );
        desk.edit_deal(
            deal,
            &crate::ops::deals::DealEdit {
                title: Some("Renamed".into()),
                ..Default::default()
            },
            None,
        )
        .expect("renamed");
        assert_eq!(replan(&mut desk, ana, "called them about it #prop"), None);
        desk.clock = clock(0, 40);
        assert_eq!(
            replan(&mut desk, ana, "called them #prop"),
            None,
            "same minute"
        );

        let won = replan(&mut desk, ana, "called them #won").expect("new commands");
        assert!(
            won.as_ref()
                .is_ok_and(|e| e.iter().any(|l| l.contains("Renamed won"))),
            "{won:?}"
        );
        assert!(
            replan(&mut desk, bo, "called them #won").is_some(),
            "contact"
        );
        assert!(replan(&mut desk, bo, "called them #won").is_none());
        desk.clock = clock(1, 0);
        assert!(
            replan(&mut desk, bo, "called them #won").is_some(),
            "minute"
        );
    }
}
