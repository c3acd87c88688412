//! The App's part for changing follow-ups where they show: `e` edits and `X` cancels the
//! selected one on Today, `T` and `X` the selected one (`J`/`K`) on a contact's page, and `A`
//! widens Today's Upcoming to the agenda. Edits and cancels go through the ops of
//! `follow-up edit` and `follow-up cancel`.

use crate::domain::follow_up::FollowUp;
use crate::tui::action::Action;
use crate::tui::app::{App, Screen};
use crate::tui::popups::Popup;
use crate::tui::popups::follow_up_edit::FollowUpEditForm;

impl App {
    /// The actions this part owns; false leaves the action to the rest of the app.
    pub(crate) fn apply_follow_ups(&mut self, action: Action) -> bool {
        match (&mut self.screen, action) {
            (Screen::Contact(c), Action::NextFollowUpRow | Action::PrevFollowUpRow) => {
                c.move_follow_up(if action == Action::NextFollowUpRow {
                    1
                } else {
                    -1
                });
            }
            (Screen::Today | Screen::Contact(_), Action::EditFollowUp) => {
                let Some(f) = self.focus_follow_up() else {
                    return true;
                };
                match FollowUpEditForm::open(&mut self.desk, &f) {
                    Ok(form) => self.popup = Some(Popup::FollowUpEdit(Box::new(form))),
                    Err(e) => self.fail(&e),
                }
            }
            (Screen::Today | Screen::Contact(_), Action::CancelFollowUp) => {
                let Some(f) = self.focus_follow_up() else {
                    return true;
                };
                match self.desk.cancel_follow_up(f.id, Some(f.version)) {
                    Ok(()) => {
                        self.say(format!(
                            "cancelled: {} with {} ({}); u undoes it",
                            f.kind, f.contact_name, f.text
                        ));
                        self.today.forget(f.id);
                        self.reload();
                    }
                    Err(e) => self.fail(&e),
                }
            }
            (Screen::Today, Action::Agenda) => {
                self.today.agenda = !self.today.agenda;
                let days = self.today.upcoming_days();
                self.say(format!("Upcoming shows the next {days} days"));
                self.reload();
            }
            _ => return false,
        }
        true
    }

    /// The follow-up the keys act on: Today's selected row, or the contact page's `J`/`K`
    /// pick; says why when there is none.
    fn focus_follow_up(&mut self) -> Option<FollowUp> {
        let f = match &self.screen {
            Screen::Today => self.today.selected_follow_up().cloned(),
            Screen::Contact(c) => c.selected_follow_up().cloned(),
            _ => None,
        };
        if f.is_none() {
            let why = match &self.screen {
                Screen::Contact(c) => format!(
                    "{} has no open follow-up; f schedules one",
                    c.view.contact.name
                ),
                _ => "select a follow-up; reconnect rows have none (f schedules one)".into(),
            };
            self.say(why);
        }
        f
    }
}
