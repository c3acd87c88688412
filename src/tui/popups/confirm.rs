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
        let inner = frame_box(frame, area, 50, 5, "Confirm", v.theme);
        frame.render_widget(Line::from(self.question), Rect { height: 1, ..inner });
        if inner.height > 2 {
            let r = Rect {
                y: inner.y + 2,
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
