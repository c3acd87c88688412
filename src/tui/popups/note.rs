//! `n`: a quick note. `Enter` saves, `Alt-Enter`/`Ctrl-j` starts a new line, `Ctrl-e` opens
//! `$EDITOR`; what the note's commands (`@fri #proposal $12k`) will do shows before saving.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui_textarea::{TextArea, WrapMode};

use super::{Reply, View, frame_box, label_row, lines_at};
use crate::domain::note::NoteKind;
use crate::error::Error;
use crate::ops::Desk;
use crate::ops::notes::{NoteInput, PlanKey};
use crate::text::{printable, truncate};
use crate::tui::action::Action;
use crate::tui::keymap::{Context, Keymap};
use crate::tui::theme::Theme;
use crate::tui::widgets::input::{ContactInput, LineInput};

/// The contact a form is about: given by the selection, or picked by typing.
#[derive(Debug)]
pub enum ContactField {
    Fixed(i64, String),
    Pick(ContactInput),
}

impl ContactField {
    pub fn pick(desk: &mut Desk) -> Self {
        let mut c = ContactInput::default();
        // An empty list is fine: the field says so.
        let _ = c.refresh(desk);
        ContactField::Pick(c)
    }

    /// A picker that starts on a contact already chosen (an edit), its name typed in; typing
    /// searches again.
    pub fn preset(id: i64, name: &str, company: Option<&str>) -> Self {
        let label = match company {
            Some(co) => format!("{name} ({co})"),
            None => name.to_string(),
        };
        ContactField::Pick(ContactInput::with(name, vec![(id, printable(&label))]))
    }

    pub fn id(&self) -> Option<i64> {
        match self {
            ContactField::Fixed(id, _) => Some(*id),
            ContactField::Pick(c) => c.chosen(),
        }
    }

    pub fn name(&self) -> String {
        match self {
            ContactField::Fixed(_, n) => n.clone(),
            ContactField::Pick(c) => c
                .candidates
                .get(c.selected)
                .map(|(_, n)| n.clone())
                .unwrap_or_default(),
        }
    }

    pub fn is_pick(&self) -> bool {
        matches!(self, ContactField::Pick(_))
    }

    /// Before a key that picks among the choices or leaves the field (anything but typing in
    /// it, or Esc), the choices of what was typed, waited for while they are being read.
    pub fn settle_for(&mut self, key: &KeyEvent) -> Result<(), Error> {
        let ContactField::Pick(c) = self else {
            return Ok(());
        };
        let typing = matches!(
            key.code,
            KeyCode::Char(_)
                | KeyCode::Backspace
                | KeyCode::Delete
                | KeyCode::Left
                | KeyCode::Right
                | KeyCode::Home
                | KeyCode::End
                | KeyCode::Esc
        ) && !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        if !typing {
            c.settle()?;
        }
        Ok(())
    }

    /// Takes the choices the worker read, once they have come (a form's `Dialog::poll`).
    pub fn poll(&mut self) -> Reply {
        match self {
            ContactField::Pick(c) => match c.poll() {
                Ok(_) => Reply::Stay,
                Err(e) => Reply::Failed(e),
            },
            ContactField::Fixed(..) => Reply::Stay,
        }
    }

    /// The choices of what was typed are still being read.
    pub fn waiting(&self) -> bool {
        matches!(self, ContactField::Pick(c) if c.waiting())
    }

    /// Keys for the picker; returns whether the key was used.
    pub fn handle(&mut self, key: &KeyEvent, desk: &mut Desk) -> Result<bool, Error> {
        let ContactField::Pick(c) = self else {
            return Ok(false);
        };
        let (used, changed) = c.handle(key);
        if changed {
            c.refresh(desk)?;
        }
        Ok(used)
    }

    pub fn paste(&mut self, text: &str, desk: &mut Desk) {
        if let ContactField::Pick(c) = self {
            c.input.insert_str(text);
            let _ = c.refresh(desk);
        }
    }

    /// Draws the field (and, when focused, the candidates below it); returns rows used.
    pub fn render(
        &self,
        frame: &mut Frame,
        inner: Rect,
        y: u16,
        focused: bool,
        theme: &Theme,
    ) -> u16 {
        let field = label_row(frame, inner, y, "Contact", focused, theme);
        match self {
            ContactField::Fixed(_, name) => {
                let n = truncate(&printable(name), field.width as usize);
                frame.render_widget(Line::from(n), field);
                1
            }
            ContactField::Pick(c) => {
                if let Some(p) = c.input.render(field, frame.buffer_mut(), theme, focused) {
                    frame.set_cursor_position(p);
                }
                if !focused {
                    let chosen = self.name();
                    let l = Line::styled(format!("          = {chosen}"), theme.dim());
                    return 1 + lines_at(frame, inner, y + 1, vec![l]);
                }
                let mut lines: Vec<Line<'static>> = c
                    .candidates
                    .iter()
                    .enumerate()
                    .map(|(i, (id, n))| {
                        let text = format!(
                            "          {} {n}  #{id}",
                            if i == c.selected { "▶" } else { " " }
                        );
                        let style = if i == c.selected {
                            theme.selected()
                        } else {
                            Style::new()
                        };
                        Line::styled(truncate(&text, inner.width as usize), style)
                    })
                    .collect();
                if lines.is_empty() {
                    lines.push(Line::styled("          no contact matches", theme.error()));
                }
                1 + lines_at(frame, inner, y + 1, lines)
            }
        }
    }
}

pub fn note_area(placeholder: &str) -> TextArea<'static> {
    let mut t = TextArea::default();
    t.set_wrap_mode(WrapMode::WordOrGlyph);
    t.set_cursor_line_style(Style::new());
    t.set_placeholder_text(placeholder);
    t
}

pub fn body_text(t: &TextArea) -> String {
    t.lines().join("\n")
}

pub fn set_text(t: &mut TextArea<'static>, text: &str, placeholder: &str) {
    let mut n = note_area(placeholder);
    n.insert_str(text.trim_end_matches('\n'));
    *t = n;
}

const PLACEHOLDER: &str =
    "What happened? End with @fri to schedule, #proposal to move the deal, $12k to set its value";

#[derive(Debug)]
pub struct NoteForm {
    pub contact: ContactField,
    pub deal_id: Option<i64>,
    pub body: TextArea<'static>,
    /// When it happened, for a note logged late (`note --at`); empty is now.
    pub at: LineInput,
    /// 0: contact, 1: the note, 2: when it happened.
    pub focus: usize,
    /// What the commands will do, or why they cannot.
    pub plan: Result<Vec<String>, String>,
    /// What `plan` was made for: planned again only when this changes.
    planned: Option<PlanKey>,
}

impl NoteForm {
    pub fn new(contact: ContactField, deal_id: Option<i64>) -> Self {
        let focus = if contact.is_pick() { 0 } else { 1 };
        NoteForm {
            contact,
            deal_id,
            body: note_area(PLACEHOLDER),
            at: LineInput::default(),
            focus,
            plan: Ok(Vec::new()),
            planned: None,
        }
    }

    fn at(&self, now: chrono::NaiveDateTime) -> Result<Option<chrono::NaiveDateTime>, Error> {
        parse_at(&self.at, now)
    }

    fn input(&self) -> Option<NoteInput> {
        let mut n = NoteInput::new(self.contact.id()?, body_text(&self.body));
        n.kind = NoteKind::Note;
        n.deal_id = if self.contact.is_pick() {
            None
        } else {
            self.deal_id
        };
        Some(n)
    }

    fn replan(&mut self, desk: &mut Desk) {
        let at = match self.at(desk.clock.now_naive()) {
            Ok(at) => at,
            Err(e) => {
                self.plan = Err(e.to_string());
                self.planned = None;
                return;
            }
        };
        let Some(mut n) = self.input() else {
            self.plan = Ok(Vec::new());
            self.planned = None;
            return;
        };
        n.at = at;
        if let Some(plan) = desk.replan_note(&n, &mut self.planned) {
            self.plan = plan;
        }
    }

    pub fn set_body(&mut self, text: &str, desk: &mut Desk) {
        set_text(&mut self.body, text, PLACEHOLDER);
        self.replan(desk);
    }

    pub fn paste(&mut self, text: &str, desk: &mut Desk) {
        if self.focus == 0 {
            self.contact.paste(text, desk);
        } else if self.focus == 2 {
            self.at.insert_str(text);
        } else {
            self.body.insert_str(text);
        }
        self.replan(desk);
    }

    pub fn handle_key(&mut self, key: &KeyEvent, keymap: &Keymap, desk: &mut Desk) -> Reply {
        match keymap.lookup(key, &[Context::Form]) {
            Some(Action::Save) if self.focus == 0 => {
                if self.contact.id().is_some() {
                    self.focus = 1;
                    self.replan(desk);
                }
                Reply::Stay
            }
            Some(Action::Save) => {
                let Some(mut input) = self.input() else {
                    return Reply::Failed(Error::input("pick a contact first"));
                };
                match self.at(desk.clock.now_naive()) {
                    Ok(at) => input.at = at,
                    Err(e) => return Reply::Failed(e),
                }
                let subject = format!("note saved on {}", self.contact.name());
                Reply::later(move |desk| match desk.log_note(&input) {
                    Ok(saved) => Reply::Saved(crate::tui::widgets::status::effects_message(
                        &subject,
                        &saved.effects,
                        "",
                    )),
                    Err(e) => Reply::Failed(e),
                })
            }
            Some(Action::Cancel) if !self.body.is_empty() => {
                Reply::Discard("Throw this note away? y/n")
            }
            Some(Action::Cancel) => Reply::Close,
            Some(a @ (Action::NextField | Action::PrevField)) => {
                let order: &[usize] = if self.contact.is_pick() {
                    &[0, 1, 2]
                } else {
                    &[1, 2]
                };
                let i = order.iter().position(|f| *f == self.focus).unwrap_or(0);
                let step = if a == Action::NextField {
                    1
                } else {
                    order.len() - 1
                };
                self.focus = order[(i + step) % order.len()];
                self.replan(desk);
                Reply::Stay
            }
            Some(Action::NewLine) if self.focus == 1 => {
                self.body.insert_newline();
                Reply::Stay
            }
            Some(Action::Editor) => Reply::Editor(body_text(&self.body)),
            _ if self.focus == 0 => match self.contact.handle(key, desk) {
                Ok(_) => Reply::Stay,
                Err(e) => Reply::Failed(e),
            },
            _ if self.focus == 2 => {
                if self.at.handle(key) {
                    self.replan(desk);
                }
                Reply::Stay
            }
            _ => {
                if self.body.input(*key) {
                    self.replan(desk);
                }
                Reply::Stay
            }
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, v: &View) {
        let inner = frame_box(frame, area, 76, 14, "Note", v.theme);
        let mut y = inner.y;
        y += self
            .contact
            .render(frame, inner, y, self.focus == 0, v.theme);
        y += 1;
        render_body(
            frame,
            inner,
            &mut y,
            &self.body,
            self.focus == 1,
            &self.plan,
            v,
        );
        if y < inner.y + inner.height {
            let field = label_row(frame, inner, y, "At", self.focus == 2, v.theme);
            // The form's plan line already says why a bad one cannot be read.
            render_at(
                frame,
                field,
                &self.at,
                self.focus == 2,
                ("now (or fri, 4pm, yesterday 4pm, -2h)", false),
                v,
            );
        }
    }
}

/// The backdated moment an `At` field holds (`note --at`): None when empty (now).
pub fn parse_at(
    at: &LineInput,
    now: chrono::NaiveDateTime,
) -> Result<Option<chrono::NaiveDateTime>, Error> {
    if at.is_empty() {
        return Ok(None);
    }
    crate::when::parse_past(at.text(), now)
        .map(Some)
        .map_err(|e| Error::input(format!("At: {e}")))
}

/// An `At` field and, beside it, what it reads as: `hint.0` when empty; why it cannot be read
/// when `hint.1` (a form with no other place to say it).
pub fn render_at(
    frame: &mut Frame,
    field: Rect,
    at: &LineInput,
    focused: bool,
    hint: (&str, bool),
    v: &View,
) {
    let at_area = Rect {
        width: field.width.min(24),
        ..field
    };
    if let Some(p) = at.render(at_area, frame.buffer_mut(), v.theme, focused) {
        frame.set_cursor_position(p);
    }
    let (said, style) = match parse_at(at, v.now) {
        Ok(None) => (hint.0.to_string(), v.theme.dim()),
        Ok(Some(t)) => (
            format!(
                "→ {}",
                crate::when::describe(crate::when::When::At(t), v.now)
            ),
            v.theme.dim(),
        ),
        Err(e) if hint.1 => (e.to_string(), v.theme.error()),
        Err(_) => (String::new(), v.theme.dim()),
    };
    let beside = Rect {
        x: at_area.x + at_area.width + 1,
        width: field.width.saturating_sub(at_area.width + 1),
        ..field
    };
    frame.render_widget(
        Line::styled(truncate(&said, beside.width as usize), style),
        beside,
    );
}

/// The note field and, under it, what its commands will do.
pub fn render_body(
    frame: &mut Frame,
    inner: Rect,
    y: &mut u16,
    body: &TextArea<'static>,
    focused: bool,
    plan: &Result<Vec<String>, String>,
    v: &View,
) {
    label_row(frame, inner, *y, "Note", focused, v.theme);
    *y += 1;
    let h = 5.min(inner.height.saturating_sub(*y - inner.y + 3));
    let area = Rect {
        x: inner.x + 1,
        y: *y,
        width: inner.width.saturating_sub(2),
        height: h,
    };
    let mut ta = body.clone();
    ta.set_cursor_style(if focused {
        Style::new().add_modifier(ratatui::style::Modifier::REVERSED)
    } else {
        Style::new()
    });
    frame.render_widget(&ta, area);
    *y += h;
    let lines: Vec<Line<'static>> = match plan {
        Ok(effects) => effects
            .iter()
            .map(|e| {
                Line::styled(
                    truncate(&format!("  will: {e}"), inner.width as usize),
                    v.theme.ok(),
                )
            })
            .collect(),
        Err(e) => vec![Line::styled(
            truncate(&format!("  {e}"), inner.width as usize),
            v.theme.error(),
        )],
    };
    *y += lines_at(frame, inner, *y, lines);
}

impl super::Dialog for NoteForm {
    fn hints(&self) -> (Context, &'static [Action]) {
        (Context::Form, super::BODY_FORM_HINTS)
    }

    fn key(&mut self, key: &KeyEvent, keymap: &Keymap, desk: &mut Desk) -> Reply {
        self.handle_key(key, keymap, desk)
    }

    fn contact_field(&self) -> Option<&ContactField> {
        Some(&self.contact)
    }

    fn contact_field_mut(&mut self) -> Option<&mut ContactField> {
        Some(&mut self.contact)
    }

    fn paste(&mut self, text: &str, desk: &mut Desk) {
        NoteForm::paste(self, text, desk);
    }

    fn set_body(&mut self, text: &str, desk: &mut Desk) {
        NoteForm::set_body(self, text, desk);
    }

    fn draw(&self, frame: &mut Frame, area: Rect, v: &View) {
        self.render(frame, area, v);
    }
}
