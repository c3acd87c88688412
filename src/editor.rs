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
    edit_with(&editor, initial)
}

/// Runs the given editor command on `initial`.
pub fn edit_with(editor: &str, initial: &str) -> Result<String> {
    let mut parts = editor.split_whitespace();
    let program = parts.next().unwrap_or("vi");
    let dir = std::env::temp_dir();
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = dir.join(format!("salesdesk-note-{}-{n}.txt", std::process::id()));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_or_failing_editor_is_a_clear_error() {
        let e = edit_with("/nonexistent/editor", "draft").unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(e.to_string().contains("$EDITOR"), "{e}");
        let e = edit_with("false", "draft").unwrap_err();
        assert!(e.to_string().contains("nothing saved"), "{e}");
    }

    #[test]
    fn the_edited_text_comes_back() {
        // A tiny "editor" that appends a line to the file it is given, as if typed and saved.
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("ed.sh");
        std::fs::write(&script, "#!/bin/sh\necho more >> \"$1\"\n").unwrap();
        crate::paths::set_mode(&script, 0o700).unwrap();
        let text = edit_with(&script.display().to_string(), "draft\n").unwrap();
        assert_eq!(text, "draft\nmore\n");
    }
}
