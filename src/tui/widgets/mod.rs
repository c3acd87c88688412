//! Small drawing pieces shared by screens and popups.

pub mod board;
pub mod input;
pub mod status;
