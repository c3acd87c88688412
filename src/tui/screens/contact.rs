//! A read-only contact view: fields, open deals, open follow-ups, the note timeline.

use chrono::NaiveDateTime;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Paragraph, Widget};

use crate::error::Result;
use crate::ops::Desk;
use crate::ops::contacts::ContactView;
use crate::tui::theme::Theme;

use crate::tui::screens::contact_full::NOTES_SHOWN;

#[derive(Debug)]
pub struct ContactScreen {
    pub id: i64,
    pub view: ContactView,
    /// The note of the timeline that `E` edits and `d` deletes.
    pub note: usize,
    /// The open follow-up that `T` edits and `X` cancels.
    pub follow_up: usize,
}

impl ContactScreen {
    pub fn open(desk: &mut Desk, id: i64) -> Result<Self> {
        Ok(ContactScreen {
            id,
            view: desk.contact_view(id, NOTES_SHOWN)?,
            note: 0,
            follow_up: 0,
        })
    }

    /// Reads the contact again; the selected note stays the same note where it still exists.
    pub fn reload(&mut self, desk: &mut Desk) -> Result<()> {
        let keep = self.selected_note().map(|n| n.id);
        let keep_fu = self.selected_follow_up().map(|f| f.id);
        self.view = desk.contact_view(self.id, NOTES_SHOWN)?;
        let fus = &self.view.follow_ups;
        self.follow_up = keep_fu
            .and_then(|id| fus.iter().position(|f| f.id == id))
            .unwrap_or(self.follow_up.min(fus.len().saturating_sub(1)));
        self.note = match keep.and_then(|id| self.view.notes.iter().position(|n| n.id == id)) {
            Some(i) => i,
            None => self.note.min(self.view.notes.len().saturating_sub(1)),
        };
        Ok(())
    }

    pub fn selected_note(&self) -> Option<&crate::domain::note::Note> {
        self.view.notes.get(self.note)
    }

    pub fn selected_follow_up(&self) -> Option<&crate::domain::follow_up::FollowUp> {
        self.view.follow_ups.get(self.follow_up)
    }

    /// `J`/`K` pick among the open follow-ups.
    pub fn move_follow_up(&mut self, by: isize) {
        let last = self.view.follow_ups.len().saturating_sub(1) as isize;
        self.follow_up = (self.follow_up as isize + by).clamp(0, last.max(0)) as usize;
    }

    /// `j`/`k` walk the timeline; the view scrolls to keep the note in sight.
    pub fn move_note(&mut self, by: isize) {
        let last = self.view.notes.len().saturating_sub(1) as isize;
        self.note = match by {
            isize::MIN => 0,
            isize::MAX => last.max(0) as usize,
            d => (self.note as isize + d).clamp(0, last.max(0)) as usize,
        };
    }

    /// The follow-up a call now would complete: the oldest open one due by `today`.
    pub fn due_follow_up(
        &self,
        today: chrono::NaiveDate,
    ) -> Option<&crate::domain::follow_up::FollowUp> {
        self.view.follow_ups.iter().find(|f| f.due.date() <= today)
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, now: NaiveDateTime) {
        let (lines, at) = crate::tui::screens::contact_full::lines(
            &self.view,
            self.note,
            self.follow_up,
            theme,
            now,
            area.width as usize,
        );
        let max = (lines.len() as u16).saturating_sub(area.height);
        // Keep the selected note in sight, a third of the way down once it would leave the screen.
        let at = at as u16;
        let scroll = if at < area.height.saturating_sub(4) {
            0
        } else {
            at.saturating_sub(area.height / 3)
        };
        Paragraph::new(lines)
            .scroll((scroll.min(max), 0))
            .render(area, buf);
    }
}
