//! `L`: why the deal was lost. The reasons given before are offered (`↑`/`↓` pick one into the
//! field); `Enter` closes the deal lost with what the field says.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;

use super::{Reply, View, frame_box, key_line, label_row, lines_at};
use crate::domain::deal::Deal;
use crate::domain::money;
use crate::error::Error;
use crate::ops::Desk;
use crate::text::{printable, truncate};
use crate::tui::action::Action;
use crate::tui::keymap::{Context, Keymap};
use crate::tui::widgets::input::LineInput;

#[derive(Debug)]
pub struct LostReason {
    pub deal_id: i64,
    pub version: i64,
    /// "Acme rollout · Ana Souza · 12,000 USD"
    pub what: String,
    pub title: String,
    pub reason: LineInput,
    /// Reasons given before, most used first.
    pub offered: Vec<String>,
    /// The offered reason picked with ↑/↓, if any.
    pub picked: Option<usize>,
}

impl LostReason {
    pub fn new(d: &Deal, offered: Vec<String>) -> Self {
        LostReason {
            deal_id: d.id,
            version: d.version,
            what: format!(
                "{} · {} · {}",
                d.title,
                d.contact_name,
                money::format(d.value_cents, &d.currency)
            ),
            title: d.title.clone(),
            reason: LineInput::default(),
            offered,
            picked: None,
        }
    }

    pub fn paste(&mut self, text: &str) {
        self.reason.insert_str(text);
        self.picked = None;
    }

    fn pick(&mut self, i: Option<usize>) {
        self.picked = i;
        self.reason = LineInput::new(
            i.and_then(|i| self.offered.get(i))
                .map_or("", String::as_str),
        );
    }

    pub fn handle_key(&mut self, key: &KeyEvent, keymap: &Keymap, _desk: &mut Desk) -> Reply {
        match keymap.lookup(key, &[Context::Form]) {
            Some(Action::Save) => {
                let reason = self.reason.text().trim().to_string();
                if reason.is_empty() {
                    return Reply::Failed(Error::input(
                        "say why it was lost (or pick an earlier reason with ↓)",
                    ));
                }
                let (id, version, title) = (self.deal_id, self.version, self.title.clone());
                Reply::later(move |desk| {
                    let closed = desk.close_deal(
                        id,
                        crate::domain::deal::DealStatus::Lost,
                        Some(&reason),
                        false,
                        Some(version),
                    );
                    match closed {
                        Ok(n) => {
                            let cancelled = crate::ops::deals::cancelled_words(n)
                                .map(|c| format!("; {c}"))
                                .unwrap_or_default();
                            Reply::Saved(format!(
                                "lost: \"{title}\" ({reason}){cancelled} (u undoes)"
                            ))
                        }
                        Err(e) => Reply::Failed(e),
                    }
                })
            }
            Some(Action::Cancel) => Reply::Close,
            _ => {
                let n = self.offered.len();
                match key.code {
                    KeyCode::Down if n > 0 => {
                        self.pick(Some(self.picked.map_or(0, |i| (i + 1).min(n - 1))))
                    }
                    KeyCode::Up => match self.picked {
                        Some(0) | None => self.pick(None),
                        Some(i) => self.pick(Some(i - 1)),
                    },
                    _ => {
                        if self.reason.handle(key) {
                            self.picked = None;
                        }
                    }
                }
                Reply::Stay
            }
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, v: &View) {
        let h = 8 + self.offered.len().max(1) as u16;
        let inner = frame_box(frame, area, 64, h, "Lost: why?", v.theme);
        let w = inner.width as usize;
        let mut y = inner.y;
        y += lines_at(
            frame,
            inner,
            y,
            vec![Line::styled(
                truncate(&printable(&self.what), w),
                v.theme.header(),
            )],
        );
        y += 1;
        let field = label_row(frame, inner, y, "Reason", true, v.theme);
        if let Some(p) = self.reason.render(field, frame.buffer_mut(), v.theme, true) {
            frame.set_cursor_position(p);
        }
        y += 2;
        let mut lines = Vec::new();
        if self.offered.is_empty() {
            lines.push(Line::styled(
                "  no earlier reasons yet: type one",
                v.theme.dim(),
            ));
        } else {
            lines.push(Line::styled(
                "  Earlier reasons (↑/↓ picks one):",
                v.theme.dim(),
            ));
            for (i, r) in self.offered.iter().enumerate() {
                let sel = self.picked == Some(i);
                let text = format!("  {} {}", if sel { "▶" } else { " " }, printable(r));
                lines.push(Line::styled(
                    truncate(&text, w),
                    if sel {
                        v.theme.selected()
                    } else {
                        Style::new()
                    },
                ));
            }
        }
        lines_at(frame, inner, y, lines);
        let bottom = inner.y + inner.height.saturating_sub(1);
        lines_at(
            frame,
            inner,
            bottom,
            vec![key_line(
                v.keymap,
                Context::Form,
                &[Action::Save, Action::Cancel],
                v.theme,
            )],
        );
    }
}

impl super::Dialog for LostReason {
    fn key(&mut self, key: &KeyEvent, keymap: &Keymap, desk: &mut Desk) -> Reply {
        self.handle_key(key, keymap, desk)
    }

    fn paste(&mut self, text: &str, _desk: &mut Desk) {
        LostReason::paste(self, text);
    }

    fn draw(&self, frame: &mut Frame, area: Rect, v: &View) {
        self.render(frame, area, v);
    }
}
