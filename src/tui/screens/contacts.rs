//! Contacts (`3`): a table of name, company, status, temperature, last contact and next
//! follow-up. The ids and names of every contact, and what else the filter matches, are held
//! in memory (contacts_filter.rs, folded before matching); the rows on screen are read from
//! the book by id, in `update`, a page at a time.
//!
//! On a book in a file the names are read again on a worker thread (a change, a new sort):
//! 200,000 of them take longer than a frame. Until the new index arrives the old one keeps
//! answering the filter and the keys, and the rows on screen are read again at once, so an
//! edited row shows its new fields straight away.

use std::cell::Cell;

use chrono::NaiveDateTime;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::domain::contact::Contact;
use crate::domain::contact::SortBy;
use crate::domain::team::{initials, next_whose, someone_else, whose_said};
use crate::error::Result;
use crate::ops::Desk;
use crate::ops::contacts_index::IndexOrder;
use crate::text::{pad, printable, truncate};
pub use crate::tui::screens::contacts_filter::{Filter, NameIndex};
use crate::tui::theme::Theme;
use crate::tui::widgets::input::LineInput;
use crate::tui::worker::Asker;
use crate::when;

/// Rows read from the book around the selection; more than any terminal shows.
pub const PAGE: usize = 80;

#[derive(Debug, Default)]
pub struct ContactsScreen {
    pub index: NameIndex,
    pub filter: FilterState,
    pub sort: SortBy,
    pub desc: bool,
    pub archived: bool,
    /// Positions in the index, in the order shown.
    pub shown: Vec<u32>,
    pub selected: usize,
    /// The first row drawn.
    pub offset: usize,
    /// The rows read for `shown[page_from..]`.
    pub page: Vec<Contact>,
    pub page_from: usize,
    /// Rows the last frame had room for (drawing records it; `update` reads it).
    pub height: Cell<usize>,
    /// The index answers for the book as it is (false: read it again when shown).
    pub loaded: bool,
    /// An index has been installed at least once.
    pub has_index: bool,
    /// Reads the names off the UI thread; a book in memory (tests) is read inline.
    worker: Asker<IndexOrder, NameIndex>,
    /// The companies list shows instead of the people (`C`; `Esc` back).
    pub companies: Option<Box<crate::tui::screens::companies::CompaniesList>>,
    /// Who works this desk: a row of someone else's contact starts with their initials.
    pub me: String,
    /// Whose contacts the table shows (`o`, a team's book): None for everyone's.
    pub whose: Option<String>,
}

#[derive(Debug, Default)]
pub struct FilterState {
    pub input: LineInput,
    /// Typing into the filter.
    pub typing: bool,
    pub filter: Filter,
}

impl ContactsScreen {
    /// Reads the name index again (first open, a change in the book, a new sort), keeping the
    /// selection on the same contact. On a book in a file this only asks the worker, and the
    /// rows on screen are read again; `poll` installs the index when it arrives.
    pub fn load(&mut self, desk: &mut Desk) -> Result<()> {
        let job = IndexOrder {
            archived: self.archived,
            sort: self.sort,
            desc: self.desc,
        };
        self.loaded = true;
        self.me = desk.db.user();
        if self
            .worker
            .ask(desk.db.reopen_at().as_deref(), index_worker, job)
        {
            self.page_from = usize::MAX;
            return self.fetch(desk);
        }
        let rows = desk.contacts_index(job)?;
        self.worker.answered_here();
        self.install(NameIndex::new(rows), desk)
    }

    /// The index asked of the worker has not arrived yet.
    pub fn index_pending(&self) -> bool {
        self.worker.pending()
    }

    /// Installs the worker's newest answer when it has come; returns whether one was
    /// installed. Older answers (superseded by a newer request) are dropped.
    pub fn poll(&mut self, desk: &mut Desk) -> Result<bool> {
        let Some(answer) = self.worker.answer() else {
            return Ok(false);
        };
        match answer {
            Ok(ix) => self.install(ix, desk).map(|_| true),
            Err(e) => Err(crate::error::Error::env(format!(
                "cannot read the contacts' names: {e}"
            ))),
        }
    }

    fn install(&mut self, index: NameIndex, desk: &mut Desk) -> Result<()> {
        let keep = self.selected_id();
        self.index = index;
        self.has_index = true;
        self.filter.filter.reset();
        self.refilter(desk, keep)
    }

    /// Applies the filter text and reads the rows on screen.
    pub fn refilter(&mut self, desk: &mut Desk, keep: Option<i64>) -> Result<()> {
        let q = self.filter.input.text().to_string();
        self.filter.filter.apply(&self.index, &q);
        self.shown = std::mem::take(&mut self.filter.filter.ranked);
        if let Some(w) = &self.whose {
            let ix = &self.index;
            self.shown.retain(|i| ix.owned_by(*i as usize, w));
        }
        self.selected = match keep.and_then(|id| self.position_of(id)) {
            Some(i) => i,
            None if keep.is_none() => 0,
            None => self.selected.min(self.shown.len().saturating_sub(1)),
        };
        self.page_from = usize::MAX;
        self.fetch(desk)
    }

    fn position_of(&self, id: i64) -> Option<usize> {
        self.shown
            .iter()
            .position(|i| self.index.ids.get(*i as usize) == Some(&id))
    }

    pub fn selected_id(&self) -> Option<i64> {
        let i = *self.shown.get(self.selected)?;
        self.index.ids.get(i as usize).copied()
    }

    /// The contact the keys act on: none while the companies list shows instead.
    pub fn selected_contact(&self) -> Option<(i64, String)> {
        if self.companies.is_some() {
            return None;
        }
        let i = *self.shown.get(self.selected)? as usize;
        Some((*self.index.ids.get(i)?, self.index.names.get(i)?.clone()))
    }

    /// Keeps the selection on screen and the page around it read.
    pub fn fetch(&mut self, desk: &mut Desk) -> Result<()> {
        let h = self.height.get().max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + h {
            self.offset = self.selected + 1 - h;
        }
        self.offset = self.offset.min(self.shown.len().saturating_sub(1));
        let end = (self.offset + h).min(self.shown.len());
        let fits = self.page_from != usize::MAX
            && self.offset >= self.page_from
            && end <= self.page_from + self.page.len();
        if fits {
            return Ok(());
        }
        let from = self.offset.saturating_sub(PAGE / 4);
        let ids: Vec<i64> = self
            .shown
            .iter()
            .skip(from)
            .take(PAGE.max(h + PAGE / 4))
            .filter_map(|i| self.index.ids.get(*i as usize).copied())
            .collect();
        self.page = desk.contacts_by_id(&ids)?;
        self.page_from = from;
        Ok(())
    }

    pub fn move_by(&mut self, desk: &mut Desk, by: isize) -> Result<()> {
        let last = self.shown.len().saturating_sub(1) as isize;
        self.selected = match by {
            isize::MIN => 0,
            isize::MAX => last as usize,
            d => (self.selected as isize + d).clamp(0, last.max(0)) as usize,
        };
        self.fetch(desk)
    }

    pub fn page_size(&self) -> isize {
        self.height.get().max(2) as isize - 1
    }

    pub fn cycle_sort(&mut self, desk: &mut Desk) -> Result<()> {
        self.sort = self.sort.next();
        self.desc = false;
        self.load(desk)
    }

    pub fn reverse_sort(&mut self, desk: &mut Desk) -> Result<()> {
        self.desc = !self.desc;
        self.load(desk)
    }

    /// Whose contacts the table shows next (`o`): everyone's, the user's, then each other
    /// owner by name. Says whose.
    pub fn cycle_whose(&mut self, desk: &mut Desk) -> Result<String> {
        let owners = self.index.owners.iter().map(String::as_str);
        self.whose = next_whose(self.whose.as_deref(), &self.me, owners);
        let keep = self.selected_id();
        self.refilter(desk, keep)?;
        Ok(whose_said(self.whose.as_deref(), &self.me, "contacts"))
    }

    pub fn toggle_archived(&mut self, desk: &mut Desk) -> Result<()> {
        self.archived = !self.archived;
        self.load(desk)
    }

    fn row(&self, pos: usize) -> Option<&Contact> {
        let id = self.index.ids.get(*self.shown.get(pos)? as usize)?;
        let c = self.page.get(pos.checked_sub(self.page_from)?)?;
        (c.id == *id).then_some(c)
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, now: NaiveDateTime) {
        if let Some(c) = &self.companies {
            return c.render(area, buf, theme);
        }
        if area.height < 3 || area.width < 10 {
            return;
        }
        let widths = self.column_widths(area.width as usize);
        let line = |y: u16| Rect {
            y,
            height: 1,
            ..area
        };
        self.top_line(area.width as usize, theme)
            .render(line(area.y), buf);
        self.head_line(widths, theme).render(line(area.y + 1), buf);
        let top = area.y + 2;
        let h = (area.y + area.height - top) as usize;
        self.height.set(h);
        if self.shown.is_empty() {
            let msg = self.empty_message();
            Line::styled(truncate(&msg, area.width as usize), theme.dim()).render(line(top), buf);
            return;
        }
        let rows = self.offset..(self.offset + h).min(self.shown.len());
        for (y, pos) in (top..).zip(rows) {
            self.row_line(pos, widths, theme, now).render(line(y), buf);
        }
    }

    /// name, company, status, temperature, last contact, next follow-up: the sorted column
    /// fits its header and arrow (`Last contact ↓`, not `Last contac…`); name and company
    /// share the rest.
    fn column_widths(&self, w: usize) -> [usize; 6] {
        let mut fixed = [9usize, 5, 12, 14];
        let sorted = self.sorted_column();
        if let Some(f) = sorted.checked_sub(2).and_then(|i| fixed.get_mut(i)) {
            *f = (*f).max(crate::text::width(HEADS[sorted]) + 2);
        }
        let rest = w.saturating_sub(fixed.iter().sum::<usize>() + 6);
        let name_w = (rest * 55 / 100).max(6);
        let co_w = rest.saturating_sub(name_w);
        [name_w, co_w, fixed[0], fixed[1], fixed[2], fixed[3]]
    }

    fn sorted_column(&self) -> usize {
        SortBy::ALL
            .iter()
            .position(|s| *s == self.sort)
            .unwrap_or(0)
    }

    fn arrow(&self) -> &'static str {
        if self.desc { "↑" } else { "↓" }
    }

    /// The top line: the filter, the sort, the count.
    fn top_line(&self, w: usize, theme: &Theme) -> Line<'static> {
        let sort_name = match self.sort {
            SortBy::Name => "name",
            SortBy::Company => "company",
            SortBy::Status => "status",
            SortBy::Temperature => "temperature",
            SortBy::LastContact => "last contact",
            SortBy::NextFollowUp => "next follow-up",
        };
        let whose = match self.whose.as_deref() {
            None => String::new(),
            Some(w) if w == self.me => " · yours".to_string(),
            Some(w) => format!(" · {}'s", printable(w)),
        };
        let count = format!(
            "{} of {}{whose}{} · by {sort_name} {}",
            crate::text::thousands(self.shown.len()),
            crate::text::thousands(self.index.len()),
            if self.archived {
                " (archived shown)"
            } else {
                ""
            },
            self.arrow()
        );
        let mut top = vec![Span::styled("/ ", theme.key())];
        let ftext = self.filter.input.text();
        if ftext.is_empty() && !self.filter.typing {
            top.push(Span::styled("filter · #tag is:lead hot", theme.dim()));
        } else {
            let style = if self.filter.typing {
                theme.field().patch(theme.focused())
            } else {
                theme.accent()
            };
            top.push(Span::styled(printable(ftext), style));
            if self.filter.typing {
                top.push(Span::styled(" ", style));
            }
        }
        let used: usize = top.iter().map(|s| crate::text::width(&s.content)).sum();
        let room = w.saturating_sub(used + 1);
        let count = truncate(&count, room);
        top.push(Span::raw(
            " ".repeat(room.saturating_sub(crate::text::width(&count)) + 1),
        ));
        top.push(Span::styled(count, theme.dim()));
        Line::from(top)
    }

    /// The column heads, the sorted one with its arrow.
    fn head_line(&self, widths: [usize; 6], theme: &Theme) -> Line<'static> {
        let arrow_col = self.sorted_column();
        let mut head_spans = Vec::new();
        for (i, (h, cw)) in HEADS.iter().zip(widths).enumerate() {
            let label = if i == arrow_col {
                format!("{h} {}", self.arrow())
            } else {
                h.to_string()
            };
            let style = if i == arrow_col {
                theme.header().patch(theme.accent())
            } else {
                theme.header()
            };
            head_spans.push(Span::styled(pad(&truncate(&label, cw), cw), style));
            head_spans.push(Span::raw(" "));
        }
        Line::from(head_spans)
    }

    /// What an empty table says: still reading, no contacts yet, or nothing matches.
    fn empty_message(&self) -> String {
        if self.index_pending() && !self.has_index {
            "Reading the names…".to_string()
        } else if self.index.is_empty() {
            "No contacts yet. `a` adds one; `salesdesk import FILE` brings a list in.".to_string()
        } else if let Some(w) = self
            .whose
            .as_deref()
            .filter(|_| self.filter.input.text().is_empty())
        {
            let whose = if w == self.me {
                "You have".to_string()
            } else {
                format!("{} has", printable(w))
            };
            format!("{whose} no contacts here. `o` shows the next owner's.")
        } else {
            format!(
                "No contact matches “{}”. Esc clears the filter.",
                printable(self.filter.input.text())
            )
        }
    }

    /// One row of the table: the whole contact once its page is read, else the name alone.
    fn row_line(
        &self,
        pos: usize,
        widths: [usize; 6],
        theme: &Theme,
        now: NaiveDateTime,
    ) -> Line<'static> {
        let sel = pos == self.selected;
        let cells: Vec<(String, Style)> = match self.row(pos) {
            Some(c) => row_cells(c, &self.me, theme, now),
            None => {
                let i = self.shown[pos] as usize;
                vec![(
                    printable(self.index.names.get(i).map_or("", |s| s.as_str())),
                    Style::new(),
                )]
            }
        };
        let mut spans = Vec::new();
        for (i, cw) in widths.iter().enumerate() {
            let (text, style) = cells.get(i).cloned().unwrap_or_default();
            let style = if sel { theme.selected() } else { style };
            spans.push(Span::styled(pad(&truncate(&text, *cw), *cw), style));
            spans.push(Span::styled(
                " ",
                if sel { theme.selected() } else { Style::new() },
            ));
        }
        Line::from(spans)
    }
}

fn row_cells(c: &Contact, me: &str, theme: &Theme, now: NaiveDateTime) -> Vec<(String, Style)> {
    let mut name = if c.archived {
        format!("{} (archived)", printable(&c.name))
    } else {
        printable(&c.name)
    };
    // Someone else's contact (a team's book) says whose first, as a board card does.
    if let Some(owner) = someone_else(&c.owner, me) {
        name = format!("{} · {name}", printable(&initials(owner)));
    }
    let last = match c.last_contacted_at {
        Some(t) => {
            let days = (now.date() - t.naive_local().date()).num_days();
            match days {
                0 => "today".to_string(),
                d if d > 0 => format!("{d}d ago"),
                d => format!("in {}d", -d),
            }
        }
        None => "never".to_string(),
    };
    let lapsed = match (c.cadence_days, c.last_contacted_at) {
        (Some(cad), Some(t)) => (now.date() - t.naive_local().date()).num_days() > cad,
        (Some(_), None) => true,
        _ => false,
    };
    let (next, next_style) = match c.next_follow_up_at.as_deref().and_then(parse_due) {
        Some(w) => {
            let style = if w.date() < now.date() {
                theme.overdue()
            } else if w.date() == now.date() {
                theme.today()
            } else {
                Style::new()
            };
            let mut s = when::relative(w, now);
            if w.date() < now.date() {
                s = format!("! {s}");
            }
            (s, style)
        }
        None => ("—".to_string(), theme.dim()),
    };
    vec![
        (
            name,
            if c.archived {
                theme.dim()
            } else {
                Style::new()
            },
        ),
        (
            c.company.as_deref().map(printable).unwrap_or_default(),
            Style::new(),
        ),
        (c.status.to_string(), theme.dim()),
        (
            c.temperature.map(|t| t.to_string()).unwrap_or_default(),
            temp_style(c, theme),
        ),
        (
            if lapsed { format!("{last} ⟳") } else { last },
            if lapsed { theme.today() } else { theme.dim() },
        ),
        (next, next_style),
    ]
}

fn temp_style(c: &Contact, theme: &Theme) -> Style {
    match c.temperature {
        Some(crate::domain::contact::Temperature::Hot) => theme.overdue(),
        Some(crate::domain::contact::Temperature::Warm) => theme.today(),
        _ => theme.dim(),
    }
}

/// A stored due (`2026-11-24` or RFC 3339) as a WHEN in local time.
pub fn parse_due(s: &str) -> Option<when::When> {
    if s.contains('T') {
        let t = chrono::DateTime::parse_from_rfc3339(s).ok()?;
        Some(when::When::At(
            t.with_timezone(&chrono::Local).naive_local(),
        ))
    } else {
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .map(when::When::Day)
    }
}

const HEADS: [&str; 6] = [
    "Name",
    "Company",
    "Status",
    "Temp",
    "Last contact",
    "Next follow-up",
];

pub type IndexWorker = crate::tui::worker::Worker<IndexOrder, NameIndex>;

/// Reads and folds the whole book's names (200,000 take longer than a frame) off the UI
/// thread.
pub fn index_worker(path: std::path::PathBuf) -> std::io::Result<IndexWorker> {
    crate::tui::worker::Worker::spawn("names", path, |db, j| {
        Ok(NameIndex::new(crate::ops::contacts_index::index(db, j)?))
    })
}
