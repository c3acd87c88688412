//! The board's side of the screen protocol: walking the cards, the filter, the closed
//! deals, opening a deal, and the actions on the selected deal (shared with a deal's page).

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use crate::error::Result;
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::popups::deal_form::DealForm;
use crate::tui::popups::{Popup, View};
use crate::tui::screen::{Cx, Effect, Page, Taken};
use crate::tui::screens::deal_keys;
use crate::tui::screens::pipeline::PipelineScreen;

impl Page for PipelineScreen {
    fn contexts(&self) -> Vec<Context> {
        if self.filtering {
            return vec![Context::BoardFilter];
        }
        // The closed deals' keys come first where closed deals are: the won and lost columns.
        if self.show_closed {
            return vec![
                Context::Closed,
                Context::Pipeline,
                Context::List,
                Context::Global,
            ];
        }
        vec![Context::Pipeline, Context::List, Context::Global]
    }

    fn tab(&self) -> Option<&'static str> {
        Some("Pipeline")
    }

    fn next_tab(&self) -> Action {
        Action::TabContacts
    }

    /// While the filter is typed, every key is the filter's.
    fn key(&mut self, key: &KeyEvent, cx: &mut Cx) -> Taken {
        if !self.filtering {
            return Taken::No;
        }
        self.filter_key(key, cx.keymap);
        Taken::Yes
    }

    fn act(&mut self, action: Action, cx: &mut Cx) -> Result<bool> {
        match action {
            Action::Down => self.move_row(1),
            Action::Up => self.move_row(-1),
            Action::Top => self.move_row(isize::MIN),
            Action::Bottom => self.move_row(isize::MAX),
            Action::Left => self.move_col(-1),
            Action::Right => self.move_col(1),
            Action::Filter => self.filtering = true,
            Action::Cancel => self.clear_filter(),
            Action::ShowClosed => self.toggle_closed_shown(cx),
            Action::Whose => {
                if cx.desk.db.on_server() {
                    let said = self.cycle_whose();
                    cx.say(&said);
                } else {
                    cx.say("a personal book has one user, who owns every deal on it");
                }
            }
            Action::NextPipeline => match self.next_pipeline(cx.desk) {
                Ok(()) => {
                    // The board opens on it again after a visit to another screen.
                    cx.board.pipeline = Some(self.pipeline.clone());
                    cx.say(format!("pipeline {}", self.pipeline))
                }
                Err(e) => cx.fail(e),
            },
            Action::Open => match self.selected_id() {
                Some(id) => cx.ask(Effect::OpenDeal(id)),
                None => cx.say("no deal selected"),
            },
            Action::AddDeal => {
                let pipeline = match self.pipeline.as_str() {
                    crate::config::UNFILED => cx.desk.config.first_pipeline(),
                    p => p.to_string(),
                };
                let stage = self
                    .selected_stage()
                    .unwrap_or_else(|| cx.desk.config.first_stage_in(&pipeline));
                let form = DealForm::add_in(cx.desk, &pipeline, &stage);
                cx.popup(Popup::DealForm(Box::new(form)));
            }
            Action::MoveBack | Action::MoveOn => {
                let step = if action == Action::MoveOn { 1 } else { -1 };
                let Some(b) = self.selected() else {
                    cx.say("no deal selected; `a` adds one");
                    return Ok(true);
                };
                let (d, target) = (b.deal.clone(), self.neighbour_stage(b, step));
                deal_keys::move_to(&d, target, step, cx);
            }
            Action::Won | Action::Reopen | Action::Lost | Action::Edit => {
                let Some(d) = self.selected().map(|b| b.deal.clone()) else {
                    cx.say("no deal selected; `a` adds one");
                    return Ok(true);
                };
                deal_keys::act(&d, action, cx);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn paste(&mut self, text: &str, _cx: &mut Cx) {
        if self.filtering {
            self.paste_filter(text);
        }
    }

    fn draw(&self, frame: &mut Frame, area: Rect, v: &View) {
        crate::tui::widgets::board::render(self, frame, area, v.theme, v.keymap, v.now)
    }

    fn reload(&mut self, cx: &mut Cx) -> Result<()> {
        self.load(cx.desk)
    }

    fn changed(&mut self, id: i64, read: bool, cx: &mut Cx) -> Result<()> {
        if !read {
            cx.reload();
            return Ok(());
        }
        self.refresh_deal(cx.desk, id)
    }

    fn pending(&self) -> bool {
        PipelineScreen::pending(self)
    }

    fn poll(&mut self) -> Result<()> {
        PipelineScreen::poll(self).map(|_| ())
    }

    fn focus(&self) -> Option<(i64, String, Option<i64>)> {
        self.selected().map(|b| {
            (
                b.deal.contact_id,
                b.deal.contact_name.clone(),
                Some(b.deal.id),
            )
        })
    }

    /// A deal just added or edited is selected on the board.
    fn popup_saved(&mut self, closed: &Popup) {
        if let Popup::DealForm(f) = closed
            && let Some(id) = f.saved
        {
            self.select(id);
        }
    }
}

impl PipelineScreen {
    /// `C`: the deals won and lost this month shown or hidden; the choice stays for the
    /// next time the board opens.
    fn toggle_closed_shown(&mut self, cx: &mut Cx) {
        let r = self.toggle_closed(cx.desk);
        cx.board.closed = self.show_closed;
        match r {
            Ok(()) if self.show_closed => cx.say("showing the deals won and lost this month"),
            Ok(()) => cx.say("showing open deals only"),
            Err(e) => cx.fail(e),
        }
    }
}
