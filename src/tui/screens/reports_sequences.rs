//! The Reports screen's sequences table: per sequence, enrolled, active, finished and the
//! reply rate (docs/MANUAL.md, "Sequences").

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

use crate::domain::report::{Report, percent};
use crate::text::{pad, pad_left, printable, truncate};
use crate::tui::theme::Theme;

/// The rows the table needs: a title, a header and one per sequence.
pub fn height(r: &Report) -> u16 {
    if r.sequences.is_empty() {
        0
    } else {
        r.sequences.len() as u16 + 3
    }
}

pub fn render(r: &Report, area: Rect, buf: &mut Buffer, t: &Theme) {
    let w = area.width as usize;
    let num = 9;
    let name_w = w.saturating_sub(4 * num + 2).clamp(6, 24);
    let mut lines = vec![
        Line::from(""),
        Line::styled("Sequences", t.header()),
        Line::styled(
            format!(
                "{}{}{}{}{}",
                pad("sequence", name_w),
                pad_left("enrolled", num),
                pad_left("active", num),
                pad_left("finished", num),
                pad_left("reply rate", num + 2)
            ),
            t.dim(),
        ),
    ];
    for s in &r.sequences {
        lines.push(Line::raw(format!(
            "{}{}{}{}{}",
            pad(&truncate(&printable(&s.name), name_w - 1), name_w),
            pad_left(&s.enrolled.to_string(), num),
            pad_left(&s.active.to_string(), num),
            pad_left(&s.finished.to_string(), num),
            pad_left(percent(s.reply_rate).trim(), num + 2)
        )));
    }
    Paragraph::new(lines).render(area, buf);
}
