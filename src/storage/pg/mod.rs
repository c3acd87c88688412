//! A book on a PostgreSQL server: reading a `postgres://` address as libpq would (socket
//! folders, the environment, `~/.pgpass`, service files) and connecting to it, with TLS
//! through rustls and errors a user can act on. The only place that names the `postgres`
//! and `rustls` crates.

pub mod address;
mod beside;
pub mod connect;
pub mod copy;
pub mod migrate;
mod open;
mod pgpass;
mod service;
pub mod session;
pub mod team;
mod tls;
pub mod values;
