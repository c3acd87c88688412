//! Opening a book on a server: connect, check the schema, and hand back a `Db` whose verbs
//! run there.

use crate::error::Result;
use crate::storage::sql::Conn;
use crate::storage::{Access, Db};

use super::address;
use super::connect;
use super::migrate::{self, Migrated};
use super::session::Session;

impl Db {
    /// Opens the book on the server at `address`; refuses a database without the schema this
    /// salesdesk knows (naming `db init` or `db migrate`).
    pub fn open_server(address: &str, _access: Access) -> Result<Db> {
        let db = Self::connect_server(address)?;
        if let Some(s) = db.conn.pg() {
            migrate::check(s)?;
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

    fn connect_server(address: &str) -> Result<Db> {
        let connected = connect::connect_noting(address)?;
        let session = Session::new(connected.client, address::redact(address));
        Ok(Db {
            conn: Conn::Pg(Box::new(session)),
            path: None,
            read_only: None,
            notices: connected.notices,
        })
    }

    /// Whether the book is on a server.
    pub fn on_server(&self) -> bool {
        self.conn.pg().is_some()
    }
}
