//! `Ctrl-f`: one search over contacts, companies, deals and notes, results as you type with
//! the matching words highlighted; `Enter` opens the item. The ranking is `salesdesk search`'s
//! (the same function). On a book in a file the query runs on a worker thread with its own
//! connection; an in-memory book (tests) answers at once.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::{Reply, View, frame_box, key_line, lines_at};
use crate::domain::search::{Hit, HitKind};
use crate::error::Error;
use crate::ops::Desk;
use crate::ops::lookup::query_words;
use crate::text::{fold, printable, truncate, width};
use crate::tui::action::Action;
use crate::tui::keymap::{Context, Keymap};
use crate::tui::nav::Target;
use crate::tui::theme::Theme;
use crate::tui::widgets::input::LineInput;

pub const LIMIT: usize = 50;

#[derive(Debug, Default)]
pub struct SearchPopup {
    pub input: LineInput,
    pub hits: Vec<Hit>,
    /// The query the hits answer.
    pub answered: String,
    pub selected: usize,
    pub error: Option<String>,
    seq: u64,
    shown_seq: u64,
    worker: Option<SearchWorker>,
    /// Enter came while the answer to what was typed last was still on its way: the hits on
    /// screen answer an earlier query, so the first hit of the new answer is opened instead.
    open_when_answered: bool,
}

impl SearchPopup {
    /// On a file or a server, a worker thread with its own connection; in memory, inline.
    pub fn new(desk: &Desk) -> Self {
        let worker = desk.db.reopen_at().and_then(|p| search_worker(p).ok());
        SearchPopup {
            worker,
            ..Default::default()
        }
    }

    /// A query has been sent and its answer has not come back.
    pub fn waiting(&self) -> bool {
        self.worker.is_some() && self.seq != self.shown_seq
    }

    fn query_changed(&mut self, desk: &mut Desk) {
        self.seq += 1;
        self.open_when_answered = false;
        let q = self.input.text().to_string();
        if query_words(&q).is_empty() {
            self.hits.clear();
            self.answered = q;
            self.shown_seq = self.seq;
            self.error = None;
            return;
        }
        match &self.worker {
            Some(w) if w.ask(self.seq, (q.clone(), LIMIT)) => {}
            _ => {
                let out = desk.search(&q, LIMIT).map_err(|e| e.to_string());
                self.take((self.seq, out), q);
            }
        }
    }

    fn take(&mut self, (seq, out): Answer, q: String) {
        if seq < self.shown_seq {
            return;
        }
        self.shown_seq = seq;
        match out {
            Ok(h) => {
                self.hits = h;
                self.error = None;
            }
            Err(e) => self.error = Some(e),
        }
        self.answered = q;
        self.selected = 0;
    }

    /// Picks up what the worker answered (called on every turn of the loop); opens the first
    /// hit when Enter was waiting for this answer.
    pub fn poll(&mut self) -> Reply {
        let answers = match &self.worker {
            Some(w) => w.answers(),
            None => return Reply::Stay,
        };
        for a in answers {
            let q = self.input.text().to_string();
            self.take(a, q);
        }
        if self.open_when_answered && !self.waiting() {
            self.open_when_answered = false;
            return self.open();
        }
        Reply::Stay
    }

    fn open(&self) -> Reply {
        match self.target() {
            Some(t) => Reply::Go(t, None),
            None => Reply::Failed(Error::input(
                "nothing to open: type a few letters of a name, a company or a note",
            )),
        }
    }

    pub fn paste(&mut self, text: &str, desk: &mut Desk) {
        self.input.insert_str(text);
        self.query_changed(desk);
    }

    pub fn target(&self) -> Option<Target> {
        let h = self.hits.get(self.selected)?;
        Some(match h.kind {
            HitKind::Contact => Target::Contact(h.id),
            HitKind::Company => Target::Company(h.id),
            HitKind::Deal => Target::Deal {
                contact_id: h.contact_id?,
                deal_id: h.id,
            },
            HitKind::Note => Target::Note {
                contact_id: h.contact_id?,
                note_id: h.id,
            },
        })
    }

    pub fn handle_key(&mut self, key: &KeyEvent, keymap: &Keymap, desk: &mut Desk) -> Reply {
        match keymap.lookup(key, &[Context::Search]) {
            Some(Action::Open) if self.waiting() => {
                self.open_when_answered = true;
                Reply::Stay
            }
            Some(Action::Open) => self.open(),
            Some(Action::Cancel) => Reply::Close,
            Some(Action::Down) => {
                if self.selected + 1 < self.hits.len() {
                    self.selected += 1;
                }
                Reply::Stay
            }
            Some(Action::Up) => {
                self.selected = self.selected.saturating_sub(1);
                Reply::Stay
            }
            _ => {
                let before = self.input.text().to_string();
                if !matches!(key.code, KeyCode::Up | KeyCode::Down)
                    && self.input.handle(key)
                    && self.input.text() != before
                {
                    self.query_changed(desk);
                }
                Reply::Stay
            }
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, v: &View) {
        let w = area.width.saturating_sub(4).min(110);
        let h = area.height.saturating_sub(2).min(30);
        let inner = frame_box(frame, area, w, h, "Search everything", v.theme);
        if inner.height < 3 {
            return;
        }
        let field = Rect { height: 1, ..inner };
        frame.render_widget(Span::styled("› ", v.theme.key()), field);
        let input_area = Rect {
            x: field.x + 2,
            width: field.width.saturating_sub(2),
            ..field
        };
        if let Some(p) = self
            .input
            .render(input_area, frame.buffer_mut(), v.theme, true)
        {
            frame.set_cursor_position(p);
        }
        let iw = inner.width as usize;
        let words = query_words(self.input.text());
        let mut lines: Vec<Line<'static>> = Vec::new();
        let status = if let Some(e) = &self.error {
            Line::styled(truncate(&format!("✗ {e}"), iw), v.theme.error())
        } else if words.is_empty() {
            Line::styled(
                truncate(
                    "contacts, companies, deals and notes; prefixes and accents: jose acm finds José at Acme",
                    iw,
                ),
                v.theme.dim(),
            )
        } else if self.waiting() && self.answered != self.input.text() {
            Line::styled("searching…", v.theme.dim())
        } else if self.hits.is_empty() {
            Line::styled(
                truncate(
                    &format!("nothing matches “{}”", printable(self.input.text())),
                    iw,
                ),
                v.theme.dim(),
            )
        } else {
            Line::styled(
                format!(
                    "{} result{}{}",
                    self.hits.len(),
                    if self.hits.len() == 1 { "" } else { "s" },
                    if self.hits.len() >= LIMIT {
                        " (best first)"
                    } else {
                        ""
                    }
                ),
                v.theme.dim(),
            )
        };
        lines.push(status);
        let room = inner.height.saturating_sub(3) as usize / 2;
        let first = self.selected.saturating_sub(room.saturating_sub(1));
        for (i, hit) in self.hits.iter().enumerate().skip(first).take(room) {
            let sel = i == self.selected;
            let base = if sel {
                v.theme.selected()
            } else {
                Style::new()
            };
            let kind = match hit.kind {
                HitKind::Contact => "contact",
                HitKind::Company => "company",
                HitKind::Deal => "deal   ",
                HitKind::Note => "note   ",
            };
            let mut spans = vec![Span::styled(
                format!("{} {kind} ", if sel { "▶" } else { " " }),
                if sel { base } else { v.theme.dim() },
            )];
            spans.extend(highlight(
                &truncate(&printable(&hit.title), iw.saturating_sub(11)),
                &words,
                base,
                v.theme,
            ));
            lines.push(fill(Line::from(spans), iw, base));
            let mut snip = vec![Span::styled("           ", base)];
            let sbase = if sel { base } else { v.theme.dim() };
            snip.extend(highlight(
                &truncate(&printable(&hit.snippet), iw.saturating_sub(11)),
                &words,
                sbase,
                v.theme,
            ));
            lines.push(fill(Line::from(snip), iw, base));
        }
        lines_at(frame, inner, inner.y + 1, lines);
        let bottom = inner.y + inner.height.saturating_sub(1);
        lines_at(
            frame,
            inner,
            bottom,
            vec![key_line(
                v.keymap,
                Context::Search,
                &[Action::Open, Action::Down, Action::Cancel],
                v.theme,
            )],
        );
    }
}

fn fill(mut line: Line<'static>, w: usize, style: Style) -> Line<'static> {
    let used: usize = line.spans.iter().map(|s| width(&s.content)).sum();
    if used < w {
        line.spans.push(Span::styled(" ".repeat(w - used), style));
    }
    line
}

/// Splits `text` into spans, the words the query matched (a folded word starting with a
/// query word, or holding one of three letters or more) marked.
pub fn highlight(text: &str, words: &[String], base: Style, theme: &Theme) -> Vec<Span<'static>> {
    let mark = base
        .patch(theme.accent())
        .add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
    let mut out: Vec<Span<'static>> = Vec::new();
    let mut buf = String::new();
    let mut token = String::new();
    let flush_token = |token: &mut String, buf: &mut String, out: &mut Vec<Span<'static>>| {
        if token.is_empty() {
            return;
        }
        let f = fold(token);
        let hit = words.iter().any(|w| {
            f.starts_with(w.as_str()) || (w.chars().count() >= 3 && f.contains(w.as_str()))
        });
        if hit {
            if !buf.is_empty() {
                out.push(Span::styled(std::mem::take(buf), base));
            }
            out.push(Span::styled(std::mem::take(token), mark));
        } else {
            buf.push_str(token);
            token.clear();
        }
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            token.push(c);
        } else {
            flush_token(&mut token, &mut buf, &mut out);
            buf.push(c);
        }
    }
    flush_token(&mut token, &mut buf, &mut out);
    if !buf.is_empty() {
        out.push(Span::styled(buf, base));
    }
    out
}

pub type Answer = crate::tui::worker::Reply<Vec<Hit>>;

/// Search as you type (`Ctrl-f`): the query and how many hits.
pub type SearchWorker = crate::tui::worker::Worker<(String, usize), Vec<Hit>>;

pub fn search_worker(path: std::path::PathBuf) -> std::io::Result<SearchWorker> {
    crate::tui::worker::Worker::spawn("search", path, |db, (q, limit)| {
        crate::ops::lookup::search(db, &q, limit)
    })
}

impl super::Dialog for SearchPopup {
    fn context(&self) -> Context {
        Context::Search
    }

    fn hints(&self) -> (Context, &'static [Action]) {
        (
            Context::Search,
            &[Action::Open, Action::Down, Action::Up, Action::Cancel],
        )
    }

    fn key(&mut self, key: &KeyEvent, keymap: &Keymap, desk: &mut Desk) -> Reply {
        self.handle_key(key, keymap, desk)
    }

    fn paste(&mut self, text: &str, desk: &mut Desk) {
        SearchPopup::paste(self, text, desk);
    }

    fn draw(&self, frame: &mut Frame, area: Rect, v: &View) {
        self.render(frame, area, v);
    }

    fn poll(&mut self) -> Reply {
        SearchPopup::poll(self)
    }

    fn waiting(&self) -> bool {
        SearchPopup::waiting(self)
    }
}
