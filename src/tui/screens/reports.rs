//! The Reports screen: the figures of `salesdesk report` drawn. A bar per stage for value and
//! weighted value, the forecast by month, a sparkline of activity per week, the lead sources
//! with conversion bars. `[` and `]` make the period longer or shorter.
//!
//! It fits 80×24; with more room the bars grow, each stage gets a value bar and a weighted bar
//! of its own, the sparkline gets taller and more months and sources show. Bars use two
//! characters (`█` weighted, `░` the rest of the value) so nothing rests on colour alone.

use chrono::{Days, NaiveDate};
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::domain::report::Report;
use crate::domain::team::Scope;
use crate::error::{Error, Result};
use crate::ops::Desk;
use crate::ops::report::DEFAULT_DAYS;
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::popups::View;
use crate::tui::screen::{Cx, Page};
use crate::tui::worker::Asker;

/// The periods `[` and `]` step through, in days.
pub const PERIODS: &[u64] = &[7, 30, DEFAULT_DAYS, 180, 365];

pub(super) const FULL: char = '█';
pub(super) const REST: char = '░';

#[derive(Debug)]
pub struct ReportsScreen {
    /// The period's length in days: it starts this many days before today.
    pub days: u64,
    /// The figures shown (None until the first arrive) and the period, in days, they are for:
    /// while a new period's are computed the previous ones stay.
    pub report: Option<Report>,
    pub report_days: u64,
    /// The pipeline whose figures show (`P` walks them); None: all.
    pub pipeline: Option<String>,
    /// Whose figures show: the user's own, as `report`'s (`o` walks the team's, each rep's),
    /// and whose the figures shown are (while another's are computed, they stay).
    pub whose: Scope,
    pub report_whose: Scope,
    /// The colleagues `o` walks: those in the last team's report, the user aside.
    others: Vec<String>,
    /// Who works this desk.
    me: String,
    pub today: NaiveDate,
    /// Computes the figures off the UI thread; a book in memory (tests) is computed inline.
    worker: Asker<ReportJob, Report>,
}

impl ReportsScreen {
    /// The screen for the default period. On a book in a file it draws at once ("Loading…")
    /// and the figures come from the worker; `poll` installs them.
    pub fn open(desk: &mut Desk) -> Result<Self> {
        let mut s = ReportsScreen {
            days: DEFAULT_DAYS,
            report: None,
            report_days: DEFAULT_DAYS,
            pipeline: None,
            whose: Scope::Mine,
            report_whose: Scope::Mine,
            others: Vec::new(),
            me: desk.db.user(),
            today: desk.clock.today(),
            worker: Asker::default(),
        };
        s.load(desk)?;
        Ok(s)
    }

    /// Reads the figures again for the current period (today may have moved on): asks the
    /// worker, or computes them here without one.
    pub fn load(&mut self, desk: &mut Desk) -> Result<()> {
        self.today = desk.clock.today();
        let since = self.today - Days::new(self.days);
        if let Some(p) = &self.pipeline
            && desk.config.is_unfiled(p)
        {
            self.pipeline = None;
        }
        let job = ReportJob {
            since,
            today: self.today,
            config: desk.config.clone(),
            pipeline: self.pipeline.clone(),
            whose: self.whose.clone(),
        };
        if self
            .worker
            .ask(desk.db.reopen_at().as_deref(), report_worker, job)
        {
            return Ok(());
        }
        match desk.report_of(since, self.pipeline.as_deref(), self.whose.clone()) {
            Ok(r) => self.installed(r),
            Err(e) => {
                self.whose = self.report_whose.clone();
                return Err(e);
            }
        }
        self.worker.answered_here();
        Ok(())
    }

    /// Figures asked of the worker have not arrived yet.
    pub fn pending(&self) -> bool {
        self.worker.pending()
    }

    /// Installs the answer to the newest job when it has come; returns whether it did.
    /// Answers to older jobs (a period no longer selected, a book since changed) are dropped.
    pub fn poll(&mut self) -> Result<bool> {
        let Some(answer) = self.worker.answer() else {
            return Ok(false);
        };
        match answer {
            Ok(r) => {
                self.installed(r);
                Ok(true)
            }
            Err(e) => {
                // The figures shown stay, so the period and whose they are named are theirs
                // again.
                if self.report.is_some() {
                    self.days = self.report_days;
                }
                self.whose = self.report_whose.clone();
                Err(Error::env(format!("cannot compute the report: {e}")))
            }
        }
    }

    /// Shows the figures `r` of the period and scope asked; a team's names the colleagues
    /// `o` walks.
    fn installed(&mut self, r: Report) {
        if self.whose == Scope::Team {
            self.others = r
                .reps
                .iter()
                .map(|x| x.owner.clone())
                .filter(|o| *o != self.me)
                .collect();
            self.others.sort_unstable();
        }
        self.report = Some(r);
        self.report_days = self.days;
        self.report_whose = self.whose.clone();
    }

    /// Whose figures `o` shows next: the user's, the team's, then each colleague by name (those
    /// of the last team's report), then the user's again.
    pub fn next_whose(&self) -> Scope {
        let after = |name: Option<&str>| {
            self.others
                .iter()
                .find(|o| name.is_none_or(|n| o.as_str() > n))
                .map_or(Scope::Mine, |o| Scope::Owner(o.clone()))
        };
        match &self.whose {
            Scope::Mine => Scope::Team,
            Scope::Team => after(None),
            Scope::Owner(name) => after(Some(name)),
        }
    }

    /// `o`: the next scope's figures, asked of the worker. Says whose.
    pub fn cycle_whose(&mut self, desk: &mut Desk) -> Result<String> {
        self.whose = self.next_whose();
        self.load(desk)?;
        Ok(match &self.whose {
            Scope::Mine => "your figures".to_string(),
            Scope::Team => "the whole team's figures".to_string(),
            Scope::Owner(name) => format!("{}'s figures", crate::text::printable(name)),
        })
    }

    /// `[`: a longer period (it starts further back). False when already the longest.
    pub fn longer(&mut self, desk: &mut Desk) -> Result<bool> {
        match PERIODS.iter().find(|p| **p > self.days) {
            Some(p) => self.set_days(*p, desk),
            None => Ok(false),
        }
    }

    /// `]`: a shorter period. False when already the shortest.
    pub fn shorter(&mut self, desk: &mut Desk) -> Result<bool> {
        match PERIODS.iter().rev().find(|p| **p < self.days) {
            Some(p) => self.set_days(*p, desk),
            None => Ok(false),
        }
    }

    /// `P`: all pipelines, then each in the config's order, then all again.
    pub fn next_pipeline(&mut self, desk: &mut Desk) -> Result<()> {
        let names = desk.config.pipeline_names();
        let at = self
            .pipeline
            .as_ref()
            .and_then(|p| names.iter().position(|n| n == p));
        self.pipeline = match at {
            None => names.first().cloned(),
            Some(i) => names.get(i + 1).cloned(),
        };
        self.load(desk)
    }

    fn set_days(&mut self, days: u64, desk: &mut Desk) -> Result<bool> {
        let old = self.days;
        self.days = days;
        if let Err(e) = self.load(desk) {
            self.days = old;
            return Err(e);
        }
        Ok(true)
    }
}

/// The report for the period from `since` to `today`, with the book's config.
#[derive(Debug, Clone)]
pub struct ReportJob {
    pub since: chrono::NaiveDate,
    pub today: chrono::NaiveDate,
    pub config: crate::config::Config,
    pub pipeline: Option<String>,
    pub whose: Scope,
}

pub type ReportWorker = crate::tui::worker::Worker<ReportJob, Report>;

/// Computes the Reports screen's figures (a fifth of a second on a large book) off the UI
/// thread.
pub fn report_worker(path: std::path::PathBuf) -> std::io::Result<ReportWorker> {
    crate::tui::worker::Worker::spawn("report", path, |db, j| {
        let whose = crate::ops::team::may_see(db, j.whose.clone())?;
        crate::ops::report::report_in(
            db,
            &j.config,
            j.today,
            j.since,
            j.pipeline.as_deref(),
            &whose,
        )
    })
}

impl Page for ReportsScreen {
    fn contexts(&self) -> Vec<Context> {
        vec![Context::Reports, Context::Global]
    }

    fn tab(&self) -> Option<&'static str> {
        Some("Reports")
    }

    fn next_tab(&self) -> Action {
        Action::TabToday
    }

    fn act(&mut self, action: Action, cx: &mut Cx) -> Result<bool> {
        if action == Action::Whose {
            if !cx.desk.db.on_server() {
                cx.say("a personal book has one user: its report is all of it");
                return Ok(true);
            }
            match self.cycle_whose(cx.desk) {
                Ok(said) => cx.say(said),
                Err(e) => cx.fail(e),
            }
            return Ok(true);
        }
        if action == Action::NextPipeline {
            match self.next_pipeline(cx.desk) {
                Ok(()) => cx.say(match &self.pipeline {
                    Some(p) => format!("the figures of pipeline {p}"),
                    None => "the figures of every pipeline".to_string(),
                }),
                Err(e) => cx.fail(e),
            }
            return Ok(true);
        }
        let (changed, end) = match action {
            Action::PeriodLonger => (self.longer(cx.desk), "that is the longest period"),
            Action::PeriodShorter => (self.shorter(cx.desk), "that is the shortest period"),
            _ => return Ok(false),
        };
        match changed {
            Ok(true) => {}
            Ok(false) => cx.say(end),
            Err(e) => cx.fail(e),
        }
        Ok(true)
    }

    fn draw(&self, frame: &mut Frame, area: Rect, v: &View) {
        self.render(area, frame.buffer_mut(), v.theme);
    }

    fn reload(&mut self, cx: &mut Cx) -> Result<()> {
        self.load(cx.desk)
    }

    fn pending(&self) -> bool {
        ReportsScreen::pending(self)
    }

    fn poll(&mut self) -> Result<()> {
        ReportsScreen::poll(self).map(|_| ())
    }
}
