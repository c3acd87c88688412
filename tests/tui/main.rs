//! The TUI without a terminal: the App on a seeded desk with a fixed clock, driven by keys and
//! drawn into ratatui's TestBackend, its screens pinned by insta snapshots
//! (`tests/tui/snapshots/`). One test binary (`--test tui`).

#[path = "../support/mod.rs"]
mod support;

mod board_worker;
mod call;
mod contact_field;
mod contacts;
mod contacts_names;
mod desk_a;
mod desk_b;
mod desk_queue;
mod hostile;
mod pipeline;
mod pipelines;
mod popups;
mod remind;
mod reports;
mod reports_team;
mod reports_worker;
mod sequences;
mod today;
mod today_worker;
