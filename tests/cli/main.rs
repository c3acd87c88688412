//! The real binary on temporary books with a fixed clock: every command, its JSON and exit
//! codes, imports and exports, the edges of numbers, dates, files, output and purge, and
//! reliability under kills and concurrent writers. A few tests also drive the TUI in-process
//! to check it agrees with the CLI. One test binary (`--test cli`).

#[path = "../support/mod.rs"]
mod support;

mod commands;
mod conformance;
mod conformance_concurrency;
mod conformance_features;
mod conformance_import;
mod conformance_limits;
mod conformance_more;
mod conformance_remind;
mod desk;
mod edges_files;
mod edges_numbers;
mod edges_numbers_money;
mod edges_output;
mod edges_output_import;
mod edges_purge;
mod edges_when_config;
mod import;
mod json_shapes;
mod pipelines;
mod reliability;
mod remind;
mod roundtrip;
mod safety;
mod sequences;
mod server;
mod team;
mod team_report;
mod team_rights;
