//! `?`: every key, generated from the keymap table; the keys of where you are come first.

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
    /// The contexts of the screen it was opened on, most specific first: their sections lead.
    pub here: Vec<Context>,
}

impl Help {
    pub fn at(here: Vec<Context>) -> Self {
        Help { scroll: 0, here }
    }

    pub fn handle_key(&mut self, key: &KeyEvent, keymap: &Keymap) -> Reply {
        match keymap.lookup(key, &[Context::Help]) {
            Some(Action::Down) => self.scroll = self.scroll.saturating_add(1),
            Some(Action::Up) => self.scroll = self.scroll.saturating_sub(1),
            Some(Action::Cancel) => return Reply::Close,
            _ => {}
        }
        Reply::Stay
    }

    pub fn lines(&self, keymap: &Keymap, v: &View) -> Vec<Line<'static>> {
        let mut sections = keymap.help();
        // Where you are first, in the order the keys are looked up; the rest as the table has them.
        sections.sort_by_key(|(c, _)| {
            self.here
                .iter()
                .position(|h| h == c)
                .unwrap_or(self.here.len())
        });
        // The key column fits the longest keys (`Alt-Enter/Ctrl-j`), with a gap after them.
        let keys_w = sections
            .iter()
            .flat_map(|(_, rows)| rows.iter().map(|(k, _)| crate::text::width(k)))
            .max()
            .unwrap_or(0)
            + 2;
        let mut lines = Vec::new();
        for (ctx, rows) in sections {
            if !lines.is_empty() {
                lines.push(Line::from(""));
            }
            let mut title = ctx.title().to_string();
            if self.here.contains(&ctx) && ctx != Context::Global {
                title.push_str(" (here)");
            }
            lines.push(Line::styled(title, v.theme.header()));
            for (keys, desc) in rows {
                lines.push(Line::from(vec![
                    Span::styled(format!("  {}", pad(&keys, keys_w)), v.theme.key()),
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
        let lines = self.lines(v.keymap, v);
        let max = (lines.len() as u16).saturating_sub(inner.height);
        frame.render_widget(
            Paragraph::new(lines).scroll((self.scroll.min(max), 0)),
            inner,
        );
    }
}

impl super::Dialog for Help {
    fn context(&self) -> Context {
        Context::Help
    }

    fn hints(&self) -> (Context, &'static [Action]) {
        (Context::Help, &[Action::Down, Action::Cancel])
    }

    fn key(&mut self, key: &KeyEvent, keymap: &Keymap, _desk: &mut crate::ops::Desk) -> Reply {
        self.handle_key(key, keymap)
    }

    fn draw(&self, frame: &mut Frame, area: Rect, v: &View) {
        self.render(frame, area, v);
    }
}
