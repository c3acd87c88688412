//! A contact's page's side of the screen protocol: walking the timeline and the open
//! follow-ups, editing the contact and its notes, its company, copying or opening an email
//! or phone, archive, merge and purge.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::error::Result;
use crate::ops::Desk;
use crate::text::printable;
use crate::tui::action::Action;
use crate::tui::app::Request;
use crate::tui::clipboard::{self, Kind};
use crate::tui::keymap::Context;
use crate::tui::nav::Target;
use crate::tui::popups::contact_edit::ContactEdit;
use crate::tui::popups::merge::MergeForm;
use crate::tui::popups::note_edit::NoteEdit;
use crate::tui::popups::purge::PurgeForm;
use crate::tui::popups::{Popup, View};
use crate::tui::screen::{Cx, Effect, Page, Screen};
use crate::tui::screens::contact::ContactScreen;
use crate::tui::screens::follow_up_keys;

impl Page for ContactScreen {
    fn contexts(&self) -> Vec<Context> {
        vec![Context::Contact, Context::List, Context::Global]
    }

    fn crumb(&self) -> Option<String> {
        Some(printable(&self.view.contact.name))
    }

    fn next_tab(&self) -> Action {
        Action::TabReports
    }

    fn act(&mut self, action: Action, cx: &mut Cx) -> Result<bool> {
        match action {
            Action::Down => self.move_note(1),
            Action::Up => self.move_note(-1),
            Action::Top => self.move_note(isize::MIN),
            Action::Bottom => self.move_note(isize::MAX),
            Action::NextFollowUpRow => self.move_follow_up(1),
            Action::PrevFollowUpRow => self.move_follow_up(-1),
            Action::Back => cx.ask(Effect::Back),
            Action::EditFollowUp | Action::CancelFollowUp => self.follow_up_act(action, cx),
            Action::LogCall => {
                let due = self.due_follow_up(cx.desk.clock.today());
                follow_up_keys::log_call(self.id, self.view.contact.name.clone(), due, cx);
            }
            Action::Sequence => {
                follow_up_keys::sequence(self.id, self.view.contact.name.clone(), cx)
            }
            _ => return self.contact_act(action, cx),
        }
        Ok(true)
    }

    fn draw(&self, frame: &mut Frame, area: Rect, v: &View) {
        self.render(area, frame.buffer_mut(), v.theme, v.now);
    }

    /// A contact that is gone (merged, purged) gives way to Today.
    fn reload(&mut self, cx: &mut Cx) -> Result<()> {
        let r = ContactScreen::reload(self, cx.desk);
        if r.is_err() {
            cx.ask(Effect::Show(Screen::Today));
        }
        r
    }

    fn gone(&mut self, desk: &mut Desk) -> bool {
        ContactScreen::reload(self, desk).is_err()
    }

    fn focus(&self) -> Option<(i64, String, Option<i64>)> {
        Some((self.id, self.view.contact.name.clone(), None))
    }
}

impl ContactScreen {
    /// The actions on the contact itself; false for one that is not.
    fn contact_act(&mut self, action: Action, cx: &mut Cx) -> Result<bool> {
        let contact = self.view.contact.clone();
        match action {
            Action::Edit => cx.popup(Popup::ContactEdit(Box::new(ContactEdit::edit(&contact)))),
            Action::AddContact => {
                cx.popup(Popup::ContactEdit(Box::new(ContactEdit::new_contact())))
            }
            Action::EditNote => match self.selected_note() {
                Some(n) => cx.popup(Popup::NoteEdit(Box::new(NoteEdit::new(n, &contact.name)))),
                None => cx.say("no note to edit: n writes one"),
            },
            Action::DeleteNote => match self.selected_note().map(|n| (n.id, n.version)) {
                Some((id, version)) => {
                    let msg = format!("deleted a note on {}; u undoes it", contact.name);
                    cx.later(move |desk| match desk.delete_note(id, Some(version)) {
                        Ok(_) => vec![Effect::Say(msg), Effect::Reload],
                        Err(e) => vec![Effect::Fail(e)],
                    });
                }
                None => cx.say("no note to delete"),
            },
            // The person the company is opened from is selected there.
            Action::Company => match contact.company_id {
                Some(company_id) => cx.go(Target::CompanyAt {
                    company_id,
                    contact_id: contact.id,
                }),
                None => cx.say(format!("{} has no company; e sets one", contact.name)),
            },
            Action::CopyEmail | Action::CopyPhone => {
                let (list, what) = if action == Action::CopyEmail {
                    (&contact.emails, "email")
                } else {
                    (&contact.phones, "phone")
                };
                match list.first() {
                    Some(v) => {
                        cx.ask(Effect::Request(Request::Copy(v.clone())));
                        cx.say(format!("copied {v}"));
                    }
                    None => cx.say(format!("{} has no {what}; e adds one", contact.name)),
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
                        cx.say(format!("opening {uri}"));
                        cx.ask(Effect::Request(Request::Open(uri)));
                    }
                    None => cx.say(format!("{} has no {what}; e adds one", contact.name)),
                }
            }
            Action::Archive => {
                let verb = if contact.archived {
                    "unarchived"
                } else {
                    "archived"
                };
                let msg = format!("{verb} {}; u undoes it", contact.name);
                let (id, archive) = (contact.id, !contact.archived);
                cx.later(move |desk| match desk.set_archived(id, archive) {
                    Ok(_) => vec![Effect::Say(msg), Effect::Reload],
                    Err(e) => vec![Effect::Fail(e)],
                });
            }
            Action::Merge => {
                let form = MergeForm::new(contact.id, &contact.name, cx.desk);
                cx.popup(Popup::Merge(Box::new(form)));
            }
            Action::Purge => cx.popup(Popup::Purge(Box::new(PurgeForm::new(
                contact.id,
                &contact.name,
            )))),
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// `T` and `X` on the open follow-up picked with `J`/`K`.
    fn follow_up_act(&mut self, action: Action, cx: &mut Cx) {
        let Some(f) = self.selected_follow_up().cloned() else {
            return cx.say(format!(
                "{} has no open follow-up; f schedules one",
                self.view.contact.name
            ));
        };
        if action == Action::EditFollowUp {
            follow_up_keys::edit(&f, cx);
        } else {
            follow_up_keys::cancel(&f, cx);
        }
    }
}
