//! Where the book, the config and the backups live, and making their folders private.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

fn project_dirs() -> Result<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "salesdesk").ok_or_else(|| {
        Error::env("cannot find a home folder for the database; set $HOME, or pass --db PATH")
    })
}

/// `--db`, else `$SALESDESK_DB`, else `salesdesk.db` in the per-user data folder.
pub fn db_path(flag: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = flag {
        return not_an_address(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os("SALESDESK_DB").filter(|p| !p.is_empty()) {
        return not_an_address(PathBuf::from(p));
    }
    Ok(project_dirs()?.data_dir().join("salesdesk.db"))
}

/// A book is a file: an address such as `postgres://ana:pw@host/sales` would otherwise become
/// folders named `postgres:` and `ana:pw@host` with a new book in them, and the password
/// would be printed in the "created a new book" note.
fn not_an_address(p: PathBuf) -> Result<PathBuf> {
    let text = p.to_string_lossy();
    let Some((scheme, _)) = text.split_once("://") else {
        return Ok(p);
    };
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    {
        return Ok(p);
    }
    if is_server(&p) {
        return Ok(p);
    }
    let shown = without_password(&text);
    Err(Error::input(format!(
        "--db {shown} is an address, not a file: give the path of a book file or a \
         postgres:// address (--db or $SALESDESK_DB)"
    )))
}

/// Whether the book named is on a PostgreSQL server (`postgres://`, `postgresql://`) rather
/// than in a file. (The address travels where a book's path does; what only a file has, a
/// folder beside it for backups, is not looked for.)
pub fn is_server(book: &Path) -> bool {
    book.to_str().is_some_and(|s| {
        let lower = s.get(..13).unwrap_or(s).to_ascii_lowercase();
        lower.starts_with("postgres://") || lower.starts_with("postgresql://")
    })
}

/// The book's path, or its address without a password, for messages.
pub fn shown(book: &Path) -> String {
    if is_server(book) {
        without_password(&book.to_string_lossy())
    } else {
        book.display().to_string()
    }
}

/// The address as it may be shown: `scheme://user@host`, never `user:password@`, and any
/// `password=` parameter blanked.
pub fn without_password(address: &str) -> String {
    let (scheme, rest) = address.split_once("://").unwrap_or(("", address));
    let (authority, tail) = match rest.find(['/', '?']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let authority = match authority.rsplit_once('@') {
        Some((user, host)) => format!("{}@{host}", user.split(':').next().unwrap_or_default()),
        None => authority.to_string(),
    };
    let tail: Vec<String> = tail
        .split('&')
        .map(|part| match part.split_once("password=") {
            Some((before, _)) if before.is_empty() || before.ends_with('?') => {
                format!("{before}password=***")
            }
            _ => part.to_string(),
        })
        .collect();
    format!("{scheme}://{authority}{}", tail.join("&"))
}

/// `--config`, else `$SALESDESK_CONFIG`, else `config.toml` in the per-user config folder.
/// None when there is no home folder at all: then defaults apply.
pub fn config_path(flag: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = flag {
        return Some(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os("SALESDESK_CONFIG").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    project_dirs()
        .ok()
        .map(|d| d.config_dir().join("config.toml"))
}

/// The automatic backups sit beside the book.
pub fn backups_dir(db: &Path) -> PathBuf {
    db.parent().unwrap_or(Path::new(".")).join("backups")
}

/// Creates a folder (and its parents) readable by the user alone. An existing folder we did
/// not create is left as it is: it may be the user's own.
pub fn private_dir(dir: &Path) -> Result<()> {
    if dir.as_os_str().is_empty() || dir.exists() {
        return Ok(());
    }
    fs::create_dir_all(dir)
        .map_err(|e| Error::env(format!("cannot create the folder {}: {e}", dir.display())))?;
    set_mode(dir, 0o700)
}

/// Creates an empty file 0600 if it does not exist, so SQLite (and its -wal, -shm, which
/// copy the main file's mode) never makes it world-readable.
pub fn private_file(path: &Path) -> Result<()> {
    if path.exists() {
        return Ok(());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .map_err(|e| Error::env(format!("cannot create {}: {e}", path.display())))?;
    }
    #[cfg(not(unix))]
    {
        fs::File::create(path)?;
    }
    Ok(())
}

pub fn set_mode(path: &Path, mode: u32) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).map_err(|e| {
            Error::env(format!("cannot set permissions on {}: {e}", path.display()))
        })?;
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

/// Where a path really leads, whether or not it exists yet: relative to the working folder,
/// every symlink followed (a dangling one too, since writing through it creates its target),
/// `.` and `..` taken as the OS takes them. Lexical `..` is right here because what precedes
/// it is already resolved: it is never a symlink.
pub fn resolve(p: &Path) -> PathBuf {
    // A server's address names no file: it is the same wherever the desk runs.
    if is_server(p) {
        return p.to_path_buf();
    }
    resolve_within(p, 0)
}

fn resolve_within(p: &Path, depth: u32) -> PathBuf {
    use std::path::Component;
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut out = PathBuf::new();
    for comp in abs.components() {
        match comp {
            Component::Prefix(_) | Component::RootDir => out.push(comp),
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(name) => {
                let next = out.join(name);
                let link = fs::symlink_metadata(&next)
                    .is_ok_and(|m| m.file_type().is_symlink())
                    .then(|| fs::read_link(&next).ok())
                    .flatten();
                out = match link {
                    // A loop: the OS refuses it too, so nothing is written through it.
                    Some(_) if depth >= 40 => next,
                    Some(target) => resolve_within(&out.join(target), depth + 1),
                    None => next,
                };
            }
        }
    }
    out
}

/// The files SQLite keeps beside a book.
pub const SIDE_FILES: [&str; 3] = ["-wal", "-shm", "-journal"];

/// Removes a SQLite file and its side files (a hot journal left beside a removed file would
/// be rolled back onto the next file of that name).
pub fn remove_with_sides(p: &Path) {
    let _ = fs::remove_file(p);
    for s in SIDE_FILES {
        let mut n = p.as_os_str().to_owned();
        n.push(s);
        let _ = fs::remove_file(n);
    }
}

/// Which of the book's own files a path is, however it is spelled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BookFile {
    /// The book itself.
    Book,
    /// One of SQLite's files beside it: `-wal`, `-shm`, `-journal`.
    Side(&'static str),
    /// In the book's automatic backups folder (or that folder itself).
    Backups(PathBuf),
}

impl BookFile {
    fn describe(&self, book: &Path) -> String {
        match self {
            BookFile::Book => format!("the open book {}", book.display()),
            BookFile::Side(s) => format!("the open book's {s} file ({}{s})", book.display()),
            BookFile::Backups(dir) => {
                format!("in the book's automatic backups folder {}", dir.display())
            }
        }
    }
}

#[cfg(unix)]
fn file_id(p: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(p).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn file_id(_: &Path) -> Option<(u64, u64)> {
    None
}

/// Whether `target` is the book at `book`, one of its side files, or in its backups folder:
/// compared as resolved paths (symlinks, `..`, relative spellings) and, for files that exist,
/// by device and inode (a hard link is the same file under another name).
pub fn book_file(book: &Path, target: &Path) -> Option<BookFile> {
    let t = resolve(target);
    // SQLite names its side files after the resolved book; the spelling given is checked too.
    let books = [resolve(book), book.to_path_buf()];
    let mut named: Vec<(PathBuf, BookFile)> = Vec::new();
    for b in &books {
        named.push((resolve(b), BookFile::Book));
        for s in SIDE_FILES {
            let mut side = b.clone().into_os_string();
            side.push(s);
            named.push((resolve(Path::new(&side)), BookFile::Side(s)));
        }
    }
    if let Some((_, kind)) = named.iter().find(|(p, _)| *p == t) {
        return Some(kind.clone());
    }
    let backups: Vec<PathBuf> = books.iter().map(|b| resolve(&backups_dir(b))).collect();
    if let Some(dir) = backups.iter().find(|d| t.starts_with(d)) {
        return Some(BookFile::Backups(dir.clone()));
    }
    let id = file_id(&t)?;
    if let Some((_, kind)) = named.iter().find(|(p, _)| file_id(p) == Some(id)) {
        return Some(kind.clone());
    }
    for dir in &backups {
        let Ok(rd) = fs::read_dir(dir) else { continue };
        if rd
            .filter_map(|e| e.ok())
            .any(|e| file_id(&e.path()) == Some(id))
        {
            return Some(BookFile::Backups(dir.clone()));
        }
    }
    None
}

/// The one check every writer makes before it writes a byte: an export, `backup PATH`, any
/// file salesdesk writes on the user's say-so must not land on the open book, its side files
/// or its backups (exit 2, nothing written). `what` names the flag or argument.
pub fn refuse_book_target(book: Option<&Path>, dest: &Path, what: &str) -> Result<()> {
    let Some(book) = book else { return Ok(()) };
    match book_file(book, dest) {
        None => Ok(()),
        Some(hit) => Err(Error::input(format!(
            "{what} {} is {}: salesdesk never writes over its own book or backups; choose another path",
            dest.display(),
            hit.describe(book)
        ))),
    }
}

/// Whether `dir` is salesdesk's own per-user data folder (which it made, and keeps 0700), as
/// opposed to a folder the user chose with `--db`.
pub fn is_default_data_dir(dir: &Path) -> bool {
    project_dirs().is_ok_and(|d| resolve(d.data_dir()) == resolve(dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_follows_links_and_dots_where_nothing_exists_yet() {
        let dir = tempfile::tempdir().unwrap();
        let root = resolve(dir.path());
        let real = root.join("real");
        fs::create_dir(&real).unwrap();
        std::os::unix::fs::symlink(&real, root.join("link")).unwrap();
        std::os::unix::fs::symlink("real/book.db", root.join("dangling")).unwrap();
        for (spelled, want) in [
            (root.join("link/book.db"), real.join("book.db")),
            (root.join("link/../real/./book.db"), real.join("book.db")),
            (root.join("new/../real/book.db"), real.join("book.db")),
            (root.join("dangling"), real.join("book.db")),
            (root.join("real//book.db-wal"), real.join("book.db-wal")),
        ] {
            assert_eq!(resolve(&spelled), want, "{}", spelled.display());
        }
        // A loop resolves to something, without hanging.
        std::os::unix::fs::symlink(root.join("loop"), root.join("loop")).unwrap();
        let _ = resolve(&root.join("loop/x"));
    }

    #[test]
    fn book_file_knows_the_book_by_inode_too() {
        let dir = tempfile::tempdir().unwrap();
        let book = dir.path().join("book.db");
        fs::write(&book, b"x").unwrap();
        fs::hard_link(&book, dir.path().join("other-name")).unwrap();
        assert_eq!(
            book_file(&book, &dir.path().join("other-name")),
            Some(BookFile::Book)
        );
        assert_eq!(
            book_file(&book, &dir.path().join("book.db-shm")),
            Some(BookFile::Side("-shm"))
        );
        assert!(matches!(
            book_file(&book, &dir.path().join("backups/a/b.json")),
            Some(BookFile::Backups(_))
        ));
        assert_eq!(book_file(&book, &dir.path().join("book.db.json")), None);
        assert!(refuse_book_target(None, &book, "-o").is_ok());
    }
}

#[cfg(test)]
mod address_tests {
    use super::*;

    #[test]
    fn a_server_address_is_taken_and_shown_without_its_password() {
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
                "postgres:///sales?host=/tmp&password=s3cret",
                "postgres:///sales?host=/tmp&password=***",
            ),
        ] {
            let book = db_path(Some(Path::new(given))).unwrap();
            assert!(is_server(&book), "{given}");
            assert_eq!(super::shown(&book), shown);
        }
    }

    #[test]
    fn another_scheme_is_refused_and_its_password_never_shown() {
        let e = db_path(Some(Path::new("mysql://root:s3cret@localhost/crm"))).unwrap_err();
        let text = e.to_string();
        assert!(text.contains("mysql://root@localhost/crm"), "{text}");
        assert!(!text.contains("s3cret"), "{text}");
        assert_eq!(e.exit_code(), 2);
    }

    #[test]
    fn paths_that_merely_hold_a_colon_or_slashes_are_paths() {
        for p in [
            "/tmp/a://b.db",
            "book.db",
            "./x:y.db",
            "C://not-a-scheme/x.db",
        ] {
            let expected = if p.starts_with("C:") {
                None
            } else {
                Some(PathBuf::from(p))
            };
            match expected {
                Some(e) => assert_eq!(db_path(Some(Path::new(p))).unwrap(), e),
                None => assert!(db_path(Some(Path::new(p))).is_err()),
            }
        }
    }
}
