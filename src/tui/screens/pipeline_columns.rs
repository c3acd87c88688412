//! The board's columns as they show: the filter typed as you go (fuzzy, over title,
//! contact and company), the cards arranged per column, and the selection moving through
//! them.

use nucleo_matcher::Utf32Str;
use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use ratatui::crossterm::event::KeyEvent;

use super::pipeline::{BoardDeal, BoardSummary, Column, ColumnKind, PipelineScreen};
use crate::domain::deal::{DealStatus, weighted};
use crate::domain::team::{next_whose, whose_said};
use crate::tui::action::Action;
use crate::tui::keymap::{Context, Keymap};
use crate::tui::screens::deal_keys::neighbour;
use crate::tui::widgets::input::LineInput;

impl PipelineScreen {
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

    pub(super) fn passes(&mut self, i: usize) -> bool {
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
    pub(super) fn refilter(&mut self) {
        self.match_text();
        if let Some(owner) = &self.whose {
            for (m, d) in self.matches.iter_mut().zip(&self.deals) {
                *m = *m && d.deal.owner == *owner;
            }
        }
    }

    /// Whose deals the board shows next (`o`): everyone's, the user's, then each other owner
    /// on the board, by name. Says whose.
    pub fn cycle_whose(&mut self) -> String {
        let owners = self.deals.iter().map(|d| d.deal.owner.as_str());
        let next = next_whose(self.whose.as_deref(), &self.me, owners);
        let keep = self.selected_id();
        self.whose = next;
        // Matched from scratch: the owner cut is not a narrowing of the last text match.
        self.matched.clear();
        self.refilter();
        self.arrange(keep);
        whose_said(self.whose.as_deref(), &self.me, "deals")
    }

    /// The text filter's matches (all when it is empty).
    fn match_text(&mut self) {
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
    pub(super) fn arrange(&mut self, keep: Option<i64>) {
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
        // The line above the columns adds up what they show (the filter and whose cut).
        let shown = self
            .deals
            .iter()
            .zip(self.matches.iter().chain(std::iter::repeat(&true)))
            .filter(|(_, m)| **m)
            .map(|(d, _)| d);
        self.summary = summarise(shown);
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

    pub(super) fn filter_changed(&mut self) {
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
    pub(super) fn select_first(&mut self) {
        if let Some(c) = self.columns.iter().position(|c| !c.cards.is_empty()) {
            self.col = c;
            self.rows[c] = 0;
        }
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

fn summarise<'a>(deals: impl Iterator<Item = &'a BoardDeal>) -> BoardSummary {
    let mut s = BoardSummary::default();
    for b in deals.filter(|b| b.deal.status == DealStatus::Open) {
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
