//! The Contacts tab's side of the screen protocol: the table (walk, page, sort, archived,
//! the filter typed as you go) and its companies list (`C`), each opening what is selected.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use crate::error::Result;
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::nav::Target;
use crate::tui::popups::contact_edit::ContactEdit;
use crate::tui::popups::{Popup, View};
use crate::tui::screen::{Cx, Page, Taken};
use crate::tui::screens::companies::CompaniesList;
use crate::tui::screens::contacts::ContactsScreen;

impl Page for ContactsScreen {
    fn contexts(&self) -> Vec<Context> {
        match &self.companies {
            Some(c) if c.typing => vec![Context::Filter],
            Some(_) => vec![Context::Companies, Context::List, Context::Global],
            None if self.filter.typing => vec![Context::Filter],
            None => vec![Context::Contacts, Context::List, Context::Global],
        }
    }

    fn tab(&self) -> Option<&'static str> {
        Some("Contacts")
    }

    fn next_tab(&self) -> Action {
        Action::TabReports
    }

    fn act(&mut self, action: Action, cx: &mut Cx) -> Result<bool> {
        if self.companies.is_some() {
            return Ok(self.companies_act(action, cx));
        }
        self.table_act(action, cx)
    }

    /// A key typed into the filter: the table follows each keystroke.
    fn unbound(&mut self, key: &KeyEvent, cx: &mut Cx) -> Taken {
        if self.contexts() != [Context::Filter] {
            return Taken::No;
        }
        if let Some(co) = self.companies.as_mut() {
            let before = co.filter.text().to_string();
            if co.filter.handle(key) && co.filter.text() != before {
                co.refilter(None);
            }
            return Taken::Yes;
        }
        let before = self.filter.input.text().to_string();
        if self.filter.input.handle(key)
            && self.filter.input.text() != before
            && let Err(e) = self.refilter(cx.desk, None)
        {
            cx.fail(e);
        }
        Taken::Yes
    }

    fn draw(&self, frame: &mut Frame, area: Rect, v: &View) {
        self.render(area, frame.buffer_mut(), v.theme, v.now);
    }

    fn reload(&mut self, cx: &mut Cx) -> Result<()> {
        if let Some(co) = &mut self.companies {
            co.load(cx.desk)?;
        }
        self.load(cx.desk)
    }

    fn focus(&self) -> Option<(i64, String, Option<i64>)> {
        self.selected_contact().map(|(id, n)| (id, n, None))
    }
}

impl ContactsScreen {
    /// The table's keys.
    fn table_act(&mut self, action: Action, cx: &mut Cx) -> Result<bool> {
        let d = &mut *cx.desk;
        match action {
            // `/` again starts afresh; the selection stays on the same contact.
            Action::Filter => {
                self.filter.typing = true;
                if !self.filter.input.text().is_empty() {
                    self.clear_filter(d)?;
                }
            }
            Action::Save if self.filter.typing => self.filter.typing = false,
            Action::Cancel if self.filter.typing => {
                self.filter.typing = false;
                self.clear_filter(d)?;
            }
            Action::Back if !self.filter.input.text().is_empty() => self.clear_filter(d)?,
            Action::Back => {}
            Action::Down => self.move_by(d, 1)?,
            Action::Up => self.move_by(d, -1)?,
            Action::Top => self.move_by(d, isize::MIN)?,
            Action::Bottom => self.move_by(d, isize::MAX)?,
            Action::PageDown => self.move_by(d, self.page_size())?,
            Action::PageUp => self.move_by(d, -self.page_size())?,
            Action::Sort => self.cycle_sort(d)?,
            Action::SortReverse => self.reverse_sort(d)?,
            Action::ToggleArchived => {
                self.toggle_archived(d)?;
                cx.say(if self.archived {
                    "archived contacts shown"
                } else {
                    "archived contacts hidden"
                });
            }
            Action::Whose if d.db.on_server() => {
                let said = self.cycle_whose(d)?;
                cx.say(said);
            }
            Action::Whose => cx.say("a personal book has one user, who owns every contact on it"),
            Action::Open => {
                if let Some(id) = self.selected_id() {
                    cx.go(Target::Contact(id));
                }
            }
            Action::Companies => self.companies = Some(Box::new(CompaniesList::open(d)?)),
            Action::AddContact => {
                cx.popup(Popup::ContactEdit(Box::new(ContactEdit::new_contact())))
            }
            Action::Edit => {
                if let Some(id) = self.selected_id() {
                    let contact = d.contact(id)?;
                    cx.popup(Popup::ContactEdit(Box::new(ContactEdit::edit(&contact))));
                }
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The filter emptied; the selection stays on the same contact.
    fn clear_filter(&mut self, desk: &mut crate::ops::Desk) -> Result<()> {
        self.filter.input = Default::default();
        let keep = self.selected_id();
        self.refilter(desk, keep)
    }

    /// The companies list's keys (a mode of the Contacts tab).
    fn companies_act(&mut self, action: Action, cx: &mut Cx) -> bool {
        let Some(co) = self.companies.as_mut() else {
            return false;
        };
        match action {
            Action::Filter => {
                co.typing = true;
                if !co.filter.text().is_empty() {
                    co.clear_filter();
                }
            }
            Action::Save if co.typing => co.typing = false,
            Action::Cancel if co.typing => {
                co.typing = false;
                co.clear_filter();
            }
            Action::Back if !co.filter.text().is_empty() => co.clear_filter(),
            Action::Back => self.companies = None,
            Action::Down => co.move_by(1),
            Action::Up => co.move_by(-1),
            Action::Top => co.move_by(isize::MIN),
            Action::Bottom => co.move_by(isize::MAX),
            Action::Open => {
                if let Some(id) = co.selected_id() {
                    cx.go(Target::Company(id));
                }
            }
            _ => return false,
        }
        true
    }
}

impl CompaniesList {
    /// The filter emptied; the selection stays on the same company.
    fn clear_filter(&mut self) {
        let keep = self.selected_id();
        self.filter = Default::default();
        self.refilter(keep);
    }
}
