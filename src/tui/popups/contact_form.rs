//! `a` on the welcome screen: a first contact, with the few fields that matter on day one.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use super::{Reply, View, frame_box, label_row};
use crate::domain::contact::ContactFields;
use crate::ops::Desk;
use crate::tui::action::Action;
use crate::tui::keymap::{Context, Keymap};
use crate::tui::widgets::input::LineInput;

const LABELS: [&str; 4] = ["Name", "Company", "Email", "Phone"];

#[derive(Debug, Default)]
pub struct ContactForm {
    pub fields: [LineInput; 4],
    pub focus: usize,
}

impl ContactForm {
    pub fn paste(&mut self, text: &str) {
        self.fields[self.focus].insert_str(text);
    }

    pub fn handle_key(&mut self, key: &KeyEvent, keymap: &Keymap, desk: &mut Desk) -> Reply {
        match keymap.lookup(key, &[Context::Form]) {
            Some(Action::Save) => self.save(desk),
            Some(Action::Cancel) if self.fields.iter().any(|f| !f.is_empty()) => {
                Reply::Discard("Throw this contact away? y/n")
            }
            Some(Action::Cancel) => Reply::Close,
            Some(Action::NextField) => {
                self.focus = (self.focus + 1) % LABELS.len();
                Reply::Stay
            }
            Some(Action::PrevField) => {
                self.focus = (self.focus + LABELS.len() - 1) % LABELS.len();
                Reply::Stay
            }
            _ => {
                self.fields[self.focus].handle(key);
                Reply::Stay
            }
        }
    }

    fn save(&mut self, _desk: &mut Desk) -> Reply {
        let get = |i: usize| {
            let t = self.fields[i].text().trim().to_string();
            (!t.is_empty()).then_some(t)
        };
        let Some(name) = get(0) else {
            return Reply::Failed(crate::error::Error::input("a contact needs a name"));
        };
        let f = ContactFields {
            name: Some(name.clone()),
            company: get(1).map(Some),
            emails: get(2).map(|e| vec![e]),
            phones: get(3).map(|p| vec![p]),
            ..Default::default()
        };
        Reply::later(move |desk| match desk.add_contact(&f) {
            Ok(id) => Reply::Saved(format!("added {name} (#{id}); f schedules a follow-up")),
            Err(e) => Reply::Failed(e),
        })
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, v: &View) {
        let inner = frame_box(frame, area, 60, 6, "New contact", v.theme);
        for (i, label) in LABELS.iter().enumerate() {
            let field = label_row(
                frame,
                inner,
                inner.y + i as u16,
                label,
                self.focus == i,
                v.theme,
            );
            if let Some(p) =
                self.fields[i].render(field, frame.buffer_mut(), v.theme, self.focus == i)
            {
                frame.set_cursor_position(p);
            }
        }
    }
}

impl super::Dialog for ContactForm {
    fn key(&mut self, key: &KeyEvent, keymap: &Keymap, desk: &mut Desk) -> Reply {
        self.handle_key(key, keymap, desk)
    }

    fn paste(&mut self, text: &str, _desk: &mut Desk) {
        ContactForm::paste(self, text);
    }

    fn draw(&self, frame: &mut Frame, area: Rect, v: &View) {
        self.render(frame, area, v);
    }
}
