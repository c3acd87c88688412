//! `P` in the contact view: erase a person for a deletion request. Nothing happens until the
//! user has typed the contact's name exactly; purge cannot be undone.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::{Reply, View, frame_box, key_line, label_row, lines_at};
use crate::error::Error;
use crate::ops::Desk;
use crate::text::{printable, truncate};
use crate::tui::action::Action;
use crate::tui::keymap::{Context, Keymap};
use crate::tui::nav::Target;
use crate::tui::widgets::input::LineInput;

#[derive(Debug)]
pub struct PurgeForm {
    pub id: i64,
    pub name: String,
    pub typed: LineInput,
}

impl PurgeForm {
    pub fn new(id: i64, name: &str) -> Self {
        PurgeForm {
            id,
            name: name.to_string(),
            typed: LineInput::default(),
        }
    }

    pub fn matches(&self) -> bool {
        self.typed.text().trim() == printable(&self.name).trim()
    }

    pub fn paste(&mut self, text: &str) {
        self.typed.insert_str(text);
    }

    pub fn handle_key(&mut self, key: &KeyEvent, keymap: &Keymap, _desk: &mut Desk) -> Reply {
        match keymap.lookup(key, &[Context::Form]) {
            Some(Action::Save) if !self.matches() => Reply::Failed(Error::input(
                "type the contact's name exactly to purge, or Esc",
            )),
            Some(Action::Save) => {
                let id = self.id;
                Reply::later(move |desk| purged(desk.purge_contact(id)))
            }
            Some(Action::Cancel) => Reply::Close,
            _ => {
                self.typed.handle(key);
                Reply::Stay
            }
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, v: &View) {
        let inner = frame_box(frame, area, 70, 10, "Purge contact", v.theme);
        let w = inner.width as usize;
        let text = vec![
            Line::styled(
                truncate(
                    &format!(
                        "Erase {} and everything tied to them:",
                        printable(&self.name)
                    ),
                    w,
                ),
                v.theme.error(),
            ),
            Line::from(truncate(
                "deals, notes, follow-ups, search traces and automatic backups.",
                w,
            )),
            Line::styled(
                truncate("This cannot be undone. Type the name to confirm:", w),
                v.theme.dim(),
            ),
        ];
        let n = lines_at(frame, inner, inner.y, text);
        let field = label_row(frame, inner, inner.y + n + 1, "Name", true, v.theme);
        if let Some(p) = self.typed.render(field, frame.buffer_mut(), v.theme, true) {
            frame.set_cursor_position(p);
        }
        if self.matches() {
            lines_at(
                frame,
                inner,
                inner.y + n + 2,
                vec![Line::styled("          Enter purges", v.theme.error())],
            );
        }
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

impl super::Dialog for PurgeForm {
    fn hints(&self) -> (Context, &'static [Action]) {
        (Context::Form, &[Action::Save, Action::Cancel])
    }

    fn key(&mut self, key: &KeyEvent, keymap: &Keymap, desk: &mut Desk) -> Reply {
        self.handle_key(key, keymap, desk)
    }

    fn paste(&mut self, text: &str, _desk: &mut Desk) {
        PurgeForm::paste(self, text);
    }

    fn draw(&self, frame: &mut Frame, area: Rect, v: &View) {
        self.render(frame, area, v);
    }
}

/// What a purge says: what went, and that copies made by hand still hold it.
fn purged(r: crate::error::Result<crate::ops::purge::Purged>) -> Reply {
    match r {
        Ok(p) => {
            let mut msg = format!(
                "purged {}: {}, {}, {} erased; exports and backups made by hand still hold them",
                p.name,
                crate::text::plural(p.deals, "deal"),
                crate::text::plural(p.notes, "note"),
                crate::text::plural(p.follow_ups, "follow-up")
            );
            if p.backups_cleaned > 0 {
                msg.push_str(&format!(
                    "; taken out of {} automatic backups",
                    p.backups_cleaned
                ));
            }
            Reply::Go(Target::Contacts, Some(msg))
        }
        Err(e) => Reply::Failed(e),
    }
}
