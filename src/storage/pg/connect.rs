//! Connecting to the server an address names: each host in turn, TLS as `sslmode` says, then
//! a check that the server is new enough. Every failure is one line that names what to check
//! (the server, the login, the database, the version) and never the password.

use std::io;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use postgres::config::SslMode as ClientSslMode;
use postgres::error::SqlState;
use postgres::{Client, NoTls};

use crate::error::{Error, Result};

use super::address::{self, Env, Host, Resolved, SslMode, Target};
use super::tls;

/// The oldest server salesdesk runs on (SPEC): 13 has `gen_random_uuid()` built in, and the
/// releases before it no longer get fixes.
pub const OLDEST_SERVER: i32 = 13;

/// A connection and what the user should hear about making it (a password file ignored).
pub struct Connected {
    pub client: Client,
    pub notices: Vec<String>,
}

/// Connects to the server at `address` (`postgres://…`), saying any notice on stderr.
pub fn connect(address: &str) -> Result<Client> {
    let Connected { client, notices } = connect_noting(address)?;
    for n in notices {
        crate::inert::say("warning", &n);
    }
    Ok(client)
}

/// Connects to the server at `address`, handing back the notices for the caller to show. A
/// failure carries them in its message, since a refused login may be why.
pub fn connect_noting(address: &str) -> Result<Connected> {
    connect_in(address, &Env::real())
}

/// [`connect_noting`] with the environment variables and login name `env` gives.
pub fn connect_in(address: &str, env: &Env) -> Result<Connected> {
    let resolved = address::resolve_in(address, env)?;
    let mut notices = Vec::new();
    match open(&resolved, &mut notices) {
        Ok(client) => Ok(Connected { client, notices }),
        Err(e) if notices.is_empty() => Err(e),
        Err(e) => {
            let line = format!("{e} ({})", notices.join("; "));
            Err(match e {
                Error::Input(_) => Error::input(line),
                _ => Error::env(line),
            })
        }
    }
}

/// Why one host did not give a connection: unreachable hosts are passed over for the next.
enum Failure {
    Unreachable(Option<String>),
    Refused(Error),
}

fn open(resolved: &Resolved, notices: &mut Vec<String>) -> Result<Client> {
    let mut unreachable = Vec::new();
    for target in &resolved.targets {
        let config = resolved.config(target, notices);
        // libpq ignores sslmode on a socket: nothing leaves the machine.
        let mode = match target.host {
            Host::Socket(_) => SslMode::Disable,
            Host::Tcp(_) => resolved.sslmode,
        };
        let root_file = resolved.root_file.clone();
        let outcome = within(resolved.connect_timeout, move || {
            attempt(mode, root_file.as_deref(), config)
        })?;
        let Some(attempt) = outcome.transpose()? else {
            unreachable.push((target.shown(), None));
            continue;
        };
        match attempt.map_err(|e| classify(&e, resolved, target)) {
            Ok(mut client) => {
                check_version(server_version(&mut client, target)?, &target.shown())?;
                return Ok(client);
            }
            Err(Failure::Unreachable(why)) => unreachable.push((target.shown(), why)),
            Err(Failure::Refused(e)) => return Err(e),
        }
    }
    Err(unreachable_error(unreachable))
}

/// Every host tried, each with what went wrong when it was not the usual (nothing there,
/// refused, no answer in time).
fn unreachable_error(tried: Vec<(String, Option<String>)>) -> Error {
    let whys: Vec<String> = tried.iter().filter_map(|(_, w)| w.clone()).collect();
    let wheres: Vec<String> = tried.into_iter().map(|(at, _)| at).collect();
    let why = if whys.is_empty() {
        String::new()
    } else {
        format!(" ({})", whys.join("; "))
    };
    Error::env(format!(
        "cannot reach the PostgreSQL server at {}{why}; is it running, and is the address right?",
        wheres.join(" or ")
    ))
}

/// `f`'s answer, or None when it takes longer than `limit`. libpq's `connect_timeout` bounds
/// all of connecting, tokio-postgres's only the socket's, so a server that accepts and then
/// says nothing would hang the desk. An attempt that overruns is left on its thread, to end
/// when the server or the system gives up; the caller has moved on.
fn within<T: Send + 'static>(
    limit: Option<Duration>,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<Option<T>> {
    let Some(limit) = limit else {
        return Ok(Some(f()));
    };
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("pg-connect".to_string())
        .spawn(move || {
            // Nobody listens any more when the attempt overran.
            let _ = tx.send(f());
        })
        .map_err(|e| Error::env(format!("cannot start a thread to connect: {e}")))?;
    Ok(rx.recv_timeout(limit).ok())
}

/// One try at one host, with TLS as `mode` says. The outer error is a connector that could
/// not be set up (a root certificate file that cannot be read), which no other host changes.
fn attempt(
    mode: SslMode,
    root_file: Option<&Path>,
    mut config: postgres::Config,
) -> Result<std::result::Result<Client, postgres::Error>> {
    let plain =
        |config: &mut postgres::Config| config.ssl_mode(ClientSslMode::Disable).connect(NoTls);
    let encrypted = |config: &mut postgres::Config, client_mode| -> Result<_> {
        let connector = tls::connector(tls::check_for(mode, root_file), root_file)?;
        Ok(config.ssl_mode(client_mode).connect(connector))
    };
    Ok(match mode {
        SslMode::Disable => plain(&mut config),
        // Without TLS first; with it when the server refuses the plain login (pg_hba hostssl).
        SslMode::Allow => match plain(&mut config) {
            Err(e) if e.code() == Some(&SqlState::INVALID_AUTHORIZATION_SPECIFICATION) => {
                encrypted(&mut config, ClientSslMode::Require)?
            }
            other => other,
        },
        // With TLS when the server offers it; without when the handshake fails, as libpq.
        SslMode::Prefer => match encrypted(&mut config, ClientSslMode::Prefer)? {
            Err(e) if is_tls(&e) => plain(&mut config),
            other => other,
        },
        SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => {
            encrypted(&mut config, ClientSslMode::Require)?
        }
    })
}

/// tokio-postgres tells its error kinds apart only in their text.
fn is_tls(e: &postgres::Error) -> bool {
    e.to_string().starts_with("error performing TLS handshake")
}

fn is_connect(e: &postgres::Error) -> bool {
    e.to_string().starts_with("error connecting to server")
}

/// The one-line message for a failed connection, or that the host could not be reached.
fn classify(e: &postgres::Error, resolved: &Resolved, target: &Target) -> Failure {
    let at = target.shown();
    let user = &resolved.user;
    if let Some(db) = e.as_db_error() {
        let said = one_line(db.message());
        let code = db.code();
        let msg = if *code == SqlState::INVALID_PASSWORD {
            format!(
                "the PostgreSQL server at {at} refused the login of user \"{user}\": wrong \
                 password, or no such user; check the password (in the address, PGPASSWORD or \
                 ~/.pgpass) and the user name"
            )
        } else if *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION {
            format!(
                "the PostgreSQL server at {at} refused the login of user \"{user}\": {said}; \
                 check the user name, or ask the admin to let it in (pg_hba.conf)"
            )
        } else if *code == SqlState::INVALID_CATALOG_NAME {
            let db = &resolved.dbname;
            format!(
                "the database \"{db}\" does not exist on the PostgreSQL server at {at}; create \
                 it with `createdb {db}` or ask the admin"
            )
        } else {
            format!("the PostgreSQL server at {at} refused the connection: {said}")
        };
        return Failure::Refused(Error::env(msg));
    }
    let cause = std::error::Error::source(e).map(|c| one_line(&c.to_string()));
    if is_tls(e) {
        return Failure::Refused(Error::env(format!(
            "cannot set up TLS with the PostgreSQL server at {at} (sslmode={}): {}; check \
             sslmode and sslrootcert",
            resolved.sslmode.name(),
            cause.unwrap_or_else(|| "the handshake failed".to_string())
        )));
    }
    if cause.as_deref() == Some("password missing") {
        return Failure::Refused(Error::env(format!(
            "the PostgreSQL server at {at} asks user \"{user}\" for a password and none was \
             given; put it in PGPASSWORD or ~/.pgpass (chmod 0600)"
        )));
    }
    if is_connect(e) {
        let io_kind = std::error::Error::source(e)
            .and_then(|c| c.downcast_ref::<io::Error>())
            .map(io::Error::kind);
        let plain = matches!(
            io_kind,
            Some(
                io::ErrorKind::NotFound
                    | io::ErrorKind::ConnectionRefused
                    | io::ErrorKind::TimedOut
                    | io::ErrorKind::HostUnreachable
                    | io::ErrorKind::NetworkUnreachable
                    | io::ErrorKind::AddrNotAvailable
            )
        );
        return Failure::Unreachable(if plain { None } else { cause });
    }
    let what = match cause {
        Some(cause) => format!("{e}: {cause}"),
        None => e.to_string(),
    };
    Failure::Refused(Error::env(format!(
        "cannot connect to the PostgreSQL server at {at}: {}",
        one_line(&what)
    )))
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn server_version(client: &mut Client, target: &Target) -> Result<i32> {
    let failed = |why: String| {
        Error::env(format!(
            "cannot read the version of the PostgreSQL server at {}: {why}",
            target.shown()
        ))
    };
    let row = client
        .query_one("SHOW server_version_num", &[])
        .map_err(|e| failed(one_line(&e.to_string())))?;
    let text: String = row.try_get(0).map_err(|e| failed(e.to_string()))?;
    text.trim()
        .parse()
        .map_err(|_| failed(format!("{text:?} is not a version number")))
}

/// Refuses a server older than [`OLDEST_SERVER`], naming its version (`server_version_num`:
/// 150004 is 15.4, 90624 is 9.6.24).
pub fn check_version(num: i32, at: &str) -> Result<()> {
    if num / 10000 >= OLDEST_SERVER {
        return Ok(());
    }
    let shown = if num >= 100000 {
        format!("{}.{}", num / 10000, num % 10000)
    } else {
        format!("{}.{}.{}", num / 10000, num / 100 % 100, num % 100)
    };
    Err(Error::env(format!(
        "the PostgreSQL server at {at} is version {shown}, and {OLDEST_SERVER} is the oldest \
         salesdesk supports; ask the admin to upgrade it"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_older_than_13_is_refused_naming_its_version() {
        assert!(check_version(130000, "h:5432").is_ok());
        assert!(check_version(150004, "h:5432").is_ok());
        assert!(check_version(180001, "h:5432").is_ok());
        let e = check_version(120017, "db.example.com:5432").expect_err("too old");
        assert_eq!(
            e.to_string(),
            "the PostgreSQL server at db.example.com:5432 is version 12.17, and 13 is the \
             oldest salesdesk supports; ask the admin to upgrade it"
        );
        assert_eq!(e.exit_code(), 1);
        let e = check_version(90624, "h:5432").expect_err("too old");
        assert!(e.to_string().contains("is version 9.6.24, and 13"), "{e}");
    }

    #[test]
    fn messages_are_one_line() {
        assert_eq!(one_line("a\n  b\tc "), "a b c");
    }
}
