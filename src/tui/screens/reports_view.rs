//! Drawing the Reports screen: the summary, the pipeline's bars per stage, the forecast,
//! the activity sparkline and the lead sources, each fitted to the room it has.

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Sparkline, Widget, Wrap};

use super::reports::{FULL, REST, ReportsScreen};
use crate::domain::money::{compact, format_amount};
use crate::domain::report::{Report, percent};
use crate::domain::team::Scope;
use crate::text::{pad, pad_left, plural, printable, truncate, width};
use crate::tui::theme::Theme;

impl ReportsScreen {
    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let Some(r) = &self.report else {
            Paragraph::new(vec![
                Line::styled(format!("Last {}", plural(self.days, "day")), theme.header()),
                Line::styled("Loading the report…", theme.dim()),
            ])
            .render(area, buf);
            return;
        };
        let stages = r.pipeline.len() as u16;
        // Two bars per stage (value, then weighted) when the screen is tall enough.
        let double = area.height >= 2 * stages + 24;
        let top_h = if double { 2 * stages + 4 } else { stages + 4 };
        let [summary, top, bottom] = Layout::vertical([
            Constraint::Length(3),
            Constraint::Length(top_h),
            Constraint::Min(0),
        ])
        .areas(area);
        self.summary(r, summary, buf, theme);
        let [pipe, _, fore] = Layout::horizontal([
            Constraint::Percentage(60),
            Constraint::Length(2),
            Constraint::Min(0),
        ])
        .areas(top);
        self.pipeline(r, pipe, buf, theme, double);
        self.forecast(r, fore, buf, theme);
        let [act, _, src] = Layout::horizontal([
            Constraint::Percentage(44),
            Constraint::Length(2),
            Constraint::Min(0),
        ])
        .areas(bottom);
        self.activity(r, act, buf, theme);
        let reps = super::reports_reps::height(r, src);
        let [reps, _, src] = Layout::vertical([
            Constraint::Length(reps),
            Constraint::Length(u16::from(reps > 0)),
            Constraint::Min(0),
        ])
        .areas(src);
        super::reports_reps::render(r, reps, buf, theme);
        let refs = super::reports_referrers::height(r, src);
        let [src, _, refs] = Layout::vertical([
            Constraint::Min(0),
            Constraint::Length(u16::from(refs > 0)),
            Constraint::Length(refs),
        ])
        .areas(src);
        let seq_h = super::reports_sequences::height(r).min(src.height / 2);
        let [src, seqs] =
            Layout::vertical([Constraint::Min(0), Constraint::Length(seq_h)]).areas(src);
        self.sources(r, src, buf, theme);
        super::reports_sequences::render(r, seqs, buf, theme);
        super::reports_referrers::render(r, refs, buf, theme);
    }

    fn summary(&self, r: &Report, area: Rect, buf: &mut Buffer, t: &Theme) {
        let period = if self.pending() && self.report_days != self.days {
            format!(
                " · loading… the last {} meanwhile  ",
                plural(self.report_days, "day")
            )
        } else {
            format!(
                " · since {}{}{} · money in {}{}  ",
                r.since.format("%a %-d %b %Y"),
                self.pipeline
                    .as_ref()
                    .map_or(String::new(), |p| format!(" · pipeline {}", printable(p))),
                match &self.report_whose {
                    Scope::Mine => String::new(),
                    Scope::Team => " · the whole team's".to_string(),
                    Scope::Owner(o) => format!(" · {}'s", printable(o)),
                },
                r.currency,
                if self.pending() { " · loading…" } else { "" }
            )
        };
        let head = vec![
            Span::styled(format!("Last {}", plural(self.days, "day")), t.header()),
            Span::styled(period, t.dim()),
            Span::styled("[", t.key()),
            Span::styled(" longer ", t.dim()),
            Span::styled("]", t.key()),
            Span::styled(" shorter", t.dim()),
        ];
        let mut figures = vec![
            Span::styled("Won ", t.dim()),
            Span::styled(
                format!("{} · {}", r.won.count, compact(r.won.value_cents)),
                t.ok(),
            ),
            Span::styled("   Lost ", t.dim()),
            Span::raw(format!(
                "{} · {}",
                r.lost.count,
                compact(r.lost.value_cents)
            )),
            Span::styled("   Win rate ", t.dim()),
            Span::styled(percent(r.win_rate), t.header()),
            Span::styled("   Days to win ", t.dim()),
            Span::raw(
                r.avg_days_to_win
                    .map_or_else(|| "–".to_string(), |d| format!("{d:.1}")),
            ),
            Span::styled("   Overdue ", t.dim()),
        ];
        let overdue = format!("{}", r.overdue);
        figures.push(if r.overdue > 0 {
            Span::styled(overdue, t.overdue())
        } else {
            Span::raw(overdue)
        });
        let mut lines = vec![Line::from(head), Line::from(figures)];
        if !r.other_currencies.is_empty() {
            let others: Vec<String> = r
                .other_currencies
                .iter()
                .map(|o| {
                    format!(
                        "{} {} open, {} won",
                        o.currency,
                        compact(o.open.value_cents),
                        compact(o.won.value_cents)
                    )
                })
                .collect();
            lines.push(Line::styled(
                format!("Kept apart: {}", others.join(" · ")),
                t.dim(),
            ));
        }
        Paragraph::new(lines).render(area, buf);
    }

    fn pipeline(&self, r: &Report, area: Rect, buf: &mut Buffer, t: &Theme, double: bool) {
        let w = area.width as usize;
        // name, count, bar, value, weighted, days in stage
        let name_w = 12.min(w / 4);
        let num_w = if w >= 70 { 12 } else { 8 };
        let days_w = 6;
        let bar_w = w
            .saturating_sub(name_w + 6 + 1 + 2 * num_w + 1 + days_w)
            .clamp(4, 60);
        let mut lines = vec![
            Line::from(vec![
                Span::styled("Pipeline", t.header()),
                Span::styled(" · open deals  ", t.dim()),
                Span::styled(FULL.to_string(), t.accent()),
                Span::styled(" weighted ", t.dim()),
                Span::styled(REST.to_string(), t.dim()),
                Span::styled(" value", t.dim()),
            ]),
            Line::styled(
                format!(
                    "{}{} {}{}{}{}",
                    pad("stage", name_w),
                    pad_left("deals", 6),
                    " ".repeat(bar_w),
                    pad_left("value", num_w),
                    pad_left("weighted", num_w + 1),
                    pad_left("days", days_w)
                ),
                t.dim(),
            ),
        ];
        let max = r
            .pipeline
            .iter()
            .map(|s| s.value_cents)
            .max()
            .unwrap_or(0)
            .max(1);
        // In full where the columns are wide and it fits with a space before it (a book's
        // total can run to billions), else compact: never cut short.
        let amount = |c: i128| {
            let full = format_amount(c);
            if num_w >= 12 && crate::text::width(&full) < num_w {
                full
            } else {
                compact(c)
            }
        };
        for (i, s) in r.pipeline.iter().enumerate() {
            let days = r
                .stage_days
                .iter()
                .find(|d| d.stage == s.stage)
                .and_then(|d| d.avg_days)
                .map_or_else(|| "–".to_string(), |d| format!("{d:.1}d"));
            let full = scale(s.weighted_cents, max, bar_w);
            let rest = scale(s.value_cents, max, bar_w).saturating_sub(full);
            let label = pad(&printable(&s.stage), name_w);
            let count = pad_left(&s.count.to_string(), 6);
            if double {
                lines.push(Line::from(vec![
                    Span::raw(format!("{label}{count} ")),
                    Span::styled(REST.to_string().repeat(full + rest), t.dim()),
                    Span::raw(" ".repeat(bar_w - full - rest)),
                    Span::raw(pad_left(&amount(s.value_cents), num_w)),
                    Span::raw(" ".repeat(num_w + 1)),
                    Span::raw(pad_left(&days, days_w)),
                ]));
                lines.push(Line::from(vec![
                    Span::styled(
                        format!("{}{:>6}", " ".repeat(name_w), format!("{}%", s.probability)),
                        t.dim(),
                    ),
                    Span::raw(" "),
                    Span::styled(FULL.to_string().repeat(full), bar_style(t, i)),
                    Span::raw(" ".repeat(bar_w - full)),
                    Span::raw(" ".repeat(num_w)),
                    Span::styled(pad_left(&amount(s.weighted_cents), num_w + 1), t.accent()),
                ]));
            } else {
                lines.push(Line::from(vec![
                    Span::raw(format!("{label}{count} ")),
                    Span::styled(FULL.to_string().repeat(full), bar_style(t, i)),
                    Span::styled(REST.to_string().repeat(rest), t.dim()),
                    Span::raw(" ".repeat(bar_w - full - rest)),
                    Span::raw(pad_left(&amount(s.value_cents), num_w)),
                    Span::styled(pad_left(&amount(s.weighted_cents), num_w + 1), t.accent()),
                    Span::raw(pad_left(&days, days_w)),
                ]));
            }
        }
        let total = r.open_total();
        lines.push(Line::from(vec![
            Span::styled(
                format!(
                    "{}{} ",
                    pad("Total", name_w),
                    pad_left(&total.count.to_string(), 6)
                ),
                t.header(),
            ),
            Span::raw(" ".repeat(bar_w)),
            Span::styled(pad_left(&amount(total.value_cents), num_w), t.header()),
            Span::styled(
                pad_left(&amount(total.weighted_cents), num_w + 1),
                t.header(),
            ),
        ]));
        Paragraph::new(lines).render(area, buf);
    }

    fn forecast(&self, r: &Report, area: Rect, buf: &mut Buffer, t: &Theme) {
        let w = area.width as usize;
        let mut lines = vec![Line::from(vec![
            Span::styled("Forecast", t.header()),
            Span::styled(" · weighted, by month", t.dim()),
        ])];
        let rows = (area.height as usize).saturating_sub(1);
        let mut months: Vec<(String, i128)> = r
            .forecast
            .iter()
            .map(|m| (month_label(&m.month), m.weighted_cents))
            .collect();
        if r.forecast_undated_cents != 0 {
            months.push(("no date".into(), r.forecast_undated_cents));
        }
        if months.is_empty() {
            lines.push(Line::styled("no open deals with a value", t.dim()));
        }
        let max = months.iter().map(|m| m.1).max().unwrap_or(0).max(1);
        let num_w = if w >= 50 { 12 } else { 7 };
        let bar_w = w.saturating_sub(9 + num_w + 1).clamp(2, 60);
        let shown = if months.len() > rows {
            rows.saturating_sub(1)
        } else {
            months.len()
        };
        for (label, cents) in months.iter().take(shown) {
            let n = scale(*cents, max, bar_w);
            // In full where it fits with a space before it, else compact: never cut short.
            let full = format_amount(*cents);
            let amount = if num_w >= 12 && width(&full) < num_w + 1 {
                full
            } else {
                compact(*cents)
            };
            lines.push(Line::from(vec![
                Span::raw(pad(label, 9)),
                Span::styled(FULL.to_string().repeat(n), t.accent()),
                Span::raw(" ".repeat(bar_w - n)),
                Span::raw(pad_left(&amount, num_w + 1)),
            ]));
        }
        if months.len() > shown {
            let rest: i128 = months[shown..].iter().map(|m| m.1).sum();
            lines.push(Line::styled(
                format!(
                    "+{}: {}",
                    plural(months.len() - shown, "more month"),
                    compact(rest)
                ),
                t.dim(),
            ));
        }
        Paragraph::new(lines).render(area, buf);
    }

    fn activity(&self, r: &Report, area: Rect, buf: &mut Buffer, t: &Theme) {
        if area.height == 0 {
            return;
        }
        let total: i64 = r.activity.iter().map(|w| w.total()).sum();
        let title = Line::from(vec![
            Span::styled("Activity per week", t.header()),
            Span::styled(format!(" · {}", plural(total, "note")), t.dim()),
        ]);
        title.render(Rect { height: 1, ..area }, buf);
        // Sparkline, then its first and last week, the kinds and the connect rate, then (with
        // room to spare) the newest weeks one per line.
        let w = area.width as usize;
        let kinds = [
            ("calls", r.activity.iter().map(|w| w.call).sum::<i64>()),
            ("emails", r.activity.iter().map(|w| w.email).sum()),
            ("meetings", r.activity.iter().map(|w| w.meeting).sum()),
            ("notes", r.activity.iter().map(|w| w.note).sum()),
        ]
        .map(|(k, n)| format!("{k} {n}"));
        let one_line = kinds.join(" · ");
        let kind_lines: Vec<String> = if width(&one_line) <= w {
            vec![one_line]
        } else {
            vec![kinds[..2].join(" · "), kinds[2..].join(" · ")]
        };
        let spark_h = area
            .height
            .saturating_sub(3 + kind_lines.len() as u16)
            .clamp(1, 8);
        let weeks = &r.activity[r.activity.len().saturating_sub(w)..];
        let each = (w / weeks.len().max(1)).max(1);
        let data: Vec<u64> = weeks
            .iter()
            .flat_map(|wk| std::iter::repeat_n(wk.total().max(0) as u64, each))
            .collect();
        let spark = Rect {
            y: area.y + 1,
            height: spark_h.min(area.height.saturating_sub(1)),
            width: (data.len() as u16).min(area.width),
            ..area
        };
        Sparkline::default()
            .data(&data)
            .style(t.accent())
            .render(spark, buf);
        let mut lines = Vec::new();
        if let (Some(first), Some(last)) = (weeks.first(), weeks.last()) {
            let span = spark.width as usize;
            let gap = span.saturating_sub(width(&first.week) + width(&last.week));
            let text = if weeks.len() > 1 && gap > 0 {
                format!("{}{}{}", first.week, " ".repeat(gap), last.week)
            } else {
                last.week.clone()
            };
            lines.push(Line::styled(text, t.dim()));
        }
        for k in kind_lines {
            lines.push(Line::raw(truncate(&k, w)));
        }
        lines.push(Line::from(vec![
            Span::styled("Connect rate ", t.dim()),
            Span::styled(percent(r.connect_rate), t.header()),
            Span::styled(
                format!(
                    " · {} of {}",
                    r.calls.connected,
                    plural(r.calls.with_outcome, "call")
                ),
                t.dim(),
            ),
        ]));
        let below = Rect {
            y: spark.y + spark.height,
            height: (area.y + area.height).saturating_sub(spark.y + spark.height),
            ..area
        };
        let spare = (below.height as usize).saturating_sub(lines.len() + 2);
        if spare >= 3 && w >= 44 {
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                format!(
                    "{}{}{}{}{}",
                    pad("week", 10),
                    pad_left("calls", 8),
                    pad_left("emails", 8),
                    pad_left("meetings", 10),
                    pad_left("notes", 8)
                ),
                t.dim(),
            ));
            for wk in r.activity.iter().rev().take(spare - 1) {
                lines.push(Line::raw(format!(
                    "{}{}{}{}{}",
                    pad(&wk.week, 10),
                    pad_left(&wk.call.to_string(), 8),
                    pad_left(&wk.email.to_string(), 8),
                    pad_left(&wk.meeting.to_string(), 10),
                    pad_left(&wk.note.to_string(), 8)
                )));
            }
        }
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .render(below, buf);
    }

    fn sources(&self, r: &Report, area: Rect, buf: &mut Buffer, t: &Theme) {
        let w = area.width as usize;
        let num_w = if w >= 60 { 12 } else { 7 };
        let name_w = (w / 4).clamp(6, 16);
        let bar_w = w
            .saturating_sub(name_w + 6 + 6 + 5 + num_w + 2)
            .clamp(3, 30);
        let mut lines = vec![
            Line::styled("Lead sources · all time", t.header()),
            Line::styled(
                format!(
                    "{}{}{} {}{}",
                    pad("source", name_w),
                    pad_left("leads", 6),
                    pad_left("cust.", 6),
                    pad("conversion", bar_w + 5),
                    pad_left("won", num_w)
                ),
                t.dim(),
            ),
        ];
        if r.sources.is_empty() {
            lines.push(Line::styled("no contacts yet", t.dim()));
        }
        let rows = (area.height as usize).saturating_sub(2);
        let shown = if r.sources.len() > rows {
            rows.saturating_sub(1)
        } else {
            r.sources.len()
        };
        for s in r.sources.iter().take(shown) {
            let name = s.source.as_deref().map_or("(none)".into(), printable);
            let n = s
                .conversion_rate
                .map_or(0, |c| (c * bar_w as f64).round() as usize)
                .min(bar_w);
            let won = if num_w >= 12 {
                format_amount(s.won_cents)
            } else {
                compact(s.won_cents)
            };
            lines.push(Line::from(vec![
                Span::raw(pad(&name, name_w)),
                Span::raw(pad_left(&s.contacts.to_string(), 6)),
                Span::raw(pad_left(&s.customers.to_string(), 6)),
                Span::raw(" "),
                Span::styled(FULL.to_string().repeat(n), t.ok()),
                Span::styled(REST.to_string().repeat(bar_w - n), t.dim()),
                Span::raw(pad_left(&percent(s.conversion_rate), 5)),
                Span::raw(pad_left(&won, num_w)),
            ]));
        }
        if r.sources.len() > shown {
            lines.push(Line::styled(
                format!("+{}", plural(r.sources.len() - shown, "more source")),
                t.dim(),
            ));
        }
        Paragraph::new(lines).render(area, buf);
    }
}

/// `n` of `max` as a length out of `width`, at least 1 for anything above zero.
fn scale(n: impl Into<i128>, max: impl Into<i128>, width: usize) -> usize {
    let (n, max) = (n.into(), max.into());
    if n <= 0 || max <= 0 {
        return 0;
    }
    let len = (n as f64 / max as f64 * width as f64).round() as usize;
    len.clamp(1, width)
}

/// `2026-12` -> `Dec 2026`.
fn month_label(m: &str) -> String {
    NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d")
        .map(|d| d.format("%b %Y").to_string())
        .unwrap_or_else(|_| m.to_string())
}

fn bar_style(t: &Theme, _stage: usize) -> Style {
    t.accent()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_and_show_small_values() {
        assert_eq!(scale(0, 100, 10), 0);
        assert_eq!(scale(100, 100, 10), 10);
        assert_eq!(scale(1, 1000, 10), 1);
        assert_eq!(scale(50, 100, 10), 5);
        assert_eq!(scale(5, 0, 10), 0);
    }

    #[test]
    fn months_read_as_words() {
        assert_eq!(month_label("2026-12"), "Dec 2026");
        assert_eq!(month_label("garbage"), "garbage");
    }
}
