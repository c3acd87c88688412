//! Drawing the whole app from memory: the tab bar, the screen, the popup, the hint bar and
//! the status line; or "too small" when the terminal cannot hold them.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::text::{printable, width};
use crate::tui::action::Action;
use crate::tui::app::{App, Screen};
use crate::tui::keymap::Context;
use crate::tui::popups::{Popup, View, key_line};

pub const MIN_WIDTH: u16 = 50;
pub const MIN_HEIGHT: u16 = 16;

/// The screens in the tab bar, with the key that opens them. Pipeline, Contacts and Reports
/// join this list as they are built.
pub const TABS: &[(&str, Action)] = &[
    ("Today", Action::TabToday),
    ("Pipeline", Action::TabPipeline),
    ("Contacts", Action::TabContacts),
    ("Reports", Action::TabReports),
];

pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let quit = app.keymap.keys_of(Context::Global, Action::Quit);
        let msg = format!(
            "Terminal too small: {}×{}; salesdesk needs {MIN_WIDTH}×{MIN_HEIGHT}. {quit} quits.",
            area.width, area.height
        );
        frame.render_widget(Paragraph::new(msg).wrap(Wrap { trim: true }), area);
        return;
    }
    let [tabs, body, hints, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let now = app.desk.clock.now_naive();
    let v = View {
        theme: &app.theme,
        keymap: &app.keymap,
        now,
        default_snooze: &app.desk.config.follow_up.snooze,
        config: &app.desk.config,
    };
    tab_bar(app, frame, tabs);
    let inner = Rect {
        x: body.x + 1,
        width: body.width.saturating_sub(2),
        ..body
    };
    match &app.screen {
        Screen::Today => app
            .today
            .render(inner, frame.buffer_mut(), &app.theme, &app.keymap, now),
        Screen::Contact(c) => c.render(inner, frame.buffer_mut(), &app.theme, now),
        Screen::Call(c) => c.render(frame, inner, &v),
        Screen::Contacts => app
            .contacts
            .render(inner, frame.buffer_mut(), &app.theme, now),
        Screen::Company(c) => c.render(inner, frame.buffer_mut(), &app.theme, now),
        Screen::Pipeline(p) => {
            crate::tui::widgets::board::render(p, frame, inner, &app.theme, &app.keymap, now)
        }
        Screen::Deal(d) => d.render(inner, frame.buffer_mut(), &app.theme, now),
        Screen::Reports(r) => r.render(inner, frame.buffer_mut(), &app.theme),
    }
    if let Some(p) = &app.popup {
        p.render(frame, body, &v);
    }
    if crate::tui::widgets::status::needs_two_rows(app, status.width) {
        let both = Rect { height: 2, ..hints };
        crate::tui::widgets::status::render(app, frame, both);
    } else {
        hint_bar(app, frame, hints);
        crate::tui::widgets::status::render(app, frame, status);
    }
}

fn tab_bar(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let mut spans = vec![Span::styled(" salesdesk ", t.header())];
    let current = match app.screen {
        Screen::Today => Some("Today"),
        Screen::Contacts => Some("Contacts"),
        Screen::Pipeline(_) | Screen::Deal(_) => Some("Pipeline"),
        Screen::Reports(_) => Some("Reports"),
        _ => None,
    };
    for (name, action) in TABS {
        let key = app.keymap.keys_of(Context::Global, *action);
        let label = format!(" {key} {name} ");
        spans.push(if current == Some(*name) {
            Span::styled(label, t.selected())
        } else {
            Span::styled(label, t.dim())
        });
    }
    match &app.screen {
        Screen::Contact(c) => spans.push(Span::styled(
            format!(" › {} ", printable(&c.view.contact.name)),
            t.accent(),
        )),
        Screen::Call(_) => spans.push(Span::styled(" › Call mode ".to_string(), t.accent())),
        Screen::Company(c) => spans.push(Span::styled(
            format!(" › {} ", printable(&c.view.company.name)),
            t.accent(),
        )),
        Screen::Deal(d) => spans.push(Span::styled(
            format!(" › {} ", printable(&d.deal.title)),
            t.accent(),
        )),
        Screen::Today | Screen::Contacts | Screen::Pipeline(_) | Screen::Reports(_) => {}
    }
    let d = &app.today.data;
    let [overdue, today, _] = app.today.totals;
    let counts = format!(
        "{overdue} overdue · {today} today · {} reconnect ",
        d.reconnect.len()
    );
    let used: usize = spans.iter().map(|s| width(&s.content)).sum();
    let room = (area.width as usize).saturating_sub(used);
    if !app.today.empty && room > width(&counts) {
        spans.push(Span::raw(" ".repeat(room - width(&counts))));
        let style = if overdue == 0 { t.dim() } else { t.overdue() };
        spans.push(Span::styled(counts, style));
    }
    frame.render_widget(Line::from(spans), area);
}

fn hint_bar(app: &App, frame: &mut Frame, area: Rect) {
    let line = match (&app.popup, &app.screen) {
        (Some(p), _) => {
            let (ctx, actions) = popup_hints(p);
            key_line(&app.keymap, ctx, actions, &app.theme)
        }
        (None, Screen::Call(c)) if c.typing_text() => {
            key_line(&app.keymap, Context::Form, c.field_hints(), &app.theme)
        }
        (None, _) => {
            let t = &app.theme;
            let hints = app.keymap.hints(&app.contexts());
            let piece = |k: &str, h: &str| width(k) + width(h) + 3;
            // The help key always shows, even when the rest must be cut.
            let help = hints.iter().position(|(_, h)| *h == "help");
            let reserve = help.map_or(0, |i| piece(&hints[i].0, hints[i].1));
            let mut spans = Vec::new();
            let mut used = 0;
            for (i, (k, h)) in hints.iter().enumerate() {
                let w = piece(k, h);
                let room = if Some(i) < help || help.is_none() {
                    area.width as usize - reserve
                } else {
                    area.width as usize
                };
                if Some(i) != help && used + w > room {
                    continue;
                }
                used += w;
                spans.push(Span::styled(k.clone(), t.key()));
                spans.push(Span::styled(format!(" {h}  "), t.dim()));
            }
            Line::from(spans)
        }
    };
    frame.render_widget(line, area);
}

fn popup_hints(p: &Popup) -> (Context, &'static [Action]) {
    match p {
        Popup::Help(_) => (Context::Help, &[Action::Down, Action::Cancel]),
        Popup::Snooze(s) if !s.typing() => (
            Context::Snooze,
            &[
                Action::Tomorrow,
                Action::ThreeDays,
                Action::NextWeek,
                Action::DefaultSnooze,
                Action::TypeWhen,
                Action::Cancel,
            ],
        ),
        Popup::Confirm(_) => (Context::Confirm, &[Action::Yes, Action::No]),
        Popup::Snooze(_) => (Context::Form, &[Action::Save, Action::Cancel]),
        Popup::Search(_) => (
            Context::Search,
            &[Action::Open, Action::Down, Action::Up, Action::Cancel],
        ),
        Popup::NoteEdit(_) => (
            Context::Form,
            &[
                Action::Save,
                Action::NewLine,
                Action::Editor,
                Action::Cancel,
            ],
        ),
        Popup::Merge(_) | Popup::Purge(_) => (Context::Form, &[Action::Save, Action::Cancel]),
        Popup::Note(_) | Popup::Call(_) => (
            Context::Form,
            &[
                Action::Save,
                Action::NextField,
                Action::NewLine,
                Action::Editor,
                Action::Cancel,
            ],
        ),
        _ => (
            Context::Form,
            &[Action::Save, Action::NextField, Action::Cancel],
        ),
    }
}
