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
        return Ok(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os("SALESDESK_DB").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    Ok(project_dirs()?.data_dir().join("salesdesk.db"))
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
