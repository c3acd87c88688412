//! Opening a book on a server: connect, check the schema, and hand back a `Db` whose verbs
//! run there.

use crate::error::Result;
use crate::storage::sql::Conn;
use crate::storage::{Access, Db};

use super::connect;
use super::migrate::{self, Migrated};
use super::session::Session;

impl Db {
    /// Opens the book on the server at `address`; refuses a database without the schema this
    /// salesdesk knows (naming `db init` or `db migrate`).
    pub fn open_server(address: &str, _access: Access) -> Result<Db> {
        let db = Self::connect_server(address)?;
        if let Some(s) = db.conn.pg() {
            migrate::check(s).map_err(|e| super::team::explain_refusal(s, e))?;
        }
        Ok(db)
    }

    /// `db init` (`create`) or `db migrate` on the server at `address`.
    pub fn migrate_server(address: &str, create: bool) -> Result<Migrated> {
        let db = Self::connect_server(address)?;
        match db.conn.pg() {
            Some(s) => migrate::migrate(s, create),
            None => unreachable!("connect_server makes a server connection"),
        }
    }

    pub(super) fn connect_server(address: &str) -> Result<Db> {
        let connected = connect::connect_noting(address)?;
        let session = Session::new(connected.client, address);
        let mut notices = connected.notices;
        if let Err(e) = set_time_zone(&session) {
            notices.push(e);
        }
        tune(&session)?;
        Ok(Db {
            conn: Conn::Pg(Box::new(session)),
            path: None,
            read_only: None,
            notices,
        })
    }

    /// The schema the book is at (this salesdesk's: an open book is never at another).
    pub fn schema_version(&self) -> i64 {
        if self.on_server() {
            migrate::SCHEMA_VERSION
        } else {
            crate::storage::SCHEMA_VERSION
        }
    }

    /// Whether the book is on a server.
    pub fn on_server(&self) -> bool {
        self.conn.pg().is_some()
    }

    /// Whether the connection to the server was made again (it had been lost) since the last
    /// call: the desk says so, having read everything again.
    pub fn take_reconnected(&self) -> bool {
        self.conn.pg().is_some_and(|s| s.take_reconnected())
    }
}

/// Sets the session's time zone to the desk's (`$TZ`, else the system's), so that what the
/// server counts in local days ("days since the last contact") counts the desk's days. Says
/// why not, for a notice, when the server does not know the zone.
pub(super) fn set_time_zone(s: &Session) -> std::result::Result<(), String> {
    // TZ as the C library reads it: `:Europe/Berlin`, or a zone file's path, whose name is
    // what follows `zoneinfo/`.
    let zone = std::env::var("TZ")
        .ok()
        .map(|z| z.trim_start_matches(':').to_string())
        .map(|z| match z.split_once("zoneinfo/") {
            Some((_, name)) => name.to_string(),
            None => z,
        })
        .filter(|z| !z.is_empty() && !z.starts_with('/'))
        .or_else(|| iana_time_zone::get_timezone().ok());
    let Some(zone) = zone else {
        return Ok(());
    };
    let quoted = format!("'{}'", zone.replace('\'', "''"));
    s.batch(&format!("SET TIME ZONE {quoted}")).map_err(|e| {
        format!(
            "the server does not know the time zone {zone} ({}); local days are counted in the \
             server's",
            super::session::message(&e)
        )
    })
}

/// Costs the planner with a book in cache or on flash, as it nearly always is: at the default
/// (4, a spinning disk's seek) a count of the overdue follow-ups scanned every follow-up
/// rather than read the few in the open ones' index (11 ms against 0.4 ms at 1/10 size).
/// And no JIT compiling: salesdesk's statements are short, and one whose estimate ran high
/// (the due list, with a lookup per row it seldom makes) spent 6–20 ms compiling to save none.
pub(super) fn tune(s: &Session) -> Result<()> {
    s.batch("SET random_page_cost = 1.1; SET jit = off")?;
    Ok(())
}
