//! The Reports screen's leaderboard, where more than one person works the book: per rep, won in
//! the period, win rate, calls, connect rate and open pipeline, most won first (then the most
//! pipeline), as the report's `reps` are ordered.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

use crate::domain::money::{compact, format_amount};
use crate::domain::report::{Report, percent};
use crate::text::{pad, pad_left, printable, truncate};
use crate::tui::theme::Theme;

/// Rows the leaderboard takes out of `area` (the lead sources keep at least half): none for a
/// report with one person in it.
pub fn height(r: &Report, area: Rect) -> u16 {
    if r.reps.len() < 2 || area.height < 6 {
        return 0;
    }
    let want = u16::try_from(r.reps.len())
        .unwrap_or(u16::MAX)
        .saturating_add(2);
    want.min(area.height / 2)
}

/// Column widths: the numbers', and the pipeline's (whole amounts when there is room).
struct Widths {
    name: usize,
    num: usize,
    money: usize,
}

impl Widths {
    fn of(w: usize) -> Widths {
        let (num, money) = if w >= 64 { (9, 14) } else { (6, 9) };
        Widths {
            name: w.saturating_sub(4 * num + money).clamp(4, 24),
            num,
            money,
        }
    }
}

pub fn render(r: &Report, area: Rect, buf: &mut Buffer, t: &Theme) {
    if area.height == 0 {
        return;
    }
    let w = area.width as usize;
    let c = Widths::of(w);
    let head = format!(
        "{}{}{}{}{}{}",
        pad("rep", c.name),
        pad_left("won", c.num),
        pad_left(if c.num > 6 { "win rate" } else { "win%" }, c.num),
        pad_left("calls", c.num),
        pad_left(if c.num > 6 { "connect" } else { "conn%" }, c.num),
        pad_left("pipeline", c.money)
    );
    let mut lines = vec![
        Line::styled(
            truncate("Reps · won in the period, open pipeline", w),
            t.header(),
        ),
        Line::styled(truncate(&head, w), t.dim()),
    ];
    let rows = (area.height as usize).saturating_sub(2);
    for x in r.reps.iter().take(rows) {
        let pipeline = if c.money >= 14 {
            format_amount(x.pipeline_cents)
        } else {
            compact(x.pipeline_cents)
        };
        let text = format!(
            "{}{}{}{}{}{}",
            pad(&truncate(&printable(&x.owner), c.name), c.name),
            pad_left(&x.won.to_string(), c.num),
            pad_left(percent(x.win_rate).trim(), c.num),
            pad_left(&x.calls.to_string(), c.num),
            pad_left(percent(x.connect_rate).trim(), c.num),
            pad_left(&pipeline, c.money)
        );
        lines.push(Line::raw(truncate(&text, w)));
    }
    Paragraph::new(lines).render(area, buf);
}
