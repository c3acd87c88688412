//! The App's moves between screens (`go`, `Back`, the tabs), the global actions every
//! screen shares (quit, help, undo, a note or follow-up for whoever has focus, search), and
//! what a popup's reply means. The screens' own actions are theirs (`Page::act`).

use crate::error::{Error, Result};
use crate::ops::undo::Undone;
use crate::tui::action::Action;
use crate::tui::app::{App, Request, Screen};
use crate::tui::nav::Target;
use crate::tui::popups::confirm::Confirm;
use crate::tui::popups::follow_up::FollowUpForm;
use crate::tui::popups::help::Help;
use crate::tui::popups::note::{ContactField, NoteForm};
use crate::tui::popups::search::SearchPopup;
use crate::tui::popups::{Popup, Reply};

impl App {
    /// An action of the keymap: the global ones here, the rest to the open screen.
    pub(crate) fn act(&mut self, action: Action) {
        match action {
            // Tab walks the tabs in their order: Today → Pipeline → Contacts → Reports → Today.
            Action::NextTab => {
                let next = self.page().next_tab();
                self.act(next)
            }
            Action::Quit => self.quit(),
            Action::Help => self.popup = Some(Popup::Help(Help::at(self.contexts()))),
            Action::Undo => self.run_later(
                false,
                Box::new(|d| {
                    let r = d.undo();
                    Box::new(move |app: &mut App| app.undone(r))
                }),
            ),
            Action::TabToday => {
                self.history.clear();
                self.screen = Screen::Today;
                self.reload();
            }
            Action::TabContacts => self.show_contacts(),
            // Call mode keeps its keys to itself; the board is open already.
            Action::TabPipeline => {
                if !matches!(self.screen, Screen::Pipeline(_) | Screen::Call(_)) {
                    self.enter(Target::Board);
                }
            }
            Action::TabReports => match self.screen {
                Screen::Reports(_) => self.reload(),
                _ => self.enter(Target::Reports),
            },
            Action::Search => {
                self.popup = Some(Popup::Search(Box::new(SearchPopup::new(&self.desk))));
            }
            // Who it is for (a contact to pick reads the names) and the contact's deals are
            // read on the desk's queue; the keys typed meanwhile wait for the popup.
            Action::Note => {
                let focus = self.page().focus();
                self.run_later(
                    true,
                    Box::new(move |d| {
                        let (contact, deal) = contact_field(focus, d);
                        let p = Popup::Note(Box::new(NoteForm::new(contact, deal)));
                        Box::new(move |app: &mut App| app.popup = Some(p))
                    }),
                );
            }
            Action::FollowUp => {
                let focus = self.page().focus();
                self.run_later(
                    true,
                    Box::new(move |d| {
                        let (contact, deal) = contact_field(focus, d);
                        let form = FollowUpForm::new(contact, deal, "tomorrow").with_deals(d);
                        let p = Popup::FollowUp(Box::new(form));
                        Box::new(move |app: &mut App| app.popup = Some(p))
                    }),
                );
            }
            _ => {
                if let Err(e) = self.with_page(|p, cx| p.act(action, cx)) {
                    self.fail(&e);
                }
            }
        }
    }

    fn undone(&mut self, r: crate::error::Result<Undone>) {
        match r {
            Ok(Undone::Nothing) => self.say("nothing to undo"),
            Ok(Undone::Reverted(what)) => {
                self.say(format!("undid {what}"));
                self.today.undone();
                self.reload();
            }
            Err(e) => self.fail(&e),
        }
    }

    pub(crate) fn popup_reply(&mut self, reply: Reply) {
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
            Reply::SavedItem(id, msg) => {
                if let Some(Popup::DealForm(f)) = &mut self.popup {
                    f.saved = Some(id);
                }
                self.popup_reply(Reply::Saved(msg))
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
                if let Some(p) = &closed {
                    self.with_page(|page, _| page.popup_saved(p));
                }
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
            Reply::Later(job) => self.run_later(
                true,
                Box::new(move |d| {
                    let reply = (job.0)(d);
                    Box::new(move |app: &mut App| app.popup_reply(reply))
                }),
            ),
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

    fn show_contacts(&mut self) {
        self.history.clear();
        self.screen = Screen::Contacts;
        self.contacts.companies = None;
        if !self.contacts.loaded && self.later.on {
            // Read on the desk's queue, as a reload.
            self.reload();
        } else if !self.contacts.loaded
            && let Err(e) = self.contacts.load(&mut self.desk)
        {
            self.fail(&e);
        }
    }

    /// The screen this one was opened from; one showing a contact that is gone (merged,
    /// purged elsewhere) is skipped.
    pub(crate) fn back(&mut self) {
        if self.later.on {
            // A screen whose item is gone finds it when it is read again, and shows Today.
            self.screen = self.history.pop().unwrap_or(Screen::Today);
            return self.reload();
        }
        while let Some(mut prev) = self.history.pop() {
            let gone = prev
                .page_mut(&mut self.today, &mut self.contacts)
                .gone(&mut self.desk);
            if !gone {
                self.screen = prev;
                self.reload();
                return;
            }
        }
        self.screen = Screen::Today;
        self.reload();
    }

    /// Opens an item; `Back` returns to the screen it was opened from.
    pub fn go(&mut self, target: Target) {
        if target == Target::Contacts {
            self.show_contacts();
            return self.reload();
        }
        self.open_then(target, App::went);
    }

    /// Reads what `target` shows (on the desk's queue, the keys held meanwhile), then `then`.
    fn open_then(&mut self, target: Target, then: fn(&mut App, Result<Screen>)) {
        let board = self.board.clone();
        self.run_later(
            true,
            Box::new(move |d| {
                let r = Screen::open(target, d, &board);
                Box::new(move |app: &mut App| then(app, r))
            }),
        );
    }

    fn went(&mut self, opened: Result<Screen>) {
        match opened {
            Ok(s) => {
                let prev = std::mem::replace(&mut self.screen, s);
                match prev {
                    // Call mode is left, not stacked; a contact replaced by itself is not kept.
                    Screen::Call(_) => {}
                    Screen::Contact(c) if matches!(&self.screen, Screen::Contact(n) if n.id == c.id) =>
                        {}
                    p => self.history.push(p),
                }
                if self.history.len() > 20 {
                    self.history.remove(0);
                }
                self.opened();
            }
            Err(e) => self.fail(&e),
        }
    }

    /// A screen just opened: Today's lists are read again (the screen itself was just read,
    /// on the desk's queue; on the UI thread, it is read again as before).
    fn opened(&mut self) {
        if !self.later.on {
            return self.reload();
        }
        if let Err(e) = self.today.refresh(&mut self.desk) {
            self.fail(&e);
        }
        if !matches!(self.screen, Screen::Contacts) {
            self.contacts.loaded = false;
        }
    }

    /// Opens an item in place of the open screen: nothing kept to go back to.
    pub(crate) fn enter(&mut self, target: Target) {
        self.open_then(target, App::entered);
    }

    fn entered(&mut self, opened: Result<Screen>) {
        match opened {
            Ok(Screen::Call(c)) if c.current().is_none() => {
                self.say("nothing due today: call mode has no one to call")
            }
            Ok(s) => self.screen = s,
            Err(e) => self.fail(&e),
        }
    }

    /// A deal's page over the open screen (the board), which its `Back` shows again.
    pub(crate) fn open_deal(&mut self, id: i64) {
        self.away_with(move |over, d| {
            let r = over.open_deal_over(d, id);
            Box::new(move |app: &mut App| match r {
                Ok(s) => app.screen = s,
                Err((e, back)) => {
                    app.screen = back;
                    app.fail(&e);
                }
            })
        });
    }
}

/// Who a note or follow-up is for: the screen's focus, or a contact to pick.
fn contact_field(
    focus: Option<(i64, String, Option<i64>)>,
    desk: &mut crate::ops::Desk,
) -> (ContactField, Option<i64>) {
    match focus {
        Some((id, name, deal)) => (ContactField::Fixed(id, name), deal),
        None => (ContactField::pick(desk), None),
    }
}
