//! The App: the frame loop's side of the TUI. It holds the open screen, the screens to go
//! back to, the popup on top and the status line; it routes a key top-down (the popup, the
//! screen's field, the keymap: the screen's actions, then the global ones) and does what the
//! screen or popup asked for (`screen::Effect`). Drawing reads memory only.

use std::time::{Duration, Instant};

use ratatui::Frame;
use ratatui::crossterm::event::{KeyEvent, KeyEventKind};

use crate::error::{Error, Result};
use crate::ops::Desk;
use crate::tui::keymap::{Context, Keymap};
use crate::tui::popups::{Popup, Reply};
use crate::tui::screen::{Cx, Effect, Page, Taken};
use crate::tui::screens::contacts::ContactsScreen;
use crate::tui::screens::today::TodayScreen;
use crate::tui::theme::Theme;

pub use crate::tui::screen::Screen;

/// How often the book is checked for changes made by another process.
pub const POLL_EVERY: Duration = Duration::from_millis(500);
/// How long a message stays in the status line.
pub const STATUS_FOR: Duration = Duration::from_secs(6);

#[derive(Debug, Clone)]
pub struct StatusMsg {
    pub text: String,
    pub error: bool,
    /// Advice (where a key works), neither a success nor an error.
    pub hint: bool,
    pub at: Instant,
}

/// Work the event loop must do for the app, outside of it: it owns the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Suspend, run `$EDITOR` on this text, resume, and call `editor_done`.
    Editor(String),
    /// Put this text on the clipboard (OSC 52).
    Copy(String),
    /// Open this `mailto:` / `tel:` with the system's opener.
    Open(String),
}

pub struct App {
    pub desk: Desk,
    pub keymap: Keymap,
    pub theme: Theme,
    pub today: TodayScreen,
    pub contacts: ContactsScreen,
    /// Where `Back` returns to.
    pub history: Vec<Screen>,
    pub screen: Screen,
    pub popup: Option<Popup>,
    pub status: Option<StatusMsg>,
    /// How the board is looked at (`C`, `P`), across screens.
    pub board: crate::tui::screen::BoardView,
    quit: bool,
    pub(crate) request: Option<Request>,
    data_version: i64,
    last_poll: Instant,
    live_clock: bool,
    /// A follow-up came due and `[remind] bell` is on: the loop rings the terminal bell.
    bell: bool,
    /// Keys' reads and writes on the desk's queue (a book on a server).
    pub(crate) later: crate::tui::app_later::Later,
}

impl App {
    /// Opens on Today (or the welcome, for an empty book). A `[keys]` table that does not
    /// work is an error here, before the terminal is touched.
    pub fn new(mut desk: Desk) -> Result<App> {
        let keymap = Keymap::from_config(&desk.config.keys)?;
        let mut today = TodayScreen::default();
        today.load(&mut desk)?;
        let data_version = desk.db.data_version()?;
        let on_server = desk.db.on_server();
        let app = App {
            desk,
            keymap,
            theme: Theme::default(),
            today,
            contacts: ContactsScreen::default(),
            history: Vec::new(),
            screen: Screen::Today,
            popup: None,
            status: None,
            board: Default::default(),
            quit: false,
            request: None,
            data_version,
            last_poll: Instant::now(),
            live_clock: false,
            bell: false,
            later: Default::default(),
        };
        Ok(app.with_workers(on_server))
    }

    pub fn with_theme(mut self, theme: Theme) -> App {
        self.theme = theme;
        self
    }

    /// Follow the system clock (the app runs all day); off by default, and in tests.
    pub fn with_live_clock(mut self, on: bool) -> App {
        self.live_clock = on;
        self
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    pub(crate) fn quit(&mut self) {
        self.quit = true;
    }

    pub fn take_request(&mut self) -> Option<Request> {
        self.request.take()
    }

    pub fn say(&mut self, text: impl Into<String>) {
        self.status = Some(StatusMsg {
            text: text.into(),
            error: false,
            hint: false,
            at: Instant::now(),
        });
    }

    pub fn fail(&mut self, e: &Error) {
        self.status = Some(StatusMsg {
            text: e.to_string(),
            error: true,
            hint: false,
            at: Instant::now(),
        });
        if matches!(e, Error::Conflict(_)) {
            self.reload();
        }
    }

    /// The open screen's page.
    pub fn page(&self) -> &dyn Page {
        self.screen.page(&self.today, &self.contacts)
    }

    /// Runs `f` on the open screen's page with what it is handed, then does what it asked.
    pub(crate) fn with_page<R>(&mut self, f: impl FnOnce(&mut dyn Page, &mut Cx) -> R) -> R {
        let (r, effects) = {
            let App {
                screen,
                today,
                contacts,
                desk,
                keymap,
                board,
                history,
                ..
            } = self;
            let mut cx = Cx::new(desk, keymap, board, !history.is_empty());
            let r = f(screen.page_mut(today, contacts), &mut cx);
            (r, cx.into_effects())
        };
        self.effects(effects);
        r
    }

    /// Does what a page asked, in order.
    pub(crate) fn effects(&mut self, effects: Vec<Effect>) {
        for e in effects {
            match e {
                Effect::Say(s) => self.say(s),
                Effect::Fail(e) => self.fail(&e),
                Effect::Popup(p) => self.popup = Some(p),
                Effect::Go(t) => self.go(t),
                Effect::Enter(t) => self.enter(t),
                Effect::Back => self.back(),
                Effect::Reload => self.reload(),
                Effect::Request(r) => self.request = Some(r),
                Effect::Show(s) => self.screen = s,
                Effect::OpenDeal(id) => self.open_deal(id),
                Effect::Forget(id) => self.today.forget(id),
                Effect::TodayChanged => {
                    if let Err(e) = self.today.refresh(&mut self.desk) {
                        self.fail(&e);
                    }
                    if !self.later.on
                        && let Ok(v) = self.desk.db.data_version()
                    {
                        self.data_version = v;
                    }
                }
                // With the desk's queue on, the page is read again there, whole.
                Effect::Changed(id) => {
                    let read = !self.later.on;
                    if let Err(e) = self.with_page(|p, cx| p.changed(id, read, cx)) {
                        self.fail(&e);
                    }
                }
                Effect::Later(hold, job) => self.run_later(
                    hold,
                    Box::new(move |d| {
                        let fx = (job.0)(d);
                        Box::new(move |app: &mut App| app.effects(fx))
                    }),
                ),
            }
        }
    }

    /// Reads what the open screen shows again; the selection stays on the same item.
    pub fn reload(&mut self) {
        if self.later.on {
            // On the desk's queue, once what is in flight has answered (`flush`).
            return self.want_reload();
        }
        let mut errors = Vec::new();
        if let Err(e) = self.today.refresh(&mut self.desk) {
            errors.push(e);
        }
        // A page whose item is gone asks to be replaced: that is done before the next step.
        let (r, effects) = {
            let App {
                screen,
                today,
                contacts,
                desk,
                keymap,
                board,
                ..
            } = self;
            let mut cx = Cx::new(desk, keymap, board, false);
            let r = screen.page_mut(today, contacts).reload(&mut cx);
            (r, cx.into_effects())
        };
        for e in effects {
            if let Effect::Show(s) = e {
                self.screen = s;
            }
        }
        if let Err(e) = r {
            errors.push(e);
        }
        // The contacts table is read when it shows; otherwise when next opened.
        if !matches!(self.screen, Screen::Contacts) {
            self.contacts.loaded = false;
        }
        if let Ok(v) = self.desk.db.data_version() {
            self.data_version = v;
        }
        if let Some(e) = errors.pop() {
            self.status = Some(StatusMsg {
                text: e.to_string(),
                error: true,
                hint: false,
                at: Instant::now(),
            });
        }
    }

    /// Timers: the workers' answers are picked up, the status line fades, and a change by
    /// another process is picked up.
    pub fn tick(&mut self) {
        self.take_answers();
        if let Some(p) = &mut self.popup {
            let reply = p.dialog_mut().poll();
            self.popup_reply(reply);
        }
        if self.today.pending()
            && let Err(e) = self.today.poll()
        {
            self.fail(&e);
        }
        if self.contacts.index_pending()
            && let Err(e) = self.contacts.poll(&mut self.desk)
        {
            self.fail(&e);
        }
        // Today and Contacts are looked after above, on screen or not; this is the rest.
        if self.page().pending()
            && let Err(e) = self.with_page(|p, _| p.poll())
        {
            self.fail(&e);
        }
        let now = Instant::now();
        if self
            .status
            .as_ref()
            .is_some_and(|s| now.duration_since(s.at) > STATUS_FOR)
        {
            self.status = None;
        }
        if now.duration_since(self.last_poll) >= POLL_EVERY {
            self.last_poll = now;
            if self.live_clock {
                self.clock_moved(chrono::Local::now());
            }
            self.check_for_changes();
        }
        self.flush();
    }

    /// The clock reads `now`: a new day reads the lists again; a timed follow-up that came
    /// due since the last look is said on the status line (and rings the bell with
    /// `[remind] bell = true`), and its row turns late.
    pub fn clock_moved(&mut self, now: chrono::DateTime<chrono::Local>) {
        let before = self.desk.clock.now();
        self.desk.clock = crate::clock::Clock::fixed(now);
        let due: Vec<String> = self
            .today
            .came_due(before, now)
            .into_iter()
            .map(|(f, at)| crate::domain::remind::summary(f, at, now))
            .collect();
        if due.is_empty() && before.date_naive() == now.date_naive() {
            return;
        }
        self.reload();
        if let Some(first) = due.first() {
            let more = match due.len() {
                1 => String::new(),
                n => format!(" (and {} more)", n - 1),
            };
            self.say(format!("Due now: {first}{more}"));
            self.bell |= self.desk.config.remind.bell;
        }
    }

    /// Whether the terminal bell should ring now (once per announcement).
    pub fn take_bell(&mut self) -> bool {
        std::mem::take(&mut self.bell)
    }

    /// Reloads when another connection has committed since the last look.
    pub fn check_for_changes(&mut self) {
        match self.desk.db.data_version() {
            Ok(v) if v != self.data_version => {
                if self.later.on {
                    // The queue's own writes are heard too: one reload each, not one a poll.
                    self.data_version = v;
                }
                self.reload();
                if self.desk.db.take_reconnected() {
                    self.say("Reconnected to the server; everything was read again".to_string());
                }
            }
            Ok(_) => {}
            Err(e) => self.fail(&e),
        }
    }

    /// A search answer, the contacts' names, Today's lists or the screen's own worker are
    /// awaited: the loop should look again soon rather than sleep.
    pub fn waiting(&self) -> bool {
        self.popup.as_ref().is_some_and(|p| p.dialog().waiting())
            || self.busy()
            || self.contacts.index_pending()
            || self.today.pending()
            || self.page().pending()
    }

    /// What `$EDITOR` gave back.
    pub fn editor_done(&mut self, result: Result<String>) {
        match result {
            Ok(text) => {
                if let Some(p) = &mut self.popup {
                    p.dialog_mut().set_body(&text, &mut self.desk);
                } else {
                    self.with_page(|p, _| p.edited(&text));
                }
            }
            Err(e) => self.fail(&e),
        }
    }

    /// A bracketed paste: whole into the focused field, ignored where no field has focus.
    pub fn handle_paste(&mut self, text: &str) {
        if self.hold_paste(text) {
            return;
        }
        if let Some(p) = &mut self.popup {
            p.dialog_mut().paste(text, &mut self.desk);
        } else {
            self.with_page(|p, cx| p.paste(text, cx));
        }
        self.flush();
    }

    /// The contexts a key is looked up in, most specific first (also what the hint bar shows).
    pub fn contexts(&self) -> Vec<Context> {
        match &self.popup {
            Some(p) => vec![p.dialog().context()],
            None => self.page().contexts(),
        }
    }

    /// A key, top-down: the popup, a field the screen is typing in, the keymap (the screen's
    /// actions, then the global ones), a filter's typing; a key that works elsewhere says
    /// where.
    pub fn handle_key(&mut self, key: KeyEvent) {
        if key.kind == KeyEventKind::Release || self.hold_key(key) {
            return;
        }
        self.route_key(key);
        self.flush();
    }

    fn route_key(&mut self, key: KeyEvent) {
        if let Some(popup) = &mut self.popup {
            let dialog = popup.dialog_mut();
            // A key that picks among a contact field's choices first has those of what was
            // typed.
            let settled = dialog.contact_field_mut().map(|c| c.settle_for(&key));
            let reply = match settled {
                Some(Err(e)) => Reply::Failed(e),
                _ => dialog.key(&key, &self.keymap, &mut self.desk),
            };
            return self.popup_reply(reply);
        }
        if self.with_page(|p, cx| p.key(&key, cx)) == Taken::Yes {
            return;
        }
        let contexts = self.contexts();
        if let Some(action) = self.keymap.lookup(&key, &contexts) {
            self.act(action);
        } else if self.with_page(|p, cx| p.unbound(&key, cx)) == Taken::No
            && let Some(elsewhere) = self.keymap.where_it_works(&key)
        {
            // Never silence: a key that works on another screen says where.
            self.say(elsewhere);
            if let Some(s) = &mut self.status {
                s.hint = true;
            }
        }
    }

    pub fn render(&self, frame: &mut Frame) {
        self.draw(frame);
    }
}
