//! `E` on a note of the timeline: its text in the multi-line editor. Saving changes the text
//! only (the commands at its end already acted when it was first saved); `u` undoes it.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui_textarea::TextArea;

use super::note::{body_text, note_area, set_text};
use super::{Reply, View, frame_box, key_line, label_row, lines_at};
use crate::domain::note::Note;
use crate::ops::Desk;
use crate::text::{printable, truncate};
use crate::tui::action::Action;
use crate::tui::keymap::{Context, Keymap};

const PLACEHOLDER: &str = "The note's text; an empty note cannot be saved (d deletes it)";

#[derive(Debug)]
pub struct NoteEdit {
    pub id: i64,
    pub version: i64,
    pub who: String,
    pub original: String,
    pub body: TextArea<'static>,
}

impl NoteEdit {
    pub fn new(note: &Note, who: &str) -> Self {
        let mut body = note_area(PLACEHOLDER);
        set_text(&mut body, &note.body, PLACEHOLDER);
        NoteEdit {
            id: note.id,
            version: note.version,
            who: who.to_string(),
            original: note.body.clone(),
            body,
        }
    }

    pub fn set_body(&mut self, text: &str) {
        set_text(&mut self.body, text, PLACEHOLDER);
    }

    pub fn paste(&mut self, text: &str) {
        self.body.insert_str(text);
    }

    pub fn handle_key(&mut self, key: &KeyEvent, keymap: &Keymap, _desk: &mut Desk) -> Reply {
        match keymap.lookup(key, &[Context::Form]) {
            Some(Action::Save) => {
                let text = body_text(&self.body);
                if text.trim_end() == self.original.trim_end() {
                    return Reply::Close;
                }
                let (id, version, who) = (self.id, self.version, self.who.clone());
                Reply::later(move |desk| match desk.edit_note(id, &text, Some(version)) {
                    Ok(()) => Reply::Saved(format!("note on {who} changed; u undoes it")),
                    Err(e) => Reply::Failed(e),
                })
            }
            Some(Action::Cancel)
                if body_text(&self.body).trim_end() != self.original.trim_end() =>
            {
                Reply::Discard("Throw these changes away? y/n")
            }
            Some(Action::Cancel) => Reply::Close,
            Some(Action::NewLine) => {
                self.body.insert_newline();
                Reply::Stay
            }
            Some(Action::Editor) => Reply::Editor(body_text(&self.body)),
            _ => {
                self.body.input(*key);
                Reply::Stay
            }
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, v: &View) {
        let inner = frame_box(frame, area, 76, 14, "Edit note", v.theme);
        let mut y = inner.y;
        let field = label_row(frame, inner, y, "Contact", false, v.theme);
        frame.render_widget(
            Line::from(truncate(&printable(&self.who), field.width as usize)),
            field,
        );
        y += 2;
        label_row(frame, inner, y, "Note", true, v.theme);
        y += 1;
        let h = inner.height.saturating_sub(y - inner.y + 2);
        let mut ta = self.body.clone();
        ta.set_cursor_style(Style::new().add_modifier(Modifier::REVERSED));
        frame.render_widget(
            &ta,
            Rect {
                x: inner.x + 1,
                y,
                width: inner.width.saturating_sub(2),
                height: h,
            },
        );
        y += h;
        lines_at(
            frame,
            inner,
            y,
            vec![Line::styled(
                "  commands at its end are not run again",
                v.theme.dim(),
            )],
        );
        let bottom = inner.y + inner.height.saturating_sub(1);
        lines_at(
            frame,
            inner,
            bottom,
            vec![key_line(
                v.keymap,
                Context::Form,
                &[
                    Action::Save,
                    Action::NewLine,
                    Action::Editor,
                    Action::Cancel,
                ],
                v.theme,
            )],
        );
    }
}

impl super::Dialog for NoteEdit {
    fn hints(&self) -> (Context, &'static [Action]) {
        (
            Context::Form,
            &[
                Action::Save,
                Action::NewLine,
                Action::Editor,
                Action::Cancel,
            ],
        )
    }

    fn key(&mut self, key: &KeyEvent, keymap: &Keymap, desk: &mut Desk) -> Reply {
        self.handle_key(key, keymap, desk)
    }

    fn paste(&mut self, text: &str, _desk: &mut Desk) {
        NoteEdit::paste(self, text);
    }

    fn set_body(&mut self, text: &str, _desk: &mut Desk) {
        NoteEdit::set_body(self, text);
    }

    fn draw(&self, frame: &mut Frame, area: Rect, v: &View) {
        self.render(frame, area, v);
    }
}
