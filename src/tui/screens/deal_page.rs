//! A deal's page's side of the screen protocol: scrolling, back to the board it was opened
//! from (or the screen before), its contact, and the actions on the deal (shared with the
//! board).

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::domain::deal::DealStatus;
use crate::error::Result;
use crate::ops::Desk;
use crate::text::printable;
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::nav::Target;
use crate::tui::popups::View;
use crate::tui::screen::{Cx, Effect, Page, Screen};
use crate::tui::screens::deal::DealScreen;
use crate::tui::screens::deal_keys;

impl Page for DealScreen {
    /// A closed deal's keys (reopen) come first on a closed deal.
    fn contexts(&self) -> Vec<Context> {
        if self.deal.status != DealStatus::Open {
            return vec![
                Context::Closed,
                Context::Deal,
                Context::List,
                Context::Global,
            ];
        }
        vec![Context::Deal, Context::List, Context::Global]
    }

    fn tab(&self) -> Option<&'static str> {
        Some("Pipeline")
    }

    fn crumb(&self) -> Option<String> {
        Some(printable(&self.deal.title))
    }

    fn next_tab(&self) -> Action {
        Action::TabContacts
    }

    fn act(&mut self, action: Action, cx: &mut Cx) -> Result<bool> {
        match action {
            Action::Back => self.back(cx),
            Action::Open => cx.go(Target::Contact(self.deal.contact_id)),
            Action::Down => self.scroll = self.scroll.saturating_add(1),
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Top => self.scroll = 0,
            Action::Bottom => self.scroll = u16::MAX / 2,
            Action::MoveBack | Action::MoveOn => {
                let step = if action == Action::MoveOn { 1 } else { -1 };
                let stages = cx.desk.config.stages_of(&self.deal.pipeline);
                let names: Vec<&str> = stages.iter().map(|s| s.name.as_str()).collect();
                let target = deal_keys::neighbour(&names, &self.deal.stage, step);
                let d = self.deal.clone();
                deal_keys::move_to(&d, target, step, cx);
            }
            _ => {
                let d = self.deal.clone();
                return Ok(deal_keys::act(&d, action, cx));
            }
        }
        Ok(true)
    }

    fn draw(&self, frame: &mut Frame, area: Rect, v: &View) {
        self.render(area, frame.buffer_mut(), v.theme, v.now);
    }

    /// A deal that is gone (undo of its creation, a purge) gives way to its board.
    fn changed(&mut self, _id: i64, read: bool, cx: &mut Cx) -> Result<()> {
        if !read {
            cx.reload();
            return Ok(());
        }
        self.refresh(cx.desk)
    }

    fn reload(&mut self, cx: &mut Cx) -> Result<()> {
        let Err(e) = self.refresh(cx.desk) else {
            return Ok(());
        };
        let back = match self.board.take().map(|b| *b) {
            Some(Screen::Pipeline(mut b)) => match b.load(cx.desk) {
                Ok(()) => Screen::Pipeline(b),
                Err(_) => Screen::Today,
            },
            _ => Screen::Today,
        };
        cx.ask(Effect::Show(back));
        Err(e)
    }

    fn focus(&self) -> Option<(i64, String, Option<i64>)> {
        Some((
            self.deal.contact_id,
            self.deal.contact_name.clone(),
            Some(self.deal.id),
        ))
    }
}

impl DealScreen {
    fn refresh(&mut self, desk: &mut Desk) -> Result<()> {
        DealScreen::reload(self, desk)
    }

    /// The board it was opened from, as it was (read again); else the screen before; else
    /// the board.
    fn back(&mut self, cx: &mut Cx) {
        match self.board.take().map(|b| *b) {
            Some(Screen::Pipeline(mut b)) => {
                if let Err(e) = b.load(cx.desk) {
                    cx.fail(e);
                }
                cx.ask(Effect::Show(Screen::Pipeline(b)));
            }
            Some(other) => cx.ask(Effect::Show(other)),
            // Opened from search, a contact or a company: back there.
            None if cx.can_go_back => cx.ask(Effect::Back),
            None => cx.ask(Effect::Enter(Target::Board)),
        }
    }
}
