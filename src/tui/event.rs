//! The one place terminal events are read. Key presses (and repeats of a held key) and
//! bracketed pastes come through; key releases, mouse and focus events do not.

use std::fs::File;
use std::io::IsTerminal;
use std::os::fd::{AsFd, BorrowedFd};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ratatui::crossterm::event::{self, Event as CtEvent, KeyEvent, KeyEventKind};
use rustix::event::{PollFd, PollFlags, Timespec};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Key(KeyEvent),
    Paste(String),
    /// The terminal changed size: draw again.
    Resize,
    /// The terminal is gone (its window closed, its tmux server killed): end as on SIGHUP.
    Closed,
}

/// Only what the app acts on.
pub fn filter(ev: CtEvent) -> Option<Event> {
    match ev {
        CtEvent::Key(k) if k.kind != KeyEventKind::Release => Some(Event::Key(k)),
        CtEvent::Paste(s) => Some(Event::Paste(s)),
        CtEvent::Resize(_, _) => Some(Event::Resize),
        _ => None,
    }
}

/// What waiting on the terminal found.
#[derive(Debug, PartialEq, Eq)]
enum Ready {
    Input,
    /// Nothing within the time, or a signal (a resize, SIGTERM) cut the wait short.
    Nothing,
    HungUp,
}

static MORE_PENDING: AtomicBool = AtomicBool::new(false);

/// Runs `f` on the terminal crossterm reads: stdin when it is one, else `/dev/tty` (as
/// crossterm does). `None` when there is neither.
fn on_tty<R>(f: impl FnOnce(BorrowedFd<'_>) -> R) -> Option<R> {
    static DEV_TTY: OnceLock<Option<File>> = OnceLock::new();
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Some(f(stdin.as_fd()));
    }
    DEV_TTY
        .get_or_init(|| File::open("/dev/tty").ok())
        .as_ref()
        .map(|t| f(t.as_fd()))
}

/// Waits for input on the terminal. crossterm's own wait cannot be used for this: on a
/// hung-up terminal every read returns end-of-file and it reads again, forever, without
/// returning to the loop (so not even SIGTERM would end the program). poll(2) reports the
/// hang-up instead.
fn wait(fd: BorrowedFd<'_>, timeout: Duration) -> std::io::Result<Ready> {
    let mut fds = [PollFd::new(&fd, PollFlags::IN)];
    let ts = Timespec::try_from(timeout).unwrap_or(Timespec {
        tv_sec: 1,
        tv_nsec: 0,
    });
    match rustix::event::poll(&mut fds, Some(&ts)) {
        Ok(0) => Ok(Ready::Nothing),
        Ok(_) => {
            let got = fds[0].revents();
            if got.intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL) {
                Ok(Ready::HungUp)
            } else {
                Ok(Ready::Input)
            }
        }
        // A signal cut the wait short. SIGHUP comes with the hang-up itself, so look again
        // without waiting before crossterm is let near the terminal.
        Err(rustix::io::Errno::INTR) if !timeout.is_zero() => wait(fd, Duration::ZERO),
        Err(rustix::io::Errno::INTR) => Ok(Ready::Nothing),
        Err(e) => Err(e.into()),
    }
}

/// Waits up to `timeout` for the first event, then drains everything already pending, so a
/// burst of keys (or a held key) is applied at once and drawn once.
pub fn next_batch(timeout: Duration) -> std::io::Result<Vec<Event>> {
    let mut out = Vec::new();
    // A batch cut at its size limit left events in crossterm's buffer, not on the terminal.
    let first_wait = if MORE_PENDING.swap(false, Ordering::Relaxed) {
        Duration::ZERO
    } else {
        match on_tty(|fd| wait(fd, timeout)).transpose()? {
            Some(Ready::HungUp) => return Ok(vec![Event::Closed]),
            // Input, or a signal that cut the wait short: a resize is a signal, and crossterm
            // holds the event for it.
            Some(Ready::Input | Ready::Nothing) => Duration::ZERO,
            None => timeout,
        }
    };
    let ready = match event::poll(first_wait) {
        Ok(r) => r,
        // A signal arriving while waiting: no events, the loop looks at its flags.
        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => return Ok(out),
        Err(e) => return Err(e),
    };
    if !ready {
        return Ok(out);
    }
    loop {
        if let Some(e) = filter(event::read()?) {
            out.push(e);
        }
        if out.len() >= 256 {
            MORE_PENDING.store(true, Ordering::Relaxed);
            break;
        }
        if !event::poll(Duration::ZERO)? {
            break;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::{KeyCode, KeyEventState, KeyModifiers};

    #[test]
    fn releases_are_dropped_presses_and_pastes_kept() {
        let mut k = KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE);
        assert!(filter(CtEvent::Key(k)).is_some());
        k.kind = KeyEventKind::Release;
        k.state = KeyEventState::NONE;
        assert_eq!(filter(CtEvent::Key(k)), None);
        assert_eq!(
            filter(CtEvent::Paste("a\nb".into())),
            Some(Event::Paste("a\nb".into()))
        );
        assert_eq!(filter(CtEvent::FocusGained), None);
    }
}
