use std::path::Path;

use super::*;

fn resolved(address: &str, vars: &[(&str, &str)]) -> Resolved {
    resolve_in(address, &Env::from_vars(vars, Some("osuser")))
        .unwrap_or_else(|e| panic!("{address}: {e}"))
}

fn refused(address: &str) -> String {
    match resolve_in(address, &Env::from_vars(&[], Some("osuser"))) {
        Ok(_) => panic!("{address} was read"),
        Err(e) => {
            assert_eq!(e.exit_code(), 2, "{e}");
            e.to_string()
        }
    }
}

fn tcp(name: &str, port: u16) -> Target {
    Target {
        host: Host::Tcp(name.to_string()),
        port,
    }
}

fn socket(dir: &str, port: u16) -> Target {
    Target {
        host: Host::Socket(PathBuf::from(dir)),
        port,
    }
}

fn password(r: &Resolved) -> Option<String> {
    let mut notices = Vec::new();
    let config = r.config(&r.targets[0], &mut notices);
    config
        .get_password()
        .map(|p| String::from_utf8_lossy(p).into_owned())
}

#[test]
fn server_addresses_are_told_from_paths() {
    for a in [
        "postgres://h/db",
        "postgresql:///db",
        "POSTGRES://h",
        "PostgreSQL://u@h",
    ] {
        assert!(is_server_address(a), "{a}");
    }
    for p in [
        "book.db",
        "/tmp/postgres://x",
        "mysql://h/db",
        "postgres:/h",
        "./postgres://h",
    ] {
        assert!(!is_server_address(p), "{p}");
    }
}

#[test]
fn redaction_removes_every_password() {
    for (given, shown) in [
        (
            "postgres://ana:s3cret@db.example.com/sales",
            "postgres://ana@db.example.com/sales",
        ),
        (
            "postgresql://ana:p%40ss@/sales?host=/run/postgresql",
            "postgresql://ana@/sales?host=/run/postgresql",
        ),
        (
            "postgres:///sales?host=/tmp&password=s3cret&sslmode=require",
            "postgres:///sales?host=/tmp&password=***&sslmode=require",
        ),
        (
            "postgres://ana@h/sales?PASSWORD=s3cret",
            "postgres://ana@h/sales?password=***",
        ),
        (
            "postgres://ana:s3c@ret@h:5433/sales",
            "postgres://ana@h:5433/sales",
        ),
        ("postgres://ana:s3c/ret@h/sales", "postgres://ana@h/sales"),
        ("postgres://ana:s3c?ret@h/sales", "postgres://ana@h/sales"),
        (
            "postgres://ana:s3c=ret@h/sales?sslmode=require",
            "postgres://ana@h/sales?sslmode=require",
        ),
        (
            "postgres://ana@h/sales?%70assword=s3cret",
            "postgres://ana@h/sales?password=***",
        ),
        ("postgres://h/sales", "postgres://h/sales"),
    ] {
        let r = redact(given);
        assert_eq!(r, shown, "{given}");
        assert!(!r.contains("s3c") && !r.contains("p%40ss"), "{r}");
    }
}

#[test]
fn the_url_gives_every_part() {
    let r = resolved(
        "postgres://ana:pw@db.example.com:5433/sales?sslmode=require&application_name=desk&connect_timeout=5",
        &[],
    );
    assert_eq!(r.targets, vec![tcp("db.example.com", 5433)]);
    assert_eq!(r.user, "ana");
    assert_eq!(r.dbname, "sales");
    assert_eq!(r.sslmode, SslMode::Require);
    assert_eq!(r.application_name, "desk");
    assert_eq!(r.connect_timeout, Some(Duration::from_secs(5)));
    assert_eq!(password(&r).as_deref(), Some("pw"));
}

#[test]
fn socket_folders_come_as_a_parameter_or_a_percent_encoded_host() {
    let r = resolved("postgres://ana@/sales?host=/run/postgresql", &[]);
    assert_eq!(r.targets, vec![socket("/run/postgresql", 5432)]);
    let r = resolved("postgresql://%2Ftmp%2Fpg%20dir:5433/sales", &[]);
    assert_eq!(r.targets, vec![socket("/tmp/pg dir", 5433)]);
    assert_eq!(r.user, "osuser");
    assert_eq!(
        r.targets[0].shown(),
        "socket /tmp/pg dir/.s.PGSQL.5433",
        "messages name the socket itself"
    );
    let r = resolved("postgres://u:p%40ss%3Aw@h/db%20one", &[]);
    assert_eq!(password(&r).as_deref(), Some("p@ss:w"));
    assert_eq!(r.dbname, "db one");
}

#[test]
fn several_hosts_ipv6_and_their_ports() {
    let r = resolved("postgres://a:5433,[::1]:5434,c/db", &[]);
    assert_eq!(
        r.targets,
        vec![tcp("a", 5433), tcp("::1", 5434), tcp("c", 5432)]
    );
    assert_eq!(r.targets[1].shown(), "[::1]:5434");
    let r = resolved("postgres:///db?host=a,b&port=6000", &[]);
    assert_eq!(r.targets, vec![tcp("a", 6000), tcp("b", 6000)]);
    assert!(refused("postgres:///db?host=a,b,c&port=1,2").contains("2 ports given for 3 hosts"));
}

#[test]
fn defaults_are_libpqs_the_socket_folder_then_localhost_and_the_os_user() {
    let r = resolved("postgres://", &[]);
    assert_eq!(
        r.targets,
        vec![socket(DEFAULT_SOCKET_DIR, 5432), tcp("localhost", 5432)]
    );
    assert_eq!(r.user, "osuser");
    assert_eq!(
        r.dbname, "osuser",
        "the database defaults to the user's name"
    );
    assert_eq!(r.sslmode, SslMode::Prefer);
    assert_eq!(r.application_name, "salesdesk");
    assert_eq!(r.connect_timeout, Some(Duration::from_secs(10)));
    assert_eq!(password(&r), None);
    let e = resolve_in("postgres://", &Env::from_vars(&[], None))
        .err()
        .expect("no user");
    assert!(e.to_string().contains("PGUSER"), "{e}");
    assert_eq!(e.exit_code(), 1);
}

#[test]
fn the_environment_fills_what_the_url_leaves_out() {
    let vars = [
        ("PGHOST", "/var/pg"),
        ("PGPORT", "5440"),
        ("PGUSER", "envuser"),
        ("PGDATABASE", "envdb"),
        ("PGPASSWORD", "envpw"),
        ("PGSSLMODE", "verify-full"),
        ("PGCONNECT_TIMEOUT", "0"),
        ("PGAPPNAME", "envapp"),
    ];
    let r = resolved("postgres://", &vars);
    assert_eq!(r.targets, vec![socket("/var/pg", 5440)]);
    assert_eq!((r.user.as_str(), r.dbname.as_str()), ("envuser", "envdb"));
    assert_eq!(password(&r).as_deref(), Some("envpw"));
    assert_eq!(r.sslmode, SslMode::VerifyFull);
    assert_eq!(r.connect_timeout, None, "0 waits for ever, as in libpq");
    assert_eq!(r.application_name, "envapp");
    let r = resolved("postgres://ana:pw@h:1/db?sslmode=disable", &vars);
    assert_eq!(r.targets, vec![tcp("h", 1)]);
    assert_eq!((r.user.as_str(), r.dbname.as_str()), ("ana", "db"));
    assert_eq!(password(&r).as_deref(), Some("pw"));
    assert_eq!(r.sslmode, SslMode::Disable);
    // An empty variable is as good as unset.
    let r = resolved("postgres://", &[("PGHOST", ""), ("PGUSER", "")]);
    assert_eq!(r.user, "osuser");
    assert_eq!(r.targets.len(), 2);
}

#[test]
fn a_service_comes_before_the_environment_and_after_the_url() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("services");
    std::fs::write(
        &file,
        "[sales]\nhost=svc.example.com\nport=5999\ndbname=svcdb\nuser=svcuser\npassword=svcpw\n",
    )
    .expect("write");
    let file = file.to_str().expect("utf-8");
    let vars = [
        ("PGSERVICEFILE", file),
        ("PGUSER", "envuser"),
        ("PGPORT", "1"),
    ];
    let r = resolved("postgres:///?service=sales", &vars);
    assert_eq!(r.targets, vec![tcp("svc.example.com", 5999)]);
    assert_eq!((r.user.as_str(), r.dbname.as_str()), ("svcuser", "svcdb"));
    assert_eq!(password(&r).as_deref(), Some("svcpw"));
    let with_env = [
        ("PGSERVICEFILE", file),
        ("PGSERVICE", "sales"),
        ("PGSYSCONFDIR", "/nonexistent"),
    ];
    let r = resolved("postgres://ana@/other", &with_env);
    assert_eq!((r.user.as_str(), r.dbname.as_str()), ("ana", "other"));
    assert_eq!(r.targets, vec![tcp("svc.example.com", 5999)]);
    let e = resolve_in(
        "postgres:///?service=nope",
        &Env::from_vars(&with_env, Some("osuser")),
    )
    .err()
    .expect("unknown service");
    assert!(e.to_string().contains("\"nope\" is not defined"), "{e}");
}

#[test]
fn the_password_file_is_read_when_nothing_else_gives_one() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("pgpass");
    std::fs::write(
        &file,
        "localhost:5432:sales:ana:sockpw\ndb.example.com:*:sales:ana:tcppw\n",
    )
    .expect("write");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let vars = [("PGPASSFILE", file.to_str().expect("utf-8"))];
    let r = resolved("postgres://ana@/sales?host=/run/pg", &vars);
    assert_eq!(
        password(&r).as_deref(),
        Some("sockpw"),
        "a socket matches localhost"
    );
    let r = resolved("postgres://ana@db.example.com:6543/sales", &vars);
    assert_eq!(password(&r).as_deref(), Some("tcppw"));
    let r = resolved("postgres://ana:given@db.example.com/sales", &vars);
    assert_eq!(password(&r).as_deref(), Some("given"));
    // HOME's .pgpass when PGPASSFILE is not set.
    let r = resolved(
        "postgres://ana@/sales?host=/run/pg",
        &[("HOME", dir.path().to_str().expect("utf-8"))],
    );
    assert_eq!(password(&r), None);
    std::fs::rename(&file, dir.path().join(".pgpass")).expect("rename");
    let r = resolved(
        "postgres://ana@/sales?host=/run/pg",
        &[("HOME", dir.path().to_str().expect("utf-8"))],
    );
    assert_eq!(password(&r).as_deref(), Some("sockpw"));
    assert!(Path::new(&dir.path().join(".pgpass")).exists());
}

#[test]
fn broken_addresses_are_input_errors_without_the_password() {
    for (address, says) in [
        (
            "postgres://ana:s3cret@h:99999/db",
            "not a number from 1 to 65535",
        ),
        (
            "postgres://ana:s3cret@h:x/db",
            "not a number from 1 to 65535",
        ),
        (
            "postgres://ana:s3cret@h/db?sslmode=maybe",
            "is not one of disable",
        ),
        (
            "postgres://ana:s3cret@h/db?sslcert=x",
            "does not know the connection setting \"sslcert\"",
        ),
        ("postgres://ana:s3cret@h/db?sslmode", "has no value"),
        ("postgres://ana:s3cret@h/d%zzb", "two hex digits"),
        ("postgres://ana:s3cret@[::1/db", "does not close it"),
        (
            "postgres://ana:s3cret@h/db?connect_timeout=soon",
            "not a number of seconds",
        ),
    ] {
        let e = refused(address);
        assert!(e.contains(says), "{address}: {e}");
        assert!(!e.contains("s3cret"), "{e}");
    }
}
