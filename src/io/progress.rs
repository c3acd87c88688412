//! A progress line on stderr for long imports and exports, only on a terminal.
//!
//! Hand-rolled rather than a progress-bar crate: one line redrawn at most ten times a second
//! is all it needs, and it keeps the dependency tree (and CI's clean build) lean.

use std::io::{IsTerminal, Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Counts the bytes read through it, so progress can be shown as a share of the file.
pub struct Counter<R> {
    inner: R,
    // Shared across threads: the import reads the file on a thread of its own.
    read: Arc<AtomicU64>,
}

impl<R: Read> Counter<R> {
    pub fn new(inner: R) -> (Self, Arc<AtomicU64>) {
        let read = Arc::new(AtomicU64::new(0));
        (
            Self {
                inner,
                read: read.clone(),
            },
            read,
        )
    }
}

impl<R: Read> Read for Counter<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

pub struct Progress {
    label: String,
    total: u64,
    on: bool,
    last: Instant,
    drawn: bool,
}

impl Progress {
    /// Shows progress only when stderr is a terminal and the work is big enough to wait for.
    pub fn new(label: &str, total_bytes: u64) -> Self {
        let on = std::io::stderr().is_terminal()
            && total_bytes > 256 * 1024
            && std::env::var_os("NO_PROGRESS").is_none();
        Self {
            // The file's name is drawn between escapes of our own: none of its own.
            label: crate::text::printable(label),
            total: total_bytes.max(1),
            on,
            last: Instant::now(),
            drawn: false,
        }
    }

    /// Redraws the line: `importing contacts.csv  45% · 45,000 rows`.
    pub fn update(&mut self, bytes: u64, rows: u64) {
        if !self.on || self.last.elapsed() < Duration::from_millis(100) {
            return;
        }
        self.last = Instant::now();
        let pct = (bytes.min(self.total) * 100 / self.total) as usize;
        let filled = pct / 5;
        let bar = format!("{}{}", "█".repeat(filled), "░".repeat(20 - filled));
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r{} {bar} {pct:>3}% · {} {}\x1b[K",
            self.label,
            crate::domain::money::format_amount(i128::from(rows) * 100).trim_end_matches(".00"),
            if rows == 1 { "row" } else { "rows" }
        );
        let _ = err.flush();
        self.drawn = true;
    }

    /// Clears the line so the summary prints on a clean one.
    pub fn finish(&mut self) {
        if self.drawn {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[K");
            let _ = err.flush();
            self.drawn = false;
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
