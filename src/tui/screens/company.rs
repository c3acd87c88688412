//! A company: what it adds up to, its people and their deals (`Enter` opens the one
//! selected, `j`/`k` walk people then deals), and their notes newest first.

use chrono::NaiveDateTime;
use ratatui::Frame;
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
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::nav::Target;
use crate::tui::popups::View;
use crate::tui::screen::{Cx, Effect, Page};
use crate::tui::theme::Theme;
use crate::when;

pub const NOTES_SHOWN: usize = 30;

#[derive(Debug)]
pub struct CompanyScreen {
    pub id: i64,
    pub view: CompanyView,
    /// The selected row: a person, then (past the people) a deal.
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
                    .min((self.view.contacts.len() + self.view.deals.len()).saturating_sub(1)),
            );
        Ok(())
    }

    pub fn selected_contact(&self) -> Option<(i64, String)> {
        self.view
            .contacts
            .get(self.selected)
            .map(|c| (c.id, c.name.clone()))
    }

    /// Who `n` and `f` are for: the selected person, or the selected deal's contact with the
    /// deal.
    pub fn focus(&self) -> Option<(i64, String, Option<i64>)> {
        match self.selected_target()? {
            Target::Deal { deal_id, .. } => {
                let d = self.view.deals.iter().find(|d| d.id == deal_id)?;
                Some((d.contact_id, d.contact_name.clone(), Some(d.id)))
            }
            _ => self.selected_contact().map(|(id, n)| (id, n, None)),
        }
    }

    /// What `Enter` opens: the selected person or deal.
    pub fn selected_target(&self) -> Option<Target> {
        let people = self.view.contacts.len();
        match self.view.contacts.get(self.selected) {
            Some(c) => Some(Target::Contact(c.id)),
            None => self
                .view
                .deals
                .get(self.selected.checked_sub(people)?)
                .map(|d| Target::Deal {
                    contact_id: d.contact_id,
                    deal_id: d.id,
                }),
        }
    }

    pub fn move_by(&mut self, by: isize) {
        let last = (self.view.contacts.len() + self.view.deals.len()).saturating_sub(1) as isize;
        self.selected = match by {
            isize::MIN => 0,
            isize::MAX => last.max(0) as usize,
            d => (self.selected as isize + d).clamp(0, last.max(0)) as usize,
        };
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, now: NaiveDateTime) {
        let w = area.width as usize;
        let t = |s: &str| truncate(&printable(s), w.saturating_sub(1));
        let mut out: Vec<Line<'static>> =
            vec![Line::styled(t(&self.view.company.name), theme.header())];
        self.summary(&mut out, theme, now, w);
        self.people(&mut out, theme, w);
        self.deals(&mut out, theme, w);
        self.notes(&mut out, theme, now, w);
        let people = self.view.contacts.len();
        // Keep the selected row in sight (the deals sit below the people and two lines).
        let extra = if self.selected >= people { 2 } else { 0 };
        let at = 4 + self.selected as u16 + extra;
        let scroll = at.saturating_sub(area.height.saturating_sub(2));
        Paragraph::new(out).scroll((scroll, 0)).render(area, buf);
    }

    /// What the company adds up to: people, open deals and their value per currency, won and lost, the last touch.
    fn summary(&self, out: &mut Vec<Line<'static>>, theme: &Theme, now: NaiveDateTime, w: usize) {
        let t = |s: &str| truncate(&printable(s), w.saturating_sub(1));
        let v = &self.view;
        let open: Vec<_> = v
            .deals
            .iter()
            .filter(|d| d.status == DealStatus::Open)
            .collect();
        // Money stays per currency.
        let mut totals: Vec<(String, i128)> = Vec::new();
        for d in &open {
            match totals.iter_mut().find(|(c, _)| *c == d.currency) {
                Some((_, t)) => *t += i128::from(d.value_cents),
                None => totals.push((d.currency.clone(), i128::from(d.value_cents))),
            }
        }
        let won = v
            .deals
            .iter()
            .filter(|d| d.status == DealStatus::Won)
            .count();
        let lost = v
            .deals
            .iter()
            .filter(|d| d.status == DealStatus::Lost)
            .count();
        let mut facts = vec![
            crate::text::plural(v.contacts.len(), "person"),
            crate::text::plural(open.len(), "open deal"),
        ];
        facts.extend(totals.iter().map(|(c, t)| money::format(*t, c)));
        facts.push(format!("won {won} · lost {lost}"));
        if let Some(last) = v.contacts.iter().filter_map(|c| c.last_contacted_at).max() {
            let at = last.naive_local();
            facts.push(format!(
                "last touch {}",
                when::relative(when::When::At(at), now)
            ));
        }
        out.push(Line::styled(t(&facts.join(" · ")), theme.dim()));
    }

    /// Its people, the selected one marked.
    fn people(&self, out: &mut Vec<Line<'static>>, theme: &Theme, w: usize) {
        let t = |s: &str| truncate(&printable(s), w.saturating_sub(1));
        let v = &self.view;
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
    }

    /// Its deals, closed ones dimmed; they are selected after the people.
    fn deals(&self, out: &mut Vec<Line<'static>>, theme: &Theme, w: usize) {
        let t = |s: &str| truncate(&printable(s), w.saturating_sub(1));
        let v = &self.view;
        out.push(Line::from(""));
        out.push(Line::styled(
            format!("DEALS ({})", v.deals.len()),
            theme.header(),
        ));
        let people = v.contacts.len();
        for (i, d) in v.deals.iter().enumerate() {
            let sel = people + i == self.selected;
            let where_ = if d.status == DealStatus::Open {
                d.stage.clone()
            } else {
                d.status.to_string()
            };
            let style = if sel {
                theme.selected()
            } else if d.status == DealStatus::Open {
                Style::new()
            } else {
                theme.dim()
            };
            out.push(Line::styled(
                t(&format!(
                    "{} #{} {} · {} · {where_} · {}",
                    if sel { "▶" } else { " " },
                    d.id,
                    d.title,
                    d.contact_name,
                    money::format(d.value_cents, &d.currency)
                )),
                style,
            ));
        }
    }

    /// The notes of its people, newest first.
    fn notes(&self, out: &mut Vec<Line<'static>>, theme: &Theme, now: NaiveDateTime, w: usize) {
        let t = |s: &str| truncate(&printable(s), w.saturating_sub(1));
        let v = &self.view;
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
            if let Some(id) = n.deal_id {
                match v.deals.iter().find(|d| d.id == id) {
                    Some(d) => head.push_str(&format!(" · {}", d.title)),
                    None => head.push_str(&format!(" · deal #{id}")),
                }
            }
            out.push(Line::styled(t(&head), theme.dim()));
            for l in n.body.lines().take(3) {
                out.push(Line::from(t(&format!("    {l}"))));
            }
        }
    }
}

impl Page for CompanyScreen {
    fn contexts(&self) -> Vec<Context> {
        vec![Context::Company, Context::List, Context::Global]
    }

    fn crumb(&self) -> Option<String> {
        Some(printable(&self.view.company.name))
    }

    fn next_tab(&self) -> Action {
        Action::TabReports
    }

    fn act(&mut self, action: Action, cx: &mut Cx) -> Result<bool> {
        match action {
            Action::Down => self.move_by(1),
            Action::Up => self.move_by(-1),
            Action::Top => self.move_by(isize::MIN),
            Action::Bottom => self.move_by(isize::MAX),
            Action::Open => {
                if let Some(t) = self.selected_target() {
                    cx.go(t);
                }
            }
            Action::Back => cx.ask(Effect::Back),
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn draw(&self, frame: &mut Frame, area: Rect, v: &View) {
        self.render(area, frame.buffer_mut(), v.theme, v.now);
    }

    fn reload(&mut self, cx: &mut Cx) -> Result<()> {
        CompanyScreen::reload(self, cx.desk)
    }

    fn gone(&mut self, desk: &mut Desk) -> bool {
        CompanyScreen::reload(self, desk).is_err()
    }

    fn focus(&self) -> Option<(i64, String, Option<i64>)> {
        CompanyScreen::focus(self)
    }
}
