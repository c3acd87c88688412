//! The team on a server book: who works it (`users`) and their PostgreSQL logins. `team add`
//! makes a login (or takes one that exists) and grants it the book's group role; `team
//! remove` takes it off the team and revokes the group, keeping the login. Names reach the
//! server only as arguments, quoted there by `format('%I')`; a password only as a SCRAM
//! verifier made here.

use crate::error::{Error, Result};
use crate::storage::Db;
use crate::storage::sql::{Begin, Conn, OptionalExtension};

use super::session::Session;

/// One person on the team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub login: String,
    /// `rep` or `manager`.
    pub role: String,
    pub display_name: Option<String>,
    pub added_at: String,
}

/// What `team add` did with the login.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Login {
    /// A new PostgreSQL login was made.
    Created,
    /// The login existed on the server and was put on the team as it is.
    Existed,
}

/// The longest role name PostgreSQL keeps (NAMEDATALEN - 1 bytes); a longer one would be cut
/// short without a word.
const MAX_LOGIN: usize = 63;

fn not_on_server() -> Error {
    Error::input(
        "teams need a book on a PostgreSQL server (--db postgres://USER@HOST/DB); this book is \
         a file, worked by one local user",
    )
}

impl Db {
    /// Who runs the commands: the login on a server, `me` on a personal book.
    pub fn user(&self) -> String {
        self.conn.user()
    }

    /// Whether the user may see and change everyone's rows: a manager on a server, the one
    /// user of a personal book.
    pub fn is_manager(&self) -> Result<bool> {
        Ok(self.conn.is_manager()?)
    }

    /// The role of `login` on the team; None when not on it, and on a personal book.
    pub fn team_role(&self, login: &str) -> Result<Option<String>> {
        if !self.on_server() {
            return Ok(None);
        }
        role_of(&self.conn, login)
    }

    /// The people on the team, by login.
    pub fn team_list(&self) -> Result<Vec<Member>> {
        let conn = self.server_conn()?;
        let mut stmt =
            conn.prepare("SELECT login, role, display_name, added_at FROM users ORDER BY login")?;
        let rows = stmt.query_map((), |r| {
            Ok(Member {
                login: r.get(0)?,
                role: r.get(1)?,
                display_name: r.get(2)?,
                added_at: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<crate::storage::sql::Result<Vec<_>>>()?)
    }

    /// Puts `login` on the team as `role` (`rep` or `manager`), making the PostgreSQL login
    /// when there is none (with `password`, if given). Only a manager with CREATEROLE may.
    pub fn team_add(
        &mut self,
        login: &str,
        role: &str,
        display_name: Option<&str>,
        password: Option<&str>,
        now: &str,
    ) -> Result<Login> {
        check_login_name(login)?;
        let conn = self.server_conn()?;
        let tx = conn.begin(Begin::Immediate)?;
        must_be_manager(conn)?;
        if let Some(r) = role_of(conn, login)? {
            return Err(Error::input(format!(
                "{login} is already on the team, as a {r}"
            )));
        }
        must_create_roles(conn)?;
        ensure_groups(conn)?;
        let made = match can_login(conn, login)? {
            Some(false) => {
                return Err(Error::input(format!(
                    "{login} is a PostgreSQL role that cannot log in, not a login"
                )));
            }
            Some(true) if password.is_some() => {
                return Err(Error::input(format!(
                    "{login} already has a PostgreSQL login, which keeps its own password; \
                     leave out --password-stdin"
                )));
            }
            Some(true) => Login::Existed,
            None => {
                create_login(conn, login, password)?;
                Login::Created
            }
        };
        for group in groups_for(role) {
            ddl(
                conn,
                "SELECT format('GRANT %I TO %I', salesdesk_team_group(?1), ?2::text)",
                group,
                login,
            )?;
        }
        conn.execute(
            "INSERT INTO users(login, role, display_name, added_at) VALUES (?1, ?2, ?3, ?4)",
            crate::storage::sql::params![login, role, display_name, now],
        )?;
        tx.commit()?;
        Ok(made)
    }

    /// Takes `login` off the team and revokes the book's groups from it; the PostgreSQL login
    /// itself stays. The last manager stays too.
    pub fn team_remove(&mut self, login: &str) -> Result<()> {
        let conn = self.server_conn()?;
        let tx = conn.begin(Begin::Immediate)?;
        must_be_manager(conn)?;
        let Some(role) = role_of(conn, login)? else {
            return Err(Error::input(format!("{login} is not on the team")));
        };
        if role == "manager" {
            let managers: i64 = conn.query_row(
                "SELECT count(*) FROM users WHERE role = 'manager'",
                (),
                |r| r.get(0),
            )?;
            if managers <= 1 {
                return Err(Error::input(format!(
                    "{login} is the team's last manager; add another manager first \
                     (team add NAME --role manager)"
                )));
            }
        }
        must_create_roles(conn)?;
        conn.execute("DELETE FROM users WHERE login = ?1", [login])?;
        if can_login(conn, login)?.is_some() {
            for group in groups_for("manager") {
                let exists: bool = conn.query_row(
                    "SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = salesdesk_team_group(?1))",
                    [group],
                    |r| r.get(0),
                )?;
                if exists {
                    ddl(
                        conn,
                        "SELECT format('REVOKE %I FROM %I', salesdesk_team_group(?1), ?2::text)",
                        group,
                        login,
                    )?;
                }
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn server_conn(&self) -> Result<&Conn> {
        match self.conn.pg() {
            Some(_) => Ok(&self.conn),
            None => Err(not_on_server()),
        }
    }
}

/// `e`, or what it means when the login may not read the book at all: it is not on the team
/// (never added, or removed).
pub(super) fn explain_refusal(s: &Session, e: Error) -> Error {
    let sql = "SELECT current_user::text FROM pg_class
               WHERE oid = to_regclass('schema_migrations')
                 AND NOT has_table_privilege(oid, 'SELECT')";
    let me = s
        .prepare(sql)
        .and_then(|stmt| s.query(&stmt, &[]))
        .ok()
        .and_then(|rows| rows.first().and_then(|r| r.try_get::<_, String>(0).ok()));
    match me {
        Some(me) => Error::env(format!(
            "{me} has no rights on the book on {}; a manager puts them on the team with \
             `salesdesk team add {me} --role rep`",
            s.shown
        )),
        None => e,
    }
}

/// A name PostgreSQL would keep as given: any text is quoted safely, but an empty name, one
/// cut short at 63 bytes, a reserved `pg_` name or control characters are refused.
fn check_login_name(login: &str) -> Result<()> {
    let why = if login.is_empty() {
        Some("a login name cannot be empty".to_string())
    } else if login.len() > MAX_LOGIN {
        Some(format!(
            "a PostgreSQL login name has at most {MAX_LOGIN} bytes; {login:?} has {}",
            login.len()
        ))
    } else if login.starts_with("pg_") {
        Some(format!(
            "{login:?}: names starting with pg_ are PostgreSQL's own"
        ))
    } else if login.chars().any(char::is_control) {
        Some(format!(
            "{login:?}: a login name cannot hold control characters"
        ))
    } else {
        None
    };
    match why {
        Some(w) => Err(Error::input(w)),
        None => Ok(()),
    }
}

/// The team role of `login`, None when not on the team.
fn role_of(conn: &Conn, login: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT role FROM users WHERE login = ?1", [login], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Refuses anyone but a manager of the team.
fn must_be_manager(conn: &Conn) -> Result<()> {
    let (me, role): (String, Option<String>) = conn.query_row(
        "SELECT current_user::text, (SELECT role FROM users WHERE login = current_user)",
        (),
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    match role.as_deref() {
        Some("manager") => Ok(()),
        Some(r) => Err(Error::input(format!(
            "only a manager can add or remove people on the team; {me} is a {r}"
        ))),
        None => Err(Error::input(format!(
            "only a manager can add or remove people on the team; {me} is not on the team"
        ))),
    }
}

/// Refuses a login that cannot make or change roles, saying what an administrator runs.
fn must_create_roles(conn: &Conn) -> Result<()> {
    let (can, me): (bool, String) = conn.query_row(
        "SELECT rolcreaterole OR rolsuper, quote_ident(rolname) FROM pg_roles
         WHERE rolname = current_user",
        (),
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if can {
        return Ok(());
    }
    Err(Error::env(format!(
        "changing the team needs a PostgreSQL login with CREATEROLE, which {me} has not; an \
         administrator gives it with: ALTER ROLE {me} CREATEROLE"
    )))
}

/// Makes the book's group roles and their rights on the first `team add` (see migration
/// 0002). A group that exists without rights on this book (left by a dropped database whose
/// number this one reuses, or a book restored into a new database) is given them.
fn ensure_groups(conn: &Conn) -> Result<()> {
    let made: bool = conn.query_row(
        "SELECT coalesce((SELECT has_table_privilege(r.oid, 'users', 'SELECT') FROM pg_roles r
                          WHERE r.rolname = salesdesk_team_group('team')), false)",
        (),
        |r| r.get(0),
    )?;
    if !made {
        conn.execute_batch("SELECT salesdesk_team_setup()")?;
    }
    Ok(())
}

/// Whether a PostgreSQL role `login` may log in; None when there is no such role.
fn can_login(conn: &Conn, login: &str) -> Result<Option<bool>> {
    Ok(conn
        .query_row(
            "SELECT rolcanlogin FROM pg_roles WHERE rolname = ?1",
            [login],
            |r| r.get(0),
        )
        .optional()?)
}

/// The groups a member of `role` is in.
fn groups_for(role: &str) -> &'static [&'static str] {
    if role == "manager" {
        &["team", "managers"]
    } else {
        &["team"]
    }
}

/// Makes the login, with a SCRAM verifier of `password` (the password itself never leaves).
fn create_login(conn: &Conn, login: &str, password: Option<&str>) -> Result<()> {
    match password {
        Some(p) => {
            let verifier = postgres_protocol::password::scram_sha_256(p.as_bytes());
            ddl(
                conn,
                "SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', ?1::text, ?2::text)",
                login,
                &verifier,
            )
        }
        None => {
            let sql: String = conn.query_row(
                "SELECT format('CREATE ROLE %I LOGIN', ?1::text)",
                [login],
                |r| r.get(0),
            )?;
            Ok(conn.execute_batch(&sql)?)
        }
    }
}

/// Runs the statement `make` (a `SELECT format(…)` of two arguments) writes: the server
/// quotes every name and literal, so no text of the user's is ever read as SQL.
fn ddl(conn: &Conn, make: &str, a: &str, b: &str) -> Result<()> {
    let sql: String = conn.query_row(make, [a, b], |r| r.get(0))?;
    Ok(conn.execute_batch(&sql)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_postgres_would_change_or_refuse_are_refused_and_others_kept() {
        assert!(check_login_name("").is_err());
        assert!(check_login_name(&"a".repeat(64)).is_err());
        assert!(check_login_name(&"a".repeat(63)).is_ok());
        assert!(check_login_name("pg_monitor").is_err());
        assert!(check_login_name("a\nb").is_err());
        assert!(check_login_name("x; DROP TABLE contacts").is_ok());
        assert!(check_login_name("o'brien \"jr\"").is_ok());
    }
}
