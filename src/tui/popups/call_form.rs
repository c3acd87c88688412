//! `c`: log a call (an email, a meeting: whatever the due follow-up is) in one form: the note
//! (where the cursor starts), the outcome, the next follow-up's date and its text. Saving
//! completes the due follow-up too, all in one transaction.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui_textarea::TextArea;

use super::note::{body_text, note_area, parse_at, render_at, render_body, set_text};
use super::{Reply, View, frame_box, label_row, lines_at};
use crate::domain::follow_up::FollowUp;
use crate::domain::follow_up::FollowUpKind;
use crate::domain::inline;
use crate::domain::note::{NoteKind, Outcome};
use crate::ops::Desk;
use crate::ops::notes::{NoteInput, PlanKey, default_next_text};
use crate::text::{printable, truncate};
use crate::tui::action::Action;
use crate::tui::keymap::{Context, Keymap};
use crate::tui::widgets::input::{LineInput, WhenInput};
use crate::when::{self, When};

const PLACEHOLDER: &str = "How did it go?";

/// What a note of this kind can come to: (outcome, word). An email sent is an email note with
/// no outcome.
pub fn outcomes_for(kind: NoteKind) -> &'static [(Option<Outcome>, &'static str)] {
    match kind {
        NoteKind::Email => &[(None, "sent"), (Some(Outcome::Replied), "replied")],
        NoteKind::Meeting => &[
            (Some(Outcome::Held), "held"),
            (Some(Outcome::NoShow), "no-show"),
        ],
        NoteKind::Call | NoteKind::Note => &[
            (Some(Outcome::Connected), "connected"),
            (Some(Outcome::Voicemail), "voicemail"),
            (Some(Outcome::NoAnswer), "no answer"),
        ],
    }
}

/// The note a follow-up of this kind is answered with: a task is worked by a call.
pub fn note_kind_for(kind: FollowUpKind) -> NoteKind {
    match kind {
        FollowUpKind::Email => NoteKind::Email,
        FollowUpKind::Meeting => NoteKind::Meeting,
        FollowUpKind::Call | FollowUpKind::Task => NoteKind::Call,
    }
}

/// The date the note's own commands give the next follow-up (`… @wed`), if any: it wins over
/// a pre-filled or chosen next step, so the note says what is saved.
pub fn note_next(desk: &Desk, body: &str) -> Option<When> {
    let now = desk.clock.now_naive();
    inline::parse(body, now, &|w| desk.config.resolve_stage_any(w)).next
}

#[derive(Debug)]
pub struct CallForm {
    pub contact_id: i64,
    pub name: String,
    /// The due follow-up this call completes: (id, "kind text").
    pub done: Option<(i64, String)>,
    pub deal_id: Option<i64>,
    pub kind: NoteKind,
    pub body: TextArea<'static>,
    /// An index into `outcomes_for(kind)`.
    pub outcome: usize,
    pub next: WhenInput,
    /// The next follow-up's text; empty means one made from the note.
    pub next_text: LineInput,
    /// When the call happened, for one logged late (`note --at`); empty is now.
    pub at: LineInput,
    /// 0 note, 1 outcome, 2 next date, 3 next text, 4 when it happened.
    pub focus: usize,
    pub plan: Result<Vec<String>, String>,
    /// What `plan` was made for: planned again only when this changes.
    planned: Option<PlanKey>,
    /// The date the note's `@…` gives, which wins over the Next field.
    pub from_note: Option<When>,
    /// When the due follow-up is a sequence's step, what an empty Next field schedules: the
    /// sequence's next step at its own date.
    pub sequence_next: Option<String>,
}

const FIELDS: usize = 5;

impl CallForm {
    /// A form for `contact`, completing `due` when there is one; `next` pre-fills the date.
    pub fn new(contact_id: i64, name: String, due: Option<&FollowUp>, next: &str) -> Self {
        let kind = due.map_or(NoteKind::Call, |f| note_kind_for(f.kind));
        CallForm {
            contact_id,
            name,
            done: due.map(|f| (f.id, format!("{} {}", f.kind, f.text))),
            deal_id: due.and_then(|f| f.deal_id),
            kind,
            body: note_area(PLACEHOLDER),
            outcome: 0,
            next: WhenInput::new(next),
            // What a salesperson expects: the same thing again, to be edited if it moved on.
            next_text: LineInput::new(due.map_or("", |f| f.text.as_str())),
            at: LineInput::default(),
            focus: 0,
            plan: Ok(Vec::new()),
            planned: None,
            from_note: None,
            sequence_next: None,
        }
    }

    pub fn outcome(&self) -> Option<Outcome> {
        outcomes_for(self.kind)
            .get(self.outcome)
            .and_then(|(o, _)| *o)
    }

    fn input(&self, desk: &Desk) -> Result<NoteInput, crate::error::Error> {
        let mut n = NoteInput::new(self.contact_id, body_text(&self.body));
        n.kind = self.kind;
        n.outcome = self.outcome();
        n.deal_id = self.deal_id;
        n.done = self.done.as_ref().map(|(id, _)| *id);
        // The note's `@…` is left to schedule; the Next field only when the note has none.
        if self.from_note.is_none() && !self.next.input.is_empty() {
            n.next = Some(
                self.next
                    .resolve(desk.clock.now_naive())
                    .map_err(crate::error::Error::input)?,
            );
        }
        if !self.next_text.is_empty() {
            n.next_text = Some(self.next_text.text().trim().to_string());
        }
        n.at = parse_at(&self.at, desk.clock.now_naive())?;
        Ok(n)
    }

    fn replan(&mut self, desk: &mut Desk) {
        self.from_note = note_next(desk, &body_text(&self.body));
        let n = match self.input(desk) {
            Ok(n) => n,
            Err(e) => {
                self.plan = Err(e.to_string());
                self.planned = None;
                return;
            }
        };
        if let Some(plan) = desk.replan_note(&n, &mut self.planned) {
            self.plan = plan;
        }
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
            3 => self.next_text.insert_str(text),
            4 => self.at.insert_str(text),
            _ => {}
        }
        self.replan(desk);
    }

    pub fn handle_key(&mut self, key: &KeyEvent, keymap: &Keymap, desk: &mut Desk) -> Reply {
        match keymap.lookup(key, &[Context::Form]) {
            Some(Action::Save) => {
                self.replan(desk);
                let input = match self.input(desk) {
                    Ok(i) => i,
                    Err(e) => return Reply::Failed(e),
                };
                let subject = format!("{} with {} logged", self.kind, self.name);
                Reply::later(move |desk| match desk.log_note(&input) {
                    Ok(saved) => Reply::Saved(crate::tui::widgets::status::effects_message(
                        &subject,
                        &saved.effects,
                        "no next step",
                    )),
                    Err(e) => Reply::Failed(e),
                })
            }
            Some(Action::Cancel) if !self.body.is_empty() => {
                Reply::Discard("Throw this note away? y/n")
            }
            Some(Action::Cancel) => Reply::Close,
            Some(Action::NextField) => {
                self.focus = (self.focus + 1) % FIELDS;
                Reply::Stay
            }
            Some(Action::PrevField) => {
                self.focus = (self.focus + FIELDS - 1) % FIELDS;
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
                    1 => self.pick_outcome(key),
                    2 => {
                        self.next.input.handle(key);
                    }
                    3 => {
                        self.next_text.handle(key);
                    }
                    _ => {
                        self.at.handle(key);
                    }
                }
                self.replan(desk);
                Reply::Stay
            }
        }
    }

    /// ←/→ (h/l, Space) walk the outcomes; the first letter of one picks it.
    fn pick_outcome(&mut self, key: &KeyEvent) {
        let all = outcomes_for(self.kind);
        let n = all.len();
        self.outcome = match key.code {
            KeyCode::Right | KeyCode::Char(' ') | KeyCode::Char('l') => (self.outcome + 1) % n,
            KeyCode::Left | KeyCode::Char('h') => (self.outcome + n - 1) % n,
            KeyCode::Char(c) => all
                .iter()
                .position(|(_, w)| w.starts_with(c))
                .unwrap_or(self.outcome),
            _ => self.outcome,
        };
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, v: &View) {
        let title = format!(
            "Log {} {} with {}",
            if self.kind == NoteKind::Email {
                "an"
            } else {
                "a"
            },
            self.kind,
            truncate(&printable(&self.name), 40)
        );
        let inner = frame_box(frame, area, 76, 17, &title, v.theme);
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
        let spans: Vec<Span<'static>> = outcomes_for(self.kind)
            .iter()
            .enumerate()
            .map(|(i, (_, w))| {
                if i == self.outcome {
                    Span::styled(format!("[{w}] "), v.theme.focused())
                } else {
                    Span::styled(format!(" {w}  "), v.theme.dim())
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
        y += 1;
        y += lines_at(frame, inner, y, vec![self.next_preview(v)]);
        let field = label_row(frame, inner, y, "Next text", self.focus == 3, v.theme);
        // The label fills its column: one space after it.
        let field = Rect {
            x: field.x + 1,
            width: field.width.saturating_sub(1),
            ..field
        };
        if self.next_text.is_empty() && self.focus != 3 {
            let made = default_next_text(&body_text(&self.body));
            frame.render_widget(
                Line::styled(
                    truncate(&format!("{made} (from the note)"), field.width as usize),
                    v.theme.dim(),
                ),
                field,
            );
        } else if let Some(p) =
            self.next_text
                .render(field, frame.buffer_mut(), v.theme, self.focus == 3)
        {
            frame.set_cursor_position(p);
        }
        y += 1;
        if y < inner.y + inner.height {
            let field = label_row(frame, inner, y, "At", self.focus == 4, v.theme);
            render_at(
                frame,
                field,
                &self.at,
                self.focus == 4,
                ("now (or 4pm, yesterday 4pm, -2h)", true),
                v,
            );
        }
    }

    /// What the next follow-up will be: the note's date when it gives one, else the field's.
    fn next_preview(&self, v: &View) -> Line<'static> {
        let pad = "          ";
        if let Some(w) = self.from_note {
            let unused = if self.next.input.is_empty() {
                String::new()
            } else {
                format!(", not {}", printable(self.next.input.text().trim()))
            };
            return Line::styled(
                truncate(
                    &format!(
                        "{pad}→ {}, from the note's @{unused}",
                        when::describe(w, v.now)
                    ),
                    76,
                ),
                v.theme.ok(),
            );
        }
        if self.next.input.is_empty() {
            return match &self.sequence_next {
                Some(s) => Line::styled(truncate(&format!("{pad}→ {s}"), 76), v.theme.ok()),
                None => Line::styled(format!("{pad}no next follow-up"), v.theme.dim()),
            };
        }
        match self.next.preview(v.now) {
            Ok(s) => Line::styled(format!("{pad}{s}"), v.theme.ok()),
            Err(e) => Line::styled(format!("{pad}{e}"), v.theme.error()),
        }
    }
}

impl super::Dialog for CallForm {
    fn hints(&self) -> (Context, &'static [Action]) {
        (Context::Form, super::BODY_FORM_HINTS)
    }

    fn key(&mut self, key: &KeyEvent, keymap: &Keymap, desk: &mut Desk) -> Reply {
        self.handle_key(key, keymap, desk)
    }

    fn paste(&mut self, text: &str, desk: &mut Desk) {
        CallForm::paste(self, text, desk);
    }

    fn set_body(&mut self, text: &str, desk: &mut Desk) {
        CallForm::set_body(self, text, desk);
    }

    fn draw(&self, frame: &mut Frame, area: Rect, v: &View) {
        self.render(frame, area, v);
    }
}
