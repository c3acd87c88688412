//! `s`: the snooze menu. `1` tomorrow, `3` in three days, `w` next week, `Enter` the
//! configured default, `t` to type a WHEN whose meaning shows as it is typed.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::{Reply, View, frame_box, key_line, label_row, lines_at};
use crate::ops::Desk;
use crate::text::{printable, truncate};
use crate::tui::action::Action;
use crate::tui::keymap::{Context, Keymap};
use crate::tui::widgets::input::WhenInput;
use crate::when::{self, When};

#[derive(Debug)]
pub struct Snooze {
    pub follow_up: i64,
    pub version: i64,
    pub what: String,
    pub typing: Option<WhenInput>,
}

impl Snooze {
    pub fn new(follow_up: i64, version: i64, what: String) -> Self {
        Snooze {
            follow_up,
            version,
            what,
            typing: None,
        }
    }

    pub fn typing(&self) -> bool {
        self.typing.is_some()
    }

    pub fn handle_key(&mut self, key: &KeyEvent, keymap: &Keymap, desk: &mut Desk) -> Reply {
        let now = desk.clock.now_naive();
        if let Some(input) = &mut self.typing {
            return match keymap.lookup(key, &[Context::Form]) {
                Some(Action::Save) => match input.parse(now) {
                    Some(w) => self.save(desk, w),
                    None => Reply::Failed(crate::error::Error::input(format!(
                        "cannot read {:?} as a date; try {}",
                        input.input.text(),
                        when::ACCEPTED_FORMS
                    ))),
                },
                Some(Action::Cancel) => {
                    self.typing = None;
                    Reply::Stay
                }
                _ => {
                    input.input.handle(key);
                    Reply::Stay
                }
            };
        }
        let words = match keymap.lookup(key, &[Context::Snooze]) {
            Some(Action::Tomorrow) => "tomorrow".to_string(),
            Some(Action::ThreeDays) => "+3d".to_string(),
            Some(Action::NextWeek) => "next week".to_string(),
            Some(Action::DefaultSnooze) => desk.config.follow_up.snooze.clone(),
            Some(Action::TypeWhen) => {
                self.typing = Some(WhenInput::default());
                return Reply::Stay;
            }
            Some(Action::Cancel) => return Reply::Close,
            _ => return Reply::Stay,
        };
        // The menu's dates are salesdesk's picks: they land on a workday.
        match desk.config.pick(&words, now) {
            Ok(w) => self.save(desk, w),
            Err(e) => Reply::Failed(crate::error::Error::input(e)),
        }
    }

    fn save(&mut self, _desk: &mut Desk, w: When) -> Reply {
        let (id, version, what) = (self.follow_up, self.version, self.what.clone());
        Reply::later(
            move |desk| match desk.snooze_follow_up(id, w, Some(version)) {
                Ok(due) => Reply::Saved(format!(
                    "snoozed {what} to {}",
                    when::describe(due, desk.clock.now_naive())
                )),
                Err(e) => Reply::Failed(e),
            },
        )
    }

    pub fn paste(&mut self, text: &str) {
        if let Some(i) = &mut self.typing {
            i.input.insert_str(text);
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, v: &View) {
        let inner = frame_box(frame, area, 60, 9, "Snooze", v.theme);
        let what = truncate(&printable(&self.what), inner.width as usize);
        lines_at(frame, inner, inner.y, vec![Line::from(what)]);
        let y = inner.y + 2;
        match &self.typing {
            None => {
                let rows: Vec<Line<'static>> = [
                    (Action::Tomorrow, picked_label("tomorrow", "tomorrow", v)),
                    (Action::ThreeDays, picked_label("in three days", "+3d", v)),
                    (Action::NextWeek, picked_label("next week", "next week", v)),
                    (
                        Action::DefaultSnooze,
                        picked_label(
                            &format!("default ({})", printable(v.default_snooze)),
                            v.default_snooze,
                            v,
                        ),
                    ),
                    (Action::TypeWhen, "type a WHEN…".to_string()),
                ]
                .into_iter()
                .map(|(a, d)| {
                    Line::from(vec![
                        ratatui::text::Span::styled(
                            format!("  {:<7}", v.keymap.keys_of(Context::Snooze, a)),
                            v.theme.key(),
                        ),
                        ratatui::text::Span::raw(d),
                    ])
                })
                .collect();
                lines_at(frame, inner, y, rows);
            }
            Some(input) => {
                let field = label_row(frame, inner, y, "When", true, v.theme);
                if let Some(p) = input.input.render(field, frame.buffer_mut(), v.theme, true) {
                    frame.set_cursor_position(p);
                }
                let line = match input.preview(v.now) {
                    Ok(s) => Line::styled(s, v.theme.ok()),
                    Err(e) => Line::styled(e, v.theme.error()),
                };
                lines_at(frame, inner, y + 1, vec![line]);
                lines_at(
                    frame,
                    inner,
                    inner.y + inner.height.saturating_sub(1),
                    vec![key_line(
                        v.keymap,
                        Context::Form,
                        &[Action::Save, Action::Cancel],
                        v.theme,
                    )],
                );
            }
        }
    }
}

/// `tomorrow · Mon 7 Dec`: a menu entry with the date its key picks, after the move to a
/// workday, so the user sees where the item will land before pressing it.
pub fn picked_label(label: &str, words: &str, v: &View) -> String {
    match v.config.pick(words, v.now) {
        Ok(w) => format!("{label} · {}", w.date().format("%a %-d %b")),
        Err(_) => label.to_string(),
    }
}

impl super::Dialog for Snooze {
    fn context(&self) -> Context {
        if self.typing() {
            Context::Form
        } else {
            Context::Snooze
        }
    }

    fn hints(&self) -> (Context, &'static [Action]) {
        if self.typing() {
            return (Context::Form, &[Action::Save, Action::Cancel]);
        }
        (
            Context::Snooze,
            &[
                Action::Tomorrow,
                Action::ThreeDays,
                Action::NextWeek,
                Action::DefaultSnooze,
                Action::TypeWhen,
                Action::Cancel,
            ],
        )
    }

    fn key(&mut self, key: &KeyEvent, keymap: &Keymap, desk: &mut Desk) -> Reply {
        self.handle_key(key, keymap, desk)
    }

    fn paste(&mut self, text: &str, _desk: &mut Desk) {
        Snooze::paste(self, text);
    }

    fn draw(&self, frame: &mut Frame, area: Rect, v: &View) {
        self.render(frame, area, v);
    }
}
