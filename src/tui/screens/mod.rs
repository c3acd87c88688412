//! Full screens. Each holds what it shows, loaded in `update`, never while drawing.

pub mod call;
mod call_view;
pub mod companies;
pub mod company;
pub mod contact;
pub mod contact_full;
pub mod contacts;
pub mod contacts_filter;
pub mod deal;
pub mod pipeline;
pub mod pipeline_keys;
pub mod reports;
pub mod today;
mod today_columns;

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
