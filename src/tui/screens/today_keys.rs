//! Today's side of the screen protocol: walking the rows, done, snooze, log a call, call
//! mode, opening the contact, changing the selected follow-up, the agenda, and the welcome's
//! demo book.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::error::Result;
use crate::text::plural;
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::nav::Target;
use crate::tui::popups::snooze::Snooze;
use crate::tui::popups::{Popup, View};
use crate::tui::screen::{Cx, Effect, Page};
use crate::tui::screens::follow_up_keys;
use crate::tui::screens::today::{RowRef, TodayScreen};

impl Page for TodayScreen {
    fn contexts(&self) -> Vec<Context> {
        if self.empty {
            return vec![Context::Welcome, Context::Global];
        }
        vec![Context::Today, Context::List, Context::Global]
    }

    fn tab(&self) -> Option<&'static str> {
        Some("Today")
    }

    fn next_tab(&self) -> Action {
        Action::TabPipeline
    }

    fn act(&mut self, action: Action, cx: &mut Cx) -> Result<bool> {
        match action {
            Action::Down => self.move_by(1),
            Action::Up => self.move_by(-1),
            Action::Top => self.select_end(false),
            Action::Bottom => self.select_end(true),
            Action::Done => self.done(cx),
            Action::Snooze => match self.selected_follow_up() {
                Some(f) => {
                    let what = format!("{} with {}", f.kind, f.contact_name);
                    cx.popup(Popup::Snooze(Snooze::new(f.id, f.version, what)));
                }
                None => cx.say(
                    "select a follow-up to snooze; reconnect rows have none (f schedules one)",
                ),
            },
            Action::LogCall => self.log_call(cx),
            Action::CallMode => cx.ask(Effect::Enter(Target::Call)),
            Action::Open => {
                if let Some((id, _)) = self.selected_contact() {
                    cx.ask(Effect::Enter(Target::Contact(id)));
                }
            }
            Action::EditFollowUp | Action::CancelFollowUp => {
                let Some(f) = self.selected_follow_up().cloned() else {
                    cx.say("select a follow-up; reconnect rows have none (f schedules one)");
                    return Ok(true);
                };
                if action == Action::EditFollowUp {
                    follow_up_keys::edit(&f, cx);
                } else {
                    follow_up_keys::cancel(&f, cx);
                }
            }
            Action::Agenda => {
                self.agenda = !self.agenda;
                let days = self.upcoming_days();
                cx.say(format!("Upcoming shows the next {days} days"));
                cx.reload();
            }
            Action::Sequence => match self.selected_contact() {
                Some((id, name)) => follow_up_keys::sequence(id, name, cx),
                None => cx.say("select a row to start or stop its contact's sequence"),
            },
            Action::LoadDemo => self.load_demo(cx),
            Action::AddContact => cx.popup(Popup::AddContact(Box::default())),
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn draw(&self, frame: &mut Frame, area: Rect, v: &View) {
        self.render(area, frame.buffer_mut(), v.theme, v.keymap, v.now);
    }

    /// The app reads Today's lists again on every reload, whatever screen is open.
    fn reload(&mut self, _cx: &mut Cx) -> Result<()> {
        Ok(())
    }

    fn focus(&self) -> Option<(i64, String, Option<i64>)> {
        let (id, name) = self.selected_contact()?;
        Some((id, name, self.selected_follow_up().and_then(|f| f.deal_id)))
    }
}

impl TodayScreen {
    /// `d`: the selected follow-up done; a repeating one says when it comes back.
    fn done(&mut self, cx: &mut Cx) {
        let Some(f) = self.selected_follow_up() else {
            return cx
                .say("select a follow-up to mark done; reconnect rows have none (n logs a note)");
        };
        let (id, version, what) = (
            f.id,
            f.version,
            format!("{} with {}", f.kind, f.contact_name),
        );
        // Off the screen at once (a second `x` cannot land on it while a server book writes
        // on the desk's queue); back by the reload if the write fails.
        self.forget(id);
        cx.later(
            move |desk| match desk.complete_follow_up(id, Some(version)) {
                Ok(next) => {
                    let mut msg = format!("done: {what}");
                    if let Some(n) = next
                        && let Ok(f) = desk.follow_up(n)
                    {
                        let now = desk.clock.now_naive();
                        msg.push_str(&format!(
                            "; it comes back {}",
                            crate::when::describe(f.due, now)
                        ));
                    }
                    vec![Effect::Say(msg), Effect::Forget(id), Effect::Reload]
                }
                Err(e) => vec![Effect::Fail(e), Effect::Reload],
            },
        );
    }

    fn log_call(&self, cx: &mut Cx) {
        match self.selected_row() {
            Some(RowRef::FollowUp(_)) => {
                let Some(f) = self.selected_follow_up() else {
                    return;
                };
                follow_up_keys::log_call(f.contact_id, f.contact_name.clone(), Some(f), cx);
            }
            Some(RowRef::Reconnect(_)) => {
                let Some((id, name)) = self.selected_contact() else {
                    return;
                };
                follow_up_keys::log_call(id, name, None, cx);
            }
            None => cx.say("select someone to call first"),
        }
    }

    fn load_demo(&mut self, cx: &mut Cx) {
        self.selected = 0;
        cx.later_held(|desk| match desk.load_demo(false) {
            Ok(n) => vec![
                Effect::Say(format!(
                    "demo book loaded: {}, {}, {}, {}",
                    plural(n.contacts, "contact"),
                    plural(n.deals, "deal"),
                    plural(n.follow_ups, "follow-up"),
                    plural(n.notes, "note")
                )),
                Effect::Reload,
            ],
            Err(e) => vec![Effect::Fail(e)],
        });
    }
}
