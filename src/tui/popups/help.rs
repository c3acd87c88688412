//! `?`: every key, generated from the keymap table.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Reply, View, frame_box};
use crate::text::pad;
use crate::tui::action::Action;
use crate::tui::keymap::{Context, Keymap};

#[derive(Debug, Default)]
pub struct Help {
    pub scroll: u16,
}

impl Help {
    pub fn handle_key(&mut self, key: &KeyEvent, keymap: &Keymap) -> Reply {
        match keymap.lookup(key, &[Context::Help]) {
            Some(Action::Down) => self.scroll = self.scroll.saturating_add(1),
            Some(Action::Up) => self.scroll = self.scroll.saturating_sub(1),
            Some(Action::Cancel) => return Reply::Close,
            _ => {}
        }
        Reply::Stay
    }

    pub fn lines(keymap: &Keymap, v: &View) -> Vec<Line<'static>> {
        let mut lines = Vec::new();
        for (ctx, rows) in keymap.help() {
            if !lines.is_empty() {
                lines.push(Line::from(""));
            }
            lines.push(Line::styled(ctx.title().to_string(), v.theme.header()));
            for (keys, desc) in rows {
                lines.push(Line::from(vec![
                    Span::styled(format!("  {}", pad(&keys, 16)), v.theme.key()),
                    Span::raw(desc),
                ]));
            }
        }
        lines.push(Line::from(""));
        lines.push(Line::styled(
            "Rebind any key in the config's [keys]: action = \"key\".".to_string(),
            v.theme.dim(),
        ));
        lines
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, v: &View) {
        let inner = frame_box(
            frame,
            area,
            78,
            area.height.saturating_sub(2).max(8),
            "Keys (j/k scroll, Esc closes)",
            v.theme,
        );
        let lines = Self::lines(v.keymap, v);
        let max = (lines.len() as u16).saturating_sub(inner.height);
        frame.render_widget(
            Paragraph::new(lines).scroll((self.scroll.min(max), 0)),
            inner,
        );
    }
}
