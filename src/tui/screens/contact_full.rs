//! The contact view's full card: every field, the days since the last touch against the
//! cadence, open and closed deals, open follow-ups, and the note timeline newest first with
//! the selected note marked.

use chrono::NaiveDateTime;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::domain::deal::DealStatus;
use crate::domain::money;
use crate::domain::note::Note;
use crate::domain::team::someone_else;
use crate::ops::contacts::ContactView;
use crate::text::{printable, truncate};
use crate::tui::theme::Theme;
use crate::when;

pub const NOTES_SHOWN: usize = 50;
/// Lines per note body in the timeline; longer notes end in "…".
pub const BODY_LINES: usize = 6;

/// The card as lines, and the line where the selected note starts.
pub fn lines(
    v: &ContactView,
    selected: usize,
    follow_up: usize,
    theme: &Theme,
    now: NaiveDateTime,
    w: usize,
) -> (Vec<Line<'static>>, usize) {
    let mut out: Vec<Line<'static>> = Vec::new();
    card(&mut out, v, theme, now, w);
    deals(&mut out, v, theme, w);
    follow_ups(&mut out, v, follow_up, theme, now, w);
    sequence(&mut out, v, theme, w);
    let at = notes(&mut out, v, selected, theme, now, w);
    (out, at)
}

/// The person: name, title and company, the facts, the last touch, how to reach them.
fn card(
    out: &mut Vec<Line<'static>>,
    v: &ContactView,
    theme: &Theme,
    now: NaiveDateTime,
    w: usize,
) {
    let c = &v.contact;
    let t = |s: &str| truncate(&printable(s), w.saturating_sub(2));
    let mut head = vec![Span::styled(t(&c.name), theme.header())];
    if let Some(title) = &c.title {
        head.push(Span::styled(format!(" · {}", t(title)), theme.dim()));
    }
    if let Some(co) = &c.company {
        head.push(Span::raw(format!(" · {}", t(co))));
        head.push(Span::styled("  (C company)", theme.dim()));
    }
    if c.archived {
        head.push(Span::styled("  [archived]", theme.today()));
    }
    out.push(Line::from(head));
    let mut facts = vec![c.status.to_string()];
    if let Some(temp) = c.temperature {
        facts.push(temp.to_string());
    }
    if !c.tags.is_empty() {
        facts.push(format!("#{}", c.tags.join(" #")));
    }
    if let Some(s) = &c.source {
        facts.push(format!("source: {s}"));
    }
    out.push(Line::styled(t(&facts.join(" · ")), theme.dim()));
    out.push(touch_line(v, theme, now, w));
    for p in &c.phones {
        out.push(Line::from(vec![
            Span::styled("  ☎ ", theme.dim()),
            Span::raw(t(p)),
        ]));
    }
    for e in &c.emails {
        out.push(Line::from(vec![
            Span::styled("  ✉ ", theme.dim()),
            Span::raw(t(e)),
        ]));
    }
    if let Some(l) = &c.linkedin_url {
        out.push(Line::from(vec![
            Span::styled("  in ", theme.dim()),
            Span::raw(t(l)),
        ]));
    }
    if let Some(d) = &c.connected_on {
        out.push(Line::styled(t(&format!("  connected on {d}")), theme.dim()));
    }
    referrals(out, v, theme, w);
    let owner = someone_else(&c.owner, &v.reader)
        .map(|o| format!(" · owner {o}"))
        .unwrap_or_default();
    out.push(Line::styled(
        t(&format!(
            "  #{} · added {}{owner}",
            c.id,
            c.created_at.format("%-d %b %Y")
        )),
        theme.dim(),
    ));
    for r in &v.reassigned {
        let at = r.at.format("%-d %b %Y %H:%M");
        out.push(Line::styled(
            t(&format!("  given {} · {at}", r.describe())),
            theme.dim(),
        ));
    }
}

/// Who referred them, and whom they referred.
fn referrals(out: &mut Vec<Line<'static>>, v: &ContactView, theme: &Theme, w: usize) {
    let t = |s: &str| truncate(&printable(s), w.saturating_sub(2));
    if let Some(r) = &v.contact.referred_by {
        out.push(Line::from(vec![
            Span::styled("  referred by ", theme.dim()),
            Span::raw(t(&format!("{} #{}", r.name, r.id))),
        ]));
    }
    if !v.referred.is_empty() {
        let names: Vec<String> = v
            .referred
            .iter()
            .map(|r| format!("{} #{}", r.name, r.id))
            .collect();
        out.push(Line::from(vec![
            Span::styled(format!("  referred {}: ", v.referred.len()), theme.dim()),
            Span::raw(t(&names.join(", "))),
        ]));
    }
}

/// Open deals with their close dates, then the closed ones dimmed.
fn deals(out: &mut Vec<Line<'static>>, v: &ContactView, theme: &Theme, w: usize) {
    let t = |s: &str| truncate(&printable(s), w.saturating_sub(2));
    let (open, closed): (Vec<_>, Vec<_>) =
        v.deals.iter().partition(|d| d.status == DealStatus::Open);
    out.push(Line::from(""));
    out.push(Line::styled(
        format!("OPEN DEALS ({})", open.len()),
        theme.header(),
    ));
    if open.is_empty() {
        out.push(Line::styled("  none", theme.dim()));
    }
    for d in open {
        out.push(Line::from(t(&format!(
            "  #{} {} · {} · {}{}",
            d.id,
            d.title,
            d.stage,
            money::format(d.value_cents, &d.currency),
            d.expected_close
                .as_deref()
                .map(|c| format!(" · close {c}"))
                .unwrap_or_default()
        ))));
    }
    if !closed.is_empty() {
        out.push(Line::styled(
            format!("CLOSED DEALS ({})", closed.len()),
            theme.header(),
        ));
        for d in closed {
            let when = d
                .closed_at
                .map(|t| t.format(" %-d %b %Y").to_string())
                .unwrap_or_default();
            let why = d
                .lost_reason
                .as_deref()
                .map(|r| format!(" · {r}"))
                .unwrap_or_default();
            out.push(Line::styled(
                t(&format!(
                    "  #{} {} · {}{when} · {}{why}",
                    d.id,
                    d.title,
                    d.status,
                    money::format(d.value_cents, &d.currency)
                )),
                theme.dim(),
            ));
        }
    }
}

/// The open follow-ups, the one `T` and `X` act on marked when there are several.
fn follow_ups(
    out: &mut Vec<Line<'static>>,
    v: &ContactView,
    follow_up: usize,
    theme: &Theme,
    now: NaiveDateTime,
    w: usize,
) {
    let t = |s: &str| truncate(&printable(s), w.saturating_sub(2));
    out.push(Line::from(""));
    out.push(Line::styled(
        format!("FOLLOW-UPS ({})", v.follow_ups.len()),
        theme.header(),
    ));
    if v.follow_ups.is_empty() {
        out.push(Line::styled("  none: f schedules one", theme.dim()));
    }
    for (i, f) in v.follow_ups.iter().enumerate() {
        // The one `T` edits and `X` cancels (`J`/`K` pick another).
        let pick = match (v.follow_ups.len() > 1, i == follow_up) {
            (false, _) => "",
            (true, true) => "▸",
            (true, false) => " ",
        };
        let (style, mark) = if f.due.date() < now.date() {
            (theme.overdue(), "! ")
        } else if f.due.date() == now.date() {
            (theme.today(), "• ")
        } else {
            (Style::new(), "  ")
        };
        let deal = f
            .deal_title
            .as_deref()
            .map(|d| format!(" · {d}"))
            .unwrap_or_default();
        let label = f
            .sequence
            .as_ref()
            .map(|s| format!(" ({s})"))
            .unwrap_or_default();
        out.push(Line::styled(
            t(&format!(
                "{pick}{mark}{} · {} · {}{deal}{label}",
                when::describe(f.due, now),
                f.kind,
                f.text
            )),
            style,
        ));
    }
}

/// The sequence the contact is in: its step, and what comes next.
fn sequence(out: &mut Vec<Line<'static>>, v: &ContactView, theme: &Theme, w: usize) {
    let Some(e) = &v.sequence else {
        return;
    };
    let t = |s: &str| truncate(&printable(s), w.saturating_sub(2));
    let retired = if e.retired { " (retired)" } else { "" };
    out.push(Line::from(""));
    out.push(Line::styled(
        t(&format!(
            "SEQUENCE {}{retired} · step {} of {}  (S stops it)",
            e.sequence,
            e.step,
            e.steps.len()
        )),
        theme.header(),
    ));
    let next = match e.next_step() {
        Some(s) => format!(
            "  then: {} · {} · {} after this step",
            s.kind, s.text, s.after
        ),
        None => "  then: nothing, this is the last step".to_string(),
    };
    out.push(Line::styled(t(&next), theme.dim()));
}

/// The timeline, newest first; returns the line where the selected note starts.
fn notes(
    out: &mut Vec<Line<'static>>,
    v: &ContactView,
    selected: usize,
    theme: &Theme,
    now: NaiveDateTime,
    w: usize,
) -> usize {
    out.push(Line::from(""));
    let more = if v.notes.len() >= NOTES_SHOWN {
        "+"
    } else {
        ""
    };
    out.push(Line::styled(
        format!("NOTES ({}{more}) newest first", v.notes.len()),
        theme.header(),
    ));
    if v.notes.is_empty() {
        out.push(Line::styled(
            "  none yet: n writes one, c logs a call",
            theme.dim(),
        ));
    }
    let mut at = out.len();
    for (i, n) in v.notes.iter().enumerate() {
        if i == selected {
            at = out.len();
        }
        let deal = n
            .deal_id
            .and_then(|id| v.deals.iter().find(|d| d.id == id))
            .map(|d| d.title.as_str());
        let head = NoteHead {
            deal,
            selected: i == selected,
            reader: &v.reader,
        };
        note_lines(out, n, &head, theme, now, w);
    }
    at
}

fn touch_line(v: &ContactView, theme: &Theme, now: NaiveDateTime, w: usize) -> Line<'static> {
    let c = &v.contact;
    let since = c
        .last_contacted_at
        .map(|t| (now.date() - t.naive_local().date()).num_days());
    let last = match since {
        Some(0) => "last touch today".to_string(),
        Some(d) => format!("last touch {d}d ago"),
        None => "never contacted".to_string(),
    };
    let (text, style) = match (c.cadence_days, since) {
        (Some(cad), Some(d)) if d > cad => (
            format!("{last} · cadence every {cad}d: lapsed by {}d ⟳", d - cad),
            theme.today(),
        ),
        (Some(cad), Some(d)) => (
            format!("{last} · cadence every {cad}d: due in {}d", cad - d),
            theme.dim(),
        ),
        (Some(cad), None) => (
            format!("{last} · cadence every {cad}d: lapsed ⟳"),
            theme.today(),
        ),
        (None, _) => (format!("{last} · no cadence"), theme.dim()),
    };
    Line::styled(truncate(&text, w.saturating_sub(2)), style)
}

/// What a note's first line says besides the note: its deal's title, whether `j`/`k` is on
/// it, and who reads the page (the author is named when someone else).
struct NoteHead<'a> {
    deal: Option<&'a str>,
    selected: bool,
    reader: &'a str,
}

fn note_lines(
    out: &mut Vec<Line<'static>>,
    n: &Note,
    h: &NoteHead<'_>,
    theme: &Theme,
    now: NaiveDateTime,
    w: usize,
) {
    let when_ = n.created_at.naive_local();
    let mut head = format!(
        "{} {} · {} · {}",
        if h.selected { "▶" } else { " " },
        when_.format("%a %-d %b %Y %H:%M"),
        when::relative(when::When::At(when_), now),
        n.kind
    );
    if let Some(o) = n.outcome {
        head.push_str(&format!(" · {o}"));
    }
    head.push_str(&super::authorship(n, h.reader));
    match (n.deal_id, h.deal) {
        (Some(_), Some(title)) => head.push_str(&format!(" · {}", printable(title))),
        (Some(id), None) => head.push_str(&format!(" · deal #{id}")),
        _ => {}
    }
    let style = if h.selected {
        theme.selected()
    } else {
        theme.dim()
    };
    out.push(Line::styled(
        truncate(&printable(&head), w.saturating_sub(1)),
        style,
    ));
    let body: Vec<&str> = n.body.lines().collect();
    for (i, l) in body.iter().enumerate().take(BODY_LINES) {
        let cut = i + 1 == BODY_LINES && body.len() > BODY_LINES;
        let text = format!("    {}{}", printable(l), if cut { " …" } else { "" });
        out.push(Line::from(truncate(&text, w.saturating_sub(1))));
    }
}
