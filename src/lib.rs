//! salesdesk: a keyboard-driven terminal sales desk.
//!
//! `domain` holds plain types and rules, `storage` is the only module that speaks SQL, `ops`
//! are the verbs (one transaction each) that both the `cli` and the TUI call.

pub mod cli;
pub mod clock;
pub mod config;
pub mod domain;
pub mod editor;
pub mod error;
pub mod inert;
pub mod io;
#[cfg(test)]
mod layers;
pub mod ops;
pub mod paths;
pub mod storage;
pub mod text;
pub mod tui;
pub mod when;
