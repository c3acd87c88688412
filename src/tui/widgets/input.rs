//! One-line text fields: plain text, a WHEN that shows its meaning as it is typed, and a
//! contact field that completes as it is typed.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::ops::Desk;
use crate::text::{printable, truncate, width};
use crate::tui::theme::Theme;
use crate::tui::worker::{Asker, Worker};
use crate::when::{self, When};

#[derive(Debug, Clone, Default)]
pub struct LineInput {
    text: String,
    /// In characters.
    cursor: usize,
}

impl LineInput {
    pub fn new(s: &str) -> Self {
        let text = printable(s);
        let cursor = text.chars().count();
        LineInput { text, cursor }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
    }

    fn byte(&self, char_idx: usize) -> usize {
        self.text
            .char_indices()
            .nth(char_idx)
            .map_or(self.text.len(), |(b, _)| b)
    }

    /// A paste or typed text: control characters and newlines become nothing or spaces.
    pub fn insert_str(&mut self, s: &str) {
        let clean = printable(s);
        let at = self.byte(self.cursor);
        self.text.insert_str(at, &clean);
        self.cursor += clean.chars().count();
    }

    /// Editing keys; returns whether the key was used.
    pub fn handle(&mut self, key: &KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let len = self.text.chars().count();
        match key.code {
            KeyCode::Char('u') if ctrl => {
                let at = self.byte(self.cursor);
                self.text.replace_range(..at, "");
                self.cursor = 0;
            }
            KeyCode::Char('w') if ctrl => {
                let chars: Vec<char> = self.text.chars().collect();
                let mut start = self.cursor;
                while start > 0 && chars[start - 1] == ' ' {
                    start -= 1;
                }
                while start > 0 && chars[start - 1] != ' ' {
                    start -= 1;
                }
                let (a, b) = (self.byte(start), self.byte(self.cursor));
                self.text.replace_range(a..b, "");
                self.cursor = start;
            }
            KeyCode::Char('a') if ctrl => self.cursor = 0,
            KeyCode::Char(c) if !ctrl && !key.modifiers.contains(KeyModifiers::ALT) => {
                let at = self.byte(self.cursor);
                self.text.insert(at, c);
                self.cursor += 1;
            }
            KeyCode::Backspace if self.cursor > 0 => {
                let at = self.byte(self.cursor - 1);
                self.text.remove(at);
                self.cursor -= 1;
            }
            KeyCode::Delete if self.cursor < len => {
                let at = self.byte(self.cursor);
                self.text.remove(at);
            }
            KeyCode::Left => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Right => self.cursor = (self.cursor + 1).min(len),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = len,
            KeyCode::Backspace | KeyCode::Delete => {}
            _ => return false,
        }
        true
    }

    /// Draws the field on one line, scrolled so the cursor shows; returns where the cursor is.
    pub fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        focused: bool,
    ) -> Option<Position> {
        if area.width == 0 || area.height == 0 {
            return None;
        }
        let before: String = self.text.chars().take(self.cursor).collect();
        let room = area.width.saturating_sub(1) as usize;
        let mut skip = 0;
        while width(&before.chars().skip(skip).collect::<String>()) > room {
            skip += 1;
        }
        let shown: String = self.text.chars().skip(skip).collect();
        let shown = truncate(&shown, area.width as usize);
        let style = if focused {
            theme.field().patch(theme.focused())
        } else {
            theme.field()
        };
        let fill = (area.width as usize).saturating_sub(width(&shown));
        Paragraph::new(Line::from(vec![
            Span::styled(shown, style),
            Span::styled(" ".repeat(fill), style),
        ]))
        .render(area, buf);
        let x = width(&before.chars().skip(skip).collect::<String>()) as u16;
        focused.then(|| Position::new(area.x + x.min(area.width.saturating_sub(1)), area.y))
    }
}

/// A WHEN field: the text, and the date it means, said in words.
#[derive(Debug, Clone, Default)]
pub struct WhenInput {
    pub input: LineInput,
    /// Text salesdesk filled in itself (the configured next step) and the workdays its date
    /// moves to: while the text is left as it was, the date is salesdesk's pick, not the
    /// user's, so it lands on a workday (docs/MANUAL.md, "Saying when").
    prefilled: Option<(String, Vec<chrono::Weekday>)>,
}

impl WhenInput {
    pub fn new(s: &str) -> Self {
        WhenInput {
            input: LineInput::new(s),
            prefilled: None,
        }
    }

    /// A field pre-filled by salesdesk with `s`, whose date moves to a workday until edited.
    pub fn picked(s: &str, workdays: Vec<chrono::Weekday>) -> Self {
        WhenInput {
            input: LineInput::new(s),
            prefilled: Some((s.to_string(), workdays)),
        }
    }

    /// The WHEN the field holds, or why it holds none.
    pub fn resolve(&self, now: chrono::NaiveDateTime) -> Result<When, when::WhenError> {
        let w = when::parse(self.input.text(), now)?;
        Ok(match &self.prefilled {
            Some((text, days)) if text == self.input.text() => {
                crate::domain::workdays::picked(w, days)
            }
            _ => w,
        })
    }

    pub fn parse(&self, now: chrono::NaiveDateTime) -> Option<When> {
        self.resolve(now).ok()
    }

    /// `→ Fri 27 Nov 14:00`, or why it cannot be read.
    pub fn preview(&self, now: chrono::NaiveDateTime) -> Result<String, String> {
        if self.input.is_empty() {
            return Err("type a WHEN: tomorrow, fri 3pm, +3d, next week, dec 3".into());
        }
        match self.resolve(now) {
            Ok(w) => Ok(format!("→ {}", when::describe(w, now))),
            Err(e) if e.reason == when::Reason::Unreadable => {
                Err(format!("not a WHEN; try {}", when::ACCEPTED_FORMS))
            }
            Err(e) => Err(e.to_string()),
        }
    }
}

/// A contact field's completion: asked the text typed and how many choices, it answers the
/// choices as (id, label).
type Choices = (String, usize);
type Chosen = Vec<(i64, String)>;

fn choices_worker(path: std::path::PathBuf) -> std::io::Result<Worker<Choices, Chosen>> {
    Worker::spawn("choices", path, |db, (q, limit)| {
        crate::ops::lookup::contact_choices(db, &q, limit)
    })
}

/// How long a key that needs the completion (Enter, Tab, Up, Down) waits for the one being
/// read: a search of a few words, well under this even on a large book on a server.
const SETTLE: std::time::Duration = std::time::Duration::from_secs(2);

/// A contact field that completes as it is typed, from the search index. A book in a file or
/// on a server is searched on a worker (one letter matches most of 200,000 contacts: 20 ms on
/// SQLite, 60 ms on a server), so typing never waits; the choices show when they come.
#[derive(Debug, Default)]
pub struct ContactInput {
    pub input: LineInput,
    /// (id, "Name · Company")
    pub candidates: Vec<(i64, String)>,
    pub selected: usize,
    choices: Asker<Choices, Chosen>,
}

impl ContactInput {
    pub const SHOWN: usize = 5;

    /// A field with `text` typed in and `candidates` offered (an edit's contact).
    pub fn with(text: &str, candidates: Vec<(i64, String)>) -> Self {
        ContactInput {
            input: LineInput::new(text),
            candidates,
            ..Default::default()
        }
    }

    /// Runs the completion again for the text now in the field: asks the worker, or where
    /// there is none (a book in memory) reads it here.
    pub fn refresh(&mut self, desk: &mut Desk) -> crate::error::Result<()> {
        let q = self.input.text().to_string();
        let book = desk.db.reopen_at();
        if self
            .choices
            .ask(book.as_deref(), choices_worker, (q.clone(), Self::SHOWN))
        {
            return Ok(());
        }
        self.choices.answered_here();
        let got = desk.contact_choices(&q, Self::SHOWN)?;
        self.take(got);
        Ok(())
    }

    fn take(&mut self, got: Chosen) {
        self.candidates = got
            .into_iter()
            .map(|(id, label)| (id, printable(&label)))
            .collect();
        self.selected = 0;
    }

    /// Takes the worker's answer when it has come; true when the choices changed.
    pub fn poll(&mut self) -> Result<bool, crate::error::Error> {
        let a = self.choices.answer();
        self.took(a)
    }

    /// Waits for the choices of the text typed, while they are being read: what a key that
    /// picks among them does first. Should they not come in time (a server that does not
    /// answer), the key is refused rather than picking from the choices of other text, and
    /// the UI thread does not wait on the server itself.
    pub fn settle(&mut self) -> Result<bool, crate::error::Error> {
        if !self.choices.pending() {
            return Ok(false);
        }
        match self.choices.wait(SETTLE) {
            Some(a) => self.took(Some(a)),
            None => Err(crate::error::Error::env(
                "still looking up the contacts for what was typed; try the key again",
            )),
        }
    }

    fn took(&mut self, a: Option<Result<Chosen, String>>) -> Result<bool, crate::error::Error> {
        match a {
            None => Ok(false),
            Some(Ok(got)) => {
                self.take(got);
                Ok(true)
            }
            Some(Err(e)) => {
                self.candidates.clear();
                self.selected = 0;
                Err(crate::error::Error::env(e))
            }
        }
    }

    /// The choices of the text typed are still being read.
    pub fn waiting(&self) -> bool {
        self.choices.pending()
    }

    pub fn chosen(&self) -> Option<i64> {
        self.candidates.get(self.selected).map(|(id, _)| *id)
    }

    /// Up and Down pick among the candidates; other keys edit the text. Returns whether the
    /// text changed (so the caller refreshes).
    pub fn handle(&mut self, key: &KeyEvent) -> (bool, bool) {
        match key.code {
            KeyCode::Down => {
                if self.selected + 1 < self.candidates.len() {
                    self.selected += 1;
                }
                (true, false)
            }
            KeyCode::Up => {
                self.selected = self.selected.saturating_sub(1);
                (true, false)
            }
            _ => {
                let used = self.input.handle(key);
                (used, used)
            }
        }
    }
}
