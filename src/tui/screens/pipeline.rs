//! The pipeline board: one column per configured stage, an "Unstaged" column for deals whose
//! stage the config no longer names, and (on request) the deals won and lost this month.
//!
//! Every open deal is read once, when the board opens or the book changes; keys then work on
//! what is in memory. A move re-reads only the deal it moved.

use std::cell::{Cell, RefCell};

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use nucleo_matcher::Matcher;

use crate::clock::{local_instant, stamp};
use crate::domain::deal::Deal;
use crate::domain::deal::{DealStatus, weighted};
use crate::domain::team::{initials, someone_else};
use crate::error::Result;
use crate::ops::Desk;
use crate::ops::board::BoardRead;
use crate::tui::screens::due_when;
use crate::tui::widgets::input::LineInput;
use crate::tui::worker::Asker;
use crate::when::When;

/// A deal as the board shows it: the row and what is worked out from it once, at load.
#[derive(Debug, Clone)]
pub struct BoardDeal {
    pub deal: Deal,
    pub days_in_stage: i64,
    /// Days since the last note, move or edit.
    pub quiet_days: i64,
    pub stale: bool,
    /// The deal's next open follow-up, else its contact's.
    pub next: Option<When>,
    /// Where the deal's stage sits in `[pipeline] stages`; None: unstaged.
    pub stage_ix: Option<usize>,
    /// In the book's currency (totalled with the others) rather than apart.
    pub home: bool,
    /// "title contact company", what the filter matches against.
    pub(super) hay: String,
    /// The owner's initials when the deal is someone else's (a team's book); None when mine.
    pub theirs: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// The index of the stage in `[pipeline] stages`.
    Stage(usize),
    Unstaged,
    Won,
    Lost,
}

#[derive(Debug, Clone)]
pub struct Column {
    pub kind: ColumnKind,
    pub title: String,
    pub probability: Option<u8>,
    /// Indexes into `PipelineScreen::deals`, in board order.
    pub cards: Vec<usize>,
    /// In the book's currency; sums are i128, which no number of deals can overflow.
    pub total: i128,
    pub weighted: i128,
    /// Totals in other currencies, each apart: `(code, cents)`.
    pub others: Vec<(String, i128)>,
}

#[derive(Debug)]
pub struct PipelineScreen {
    pub deals: Vec<BoardDeal>,
    pub columns: Vec<Column>,
    /// The selected column, and the selected row in each column.
    pub col: usize,
    pub rows: Vec<usize>,
    pub filter: LineInput,
    /// `/` was pressed: keys type into the filter.
    pub filtering: bool,
    /// Show the deals won and lost this month.
    pub show_closed: bool,
    pub currency: String,
    /// The pipeline shown (the title names it; `P` goes to the next), and those `P` walks:
    /// the config's, then Unfiled while a deal is in a pipeline the config lacks.
    pub pipeline: String,
    pub pipelines: Vec<String>,
    /// The config's pipelines as of the last load.
    configured: Vec<String>,
    pub stages: Vec<(String, u8)>,
    pub stale_after_days: u32,
    pub now: NaiveDateTime,
    /// Who works this desk: a card of someone else's deal says whose.
    pub me: String,
    /// Whose deals the board shows (`o`): None for everyone's.
    pub whose: Option<String>,
    /// Which deals pass the filter (all when it is empty); recomputed when the text changes.
    pub(super) matches: Vec<bool>,
    /// The filter text `matches` was worked out for.
    pub(super) matched: String,
    /// The stages' keys (`stage_key`), to place deals without folding names again.
    pub(super) stage_keys: Vec<String>,
    pub(super) matcher: Matcher,
    /// The whole board's open deals, totalled when it changes (not at every frame).
    pub summary: BoardSummary,
    /// Drawing state: the first row shown in each column, the first column shown.
    pub offsets: RefCell<Vec<usize>>,
    pub first_col: Cell<usize>,
    /// Reads the board off the UI thread (on the large book, 35,000 open deals take a few
    /// hundred milliseconds); a book in memory (tests) is read inline.
    worker: Asker<BoardJob, BoardRead>,
}

impl PipelineScreen {
    /// Opens the board with the closed deals shown or not (`C` stays as it was left).
    pub fn open_with(desk: &mut Desk, view: &crate::tui::screen::BoardView) -> Result<Self> {
        let pipelines = desk.config.pipeline_names();
        // The pipeline last looked at, while the config still has it.
        let pipeline = view
            .pipeline
            .clone()
            .filter(|p| pipelines.contains(p))
            .unwrap_or_else(|| desk.config.first_pipeline());
        let mut p = PipelineScreen {
            deals: Vec::new(),
            columns: Vec::new(),
            col: 0,
            rows: Vec::new(),
            filter: LineInput::default(),
            filtering: false,
            show_closed: view.closed,
            currency: desk.config.currency(),
            pipeline,
            pipelines,
            configured: desk.config.pipeline_names(),
            stages: Vec::new(),
            stale_after_days: desk.config.pipeline.stale_after_days,
            now: desk.clock.now_naive(),
            me: desk.db.user(),
            whose: None,
            matches: Vec::new(),
            matched: String::new(),
            stage_keys: Vec::new(),
            matcher: Matcher::new(nucleo_matcher::Config::DEFAULT),
            offsets: RefCell::new(Vec::new()),
            first_col: Cell::new(0),
            worker: Asker::default(),
            summary: BoardSummary::default(),
        };
        p.load(desk)?;
        Ok(p)
    }

    /// Reads every open deal (and this month's closed ones when shown) again; the selection
    /// stays on the same deal.
    pub fn load(&mut self, desk: &mut Desk) -> Result<()> {
        let now = desk.clock.now_naive();
        let since = month_start(now.date());
        self.now = now;
        self.currency = desk.config.currency();
        self.configured = desk.config.pipeline_names();
        if self.pipeline != crate::config::UNFILED && desk.config.is_unfiled(&self.pipeline) {
            self.pipeline = desk.config.first_pipeline();
        }
        self.stages = desk
            .config
            .stages_of(&self.pipeline)
            .iter()
            .map(|s| (s.name.clone(), s.probability))
            .collect();
        self.stale_after_days = desk.config.pipeline.stale_after_days;
        self.stage_keys = self
            .stages
            .iter()
            .map(|(n, _)| crate::config::stage_key(n))
            .collect();
        let closed_since = self.show_closed.then_some(since);
        let pipeline = desk.config.pipeline_filter(&self.pipeline);
        let job = BoardJob {
            closed_since: closed_since.clone(),
            pipeline: pipeline.clone(),
        };
        if self
            .worker
            .ask(desk.db.reopen_at().as_deref(), board_worker, job)
        {
            return Ok(());
        }
        let read = desk.board(&pipeline, closed_since.as_deref())?;
        self.worker.answered_here();
        self.install(read);
        Ok(())
    }

    /// The board asked of the worker has not arrived yet.
    pub fn pending(&self) -> bool {
        self.worker.pending()
    }

    /// Installs the worker's answer to the newest request once it has come.
    pub fn poll(&mut self) -> Result<bool> {
        let Some(answer) = self.worker.answer() else {
            return Ok(false);
        };
        match answer {
            Ok(read) => {
                self.install(read);
                Ok(true)
            }
            Err(e) => Err(crate::error::Error::env(format!(
                "cannot read the board: {e}"
            ))),
        }
    }

    fn install(&mut self, read: BoardRead) {
        let keep = self.selected_id();
        let BoardRead {
            open,
            closed,
            next_by_contact,
            in_use,
        } = read;
        self.pipelines = self.configured.clone();
        if in_use.iter().any(|p| !self.configured.contains(p))
            || self.pipeline == crate::config::UNFILED
        {
            self.pipelines.push(crate::config::UNFILED.into());
        }
        let now = self.now;
        let keys = &self.stage_keys;
        let stale = self.stale_after_days;
        self.deals = open
            .into_iter()
            .chain(closed)
            .map(|d| {
                let contact_next = next_by_contact.get(&d.contact_id).copied();
                let theirs = someone_else(&d.owner, &self.me).map(initials);
                BoardDeal {
                    theirs,
                    ..board_deal(d, contact_next, now, stale, keys, &self.currency)
                }
            })
            .collect();
        self.matched.clear();
        self.refilter();
        self.arrange(keep);
    }

    /// After a change to one deal: re-reads it alone (a closed deal leaves the board unless
    /// closed deals are shown) and keeps the selection on it.
    pub fn refresh_deal(&mut self, desk: &mut Desk, id: i64) -> Result<()> {
        let now = desk.clock.now_naive();
        let d = desk.deal(id)?;
        let here = match self.pipeline.as_str() {
            crate::config::UNFILED => !self.configured.contains(&d.pipeline),
            p => d.pipeline == p,
        };
        let keep = if here && (d.status == DealStatus::Open || self.show_closed) {
            Some(id)
        } else {
            None
        };
        let fallback = self.selected_id().filter(|s| *s != id);
        let b = board_deal(
            d,
            None,
            now,
            self.stale_after_days,
            &self.stage_keys,
            &self.currency,
        );
        let pos = self.deals.iter().position(|x| x.deal.id == id);
        match (pos, keep) {
            // A move changes no follow-up: the next step worked out at load still holds.
            (Some(i), Some(_)) => {
                let next = self.deals[i].next;
                let before = std::mem::replace(&mut self.deals[i], BoardDeal { next, ..b });
                // The common case, one card from one stage column to another, without
                // rearranging every card (35,000 on a large board: most of a move's time).
                if self.move_card(i, &before) {
                    return Ok(());
                }
            }
            (Some(i), None) => {
                self.deals.remove(i);
                self.matches.remove(i);
            }
            (None, Some(_)) => {
                self.deals.push(b);
                self.matches.push(true);
            }
            (None, None) => {}
        }
        if let Some(i) = self.deals.iter().position(|x| x.deal.id == id) {
            self.matches[i] = self.passes(i);
        }
        self.arrange(keep.or(fallback));
        Ok(())
    }

    /// Moves card `i` (whose old self is `before`) between stage columns in place, keeping
    /// the totals and the selection as `arrange` would; false where only `arrange` will do
    /// (a closed or unstaged deal, another currency, a filter that now hides it).
    fn move_card(&mut self, i: usize, before: &BoardDeal) -> bool {
        let after = &self.deals[i];
        let (Some(from_s), Some(to_s)) = (before.stage_ix, after.stage_ix) else {
            return false;
        };
        let open = |b: &BoardDeal| b.deal.status == DealStatus::Open;
        if !open(before) || !open(after) || !before.home || !after.home {
            return false;
        }
        let new_v = after.deal.value_cents;
        if !self.matches.get(i).copied().unwrap_or(false) || !self.passes(i) {
            return false;
        }
        let col_of = |s: usize| {
            self.columns
                .iter()
                .position(|c| c.kind == ColumnKind::Stage(s))
        };
        let (Some(from), Some(to)) = (col_of(from_s), col_of(to_s)) else {
            return false;
        };
        let Ok(at) = self.columns[from].cards.binary_search(&i) else {
            return false;
        };
        let old_v = before.deal.value_cents;
        let c = &mut self.columns[from];
        c.cards.remove(at);
        c.total -= i128::from(old_v);
        c.weighted -= i128::from(weighted(old_v, c.probability.unwrap_or(0)));
        let c = &mut self.columns[to];
        let Err(at) = c.cards.binary_search(&i) else {
            return false;
        };
        c.cards.insert(at, i);
        c.total += i128::from(new_v);
        c.weighted += i128::from(weighted(new_v, c.probability.unwrap_or(0)));
        let from_len = self.columns[from].cards.len();
        if let Some(r) = self.rows.get_mut(from) {
            *r = (*r).min(from_len.saturating_sub(1));
        }
        if let Some(r) = self.rows.get_mut(to) {
            *r = at;
        }
        self.col = to;
        true
    }

    /// `P`: the next pipeline (after the last, the first again), read afresh.
    pub fn next_pipeline(&mut self, desk: &mut Desk) -> Result<()> {
        let at = self.pipelines.iter().position(|p| *p == self.pipeline);
        let next = at.map_or(0, |i| (i + 1) % self.pipelines.len().max(1));
        if let Some(p) = self.pipelines.get(next) {
            self.pipeline = p.clone();
        }
        self.col = 0;
        self.rows.clear();
        self.deals.clear();
        self.matches.clear();
        self.matched.clear();
        self.load(desk)
    }

    pub fn toggle_closed(&mut self, desk: &mut Desk) -> Result<()> {
        self.show_closed = !self.show_closed;
        self.load(desk)
    }
}

/// The first instant of this month, as stored (UTC).
fn month_start(today: NaiveDate) -> String {
    let first = today.with_day(1).unwrap_or(today);
    stamp(local_instant(first.and_time(chrono::NaiveTime::MIN)))
}

/// The open deals of the whole board, filtered or not: their count, their total in the
/// book's currency, and the totals of other currencies apart.
#[derive(Debug, Clone, Default)]
pub struct BoardSummary {
    pub open: usize,
    pub home: i128,
    pub others: Vec<(String, i128)>,
}

fn board_deal(
    d: Deal,
    contact_next: Option<When>,
    now: NaiveDateTime,
    stale_after: u32,
    stage_keys: &[String],
    currency: &str,
) -> BoardDeal {
    let stage = crate::config::stage_key(&d.stage);
    let stage_ix = stage_keys.iter().position(|k| *k == stage);
    let today = now.date();
    let days_in_stage = (today - d.stage_entered_at.date_naive()).num_days().max(0);
    let last = d.last_activity_at.unwrap_or(d.stage_entered_at);
    let quiet_days = (today - last.date_naive()).num_days().max(0);
    let own = d.next_follow_up.as_deref().and_then(due_when);
    let next = match (own, contact_next) {
        (Some(a), Some(b)) => Some(if b.date() < a.date() { b } else { a }),
        (a, b) => a.or(b),
    };
    let hay = format!(
        "{} {} {}",
        d.title,
        d.contact_name,
        d.company.as_deref().unwrap_or("")
    );
    BoardDeal {
        stale: d.status == DealStatus::Open && stale_after > 0 && quiet_days >= stale_after as i64,
        home: d.currency == currency,
        deal: d,
        days_in_stage,
        quiet_days,
        next,
        stage_ix,
        hay,
        theirs: None,
    }
}

/// What the board asks for: the open deals, and those closed since this date when shown.
#[derive(Debug, Clone)]
pub struct BoardJob {
    pub closed_since: Option<String>,
    pub pipeline: crate::domain::deal::PipelineFilter,
}

pub type BoardWorker = crate::tui::worker::Worker<BoardJob, BoardRead>;

/// Reads the pipeline board: on the large book every open deal with its next step takes
/// longer than a key may.
pub fn board_worker(path: std::path::PathBuf) -> std::io::Result<BoardWorker> {
    crate::tui::worker::Worker::spawn("board", path, |db, j| {
        crate::ops::board::board(db, &j.pipeline, j.closed_since.as_deref())
    })
}
