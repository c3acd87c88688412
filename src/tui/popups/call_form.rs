//! `c`: log a call in one form: the note (where the cursor starts), the outcome (default
//! connected) and the next follow-up (pre-filled from the config). Saving completes the due
//! follow-up too, all in one transaction.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui_textarea::TextArea;

use super::note::{body_text, note_area, render_body, set_text};
use super::{Reply, View, frame_box, label_row, lines_at};
use crate::domain::note::{NoteKind, Outcome};
use crate::ops::Desk;
use crate::ops::notes::NoteInput;
use crate::text::{printable, truncate};
use crate::tui::action::Action;
use crate::tui::keymap::{Context, Keymap};
use crate::tui::widgets::input::WhenInput;

const PLACEHOLDER: &str = "How did the call go?";

#[derive(Debug)]
pub struct CallForm {
    pub contact_id: i64,
    pub name: String,
    /// The due follow-up this call completes.
    pub done: Option<(i64, String)>,
    pub deal_id: Option<i64>,
    pub body: TextArea<'static>,
    pub outcome: Outcome,
    pub next: WhenInput,
    /// 0 note, 1 outcome, 2 next.
    pub focus: usize,
    pub plan: Result<Vec<String>, String>,
}

impl CallForm {
    pub fn new(
        contact_id: i64,
        name: String,
        done: Option<(i64, String)>,
        deal_id: Option<i64>,
        next: &str,
    ) -> Self {
        CallForm {
            contact_id,
            name,
            done,
            deal_id,
            body: note_area(PLACEHOLDER),
            outcome: Outcome::Connected,
            next: WhenInput::new(next),
            focus: 0,
            plan: Ok(Vec::new()),
        }
    }

    fn input(&self, desk: &Desk) -> Result<NoteInput, crate::error::Error> {
        let mut n = NoteInput::new(self.contact_id, body_text(&self.body));
        n.kind = NoteKind::Call;
        n.outcome = Some(self.outcome);
        n.deal_id = self.deal_id;
        n.done = self.done.as_ref().map(|(id, _)| *id);
        if !self.next.input.is_empty() {
            n.next = Some(desk.when(self.next.input.text())?);
        }
        Ok(n)
    }

    fn replan(&mut self, desk: &mut Desk) {
        self.plan = match self.input(desk) {
            Ok(n) => desk
                .plan_note(&n)
                .map(|p| p.effects)
                .map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
    }

    pub fn set_body(&mut self, text: &str, desk: &mut Desk) {
        set_text(&mut self.body, text, PLACEHOLDER);
        self.replan(desk);
    }

    pub fn paste(&mut self, text: &str, desk: &mut Desk) {
        match self.focus {
            0 => {
                self.body.insert_str(text);
            }
            2 => self.next.input.insert_str(text),
            _ => {}
        }
        self.replan(desk);
    }

    pub fn handle_key(&mut self, key: &KeyEvent, keymap: &Keymap, desk: &mut Desk) -> Reply {
        match keymap.lookup(key, &[Context::Form]) {
            Some(Action::Save) => {
                let input = match self.input(desk) {
                    Ok(i) => i,
                    Err(e) => return Reply::Failed(e),
                };
                match desk.log_note(&input) {
                    Ok(saved) => Reply::Saved(format!(
                        "call with {} logged; {}",
                        self.name,
                        if saved.effects.is_empty() {
                            "no next step".to_string()
                        } else {
                            saved.effects.join("; ")
                        }
                    )),
                    Err(e) => Reply::Failed(e),
                }
            }
            Some(Action::Cancel) if !self.body.is_empty() => {
                Reply::Discard("Throw this call note away? y/n")
            }
            Some(Action::Cancel) => Reply::Close,
            Some(Action::NextField) => {
                self.focus = (self.focus + 1) % 3;
                Reply::Stay
            }
            Some(Action::PrevField) => {
                self.focus = (self.focus + 2) % 3;
                Reply::Stay
            }
            Some(Action::NewLine) if self.focus == 0 => {
                self.body.insert_newline();
                Reply::Stay
            }
            Some(Action::Editor) => Reply::Editor(body_text(&self.body)),
            _ => {
                match self.focus {
                    0 => {
                        self.body.input(*key);
                    }
                    1 => {
                        let all = Outcome::for_kind(crate::domain::note::NoteKind::Call);
                        let i = all.iter().position(|o| *o == self.outcome).unwrap_or(0);
                        let n = all.len();
                        self.outcome = match key.code {
                            KeyCode::Right | KeyCode::Char(' ') | KeyCode::Char('l') => {
                                all[(i + 1) % n]
                            }
                            KeyCode::Left | KeyCode::Char('h') => all[(i + n - 1) % n],
                            KeyCode::Char('c') => Outcome::Connected,
                            KeyCode::Char('v') => Outcome::Voicemail,
                            KeyCode::Char('n') => Outcome::NoAnswer,
                            _ => self.outcome,
                        };
                    }
                    _ => {
                        self.next.input.handle(key);
                    }
                }
                self.replan(desk);
                Reply::Stay
            }
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, v: &View) {
        let title = format!("Log a call with {}", truncate(&printable(&self.name), 40));
        let inner = frame_box(frame, area, 76, 15, &title, v.theme);
        let mut y = inner.y;
        if let Some((id, what)) = &self.done {
            let l = Line::styled(
                truncate(
                    &format!(" completes #{id}: {}", printable(what)),
                    inner.width as usize,
                ),
                v.theme.dim(),
            );
            y += lines_at(frame, inner, y, vec![l]);
        }
        render_body(
            frame,
            inner,
            &mut y,
            &self.body,
            self.focus == 0,
            &self.plan,
            v,
        );
        let field = label_row(frame, inner, y, "Outcome", self.focus == 1, v.theme);
        let spans: Vec<Span<'static>> = Outcome::for_kind(crate::domain::note::NoteKind::Call)
            .iter()
            .map(|o| {
                if *o == self.outcome {
                    Span::styled(format!("[{o}] "), v.theme.focused())
                } else {
                    Span::styled(format!(" {o}  "), v.theme.dim())
                }
            })
            .collect();
        frame.render_widget(Line::from(spans), field);
        y += 1;
        let field = label_row(frame, inner, y, "Next", self.focus == 2, v.theme);
        if let Some(p) = self
            .next
            .input
            .render(field, frame.buffer_mut(), v.theme, self.focus == 2)
        {
            frame.set_cursor_position(p);
        }
        let preview = if self.next.input.is_empty() {
            Line::styled("          no next follow-up".to_string(), v.theme.dim())
        } else {
            match self.next.preview(v.now) {
                Ok(s) => Line::styled(format!("          {s}"), v.theme.ok()),
                Err(e) => Line::styled(format!("          {e}"), v.theme.error()),
            }
        };
        lines_at(frame, inner, y + 1, vec![preview]);
    }
}
