//! `e` on a Today row, `T` on a contact's follow-up: edit it where it shows. The date (left
//! empty it stays), the text, the kind, the repeat (`2w`, `1m`; empty for none) and the deal
//! it is tied to (one of the contact's open deals, or none). Saved through `follow-up edit`'s
//! op, so the CLI and the desk change a follow-up the same way; `u` undoes it.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::{Reply, View, frame_box, key_line, label_row, lines_at};
use crate::domain::follow_up::FollowUp;
use crate::domain::follow_up::FollowUpKind;
use crate::error::{Error, Result};
use crate::ops::Desk;
use crate::ops::follow_ups::FollowUpEdit;
use crate::text::{printable, truncate};
use crate::tui::action::Action;
use crate::tui::keymap::{Context, Keymap};
use crate::tui::widgets::input::{LineInput, WhenInput};
use crate::when::{self, Interval};

const FIELDS: usize = 5;

#[derive(Debug)]
pub struct FollowUpEditForm {
    pub id: i64,
    version: i64,
    pub who: String,
    /// The due as it is, for the preview of an empty WHEN.
    due: when::When,
    pub when: WhenInput,
    pub text: LineInput,
    pub kind: FollowUpKind,
    pub repeat: LineInput,
    /// `(id, title)`: the deals it may be tied to; the index 0 of `deal` is none.
    pub deals: Vec<(i64, String)>,
    pub deal: usize,
    /// 0 when, 1 text, 2 kind, 3 repeat, 4 deal.
    pub focus: usize,
    original: (String, FollowUpKind, String, usize),
}

impl FollowUpEditForm {
    /// The form on follow-up `f`, offering its contact's open deals (and its own deal, open
    /// or not).
    pub fn open(desk: &mut Desk, f: &FollowUp) -> Result<Self> {
        if f.open != crate::domain::follow_up::FollowUpStatus::Open {
            return Err(Error::input(format!(
                "follow-up #{} is {}; only open ones are edited",
                f.id, f.open
            )));
        }
        let mut deals: Vec<(i64, String)> = desk
            .open_deals_of(f.contact_id)?
            .into_iter()
            .map(|d| (d.id, d.title))
            .collect();
        if let Some(id) = f.deal_id
            && !deals.iter().any(|(d, _)| *d == id)
        {
            deals.push((id, f.deal_title.clone().unwrap_or_else(|| format!("#{id}"))));
        }
        let deal = f
            .deal_id
            .and_then(|id| deals.iter().position(|(d, _)| *d == id))
            .map_or(0, |i| i + 1);
        let repeat = f.every.clone().unwrap_or_default();
        Ok(FollowUpEditForm {
            id: f.id,
            version: f.version,
            who: f.contact_name.clone(),
            due: f.due,
            when: WhenInput::new(""),
            text: LineInput::new(&f.text),
            kind: f.kind,
            repeat: LineInput::new(&repeat),
            deals,
            deal,
            focus: 0,
            original: (f.text.clone(), f.kind, repeat, deal),
        })
    }

    fn changed(&self) -> bool {
        !self.when.input.is_empty()
            || (
                self.text.text().to_string(),
                self.kind,
                self.repeat.text().to_string(),
                self.deal,
            ) != self.original
    }

    pub fn paste(&mut self, text: &str) {
        match self.focus {
            0 => self.when.input.insert_str(text),
            1 => self.text.insert_str(text),
            3 => self.repeat.insert_str(text),
            _ => {}
        }
    }

    /// The edit the form asks for: only what changed.
    pub fn to_edit(&self, desk: &Desk) -> Result<FollowUpEdit> {
        let mut e = FollowUpEdit::default();
        if !self.when.input.is_empty() {
            e.due = Some(desk.when(self.when.input.text())?);
        }
        let text = self.text.text().trim();
        if text != self.original.0.trim() {
            if text.is_empty() {
                return Err(Error::input(
                    "a follow-up needs a text: say what to do, like \"send the quote\"",
                ));
            }
            e.text = Some(text.to_string());
        }
        if self.kind != self.original.1 {
            e.kind = Some(self.kind);
        }
        let repeat = self.repeat.text().trim();
        if repeat != self.original.2.trim() {
            e.every = Some(if repeat.is_empty() {
                None
            } else {
                Some(
                    Interval::parse(repeat)
                        .map_err(|err| Error::input(format!("repeat: {err}")))?,
                )
            });
        }
        if self.deal != self.original.3 {
            e.deal = Some(
                self.deal
                    .checked_sub(1)
                    .and_then(|i| self.deals.get(i))
                    .map(|(id, _)| *id),
            );
        }
        Ok(e)
    }

    fn save(&mut self, desk: &mut Desk) -> Reply {
        if !self.changed() {
            return Reply::Close;
        }
        let e = match self.to_edit(desk) {
            Ok(e) => e,
            Err(e) => return Reply::Failed(e),
        };
        let (id, version, who) = (self.id, self.version, self.who.clone());
        Reply::later(
            move |desk| match desk.edit_follow_up(id, &e, Some(version)) {
                Ok(()) => {
                    let mut msg = format!("follow-up #{id} with {who} saved");
                    if let Some(d) = e.due {
                        msg.push_str(&format!(
                            ", due {}",
                            when::describe(d, desk.clock.now_naive())
                        ));
                    }
                    msg.push_str("; u undoes it");
                    Reply::Saved(msg)
                }
                Err(e) => Reply::Failed(e),
            },
        )
    }

    pub fn handle_key(&mut self, key: &KeyEvent, keymap: &Keymap, desk: &mut Desk) -> Reply {
        match keymap.lookup(key, &[Context::Form]) {
            Some(Action::Save) => self.save(desk),
            Some(Action::Cancel) if self.changed() => {
                Reply::Discard("Throw these changes away? y/n")
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
            _ => {
                match self.focus {
                    0 => {
                        self.when.input.handle(key);
                    }
                    1 => {
                        self.text.handle(key);
                    }
                    2 => {
                        let all = FollowUpKind::ALL;
                        let i = all.iter().position(|k| *k == self.kind).unwrap_or(0);
                        self.kind = all[cycle(key, i, all.len())];
                        if let KeyCode::Char(c) = key.code
                            && let Some(k) = all.iter().find(|k| k.as_str().starts_with(c))
                        {
                            self.kind = *k;
                        }
                    }
                    3 => {
                        self.repeat.handle(key);
                    }
                    _ => self.deal = cycle(key, self.deal, self.deals.len() + 1),
                }
                Reply::Stay
            }
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, v: &View) {
        let title = format!("Edit follow-up #{} · {}", self.id, printable(&self.who));
        let inner = frame_box(frame, area, 72, 12, &title, v.theme);
        let iw = inner.width.saturating_sub(10) as usize;
        let mut y = inner.y;
        let field = label_row(frame, inner, y, "When", self.focus == 0, v.theme);
        if let Some(p) = self
            .when
            .input
            .render(field, frame.buffer_mut(), v.theme, self.focus == 0)
        {
            frame.set_cursor_position(p);
        }
        let preview = if self.when.input.is_empty() {
            Line::styled(
                truncate(
                    &format!(
                        "          stays {}; type a WHEN to move it",
                        when::describe(self.due, v.now)
                    ),
                    inner.width as usize,
                ),
                v.theme.dim(),
            )
        } else {
            match self.when.preview(v.now) {
                Ok(s) => Line::styled(format!("          {s}"), v.theme.ok()),
                Err(e) => Line::styled(
                    truncate(&format!("          {e}"), inner.width as usize),
                    v.theme.error(),
                ),
            }
        };
        y += 1 + lines_at(frame, inner, y + 1, vec![preview]);
        let field = label_row(frame, inner, y, "Text", self.focus == 1, v.theme);
        if let Some(p) = self
            .text
            .render(field, frame.buffer_mut(), v.theme, self.focus == 1)
        {
            frame.set_cursor_position(p);
        }
        y += 1;
        let field = label_row(frame, inner, y, "Kind", self.focus == 2, v.theme);
        let kinds: Vec<Span<'static>> = FollowUpKind::ALL
            .iter()
            .map(|k| choice(&k.to_string(), *k == self.kind, v))
            .collect();
        frame.render_widget(Line::from(kinds), field);
        y += 1;
        let field = label_row(frame, inner, y, "Repeat", self.focus == 3, v.theme);
        if let Some(p) = self
            .repeat
            .render(field, frame.buffer_mut(), v.theme, self.focus == 3)
        {
            frame.set_cursor_position(p);
        }
        let hint = match self.repeat.text().trim() {
            "" => Line::styled("          no repeat; 1w, 2w, 1m repeat it", v.theme.dim()),
            r => match Interval::parse(r) {
                Ok(i) => Line::styled(
                    format!("          done, it comes back {i} later"),
                    v.theme.ok(),
                ),
                Err(e) => Line::styled(
                    truncate(&format!("          {e}"), inner.width as usize),
                    v.theme.error(),
                ),
            },
        };
        y += 1 + lines_at(frame, inner, y + 1, vec![hint]);
        let field = label_row(frame, inner, y, "Deal", self.focus == 4, v.theme);
        let deal = match self.deal.checked_sub(1).and_then(|i| self.deals.get(i)) {
            Some((id, t)) => format!("#{id} {}", printable(t)),
            None if self.deals.is_empty() => "none (the contact has no open deal)".into(),
            None => "none".into(),
        };
        let arrows = if self.deals.is_empty() {
            ""
        } else {
            "‹ › "
        };
        frame.render_widget(
            Line::from(vec![
                Span::styled(arrows, v.theme.dim()),
                Span::styled(
                    truncate(&deal, iw.saturating_sub(4)),
                    if self.focus == 4 {
                        v.theme.focused()
                    } else {
                        ratatui::style::Style::new()
                    },
                ),
            ]),
            field,
        );
        let bottom = inner.y + inner.height.saturating_sub(1);
        if bottom > y {
            lines_at(
                frame,
                inner,
                bottom,
                vec![key_line(
                    v.keymap,
                    Context::Form,
                    &[Action::Save, Action::NextField, Action::Cancel],
                    v.theme,
                )],
            );
        }
    }
}

/// `←`/`→` (or `h`/`l`, Space) move a choice among `n`.
fn cycle(key: &KeyEvent, i: usize, n: usize) -> usize {
    if n == 0 {
        return 0;
    }
    match key.code {
        KeyCode::Right | KeyCode::Char(' ') | KeyCode::Char('l') => (i + 1) % n,
        KeyCode::Left | KeyCode::Char('h') => (i + n - 1) % n,
        _ => i,
    }
}

fn choice(label: &str, on: bool, v: &View) -> Span<'static> {
    if on {
        Span::styled(format!("[{label}] "), v.theme.focused())
    } else {
        Span::styled(format!(" {label}  "), v.theme.dim())
    }
}

impl super::Dialog for FollowUpEditForm {
    fn key(&mut self, key: &KeyEvent, keymap: &Keymap, desk: &mut Desk) -> Reply {
        self.handle_key(key, keymap, desk)
    }

    fn paste(&mut self, text: &str, _desk: &mut Desk) {
        FollowUpEditForm::paste(self, text);
    }

    fn draw(&self, frame: &mut Frame, area: Rect, v: &View) {
        self.render(frame, area, v);
    }
}
