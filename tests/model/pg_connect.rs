//! Connecting to a real PostgreSQL server: the one `SALESDESK_TEST_PG` names, with the roles
//! `scripts/pg-cluster.sh` makes (`SALESDESK_TEST_PG_PW_USER` with a password, and
//! `SALESDESK_TEST_PG_REJECTED_USER`, whom pg_hba.conf turns away). Skipped, saying why, when
//! no server is given; `.ci/run` starts one and sets `SALESDESK_REQUIRE_PG=1`, so CI fails
//! instead of skipping. Each error is checked whole, and for the password it must not show.

use std::path::{Path, PathBuf};

use salesdesk::error::Error;
use salesdesk::storage::pg::address::{self, Env, Host, Target};
use salesdesk::storage::pg::connect::{Connected, connect, connect_in};

/// The test server and its roles.
struct Server {
    address: String,
    target: Target,
    dbname: String,
}

/// The server, or None (having said why) when none is given and none is required.
fn server() -> Option<Server> {
    let Some(address) = std::env::var("SALESDESK_TEST_PG")
        .ok()
        .filter(|a| !a.is_empty())
    else {
        skip("SALESDESK_TEST_PG is not set (scripts/pg-cluster.sh starts a server)");
        return None;
    };
    let resolved = address::resolve(&address)
        .unwrap_or_else(|e| panic!("SALESDESK_TEST_PG {}: {e}", address::redact(&address)));
    Some(Server {
        target: resolved.targets[0].clone(),
        dbname: resolved.dbname.clone(),
        address,
    })
}

fn skip(why: &str) {
    assert!(
        std::env::var_os("SALESDESK_REQUIRE_PG").is_none(),
        "SALESDESK_REQUIRE_PG is set, but {why}"
    );
    eprintln!("skipped: {why}");
}

/// A role the server knows, from the environment `scripts/pg-cluster.sh env` prints.
fn role(var: &str) -> Option<String> {
    let found = std::env::var(var).ok().filter(|v| !v.is_empty());
    if found.is_none() {
        skip(&format!(
            "{var} is not set (scripts/pg-cluster.sh env prints it)"
        ));
    }
    found
}

/// The password role's name and password.
fn password_role() -> Option<(String, String)> {
    Some((
        role("SALESDESK_TEST_PG_PW_USER")?,
        role("SALESDESK_TEST_PG_PW_PASSWORD")?,
    ))
}

impl Server {
    /// The address of `dbname` on this server as `userinfo` (`ana` or `ana:pw`), with `more`
    /// parameters (`&sslmode=…`).
    fn address_as(&self, userinfo: &str, dbname: &str, more: &str) -> String {
        match &self.target.host {
            Host::Socket(dir) => format!(
                "postgres://{userinfo}@/{dbname}?host={}{more}",
                dir.display()
            ),
            Host::Tcp(name) => format!(
                "postgres://{userinfo}@{name}:{}/{dbname}?{}",
                self.target.port,
                more.trim_start_matches('&')
            ),
        }
    }

    fn at(&self) -> String {
        self.target.shown()
    }
}

/// The error connecting to `address` gives with only `vars` set, checked to be exit 1, one
/// line, and free of every password the test knows.
fn failure(address: &str, vars: &[(&str, &str)], secrets: &[&str]) -> String {
    let e = match connect_in(address, &Env::from_vars(vars, Some("nobody_os"))) {
        Ok(_) => panic!("{} connected", address::redact(address)),
        Err(e) => e,
    };
    let text = e.to_string();
    assert!(matches!(e, Error::Env(_)), "{text}");
    assert_eq!(e.exit_code(), 1, "{text}");
    assert!(!text.contains('\n'), "one line: {text}");
    for s in secrets {
        assert!(!text.contains(s), "the password shows: {text}");
    }
    text
}

fn current_user(address: &str, vars: &[(&str, &str)]) -> String {
    let Connected { mut client, .. } =
        connect_in(address, &Env::from_vars(vars, Some("nobody_os")))
            .unwrap_or_else(|e| panic!("{}: {e}", address::redact(address)));
    client
        .query_one("SELECT current_user::text", &[])
        .expect("current_user")
        .get(0)
}

fn private_file(path: &Path, text: &str, mode: u32) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).expect("write");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
    path.to_path_buf()
}

#[test]
fn connects_to_the_test_server_with_the_process_environment() {
    let Some(s) = server() else { return };
    let mut client = connect(&s.address).expect("connects");
    let version: String = client
        .query_one("SHOW server_version_num", &[])
        .expect("version")
        .get(0);
    assert!(version.parse::<i32>().expect("a number") >= 130000);
    let db: String = client
        .query_one("SELECT current_database()::text", &[])
        .expect("database")
        .get(0);
    assert_eq!(db, s.dbname);
}

#[test]
fn a_server_that_is_not_there_is_unreachable_naming_the_socket() {
    let Some(_) = server() else { return };
    let empty = tempfile::tempdir().expect("temp dir");
    let dir = empty.path().display();
    let text = failure(
        &format!("postgres://ana:s3cret-pw@/sales?host={dir}"),
        &[],
        &["s3cret-pw"],
    );
    assert_eq!(
        text,
        format!(
            "cannot reach the PostgreSQL server at socket {dir}/.s.PGSQL.5432; is it running, \
             and is the address right?"
        )
    );
    let text = failure(
        &format!("postgres://ana@/sales?host={dir},{dir}/b&port=5433"),
        &[("PGPASSWORD", "s3cret-pw")],
        &["s3cret-pw"],
    );
    assert_eq!(
        text,
        format!(
            "cannot reach the PostgreSQL server at socket {dir}/.s.PGSQL.5433 or socket \
             {dir}/b/.s.PGSQL.5433; is it running, and is the address right?"
        )
    );
}

#[test]
fn a_wrong_password_is_refused_naming_the_user_never_the_password() {
    let Some(s) = server() else { return };
    let Some((user, pw)) = password_role() else {
        return;
    };
    let wrong = "wr0ng-s3cret";
    let expected = format!(
        "the PostgreSQL server at {} refused the login of user \"{user}\": wrong password, or \
         no such user; check the password (in the address, PGPASSWORD or ~/.pgpass) and the \
         user name",
        s.at()
    );
    let address = s.address_as(&format!("{user}:{wrong}"), &s.dbname, "");
    assert_eq!(failure(&address, &[], &[wrong, &pw]), expected);
    // PGPASSWORD and a password parameter are kept out of the message just the same.
    let address = s.address_as(&user, &s.dbname, "");
    assert_eq!(
        failure(&address, &[("PGPASSWORD", wrong)], &[wrong, &pw]),
        expected
    );
    let address = s.address_as(&user, &s.dbname, &format!("&password={wrong}"));
    assert_eq!(failure(&address, &[], &[wrong, &pw]), expected);
}

#[test]
fn an_unknown_role_is_refused_naming_it() {
    let Some(s) = server() else { return };
    let address = s.address_as("no_such_role:s3cret-pw", &s.dbname, "");
    assert_eq!(
        failure(&address, &[], &["s3cret-pw"]),
        format!(
            "the PostgreSQL server at {} refused the login of user \"no_such_role\": wrong \
             password, or no such user; check the password (in the address, PGPASSWORD or \
             ~/.pgpass) and the user name",
            s.at()
        )
    );
    let address = s.address_as("no_such_role", &s.dbname, "");
    assert_eq!(
        failure(&address, &[], &[]),
        format!(
            "the PostgreSQL server at {} asks user \"no_such_role\" for a password and none \
             was given; put it in PGPASSWORD or ~/.pgpass (chmod 0600)",
            s.at()
        )
    );
}

#[test]
fn a_role_pg_hba_turns_away_is_refused_with_the_servers_reason() {
    let Some(s) = server() else { return };
    let Some(user) = role("SALESDESK_TEST_PG_REJECTED_USER") else {
        return;
    };
    let Some((_, pw)) = password_role() else {
        return;
    };
    let address = s.address_as(&format!("{user}:{pw}"), &s.dbname, "");
    let text = failure(&address, &[], &[&pw]);
    let start = format!(
        "the PostgreSQL server at {} refused the login of user \"{user}\": pg_hba.conf rejects \
         connection",
        s.at()
    );
    assert!(text.starts_with(&start), "{text}");
    assert!(
        text.ends_with("; check the user name, or ask the admin to let it in (pg_hba.conf)"),
        "{text}"
    );
}

#[test]
fn a_missing_database_is_named_with_createdb() {
    let Some(s) = server() else { return };
    let Some((user, pw)) = password_role() else {
        return;
    };
    let address = s.address_as(&format!("{user}:{pw}"), "no_such_book", "");
    assert_eq!(
        failure(&address, &[], &[&pw]),
        format!(
            "the database \"no_such_book\" does not exist on the PostgreSQL server at {}; \
             create it with `createdb no_such_book` or ask the admin",
            s.at()
        )
    );
}

#[test]
fn pgpassword_logs_the_password_role_in() {
    let Some(s) = server() else { return };
    let Some((user, pw)) = password_role() else {
        return;
    };
    let address = s.address_as(&user, &s.dbname, "");
    assert_eq!(current_user(&address, &[("PGPASSWORD", &pw)]), user);
    // sslmode asks nothing of a socket, as in libpq.
    if matches!(s.target.host, Host::Socket(_)) {
        let address = s.address_as(&user, &s.dbname, "&sslmode=require");
        assert_eq!(current_user(&address, &[("PGPASSWORD", &pw)]), user);
    }
}

#[test]
fn a_private_pgpass_file_logs_in_and_one_others_can_read_is_ignored_saying_so() {
    let Some(s) = server() else { return };
    let Some((user, pw)) = password_role() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let host = match &s.target.host {
        Host::Socket(_) => "localhost".to_string(),
        Host::Tcp(name) => name.clone(),
    };
    let line = format!("# test server\n{host}:{}:*:{user}:{pw}\n", s.target.port);
    let file = private_file(&dir.path().join("pgpass"), &line, 0o600);
    let vars = [("PGPASSFILE", file.to_str().expect("utf-8"))];
    let address = s.address_as(&user, &s.dbname, "");
    assert_eq!(current_user(&address, &vars), user);
    // ~/.pgpass itself when PGPASSFILE is not set.
    let home = dir.path().to_str().expect("utf-8");
    private_file(&dir.path().join(".pgpass"), &line, 0o600);
    assert_eq!(current_user(&address, &[("HOME", home)]), user);

    let open = private_file(&dir.path().join("open"), &line, 0o644);
    let vars = [("PGPASSFILE", open.to_str().expect("utf-8"))];
    assert_eq!(
        failure(&address, &vars, &[&pw]),
        format!(
            "the PostgreSQL server at {} asks user \"{user}\" for a password and none was \
             given; put it in PGPASSWORD or ~/.pgpass (chmod 0600) (the password file {} has \
             group or world access, so it is ignored; make it private with chmod 0600)",
            s.at(),
            open.display()
        )
    );
}

#[test]
fn a_service_file_names_the_server_the_book_and_the_login() {
    let Some(s) = server() else { return };
    let Some((user, pw)) = password_role() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let host = match &s.target.host {
        Host::Socket(d) => d.display().to_string(),
        Host::Tcp(name) => name.clone(),
    };
    let text = format!(
        "[elsewhere]\nhost=/nonexistent\n\n[desk]\nhost={host}\nport={}\ndbname={}\nuser={user}\n\
         password={pw}\n",
        s.target.port, s.dbname
    );
    let file = private_file(&dir.path().join("services.conf"), &text, 0o600);
    let file = file.to_str().expect("utf-8");
    let sys = dir.path().to_str().expect("utf-8");
    let vars = [("PGSERVICEFILE", file), ("PGSYSCONFDIR", sys)];
    assert_eq!(current_user("postgres:///?service=desk", &vars), user);
    let with_env = [vars[0], vars[1], ("PGSERVICE", "desk")];
    assert_eq!(current_user("postgres://", &with_env), user);
    // What the address says wins over the service.
    let text = failure("postgres:///no_such_book?service=desk", &vars, &[&pw]);
    assert!(
        text.starts_with("the database \"no_such_book\" does not exist"),
        "{text}"
    );
}
