//! The e2e tests' harness: a tmux server of their own to drive the real binary in a real
//! terminal, polling the screen instead of sleeping. The e2e tests share one process and run
//! in parallel: each server has a socket of its own, and at most `AT_ONCE` run at a time so
//! that a small machine keeps them inside their timeouts.

use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

pub use super::{Book, NOW};

pub const BIN: &str = env!("CARGO_BIN_EXE_salesdesk");

/// The config the e2e books pin: the next step a call form pre-fills.
pub const CONFIG: &str = "[follow_up]\nnext = \"+2d\"\n";

/// Tmux servers running at once in this process: one, as when each file was its own test
/// binary. A desk waits on its screen, not on the CPU, so one at a time costs a few seconds,
/// while two on a loaded 2-core machine made a 15-second wait run out now and then.
const AT_ONCE: usize = 1;

static RUNNING: Mutex<usize> = Mutex::new(0);
static FREED: Condvar = Condvar::new();

/// One of the `AT_ONCE` places, held while a server runs and given back when it is dropped.
pub struct Slot(());

impl Slot {
    fn take() -> Slot {
        let mut running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
        while *running >= AT_ONCE {
            running = FREED.wait(running).unwrap_or_else(|e| e.into_inner());
        }
        *running += 1;
        Slot(())
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
        *running -= 1;
        FREED.notify_one();
    }
}

pub struct Tmux {
    pub socket: String,
    /// Dropped after the server is killed (fields drop after `Drop::drop`).
    _slot: Slot,
}

impl Tmux {
    /// A tmux server on `socket`, once a place is free; nothing runs on it yet.
    pub fn server(socket: String) -> Tmux {
        Tmux {
            socket,
            _slot: Slot::take(),
        }
    }

    pub fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn keys(&self, keys: &[&str]) {
        let mut a = vec!["send-keys", "-t", "e2e"];
        a.extend_from_slice(keys);
        self.run(&a);
    }

    pub fn text(&self, text: &str) {
        self.run(&["send-keys", "-t", "e2e", "-l", text]);
    }

    pub fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "e2e"])
    }

    /// Polls the pane until `want` shows, or fails with what it shows.
    pub fn wait_for(&self, want: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(want) {
                return s;
            }
            if start.elapsed() > Duration::from_secs(15) {
                panic!("waited 15s for {want:?}; the screen shows:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(40));
        }
    }
}

impl Tmux {
    /// A tmux server of its own, a plain shell in a 100×30 window, and the desk started in it
    /// on `book` the way a user types it.
    pub fn desk(book: &Book) -> Tmux {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let t = Tmux::server(format!(
            "salesdesk-e2e-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        t.run(&[
            "new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30",
            &format!("env -i PATH=/usr/bin:/bin HOME=/tmp TERM=xterm-256color TZ=UTC SALESDESK_NOW={NOW} PS1='$ ' sh"),
        ]);
        t.wait_for("$");
        t.text(&format!(
            "{} --db {} --config {}",
            quote(Path::new(BIN)),
            quote(&book.db),
            quote(&book.config)
        ));
        t.keys(&["Enter"]);
        t
    }

    /// Waits until the desk has quit and the terminal is back on its main screen.
    pub fn wait_main_screen(&self) {
        let start = Instant::now();
        while self
            .run(&["display", "-p", "-t", "e2e", "#{alternate_on}"])
            .trim()
            != "0"
        {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "still on the alternate screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(40));
        }
    }

    /// Waits until the desk has ended and the shell has the terminal again. A desk gives the
    /// terminal back first and then waits for writes still on its queue, so what it wrote is
    /// all in the book only now, not when the main screen shows.
    pub fn wait_exited(&self) {
        let start = Instant::now();
        while self
            .run(&["display", "-p", "-t", "e2e", "#{pane_current_command}"])
            .trim()
            != "sh"
        {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "the desk never ended:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .arg("kill-server")
            .output();
    }
}

pub fn tmux_present() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The shell command that starts the desk on `book` in a clean environment, with `wrap`
/// (e.g. `setsid -w`, or nothing) in front of the binary.
pub fn desk_command(book: &Book, wrap: &str) -> String {
    format!(
        "env -i PATH=/usr/bin:/bin HOME=/tmp TERM=xterm-256color TZ=UTC SALESDESK_NOW={NOW} {wrap} {} --db {} --config {}",
        quote(Path::new(BIN)),
        quote(&book.db),
        quote(&book.config)
    )
}

pub fn quote(p: &Path) -> String {
    format!("'{}'", p.display().to_string().replace('\'', "'\\''"))
}
