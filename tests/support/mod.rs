//! What the test targets share. `tui`: a seeded desk on a fixed clock, keys, and drawing
//! into ratatui's TestBackend.
#![allow(dead_code)]

pub mod tui;
