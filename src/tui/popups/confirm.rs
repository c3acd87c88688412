//! A yes/no question in front of the popup it protects.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::{Popup, Reply, View, frame_box, key_line};
use crate::tui::action::Action;
use crate::tui::keymap::{Context, Keymap};

#[derive(Debug)]
pub struct Confirm {
    pub question: &'static str,
    /// Where `n` goes back to.
    pub back: Option<Box<Popup>>,
}

impl Confirm {
    /// `Close` on yes; `Stay` on no, after which the app restores `back`.
    pub fn handle_key(&mut self, key: &KeyEvent, keymap: &Keymap) -> Reply {
        match keymap.lookup(key, &[Context::Confirm]) {
            Some(Action::Yes) => Reply::Close,
            Some(Action::No) => Reply::Discard("no"),
            _ => Reply::Stay,
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, v: &View) {
        // As wide as the question (or as the screen allows, the question then wrapped), so
        // it is never cut off.
        let want = crate::text::width(self.question) as u16 + 4;
        let w = want.max(50).min(area.width);
        let asked = crate::text::wrap(self.question, w.saturating_sub(4).max(1) as usize);
        let h = asked.len() as u16 + 4;
        let inner = frame_box(frame, area, w, h, "Confirm", v.theme);
        for (i, q) in asked.iter().enumerate() {
            let y = inner.y + i as u16;
            if y >= inner.y + inner.height {
                break;
            }
            frame.render_widget(
                Line::from(format!(" {q}")),
                Rect {
                    y,
                    height: 1,
                    ..inner
                },
            );
        }
        let below = asked.len() as u16 + 1;
        if inner.height > below {
            let r = Rect {
                y: inner.y + below,
                height: 1,
                ..inner
            };
            frame.render_widget(
                key_line(
                    v.keymap,
                    Context::Confirm,
                    &[Action::Yes, Action::No],
                    v.theme,
                ),
                r,
            );
        }
    }
}

impl super::Dialog for Confirm {
    fn context(&self) -> Context {
        Context::Confirm
    }

    fn hints(&self) -> (Context, &'static [Action]) {
        (Context::Confirm, &[Action::Yes, Action::No])
    }

    fn key(&mut self, key: &KeyEvent, keymap: &Keymap, _desk: &mut crate::ops::Desk) -> Reply {
        self.handle_key(key, keymap)
    }

    fn draw(&self, frame: &mut Frame, area: Rect, v: &View) {
        self.render(frame, area, v);
    }
}
