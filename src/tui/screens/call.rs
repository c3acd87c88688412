//! Call mode (`F`): the due list one contact at a time. Outcome, then note, then next step;
//! nothing is saved before the last step, then everything is saved in one transaction.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui_textarea::TextArea;

use crate::domain::note::{NoteKind, Outcome};
use crate::error::Result;
use crate::ops::Desk;
use crate::ops::contacts::ContactView;
use crate::ops::notes::NoteInput;
use crate::storage::follow_ups::{self, FollowUp};
use crate::text::{printable, truncate};
use crate::tui::action::Action;
use crate::tui::keymap::{Context, Keymap};
use crate::tui::popups::note::{body_text, note_area, set_text};
use crate::tui::popups::{Reply, View};
use crate::tui::screens::contact::detail_lines;
use crate::tui::widgets::input::WhenInput;
use crate::when::{self, When};

const PLACEHOLDER: &str = "What was said? (Enter goes on)";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Outcome,
    Note,
    Next,
}

#[derive(Debug)]
pub struct CallScreen {
    /// The due follow-ups, one per contact, oldest first; the first is on screen.
    pub queue: Vec<FollowUp>,
    pub skipped: Vec<i64>,
    pub view: Option<ContactView>,
    pub step: Step,
    pub outcome: Outcome,
    pub body: TextArea<'static>,
    pub typing: Option<WhenInput>,
    pub done_today: i64,
    pub logged: usize,
}

impl CallScreen {
    pub fn open(desk: &mut Desk) -> Result<Self> {
        let mut s = CallScreen {
            queue: Vec::new(),
            skipped: Vec::new(),
            view: None,
            step: Step::Outcome,
            outcome: Outcome::Connected,
            body: note_area(PLACEHOLDER),
            typing: None,
            done_today: 0,
            logged: 0,
        };
        s.load(desk)?;
        Ok(s)
    }

    pub fn current(&self) -> Option<&FollowUp> {
        self.queue.first()
    }

    /// Reads the due list again; the contact on screen stays while its follow-up is due.
    pub fn load(&mut self, desk: &mut Desk) -> Result<()> {
        let (now, today) = (desk.clock.now_naive(), desk.clock.today());
        let due = desk.db.read(|c| {
            let limit = crate::tui::screens::today::GROUP_LIMIT;
            Ok(follow_ups::due_page(c, None, today, limit, now)?.0)
        })?;
        let mut queue: Vec<FollowUp> = Vec::new();
        for f in due {
            if !self.skipped.contains(&f.contact_id)
                && !queue.iter().any(|q| q.contact_id == f.contact_id)
            {
                queue.push(f);
            }
        }
        let before = self.current().map(|f| f.id);
        if let Some(pos) = before.and_then(|id| queue.iter().position(|f| f.id == id)) {
            let keep = queue.remove(pos);
            queue.insert(0, keep);
        } else {
            self.reset();
        }
        self.queue = queue;
        self.view = match self.current() {
            Some(f) => Some(desk.contact_view(f.contact_id, 3)?),
            None => None,
        };
        self.done_today = desk.db.read(|c| follow_ups::done_on(c, today))?;
        Ok(())
    }

    fn reset(&mut self) {
        self.step = Step::Outcome;
        self.outcome = Outcome::Connected;
        self.body = note_area(PLACEHOLDER);
        self.typing = None;
    }

    pub fn context(&self) -> Context {
        match (self.step, &self.typing) {
            (Step::Outcome, _) => Context::CallOutcome,
            (Step::Next, None) => Context::CallNext,
            _ => Context::Form,
        }
    }

    pub fn typing_text(&self) -> bool {
        self.step == Step::Note || self.typing.is_some()
    }

    pub fn set_body(&mut self, text: &str) {
        set_text(&mut self.body, text, PLACEHOLDER);
    }

    pub fn paste(&mut self, text: &str) {
        if let Some(t) = &mut self.typing {
            t.input.insert_str(text);
        } else if self.step == Step::Note {
            self.body.insert_str(text);
        }
    }

    /// `None` when the key means nothing here (the app then tries the global keys).
    pub fn handle_key(
        &mut self,
        key: &KeyEvent,
        keymap: &Keymap,
        desk: &mut Desk,
    ) -> Option<Reply> {
        if self.current().is_none() {
            return match keymap.lookup(key, &[Context::CallOutcome]) {
                Some(Action::Cancel) => Some(Reply::Close),
                _ => None,
            };
        }
        let discard = || {
            if self.body.is_empty() {
                Reply::Close
            } else {
                Reply::Discard("Leave call mode? The note typed here is not saved. y/n")
            }
        };
        match self.step {
            Step::Outcome => {
                let outcome = match keymap.lookup(key, &[Context::CallOutcome])? {
                    Action::Connected => Outcome::Connected,
                    Action::Voicemail => Outcome::Voicemail,
                    Action::NoAnswer => Outcome::NoAnswer,
                    Action::Skip => {
                        let name = self
                            .current()
                            .map(|f| f.contact_name.clone())
                            .unwrap_or_default();
                        if let Some(f) = self.current() {
                            self.skipped.push(f.contact_id);
                        }
                        self.reset();
                        return Some(match self.load(desk) {
                            Ok(()) => Reply::Saved(format!("skipped {name}")),
                            Err(e) => Reply::Failed(e),
                        });
                    }
                    Action::Cancel => return Some(Reply::Close),
                    _ => return None,
                };
                self.outcome = outcome;
                self.step = Step::Note;
                Some(Reply::Stay)
            }
            Step::Note => Some(match keymap.lookup(key, &[Context::Form]) {
                Some(Action::Save) => {
                    self.step = Step::Next;
                    Reply::Stay
                }
                Some(Action::Cancel) => discard(),
                Some(Action::NewLine) => {
                    self.body.insert_newline();
                    Reply::Stay
                }
                Some(Action::Editor) => Reply::Editor(body_text(&self.body)),
                _ => {
                    self.body.input(*key);
                    Reply::Stay
                }
            }),
            Step::Next => {
                let now = desk.clock.now_naive();
                if let Some(t) = &mut self.typing {
                    return Some(match keymap.lookup(key, &[Context::Form]) {
                        Some(Action::Save) => match t.parse(now) {
                            Some(w) => self.save(desk, Some(w)),
                            None => Reply::Failed(crate::error::Error::input(format!(
                                "cannot read {:?} as a date; try {}",
                                t.input.text(),
                                when::ACCEPTED_FORMS
                            ))),
                        },
                        Some(Action::Cancel) => {
                            self.typing = None;
                            Reply::Stay
                        }
                        _ => {
                            t.input.handle(key);
                            Reply::Stay
                        }
                    });
                }
                let words = match keymap.lookup(key, &[Context::CallNext])? {
                    Action::Tomorrow => "tomorrow",
                    Action::ThreeDays => "+3d",
                    Action::NextWeek => "next week",
                    Action::NoNext => return Some(self.save(desk, None)),
                    Action::TypeWhen => {
                        self.typing = Some(WhenInput::default());
                        return Some(Reply::Stay);
                    }
                    Action::Cancel => return Some(discard()),
                    _ => return None,
                };
                Some(match desk.when(words) {
                    Ok(w) => self.save(desk, Some(w)),
                    Err(e) => Reply::Failed(e),
                })
            }
        }
    }

    /// The last step: note, outcome, the due follow-up done and the next one, in one go.
    fn save(&mut self, desk: &mut Desk, next: Option<When>) -> Reply {
        let Some(f) = self.current().cloned() else {
            return Reply::Stay;
        };
        let mut body = body_text(&self.body);
        if body.trim().is_empty() {
            body = format!("Call: {}", self.outcome);
        }
        let mut input = NoteInput::new(f.contact_id, body);
        input.kind = NoteKind::Call;
        input.outcome = Some(self.outcome);
        input.deal_id = f.deal_id;
        input.done = Some(f.id);
        input.next = next;
        match desk.log_note(&input) {
            Ok(saved) => {
                self.logged += 1;
                self.reset();
                let mut msg = format!("call with {} saved", f.contact_name);
                for e in saved.effects {
                    msg.push_str("; ");
                    msg.push_str(&e);
                }
                // The completed follow-up has left the list: the next contact comes up.
                self.queue.retain(|q| q.id != f.id);
                match self.load(desk) {
                    Ok(()) => Reply::Saved(msg),
                    Err(e) => Reply::Failed(e),
                }
            }
            Err(e) => Reply::Failed(e),
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, v: &View) {
        let left = self.queue.len();
        let header = Line::from(vec![
            Span::styled("CALL MODE", v.theme.header()),
            Span::raw(format!("  {left} left · {} done today", self.done_today)),
            Span::styled(
                if self.logged > 0 {
                    format!(" · {} logged now", self.logged)
                } else {
                    String::new()
                },
                v.theme.dim(),
            ),
        ]);
        let [top, mid, bottom] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(3),
            Constraint::Length(6),
        ])
        .areas(area);
        frame.render_widget(header, top);
        let (Some(f), Some(view)) = (self.current(), &self.view) else {
            let done = vec![
                Line::from(""),
                Line::styled("  Nothing left to call.", v.theme.header()),
                Line::from(format!(
                    "  {} logged in this session.",
                    crate::text::plural(self.logged, "call")
                )),
                Line::from(format!(
                    "  {} goes back to Today.",
                    v.keymap.keys_of(Context::CallOutcome, Action::Cancel)
                )),
            ];
            frame.render_widget(Paragraph::new(done), mid);
            return;
        };
        let mut lines = vec![why_line(f, v)];
        lines.extend(detail_lines(
            view,
            v.theme,
            v.now,
            mid.width as usize,
            3,
            true,
        ));
        // The steps sit right under the card, not at the foot of a tall terminal.
        let used = (lines.len() as u16 + 1).min(mid.height);
        frame.render_widget(Paragraph::new(lines), mid);
        let bottom = Rect {
            y: mid.y + used,
            ..bottom
        };
        self.render_step(frame, bottom, v);
    }

    fn render_step(&self, frame: &mut Frame, area: Rect, v: &View) {
        let (n, title) = match self.step {
            Step::Outcome => (1, "How did it go?"),
            Step::Note => (2, "Note"),
            Step::Next => (3, "Next step"),
        };
        let block = Block::default()
            .borders(Borders::TOP)
            .border_style(v.theme.accent())
            .title(Line::styled(
                format!(" Step {n}/3 · {title} "),
                v.theme.header(),
            ));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let choose = |ctx, actions: &[(Action, &str)]| -> Vec<Line<'static>> {
            let mut spans = Vec::new();
            for (a, d) in actions {
                spans.push(Span::styled(
                    format!("  {} ", v.keymap.keys_of(ctx, *a)),
                    v.theme.key(),
                ));
                spans.push(Span::raw(format!("{d} ")));
            }
            vec![Line::from(""), Line::from(spans)]
        };
        let lines = match self.step {
            Step::Outcome => choose(
                Context::CallOutcome,
                &[
                    (Action::Connected, "connected"),
                    (Action::Voicemail, "voicemail"),
                    (Action::NoAnswer, "no answer"),
                    (Action::Skip, "skip (untouched)"),
                    (Action::Cancel, "leave"),
                ],
            ),
            Step::Note => {
                if inner.height < 3 {
                    return;
                }
                let o = Line::styled(format!("  outcome: {}", self.outcome), v.theme.dim());
                frame.render_widget(o, Rect { height: 1, ..inner });
                let ta_area = Rect {
                    y: inner.y + 1,
                    height: inner.height.saturating_sub(1),
                    x: inner.x + 2,
                    width: inner.width.saturating_sub(4),
                };
                let mut ta = self.body.clone();
                ta.set_cursor_style(Style::new().add_modifier(Modifier::REVERSED));
                frame.render_widget(&ta, ta_area);
                return;
            }
            Step::Next => match &self.typing {
                None => choose(
                    Context::CallNext,
                    &[
                        (Action::Tomorrow, "tomorrow"),
                        (Action::ThreeDays, "in 3 days"),
                        (Action::NextWeek, "next week"),
                        (Action::TypeWhen, "type a WHEN…"),
                        (Action::NoNext, "none"),
                        (Action::Cancel, "leave (nothing saved)"),
                    ],
                ),
                Some(t) => {
                    let row = Rect { height: 1, ..inner };
                    frame.render_widget(Line::styled("  When:", v.theme.focused()), row);
                    let field = Rect {
                        x: inner.x + 9,
                        width: inner.width.saturating_sub(10),
                        ..row
                    };
                    if let Some(p) = t.input.render(field, frame.buffer_mut(), v.theme, true) {
                        frame.set_cursor_position(p);
                    }
                    let preview = match t.preview(v.now) {
                        Ok(s) => Line::styled(format!("         {s}"), v.theme.ok()),
                        Err(e) => Line::styled(format!("         {e}"), v.theme.error()),
                    };
                    if inner.height > 1 {
                        frame.render_widget(
                            preview,
                            Rect {
                                y: row.y + 1,
                                ..row
                            },
                        );
                    }
                    return;
                }
            },
        };
        frame.render_widget(
            Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: false }),
            inner,
        );
    }

    /// The keys the hint bar shows while a field has the keys.
    pub fn field_hints(&self) -> &'static [Action] {
        if self.typing.is_some() {
            &[Action::Save, Action::Cancel]
        } else {
            &[
                Action::Save,
                Action::NewLine,
                Action::Editor,
                Action::Cancel,
            ]
        }
    }
}

fn why_line(f: &FollowUp, v: &View) -> Line<'static> {
    let (word, style) = if f.due.date() < v.now.date() {
        ("overdue", v.theme.overdue())
    } else {
        ("due", v.theme.today())
    };
    let mut s = format!(
        "{word} {} · {} · {}",
        when::relative(f.due, v.now),
        f.kind,
        f.text
    );
    if let Some(d) = &f.deal_title {
        s.push_str(&format!(" · deal {d}"));
    }
    let s = truncate(&printable(&s), 200);
    Line::styled(s, style)
}
