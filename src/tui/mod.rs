//! The terminal app: keys become actions, actions go through the same ops as the CLI, and
//! the screen is drawn from what the app holds in memory.
//!
//! `App` is built on a `Desk` and driven by `handle_key` / `handle_paste` / `tick`, and drawn
//! by `render` on any ratatui backend, so tests drive it without a terminal.

pub mod action;
pub mod app;
mod app_later;
mod app_nav;
pub mod clipboard;
pub mod event;
pub mod keymap;
pub mod nav;
pub mod popups;
pub mod screen;
pub mod screens;
pub mod terminal;
pub mod theme;
pub mod view;
pub mod widgets;
pub mod worker;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

pub use app::{App, Request};

use crate::error::{Error, Result};
use crate::ops::Desk;

/// How long the loop waits for a key before it looks at timers and signals.
const WAIT: Duration = Duration::from_millis(200);

/// The day's automatic backup: after the first frame, on its own thread and connection.
fn daily_backup(app: &App) -> Backup {
    let (tx, rx) = mpsc::channel();
    let stop = Arc::new(AtomicBool::new(false));
    let thread = app
        .desk
        .db
        .path()
        .map(|p| p.to_path_buf())
        .and_then(|path| {
            let keep = app.desk.config.backup.keep as usize;
            let stop = Arc::clone(&stop);
            std::thread::Builder::new()
                .name("backup".into())
                .spawn(move || {
                    let _ = tx.send(crate::ops::backup::daily_if_due(&path, keep, &stop));
                })
                .ok()
        });
    Backup { rx, stop, thread }
}

/// The day's backup, running on its own thread.
struct Backup {
    rx: mpsc::Receiver<Result<Option<std::path::PathBuf>>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Backup {
    /// Quitting: a backup still copying is abandoned and its temporary file removed (within
    /// one step of the copy), rather than left half written by the process ending.
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Runs the TUI on the desk until the user quits or a signal asks it to end.
pub fn run(desk: Desk) -> Result<()> {
    let live = std::env::var_os("SALESDESK_NOW").is_none_or(|v| v.is_empty());
    // Everything that can fail on the user's input (the keymap) fails here, before the
    // terminal changes mode.
    let mut app = App::new(desk)?
        .with_theme(theme::Theme::from_env())
        .with_live_clock(live);
    // A damage record beside the book: said on the status line as every command says it.
    if let Some(w) = app.desk.db.path().and_then(crate::ops::damage::warning) {
        app.fail(&Error::env(w.trim_start_matches("warning: ")));
    }
    let stop =
        terminal::signal_flag().map_err(|e| Error::env(format!("cannot watch signals: {e}")))?;
    terminal::install_panic_hook();
    let mut guard = terminal::Guard::enter()
        .map_err(|e| Error::env(format!("cannot start the terminal UI: {e}")))?;
    let term_err = |e: std::io::Error| Error::env(format!("terminal: {e}"));
    let mut backup: Option<Backup> = None;
    loop {
        guard.term.draw(|f| app.render(f)).map_err(term_err)?;
        if backup.is_none() {
            // The day's automatic backup: after the first frame, on its own thread and connection.
            backup = Some(daily_backup(&app));
        }
        if let Some(Ok(done)) = backup.as_ref().map(|b| b.rx.try_recv()) {
            match done {
                // A backup taken is not news; only a failed one is.
                Ok(_) => {}
                Err(e) => app.fail(&Error::env(format!("the daily backup failed: {e}"))),
            }
        }
        // While a search answer is awaited, look again within a frame instead of sleeping;
        // while the desk's queue has a key's job in flight, within a round trip or two, so
        // its answer shows as soon as it has come.
        let wait = if app.busy() {
            Duration::from_millis(2)
        } else if app.waiting() {
            Duration::from_millis(16)
        } else {
            WAIT
        };
        let mut closed = false;
        for ev in event::next_batch(wait).map_err(term_err)? {
            match ev {
                event::Event::Key(k) => app.handle_key(k),
                event::Event::Paste(s) => app.handle_paste(&s),
                event::Event::Resize => {}
                event::Event::Closed => closed = true,
            }
            if app.should_quit() {
                break;
            }
        }
        if closed || app.should_quit() || terminal::signalled(&stop) {
            break;
        }
        app.tick();
        if app.take_bell() {
            use std::io::Write as _;
            let mut out = std::io::stdout();
            // BEL moves no cursor: the frame drawn stays as it is.
            let _ = out.write_all(b"\x07").and_then(|()| out.flush());
        }
        match app.take_request() {
            Some(Request::Editor(text)) => {
                let edited = guard
                    .suspended(|| crate::editor::edit(&text))
                    .map_err(term_err)?;
                app.editor_done(edited);
            }
            Some(Request::Copy(text)) => {
                if let Err(e) = clipboard::copy(&mut std::io::stdout(), &text) {
                    app.fail(&Error::env(format!("cannot copy: {e}")));
                }
            }
            Some(Request::Open(uri)) => {
                if let Err(e) = clipboard::open(&uri) {
                    app.fail(&Error::env(format!(
                        "cannot run {}: {e}",
                        clipboard::opener()
                    )));
                }
            }
            None => {}
        }
    }
    // The terminal first (a write still on the desk's queue is waited for: quitting right
    // after `x` must not lose it), then the backup's thread.
    drop(guard);
    app.quit();
    app.settle();
    drop(backup);
    Ok(())
}
