//! `~/.pgpass` (or PGPASSFILE) as libpq reads it: lines `host:port:dbname:user:password`, the
//! first that matches wins, `*` matches anything, `\:` and `\\` escape, `#` starts a comment.
//! A file others may read is ignored with a warning, as libpq does, since the passwords in it
//! are no longer secret.

use std::path::Path;

/// What a connection looks up: a socket connection's host is `localhost`.
pub(crate) struct Key<'a> {
    pub host: &'a str,
    pub port: &'a str,
    pub dbname: &'a str,
    pub user: &'a str,
}

/// The password for `key` from `file`, and a warning to show when the file was ignored. A
/// missing or unreadable file is no password and no warning, as with libpq.
pub(crate) fn lookup(file: &Path, key: &Key) -> (Option<String>, Option<String>) {
    let Ok(meta) = std::fs::metadata(file) else {
        return (None, None);
    };
    if !meta.is_file() {
        let note = format!(
            "the password file {} is not a plain file, so it is ignored",
            file.display()
        );
        return (None, Some(note));
    }
    if let Some(note) = too_open(file, &meta) {
        return (None, Some(note));
    }
    let Ok(text) = std::fs::read_to_string(file) else {
        return (None, None);
    };
    (find(&text, key), None)
}

#[cfg(unix)]
fn too_open(file: &Path, meta: &std::fs::Metadata) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    (meta.permissions().mode() & 0o077 != 0).then(|| {
        format!(
            "the password file {} has group or world access, so it is ignored; \
             make it private with chmod 0600",
            file.display()
        )
    })
}

#[cfg(not(unix))]
fn too_open(_file: &Path, _meta: &std::fs::Metadata) -> Option<String> {
    None
}

/// The first matching line's password.
pub(crate) fn find(text: &str, key: &Key) -> Option<String> {
    let wanted = [key.host, key.port, key.dbname, key.user];
    text.lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty())
        .find_map(|line| {
            let fields = split(line);
            if fields.len() < 5 {
                return None;
            }
            let matches = fields[..4]
                .iter()
                .zip(wanted)
                .all(|((raw, value), want)| raw == "*" || value == want);
            matches.then(|| fields[4].1.clone())
        })
}

/// A line's fields, each as written (to tell a lone `*` from an escaped `\*`) and unescaped.
fn split(line: &str) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    let (mut raw, mut value) = (String::new(), String::new());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                raw.push(c);
                if let Some(next) = chars.next() {
                    raw.push(next);
                    value.push(next);
                }
            }
            ':' => {
                fields.push((std::mem::take(&mut raw), std::mem::take(&mut value)));
            }
            _ => {
                raw.push(c);
                value.push(c);
            }
        }
    }
    fields.push((raw, value));
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key<'a>(host: &'a str, dbname: &'a str, user: &'a str) -> Key<'a> {
        Key {
            host,
            port: "5432",
            dbname,
            user,
        }
    }

    #[test]
    fn the_first_matching_line_wins_and_stars_match_anything() {
        let text = "# a comment\n\
                    db.example.com:5432:sales:ana:first\n\
                    *:*:sales:ana:second\n\
                    *:*:*:*:fallback\n";
        assert_eq!(
            find(text, &key("db.example.com", "sales", "ana")).as_deref(),
            Some("first")
        );
        assert_eq!(
            find(text, &key("localhost", "sales", "ana")).as_deref(),
            Some("second")
        );
        assert_eq!(
            find(text, &key("localhost", "other", "bo")).as_deref(),
            Some("fallback")
        );
        assert_eq!(find("h:5432:d:u:pw\n", &key("h", "d", "x")), None);
        assert_eq!(find("h:5433:d:u:pw\n", &key("h", "d", "u")), None);
    }

    #[test]
    fn escapes_keep_colons_and_backslashes_and_a_literal_star() {
        let text = "localhost:5432:sales:ana:pa\\:ss\\\\word\n";
        assert_eq!(
            find(text, &key("localhost", "sales", "ana")).as_deref(),
            Some("pa:ss\\word")
        );
        // An escaped \* is the character, not the wildcard.
        let text = "localhost:5432:\\*:ana:pw\n";
        assert_eq!(find(text, &key("localhost", "sales", "ana")), None);
        assert_eq!(
            find(text, &key("localhost", "*", "ana")).as_deref(),
            Some("pw")
        );
        // An unescaped colon ends the password, as in libpq.
        let text = "localhost:5432:sales:ana:a:b\n";
        assert_eq!(
            find(text, &key("localhost", "sales", "ana")).as_deref(),
            Some("a")
        );
        assert_eq!(
            find("localhost:5432:sales\n", &key("localhost", "sales", "ana")),
            None
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_file_others_can_read_is_ignored_with_a_warning() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("pgpass");
        std::fs::write(&file, "*:*:*:*:s3cret\n").expect("write");
        let k = key("localhost", "sales", "ana");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        assert_eq!(lookup(&file, &k), (Some("s3cret".to_string()), None));
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let (found, note) = lookup(&file, &k);
        assert_eq!(found, None);
        let note = note.expect("a warning");
        assert!(
            note.contains("group or world access") && note.contains("chmod 0600"),
            "{note}"
        );
        assert!(!note.contains("s3cret"));
        assert_eq!(lookup(&dir.path().join("missing"), &k), (None, None));
        assert!(
            lookup(dir.path(), &k)
                .1
                .is_some_and(|n| n.contains("not a plain file"))
        );
    }
}
