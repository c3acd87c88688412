//! The Reports screen's top referrers, under the lead sources: whom each referred, how many
//! became customers, and what their referrals won.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

use crate::domain::money::{compact, format_amount};
use crate::domain::report::Report;
use crate::text::{pad, pad_left, printable, truncate};
use crate::tui::theme::Theme;

/// Rows the referrers take out of `area` (the sources keep at least half): none when nobody
/// referred anybody.
pub fn height(r: &Report, area: Rect) -> u16 {
    if r.referrals.is_empty() || area.height < 8 {
        return 0;
    }
    let want = r.referrals.len() as u16 + 2;
    want.min(area.height / 2)
}

pub fn render(r: &Report, area: Rect, buf: &mut Buffer, t: &Theme) {
    if area.height == 0 {
        return;
    }
    let w = area.width as usize;
    let num_w = if w >= 60 { 12 } else { 7 };
    let name_w = w.saturating_sub(6 + 6 + num_w).clamp(6, 24);
    let mut lines = vec![
        Line::styled("Top referrers · all time", t.header()),
        Line::styled(
            format!(
                "{}{}{}{}",
                pad("referrer", name_w),
                pad_left("refs", 6),
                pad_left("cust.", 6),
                pad_left("won", num_w)
            ),
            t.dim(),
        ),
    ];
    let rows = (area.height as usize).saturating_sub(2);
    for x in r.referrals.iter().take(rows) {
        let won = if num_w >= 12 {
            format_amount(x.won_cents)
        } else {
            compact(x.won_cents)
        };
        let text = format!(
            "{}{}{}{}",
            pad(&truncate(&printable(&x.name), name_w), name_w),
            pad_left(&x.referred.to_string(), 6),
            pad_left(&x.customers.to_string(), 6),
            pad_left(&won, num_w)
        );
        lines.push(Line::raw(truncate(&text, w)));
    }
    Paragraph::new(lines).render(area, buf);
}
