//! Drawing the whole app from memory: the tab bar, the screen, the popup, the hint bar and
//! the status line; or "too small" when the terminal cannot hold them.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::text::width;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::Context;
use crate::tui::popups::{View, key_line};

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
    app.page().draw(frame, inner, &v);
    if let Some(p) = &app.popup {
        p.dialog().draw(frame, body, &v);
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
    let current = app.page().tab();
    for (name, action) in TABS {
        let key = app.keymap.keys_of(Context::Global, *action);
        let label = format!(" {key} {name} ");
        spans.push(if current == Some(*name) {
            Span::styled(label, t.selected())
        } else {
            Span::styled(label, t.dim())
        });
    }
    if let Some(crumb) = app.page().crumb() {
        spans.push(Span::styled(format!(" › {crumb} "), t.accent()));
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
    let line = match (&app.popup, app.page().field_hints()) {
        (Some(p), _) => {
            let (ctx, actions) = p.dialog().hints();
            key_line(&app.keymap, ctx, actions, &app.theme)
        }
        (None, Some(actions)) => key_line(&app.keymap, Context::Form, actions, &app.theme),
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
