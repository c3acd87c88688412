//! The App: which screen is open, the popup on top, the status line. `handle_key` turns a key
//! into an action and applies it through the ops (queries happen here, never while drawing);
//! `render` draws from memory only.

use std::time::{Duration, Instant};

use ratatui::Frame;
use ratatui::crossterm::event::{KeyEvent, KeyEventKind};

use crate::domain::deal::DealStatus;
use crate::error::{Error, Result};
use crate::ops::Desk;
use crate::ops::undo::Undone;
use crate::text::plural;
use crate::tui::action::Action;
use crate::tui::keymap::{Context, Keymap};
use crate::tui::popups::call_form::CallForm;
use crate::tui::popups::confirm::Confirm;
use crate::tui::popups::follow_up::FollowUpForm;
use crate::tui::popups::help::Help;
use crate::tui::popups::note::{ContactField, NoteForm};
use crate::tui::popups::snooze::Snooze;
use crate::tui::popups::{Popup, Reply};
use crate::tui::screens::call::CallScreen;
use crate::tui::screens::company::CompanyScreen;
use crate::tui::screens::contact::ContactScreen;
use crate::tui::screens::contacts::ContactsScreen;
use crate::tui::screens::deal::DealScreen;
use crate::tui::screens::pipeline::PipelineScreen;
use crate::tui::screens::reports::ReportsScreen;
use crate::tui::screens::today::{RowRef, TodayScreen};
use crate::tui::theme::Theme;

/// How often the book is checked for changes made by another process.
pub const POLL_EVERY: Duration = Duration::from_millis(500);
/// How long a message stays in the status line.
pub const STATUS_FOR: Duration = Duration::from_secs(6);

#[derive(Debug)]
pub enum Screen {
    Today,
    Contact(Box<ContactScreen>),
    Call(Box<CallScreen>),
    Contacts,
    Company(Box<CompanyScreen>),
    Pipeline(Box<PipelineScreen>),
    Deal(Box<DealScreen>),
    Reports(Box<ReportsScreen>),
}

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
    /// The board shows the closed deals (`C`) until toggled off, across screens.
    pub board_closed: bool,
    quit: bool,
    pub(crate) request: Option<Request>,
    data_version: i64,
    last_poll: Instant,
    live_clock: bool,
}

impl App {
    /// Opens on Today (or the welcome, for an empty book). A `[keys]` table that does not
    /// work is an error here, before the terminal is touched.
    pub fn new(mut desk: Desk) -> Result<App> {
        let keymap = Keymap::from_config(&desk.config.keys)?;
        let mut today = TodayScreen::default();
        today.load(&mut desk)?;
        let data_version = desk.db.data_version()?;
        Ok(App {
            desk,
            keymap,
            theme: Theme::default(),
            today,
            contacts: ContactsScreen::default(),
            history: Vec::new(),
            screen: Screen::Today,
            popup: None,
            status: None,
            board_closed: false,
            quit: false,
            request: None,
            data_version,
            last_poll: Instant::now(),
            live_clock: false,
        })
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

    /// Reads what the open screen shows again; the selection stays on the same item.
    pub fn reload(&mut self) {
        let mut errors = Vec::new();
        if let Err(e) = self.today.refresh(&mut self.desk) {
            errors.push(e);
        }
        match &mut self.screen {
            Screen::Today => {}
            Screen::Contact(c) => {
                if let Err(e) = c.reload(&mut self.desk) {
                    errors.push(e);
                    self.screen = Screen::Today;
                }
            }
            Screen::Call(c) => {
                if let Err(e) = c.load(&mut self.desk) {
                    errors.push(e);
                }
            }
            Screen::Contacts | Screen::Company(_) => {}
            Screen::Pipeline(p) => {
                if let Err(e) = p.load(&mut self.desk) {
                    errors.push(e);
                }
            }
            Screen::Deal(d) => {
                if let Err(e) = d.reload(&mut self.desk) {
                    errors.push(e);
                    // The deal is gone (undo of its creation, a purge): back to the board.
                    let board = d.board.take();
                    match board.map(|mut b| b.load(&mut self.desk).map(|_| b)) {
                        Some(Ok(b)) => self.screen = Screen::Pipeline(b),
                        _ => self.screen = Screen::Today,
                    }
                }
            }
            Screen::Reports(r) => {
                if let Err(e) = r.load(&mut self.desk) {
                    errors.push(e);
                }
            }
        }
        if let Err(e) = self.reload_contacts() {
            errors.push(e);
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

    /// Timers: the status line fades, and a change by another process is picked up.
    pub fn tick(&mut self) {
        if let Some(Popup::Search(s)) = &mut self.popup {
            s.poll();
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
        if let Screen::Reports(r) = &mut self.screen
            && r.pending()
            && let Err(e) = r.poll()
        {
            self.fail(&e);
        }
        if let Screen::Pipeline(p) = &mut self.screen
            && p.pending()
            && let Err(e) = p.poll()
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
                let day = self.desk.clock.today();
                self.desk.clock = crate::clock::Clock::fixed(chrono::Local::now());
                if self.desk.clock.today() != day {
                    self.reload();
                }
            }
            self.check_for_changes();
        }
    }

    /// Reloads when another connection has committed since the last look.
    pub fn check_for_changes(&mut self) {
        match self.desk.db.data_version() {
            Ok(v) if v != self.data_version => self.reload(),
            Ok(_) => {}
            Err(e) => self.fail(&e),
        }
    }

    /// What `$EDITOR` gave back.
    pub fn editor_done(&mut self, result: Result<String>) {
        match result {
            Ok(text) => {
                if let Some(p) = &mut self.popup {
                    p.set_body(&text, &mut self.desk);
                } else if let Screen::Call(c) = &mut self.screen {
                    c.set_body(&text);
                }
            }
            Err(e) => self.fail(&e),
        }
    }

    /// A bracketed paste: whole into the focused field, ignored where no field has focus.
    pub fn handle_paste(&mut self, text: &str) {
        if let Some(p) = &mut self.popup {
            p.paste(text, &mut self.desk);
        } else if let Screen::Call(c) = &mut self.screen {
            c.paste(text);
        } else if let Screen::Pipeline(p) = &mut self.screen
            && p.filtering
        {
            p.paste_filter(text);
        }
    }

    /// The contexts a key is looked up in, most specific first (also what the hint bar shows).
    pub fn contexts(&self) -> Vec<Context> {
        if let Some(p) = &self.popup {
            return vec![p.context()];
        }
        match &self.screen {
            Screen::Today if self.today.empty => vec![Context::Welcome, Context::Global],
            Screen::Today => vec![Context::Today, Context::List, Context::Global],
            Screen::Contact(_) => vec![Context::Contact, Context::List, Context::Global],
            Screen::Call(c) if c.typing_text() => vec![Context::Form],
            Screen::Call(c) => vec![c.context(), Context::Global],
            Screen::Contacts if self.contacts.companies.as_ref().is_some_and(|c| c.typing) => {
                vec![Context::Filter]
            }
            Screen::Contacts if self.contacts.companies.is_some() => {
                vec![Context::Companies, Context::List, Context::Global]
            }
            Screen::Contacts if self.contacts.filter.typing => vec![Context::Filter],
            Screen::Contacts => vec![Context::Contacts, Context::List, Context::Global],
            Screen::Company(_) => vec![Context::Company, Context::List, Context::Global],
            Screen::Pipeline(p) if p.filtering => vec![Context::BoardFilter],
            // The closed deals' keys come first where closed deals are: the won and lost
            // columns, and a closed deal's view.
            Screen::Pipeline(p) if p.show_closed => vec![
                Context::Closed,
                Context::Pipeline,
                Context::List,
                Context::Global,
            ],
            Screen::Pipeline(_) => vec![Context::Pipeline, Context::List, Context::Global],
            Screen::Deal(d) if d.deal.status != DealStatus::Open => vec![
                Context::Closed,
                Context::Deal,
                Context::List,
                Context::Global,
            ],
            Screen::Deal(_) => vec![Context::Deal, Context::List, Context::Global],
            Screen::Reports(_) => vec![Context::Reports, Context::Global],
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent) {
        if key.kind == KeyEventKind::Release {
            return;
        }
        if let Some(popup) = &mut self.popup {
            let reply = popup.handle_key(&key, &self.keymap, &mut self.desk);
            return self.popup_reply(reply);
        }
        if let Screen::Call(c) = &mut self.screen {
            if let Some(reply) = c.handle_key(&key, &self.keymap, &mut self.desk) {
                return self.call_reply(reply);
            }
            if c.typing_text() {
                return;
            }
        }
        if let Screen::Pipeline(p) = &mut self.screen
            && p.filtering
        {
            return p.filter_key(&key, &self.keymap);
        }
        let contexts = self.contexts();
        if let Some(action) = self.keymap.lookup(&key, &contexts) {
            self.apply(action);
        } else if contexts == [Context::Filter] {
            self.filter_key(&key);
        } else if let Some(elsewhere) = self.keymap.where_it_works(&key) {
            // Never silence: a key that works on another screen says where.
            self.say(elsewhere);
            if let Some(s) = &mut self.status {
                s.hint = true;
            }
        }
    }

    fn popup_reply(&mut self, reply: Reply) {
        match reply {
            Reply::Stay => {}
            Reply::Close => {
                if let Some(Popup::Confirm(c)) = self.popup.take()
                    && c.back.is_none()
                {
                    // The question guarded call mode: yes leaves it.
                    self.screen = Screen::Today;
                    self.reload();
                }
            }
            Reply::Saved(msg) => {
                let closed = self.popup.take();
                self.say(msg);
                if let Some(Popup::Snooze(s)) = &closed {
                    // Off the screen at once; it shows again at its new date when the lists
                    // have been read again.
                    self.today.forget(s.follow_up);
                }
                self.reload();
                crate::tui::screens::pipeline_keys::after_popup(self, closed);
            }
            Reply::Failed(e) => {
                if matches!(e, Error::Conflict(_)) {
                    self.popup = None;
                }
                self.fail(&e);
            }
            Reply::Editor(text) => self.request = Some(Request::Editor(text)),
            Reply::Go(target, msg) => {
                self.popup = None;
                self.go(target);
                if let Some(m) = msg {
                    self.say(m);
                }
            }
            Reply::Discard(question) => match self.popup.take() {
                // "No" to a confirm: back to what it guarded.
                Some(Popup::Confirm(c)) => self.popup = c.back.map(|b| *b),
                Some(p) => {
                    self.popup = Some(Popup::Confirm(Confirm {
                        question,
                        back: Some(Box::new(p)),
                    }))
                }
                None => {}
            },
        }
    }

    fn call_reply(&mut self, reply: Reply) {
        match reply {
            Reply::Stay => {}
            Reply::Close => {
                self.screen = Screen::Today;
                self.reload();
            }
            Reply::Saved(msg) => {
                self.say(msg);
                if let Err(e) = self.today.refresh(&mut self.desk) {
                    self.fail(&e);
                }
                if let Ok(v) = self.desk.db.data_version() {
                    self.data_version = v;
                }
            }
            Reply::Failed(e) => self.fail(&e),
            Reply::Editor(text) => self.request = Some(Request::Editor(text)),
            Reply::Discard(question) => {
                self.popup = Some(Popup::Confirm(Confirm {
                    question,
                    back: None,
                }));
            }
            Reply::Go(target, _) => self.go(target),
        }
    }

    /// The contact the keys act on: the selected row's, the open contact, the one being called.
    fn focus_contact(&self) -> Option<(i64, String, Option<i64>)> {
        match &self.screen {
            Screen::Today => {
                let (id, name) = self.today.selected_contact()?;
                Some((
                    id,
                    name,
                    self.today.selected_follow_up().and_then(|f| f.deal_id),
                ))
            }
            Screen::Contact(c) => Some((c.id, c.view.contact.name.clone(), None)),
            Screen::Call(c) => c
                .current()
                .map(|f| (f.contact_id, f.contact_name.clone(), f.deal_id)),
            Screen::Contacts => self
                .contacts
                .selected_contact()
                .map(|(id, n)| (id, n, None)),
            Screen::Company(c) => c.focus(),
            Screen::Pipeline(p) => p.selected().map(|b| {
                (
                    b.deal.contact_id,
                    b.deal.contact_name.clone(),
                    Some(b.deal.id),
                )
            }),
            Screen::Deal(d) => Some((
                d.deal.contact_id,
                d.deal.contact_name.clone(),
                Some(d.deal.id),
            )),
            Screen::Reports(_) => None,
        }
    }

    fn contact_field(&mut self) -> (ContactField, Option<i64>) {
        match self.focus_contact() {
            Some((id, name, deal)) => (ContactField::Fixed(id, name), deal),
            None => (ContactField::pick(&mut self.desk), None),
        }
    }

    fn apply(&mut self, action: Action) {
        // Tab walks the tabs in their order: Today → Pipeline → Contacts → Reports → Today.
        if action == Action::NextTab {
            let next = match self.screen {
                Screen::Today => Action::TabPipeline,
                Screen::Pipeline(_) | Screen::Deal(_) => Action::TabContacts,
                Screen::Contacts | Screen::Contact(_) | Screen::Company(_) => Action::TabReports,
                Screen::Call(_) | Screen::Reports(_) => Action::TabToday,
            };
            return self.apply(next);
        }
        if self.apply_contacts(action) || self.apply_follow_ups(action) {
            return;
        }
        if crate::tui::screens::pipeline_keys::apply(self, action) {
            return;
        }
        match action {
            Action::Quit => self.quit = true,
            Action::Help => self.popup = Some(Popup::Help(Help::at(self.contexts()))),
            Action::Undo => match self.desk.undo() {
                Ok(Undone::Nothing) => self.say("nothing to undo"),
                Ok(Undone::Reverted(what)) => {
                    self.say(format!("undid {what}"));
                    self.today.undone();
                    self.reload();
                }
                Err(e) => self.fail(&e),
            },
            Action::TabToday => {
                self.screen = Screen::Today;
                self.reload();
            }
            Action::TabReports => self.open_reports(),
            Action::PeriodLonger | Action::PeriodShorter => {
                if let Screen::Reports(r) = &mut self.screen {
                    let changed = if action == Action::PeriodLonger {
                        r.longer(&mut self.desk)
                    } else {
                        r.shorter(&mut self.desk)
                    };
                    match changed {
                        Ok(true) => {}
                        Ok(false) => self.say(if action == Action::PeriodLonger {
                            "that is the longest period"
                        } else {
                            "that is the shortest period"
                        }),
                        Err(e) => self.fail(&e),
                    }
                }
            }
            Action::Note => {
                let (contact, deal) = self.contact_field();
                self.popup = Some(Popup::Note(Box::new(NoteForm::new(contact, deal))));
            }
            Action::FollowUp => {
                let (contact, deal) = self.contact_field();
                let form = FollowUpForm::new(contact, deal, "tomorrow").with_deals(&mut self.desk);
                self.popup = Some(Popup::FollowUp(Box::new(form)));
            }
            Action::Down => self.scroll(1),
            Action::Up => self.scroll(-1),
            Action::Top => self.scroll(isize::MIN),
            Action::Bottom => self.scroll(isize::MAX),
            Action::Back => {
                self.screen = Screen::Today;
                self.reload();
            }
            Action::Done => self.done(),
            Action::Snooze => match self.today.selected_follow_up() {
                Some(f) => {
                    let what = format!("{} with {}", f.kind, f.contact_name);
                    self.popup = Some(Popup::Snooze(Snooze::new(f.id, f.version, what)));
                }
                None => self.say(
                    "select a follow-up to snooze; reconnect rows have none (f schedules one)",
                ),
            },
            Action::LogCall => self.log_call(),
            Action::CallMode => match CallScreen::open(&mut self.desk) {
                Ok(c) if c.current().is_none() => {
                    self.say("nothing due today: call mode has no one to call")
                }
                Ok(c) => self.screen = Screen::Call(Box::new(c)),
                Err(e) => self.fail(&e),
            },
            Action::Open => {
                if let Some((id, _)) = self.today.selected_contact() {
                    match ContactScreen::open(&mut self.desk, id) {
                        Ok(c) => self.screen = Screen::Contact(Box::new(c)),
                        Err(e) => self.fail(&e),
                    }
                }
            }
            Action::LoadDemo => match self.desk.load_demo(false) {
                Ok(n) => {
                    self.say(format!(
                        "demo book loaded: {}, {}, {}, {}",
                        plural(n.contacts, "contact"),
                        plural(n.deals, "deal"),
                        plural(n.follow_ups, "follow-up"),
                        plural(n.notes, "note")
                    ));
                    self.today.selected = 0;
                    self.reload();
                }
                Err(e) => self.fail(&e),
            },
            Action::AddContact => self.popup = Some(Popup::AddContact(Box::default())),
            _ => {}
        }
    }

    fn open_reports(&mut self) {
        if matches!(self.screen, Screen::Reports(_)) {
            return self.reload();
        }
        match ReportsScreen::open(&mut self.desk) {
            Ok(r) => self.screen = Screen::Reports(Box::new(r)),
            Err(e) => self.fail(&e),
        }
    }

    fn scroll(&mut self, by: isize) {
        match &mut self.screen {
            Screen::Today => match by {
                isize::MIN => self.today.select_end(false),
                isize::MAX => self.today.select_end(true),
                d => self.today.move_by(d),
            },
            Screen::Contact(c) => {
                c.scroll = match by {
                    isize::MIN => 0,
                    isize::MAX => u16::MAX / 2,
                    d => (c.scroll as isize + d).clamp(0, u16::MAX as isize / 2) as u16,
                }
            }
            Screen::Call(_)
            | Screen::Contacts
            | Screen::Company(_)
            | Screen::Pipeline(_)
            | Screen::Deal(_)
            | Screen::Reports(_) => {}
        }
    }

    fn done(&mut self) {
        let Some(f) = self.today.selected_follow_up() else {
            return self
                .say("select a follow-up to mark done; reconnect rows have none (n logs a note)");
        };
        let (id, version, what) = (
            f.id,
            f.version,
            format!("{} with {}", f.kind, f.contact_name),
        );
        match self.desk.complete_follow_up(id, Some(version)) {
            Ok(next) => {
                let mut msg = format!("done: {what}");
                if let Some(n) = next
                    && let Ok(f) = self.desk.follow_up(n)
                {
                    let now = self.desk.clock.now_naive();
                    msg.push_str(&format!(
                        "; it comes back {}",
                        crate::when::describe(f.due, now)
                    ));
                }
                self.say(msg);
                self.today.forget(id);
                self.reload();
            }
            Err(e) => self.fail(&e),
        }
    }

    fn log_call(&mut self) {
        let next = self.desk.config.follow_up.next.clone();
        let form = match &self.screen {
            Screen::Contact(c) => {
                let today = self.desk.clock.today();
                let due = c.due_follow_up(today);
                CallForm::new(c.id, c.view.contact.name.clone(), due, &next)
            }
            _ => match self.today.selected_row() {
                Some(RowRef::FollowUp(_)) => {
                    let Some(f) = self.today.selected_follow_up() else {
                        return;
                    };
                    CallForm::new(f.contact_id, f.contact_name.clone(), Some(f), &next)
                }
                Some(RowRef::Reconnect(_)) => {
                    let Some((id, name)) = self.today.selected_contact() else {
                        return;
                    };
                    CallForm::new(id, name, None, &next)
                }
                None => return self.say("select someone to call first"),
            },
        };
        // The pre-filled next step is salesdesk's pick: it lands on a workday.
        let mut form = form;
        form.next =
            crate::tui::widgets::input::WhenInput::picked(&next, self.desk.config.workdays());
        self.popup = Some(Popup::Call(Box::new(form)));
    }

    pub fn render(&self, frame: &mut Frame) {
        crate::tui::view::render(self, frame);
    }
}
