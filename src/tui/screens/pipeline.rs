//! The pipeline board: one column per configured stage, an "Unstaged" column for deals whose
//! stage the config no longer names, and (on request) the deals won and lost this month.
//!
//! Every open deal is read once, when the board opens or the book changes; keys then work on
//! what is in memory. A move re-reads only the deal it moved.

use std::cell::{Cell, RefCell};

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Matcher, Utf32Str};
use ratatui::crossterm::event::KeyEvent;

use crate::clock::{local_instant, stamp};
use crate::domain::deal::Deal;
use crate::domain::deal::{DealStatus, weighted};
use crate::error::Result;
use crate::ops::Desk;
use crate::storage::deals;
use crate::storage::follow_ups;
use crate::tui::action::Action;
use crate::tui::keymap::{Context, Keymap};
pub use crate::tui::screens::deal_keys::{REASONS_OFFERED, neighbour};
pub use crate::tui::screens::due_when;
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
    hay: String,
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
    pub stages: Vec<(String, u8)>,
    pub stale_after_days: u32,
    pub now: NaiveDateTime,
    /// Which deals pass the filter (all when it is empty); recomputed when the text changes.
    matches: Vec<bool>,
    /// The filter text `matches` was worked out for.
    matched: String,
    /// The stages' keys (`stage_key`), to place deals without folding names again.
    stage_keys: Vec<String>,
    matcher: Matcher,
    /// The whole board's open deals, totalled when it changes (not at every frame).
    pub summary: BoardSummary,
    /// Drawing state: the first row shown in each column, the first column shown.
    pub offsets: RefCell<Vec<usize>>,
    pub first_col: Cell<usize>,
    /// Reads the board off the UI thread (on the large book, 35,000 open deals take a few
    /// hundred milliseconds); a book in memory (tests) is read inline.
    worker: Asker<BoardJob, BoardRead>,
}

/// One read of the deals the board shows.
#[derive(Debug, Default)]
pub struct BoardRead {
    open: Vec<Deal>,
    closed: Vec<Deal>,
    next_by_contact: std::collections::HashMap<i64, When>,
}

/// Every open deal, the deals closed since `closed_since` when asked, and each contact's
/// next step.
pub fn read_board(conn: &rusqlite::Connection, closed_since: Option<&str>) -> Result<BoardRead> {
    let open = deals::list(
        conn,
        &crate::domain::deal::ListFilter {
            status: Some(DealStatus::Open),
            ..Default::default()
        },
    )?;
    let closed = match closed_since {
        Some(since) => deals::closed_since(conn, since)?,
        None => Vec::new(),
    };
    Ok(BoardRead {
        open,
        closed,
        next_by_contact: follow_ups::next_open_by_contact(conn)?,
    })
}

impl PipelineScreen {
    /// Opens the board with the closed deals shown or not (`C` stays as it was left).
    pub fn open_with(desk: &mut Desk, show_closed: bool) -> Result<Self> {
        let mut p = PipelineScreen {
            deals: Vec::new(),
            columns: Vec::new(),
            col: 0,
            rows: Vec::new(),
            filter: LineInput::default(),
            filtering: false,
            show_closed,
            currency: desk.config.currency(),
            stages: Vec::new(),
            stale_after_days: desk.config.pipeline.stale_after_days,
            now: desk.clock.now_naive(),
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
        self.stages = desk
            .config
            .pipeline
            .stages
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
        let job = BoardJob {
            closed_since: closed_since.clone(),
        };
        if self.worker.ask(desk.db.path(), board_worker, job) {
            return Ok(());
        }
        let read = desk
            .db
            .read(|conn| read_board(conn, closed_since.as_deref()))?;
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
        } = read;
        let now = self.now;
        let keys = &self.stage_keys;
        let stale = self.stale_after_days;
        self.deals = open
            .into_iter()
            .chain(closed)
            .map(|d| {
                let contact_next = next_by_contact.get(&d.contact_id).copied();
                board_deal(d, contact_next, now, stale, keys, &self.currency)
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
        let d = desk.db.read(|conn| deals::get(conn, id))?;
        let keep = if d.status == DealStatus::Open || self.show_closed {
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

    /// The deal the keys act on.
    pub fn selected(&self) -> Option<&BoardDeal> {
        let c = self.columns.get(self.col)?;
        let i = *c.cards.get(*self.rows.get(self.col)?)?;
        self.deals.get(i)
    }

    pub fn selected_id(&self) -> Option<i64> {
        self.selected().map(|b| b.deal.id)
    }

    /// The stage the selected column stands for (a new deal starts there).
    pub fn selected_stage(&self) -> Option<String> {
        match self.columns.get(self.col)?.kind {
            ColumnKind::Stage(i) => self.stages.get(i).map(|s| s.0.clone()),
            _ => None,
        }
    }

    pub fn visible_count(&self) -> usize {
        self.columns.iter().map(|c| c.cards.len()).sum()
    }

    fn passes(&mut self, i: usize) -> bool {
        let q = self.filter.text().trim();
        if q.is_empty() {
            return true;
        }
        let pattern = Pattern::parse(q, CaseMatching::Ignore, Normalization::Smart);
        let mut buf = Vec::new();
        pattern
            .score(
                Utf32Str::new(&self.deals[i].hay, &mut buf),
                &mut self.matcher,
            )
            .is_some()
    }

    /// Runs the filter over every deal (on a change of its text only).
    fn refilter(&mut self) {
        let q = self.filter.text().trim().to_string();
        if q.is_empty() {
            self.matches = vec![true; self.deals.len()];
            self.matched = q;
            return;
        }
        // Typing on only narrows what matched before: match those again, not every deal.
        let narrowing = !self.matched.is_empty()
            && q.starts_with(&self.matched)
            && self.matches.len() == self.deals.len();
        if !narrowing {
            self.matches = vec![true; self.deals.len()];
        }
        let pattern = Pattern::parse(&q, CaseMatching::Ignore, Normalization::Smart);
        let mut buf = Vec::new();
        let matcher = &mut self.matcher;
        for (m, d) in self.matches.iter_mut().zip(&self.deals) {
            if *m {
                *m = pattern
                    .score(Utf32Str::new(&d.hay, &mut buf), matcher)
                    .is_some();
            }
        }
        self.matched = q;
    }

    /// Sorts the deals that pass the filter into columns, totals them, and puts the
    /// selection on `keep` when it is still there (else the same place, clamped).
    fn arrange(&mut self, keep: Option<i64>) {
        let mut columns: Vec<Column> = self
            .stages
            .iter()
            .enumerate()
            .map(|(i, (name, p))| column(ColumnKind::Stage(i), name.clone(), Some(*p)))
            .collect();
        let mut unstaged = column(ColumnKind::Unstaged, "Unstaged".into(), None);
        let mut won = column(ColumnKind::Won, "Won this month".into(), None);
        let mut lost = column(ColumnKind::Lost, "Lost this month".into(), None);
        for (i, b) in self.deals.iter().enumerate() {
            if !self.matches.get(i).copied().unwrap_or(true) {
                continue;
            }
            let target = match b.deal.status {
                DealStatus::Won => &mut won,
                DealStatus::Lost => &mut lost,
                DealStatus::Open => match b.stage_ix.and_then(|s| columns.get_mut(s)) {
                    Some(c) => c,
                    None => &mut unstaged,
                },
            };
            target.cards.push(i);
            let v = i128::from(b.deal.value_cents);
            if b.home {
                target.total += v;
                target.weighted += i128::from(weighted(
                    b.deal.value_cents,
                    target.probability.unwrap_or(0),
                ));
            } else {
                match target
                    .others
                    .iter_mut()
                    .find(|(c, _)| *c == b.deal.currency)
                {
                    Some((_, t)) => *t += v,
                    None => target.others.push((b.deal.currency.clone(), v)),
                }
            }
        }
        // Nothing is hidden by a config change: the Unstaged column shows while it holds
        // anything, filtered or not.
        let any_unstaged = self
            .deals
            .iter()
            .any(|b| b.deal.status == DealStatus::Open && b.stage_ix.is_none());
        if any_unstaged {
            columns.push(unstaged);
        }
        if self.show_closed {
            columns.push(won);
            columns.push(lost);
        }
        for c in &mut columns {
            c.others.sort();
        }
        self.summary = summarise(&self.deals);
        let old_kind = self.columns.get(self.col).map(|c| c.kind);
        let old_row = self.rows.get(self.col).copied().unwrap_or(0);
        let old_rows: Vec<(ColumnKind, usize)> = self
            .columns
            .iter()
            .map(|c| c.kind)
            .zip(self.rows.iter().copied())
            .collect();
        self.columns = columns;
        self.rows = self
            .columns
            .iter()
            .map(|c| {
                let r = old_rows
                    .iter()
                    .find(|(k, _)| *k == c.kind)
                    .map_or(0, |(_, r)| *r);
                r.min(c.cards.len().saturating_sub(1))
            })
            .collect();
        let found = keep.and_then(|id| {
            self.columns.iter().enumerate().find_map(|(ci, c)| {
                c.cards
                    .iter()
                    .position(|i| self.deals[*i].deal.id == id)
                    .map(|r| (ci, r))
            })
        });
        match found {
            Some((c, r)) => {
                self.col = c;
                self.rows[c] = r;
            }
            None => {
                self.col = old_kind
                    .and_then(|k| self.columns.iter().position(|c| c.kind == k))
                    .unwrap_or(self.col)
                    .min(self.columns.len().saturating_sub(1));
                if let Some(r) = self.rows.get_mut(self.col) {
                    let n = self.columns[self.col].cards.len();
                    *r = old_row.min(n.saturating_sub(1));
                }
            }
        }
        let mut offsets = self.offsets.borrow_mut();
        offsets.resize(self.columns.len(), 0);
    }

    /// Puts the selection on deal `id` when the board shows it.
    pub fn select(&mut self, id: i64) {
        self.arrange(Some(id));
    }

    pub fn move_row(&mut self, delta: isize) {
        let Some(c) = self.columns.get(self.col) else {
            return;
        };
        let n = c.cards.len() as isize;
        if n == 0 {
            return;
        }
        let r = &mut self.rows[self.col];
        *r = match delta {
            isize::MIN => 0,
            isize::MAX => (n - 1) as usize,
            d => (*r as isize + d).clamp(0, n - 1) as usize,
        };
    }

    pub fn move_col(&mut self, delta: isize) {
        let n = self.columns.len() as isize;
        if n > 0 {
            self.col = (self.col as isize + delta).clamp(0, n - 1) as usize;
        }
    }

    /// The stage one step back (-1) or on (+1) from the deal's; None at either end.
    pub fn neighbour_stage(&self, b: &BoardDeal, step: isize) -> Option<String> {
        let names: Vec<&str> = self.stages.iter().map(|(n, _)| n.as_str()).collect();
        neighbour(&names, &b.deal.stage, step)
    }

    /// Keys while the filter is being typed: `Enter` keeps it, `Esc` clears it.
    pub fn filter_key(&mut self, key: &KeyEvent, keymap: &Keymap) {
        match keymap.lookup(key, &[Context::BoardFilter]) {
            Some(Action::Save) => {
                self.filtering = false;
                self.select_first();
            }
            Some(Action::Cancel) => self.clear_filter(),
            _ => {
                let before = self.filter.text().to_string();
                self.filter.handle(key);
                if self.filter.text() != before {
                    self.filter_changed();
                }
            }
        }
    }

    pub fn paste_filter(&mut self, text: &str) {
        self.filter.insert_str(text);
        self.filter_changed();
    }

    fn filter_changed(&mut self) {
        let keep = self.selected_id();
        self.refilter();
        self.arrange(keep);
        self.select_first();
    }

    pub fn clear_filter(&mut self) {
        self.filtering = false;
        if !self.filter.text().is_empty() {
            let keep = self.selected_id();
            self.filter = LineInput::default();
            self.refilter();
            self.arrange(keep);
        }
    }

    /// The first match: the first card of the first column that has one.
    fn select_first(&mut self) {
        if let Some(c) = self.columns.iter().position(|c| !c.cards.is_empty()) {
            self.col = c;
            self.rows[c] = 0;
        }
    }

    pub fn toggle_closed(&mut self, desk: &mut Desk) -> Result<()> {
        self.show_closed = !self.show_closed;
        self.load(desk)
    }
}

fn column(kind: ColumnKind, title: String, probability: Option<u8>) -> Column {
    Column {
        kind,
        title,
        probability,
        cards: Vec::new(),
        total: 0,
        weighted: 0,
        others: Vec::new(),
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

fn summarise(deals: &[BoardDeal]) -> BoardSummary {
    let mut s = BoardSummary::default();
    for b in deals.iter().filter(|b| b.deal.status == DealStatus::Open) {
        s.open += 1;
        if b.home {
            s.home += i128::from(b.deal.value_cents);
        } else {
            let v = i128::from(b.deal.value_cents);
            match s.others.iter_mut().find(|(c, _)| *c == b.deal.currency) {
                Some((_, t)) => *t += v,
                None => s.others.push((b.deal.currency.clone(), v)),
            }
        }
    }
    s.others.sort();
    s
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
    }
}

/// What the board asks for: the open deals, and those closed since this date when shown.
#[derive(Debug, Clone)]
pub struct BoardJob {
    pub closed_since: Option<String>,
}

pub type BoardWorker = crate::tui::worker::Worker<BoardJob, BoardRead>;

/// Reads the pipeline board: on the large book every open deal with its next step takes
/// longer than a key may.
pub fn board_worker(path: std::path::PathBuf) -> std::io::Result<BoardWorker> {
    crate::tui::worker::Worker::spawn("board", path, |db, j| {
        db.read(|c| read_board(c, j.closed_since.as_deref()))
    })
}
