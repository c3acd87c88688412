//! The command line: clap definitions here, running them in `run.rs`, printing in `output.rs`.

mod args;
mod check;
mod io;
mod output;
mod report;
mod run;

pub use args::Cli;
pub use run::{open_desk, run};
