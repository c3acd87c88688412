//! Drawing the pipeline board from memory: a summary line, then the columns side by side,
//! each with its header (count, total, weighted, other currencies apart) and its cards. Each
//! column scrolls on its own; the board scrolls sideways when the columns do not fit.

use chrono::NaiveDateTime;
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::domain::deal::DealStatus;
use crate::domain::money;
use crate::text::{pad, printable, truncate, width};
use crate::tui::action::Action;
use crate::tui::keymap::{Context, Keymap};
use crate::tui::screens::pipeline::{BoardDeal, Column, PipelineScreen};
use crate::tui::theme::Theme;
use crate::when;

/// Rows a card takes: title and value; contact and company; days in stage and next step; marks.
pub const CARD_H: u16 = 4;
/// Rows a column header takes: name and count; total and weighted; other currencies; a rule.
pub const HEAD_H: u16 = 4;
/// The narrowest a column gets before the board scrolls sideways (four fit in 80 columns).
pub const MIN_COL: u16 = 19;
pub const MAX_COL: u16 = 46;
/// With the won and lost columns shown (`C`) columns narrow further, so the two it adds fit
/// beside the open stages in 80 columns rather than off the edge.
pub const MIN_COL_CLOSED: u16 = 13;
/// From this width a card shows whole amounts and longer words.
const WIDE_CARD: usize = 28;

pub fn render(
    p: &PipelineScreen,
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    keymap: &Keymap,
    now: NaiveDateTime,
) {
    if area.height < 2 || area.width < 10 {
        return;
    }
    if p.pending() && p.columns.is_empty() {
        Paragraph::new(Line::styled(" Reading the board…", theme.dim()))
            .render(area, frame.buffer_mut());
        return;
    }
    let top = Rect { height: 1, ..area };
    let body = Rect {
        y: area.y + 1,
        height: area.height - 1,
        ..area
    };
    let n = p.columns.len();
    let min = if p.show_closed {
        MIN_COL_CLOSED
    } else {
        MIN_COL
    };
    let per = (body.width / n.max(1) as u16).clamp(min, MAX_COL);
    let shown = ((body.width / per) as usize).clamp(1, n.max(1));
    // Keep the selected column in view.
    let mut first = p.first_col.get().min(n.saturating_sub(shown));
    if p.col < first {
        first = p.col;
    } else if p.col >= first + shown {
        first = p.col + 1 - shown;
    }
    p.first_col.set(first);
    summary(p, frame, top, theme, keymap, first, shown);
    if p.deals.is_empty() && p.filter.text().is_empty() {
        let add = keymap.keys_of(Context::Pipeline, Action::AddDeal);
        let closed = keymap.keys_of(Context::Pipeline, Action::ShowClosed);
        let msg = if p.show_closed {
            format!("  No open deals, none closed this month. `{add}` adds a deal.")
        } else {
            format!(
                "  No open deals. `{add}` adds one; `{closed}` shows the deals closed this month."
            )
        };
        let r = Rect {
            y: body.y + 1,
            height: 1,
            ..body
        };
        Line::styled(truncate(&msg, body.width as usize), theme.dim())
            .render(r, frame.buffer_mut());
        return;
    }
    let base = body.width / shown as u16;
    let extra = body.width % shown as u16;
    let mut x = body.x;
    let mut offsets = p.offsets.borrow_mut();
    offsets.resize(n, 0);
    for (slot, ci) in (first..(first + shown).min(n)).enumerate() {
        let w = base + u16::from((slot as u16) < extra);
        let last = slot + 1 == shown || ci + 1 == n;
        let r = Rect {
            x,
            y: body.y,
            width: if last { w } else { w - 1 },
            height: body.height,
        };
        let sel_row = p.rows.get(ci).copied().unwrap_or(0);
        let off = &mut offsets[ci];
        draw_column(
            p,
            &p.columns[ci],
            ci == p.col,
            sel_row,
            off,
            r,
            frame.buffer_mut(),
            theme,
            now,
        );
        if !last {
            for y in body.y..body.y + body.height {
                frame.buffer_mut()[(x + w - 1, y)]
                    .set_symbol("│")
                    .set_style(theme.dim());
            }
        }
        x += w;
    }
}

/// The pipeline shown: `sales · `, or where there are several `renewals 2/2 · `; then whose
/// deals, when `o` cut the board to one owner's (`yours · `, `ana's · `).
fn pipeline_title(p: &PipelineScreen) -> String {
    let whose = match p.whose.as_deref() {
        None => String::new(),
        Some(w) if w == p.me => "yours · ".to_string(),
        Some(w) => format!("{}'s · ", printable(w)),
    };
    if p.pipelines.len() < 2 {
        return format!("{} · {whose}", p.pipeline);
    }
    let at = p
        .pipelines
        .iter()
        .position(|x| *x == p.pipeline)
        .map_or(0, |i| i + 1);
    format!("{} {at}/{} · {whose}", p.pipeline, p.pipelines.len())
}

/// The line above the columns: what the board holds, or the filter being typed; and which
/// columns are out of view.
fn summary(
    p: &PipelineScreen,
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    keymap: &Keymap,
    first: usize,
    shown: usize,
) {
    let w = area.width as usize;
    let n = p.columns.len();
    let left = first;
    let right = n.saturating_sub(first + shown);
    let mut more = String::new();
    if left > 0 {
        more.push_str(&format!("‹ {left} more  "));
    }
    if right > 0 {
        more.push_str(&format!("{right} more ›"));
    }
    let more = more.trim_end().to_string();
    let room = w.saturating_sub(width(&more) + 1);
    if p.filtering || !p.filter.text().is_empty() {
        let label = "Filter: ";
        Line::styled(label, theme.key()).render(area, frame.buffer_mut());
        let field_w = (room / 2).max(10).min(room.saturating_sub(width(label)));
        let shown_count = p.visible_count();
        let total = p.deals.len();
        let tail = if p.filtering {
            let keep = keymap.keys_of(Context::BoardFilter, Action::Save);
            let clear = keymap.keys_of(Context::BoardFilter, Action::Cancel);
            format!(" {shown_count} of {total} · {keep} keeps · {clear} clears")
        } else {
            let clear = keymap.keys_of(Context::Pipeline, Action::Cancel);
            format!(" {shown_count} of {total} · {clear} clears")
        };
        let field = Rect {
            x: area.x + width(label) as u16,
            width: field_w as u16,
            ..area
        };
        if let Some(pos) = p
            .filter
            .render(field, frame.buffer_mut(), theme, p.filtering)
        {
            frame.set_cursor_position(Position::new(pos.x, pos.y));
        }
        let rest = room.saturating_sub(width(label) + field_w);
        let tail_r = Rect {
            x: field.x + field.width,
            width: rest as u16,
            ..area
        };
        Line::styled(truncate(&tail, rest), theme.dim()).render(tail_r, frame.buffer_mut());
    } else {
        let sum = &p.summary;
        let weighted: i128 = p.columns.iter().map(|c| c.weighted).sum();
        let others = &sum.others;
        let mut text = pipeline_title(p);
        text.push_str(&format!(
            "{} open · {} · weighted {}",
            sum.open,
            money::format(sum.home, &p.currency),
            money::format(weighted, &p.currency)
        ));
        if !others.is_empty() {
            let o: Vec<String> = others.iter().map(|(c, v)| money::format(*v, c)).collect();
            text.push_str(&format!(" · apart: {}", o.join(", ")));
        }
        if p.show_closed {
            text.push_str(" · with this month's closed");
        }
        Line::styled(truncate(&text, room), theme.header()).render(
            Rect {
                width: room as u16,
                ..area
            },
            frame.buffer_mut(),
        );
    }
    if !more.is_empty() {
        let mw = width(&more) as u16;
        let r = Rect {
            x: area.x + area.width.saturating_sub(mw),
            width: mw.min(area.width),
            ..area
        };
        Line::styled(more, theme.accent()).render(r, frame.buffer_mut());
    }
}

#[allow(clippy::too_many_arguments)]
fn draw_column(
    p: &PipelineScreen,
    c: &Column,
    selected: bool,
    sel_row: usize,
    offset: &mut usize,
    r: Rect,
    buf: &mut Buffer,
    theme: &Theme,
    now: NaiveDateTime,
) {
    let w = r.width as usize;
    if w == 0 || r.height == 0 {
        return;
    }
    let wide = w >= WIDE_CARD;
    let amount = |v: i128| {
        if wide {
            money::format_amount(v)
        } else {
            money::compact(v)
        }
    };
    let title_style = if selected {
        theme.focused()
    } else {
        theme.header()
    };
    let mark = if selected { "▸ " } else { "" };
    let mut head = format!("{mark}{} ({})", printable(&c.title), c.cards.len());
    if let Some(pr) = c.probability {
        let with = format!("{head} {pr}%");
        if width(&with) <= w {
            head = with;
        }
    }
    let mut lines: Vec<Line<'static>> = vec![Line::styled(pad(&head, w), title_style)];
    let money_line = match c.probability {
        Some(_) if wide => format!(
            "{} {} · weighted {}",
            amount(c.total),
            p.currency,
            amount(c.weighted)
        ),
        Some(_) => format!("{} · w {}", amount(c.total), amount(c.weighted)),
        None => format!("{} {}", amount(c.total), p.currency),
    };
    lines.push(Line::styled(pad(&money_line, w), Style::new()));
    let others = if c.others.is_empty() {
        String::new()
    } else {
        let o: Vec<String> = c
            .others
            .iter()
            .map(|(cur, v)| format!("{} {cur}", amount(*v)))
            .collect();
        format!("+ {}", o.join(" · "))
    };
    lines.push(Line::styled(pad(&others, w), theme.dim()));
    // How many cards fit; the rule under the header says how many are above and below.
    let rows = r.height.saturating_sub(HEAD_H);
    let all = c.cards.len();
    let fit = ((rows / CARD_H) as usize).max(1);
    if sel_row < *offset {
        *offset = sel_row;
    } else if sel_row >= *offset + fit {
        *offset = sel_row + 1 - fit;
    }
    *offset = (*offset).min(all.saturating_sub(fit));
    let below = all.saturating_sub(*offset + fit);
    let more = match (*offset, below) {
        (0, 0) => String::new(),
        (a, 0) => format!("↑ {a} more "),
        (0, b) => format!("↓ {b} more "),
        (a, b) => format!("↑ {a} · ↓ {b} more "),
    };
    let more = truncate(&more, w);
    lines.push(Line::from(vec![
        Span::styled(more.clone(), theme.accent()),
        Span::styled("─".repeat(w.saturating_sub(width(&more))), theme.dim()),
    ]));
    if c.cards.is_empty() {
        let why = if p.filter.text().is_empty() {
            "  no deals"
        } else {
            "  no match"
        };
        lines.push(Line::styled(why, theme.dim()));
    }
    for (row, i) in c.cards.iter().enumerate().skip(*offset).take(fit) {
        let b = &p.deals[*i];
        lines.extend(card(b, p, selected && row == sel_row, w, theme, now));
    }
    for (k, l) in lines.into_iter().enumerate() {
        let y = r.y + k as u16;
        if y >= r.y + r.height {
            break;
        }
        l.render(
            Rect {
                x: r.x,
                y,
                width: r.width,
                height: 1,
            },
            buf,
        );
    }
}

/// A card's four lines, each exactly `w` wide.
fn card(
    b: &BoardDeal,
    p: &PipelineScreen,
    sel: bool,
    w: usize,
    theme: &Theme,
    now: NaiveDateTime,
) -> Vec<Line<'static>> {
    let d = &b.deal;
    let wide = w >= WIDE_CARD;
    let base = if sel { theme.selected() } else { Style::new() };
    let dim = if sel { theme.selected() } else { theme.dim() };
    let mut value = if d.value_cents == 0 {
        String::new()
    } else if wide {
        money::format_amount(d.value_cents)
    } else {
        money::compact(d.value_cents)
    };
    if d.currency != p.currency && d.value_cents != 0 {
        value.push_str(&format!(" {}", d.currency));
    }
    let gutter = if sel { "▌" } else { " " };
    let title_w = w.saturating_sub(width(&value) + 2);
    let title = pad(&printable(&d.title), title_w);
    let line1 = Line::from(vec![
        Span::styled(gutter.to_string(), base),
        Span::styled(title, base.patch(theme.header())),
        Span::styled(format!(" {value}"), base),
    ]);
    // Someone else's deal (a team's board) says whose first.
    let mut who = match &b.theirs {
        Some(i) => format!("{i} · {}", d.contact_name),
        None => d.contact_name.clone(),
    };
    if let Some(co) = &d.company {
        who.push_str(&format!(" · {co}"));
    }
    let line2 = Line::styled(pad(&format!("{gutter}{}", printable(&who)), w), dim);
    let third = match d.status {
        DealStatus::Open => {
            let days = if wide {
                format!("{}d in stage", b.days_in_stage)
            } else {
                format!("{}d", b.days_in_stage)
            };
            match b.next {
                Some(n) => {
                    let rel = when::relative(n, now);
                    let long = format!("{days} · next {rel}");
                    if width(&long) < w {
                        long
                    } else {
                        format!("{days} · {rel}")
                    }
                }
                None => days,
            }
        }
        DealStatus::Won => match d.closed_at {
            Some(t) => format!("✓ won {}", t.format("%-d %b")),
            None => "✓ won".into(),
        },
        DealStatus::Lost => match (&d.lost_reason, d.closed_at) {
            (Some(r), _) => format!("✗ lost: {r}"),
            (None, Some(t)) => format!("✗ lost {}", t.format("%-d %b")),
            (None, None) => "✗ lost".into(),
        },
    };
    let overdue = b.next.is_some_and(|n| n.date() < now.date()) && d.status == DealStatus::Open;
    let third_style = if sel {
        base
    } else if overdue {
        theme.overdue()
    } else {
        Style::new()
    };
    let line3 = Line::styled(
        pad(&format!("{gutter}{}", printable(&third)), w),
        third_style,
    );
    let marks = marks(b, w.saturating_sub(1));
    let mark_style = if sel { base } else { theme.today() };
    let line4 = Line::styled(pad(&format!("{gutter}{marks}"), w), mark_style);
    vec![line1, line2, line3, line4]
}

/// "! stale 20d · no next step", in words so it reads without colour; shorter when narrow.
pub fn marks(b: &BoardDeal, w: usize) -> String {
    if b.deal.status != DealStatus::Open {
        return String::new();
    }
    let no_next = b.next.is_none();
    let long: Vec<String> = [
        b.stale.then(|| format!("stale {}d", b.quiet_days)),
        no_next.then(|| "no next step".to_string()),
    ]
    .into_iter()
    .flatten()
    .collect();
    if long.is_empty() {
        return String::new();
    }
    let text = format!("! {}", long.join(" · "));
    if width(&text) <= w {
        return text;
    }
    let short: Vec<&str> = [b.stale.then_some("stale"), no_next.then_some("no step")]
        .into_iter()
        .flatten()
        .collect();
    truncate(&format!("! {}", short.join(" · ")), w)
}
