//! A `--db postgres://…` address read with libpq's conventions, so that what works with `psql`
//! works here: the URL (`postgres://user:pw@host:port/db?sslmode=…`, `host=/socket/dir` or a
//! percent-encoded socket path as the host), then a service file's section (`service=` or
//! PGSERVICE), then the PG* environment variables, then libpq's defaults. A password the
//! address does not give is looked up in `~/.pgpass` when connecting (see `Resolved::config`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::{Error, Result};

use super::{pgpass, service, tls};

/// The connection keywords salesdesk understands, as libpq spells them, with the environment
/// variable that gives each a default.
const KEYWORDS: &[(&str, Option<&str>)] = &[
    ("host", Some("PGHOST")),
    ("port", Some("PGPORT")),
    ("user", Some("PGUSER")),
    ("password", Some("PGPASSWORD")),
    ("dbname", Some("PGDATABASE")),
    ("sslmode", Some("PGSSLMODE")),
    ("sslrootcert", Some("PGSSLROOTCERT")),
    ("application_name", Some("PGAPPNAME")),
    ("connect_timeout", Some("PGCONNECT_TIMEOUT")),
    ("options", Some("PGOPTIONS")),
    ("service", Some("PGSERVICE")),
];

/// Debian's (and most distributions') socket folder, where libpq looks when no host is given.
pub const DEFAULT_SOCKET_DIR: &str = "/var/run/postgresql";
pub const DEFAULT_PORT: u16 = 5432;
/// libpq waits for ever by default; a desk that hangs for the kernel's two minutes on a
/// server that is down helps nobody, so without `connect_timeout` it gives up after this.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The keyword/value pairs an address, a service file or the environment gives.
pub(crate) type Params = BTreeMap<&'static str, String>;

/// Whether a `--db` value names a server rather than a book file.
pub fn is_server_address(db: &str) -> bool {
    db.split_once("://").is_some_and(|(scheme, _)| {
        scheme.eq_ignore_ascii_case("postgres") || scheme.eq_ignore_ascii_case("postgresql")
    })
}

/// The address as it may be shown in any message: no `user:password@` password and no
/// `password=` parameter. Errs on the side of hiding: a password with a raw `@`, `/` or `?`
/// in it is hidden too, though libpq would not read such an address.
pub fn redact(address: &str) -> String {
    let Some((scheme, rest)) = address.split_once("://") else {
        return address.to_string();
    };
    let before_params = rest.find('=').unwrap_or(rest.len());
    let at = rest[..before_params].rfind('@').or_else(|| rest.rfind('@'));
    let (user, rest) = match at {
        Some(at) => {
            let user = rest[..at].split(':').next().unwrap_or_default();
            (format!("{user}@"), &rest[at + 1..])
        }
        None => (String::new(), rest),
    };
    let (main, query) = match rest.split_once('?') {
        Some((main, query)) => (main, Some(query)),
        None => (rest, None),
    };
    let query = query.map(|q| {
        let items: Vec<&str> = q
            .split('&')
            .map(|item| {
                let key = item.split('=').next().unwrap_or_default();
                if percent_decode(key).is_ok_and(|k| k.eq_ignore_ascii_case("password")) {
                    "password=***"
                } else {
                    item
                }
            })
            .collect();
        format!("?{}", items.join("&"))
    });
    format!("{scheme}://{user}{main}{}", query.unwrap_or_default())
}

/// Where one server is: libpq tries each host of the address in turn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Host {
    Tcp(String),
    /// The folder that holds the server's socket `.s.PGSQL.PORT`.
    Socket(PathBuf),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub host: Host,
    pub port: u16,
}

impl Target {
    /// As messages name it: `db.example.com:5432`, `[::1]:5432`, `socket /run/postgresql/.s.PGSQL.5432`.
    pub fn shown(&self) -> String {
        match &self.host {
            Host::Tcp(name) if name.contains(':') => format!("[{name}]:{}", self.port),
            Host::Tcp(name) => format!("{name}:{}", self.port),
            Host::Socket(dir) => {
                format!(
                    "socket {}",
                    dir.join(format!(".s.PGSQL.{}", self.port)).display()
                )
            }
        }
    }
}

/// libpq's `sslmode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Allow,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    fn parse(text: &str) -> Result<Self> {
        Ok(match text {
            "disable" => Self::Disable,
            "allow" => Self::Allow,
            "prefer" => Self::Prefer,
            "require" => Self::Require,
            "verify-ca" => Self::VerifyCa,
            "verify-full" => Self::VerifyFull,
            _ => {
                return Err(Error::input(format!(
                    "sslmode {text:?} is not one of disable, allow, prefer, require, verify-ca, verify-full"
                )));
            }
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Disable => "disable",
            Self::Allow => "allow",
            Self::Prefer => "prefer",
            Self::Require => "require",
            Self::VerifyCa => "verify-ca",
            Self::VerifyFull => "verify-full",
        }
    }
}

/// An address with every default filled in. Holds the password, so it has no `Debug`.
pub struct Resolved {
    pub targets: Vec<Target>,
    pub user: String,
    pub dbname: String,
    pub sslmode: SslMode,
    pub application_name: String,
    pub connect_timeout: Option<Duration>,
    pub options: Option<String>,
    /// The root certificates to check the server against; None for the system's.
    pub root_file: Option<PathBuf>,
    password: Option<String>,
    pgpass: Option<PathBuf>,
}

impl Resolved {
    /// The client's settings for one of the targets, with the password from `~/.pgpass`
    /// when the address, the service or PGPASSWORD gave none. What the user should hear
    /// (a password file ignored for its permissions) goes into `notices`.
    pub fn config(&self, target: &Target, notices: &mut Vec<String>) -> postgres::Config {
        let mut config = postgres::Config::new();
        match &target.host {
            Host::Tcp(name) => config.host(name),
            Host::Socket(dir) => config.host_path(dir),
        };
        config
            .port(target.port)
            .user(&self.user)
            .dbname(&self.dbname)
            .application_name(&self.application_name);
        if let Some(t) = self.connect_timeout {
            config.connect_timeout(t);
        }
        if let Some(o) = &self.options {
            config.options(o);
        }
        if let Some(pw) = self.password(target, notices) {
            config.password(pw);
        }
        config
    }

    fn password(&self, target: &Target, notices: &mut Vec<String>) -> Option<String> {
        if self.password.is_some() {
            return self.password.clone();
        }
        let file = self.pgpass.as_ref()?;
        // libpq looks a socket connection up as host `localhost`.
        let host = match &target.host {
            Host::Tcp(name) => name.as_str(),
            Host::Socket(_) => "localhost",
        };
        let key = pgpass::Key {
            host,
            port: &target.port.to_string(),
            dbname: &self.dbname,
            user: &self.user,
        };
        let (found, notice) = pgpass::lookup(file, &key);
        if let Some(n) = notice.filter(|n| !notices.contains(n)) {
            notices.push(n);
        }
        found
    }

    /// Every target as messages name them: `a:5432 or socket /run/postgresql/.s.PGSQL.5432`.
    pub fn shown(&self) -> String {
        let all: Vec<String> = self.targets.iter().map(Target::shown).collect();
        all.join(" or ")
    }
}

/// What the process's surroundings give: environment variables and the login name. Tests
/// build one by hand (`Env::from_vars`) instead of changing the process's environment.
pub struct Env {
    /// None for the process's own environment.
    vars: Option<BTreeMap<String, String>>,
    os_user: Option<String>,
}

impl Env {
    pub fn real() -> Self {
        Env {
            vars: None,
            os_user: os_user(),
        }
    }

    /// Only `vars` set (no HOME unless given, so no `~/.pgpass`), logged in as `os_user`.
    pub fn from_vars(vars: &[(&str, &str)], os_user: Option<&str>) -> Self {
        let vars = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Env {
            vars: Some(vars),
            os_user: os_user.map(str::to_string),
        }
    }

    /// A variable's value; libpq takes an empty one as unset.
    pub(crate) fn var(&self, name: &str) -> Option<String> {
        match &self.vars {
            None => std::env::var(name).ok(),
            Some(vars) => vars.get(name).cloned(),
        }
        .filter(|v| !v.is_empty())
    }

    pub(crate) fn home(&self) -> Option<PathBuf> {
        self.var("HOME").map(PathBuf::from)
    }
}

/// The login name of the process's user, which libpq takes as the default user: from the
/// password database, else `$USER`.
fn os_user() -> Option<String> {
    let uid = rustix::process::getuid().as_raw().to_string();
    let from_passwd = std::fs::read_to_string("/etc/passwd")
        .ok()
        .and_then(|text| {
            text.lines().find_map(|line| {
                let fields: Vec<&str> = line.split(':').collect();
                (fields.get(2) == Some(&uid.as_str())).then(|| fields[0].to_string())
            })
        });
    from_passwd
        .or_else(|| std::env::var("USER").ok())
        .filter(|u| !u.is_empty())
}

/// Reads `address` with the process's environment.
pub fn resolve(address: &str) -> Result<Resolved> {
    resolve_in(address, &Env::real())
}

/// Reads `address` with what `env` gives.
pub fn resolve_in(address: &str, env: &Env) -> Result<Resolved> {
    let mut params = parse_url(address)?;
    let service = params
        .get("service")
        .cloned()
        .or_else(|| env.var("PGSERVICE"));
    if let Some(name) = service {
        for (key, value) in service::lookup(&name, env)? {
            params.entry(key).or_insert(value);
        }
    }
    for (key, var) in KEYWORDS {
        if let Some(value) = var.and_then(|v| env.var(v)) {
            params.entry(key).or_insert(value);
        }
    }
    build(params, env)
}

/// The keyword as salesdesk knows it, or an input error naming where it was met.
pub(crate) fn keyword(name: &str, whence: &str) -> Result<&'static str> {
    KEYWORDS
        .iter()
        .map(|(k, _)| *k)
        .find(|k| *k == name)
        .ok_or_else(|| {
            let known: Vec<&str> = KEYWORDS.iter().map(|(k, _)| *k).collect();
            Error::input(format!(
                "{whence}: salesdesk does not know the connection setting {name:?} (it knows {})",
                known.join(", ")
            ))
        })
}

/// The URL's parts as libpq's keywords. Percent-encoding is decoded everywhere, so a socket
/// folder can be the host (`postgres://%2Frun%2Fpostgresql/db`).
fn parse_url(address: &str) -> Result<Params> {
    let bad = |why: &str| Error::input(format!("--db {}: {why}", redact(address)));
    let rest = match address.split_once("://") {
        Some((scheme, rest)) if is_server_address(address) && !scheme.is_empty() => rest,
        _ => {
            return Err(bad(
                "a server address starts with postgres:// or postgresql://",
            ));
        }
    };
    let mut params = Params::new();
    let put = |params: &mut Params, key: &'static str, raw: &str| -> Result<()> {
        let value = percent_decode(raw).map_err(|e| bad(&e))?;
        if !value.is_empty() {
            params.insert(key, value);
        }
        Ok(())
    };
    let (main, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (authority, path) = main.split_once('/').unwrap_or((main, ""));
    let hosts = match authority.rsplit_once('@') {
        Some((userinfo, hosts)) => {
            let (user, password) = userinfo.split_once(':').unwrap_or((userinfo, ""));
            put(&mut params, "user", user)?;
            put(&mut params, "password", password)?;
            hosts
        }
        None => authority,
    };
    let (hosts, ports) = split_hosts(hosts).map_err(|e| bad(&e))?;
    put(&mut params, "host", &hosts)?;
    put(&mut params, "port", &ports)?;
    put(&mut params, "dbname", path)?;
    for item in query.split('&').filter(|i| !i.is_empty()) {
        let (key, value) = item
            .split_once('=')
            .ok_or_else(|| bad(&format!("the parameter {item:?} has no value")))?;
        let key = percent_decode(key).map_err(|e| bad(&e))?;
        let key = keyword(&key, &format!("--db {}", redact(address)))?;
        put(&mut params, key, value)?;
    }
    Ok(params)
}

/// `h1:5432,[::1]:5433,h3` as the host list and the port list, comma-separated like libpq's
/// `host` and `port` keywords (still percent-encoded).
fn split_hosts(text: &str) -> std::result::Result<(String, String), String> {
    let mut hosts = Vec::new();
    let mut ports = Vec::new();
    for part in text.split(',') {
        let (host, port) = if let Some(inner) = part.strip_prefix('[') {
            let (host, after) = inner
                .split_once(']')
                .ok_or_else(|| format!("{part:?} opens a [ but does not close it"))?;
            (host, after.strip_prefix(':').unwrap_or(after))
        } else {
            part.split_once(':').unwrap_or((part, ""))
        };
        hosts.push(host);
        ports.push(port);
    }
    let all_empty = |v: &[&str]| v.iter().all(|s| s.is_empty());
    let join = |v: &[&str]| {
        if all_empty(v) {
            String::new()
        } else {
            v.join(",")
        }
    };
    Ok((join(&hosts), join(&ports)))
}

/// `%2F` and friends decoded; the result must be UTF-8.
fn percent_decode(text: &str) -> std::result::Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| "a % is not followed by two hex digits".to_string())?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "a percent-encoded part is not UTF-8".to_string())
}

/// The keywords after the service file and the environment, with libpq's defaults.
fn build(mut params: Params, env: &Env) -> Result<Resolved> {
    let targets = targets(
        params.get("host").map(String::as_str),
        params.get("port").map(String::as_str),
    )?;
    let user = match params.remove("user").or_else(|| env.os_user.clone()) {
        Some(u) => u,
        None => {
            return Err(Error::env(
                "cannot tell which PostgreSQL user to log in as: give it in the address \
                 (postgres://USER@HOST/DB) or in PGUSER",
            ));
        }
    };
    let dbname = params.remove("dbname").unwrap_or_else(|| user.clone());
    let sslmode = match params.get("sslmode") {
        Some(mode) => SslMode::parse(mode)?,
        None => SslMode::Prefer,
    };
    let connect_timeout = match params.get("connect_timeout") {
        None => Some(DEFAULT_CONNECT_TIMEOUT),
        Some(text) => match text.trim().parse::<i64>() {
            // libpq: zero or less waits for ever, and less than two seconds means two.
            Ok(n) if n <= 0 => None,
            Ok(n) => Some(Duration::from_secs(n.max(2).unsigned_abs())),
            Err(_) => {
                return Err(Error::input(format!(
                    "connect_timeout {text:?} is not a number of seconds"
                )));
            }
        },
    };
    let pgpass = env
        .var("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| env.home().map(|h| h.join(".pgpass")));
    Ok(Resolved {
        targets,
        user,
        dbname,
        sslmode,
        application_name: params
            .remove("application_name")
            .unwrap_or_else(|| "salesdesk".to_string()),
        connect_timeout,
        options: params.remove("options"),
        root_file: tls::root_file(
            params.remove("sslrootcert").as_deref().map(Path::new),
            env.home().as_deref(),
        ),
        password: params.remove("password"),
        pgpass,
    })
}

/// The hosts to try in order with their ports: one port for all, or one per host. No host
/// at all is the default socket folder, then `localhost`.
fn targets(hosts: Option<&str>, ports: Option<&str>) -> Result<Vec<Target>> {
    let hosts: Vec<Host> = match hosts {
        Some(list) => list
            .split(',')
            .map(|h| match h.trim() {
                "" => Host::Socket(PathBuf::from(DEFAULT_SOCKET_DIR)),
                h if h.starts_with('/') => Host::Socket(PathBuf::from(h)),
                h => Host::Tcp(h.to_string()),
            })
            .collect(),
        None => vec![
            Host::Socket(PathBuf::from(DEFAULT_SOCKET_DIR)),
            Host::Tcp("localhost".to_string()),
        ],
    };
    let ports: Vec<u16> = match ports {
        None => vec![DEFAULT_PORT],
        Some(list) => list
            .split(',')
            .map(|p| match p.trim() {
                "" => Ok(DEFAULT_PORT),
                p => p.parse::<u16>().ok().filter(|n| *n > 0).ok_or_else(|| {
                    Error::input(format!("the port {p:?} is not a number from 1 to 65535"))
                }),
            })
            .collect::<Result<_>>()?,
    };
    if ports.len() != 1 && ports.len() != hosts.len() {
        return Err(Error::input(format!(
            "{} ports given for {} hosts: give one port, or one for each host",
            ports.len(),
            hosts.len()
        )));
    }
    Ok(hosts
        .into_iter()
        .enumerate()
        .map(|(i, host)| Target {
            host,
            port: ports.get(i).copied().unwrap_or(ports[0]),
        })
        .collect())
}

#[cfg(test)]
#[path = "address_tests.rs"]
mod tests;
