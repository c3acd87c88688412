//! The status line: what the last key did, most important effect first, on one row or, when
//! it does not fit, on two (over the hint bar, for the few seconds it shows).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::text::{printable, truncate, width, wrap};
use crate::tui::app::App;

/// How much an effect matters to whoever reads the line: a deal closed or moved before the
/// next follow-up, before a value change, before the bookkeeping of a completed follow-up.
fn rank(effect: &str) -> u8 {
    if effect.ends_with(" won") || effect.ends_with(" lost") {
        0
    } else if effect.starts_with("deal #") && !effect.contains(" value → ") {
        1
    } else if effect.starts_with("next follow-up") {
        2
    } else if effect.starts_with("repeats as") {
        3
    } else if effect.contains(" value → ") {
        4
    } else {
        5
    }
}

/// `subject; effect; effect…` with the effects that matter most first; `none` is said when
/// nothing schedules a next follow-up.
pub fn effects_message(subject: &str, effects: &[String], none: &str) -> String {
    let mut sorted: Vec<&String> = effects.iter().collect();
    sorted.sort_by_key(|e| rank(e));
    let mut msg = subject.to_string();
    for e in sorted {
        msg.push_str("; ");
        msg.push_str(e);
    }
    if !none.is_empty() && !effects.iter().any(|e| e.starts_with("next follow-up")) {
        msg.push_str("; ");
        msg.push_str(none);
    }
    msg
}

/// Whether the message needs the hint bar's row too.
pub fn needs_two_rows(app: &App, w: u16) -> bool {
    app.status
        .as_ref()
        .is_some_and(|s| width(&printable(&s.text)) + 3 > w as usize)
}

/// Draws the status in `area` (one row, or two when `needs_two_rows`).
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let w = area.width as usize;
    let Some(s) = &app.status else {
        let now = app.desk.clock.now();
        let line = Line::styled(format!(" {}", now.format("%a %-d %b %Y %H:%M")), t.dim());
        frame.render_widget(line, Rect { height: 1, ..area });
        return;
    };
    let (mark, style) = if s.error {
        ("✗", t.error())
    } else if s.hint {
        ("›", t.dim())
    } else {
        ("✓", t.ok())
    };
    let rows = area.height.max(1) as usize;
    let mut lines = wrap(&printable(&s.text), w.saturating_sub(3));
    if lines.len() > rows {
        let rest = lines[rows - 1..].join(" ");
        lines.truncate(rows - 1);
        lines.push(truncate(&rest, w.saturating_sub(3)));
    }
    for (i, l) in lines.iter().enumerate() {
        let lead = if i == 0 {
            format!(" {mark} ")
        } else {
            "   ".into()
        };
        frame.render_widget(
            Line::styled(truncate(&format!("{lead}{l}"), w), style),
            Rect {
                y: area.y + i as u16,
                height: 1,
                ..area
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_close_or_stage_move_comes_before_a_value_change() {
        let effects: Vec<String> = [
            "follow-up #3 done",
            "deal #9 value → 14,000 USD",
            "deal #9 Summit Retail → Negotiation",
            "next follow-up #12 Wed 25 Nov",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            effects_message("note saved on Ana", &effects, ""),
            "note saved on Ana; deal #9 Summit Retail → Negotiation; next follow-up #12 Wed 25 Nov; \
             deal #9 value → 14,000 USD; follow-up #3 done"
        );
        let won = ["deal #9 value → 1 USD", "deal #9 Summit Retail won"].map(String::from);
        assert!(effects_message("x", &won, "").starts_with("x; deal #9 Summit Retail won"));
        assert_eq!(
            effects_message("call logged", &["follow-up #1 done".into()], "no next step"),
            "call logged; follow-up #1 done; no next step"
        );
    }
}
