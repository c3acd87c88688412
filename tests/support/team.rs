//! Logins on the PostgreSQL test server for the team's tests: each test's own, dropped when it
//! ends; a book as one of them sees it; `team add` with a password on stdin.

use crate::support::Book;
use crate::support::server::{test_server, with_dbname};

/// Logins made on the test server by one test, dropped when it ends (after its book's
/// database: declare it before the book). Roles are the cluster's, so each name is unique.
pub struct Logins {
    base: String,
    names: std::cell::RefCell<Vec<String>>,
}

impl Logins {
    pub fn new(base: &str) -> Logins {
        Logins {
            base: base.to_string(),
            names: Default::default(),
        }
    }

    /// A login name no other test or run uses, dropped at the end.
    pub fn unique(&self, prefix: &str) -> String {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let name = format!("{prefix}_{}_{nanos}", std::process::id());
        self.keep(&name);
        name
    }

    pub fn keep(&self, name: &str) {
        self.names.borrow_mut().push(name.to_string());
    }

    /// Also drops the book's group roles (made by its first `team add`).
    pub fn keep_groups(&self, b: &Book) {
        for kind in ["team", "managers"] {
            let rows = b.rows(&format!("SELECT salesdesk_team_group('{kind}')"));
            if let Some(rusqlite::types::Value::Text(g)) = rows.first().and_then(|r| r.first()) {
                self.keep(g);
            }
        }
    }
}

impl Drop for Logins {
    fn drop(&mut self) {
        let admin = with_dbname(&self.base, "postgres");
        let Ok(mut c) = salesdesk::storage::pg::connect::connect(&admin) else {
            return;
        };
        for n in self.names.borrow().iter() {
            let quoted = format!("\"{}\"", n.replace('"', "\"\""));
            if let Err(e) = c.batch_execute(&format!("DROP ROLE IF EXISTS {quoted}")) {
                eprintln!("warning: could not drop the role {n}: {e}");
            }
        }
    }
}

/// `address` logging in as `user` with `password` (both percent-encoded).
pub fn as_login(address: &str, user: &str, password: &str) -> String {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    let (scheme, rest) = address.split_once("://").expect("a postgres:// address");
    let host_at = rest.find('/').unwrap_or(rest.len());
    let hostpart = &rest[..host_at];
    let host = hostpart.rsplit_once('@').map_or(hostpart, |(_, h)| h);
    format!(
        "{scheme}://{}:{}@{host}{}",
        enc(user),
        enc(password),
        &rest[host_at..]
    )
}

/// The book `b` as `login` sees it: the same database, logged in with `password`.
pub fn book_as(b: &Book, login: &str, password: &str) -> Book {
    let mut other = Book::new();
    other.db = std::path::PathBuf::from(as_login(&b.db.to_string_lossy(), login, password));
    other
}

/// Runs `team add` with `stdin`; returns (code, stdout, stderr).
pub fn add_with_stdin(b: &Book, args: &[&str], stdin: &str) -> (i32, String, String) {
    let out = b
        .cmd()
        .args(["team", "add"])
        .args(args)
        .write_stdin(stdin)
        .output()
        .expect("run");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

pub fn server_book() -> Option<(Logins, Book)> {
    let base = test_server()?;
    let logins = Logins::new(&base);
    let b = Book::server()?;
    Some((logins, b))
}

/// Puts a new login named after `prefix` on the team of `owner`'s book as `role`, with
/// `password`; returns its name and the book as it sees it.
pub fn member(
    logins: &Logins,
    owner: &Book,
    prefix: &str,
    role: &str,
    password: &str,
) -> (String, Book) {
    let name = logins.unique(prefix);
    let (code, out, err) = add_with_stdin(
        owner,
        &[&name, "--role", role, "--password-stdin"],
        &format!("{password}\n"),
    );
    assert_eq!(code, 0, "team add {name}: {out}{err}");
    let desk = book_as(owner, &name, password);
    (name, desk)
}

pub const PASSWORD: &str = "team-rights-pw";

/// A team's book on the test server (`team_rights`, `team_report`): the book, its owner's
/// handle, and the desks of a manager and two reps.
pub struct Team {
    pub owner: Book,
    pub manager: (String, Book),
    pub ana: (String, Book),
    pub bob: (String, Book),
    /// Dropped last: the logins go after the book's database.
    _logins: Logins,
}

impl Team {
    pub fn new() -> Option<Team> {
        let (logins, owner) = server_book()?;
        let add = |prefix: &str, role: &str| member(&logins, &owner, prefix, role, PASSWORD);
        let manager = add("mia", "manager");
        let ana = add("ana", "rep");
        let bob = add("bob", "rep");
        logins.keep_groups(&owner);
        Some(Team {
            _logins: logins,
            owner,
            manager,
            ana,
            bob,
        })
    }

    /// A plain connection to the book as `login`: psql's view of it.
    pub fn psql(&self, login: &str) -> postgres::Client {
        let address = as_login(&self.owner.db.to_string_lossy(), login, PASSWORD);
        salesdesk::storage::pg::connect::connect(&address)
            .unwrap_or_else(|e| panic!("connecting as {login}: {e}"))
    }
}
