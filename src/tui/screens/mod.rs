//! Full screens. Each holds what it shows, loaded in `update`, never while drawing, and
//! answers the screen protocol (`tui::screen::Page`) in its `*_keys` / `*_page` file. The
//! other modules here are parts of one screen (`contact_full`, `contacts_filter`,
//! `companies`, `today_columns`, `call_view`) or shared by several (`deal_keys`,
//! `follow_up_keys`, and the helpers below); no screen imports another.

pub mod call;
mod call_view;
pub mod companies;
pub mod company;
pub mod contact;
pub mod contact_full;
mod contact_keys;
pub mod contacts;
pub mod contacts_filter;
mod contacts_keys;
pub mod deal;
pub mod deal_keys;
mod deal_page;
mod follow_up_keys;
pub mod pipeline;
mod pipeline_columns;
mod pipeline_keys;
pub mod reports;
mod reports_referrers;
mod reports_reps;
mod reports_sequences;
mod reports_view;
pub mod today;
mod today_columns;
mod today_keys;

/// At most this many rows are loaded per group of Today (the header still counts them all),
/// and into call mode's queue.
pub const GROUP_LIMIT: usize = 200;

/// A follow-up as the contact and deal views list it: when, kind and text on one line of
/// `width`, in the overdue colour when it is past.
pub fn follow_up_line(
    f: &crate::domain::follow_up::FollowUp,
    now: chrono::NaiveDateTime,
    theme: &crate::tui::theme::Theme,
    width: usize,
) -> ratatui::text::Line<'static> {
    let style = if f.due.date() < now.date() {
        theme.overdue()
    } else {
        ratatui::style::Style::new()
    };
    let text = format!(
        "  {} · {} · {}",
        crate::when::describe(f.due, now),
        f.kind,
        f.text
    );
    ratatui::text::Line::styled(
        crate::text::truncate(&crate::text::printable(&text), width.saturating_sub(2)),
        style,
    )
}

/// Who wrote a note, when someone other than the desk's user `me` did, and whether it is
/// private: ` · by ana · private`, empty for one's own open note.
pub fn authorship(n: &crate::domain::note::Note, me: &str) -> String {
    let mut s = crate::domain::team::someone_else(&n.author, me)
        .map(|a| format!(" · by {a}"))
        .unwrap_or_default();
    if n.private {
        s.push_str(" · private");
    }
    s
}

/// A stored due text (`2026-11-24`, or RFC 3339) back to a WHEN.
pub fn due_when(s: &str) -> Option<crate::when::When> {
    if s.contains('T') {
        crate::clock::parse_stamp(s).map(|t| crate::when::When::At(t.naive_local()))
    } else {
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .map(crate::when::When::Day)
    }
}
