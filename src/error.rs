//! Error kinds. Every module returns these; `main` maps the kind to the exit code of docs/MANUAL.md.

use std::fmt;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input was wrong: a bad flag value, an unknown contact, a broken file given to us.
    #[error("{0}")]
    Input(String),
    /// The row moved since it was read: another process or window changed it.
    #[error("{0}")]
    Conflict(String),
    /// The environment failed: the database, the disk, permissions.
    #[error("{0}")]
    Env(String),
    /// Whoever read our output went away (`salesdesk today | head`): not a failure.
    #[error("output closed")]
    OutputClosed,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn input(msg: impl fmt::Display) -> Self {
        Error::Input(msg.to_string())
    }
    pub fn env(msg: impl fmt::Display) -> Self {
        Error::Env(msg.to_string())
    }
    pub fn conflict(msg: impl fmt::Display) -> Self {
        Error::Conflict(msg.to_string())
    }

    /// Exit code per docs/MANUAL.md: 1 for the environment, 2 for the input. A conflict is the
    /// user asking for something that no longer applies, so it counts as input.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Env(_) => 1,
            Error::OutputClosed => 0,
            Error::Input(_) | Error::Conflict(_) => 2,
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        use std::io::ErrorKind as K;
        match e.kind() {
            K::BrokenPipe => Error::OutputClosed,
            K::StorageFull => Error::Env(format!("{DISK_FULL} ({e})")),
            K::QuotaExceeded => {
                Error::Env(format!("the disk quota is used up; free some space ({e})"))
            }
            _ => Error::Env(e.to_string()),
        }
    }
}

pub const DISK_FULL: &str = "the disk is full; free some space and try again";

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        if e.is_io() {
            return Error::from(std::io::Error::from(e));
        }
        Error::Env(format!("JSON: {e}"))
    }
}
