//! Connection services as libpq reads them (`service=NAME` or PGSERVICE): the section `[NAME]`
//! of the user's file (PGSERVICEFILE, else `~/.pg_service.conf`), else of the system's
//! (`pg_service.conf` in PGSYSCONFDIR, else Debian's /etc/postgresql-common). Its keys fill in
//! what the address leaves out, before the environment does.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

use super::address::{Env, keyword};

/// Where Debian's libpq looks for the system's service file when PGSYSCONFDIR is not set.
const SYSCONFDIR: &str = "/etc/postgresql-common";

/// The keyword/value pairs of the service `name`.
pub(crate) fn lookup(name: &str, env: &Env) -> Result<Vec<(&'static str, String)>> {
    let files = files(env);
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        if let Some(found) = section(&text, name, file)? {
            return Ok(found);
        }
    }
    let looked: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    Err(Error::input(format!(
        "the PostgreSQL service {name:?} is not defined in {}",
        looked.join(" or ")
    )))
}

/// The user's file, then the system's.
fn files(env: &Env) -> Vec<PathBuf> {
    let user = env
        .var("PGSERVICEFILE")
        .map(PathBuf::from)
        .or_else(|| env.home().map(|h| h.join(".pg_service.conf")));
    let system = env
        .var("PGSYSCONFDIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(SYSCONFDIR))
        .join("pg_service.conf");
    user.into_iter().chain([system]).collect()
}

/// The pairs of section `[name]` in `text`, or None when the file has no such section. A
/// line that is not `key=value`, or names a setting salesdesk does not know, is refused with
/// its file and line, as libpq refuses it.
pub(crate) fn section(
    text: &str,
    name: &str,
    file: &Path,
) -> Result<Option<Vec<(&'static str, String)>>> {
    let mut found: Option<Vec<(&'static str, String)>> = None;
    let mut inside = false;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let whence = || format!("{} line {}", file.display(), n + 1);
        if let Some(group) = line.strip_prefix('[') {
            if found.is_some() {
                break;
            }
            inside = group.strip_suffix(']').map(str::trim) == Some(name);
            if inside {
                found = Some(Vec::new());
            }
            continue;
        }
        if !inside {
            continue;
        }
        let (key, value) = line.split_once('=').ok_or_else(|| {
            Error::input(format!("{}: expected key=value, found {line:?}", whence()))
        })?;
        let key = keyword(key.trim(), &whence())?;
        if key == "service" {
            return Err(Error::input(format!(
                "{}: a service cannot name another service",
                whence()
            )));
        }
        if let Some(pairs) = found.as_mut() {
            pairs.push((key, value.trim().to_string()));
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# services\n\
        [sales]\n\
        host=/run/postgresql\n\
        port = 5433\n\
        dbname=sales\n\
        user=ana\n\
        password=s3cret\n\
        sslmode=require\n\
        \n\
        [other]\n\
        host=db.example.com\n";

    #[test]
    fn a_section_gives_its_keys_and_stops_at_the_next() {
        let pairs = section(FILE, "sales", Path::new("f"))
            .expect("parses")
            .expect("found");
        assert_eq!(
            pairs,
            vec![
                ("host", "/run/postgresql".to_string()),
                ("port", "5433".to_string()),
                ("dbname", "sales".to_string()),
                ("user", "ana".to_string()),
                ("password", "s3cret".to_string()),
                ("sslmode", "require".to_string()),
            ]
        );
        assert_eq!(
            section(FILE, "other", Path::new("f")).expect("parses"),
            Some(vec![("host", "db.example.com".to_string())])
        );
        assert_eq!(section(FILE, "none", Path::new("f")).expect("parses"), None);
    }

    #[test]
    fn unknown_keys_and_broken_lines_name_file_and_line() {
        let e = section("[s]\nhost=a\nsslcert=x\n", "s", Path::new("/etc/f")).expect_err("refused");
        assert!(e.to_string().starts_with("/etc/f line 3: "), "{e}");
        assert!(e.to_string().contains("\"sslcert\""), "{e}");
        let e = section("[s]\njust words\n", "s", Path::new("f")).expect_err("refused");
        assert!(
            e.to_string().contains("f line 2: expected key=value"),
            "{e}"
        );
        let e = section("[s]\nservice=t\n", "s", Path::new("f")).expect_err("refused");
        assert!(e.to_string().contains("another service"), "{e}");
        // Another section's lines are not read at all.
        assert!(section("[t]\nbroken\n[s]\nhost=a\n", "s", Path::new("f")).is_ok());
    }

    #[test]
    fn the_users_file_comes_before_the_systems() {
        let dir = tempfile::tempdir().expect("temp dir");
        let user = dir.path().join("user.conf");
        let sys = dir.path().join("sys");
        std::fs::create_dir(&sys).expect("mkdir");
        std::fs::write(&user, "[a]\nhost=user-a\n").expect("write");
        std::fs::write(
            sys.join("pg_service.conf"),
            "[a]\nhost=sys-a\n[b]\nhost=sys-b\n",
        )
        .expect("write");
        let env = Env::from_vars(
            &[
                ("PGSERVICEFILE", user.to_str().expect("utf-8")),
                ("PGSYSCONFDIR", sys.to_str().expect("utf-8")),
            ],
            Some("ana"),
        );
        assert_eq!(
            lookup("a", &env).expect("found"),
            vec![("host", "user-a".to_string())]
        );
        assert_eq!(
            lookup("b", &env).expect("found"),
            vec![("host", "sys-b".to_string())]
        );
        let e = lookup("c", &env).expect_err("not defined");
        assert!(
            e.to_string().contains("\"c\" is not defined in")
                && e.to_string().contains("user.conf"),
            "{e}"
        );
        assert_eq!(e.exit_code(), 2);
    }
}
