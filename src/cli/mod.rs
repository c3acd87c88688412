//! The command line: clap definitions in `args.rs`, running them in `run.rs` (which hands
//! each command to the module of its kind: `contacts`, `deals`, `follow_ups`, `notes`,
//! `book`, `io`, `report`, `check`, `remind`, `team`), printing in `output.rs`.

mod args;
mod args_work;
mod book;
mod check;
mod contacts;
mod deals;
mod follow_ups;
mod io;
mod notes;
mod output;
mod remind;
mod report;
mod run;
mod sequences;
mod team;

pub use args::Cli;
pub use run::{open_desk, run};
