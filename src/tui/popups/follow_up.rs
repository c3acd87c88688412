//! `f`: a new follow-up. Contact (completes as typed when none is selected), WHEN (its
//! meaning shows as it is typed), text, and kind (`←`/`→` or Space cycle it).

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::note::ContactField;
use super::{Reply, View, frame_box, label_row, lines_at};
use crate::domain::follow_up::FollowUpKind;
use crate::error::Error;
use crate::ops::Desk;
use crate::storage::follow_ups::NewFollowUp;
use crate::tui::action::Action;
use crate::tui::keymap::{Context, Keymap};
use crate::tui::widgets::input::{LineInput, WhenInput};
use crate::when;

#[derive(Debug)]
pub struct FollowUpForm {
    pub contact: ContactField,
    pub deal_id: Option<i64>,
    pub when: WhenInput,
    pub text: LineInput,
    pub kind: FollowUpKind,
    /// 0 contact, 1 when, 2 text, 3 kind.
    pub focus: usize,
}

impl FollowUpForm {
    pub fn new(contact: ContactField, deal_id: Option<i64>, default_when: &str) -> Self {
        let focus = if contact.is_pick() { 0 } else { 1 };
        FollowUpForm {
            contact,
            deal_id,
            when: WhenInput::new(default_when),
            text: LineInput::default(),
            kind: FollowUpKind::Call,
            focus,
        }
    }

    fn first(&self) -> usize {
        if self.contact.is_pick() { 0 } else { 1 }
    }

    pub fn paste(&mut self, text: &str, desk: &mut Desk) {
        match self.focus {
            0 => self.contact.paste(text, desk),
            1 => self.when.input.insert_str(text),
            2 => self.text.insert_str(text),
            _ => {}
        }
    }

    pub fn handle_key(&mut self, key: &KeyEvent, keymap: &Keymap, desk: &mut Desk) -> Reply {
        match keymap.lookup(key, &[Context::Form]) {
            Some(Action::Save) if self.focus == 0 => {
                if self.contact.id().is_some() {
                    self.focus = 1;
                }
                Reply::Stay
            }
            Some(Action::Save) => self.save(desk),
            Some(Action::Cancel) if !self.text.is_empty() => {
                Reply::Discard("Throw this follow-up away? y/n")
            }
            Some(Action::Cancel) => Reply::Close,
            Some(Action::NextField) => {
                self.focus = if self.focus >= 3 {
                    self.first()
                } else {
                    self.focus + 1
                };
                Reply::Stay
            }
            Some(Action::PrevField) => {
                self.focus = if self.focus <= self.first() {
                    3
                } else {
                    self.focus - 1
                };
                Reply::Stay
            }
            _ => {
                match self.focus {
                    0 => {
                        if let Err(e) = self.contact.handle(key, desk) {
                            return Reply::Failed(e);
                        }
                    }
                    1 => {
                        self.when.input.handle(key);
                    }
                    2 => {
                        self.text.handle(key);
                    }
                    _ => {
                        let all = FollowUpKind::ALL;
                        let i = all.iter().position(|k| *k == self.kind).unwrap_or(0);
                        let n = all.len();
                        match key.code {
                            KeyCode::Right | KeyCode::Char(' ') | KeyCode::Char('l') => {
                                self.kind = all[(i + 1) % n]
                            }
                            KeyCode::Left | KeyCode::Char('h') => self.kind = all[(i + n - 1) % n],
                            KeyCode::Char(c) => {
                                if let Some(k) = all.iter().find(|k| k.as_str().starts_with(c)) {
                                    self.kind = *k;
                                }
                            }
                            _ => {}
                        }
                    }
                }
                Reply::Stay
            }
        }
    }

    fn save(&mut self, desk: &mut Desk) -> Reply {
        let Some(contact_id) = self.contact.id() else {
            return Reply::Failed(Error::input("pick a contact first"));
        };
        let due = match desk.when(self.when.input.text()) {
            Ok(w) => w,
            Err(e) => return Reply::Failed(e),
        };
        let text = if self.text.is_empty() {
            self.kind.as_str().to_string()
        } else {
            self.text.text().to_string()
        };
        let f = NewFollowUp {
            contact_id,
            deal_id: if self.contact.is_pick() {
                None
            } else {
                self.deal_id
            },
            kind: self.kind,
            text,
            due,
            every: None,
        };
        match desk.add_follow_up(&f) {
            Ok(id) => Reply::Saved(format!(
                "follow-up #{id} with {} {}",
                self.contact.name(),
                when::describe(due, desk.clock.now_naive())
            )),
            Err(e) => Reply::Failed(e),
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, v: &View) {
        let inner = frame_box(frame, area, 70, 13, "New follow-up", v.theme);
        let mut y = inner.y;
        y += self
            .contact
            .render(frame, inner, y, self.focus == 0, v.theme);
        let field = label_row(frame, inner, y, "When", self.focus == 1, v.theme);
        if let Some(p) = self
            .when
            .input
            .render(field, frame.buffer_mut(), v.theme, self.focus == 1)
        {
            frame.set_cursor_position(p);
        }
        let preview = match self.when.preview(v.now) {
            Ok(s) => Line::styled(format!("          {s}"), v.theme.ok()),
            Err(e) => Line::styled(format!("          {e}"), v.theme.error()),
        };
        y += 1 + lines_at(frame, inner, y + 1, vec![preview]);
        let field = label_row(frame, inner, y, "Text", self.focus == 2, v.theme);
        if let Some(p) = self
            .text
            .render(field, frame.buffer_mut(), v.theme, self.focus == 2)
        {
            frame.set_cursor_position(p);
        }
        y += 1;
        let field = label_row(frame, inner, y, "Kind", self.focus == 3, v.theme);
        let kinds: Vec<ratatui::text::Span<'static>> = FollowUpKind::ALL
            .iter()
            .map(|k| {
                if *k == self.kind {
                    ratatui::text::Span::styled(format!("[{k}] "), v.theme.focused())
                } else {
                    ratatui::text::Span::styled(format!(" {k}  "), v.theme.dim())
                }
            })
            .collect();
        frame.render_widget(Line::from(kinds), field);
    }
}
