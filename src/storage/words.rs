//! The domain's word enums as SQL text: each is stored as the word the CLI and JSON use.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use crate::domain::contact::{Status, Temperature};
use crate::domain::deal::{DealEvent, DealStatus};
use crate::domain::follow_up::{DueState, FollowUpKind, FollowUpStatus};
use crate::domain::note::{NoteKind, Outcome};
use crate::domain::sequence::EnrollmentStatus;

macro_rules! sql_word {
    ($($t:ty),+ $(,)?) => {$(
        impl FromSql for $t {
            fn column_result(v: ValueRef<'_>) -> FromSqlResult<Self> {
                v.as_str()?
                    .parse()
                    .map_err(|e: crate::error::Error| FromSqlError::Other(e.to_string().into()))
            }
        }

        impl ToSql for $t {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(self.as_str().into())
            }
        }
    )+};
}

sql_word!(
    Status,
    Temperature,
    DealEvent,
    DealStatus,
    DueState,
    FollowUpKind,
    FollowUpStatus,
    NoteKind,
    Outcome,
    EnrollmentStatus,
);
