//! `f`: a new follow-up. Contact (completes as typed when none is selected), WHEN (its
//! meaning shows as it is typed), text, kind (`←`/`→` or Space cycle it), a repeat (`2w`, as
//! `follow-up --every` reads it) and the deal (one of the contact's open deals, or none).

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::note::ContactField;
use super::{Reply, View, frame_box, label_row, lines_at};
use crate::domain::follow_up::FollowUpKind;
use crate::domain::follow_up::NewFollowUp;
use crate::error::Error;
use crate::ops::Desk;
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
    pub repeat: LineInput,
    /// The contact's open deals `(id, title)`, read when the deal field is reached (the
    /// contact may be picked in the form); None until then.
    pub deals: Option<(i64, Vec<(i64, String)>)>,
    /// 0 contact, 1 when, 2 text, 3 kind, 4 repeat, 5 deal.
    pub focus: usize,
}

const LAST: usize = 5;

impl FollowUpForm {
    pub fn new(contact: ContactField, deal_id: Option<i64>, default_when: &str) -> Self {
        let focus = if contact.is_pick() { 0 } else { 1 };
        FollowUpForm {
            contact,
            deal_id,
            when: WhenInput::new(default_when),
            text: LineInput::default(),
            kind: FollowUpKind::Call,
            repeat: LineInput::default(),
            deals: None,
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
            4 => self.repeat.insert_str(text),
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
                self.focus = if self.focus >= LAST {
                    self.first()
                } else {
                    self.focus + 1
                };
                self.read_deals(desk)
            }
            Some(Action::PrevField) => {
                self.focus = if self.focus <= self.first() {
                    LAST
                } else {
                    self.focus - 1
                };
                self.read_deals(desk)
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
                    4 => {
                        self.repeat.handle(key);
                    }
                    LAST => {
                        let n = self.deals.as_ref().map_or(0, |(_, d)| d.len()) + 1;
                        let i = self.deal_index();
                        let i = match key.code {
                            KeyCode::Right | KeyCode::Char(' ') | KeyCode::Char('l') => (i + 1) % n,
                            KeyCode::Left | KeyCode::Char('h') => (i + n - 1) % n,
                            _ => i,
                        };
                        self.deal_id = i
                            .checked_sub(1)
                            .and_then(|i| self.deals.as_ref()?.1.get(i))
                            .map(|(id, _)| *id);
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

    /// Reads the contact's open deals on reaching the deal field (again if the contact
    /// changed); a deal of another contact is let go.
    fn read_deals(&mut self, desk: &mut Desk) -> Reply {
        if self.focus != LAST {
            return Reply::Stay;
        }
        match self.load_deals(desk) {
            Ok(()) => Reply::Stay,
            Err(e) => Reply::Failed(e),
        }
    }

    /// The form with the contact's deals read at once (its contact is known when it opens).
    pub fn with_deals(mut self, desk: &mut Desk) -> Self {
        // Unreadable now, the deal field reads them again when it is reached.
        let _ = self.load_deals(desk);
        self
    }

    fn load_deals(&mut self, desk: &mut Desk) -> crate::error::Result<()> {
        let Some(contact) = self.contact.id() else {
            return Ok(());
        };
        if self.deals.as_ref().is_some_and(|(c, _)| *c == contact) {
            return Ok(());
        }
        let read = desk.open_deals_of(contact);
        let list: Vec<(i64, String)> = read?.into_iter().map(|d| (d.id, d.title)).collect();
        if !list.iter().any(|(id, _)| Some(*id) == self.deal_id) {
            self.deal_id = None;
        }
        self.deals = Some((contact, list));
        Ok(())
    }

    /// 0 for none, else one past the deal's place in `deals`.
    fn deal_index(&self) -> usize {
        self.deals
            .as_ref()
            .and_then(|(_, d)| d.iter().position(|(id, _)| Some(*id) == self.deal_id))
            .map_or(0, |i| i + 1)
    }

    fn save(&mut self, desk: &mut Desk) -> Reply {
        let Some(contact_id) = self.contact.id() else {
            return Reply::Failed(Error::input("pick a contact first"));
        };
        let due = match desk.when(self.when.input.text()) {
            Ok(w) => w,
            Err(e) => return Reply::Failed(e),
        };
        let every = match self.repeat.text().trim() {
            "" => None,
            r => match r.parse::<crate::when::Interval>() {
                Ok(i) => Some(i),
                Err(e) => {
                    self.focus = 4;
                    return Reply::Failed(Error::input(format!("repeat: {e}")));
                }
            },
        };
        let text = if self.text.is_empty() {
            self.kind.as_str().to_string()
        } else {
            self.text.text().to_string()
        };
        let f = NewFollowUp {
            contact_id,
            // A deal picked in the field, or the one the form was opened on (its contact's).
            deal_id: match &self.deals {
                Some((c, _)) if *c == contact_id => self.deal_id,
                _ if self.contact.is_pick() => None,
                _ => self.deal_id,
            },
            kind: self.kind,
            text,
            due,
            every: every.map(|i| i.to_string()),
        };
        let who = self.contact.name().to_string();
        Reply::later(move |desk| match desk.add_follow_up(&f) {
            Ok(id) => Reply::Saved(format!(
                "follow-up #{id} with {who} {}",
                when::describe(due, desk.clock.now_naive())
            )),
            Err(e) => Reply::Failed(e),
        })
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, v: &View) {
        let inner = frame_box(frame, area, 70, 14, "New follow-up", v.theme);
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
        y += 1;
        let field = label_row(frame, inner, y, "Repeat", self.focus == 4, v.theme);
        if let Some(p) = self
            .repeat
            .render(field, frame.buffer_mut(), v.theme, self.focus == 4)
        {
            frame.set_cursor_position(p);
        }
        let hint = match self.repeat.text().trim() {
            "" => Line::styled("          optional: 1w, 2w, 1m", v.theme.dim()),
            r => match r.parse::<crate::when::Interval>() {
                Ok(i) => Line::styled(
                    format!("          done, it comes back {i} later"),
                    v.theme.ok(),
                ),
                Err(_) => Line::styled("          not a repeat; try 1w, 2w, 1m", v.theme.error()),
            },
        };
        y += 1 + lines_at(frame, inner, y + 1, vec![hint]);
        let field = label_row(frame, inner, y, "Deal", self.focus == LAST, v.theme);
        let deal = match &self.deals {
            Some((_, list)) => match list.iter().find(|(id, _)| Some(*id) == self.deal_id) {
                Some((id, t)) => format!("‹ › #{id} {}", crate::text::printable(t)),
                None if list.is_empty() => "none (no open deal)".to_string(),
                None => "‹ › none".to_string(),
            },
            None => match self.deal_id {
                Some(id) => format!("#{id}"),
                None => "none".to_string(),
            },
        };
        frame.render_widget(
            Line::styled(
                crate::text::truncate(&deal, field.width as usize),
                if self.focus == LAST {
                    v.theme.focused()
                } else {
                    v.theme.dim()
                },
            ),
            field,
        );
    }
}

impl super::Dialog for FollowUpForm {
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
        FollowUpForm::paste(self, text, desk);
    }

    fn draw(&self, frame: &mut Frame, area: Rect, v: &View) {
        self.render(frame, area, v);
    }
}
