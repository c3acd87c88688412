//! The deal view: its fields, the stage history with dates, its notes and open follow-ups.
//! `Esc` goes back to the board it was opened from.

use chrono::NaiveDateTime;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::domain::deal::Deal;
use crate::domain::deal::{DealEvent, DealStatus, weighted};
use crate::domain::follow_up::FollowUp;
use crate::domain::follow_up::FollowUpStatus;
use crate::domain::money;
use crate::domain::note::Note;
use crate::domain::team::{Reassignment, someone_else};
use crate::error::{Error, Result};
use crate::ops::Desk;
use crate::ops::deals::DealView;
use crate::text::{printable, truncate};
use crate::tui::screen::Screen;
use crate::tui::theme::Theme;
use crate::when;

pub const NOTES_SHOWN: usize = 50;

#[derive(Debug)]
pub struct DealScreen {
    pub deal: Deal,
    pub follow_ups: Vec<FollowUp>,
    pub notes: Vec<Note>,
    /// Who gave the deal to whom, oldest first.
    pub reassigned: Vec<Reassignment>,
    /// The desk's user: the page names owners and authors other than them.
    pub me: String,
    pub probability: Option<u8>,
    pub currency: String,
    pub scroll: u16,
    /// The board to go back to, as it was.
    pub board: Option<Box<Screen>>,
}

type Opened = std::result::Result<DealScreen, (Error, Option<Box<Screen>>)>;

impl DealScreen {
    /// Opens deal `id`; on failure the board comes back with the error.
    pub fn open(desk: &mut Desk, id: i64, board: Option<Box<Screen>>) -> Opened {
        match fetch(desk, id) {
            Ok(Parts {
                deal,
                follow_ups,
                notes,
                reassigned,
                probability,
            }) => Ok(DealScreen {
                deal,
                follow_ups,
                notes,
                reassigned,
                me: desk.db.user(),
                probability,
                currency: desk.config.currency(),
                scroll: 0,
                board,
            }),
            Err(e) => Err((e, board)),
        }
    }

    pub fn reload(&mut self, desk: &mut Desk) -> Result<()> {
        let parts = fetch(desk, self.deal.id)?;
        self.deal = parts.deal;
        self.follow_ups = parts.follow_ups;
        self.notes = parts.notes;
        self.reassigned = parts.reassigned;
        self.probability = parts.probability;
        self.currency = desk.config.currency();
        Ok(())
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, now: NaiveDateTime) {
        let lines = self.lines(theme, now, area.width as usize);
        let max = (lines.len() as u16).saturating_sub(area.height);
        Paragraph::new(lines)
            .scroll((self.scroll.min(max), 0))
            .render(area, buf);
    }

    pub fn lines(&self, theme: &Theme, now: NaiveDateTime, w: usize) -> Vec<Line<'static>> {
        let d = &self.deal;
        let t = |s: &str| truncate(&printable(s), w.saturating_sub(2));
        let date =
            |dt: chrono::DateTime<chrono::Local>| dt.format("%a %-d %b %Y %H:%M").to_string();
        let mut lines = Vec::new();
        let status = match d.status {
            DealStatus::Open => Span::styled("open".to_string(), theme.accent()),
            DealStatus::Won => Span::styled("✓ won".to_string(), theme.ok()),
            DealStatus::Lost => Span::styled("✗ lost".to_string(), theme.error()),
        };
        lines.push(Line::from(vec![
            Span::styled(t(&format!("#{} {}", d.id, d.title)), theme.header()),
            Span::raw("  "),
            status,
        ]));
        let mut who = d.contact_name.clone();
        if let Some(co) = &d.company {
            who.push_str(&format!(" · {co}"));
        }
        let field = |label: &str, value: String| {
            Line::from(vec![
                Span::styled(format!("  {label:<15}"), theme.dim()),
                Span::raw(t(&value)),
            ])
        };
        lines.push(field("Contact", who));
        if let Some(owner) = someone_else(&d.owner, &self.me) {
            lines.push(field("Owner", owner.to_string()));
        }
        let mut value = money::format(d.value_cents, &d.currency);
        if let Some(p) = self.probability
            && d.status == DealStatus::Open
        {
            value.push_str(&format!(
                " · weighted {} at {p}%",
                money::format(weighted(d.value_cents, p), &d.currency)
            ));
        }
        lines.push(field("Value", value));
        let stage = match self.probability {
            Some(_) => d.stage.clone(),
            None => format!("{} (unstaged: the config no longer names it)", d.stage),
        };
        lines.push(field("Stage", stage));
        let in_stage = (now.date() - d.stage_entered_at.date_naive())
            .num_days()
            .max(0);
        lines.push(field(
            "In stage since",
            format!(
                "{} ({in_stage}d)",
                d.stage_entered_at.format("%a %-d %b %Y")
            ),
        ));
        let close = match d
            .expected_close
            .as_deref()
            .and_then(crate::tui::screens::due_when)
        {
            Some(w) => format!("{} ({})", when::describe(w, now), when::relative(w, now)),
            None => "not set".to_string(),
        };
        lines.push(field("Expected close", close));
        lines.push(field("Created", date(d.created_at)));
        if let Some(c) = d.closed_at {
            lines.push(field("Closed", date(c)));
        }
        if let Some(r) = &d.lost_reason {
            lines.push(field("Lost because", r.clone()));
        }
        lines.push(Line::from(""));
        lines.push(Line::styled(
            format!("HISTORY ({})", d.history.len()),
            theme.header(),
        ));
        for h in &d.history {
            let what = match h.event {
                DealEvent::Stage => format!("→ {}", h.stage),
                DealEvent::Won => format!("won (in {})", h.stage),
                DealEvent::Lost => format!("lost (in {})", h.stage),
                DealEvent::Reopened => format!("reopened (in {})", h.stage),
            };
            let what = match someone_else(&h.by, &self.me) {
                Some(by) => format!("{what} · by {by}"),
                None => what,
            };
            lines.push(Line::from(vec![
                Span::styled(
                    format!("  {}  ", h.at.format("%a %-d %b %Y %H:%M")),
                    theme.dim(),
                ),
                Span::raw(t(&what)),
            ]));
        }
        for r in &self.reassigned {
            lines.push(Line::from(vec![
                Span::styled(
                    format!("  {}  ", r.at.format("%a %-d %b %Y %H:%M")),
                    theme.dim(),
                ),
                Span::raw(t(&format!("given {}", r.describe()))),
            ]));
        }
        lines.push(Line::from(""));
        lines.push(Line::styled(
            format!("FOLLOW-UPS ({})", self.follow_ups.len()),
            theme.header(),
        ));
        if self.follow_ups.is_empty() && d.status == DealStatus::Open {
            lines.push(Line::styled(
                "  ! no next step: f schedules one".to_string(),
                theme.today(),
            ));
        }
        for f in &self.follow_ups {
            lines.push(super::follow_up_line(f, now, theme, w));
        }
        lines.push(Line::from(""));
        lines.push(Line::styled(
            format!("NOTES ({})", self.notes.len()),
            theme.header(),
        ));
        for n in &self.notes {
            let at = n.created_at.naive_local();
            let mut head = format!("  {} · {}", when::describe(when::When::At(at), now), n.kind);
            if let Some(o) = n.outcome {
                head.push_str(&format!(" · {o}"));
            }
            head.push_str(&super::authorship(n, &self.me));
            lines.push(Line::styled(t(&head), theme.dim()));
            for l in n.body.lines().take(4) {
                lines.push(Line::from(format!("    {}", t(l))));
            }
        }
        lines
    }
}

/// What the page shows of `deal show`'s read model.
struct Parts {
    deal: Deal,
    follow_ups: Vec<FollowUp>,
    notes: Vec<Note>,
    reassigned: Vec<Reassignment>,
    /// None: the config no longer names the deal's stage.
    probability: Option<u8>,
}

/// The deal page's read model (`salesdesk deal show`'s), of which the page shows the open
/// follow-ups.
fn fetch(desk: &mut Desk, id: i64) -> Result<Parts> {
    let DealView {
        deal,
        mut follow_ups,
        notes,
        reassigned,
        ..
    } = desk.deal_view(id, NOTES_SHOWN)?;
    follow_ups.retain(|f| f.open == FollowUpStatus::Open);
    let probability = desk
        .config
        .stage_index_in(&deal.pipeline, &deal.stage)
        .map(|_| desk.config.probability_in(&deal.pipeline, &deal.stage));
    Ok(Parts {
        deal,
        follow_ups,
        notes,
        reassigned,
        probability,
    })
}
