//! `m` in the contact view: merge this contact into another, picked by typing. Deals,
//! follow-ups, notes, emails, phones and tags move; this contact is then removed. `u` undoes it.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::note::ContactField;
use super::{Reply, View, frame_box, key_line, lines_at};
use crate::error::Error;
use crate::ops::Desk;
use crate::text::{printable, truncate};
use crate::tui::action::Action;
use crate::tui::keymap::{Context, Keymap};
use crate::tui::nav::Target;

#[derive(Debug)]
pub struct MergeForm {
    pub from: i64,
    pub name: String,
    pub into: ContactField,
}

impl MergeForm {
    pub fn new(from: i64, name: &str, desk: &mut Desk) -> Self {
        MergeForm {
            from,
            name: name.to_string(),
            into: ContactField::pick(desk),
        }
    }

    pub fn paste(&mut self, text: &str, desk: &mut Desk) {
        self.into.paste(text, desk);
    }

    pub fn handle_key(&mut self, key: &KeyEvent, keymap: &Keymap, desk: &mut Desk) -> Reply {
        match keymap.lookup(key, &[Context::Form]) {
            Some(Action::Save) => {
                let Some(into) = self.into.id() else {
                    return Reply::Failed(Error::input("pick the contact to merge into"));
                };
                let from = self.from;
                let msg = format!(
                    "merged {} into {}; u undoes it",
                    self.name,
                    self.into.name()
                );
                Reply::later(move |desk| match desk.merge_contacts(from, into) {
                    Ok(()) => Reply::Go(Target::Contact(into), Some(msg)),
                    Err(e) => Reply::Failed(e),
                })
            }
            Some(Action::Cancel) => Reply::Close,
            _ => match self.into.handle(key, desk) {
                Ok(_) => Reply::Stay,
                Err(e) => Reply::Failed(e),
            },
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, v: &View) {
        let inner = frame_box(frame, area, 70, 12, "Merge contact", v.theme);
        let w = inner.width as usize;
        let head = vec![
            Line::from(truncate(
                &format!("Merge {} into:", printable(&self.name)),
                w,
            )),
            Line::styled(
                truncate(
                    "its deals, follow-ups, notes, emails, phones and tags move; then it is removed",
                    w,
                ),
                v.theme.dim(),
            ),
        ];
        let n = lines_at(frame, inner, inner.y, head);
        self.into
            .render(frame, inner, inner.y + n + 1, true, v.theme);
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

impl super::Dialog for MergeForm {
    fn hints(&self) -> (Context, &'static [Action]) {
        (Context::Form, &[Action::Save, Action::Cancel])
    }

    fn key(&mut self, key: &KeyEvent, keymap: &Keymap, desk: &mut Desk) -> Reply {
        self.handle_key(key, keymap, desk)
    }

    fn contact_field(&self) -> Option<&ContactField> {
        Some(&self.into)
    }

    fn contact_field_mut(&mut self) -> Option<&mut ContactField> {
        Some(&mut self.into)
    }

    fn paste(&mut self, text: &str, desk: &mut Desk) {
        MergeForm::paste(self, text, desk);
    }

    fn draw(&self, frame: &mut Frame, area: Rect, v: &View) {
        self.render(frame, area, v);
    }
}
