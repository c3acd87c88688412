//! The companies (`C` on Contacts): every company by name with its people and open deals,
//! filtered as you type (`/`, accents ignored, every word found in the name); `Enter` opens
//! the company's page. It is a mode of the Contacts tab: `Esc` goes back to the people.

use std::cell::Cell;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::domain::company::CompanyRow;
use crate::error::Result;
use crate::ops::Desk;
use crate::text::{fold, pad, printable, truncate, width};
use crate::tui::theme::Theme;
use crate::tui::widgets::input::LineInput;

#[derive(Debug, Default)]
pub struct CompaniesList {
    pub rows: Vec<CompanyRow>,
    folded: Vec<String>,
    pub filter: LineInput,
    /// Typing into the filter.
    pub typing: bool,
    /// Positions in `rows` that pass the filter.
    pub shown: Vec<usize>,
    pub selected: usize,
    offset: Cell<usize>,
}

impl CompaniesList {
    pub fn open(desk: &mut Desk) -> Result<Self> {
        let mut l = CompaniesList::default();
        l.load(desk)?;
        Ok(l)
    }

    /// Reads the companies again; the selection stays on the same one.
    pub fn load(&mut self, desk: &mut Desk) -> Result<()> {
        let keep = self.selected_id();
        self.rows = desk.companies()?;
        self.folded = self.rows.iter().map(|r| fold(&r.name)).collect();
        self.refilter(keep);
        Ok(())
    }

    pub fn refilter(&mut self, keep: Option<i64>) {
        let q = fold(self.filter.text());
        let words: Vec<&str> = q.split_whitespace().collect();
        self.shown = (0..self.rows.len())
            .filter(|i| words.iter().all(|w| self.folded[*i].contains(w)))
            .collect();
        self.selected = keep
            .and_then(|id| self.shown.iter().position(|i| self.rows[*i].id == id))
            .unwrap_or(0);
    }

    pub fn selected_id(&self) -> Option<i64> {
        self.shown
            .get(self.selected)
            .and_then(|i| self.rows.get(*i))
            .map(|r| r.id)
    }

    pub fn move_by(&mut self, by: isize) {
        let last = self.shown.len().saturating_sub(1) as isize;
        self.selected = match by {
            isize::MIN => 0,
            isize::MAX => last.max(0) as usize,
            d => (self.selected as isize + d).clamp(0, last.max(0)) as usize,
        };
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        if area.height < 3 || area.width < 10 {
            return;
        }
        let w = area.width as usize;
        let line = |y: u16| Rect {
            y,
            height: 1,
            ..area
        };
        let mut top = vec![Span::styled("/ ", theme.key())];
        let ftext = self.filter.text();
        if ftext.is_empty() && !self.typing {
            top.push(Span::styled("filter companies", theme.dim()));
        } else {
            let style = if self.typing {
                theme.field().patch(theme.focused())
            } else {
                theme.accent()
            };
            top.push(Span::styled(printable(ftext), style));
            if self.typing {
                top.push(Span::styled(" ", style));
            }
        }
        let count = format!("{} of {} companies", self.shown.len(), self.rows.len());
        let used: usize = top.iter().map(|s| width(&s.content)).sum();
        let room = w.saturating_sub(used + 1);
        let count = truncate(&count, room);
        top.push(Span::raw(
            " ".repeat(room.saturating_sub(width(&count)) + 1),
        ));
        top.push(Span::styled(count, theme.dim()));
        Line::from(top).render(line(area.y), buf);
        let num_w = 10;
        let name_w = w.saturating_sub(2 * num_w + 2).max(4);
        let head = format!(
            "{} {:>num_w$} {:>num_w$}",
            pad("Company", name_w),
            "People",
            "Open deals"
        );
        Line::styled(truncate(&head, w), theme.header()).render(line(area.y + 1), buf);
        let h = (area.height - 2) as usize;
        if self.shown.is_empty() {
            let msg = if self.rows.is_empty() {
                "No companies yet: a contact's company field makes one.".to_string()
            } else {
                format!(
                    "No company matches “{}”. Esc clears the filter.",
                    printable(ftext)
                )
            };
            Line::styled(truncate(&msg, w), theme.dim()).render(line(area.y + 2), buf);
            return;
        }
        let mut offset = self.offset.get();
        if self.selected < offset {
            offset = self.selected;
        } else if self.selected >= offset + h {
            offset = self.selected + 1 - h;
        }
        self.offset.set(offset);
        for (n, pos) in (offset..(offset + h).min(self.shown.len())).enumerate() {
            let r = &self.rows[self.shown[pos]];
            let sel = pos == self.selected;
            let text = format!(
                "{} {:>num_w$} {:>num_w$}",
                pad(&truncate(&printable(&r.name), name_w), name_w),
                r.people,
                r.open_deals
            );
            let style = if sel { theme.selected() } else { Style::new() };
            Line::styled(pad(&truncate(&text, w), w), style)
                .render(line(area.y + 2 + n as u16), buf);
        }
    }
}
