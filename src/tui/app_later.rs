//! Keys that read or write the book, on a book on a server: the work goes to the desk's queue
//! (`worker::Queue`, one thread with its own connection, jobs done in the order asked) and the
//! key returns at once. What the job found comes back as a `Then`, done on the UI thread when
//! the loop picks it up (`tick`), so no key waits on a round trip to the server.
//!
//! While a job that decides where the next keys go is in flight (opening a screen, a popup's
//! save, reading the open screen again), the keys typed are held and played in order when it
//! has answered, so typing ahead means what it meant; the frame shows the last state with a
//! quiet "…". A reload takes the open screen to the queue's thread and back: meanwhile the
//! last frame drawn is shown.
//!
//! On a book in a file or in memory nothing of this is used: the job is done at once, on the
//! UI thread, as before (SQLite answers well within a frame).

use std::cell::RefCell;
use std::collections::VecDeque;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::error::{Error, Result};
use crate::tui::app::App;
use crate::tui::screen::{Cx, Effect, Screen};
use crate::tui::screens::contacts::ContactsScreen;
use crate::tui::screens::today::TodayScreen;
use crate::tui::worker::{Job, Queue};

/// What a job found, done on the UI thread.
pub type Then = Box<dyn FnOnce(&mut App) + Send>;

/// Input held while a job that decides where it goes is in flight.
#[derive(Debug)]
enum Held {
    Key(KeyEvent),
    Paste(String),
}

/// The app's side of the desk's queue.
#[derive(Debug, Default)]
pub struct Later {
    /// Keys' reads and writes go to the queue (a book on a server).
    pub(crate) on: bool,
    queue: Option<Queue<Then>>,
    /// For each job in flight, oldest first: whether it holds the keys.
    holds: VecDeque<bool>,
    held: VecDeque<Held>,
    /// The open screen is on the queue's thread being read again.
    away: bool,
    /// A reload was asked: done once nothing is in flight.
    reload_wanted: bool,
    /// The last frame drawn, shown while the screen is away.
    frame: RefCell<Option<Buffer>>,
}

impl App {
    /// Sends keys' reads and writes to a worker (on: the default for a book on a server), or
    /// does them on the UI thread. Tests and benches turn it on for a book in a file.
    pub fn with_workers(mut self, on: bool) -> App {
        self.later.on = on && self.desk.db.reopen_at().is_some();
        self
    }

    /// Does `job` on the desk's queue, or at once where there is none. `hold`: the keys
    /// typed meanwhile wait for its answer.
    pub(crate) fn run_later(&mut self, hold: bool, job: Job<Then>) {
        if self.later.on && self.later.queue.is_none() {
            let path = self.desk.db.reopen_at();
            self.later.queue = path.and_then(|p| {
                let failed: fn(String) -> Then =
                    |e| Box::new(move |app: &mut App| app.fail(&Error::env(e)));
                Queue::spawn(p, self.desk.config.clone(), self.desk.clock, failed).ok()
            });
        }
        let clock = self.desk.clock;
        let job: Job<Then> = Box::new(move |d| {
            d.clock = clock;
            job(d)
        });
        match &mut self.later.queue {
            Some(q) if self.later.on => {
                if q.ask(job) {
                    self.later.holds.push_back(hold);
                }
            }
            _ => {
                let then = job(&mut self.desk);
                then(self);
            }
        }
    }

    /// The keys wait for an answer.
    pub(crate) fn holding(&self) -> bool {
        self.later.away || self.later.holds.iter().any(|h| *h)
    }

    /// A job is in flight: the frame says "…" and the loop looks again soon.
    pub fn busy(&self) -> bool {
        !self.later.holds.is_empty()
    }

    /// A key or a paste that arrived while the keys are held; false when they are not.
    pub(crate) fn hold_key(&mut self, key: KeyEvent) -> bool {
        if !self.holding() {
            return false;
        }
        // ctrl-c still quits at once, whatever is in flight.
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            self.quit();
        } else {
            self.later.held.push_back(Held::Key(key));
        }
        true
    }

    pub(crate) fn hold_paste(&mut self, text: &str) -> bool {
        if self.holding() {
            self.later.held.push_back(Held::Paste(text.to_string()));
        }
        self.holding()
    }

    /// Does what the answers that have come found, in the order asked.
    pub(crate) fn take_answers(&mut self) {
        while let Some(then) = self.later.queue.as_mut().and_then(Queue::answer) {
            self.answered(then);
        }
        self.settled();
    }

    /// Waits for every job in flight and does what each found, with the reloads they asked
    /// for (tests and benches: the state a key leads to, without sleeping).
    pub fn settle(&mut self) {
        loop {
            while let Some(then) = self.later.queue.as_mut().and_then(Queue::wait) {
                self.answered(then);
            }
            self.settled();
            if !self.busy() {
                return;
            }
        }
    }

    fn answered(&mut self, then: Then) {
        self.later.holds.pop_front();
        then(self);
    }

    /// After answers: the keys held are played while nothing holds them, then a reload asked
    /// meanwhile is started.
    fn settled(&mut self) {
        while !self.holding()
            && !self.should_quit()
            && let Some(h) = self.later.held.pop_front()
        {
            match h {
                Held::Key(k) => self.handle_key(k),
                Held::Paste(p) => self.handle_paste(&p),
            }
        }
        self.flush();
    }

    /// Asks for the open screen to be read again (done by `flush`).
    pub(crate) fn want_reload(&mut self) {
        self.later.reload_wanted = true;
    }

    /// Starts the reload asked for, once nothing is in flight: the screen goes to the queue's
    /// thread, is read again there and comes back.
    pub(crate) fn flush(&mut self) {
        if !self.later.on || !self.later.reload_wanted || self.busy() || self.should_quit() {
            return;
        }
        self.later.reload_wanted = false;
        if let Err(e) = self.today.refresh(&mut self.desk) {
            self.fail(&e);
        }
        let screen = std::mem::replace(&mut self.screen, Screen::Today);
        let contacts = matches!(screen, Screen::Contacts)
            .then(|| Box::new(std::mem::take(&mut self.contacts)));
        let keymap = self.keymap.clone();
        let board = self.board.clone();
        self.later.away = true;
        self.run_later(
            true,
            Box::new(move |desk| {
                let (mut screen, mut contacts, mut board) = (screen, contacts, board);
                let mut today = TodayScreen::default();
                let mut spare = ContactsScreen::default();
                let mut cx = Cx::new(desk, &keymap, &mut board, false);
                let into = contacts.as_deref_mut().unwrap_or(&mut spare);
                let r = screen.page_mut(&mut today, into).reload(&mut cx);
                let fx = cx.into_effects();
                Box::new(move |app: &mut App| app.came_back(screen, contacts, r, fx))
            }),
        );
    }

    /// The screen read again on the queue's thread is back.
    fn came_back(
        &mut self,
        screen: Screen,
        contacts: Option<Box<ContactsScreen>>,
        r: Result<()>,
        fx: Vec<Effect>,
    ) {
        self.later.away = false;
        self.screen = screen;
        if let Some(c) = contacts {
            self.contacts = *c;
        }
        // A page whose item is gone asks to be replaced.
        for e in fx {
            if let Effect::Show(s) = e {
                self.screen = s;
            }
        }
        if !matches!(self.screen, Screen::Contacts) {
            self.contacts.loaded = false;
        }
        if let Err(e) = r {
            self.fail(&e);
        }
    }

    /// A screen's page taken to the queue's thread and back: `open` builds the new screen
    /// from the old one there (a deal's page over the board), `done` installs it.
    pub(crate) fn away_with(
        &mut self,
        open: impl FnOnce(Screen, &mut crate::ops::Desk) -> Then + Send + 'static,
    ) {
        let over = std::mem::replace(&mut self.screen, Screen::Today);
        self.later.away = self.later.on;
        self.run_later(
            true,
            Box::new(move |desk| {
                let then = open(over, desk);
                Box::new(move |app: &mut App| {
                    app.later.away = false;
                    then(app)
                })
            }),
        );
    }

    /// Draws the frame: while the open screen is away, the last one drawn (with "…" in the
    /// corner); else the app as it is, kept for that when the queue is on.
    pub(crate) fn draw(&self, frame: &mut Frame) {
        let area = frame.area();
        if self.later.away
            && let Some(last) = self.later.frame.borrow().as_ref()
            && last.area == area
        {
            frame.buffer_mut().clone_from(last);
            self.busy_mark(frame);
            return;
        }
        crate::tui::view::render(self, frame);
        if self.busy() {
            self.busy_mark(frame);
        }
        if self.later.on {
            // Into the buffer kept before: no allocation once it is there.
            match &mut *self.later.frame.borrow_mut() {
                Some(kept) => kept.clone_from(frame.buffer_mut()),
                slot => *slot = Some(frame.buffer_mut().clone()),
            }
        }
    }

    /// A quiet "…" at the right end of the tab bar.
    fn busy_mark(&self, frame: &mut Frame) {
        let area = frame.area();
        if area.width == 0 || area.height == 0 {
            return;
        }
        let at = (area.x + area.width - 1, area.y);
        if let Some(cell) = frame.buffer_mut().cell_mut(at) {
            cell.set_symbol("…").set_style(self.theme.dim());
        }
    }
}
