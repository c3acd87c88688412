//! Full screens. Each holds what it shows, loaded in `update`, never while drawing.

pub mod call;
pub mod contact;
pub mod deal;
pub mod pipeline;
pub mod reports;
pub mod today;
