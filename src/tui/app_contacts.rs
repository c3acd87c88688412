//! The App's part for Contacts, the contact and company views and search: the actions of
//! those screens, moving between them (`go`, `Back`), and the filter's typing. Kept apart
//! from app.rs, which calls `apply_contacts` before its own actions.

use ratatui::crossterm::event::KeyEvent;

use crate::error::Result;
use crate::tui::action::Action;
use crate::tui::app::{App, Request, Screen};
use crate::tui::clipboard::{self, Kind};
use crate::tui::nav::Target;
use crate::tui::popups::Popup;
use crate::tui::popups::contact_edit::ContactEdit;
use crate::tui::popups::merge::MergeForm;
use crate::tui::popups::note_edit::NoteEdit;
use crate::tui::popups::purge::PurgeForm;
use crate::tui::popups::search::SearchPopup;
use crate::tui::screens::companies::CompaniesList;
use crate::tui::screens::company::CompanyScreen;
use crate::tui::screens::contact::ContactScreen;
use crate::tui::screens::deal::DealScreen;

impl App {
    /// The actions this part owns; false leaves the action to the rest of the app.
    pub(crate) fn apply_contacts(&mut self, action: Action) -> bool {
        match action {
            Action::TabContacts => {
                self.show_contacts();
                return true;
            }
            Action::TabToday => {
                self.history.clear();
                return false;
            }
            Action::Search => {
                self.popup = Some(Popup::Search(Box::new(SearchPopup::new(&self.desk))));
                return true;
            }
            _ => {}
        }
        let r = match &self.screen {
            Screen::Contacts => self.contacts_action(action),
            Screen::Contact(_) => self.contact_action(action),
            Screen::Company(_) => self.company_action(action),
            _ => return false,
        };
        match r {
            Ok(used) => used,
            Err(e) => {
                self.fail(&e);
                true
            }
        }
    }

    fn show_contacts(&mut self) {
        self.history.clear();
        self.screen = Screen::Contacts;
        self.contacts.companies = None;
        if !self.contacts.loaded
            && let Err(e) = self.contacts.load(&mut self.desk)
        {
            self.fail(&e);
        }
    }

    /// Reads the contacts table again when it shows; otherwise it is read when next opened.
    pub(crate) fn reload_contacts(&mut self) -> Result<()> {
        match &mut self.screen {
            Screen::Contacts => {
                if let Some(co) = &mut self.contacts.companies {
                    co.load(&mut self.desk)?;
                }
                self.contacts.load(&mut self.desk)
            }
            Screen::Company(c) => {
                self.contacts.loaded = false;
                c.reload(&mut self.desk)
            }
            _ => {
                self.contacts.loaded = false;
                Ok(())
            }
        }
    }

    fn contacts_action(&mut self, action: Action) -> Result<bool> {
        if self.contacts.companies.is_some() {
            return self.companies_action(action);
        }
        let c = &mut self.contacts;
        let d = &mut self.desk;
        match action {
            // `/` again starts afresh; the selection stays on the same contact.
            Action::Filter => {
                c.filter.typing = true;
                if !c.filter.input.text().is_empty() {
                    c.filter.input = Default::default();
                    let keep = c.selected_id();
                    c.refilter(d, keep)?;
                }
            }
            Action::Save if c.filter.typing => c.filter.typing = false,
            Action::Cancel if c.filter.typing => {
                c.filter.typing = false;
                c.filter.input = Default::default();
                let keep = c.selected_id();
                c.refilter(d, keep)?;
            }
            Action::Back if !c.filter.input.text().is_empty() => {
                c.filter.input = Default::default();
                let keep = c.selected_id();
                c.refilter(d, keep)?;
            }
            Action::Back => {}
            Action::Down => c.move_by(d, 1)?,
            Action::Up => c.move_by(d, -1)?,
            Action::Top => c.move_by(d, isize::MIN)?,
            Action::Bottom => c.move_by(d, isize::MAX)?,
            Action::PageDown => c.move_by(d, c.page_size())?,
            Action::PageUp => c.move_by(d, -c.page_size())?,
            Action::Sort => c.cycle_sort(d)?,
            Action::SortReverse => c.reverse_sort(d)?,
            Action::ToggleArchived => {
                c.toggle_archived(d)?;
                let msg = if c.archived {
                    "archived contacts shown"
                } else {
                    "archived contacts hidden"
                };
                self.say(msg);
            }
            Action::Open => {
                if let Some(id) = c.selected_id() {
                    self.go(Target::Contact(id));
                }
            }
            Action::Companies => {
                c.companies = Some(Box::new(CompaniesList::open(d)?));
            }
            Action::AddContact => {
                self.popup = Some(Popup::ContactEdit(Box::new(ContactEdit::new_contact())))
            }
            Action::Edit => {
                if let Some(id) = c.selected_id() {
                    let contact = d.contact(id)?;
                    self.popup = Some(Popup::ContactEdit(Box::new(ContactEdit::edit(&contact))));
                }
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The companies list's keys (a mode of the Contacts tab).
    fn companies_action(&mut self, action: Action) -> Result<bool> {
        let Some(co) = self.contacts.companies.as_mut() else {
            return Ok(false);
        };
        match action {
            Action::Filter => {
                co.typing = true;
                if !co.filter.text().is_empty() {
                    let keep = co.selected_id();
                    co.filter = Default::default();
                    co.refilter(keep);
                }
            }
            Action::Save if co.typing => co.typing = false,
            Action::Cancel if co.typing => {
                co.typing = false;
                let keep = co.selected_id();
                co.filter = Default::default();
                co.refilter(keep);
            }
            Action::Back if !co.filter.text().is_empty() => {
                let keep = co.selected_id();
                co.filter = Default::default();
                co.refilter(keep);
            }
            Action::Back => self.contacts.companies = None,
            Action::Down => co.move_by(1),
            Action::Up => co.move_by(-1),
            Action::Top => co.move_by(isize::MIN),
            Action::Bottom => co.move_by(isize::MAX),
            Action::Open => {
                if let Some(id) = co.selected_id() {
                    self.go(Target::Company(id));
                }
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn contact_action(&mut self, action: Action) -> Result<bool> {
        let Screen::Contact(c) = &mut self.screen else {
            return Ok(false);
        };
        let contact = c.view.contact.clone();
        match action {
            Action::Down => c.move_note(1),
            Action::Up => c.move_note(-1),
            Action::Top => c.move_note(isize::MIN),
            Action::Bottom => c.move_note(isize::MAX),
            Action::Back => self.back(),
            Action::Edit => {
                self.popup = Some(Popup::ContactEdit(Box::new(ContactEdit::edit(&contact))))
            }
            Action::AddContact => {
                self.popup = Some(Popup::ContactEdit(Box::new(ContactEdit::new_contact())))
            }
            Action::EditNote => match c.selected_note() {
                Some(n) => {
                    self.popup = Some(Popup::NoteEdit(Box::new(NoteEdit::new(n, &contact.name))))
                }
                None => self.say("no note to edit: n writes one"),
            },
            Action::DeleteNote => match c.selected_note().map(|n| (n.id, n.version)) {
                Some((id, version)) => {
                    self.desk.delete_note(id, Some(version))?;
                    self.say(format!("deleted a note on {}; u undoes it", contact.name));
                    self.reload();
                }
                None => self.say("no note to delete"),
            },
            Action::Company => match contact.company_id {
                Some(id) => {
                    self.go(Target::Company(id));
                    // The person the company was opened from is selected there.
                    if let Screen::Company(co) = &mut self.screen
                        && let Some(i) = co.view.contacts.iter().position(|c| c.id == contact.id)
                    {
                        co.selected = i;
                    }
                }
                None => self.say(format!("{} has no company; e sets one", contact.name)),
            },
            Action::CopyEmail | Action::CopyPhone => {
                let (list, what) = if action == Action::CopyEmail {
                    (&contact.emails, "email")
                } else {
                    (&contact.phones, "phone")
                };
                match list.first() {
                    Some(v) => {
                        self.request = Some(Request::Copy(v.clone()));
                        self.say(format!("copied {v}"));
                    }
                    None => self.say(format!("{} has no {what}; e adds one", contact.name)),
                }
            }
            Action::OpenEmail | Action::OpenPhone => {
                let (list, kind, what) = if action == Action::OpenEmail {
                    (&contact.emails, Kind::Email, "email")
                } else {
                    (&contact.phones, Kind::Phone, "phone")
                };
                match list.first() {
                    Some(v) => {
                        let uri = clipboard::uri(kind, v);
                        self.say(format!("opening {uri}"));
                        self.request = Some(Request::Open(uri));
                    }
                    None => self.say(format!("{} has no {what}; e adds one", contact.name)),
                }
            }
            Action::Archive => {
                self.desk.set_archived(contact.id, !contact.archived)?;
                let verb = if contact.archived {
                    "unarchived"
                } else {
                    "archived"
                };
                self.say(format!("{verb} {}; u undoes it", contact.name));
                self.reload();
            }
            Action::Merge => {
                self.popup = Some(Popup::Merge(Box::new(MergeForm::new(
                    contact.id,
                    &contact.name,
                    &mut self.desk,
                ))))
            }
            Action::Purge => {
                self.popup = Some(Popup::Purge(Box::new(PurgeForm::new(
                    contact.id,
                    &contact.name,
                ))))
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn company_action(&mut self, action: Action) -> Result<bool> {
        let Screen::Company(c) = &mut self.screen else {
            return Ok(false);
        };
        match action {
            Action::Down => c.move_by(1),
            Action::Up => c.move_by(-1),
            Action::Top => c.move_by(isize::MIN),
            Action::Bottom => c.move_by(isize::MAX),
            Action::Open => {
                if let Some(t) = c.selected_target() {
                    self.go(t);
                }
            }
            Action::Back => self.back(),
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The screen this one was opened from; one showing a contact that is gone (merged,
    /// purged elsewhere) is skipped.
    pub(crate) fn back(&mut self) {
        while let Some(mut prev) = self.history.pop() {
            let gone = match &mut prev {
                Screen::Contact(c) => c.reload(&mut self.desk).is_err(),
                Screen::Company(c) => c.reload(&mut self.desk).is_err(),
                _ => false,
            };
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
        let opened = match target {
            Target::Contacts => {
                self.show_contacts();
                self.reload();
                return;
            }
            Target::Contact(id) => {
                ContactScreen::open(&mut self.desk, id).map(|c| Screen::Contact(Box::new(c)))
            }
            // The deal's own page; `Back` returns here rather than to a board.
            Target::Deal { deal_id, .. } => DealScreen::open(&mut self.desk, deal_id, None)
                .map(|d| Screen::Deal(Box::new(d)))
                .map_err(|(e, _)| e),
            Target::Note {
                contact_id,
                note_id,
            } => ContactScreen::open(&mut self.desk, contact_id).map(|mut c| {
                if let Some(i) = c.view.notes.iter().position(|n| n.id == note_id) {
                    c.note = i;
                }
                Screen::Contact(Box::new(c))
            }),
            Target::Company(id) => {
                CompanyScreen::open(&mut self.desk, id).map(|c| Screen::Company(Box::new(c)))
            }
        };
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
                self.reload();
            }
            Err(e) => self.fail(&e),
        }
    }

    /// A key typed into the Contacts filter: the table follows each keystroke.
    pub(crate) fn filter_key(&mut self, key: &KeyEvent) {
        if let Some(co) = self.contacts.companies.as_mut() {
            let before = co.filter.text().to_string();
            if co.filter.handle(key) && co.filter.text() != before {
                co.refilter(None);
            }
            return;
        }
        let before = self.contacts.filter.input.text().to_string();
        if self.contacts.filter.input.handle(key)
            && self.contacts.filter.input.text() != before
            && let Err(e) = self.contacts.refilter(&mut self.desk, None)
        {
            self.fail(&e);
        }
    }

    /// A search answer, the contacts' names, Today's lists or the report's figures are
    /// awaited: the loop should look again soon rather than sleep.
    pub fn waiting(&self) -> bool {
        matches!(&self.popup, Some(Popup::Search(s)) if s.waiting())
            || self.contacts.index_pending()
            || self.today.pending()
            || matches!(&self.screen, Screen::Reports(r) if r.pending())
            || matches!(&self.screen, Screen::Pipeline(p) if p.pending())
    }
}
