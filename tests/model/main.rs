//! The library's model without the binary: books built through the ops on in-memory or
//! temporary databases, checked against numbers worked out by hand, against a model, against
//! the query plans SQLite picks, and against fuzzed input. One test binary (`--test model`).

mod fuzz_input;
mod pg_connect;
mod pg_tls;
mod query_plans;
mod report;
mod report_history;
mod report_owners;
mod report_stays;
