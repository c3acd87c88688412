//! The server book's schema: its own migrations (`migrations/NNNN_*.sql`, each adding its row
//! to `schema_migrations`), applied by `db init` and `db migrate` under an advisory lock so two
//! clients upgrading at once do it once. Every other command only checks the version and
//! refuses a book it does not know, naming the command that fixes it.

use crate::error::{Error, Result};

use super::session::Session;

/// The migrations, in order: the index + 1 is the version each brings the book to.
const STEPS: &[(&str, &str)] = &[
    ("0001_book", include_str!("migrations/0001_book.sql")),
    ("0002_users", include_str!("migrations/0002_users.sql")),
    ("0003_owners", include_str!("migrations/0003_owners.sql")),
    ("0004_bm25", include_str!("migrations/0004_bm25.sql")),
    (
        "0005_note_search",
        include_str!("migrations/0005_note_search.sql"),
    ),
    (
        "0006_word_estimates",
        include_str!("migrations/0006_word_estimates.sql"),
    ),
    (
        "0007_note_reach",
        include_str!("migrations/0007_note_reach.sql"),
    ),
    (
        "0008_reconnect_covering",
        include_str!("migrations/0008_reconnect_covering.sql"),
    ),
    (
        "0009_report_owner_indexes",
        include_str!("migrations/0009_report_owner_indexes.sql"),
    ),
    (
        "0010_drop_old_rank",
        include_str!("migrations/0010_drop_old_rank.sql"),
    ),
    (
        "0011_due_list_covering",
        include_str!("migrations/0011_due_list_covering.sql"),
    ),
];

/// The schema this salesdesk writes on a server.
pub const SCHEMA_VERSION: i64 = STEPS.len() as i64;

/// The lock `db init` and `db migrate` hold while they change the schema (any number, the
/// same in every client: "salesdesk" on a phone keypad).
const MIGRATE_LOCK: i64 = 7_253_733_750;

/// The schema version of the book, or None when the database has no salesdesk schema.
pub fn version(s: &Session) -> Result<Option<i64>> {
    let stmt = s.prepare("SELECT to_regclass('schema_migrations') IS NOT NULL")?;
    let has: bool = s.query(&stmt, &[])?.first().is_some_and(|r| r.get(0));
    if !has {
        return Ok(None);
    }
    let stmt = s.prepare("SELECT coalesce(max(version), 0) FROM schema_migrations")?;
    Ok(s.query(&stmt, &[])?.first().map(|r| r.get(0)))
}

/// Checks that the book is at the schema this salesdesk knows, naming what to run if not.
pub fn check(s: &Session) -> Result<()> {
    match version(s)? {
        Some(v) if v == SCHEMA_VERSION => Ok(()),
        None => Err(no_book(s)),
        Some(v) if v < SCHEMA_VERSION => Err(Error::env(format!(
            "the book on {} is at schema {v}, older than this salesdesk's {SCHEMA_VERSION}; \
             upgrade it with `salesdesk --db {} db migrate`",
            s.shown,
            quoted(&s.shown)
        ))),
        Some(v) => Err(Error::env(format!(
            "the book on {} is at schema {v}, which this salesdesk does not know (it knows up \
             to {SCHEMA_VERSION}); upgrade salesdesk",
            s.shown
        ))),
    }
}

fn no_book(s: &Session) -> Error {
    Error::env(format!(
        "{} holds no salesdesk book yet; create it with `salesdesk --db {} db init`",
        s.shown,
        quoted(&s.shown)
    ))
}

/// The address as a shell word, so the suggested command pastes whole (`&`, `?`).
fn quoted(address: &str) -> String {
    format!("'{}'", address.replace('\'', "'\\''"))
}

/// What `db init` or `db migrate` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migrated {
    pub from: Option<i64>,
    pub to: i64,
}

/// Brings the book up to this salesdesk's schema, creating it in an empty database when
/// `create` (`db init`); refuses a newer schema. Holds the migration lock throughout, each
/// step in its own transaction.
pub fn migrate(s: &Session, create: bool) -> Result<Migrated> {
    s.batch(&format!("SELECT pg_advisory_lock({MIGRATE_LOCK})"))?;
    let out = steps(s, create);
    let unlocked = s.batch(&format!("SELECT pg_advisory_unlock({MIGRATE_LOCK})"));
    let out = out?;
    unlocked?;
    Ok(out)
}

fn steps(s: &Session, create: bool) -> Result<Migrated> {
    let from = version(s)?;
    if from.is_none() && !create {
        return Err(no_book(s));
    }
    let at = from.unwrap_or(0);
    if at > SCHEMA_VERSION {
        return Err(Error::env(format!(
            "the book on {} is at schema {at}, newer than this salesdesk knows \
             ({SCHEMA_VERSION}); upgrade salesdesk",
            s.shown
        )));
    }
    for (name, sql) in STEPS.iter().skip(usize::try_from(at).unwrap_or(0)) {
        s.batch("BEGIN")
            .and_then(|_| s.batch(sql))
            .and_then(|_| s.batch("COMMIT"))
            .map_err(|e| {
                let _ = s.batch("ROLLBACK");
                Error::env(format!(
                    "could not apply the server book's migration {name}: {}",
                    super::session::message(&e)
                ))
            })?;
    }
    Ok(Migrated {
        from,
        to: SCHEMA_VERSION,
    })
}
