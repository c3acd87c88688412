//! `e` on a contact (and `a` in Contacts): every field of a contact in one form. Emails and
//! phones are separated by commas, tags by commas or spaces; an emptied field is cleared.
//! An edit carries the version it was read at and is refused if the contact moved meanwhile.
//! On a short terminal the fields scroll to keep the focused one in sight.

use std::cell::Cell;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::{Reply, View, frame_box, key_line, label_row, lines_at};
use crate::domain::contact::{Contact, ContactFields};
use crate::domain::contact::{Status, Temperature};
use crate::error::{Error, Result};
use crate::ops::Desk;
use crate::ops::contacts::ListEdits;
use crate::tui::action::Action;
use crate::tui::keymap::{Context, Keymap};
use crate::tui::nav::Target;
use crate::tui::widgets::input::LineInput;

pub const LABELS: [&str; 13] = [
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
    "Referrer",
];

/// The referrer's field: a contact's name, completed as it is typed.
const REFERRER: usize = 12;

const HELP: [&str; 13] = [
    "required",
    "created if new",
    "",
    "comma-separated",
    "comma-separated",
    "comma or space separated",
    "where the lead came from",
    "lead, prospect, customer, repeat",
    "hot, warm, cold or empty",
    "how often to keep in touch: 30d, 3w, 1m; empty for none",
    "",
    "a date, e.g. 2026-03-01",
    "who referred them: type a name; empty for nobody",
];

#[derive(Debug, Default)]
pub struct ContactEdit {
    /// None: a new contact.
    pub id: Option<i64>,
    pub version: Option<i64>,
    pub fields: [LineInput; 13],
    pub focus: usize,
    /// The contact the referrer's field names now: the best match of what is typed.
    pub referrer: Option<(i64, String)>,
    original: Vec<String>,
    /// The first field drawn when they do not all fit (drawing keeps the focus in sight).
    pub top: Cell<usize>,
    /// The emails, as typed, already said to belong to another contact: `Enter` again with
    /// them unchanged adds the contact anyway (the CLI's `--allow-duplicate`).
    insist: Option<String>,
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
            c.cadence_days.map(|d| format!("{d}d")).unwrap_or_default(),
            opt(&c.linkedin_url),
            opt(&c.connected_on),
            c.referred_by
                .as_ref()
                .map(|r| r.name.clone())
                .unwrap_or_default(),
        ];
        let fields = values.clone().map(|v| LineInput::new(&v));
        ContactEdit {
            id: Some(c.id),
            version: Some(c.version),
            fields,
            focus: 0,
            referrer: c.referred_by.as_ref().map(|r| (r.id, r.name.clone())),
            original: fields_text(&values),
            top: Cell::new(0),
            insist: None,
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

    /// Completes the referrer's name as it is typed: the best match is who it names.
    fn complete_referrer(&mut self, desk: &mut Desk) {
        let typed = self.fields[REFERRER].text().trim().to_string();
        self.referrer = if typed.is_empty() {
            None
        } else {
            desk.contact_choices(&typed, 1)
                .ok()
                .and_then(|c| c.into_iter().next())
        };
    }

    /// The referrer an edit sets: unchanged (None), cleared, or the contact completed.
    fn referred_by(&self) -> Result<Option<Option<i64>>> {
        let typed = self.fields[REFERRER].text().trim();
        if self.original.get(REFERRER).map(String::as_str) == Some(typed) {
            return Ok(None);
        }
        if typed.is_empty() {
            return Ok(Some(None));
        }
        match &self.referrer {
            Some((id, _)) if Some(*id) == self.id => {
                Err(Error::input("a contact cannot refer themselves (Referrer)"))
            }
            Some((id, _)) => Ok(Some(Some(*id))),
            None => Err(Error::input(format!(
                "Referrer: no contact matches {typed:?}"
            ))),
        }
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
            Some(c) => Some(
                crate::when::Interval::cadence_days(&c)
                    .map_err(|e| Error::input(format!("cadence: {e}")))?,
            ),
            None => None,
        };
        Ok(ContactFields {
            referred_by: self.referred_by()?,
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
            owner: None,
        })
    }

    fn save(&mut self, desk: &mut Desk) -> Reply {
        let f = match self.to_fields() {
            Ok(f) => f,
            Err(e) => return Reply::Failed(e),
        };
        let name = f.name.clone().unwrap_or_default();
        match self.id {
            Some(id) => {
                let version = self.version;
                Reply::later(move |desk| {
                    match desk.edit_contact(id, &f, &ListEdits::default(), version) {
                        Ok(()) => Reply::Saved(format!("saved {name}; u undoes it")),
                        Err(e) => Reply::Failed(e),
                    }
                })
            }
            None => {
                let emails = self.fields[3].text().to_string();
                let insisted = self.insist.as_deref() == Some(emails.as_str());
                if !insisted {
                    match desk.shared_email(f.emails.as_deref().unwrap_or_default()) {
                        Ok(Some((e, other))) => {
                            self.insist = Some(emails);
                            return Reply::Failed(Error::input(format!(
                                "{e} is already the email of {other}; Enter again adds this contact anyway"
                            )));
                        }
                        Ok(None) => {}
                        Err(e) => return Reply::Failed(e),
                    }
                }
                Reply::later(move |desk| match desk.add_contact_checked(&f, true) {
                    Ok(added) => {
                        let id = added.id;
                        let mut msg = format!("added {name} (#{id}); f schedules a follow-up");
                        for w in &added.warnings {
                            msg = format!("{msg}; note: {w}");
                        }
                        Reply::Go(Target::Contact(id), Some(msg))
                    }
                    Err(e) => Reply::Failed(e),
                })
            }
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
                        if self.focus == REFERRER {
                            self.complete_referrer(desk);
                        }
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
        // Rows for fields: all but the help line, the key line and a blank above them.
        let rows = (inner.height.saturating_sub(3) as usize).max(1);
        let top = scroll_to(self.top.get(), self.focus, rows, LABELS.len());
        self.top.set(top);
        for (row, i) in (top..LABELS.len()).take(rows).enumerate() {
            let y = inner.y + row as u16;
            let field = label_row(frame, inner, y, LABELS[i], self.focus == i, v.theme);
            if let Some(p) =
                self.fields[i].render(field, frame.buffer_mut(), v.theme, self.focus == i)
            {
                frame.set_cursor_position(p);
            }
        }
        let completed = match (&self.referrer, self.fields[REFERRER].text().trim()) {
            (_, "") => String::new(),
            (Some((id, n)), _) => format!("= {n} #{id}"),
            (None, _) => "no contact matches".into(),
        };
        let help = match self.focus {
            REFERRER if !completed.is_empty() => completed.as_str(),
            f => HELP[f],
        };
        let bottom = inner.y + inner.height.saturating_sub(1);
        let mut line = if help.is_empty() {
            String::new()
        } else {
            format!("  {}: {help}", LABELS[self.focus])
        };
        let below = LABELS.len().saturating_sub(top + rows);
        if top > 0 || below > 0 {
            let more = match (top, below) {
                (0, b) => format!("↓ {b} more"),
                (t, 0) => format!("↑ {t} more"),
                (t, b) => format!("↑ {t} · ↓ {b} more"),
            };
            let w = inner.width as usize;
            let room = w.saturating_sub(crate::text::width(&more) + 1);
            line = crate::text::pad(&crate::text::truncate(&line, room), room);
            line.push(' ');
            line.push_str(&more);
        }
        if !line.is_empty() {
            lines_at(
                frame,
                inner,
                bottom.saturating_sub(1),
                vec![Line::styled(line, v.theme.dim())],
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

/// The first of `n` fields to draw in `rows` rows so that `focus` shows, moving as little as
/// it can from `top`.
fn scroll_to(top: usize, focus: usize, rows: usize, n: usize) -> usize {
    if n <= rows {
        return 0;
    }
    let top = top.min(n - rows);
    if focus < top {
        focus
    } else if focus >= top + rows {
        focus + 1 - rows
    } else {
        top
    }
}

fn fields_text(values: &[String; 13]) -> Vec<String> {
    values
        .iter()
        .map(|v| LineInput::new(v).text().to_string())
        .collect()
}

impl super::Dialog for ContactEdit {
    fn key(&mut self, key: &KeyEvent, keymap: &Keymap, desk: &mut Desk) -> Reply {
        self.handle_key(key, keymap, desk)
    }

    fn paste(&mut self, text: &str, desk: &mut Desk) {
        ContactEdit::paste(self, text);
        if self.focus == REFERRER {
            self.complete_referrer(desk);
        }
    }

    fn draw(&self, frame: &mut Frame, area: Rect, v: &View) {
        self.render(frame, area, v);
    }
}

#[cfg(test)]
mod tests {
    use super::scroll_to;

    #[test]
    fn the_focus_stays_in_sight_and_the_window_moves_little() {
        assert_eq!(scroll_to(0, 11, 20, 12), 0, "all fit");
        assert_eq!(scroll_to(0, 8, 9, 12), 0);
        assert_eq!(scroll_to(0, 9, 9, 12), 1);
        assert_eq!(scroll_to(0, 11, 9, 12), 3);
        // Going back up scrolls only when the focus leaves the top.
        assert_eq!(scroll_to(3, 5, 9, 12), 3);
        assert_eq!(scroll_to(3, 2, 9, 12), 2);
        // Tab from the last field wraps to the first.
        assert_eq!(scroll_to(3, 0, 9, 12), 0);
    }
}
