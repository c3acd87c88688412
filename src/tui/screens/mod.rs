//! Full screens. Each holds what it shows, loaded in `update`, never while drawing.

pub mod call;
pub mod company;
pub mod contact;
pub mod contact_full;
pub mod contacts;
pub mod deal;
pub mod pipeline;
pub mod pipeline_keys;
pub mod reports;
pub mod today;
