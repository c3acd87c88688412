//! `S`: the sequences of the config, each with its steps; `Enter` starts the selected one for
//! the contact.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::{Reply, View, frame_box, key_line, lines_at};
use crate::domain::sequence::Step;
use crate::ops::Desk;
use crate::text::{printable, truncate};
use crate::tui::action::Action;
use crate::tui::keymap::{Context, Keymap};
use crate::when;

#[derive(Debug)]
pub struct SequencePicker {
    pub contact_id: i64,
    pub name: String,
    /// Each sequence of the config with its steps, by name.
    pub options: Vec<(String, Vec<Step>)>,
    pub selected: usize,
}

impl SequencePicker {
    pub fn new(desk: &Desk, contact_id: i64, name: String) -> Self {
        let options = desk
            .config
            .sequences
            .iter()
            .map(|(n, s)| (n.clone(), s.steps()))
            .collect();
        SequencePicker {
            contact_id,
            name,
            options,
            selected: 0,
        }
    }

    fn start(&self, _desk: &mut Desk) -> Reply {
        let Some((seq, _)) = self.options.get(self.selected) else {
            return Reply::Close;
        };
        let (id, seq, name) = (self.contact_id, seq.clone(), self.name.clone());
        Reply::later(move |desk| match desk.start_sequence(id, &seq, None) {
            Ok(s) => Reply::Saved(format!(
                "{name} is in sequence {}: step 1 of {} {}; u undoes it",
                s.name,
                s.steps,
                when::describe(s.due, desk.clock.now_naive())
            )),
            Err(e) => Reply::Failed(e),
        })
    }
}

impl super::Dialog for SequencePicker {
    fn hints(&self) -> (Context, &'static [Action]) {
        (Context::Form, &[Action::Save, Action::Cancel])
    }

    fn key(&mut self, key: &KeyEvent, keymap: &Keymap, desk: &mut Desk) -> Reply {
        let last = self.options.len().saturating_sub(1);
        match keymap.lookup(key, &[Context::Form, Context::List]) {
            Some(Action::Save) => self.start(desk),
            Some(Action::Cancel) => Reply::Close,
            Some(Action::Down | Action::NextField) => {
                self.selected = (self.selected + 1).min(last);
                Reply::Stay
            }
            Some(Action::Up | Action::PrevField) => {
                self.selected = self.selected.saturating_sub(1);
                Reply::Stay
            }
            _ => Reply::Stay,
        }
    }

    fn draw(&self, frame: &mut Frame, area: Rect, v: &View) {
        let steps: usize = self.options.iter().map(|(_, s)| s.len()).sum();
        let h = (self.options.len() + steps + 4) as u16;
        let title = format!("Start a sequence for {}", printable(&self.name));
        let inner = frame_box(frame, area, 64, h, &title, v.theme);
        let w = inner.width as usize;
        let mut lines = Vec::new();
        for (i, (name, steps)) in self.options.iter().enumerate() {
            let (mark, style) = if i == self.selected {
                ("› ", v.theme.focused())
            } else {
                ("  ", v.theme.dim())
            };
            let line = format!("{mark}{name} ({} steps)", steps.len());
            lines.push(Line::styled(truncate(&printable(&line), w), style));
            for (n, s) in steps.iter().enumerate() {
                let step = format!(
                    "     {}. after {} · {} · {}",
                    n + 1,
                    s.after,
                    s.kind,
                    s.text
                );
                lines.push(Line::styled(truncate(&printable(&step), w), v.theme.dim()));
            }
        }
        let used = lines_at(frame, inner, inner.y, lines);
        let keys = key_line(
            v.keymap,
            Context::Form,
            &[Action::Save, Action::Cancel],
            v.theme,
        );
        lines_at(frame, inner, inner.y + used + 1, vec![keys]);
    }
}
