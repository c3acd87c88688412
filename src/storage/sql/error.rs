//! What running SQL can go wrong with, whichever engine holds the book, and how it reads to
//! the rest of salesdesk.

use super::Result;

/// What running SQL can go wrong with, on any engine.
#[derive(Debug)]
pub enum Error {
    /// A query expected to find a row found none ([`OptionalExtension::optional`] makes it
    /// `None`).
    NoRows,
    /// SQLite's own error.
    Lite(rusqlite::Error),
    /// PostgreSQL's (or the connection's) error.
    Pg(postgres::Error),
    /// A value the other engine could not take or give.
    Value(String),
    /// What the rest of salesdesk says went wrong (connecting again to a server).
    Other(Box<crate::error::Error>),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::NoRows => f.write_str("Query returned no rows"),
            Error::Lite(e) => e.fmt(f),
            Error::Pg(e) => match e.as_db_error() {
                Some(d) => f.write_str(d.message()),
                None => e.fmt(f),
            },
            Error::Value(e) => f.write_str(e),
            Error::Other(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {}

impl Error {
    /// The server's SQLSTATE code, for an error the server gave.
    pub fn sql_state(&self) -> Option<&str> {
        match self {
            Error::Pg(e) => e.code().map(|c| c.code()),
            _ => None,
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        match e {
            rusqlite::Error::QueryReturnedNoRows => Error::NoRows,
            e => Error::Lite(e),
        }
    }
}

impl From<postgres::Error> for Error {
    fn from(e: postgres::Error) -> Self {
        Error::Pg(e)
    }
}

impl From<Error> for crate::error::Error {
    fn from(e: Error) -> Self {
        match e {
            Error::NoRows => crate::error::Error::env("database error: Query returned no rows"),
            Error::Lite(e) => e.into(),
            Error::Other(e) => *e,
            e @ (Error::Pg(_) | Error::Value(_)) => {
                crate::error::Error::env(format!("database error: {e}"))
            }
        }
    }
}

/// `query_row`'s "no row" as `None`, as `rusqlite::OptionalExtension` does.
pub trait OptionalExtension<T> {
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(Error::NoRows) => Ok(None),
            Err(e) => Err(e),
        }
    }
}
