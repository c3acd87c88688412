//! The home screen: Overdue, Today, Upcoming (7 days) and Reconnect, in the order of
//! `today --json`, and the welcome when the book is empty.

use chrono::NaiveDateTime;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::domain::follow_up::DueState;
use crate::domain::follow_up::{FollowUp, Reconnect};
use crate::error::Result;
use crate::ops::Desk;
use crate::ops::today::{DueAsOf, DueList, Rows, Today, due_list};
use crate::text::{pad, printable};
use crate::tui::keymap::{Context, Keymap};
use crate::tui::theme::Theme;
use crate::tui::worker::Asker;

use super::today_columns::{Columns, Natural, deal_label, follow_up_text, reconnect_text};
use crate::when;

/// Upcoming shows this many days ahead.
pub const UPCOMING_DAYS: u32 = 7;
/// ... and this many in the agenda (`A`).
pub const AGENDA_DAYS: u32 = 30;
use crate::tui::screens::GROUP_LIMIT;

/// A selectable row, by the id of what it shows, so a reload keeps the selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowRef {
    FollowUp(i64),
    Reconnect(i64),
}

#[derive(Debug, Default)]
pub struct TodayScreen {
    pub data: Today,
    pub rows: Vec<RowRef>,
    pub selected: usize,
    /// The book has no contact at all: show the welcome.
    pub empty: bool,
    /// How many are due in each group (overdue, today, upcoming), loaded or not.
    pub totals: [i64; 3],
    /// Reads the lists again off the UI thread after a change (on a large book that takes
    /// longer than a key may); a book in memory (tests) is read inline.
    worker: Asker<DueAsOf, DueList>,
    /// The follow-up `forget` last took off (done, snoozed): an undo brings it back selected,
    /// so a second `x` cannot land on the row that had moved up in its place.
    forgotten: Option<i64>,
    /// Select this follow-up when the next read shows it.
    select_next_read: Option<i64>,
    /// Upcoming shows `AGENDA_DAYS` instead of `UPCOMING_DAYS` (`A` toggles).
    pub agenda: bool,
    /// What the loaded rows would need of each column: measured when they change, not on
    /// every frame.
    natural: Natural,
}

impl TodayScreen {
    /// Reads the lists again here and now, keeping the selection on the same item (or the
    /// same place): the first frame, and every read on a book in memory.
    pub fn load(&mut self, desk: &mut Desk) -> Result<()> {
        let at = desk.due_as_of(self.upcoming_days());
        let loaded = due_list(&mut desk.db, at, Rows::Page(GROUP_LIMIT))?;
        self.worker.answered_here();
        self.install(loaded);
        Ok(())
    }

    /// Reads the lists again after a change. On a book in a file this only asks the worker;
    /// `poll` installs the answer when it comes, and until then the screen shows what it had
    /// (less what `forget` took out).
    pub fn refresh(&mut self, desk: &mut Desk) -> Result<()> {
        let job = desk.due_as_of(self.upcoming_days());
        if self
            .worker
            .ask(desk.db.reopen_at().as_deref(), today_worker, job)
        {
            return Ok(());
        }
        self.load(desk)
    }

    pub fn upcoming_days(&self) -> u32 {
        if self.agenda {
            AGENDA_DAYS
        } else {
            UPCOMING_DAYS
        }
    }

    /// A read asked of the worker has not arrived yet.
    pub fn pending(&self) -> bool {
        self.worker.pending()
    }

    /// Installs the worker's newest answer when it has come; returns whether one was.
    /// Answers to older requests are dropped.
    pub fn poll(&mut self) -> Result<bool> {
        let Some(answer) = self.worker.answer() else {
            return Ok(false);
        };
        match answer {
            Ok(loaded) => {
                self.install(loaded);
                Ok(true)
            }
            Err(e) => Err(crate::error::Error::env(format!(
                "cannot read the due list: {e}"
            ))),
        }
    }

    /// Takes a follow-up off the screen at once (done, snoozed) while the worker reads the
    /// lists again; the selection stays at the same place, on the row that followed.
    pub fn forget(&mut self, id: i64) {
        self.forgotten = Some(id);
        let groups = [
            &mut self.data.overdue,
            &mut self.data.today,
            &mut self.data.upcoming,
        ];
        for (group, total) in groups.into_iter().zip(self.totals.iter_mut()) {
            if let Some(i) = group.iter().position(|f| f.id == id) {
                group.remove(i);
                *total -= 1;
            }
        }
        if let Some(i) = self.rows.iter().position(|r| *r == RowRef::FollowUp(id)) {
            self.rows.remove(i);
            self.selected = self.selected.min(self.rows.len().saturating_sub(1));
        }
        self.natural = Natural::of(&self.data);
    }

    /// An undo: the follow-up last taken off, if it comes back, is selected again.
    pub fn undone(&mut self) {
        self.select_next_read = self.forgotten.take();
    }

    fn install(&mut self, loaded: DueList) {
        let back = self.select_next_read.take().map(RowRef::FollowUp);
        let keep = self.rows.get(self.selected).copied();
        let DueList {
            lists: data,
            totals,
            empty,
        } = loaded;
        self.data = data;
        self.natural = Natural::of(&self.data);
        self.totals = totals;
        self.empty = empty;
        self.rows = self
            .groups()
            .iter()
            .flat_map(|(_, fs)| fs.iter().map(|f| RowRef::FollowUp(f.id)))
            .chain(
                self.data
                    .reconnect
                    .iter()
                    .map(|r| RowRef::Reconnect(r.contact_id)),
            )
            .collect();
        let at = |k: RowRef| self.rows.iter().position(|r| *r == k);
        self.selected = match back.and_then(at).or_else(|| keep.and_then(at)) {
            Some(i) => i,
            None => self.selected.min(self.rows.len().saturating_sub(1)),
        };
    }

    pub fn groups(&self) -> [(&'static str, &Vec<FollowUp>); 3] {
        [
            ("Overdue", &self.data.overdue),
            ("Today", &self.data.today),
            (
                if self.agenda {
                    "Upcoming · 30 days (agenda)"
                } else {
                    "Upcoming · 7 days"
                },
                &self.data.upcoming,
            ),
        ]
    }

    /// The loaded timed follow-ups whose due instant came after `since` and by `now`, with
    /// it: what the open desk announces as it comes due. Instants, not wall-clock times, so
    /// the hour a clock goes back announces nothing twice.
    pub fn came_due(
        &self,
        since: chrono::DateTime<chrono::Local>,
        now: chrono::DateTime<chrono::Local>,
    ) -> Vec<(&FollowUp, chrono::DateTime<chrono::Local>)> {
        self.data
            .overdue
            .iter()
            .chain(&self.data.today)
            .filter(|f| !f.all_day)
            .filter_map(|f| Some((f, crate::clock::parse_stamp(&f.due_at)?)))
            .filter(|(_, at)| since < *at && *at <= now)
            .collect()
    }

    pub fn follow_up(&self, id: i64) -> Option<&FollowUp> {
        self.data
            .overdue
            .iter()
            .chain(&self.data.today)
            .chain(&self.data.upcoming)
            .find(|f| f.id == id)
    }

    pub fn selected_row(&self) -> Option<RowRef> {
        self.rows.get(self.selected).copied()
    }

    pub fn selected_follow_up(&self) -> Option<&FollowUp> {
        match self.selected_row()? {
            RowRef::FollowUp(id) => self.follow_up(id),
            RowRef::Reconnect(_) => None,
        }
    }

    fn reconnect(&self, id: i64) -> Option<&Reconnect> {
        self.data.reconnect.iter().find(|r| r.contact_id == id)
    }

    /// The contact of the selected row: (id, name).
    pub fn selected_contact(&self) -> Option<(i64, String)> {
        match self.selected_row()? {
            RowRef::FollowUp(id) => self
                .follow_up(id)
                .map(|f| (f.contact_id, f.contact_name.clone())),
            RowRef::Reconnect(id) => self.reconnect(id).map(|r| (r.contact_id, r.name.clone())),
        }
    }

    pub fn move_by(&mut self, delta: isize) {
        if self.rows.is_empty() {
            return;
        }
        let last = self.rows.len() as isize - 1;
        self.selected = (self.selected as isize + delta).clamp(0, last) as usize;
    }

    pub fn select_end(&mut self, last: bool) {
        self.selected = if last {
            self.rows.len().saturating_sub(1)
        } else {
            0
        };
    }

    pub fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        keymap: &Keymap,
        now: NaiveDateTime,
    ) {
        if self.empty {
            return welcome(area, buf, theme, keymap);
        }
        let w = area.width as usize;
        let cols = Columns::fit(w, self.natural);
        // First the shape of the list (cheap), then text for the rows in view only: a book
        // with thousands of rows due draws as fast as one with ten.
        enum Entry<'a> {
            Header(String, Style),
            FollowUp(&'a FollowUp, bool),
            Reconnect(&'a Reconnect, bool),
        }
        let mut entries: Vec<Entry> = Vec::with_capacity(self.rows.len() + 4);
        let mut selected_line = 0;
        let mut index = 0;
        for (g, (title, list)) in self.groups().into_iter().enumerate() {
            if list.is_empty() {
                continue;
            }
            let style = match title {
                "Overdue" => theme.overdue(),
                "Today" => theme.today().add_modifier(ratatui::style::Modifier::BOLD),
                _ => theme.header(),
            };
            let total = self.totals[g].max(list.len() as i64);
            entries.push(Entry::Header(
                format!("{} ({total})", title.to_uppercase()),
                style,
            ));
            for f in list {
                let sel = self.selected == index;
                if sel {
                    selected_line = entries.len();
                }
                entries.push(Entry::FollowUp(f, sel));
                index += 1;
            }
            if total > list.len() as i64 {
                let more = total - list.len() as i64;
                entries.push(Entry::Header(
                    format!(
                        "  … {more} more; `salesdesk today --days {}` lists them all",
                        self.upcoming_days()
                    ),
                    theme.dim(),
                ));
            }
        }
        if !self.data.reconnect.is_empty() {
            entries.push(Entry::Header(
                format!("RECONNECT ({})", self.data.reconnect.len()),
                theme.header(),
            ));
            for r in &self.data.reconnect {
                let sel = self.selected == index;
                if sel {
                    selected_line = entries.len();
                }
                entries.push(Entry::Reconnect(r, sel));
                index += 1;
            }
        }
        let height = area.height as usize;
        // Keep the selection in view, with its group header when there is room.
        let offset = (selected_line + 1).saturating_sub(height);
        let mut lines: Vec<Line> = entries
            .iter()
            .skip(offset)
            .take(height)
            .map(|e| match e {
                Entry::Header(t, style) => Line::styled(t.clone(), *style),
                Entry::FollowUp(f, sel) => follow_up_row(f, &cols, theme, *sel, now, w),
                Entry::Reconnect(r, sel) => reconnect_row(r, &cols, theme, *sel, w),
            })
            .collect();
        if self.rows.is_empty() {
            let note = keymap.keys_of(Context::Global, crate::tui::action::Action::FollowUp);
            lines.push(Line::from(""));
            lines.push(Line::from(format!(
                "  No follow-ups due. `{note}` adds one."
            )));
        }
        Paragraph::new(lines).render(area, buf);
    }
}

fn cells(
    cols: &Columns,
    when: &str,
    contact: &str,
    company: &str,
    kind: &str,
    text: &str,
    deal: &str,
) -> String {
    let mut s = String::new();
    for (v, w) in [
        (when, cols.when),
        (contact, cols.contact),
        (company, cols.company),
        (kind, cols.kind),
        (text, cols.text),
        (deal, cols.deal),
    ] {
        if w > 0 {
            s.push_str(&pad(&printable(v), w));
            s.push(' ');
        }
    }
    s
}

fn row_line(
    mark: &str,
    body: String,
    style: Style,
    theme: &Theme,
    sel: bool,
    w: usize,
) -> Line<'static> {
    let text = format!("{}{mark} {body}", if sel { "▶ " } else { "  " });
    let text = pad(&text, w);
    Line::from(Span::styled(
        text,
        if sel { theme.selected() } else { style },
    ))
}

fn follow_up_row(
    f: &FollowUp,
    cols: &Columns,
    theme: &Theme,
    sel: bool,
    now: NaiveDateTime,
    w: usize,
) -> Line<'static> {
    let (mark, style) = match f.status {
        DueState::Overdue => ("!", theme.overdue()),
        DueState::Today if f.late => ("!", theme.today()),
        DueState::Today => ("•", theme.today()),
        _ => (" ", Style::new()),
    };
    let mut due = match (f.status, f.due.time()) {
        (DueState::Today, Some(t)) => t.format("%H:%M").to_string(),
        (DueState::Today, None) => "all day".to_string(),
        _ => when::relative(f.due, now),
    };
    if f.late {
        due.push_str(" late");
    }
    let deal = deal_label(f, cols.deal);
    let body = cells(
        cols,
        &due,
        &f.contact_name,
        f.company.as_deref().unwrap_or(""),
        f.kind.as_str(),
        &follow_up_text(f),
        &deal,
    );
    row_line(mark, body, style, theme, sel, w)
}

fn reconnect_row(
    r: &Reconnect,
    cols: &Columns,
    theme: &Theme,
    sel: bool,
    w: usize,
) -> Line<'static> {
    let body = cells(
        cols,
        &format!("{}d quiet", r.days_since),
        &r.name,
        r.company.as_deref().unwrap_or(""),
        "touch",
        &reconnect_text(r),
        "",
    );
    row_line("~", body, Style::new(), theme, sel, w)
}

fn welcome(area: Rect, buf: &mut Buffer, theme: &Theme, keymap: &Keymap) {
    use crate::tui::action::Action as A;
    let k = |c, a| keymap.keys_of(c, a);
    let lines = vec![
        Line::from(""),
        Line::styled("  Welcome to salesdesk.", theme.header()),
        Line::from(""),
        Line::from("  Your book is empty. Everything you add is saved at once, in one file."),
        Line::from(""),
        Line::from(vec![
            Span::styled(
                format!("  {} ", pad(&k(Context::Welcome, A::LoadDemo), 9)),
                theme.key(),
            ),
            Span::raw("load the demo book, to try things on"),
        ]),
        Line::from(vec![
            Span::styled(
                format!("  {} ", pad(&k(Context::Welcome, A::AddContact), 9)),
                theme.key(),
            ),
            Span::raw("add your first contact"),
        ]),
        Line::from(vec![
            Span::styled(
                format!("  {} ", pad(&k(Context::Global, A::Help), 9)),
                theme.key(),
            ),
            Span::raw("every key"),
        ]),
        Line::from(vec![
            Span::styled(
                format!("  {} ", pad(&k(Context::Global, A::Quit), 9)),
                theme.key(),
            ),
            Span::raw("quit"),
        ]),
    ];
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(area, buf);
}

pub type TodayWorker = crate::tui::worker::Worker<DueAsOf, DueList>;

/// Reads Today's groups again after a change: on a large book (thousands due) that takes
/// longer than the few milliseconds a key may.
pub fn today_worker(path: std::path::PathBuf) -> std::io::Result<TodayWorker> {
    crate::tui::worker::Worker::spawn("today", path, |db, j| {
        due_list(db, j, Rows::Page(GROUP_LIMIT))
    })
}
