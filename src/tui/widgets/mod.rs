//! Small drawing pieces shared by screens and popups.

pub mod input;
