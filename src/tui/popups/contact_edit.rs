//! `e` on a contact (and `a` in Contacts): every field of a contact in one form. Emails and
//! phones are separated by commas, tags by commas or spaces; an emptied field is cleared.
//! An edit carries the version it was read at and is refused if the contact moved meanwhile.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::{Reply, View, frame_box, key_line, label_row, lines_at};
use crate::domain::contact::{Status, Temperature};
use crate::error::{Error, Result};
use crate::ops::Desk;
use crate::ops::contacts::ListEdits;
use crate::storage::contacts::{Contact, ContactFields};
use crate::tui::action::Action;
use crate::tui::keymap::{Context, Keymap};
use crate::tui::nav::Target;
use crate::tui::widgets::input::LineInput;

pub const LABELS: [&str; 12] = [
    "Name",
    "Company",
    "Title",
    "Emails",
    "Phones",
    "Tags",
    "Source",
    "Status",
    "Temp",
    "Cadence",
    "LinkedIn",
    "Connected",
];

const HELP: [&str; 12] = [
    "required",
    "created if new",
    "",
    "comma-separated",
    "comma-separated",
    "comma or space separated",
    "where the lead came from",
    "lead, prospect, customer, repeat",
    "hot, warm, cold or empty",
    "days between touches, e.g. 30 or 30d; empty for none",
    "",
    "a date, e.g. 2026-03-01",
];

#[derive(Debug, Default)]
pub struct ContactEdit {
    /// None: a new contact.
    pub id: Option<i64>,
    pub version: Option<i64>,
    pub fields: [LineInput; 12],
    pub focus: usize,
    original: Vec<String>,
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

impl ContactEdit {
    pub fn new_contact() -> Self {
        let mut f = ContactEdit::default();
        f.original = f.fields.iter().map(|x| x.text().to_string()).collect();
        f
    }

    pub fn edit(c: &Contact) -> Self {
        let values = [
            c.name.clone(),
            opt(&c.company),
            opt(&c.title),
            c.emails.join(", "),
            c.phones.join(", "),
            c.tags.join(", "),
            opt(&c.source),
            c.status.to_string(),
            c.temperature.map(|t| t.to_string()).unwrap_or_default(),
            c.cadence_days.map(|d| d.to_string()).unwrap_or_default(),
            opt(&c.linkedin_url),
            opt(&c.connected_on),
        ];
        let fields = values.clone().map(|v| LineInput::new(&v));
        ContactEdit {
            id: Some(c.id),
            version: Some(c.version),
            fields,
            focus: 0,
            original: fields_text(&values),
        }
    }

    fn changed(&self) -> bool {
        self.fields
            .iter()
            .map(|f| f.text().to_string())
            .collect::<Vec<_>>()
            != self.original
    }

    pub fn paste(&mut self, text: &str) {
        self.fields[self.focus].insert_str(text);
    }

    /// The form as the fields of an edit; every field is given, so emptied ones are cleared.
    pub fn to_fields(&self) -> Result<ContactFields> {
        let text = |i: usize| self.fields[i].text().trim().to_string();
        let some = |i: usize| {
            let t = text(i);
            (!t.is_empty()).then_some(t)
        };
        let list = |i: usize, sep: &[char]| -> Vec<String> {
            text(i)
                .split(sep)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        };
        let name = text(0);
        if name.is_empty() {
            return Err(Error::input("a contact needs a name"));
        }
        let status = match some(7) {
            Some(s) => s
                .parse::<Status>()
                .map_err(|e| Error::input(e.to_string()))?,
            None => Status::Lead,
        };
        let temperature = match some(8) {
            Some(t) => Some(
                t.parse::<Temperature>()
                    .map_err(|e| Error::input(e.to_string()))?,
            ),
            None => None,
        };
        let cadence = match some(9) {
            Some(c) => {
                let digits = c.trim_end_matches(['d', 'D']).trim();
                let n: i64 = digits.parse().map_err(|_| {
                    Error::input(format!("cadence {c:?}: write a number of days, like 30"))
                })?;
                Some(n)
            }
            None => None,
        };
        Ok(ContactFields {
            name: Some(name),
            company: Some(some(1)),
            title: Some(some(2)),
            emails: Some(list(3, &[','])),
            phones: Some(list(4, &[','])),
            tags: Some(list(5, &[',', ' '])),
            source: Some(some(6)),
            status: Some(status),
            temperature: Some(temperature),
            cadence_days: Some(cadence),
            archived: None,
            linkedin_url: Some(some(10)),
            connected_on: Some(some(11)),
        })
    }

    fn save(&mut self, desk: &mut Desk) -> Reply {
        let f = match self.to_fields() {
            Ok(f) => f,
            Err(e) => return Reply::Failed(e),
        };
        let name = f.name.clone().unwrap_or_default();
        match self.id {
            Some(id) => match desk.edit_contact(id, &f, &ListEdits::default(), self.version) {
                Ok(()) => Reply::Saved(format!("saved {name}; u undoes it")),
                Err(e) => Reply::Failed(e),
            },
            None => match desk.add_contact(&f) {
                Ok(id) => Reply::Go(
                    Target::Contact(id),
                    Some(format!("added {name} (#{id}); f schedules a follow-up")),
                ),
                Err(e) => Reply::Failed(e),
            },
        }
    }

    pub fn handle_key(&mut self, key: &KeyEvent, keymap: &Keymap, desk: &mut Desk) -> Reply {
        let n = LABELS.len();
        match keymap.lookup(key, &[Context::Form]) {
            Some(Action::Save) => self.save(desk),
            Some(Action::Cancel) if self.changed() => {
                Reply::Discard("Throw these changes away? y/n")
            }
            Some(Action::Cancel) => Reply::Close,
            Some(Action::NextField) => {
                self.focus = (self.focus + 1) % n;
                Reply::Stay
            }
            Some(Action::PrevField) => {
                self.focus = (self.focus + n - 1) % n;
                Reply::Stay
            }
            _ => {
                match key.code {
                    ratatui::crossterm::event::KeyCode::Down => self.focus = (self.focus + 1) % n,
                    ratatui::crossterm::event::KeyCode::Up => self.focus = (self.focus + n - 1) % n,
                    _ => {
                        self.fields[self.focus].handle(key);
                    }
                }
                Reply::Stay
            }
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, v: &View) {
        let title = if self.id.is_some() {
            "Edit contact"
        } else {
            "New contact"
        };
        let inner = frame_box(frame, area, 72, LABELS.len() as u16 + 5, title, v.theme);
        for (i, label) in LABELS.iter().enumerate() {
            let y = inner.y + i as u16;
            if y + 2 >= inner.y + inner.height {
                break;
            }
            let field = label_row(frame, inner, y, label, self.focus == i, v.theme);
            if let Some(p) =
                self.fields[i].render(field, frame.buffer_mut(), v.theme, self.focus == i)
            {
                frame.set_cursor_position(p);
            }
        }
        let help = HELP[self.focus];
        let bottom = inner.y + inner.height.saturating_sub(1);
        if !help.is_empty() {
            lines_at(
                frame,
                inner,
                bottom.saturating_sub(1),
                vec![Line::styled(
                    format!("  {}: {help}", LABELS[self.focus]),
                    v.theme.dim(),
                )],
            );
        }
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

fn fields_text(values: &[String; 12]) -> Vec<String> {
    values
        .iter()
        .map(|v| LineInput::new(v).text().to_string())
        .collect()
}
