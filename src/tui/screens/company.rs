//! A company: its people (`Enter` opens one), their deals, and their notes newest first.

use chrono::NaiveDateTime;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

use crate::domain::deal::DealStatus;
use crate::domain::money;
use crate::error::Result;
use crate::ops::Desk;
use crate::ops::timeline::CompanyView;
use crate::text::{printable, truncate};
use crate::tui::theme::Theme;
use crate::when;

pub const NOTES_SHOWN: usize = 30;

#[derive(Debug)]
pub struct CompanyScreen {
    pub id: i64,
    pub view: CompanyView,
    /// The selected person.
    pub selected: usize,
}

impl CompanyScreen {
    pub fn open(desk: &mut Desk, id: i64) -> Result<Self> {
        Ok(CompanyScreen {
            id,
            view: desk.company_view(id, NOTES_SHOWN)?,
            selected: 0,
        })
    }

    pub fn reload(&mut self, desk: &mut Desk) -> Result<()> {
        let keep = self.selected_contact().map(|c| c.0);
        self.view = desk.company_view(self.id, NOTES_SHOWN)?;
        self.selected = keep
            .and_then(|id| self.view.contacts.iter().position(|c| c.id == id))
            .unwrap_or(
                self.selected
                    .min(self.view.contacts.len().saturating_sub(1)),
            );
        Ok(())
    }

    pub fn selected_contact(&self) -> Option<(i64, String)> {
        self.view
            .contacts
            .get(self.selected)
            .map(|c| (c.id, c.name.clone()))
    }

    pub fn move_by(&mut self, by: isize) {
        let last = self.view.contacts.len().saturating_sub(1) as isize;
        self.selected = match by {
            isize::MIN => 0,
            isize::MAX => last.max(0) as usize,
            d => (self.selected as isize + d).clamp(0, last.max(0)) as usize,
        };
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, now: NaiveDateTime) {
        let w = area.width as usize;
        let t = |s: &str| truncate(&printable(s), w.saturating_sub(1));
        let v = &self.view;
        let mut out: Vec<Line<'static>> = vec![Line::styled(t(&v.company.name), theme.header())];
        let open: Vec<_> = v
            .deals
            .iter()
            .filter(|d| d.status == DealStatus::Open)
            .collect();
        let total: i128 = open.iter().map(|d| i128::from(d.value_cents)).sum();
        let cur = open.first().map(|d| d.currency.clone()).unwrap_or_default();
        out.push(Line::styled(
            t(&format!(
                "{} · {}{}",
                crate::text::plural(v.contacts.len(), "person"),
                crate::text::plural(open.len(), "open deal"),
                if open.is_empty() {
                    String::new()
                } else {
                    format!(" · {}", money::format(total, &cur))
                }
            )),
            theme.dim(),
        ));
        out.push(Line::from(""));
        out.push(Line::styled(
            format!("PEOPLE ({})", v.contacts.len()),
            theme.header(),
        ));
        for (i, c) in v.contacts.iter().enumerate() {
            let sel = i == self.selected;
            let mut text = format!("{} {}", if sel { "▶" } else { " " }, c.name);
            if let Some(title) = &c.title {
                text.push_str(&format!(" · {title}"));
            }
            text.push_str(&format!(" · {}", c.status));
            if let Some(e) = c.emails.first() {
                text.push_str(&format!(" · {e}"));
            }
            if c.archived {
                text.push_str(" [archived]");
            }
            out.push(Line::styled(
                t(&text),
                if sel { theme.selected() } else { Style::new() },
            ));
        }
        out.push(Line::from(""));
        out.push(Line::styled(
            format!("DEALS ({})", v.deals.len()),
            theme.header(),
        ));
        for d in &v.deals {
            let where_ = if d.status == DealStatus::Open {
                d.stage.clone()
            } else {
                d.status.to_string()
            };
            let style = if d.status == DealStatus::Open {
                Style::new()
            } else {
                theme.dim()
            };
            out.push(Line::styled(
                t(&format!(
                    "  #{} {} · {} · {where_} · {}",
                    d.id,
                    d.title,
                    d.contact_name,
                    money::format(d.value_cents, &d.currency)
                )),
                style,
            ));
        }
        out.push(Line::from(""));
        out.push(Line::styled(
            format!("NOTES ({}) newest first", v.notes.len()),
            theme.header(),
        ));
        for n in &v.notes {
            let who = v
                .contacts
                .iter()
                .find(|c| c.id == n.contact_id)
                .map(|c| c.name.as_str())
                .unwrap_or("");
            let at = n.created_at.naive_local();
            let mut head = format!(
                "  {} · {} · {who} · {}",
                at.format("%-d %b %Y"),
                when::relative(when::When::At(at), now),
                n.kind
            );
            if let Some(o) = n.outcome {
                head.push_str(&format!(" · {o}"));
            }
            out.push(Line::styled(t(&head), theme.dim()));
            for l in n.body.lines().take(3) {
                out.push(Line::from(t(&format!("    {l}"))));
            }
        }
        // Keep the selected person in sight.
        let at = 4 + self.selected as u16;
        let scroll = at.saturating_sub(area.height.saturating_sub(2));
        Paragraph::new(out).scroll((scroll, 0)).render(area, buf);
    }
}
