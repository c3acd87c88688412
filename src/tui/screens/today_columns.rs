//! Today's columns: how wide each is, from the screen's width and what the rows hold.

use crate::domain::follow_up::{FollowUp, Reconnect};
use crate::domain::money;
use crate::ops::today::Today;
use crate::text::printable;

/// Column widths for a screen width and the rows shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    pub when: usize,
    pub contact: usize,
    pub company: usize,
    pub kind: usize,
    pub deal: usize,
    pub text: usize,
}

/// How wide each column's content is, at most: what it would take to show it whole.
#[derive(Debug, Clone, Copy, Default)]
pub struct Natural {
    pub contact: usize,
    pub company: usize,
    pub text: usize,
    pub deal: usize,
}

impl Natural {
    pub fn of(today: &Today) -> Natural {
        use crate::text::width;
        let mut n = Natural::default();
        let fus = today
            .overdue
            .iter()
            .chain(&today.today)
            .chain(&today.upcoming);
        for f in fus {
            n.contact = n.contact.max(width(&f.contact_name));
            n.company = n.company.max(f.company.as_deref().map_or(0, width));
            n.text = n.text.max(width(&follow_up_text(f)));
            n.deal = n.deal.max(deal_width(f));
        }
        for r in &today.reconnect {
            n.contact = n.contact.max(width(&r.name));
            n.company = n.company.max(r.company.as_deref().map_or(0, width));
            n.text = n.text.max(width(&reconnect_text(r)));
        }
        n
    }
}

impl Columns {
    /// Each column starts at the least it is readable at for the width (the deal's value from
    /// 78 columns, the kind from 60); then the spare width goes to the text, up to what it
    /// needs, then the deal, then the company, then the rest of long names, and what is left
    /// widens a long text. A column that would be a sliver is left out.
    pub fn fit(w: usize, n: Natural) -> Columns {
        const DEAL_MIN: usize = 9;
        const COMPANY_MIN: usize = 8;
        let kind = if w >= 60 { 7 } else { 0 };
        let mut c = Columns {
            when: 11,
            contact: n.contact.clamp(4, if w >= 64 { 14 } else { 12 }),
            company: 0,
            kind,
            deal: if w >= 78 && n.deal > 0 {
                DEAL_MIN.min(n.deal)
            } else {
                0
            },
            text: 0,
        };
        // "▶ ! " prefix, a space after every shown column, one column spare at the end.
        let shown = |x: usize| if x > 0 { x + 1 } else { 0 };
        let fixed = 4 + shown(c.when) + shown(c.contact) + shown(c.kind) + shown(c.deal) + 1;
        let mut room = w.saturating_sub(fixed + 1);
        // The text first, up to what it needs (a long text waits for what is left at the end).
        c.text = room.min(n.text.clamp(12, 48));
        room -= c.text;
        let more = n.deal.min(40).saturating_sub(c.deal).min(room);
        if c.deal > 0 {
            c.deal += more;
            room -= more;
        } else if more > DEAL_MIN {
            c.deal = more - 1;
            room -= more;
        }
        if n.company > 0 && room > COMPANY_MIN {
            c.company = n.company.min(room - 1).min(24);
            room -= c.company + 1;
        }
        let more = n.contact.min(28).saturating_sub(c.contact).min(room);
        c.contact += more;
        room -= more;
        // A long text takes what is left; a short one leaves it blank at the end of the row,
        // so the deal sits next to the text rather than across the screen from it.
        c.text += room.min(n.text.saturating_sub(c.text));
        c
    }
}

pub fn deal_label(f: &FollowUp, room: usize) -> String {
    match (&f.deal_title, f.deal_value_cents) {
        (Some(t), Some(v)) if v > 0 && room > 0 => {
            let cur = f.deal_currency.as_deref().unwrap_or("");
            let value = format!("{} {cur}", money::compact(v));
            let title_room = room.saturating_sub(crate::text::width(&value) + 1);
            // A title cut to a stub says nothing: then the value alone.
            if title_room < 6 && crate::text::width(t) > title_room {
                return value;
            }
            format!(
                "{} {value}",
                crate::text::truncate(&printable(t), title_room)
            )
        }
        (Some(t), _) => t.clone(),
        _ => String::new(),
    }
}

/// The deal cell's width when nothing is cut.
fn deal_width(f: &FollowUp) -> usize {
    crate::text::width(&deal_label(f, usize::MAX / 2))
}

/// A row's text: a sequence's step leads with its label (`new-lead 2/3 · Intro call`).
pub fn follow_up_text(f: &crate::domain::follow_up::FollowUp) -> std::borrow::Cow<'_, str> {
    match &f.sequence {
        Some(s) => format!("{s} · {}", f.text).into(),
        None => f.text.as_str().into(),
    }
}

pub fn reconnect_text(r: &Reconnect) -> String {
    format!("keep in touch every {}d", r.cadence_days)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn used(c: &Columns) -> usize {
        let shown = |x: usize| if x > 0 { x + 1 } else { 0 };
        4 + shown(c.when)
            + shown(c.contact)
            + shown(c.company)
            + shown(c.kind)
            + shown(c.text)
            + shown(c.deal)
    }

    #[test]
    fn columns_fit_and_nothing_is_cut_while_room_is_left() {
        let books = [
            (14, 16, 23, 20),
            (30, 24, 60, 38),
            (8, 0, 12, 0),
            (40, 40, 200, 60),
            (14, 18, 45, 36),
        ];
        for (contact, company, text, deal) in books {
            let n = Natural {
                contact,
                company,
                text,
                deal,
            };
            for w in 50..=320 {
                let c = Columns::fit(w, n);
                let used = used(&c);
                assert!(used < w, "{w} {n:?}: {c:?} is {used} wide");
                let left = w - used - 1;
                let cut = c.text < n.text.min(48)
                    || (c.deal > 0 && c.deal < n.deal.min(40))
                    || (c.company > 0 && c.company < n.company.min(24))
                    || c.contact < n.contact.min(28);
                assert!(
                    !(cut && left > 0),
                    "{w} {n:?}: {c:?} cuts a cell with {left} columns left"
                );
                // The text is served before the deal, the deal before the company.
                if c.deal > 9 || c.company > 0 {
                    assert!(c.text >= n.text.clamp(12, 48), "{w} {n:?}: {c:?}");
                }
                if c.company > 0 && n.deal > 0 && w >= 78 {
                    assert!(c.deal >= n.deal.min(40), "{w} {n:?}: {c:?}");
                }
            }
        }
    }
}
