//! A file an export writes: into a temporary name in the same folder, renamed over the real
//! name only when every byte is written and synced. A full disk or an error mid-way leaves
//! neither a 0-byte nor a half file behind, and an existing file keeps its old content.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::paths;

pub struct OutFile {
    /// The name the user gave, for messages.
    shown: PathBuf,
    /// Where it really goes (symlinks followed, so a link keeps pointing where it did).
    target: PathBuf,
    /// The temporary name while writing; None when writing straight into a device or FIFO.
    tmp: Option<PathBuf>,
    w: BufWriter<File>,
}

impl OutFile {
    /// Starts writing `dest` (0600). The caller has already refused the book's own files
    /// (`paths::refuse_book_target`).
    pub fn create(dest: &Path) -> Result<OutFile> {
        let target = paths::resolve(dest);
        let cannot =
            |e: &dyn std::fmt::Display| Error::env(format!("cannot write {}: {e}", dest.display()));
        // /dev/stdout, /dev/full, a FIFO: not a file to replace, so written into directly.
        let special = std::fs::metadata(&target).is_ok_and(|m| !m.is_file() && !m.is_dir());
        if special {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(&target)
                .map_err(|e| cannot(&Error::from(e)))?;
            return Ok(OutFile {
                shown: dest.to_path_buf(),
                target,
                tmp: None,
                w: BufWriter::with_capacity(1 << 16, f),
            });
        }
        let dir = target.parent().unwrap_or(Path::new("."));
        paths::private_dir(dir)?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = dir.join(format!("{name}.{}.partial", std::process::id()));
        let _ = std::fs::remove_file(&tmp);
        let mut o = std::fs::OpenOptions::new();
        o.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            o.mode(0o600);
        }
        let f = o.open(&tmp).map_err(|e| cannot(&Error::from(e)))?;
        Ok(OutFile {
            shown: dest.to_path_buf(),
            target,
            tmp: Some(tmp),
            w: BufWriter::with_capacity(1 << 16, f),
        })
    }

    pub fn writer(&mut self) -> &mut dyn Write {
        &mut self.w
    }

    /// An error met while writing, said with the file's name.
    pub fn name_error(&self, e: Error) -> Error {
        match e {
            Error::Env(msg) if !msg.contains(&self.shown.display().to_string()) => {
                Error::env(format!("cannot write {}: {msg}", self.shown.display()))
            }
            e => e,
        }
    }

    /// Flushes and syncs every byte, without putting the file in place yet.
    pub fn finish(&mut self) -> Result<()> {
        let synced = (|| -> Result<()> {
            self.w.flush()?;
            if self.tmp.is_some() {
                self.w.get_ref().sync_all()?;
            }
            Ok(())
        })();
        synced.map_err(|e| self.name_error(e))
    }

    /// Flushes, syncs and puts the file in place.
    pub fn commit(mut self) -> Result<()> {
        self.finish()?;
        if let Some(tmp) = &self.tmp {
            std::fs::rename(tmp, &self.target).map_err(|e| self.name_error(Error::from(e)))?;
        }
        self.tmp = None;
        Ok(())
    }
}

impl Drop for OutFile {
    fn drop(&mut self) {
        if let Some(tmp) = self.tmp.take() {
            let _ = std::fs::remove_file(tmp);
        }
    }
}
