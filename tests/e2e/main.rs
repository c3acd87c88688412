//! The real binary in a real terminal: tmux servers of their own drive the desk through the
//! keys, then the CLI checks the book. Skipped where tmux is not installed (`.ci/run` installs
//! it). One test binary (`--test e2e`); `support::tmux` lets two servers run at once.

#[path = "../support/mod.rs"]
mod support;

mod contacts;
mod desk;
mod desk_b;
mod notify;
mod pipeline;
mod pipelines;
mod resize;
mod sequence;
mod server;
mod team;
mod tui;
