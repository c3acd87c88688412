//! Editing text in the user's `$VISUAL` / `$EDITOR`, on a private temporary file.

use std::process::Command;

use crate::error::{Error, Result};

/// Opens the editor on `initial` and returns what was saved. The editor command may carry
/// arguments (`code --wait`); it is split on whitespace and run without a shell.
pub fn edit(initial: &str) -> Result<String> {
    let editor = std::env::var("VISUAL")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .or_else(|| {
            std::env::var("EDITOR")
                .ok()
                .filter(|s| !s.trim().is_empty())
        })
        .unwrap_or_else(|| "vi".to_string());
    let mut parts = editor.split_whitespace();
    let program = parts.next().unwrap_or("vi");
    let dir = std::env::temp_dir();
    let path = dir.join(format!("salesdesk-note-{}.txt", std::process::id()));
    let _ = std::fs::remove_file(&path);
    crate::paths::private_file(&path)?;
    std::fs::write(&path, initial)?;
    let status = Command::new(program).args(parts).arg(&path).status();
    let result = match status {
        Ok(s) if s.success() => std::fs::read_to_string(&path)
            .map_err(|e| Error::env(format!("cannot read back the edited note: {e}"))),
        Ok(s) => Err(Error::input(format!(
            "the editor `{editor}` exited with {s}; nothing saved"
        ))),
        Err(e) => Err(Error::input(format!(
            "cannot run the editor `{editor}` ({e}); set $EDITOR to one that exists"
        ))),
    };
    let _ = std::fs::remove_file(&path);
    result
}
