//! Drawing call mode: the card of the contact on screen (why it is due, how to reach them,
//! open deals, the last notes wrapped), then the step at hand under it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::call::{CallScreen, Step};
use chrono::NaiveDateTime;

use crate::domain::deal::DealStatus;
use crate::domain::follow_up::FollowUp;
use crate::domain::money;
use crate::domain::note::NoteKind;
use crate::ops::contacts::ContactView;
use crate::text::{printable, truncate};
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::popups::View;
use crate::tui::popups::note::body_text;
use crate::tui::popups::snooze::picked_label;
use crate::tui::theme::Theme;
use crate::when;

impl CallScreen {
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
        let mut lines = vec![why_line(f, v, mid.width as usize)];
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
        let mut lines = match self.step {
            Step::Outcome => {
                let outcomes: &[(Action, &str)] = match self.kind() {
                    NoteKind::Email => &[(Action::Sent, "sent"), (Action::Replied, "replied")],
                    NoteKind::Meeting => &[(Action::Held, "held"), (Action::NoShow, "no-show")],
                    NoteKind::Call | NoteKind::Note => &[
                        (Action::Connected, "connected"),
                        (Action::Voicemail, "voicemail"),
                        (Action::NoAnswer, "no answer"),
                    ],
                };
                let mut all = outcomes.to_vec();
                all.extend([
                    (Action::Skip, "skip (untouched)"),
                    (Action::Cancel, "leave"),
                ]);
                choose(self.outcome_context(), &all)
            }
            Step::Note => return self.render_note(frame, inner, v),
            Step::Next => match &self.typing {
                None => {
                    let seq = self.sequence_label(v);
                    let mut keys: Vec<(Action, &str)> = Vec::new();
                    if let Some(l) = &seq {
                        keys.push((Action::SequenceNext, l));
                    }
                    let (tomorrow, three, week) = (
                        picked_label("tomorrow", "tomorrow", v),
                        picked_label("in 3 days", "+3d", v),
                        picked_label("next week", "next week", v),
                    );
                    keys.extend([
                        (Action::Tomorrow, tomorrow.as_str()),
                        (Action::ThreeDays, three.as_str()),
                        (Action::NextWeek, week.as_str()),
                        (Action::TypeWhen, "type a WHEN…"),
                        (Action::NoNext, "none"),
                        (Action::Cancel, "leave (nothing saved)"),
                    ]);
                    choose(Context::CallNext, &keys)
                }
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
        if self.step == Step::Next {
            lines[0] = Line::styled(
                truncate(
                    &format!("  next follow-up: {}", printable(&self.next_text_or_made())),
                    inner.width as usize,
                ),
                v.theme.dim(),
            );
        }
        frame.render_widget(
            Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: false }),
            inner,
        );
    }

    /// The next follow-up's text as it will be saved.
    fn next_text_or_made(&self) -> String {
        if self.next_text.is_empty() {
            crate::ops::notes::default_next_text(&body_text(&self.body))
        } else {
            self.next_text.text().trim().to_string()
        }
    }

    /// Step 2: the outcome chosen, the note, and under it the next follow-up's text.
    fn render_note(&self, frame: &mut Frame, inner: Rect, v: &View) {
        if inner.height < 3 {
            return;
        }
        let mut said = format!("  outcome: {}", self.outcome_word());
        if let Some(w) = self.from_note {
            said.push_str(&format!(
                " · the note's @ schedules {}: Enter saves",
                when::describe(w, v.now)
            ));
        }
        let o = Line::styled(truncate(&said, inner.width as usize), v.theme.dim());
        frame.render_widget(o, Rect { height: 1, ..inner });
        let ta_area = Rect {
            y: inner.y + 1,
            height: inner.height.saturating_sub(2),
            x: inner.x + 2,
            width: inner.width.saturating_sub(4),
        };
        let mut ta = self.body.clone();
        ta.set_cursor_style(if self.text_focus {
            Style::new()
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        });
        frame.render_widget(&ta, ta_area);
        let row = Rect {
            y: inner.y + inner.height - 1,
            height: 1,
            ..inner
        };
        let style = if self.text_focus {
            v.theme.focused()
        } else {
            v.theme.dim()
        };
        let label = "  Next step ";
        frame.render_widget(Line::styled(label, style), row);
        let field = Rect {
            x: row.x + label.len() as u16,
            width: row.width.saturating_sub(label.len() as u16 + 1),
            ..row
        };
        if self.next_text.is_empty() && !self.text_focus {
            let made = crate::ops::notes::default_next_text(&body_text(&self.body));
            frame.render_widget(
                Line::styled(
                    truncate(
                        &format!("{made} (from the note; Tab edits)"),
                        field.width as usize,
                    ),
                    v.theme.dim(),
                ),
                field,
            );
        } else if let Some(p) =
            self.next_text
                .render(field, frame.buffer_mut(), v.theme, self.text_focus)
        {
            frame.set_cursor_position(p);
        }
    }
}

fn why_line(f: &FollowUp, v: &View, w: usize) -> Line<'static> {
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
    let s = truncate(&printable(&s), w);
    Line::styled(s, style)
}

/// The contact's card as lines: call mode's card.
/// `compact` leaves out the blank lines and the follow-ups.
pub fn detail_lines(
    v: &ContactView,
    theme: &Theme,
    now: NaiveDateTime,
    w: usize,
    notes: usize,
    compact: bool,
) -> Vec<Line<'static>> {
    let c = &v.contact;
    let t = |s: &str| truncate(&printable(s), w.saturating_sub(2));
    let mut lines = Vec::new();
    let mut head = vec![Span::styled(t(&c.name), theme.header())];
    if let Some(co) = &c.company {
        head.push(Span::raw(format!(" · {}", t(co))));
    }
    if let Some(title) = &c.title {
        head.push(Span::styled(format!(" · {}", t(title)), theme.dim()));
    }
    lines.push(Line::from(head));
    let mut facts = vec![c.status.to_string()];
    if let Some(temp) = c.temperature {
        facts.push(temp.to_string());
    }
    if let Some(d) = c.cadence_days {
        facts.push(format!("every {d}d"));
    }
    if !c.tags.is_empty() {
        facts.push(format!("#{}", c.tags.join(" #")));
    }
    lines.push(Line::styled(t(&facts.join(" · ")), theme.dim()));
    for p in &c.phones {
        lines.push(Line::from(format!("  ☎ {}", t(p))));
    }
    for e in &c.emails {
        lines.push(Line::from(format!("  ✉ {}", t(e))));
    }
    let open: Vec<_> = v
        .deals
        .iter()
        .filter(|d| d.status == DealStatus::Open)
        .collect();
    let gap = |lines: &mut Vec<Line<'static>>| {
        if !compact {
            lines.push(Line::from(""));
        }
    };
    gap(&mut lines);
    lines.push(Line::styled(
        format!("OPEN DEALS ({})", open.len()),
        theme.header(),
    ));
    for d in open {
        lines.push(Line::from(t(&format!(
            "  #{} {} · {} · {}",
            d.id,
            d.title,
            d.stage,
            money::format(d.value_cents, &d.currency)
        ))));
    }
    if !compact {
        lines.push(Line::from(""));
        lines.push(Line::styled(
            format!("FOLLOW-UPS ({})", v.follow_ups.len()),
            theme.header(),
        ));
    }
    for f in v.follow_ups.iter().filter(|_| !compact) {
        lines.push(crate::tui::screens::follow_up_line(f, now, theme, w));
    }
    gap(&mut lines);
    lines.push(Line::styled(
        format!("NOTES ({})", v.notes.len()),
        theme.header(),
    ));
    for n in v.notes.iter().take(notes) {
        let when = n.created_at.naive_local();
        let mut head = format!(
            "  {} · {}",
            when::relative(when::When::At(when), now),
            n.kind
        );
        if let Some(o) = n.outcome {
            head.push_str(&format!(" · {o}"));
        }
        lines.push(Line::styled(head, theme.dim()));
        // Wrapped between words, not cut mid-word: a call is prepared from these.
        let room = w.saturating_sub(6).max(8);
        let mut body: Vec<String> = n
            .body
            .lines()
            .flat_map(|l| crate::text::wrap(&printable(l), room))
            .collect();
        if body.len() > 4 {
            let rest = body[3..].join(" ");
            body.truncate(3);
            body.push(truncate(&rest, room));
        }
        for l in body {
            lines.push(Line::from(format!("    {l}")));
        }
    }
    lines
}
