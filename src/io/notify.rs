//! Delivering a reminder (`[remind] via`): a desktop notification over D-Bus (notify-rust:
//! zbus, pure Rust; the notification centre on a Mac), lines on stdout, or a program of the
//! user's, run without a shell.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::domain::remind::{Message, Urgency, Via};
use crate::error::{Error, Result};
use crate::inert::clean;

/// A `command` that has not finished after this long is stopped and counts as failed: the
/// next pass must not queue behind a webhook that hangs.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(30);

/// The icon shown beside a desktop notification, written to the data folder on first use.
const ICON: &[u8] = include_bytes!("../../assets/salesdesk.png");

/// A notification server that does not answer in this long counts as a failed delivery: the
/// bus call has no deadline of its own, and a pass must not hang.
const DESKTOP_TIMEOUT: Duration = Duration::from_secs(10);

/// Sends a message one way at a time.
pub struct Deliver<'a> {
    pub command: &'a [String],
    /// Where `print` writes (stdout, through the sanitising writer).
    pub out: &'a mut dyn Write,
    /// Whether the notification server reads markup in bodies: asked once a pass.
    markup: Option<bool>,
}

impl<'a> Deliver<'a> {
    pub fn new(command: &'a [String], out: &'a mut dyn Write) -> Self {
        Self {
            command,
            out,
            markup: None,
        }
    }

    pub fn send(&mut self, m: &Message, via: Via) -> Result<()> {
        match via {
            Via::Desktop => {
                let markup = *self.markup.get_or_insert_with(server_reads_markup);
                desktop(m, markup)
            }
            Via::Print => print(self.out, m),
            Via::Command => run_command(self.command, m),
        }
    }
}

/// The summary line, then the body's lines indented.
pub fn print(out: &mut dyn Write, m: &Message) -> Result<()> {
    writeln!(out, "{}", clean(&m.summary))?;
    for line in m.body.lines() {
        writeln!(out, "  {}", clean(line))?;
    }
    Ok(())
}

/// The program and its arguments, then the summary and the body as two more arguments: no
/// shell ever reads them, so `$(…)`, `;` or quotes in a name reach the program as text.
pub fn run_command(command: &[String], m: &Message) -> Result<()> {
    let Some((program, args)) = command.split_first() else {
        return Err(Error::input(
            "[remind] command names no program".to_string(),
        ));
    };
    let mut child = Command::new(program)
        .args(args)
        .arg(clean(&m.summary).as_ref())
        .arg(clean(&m.body).as_ref())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Error::env(format!("cannot run the reminder command {program:?}: {e}")))?;
    // Read as it comes: a program that says a lot (curl -v) must not block on a full pipe.
    let said = child.stderr.take().map(|mut e| {
        std::thread::spawn(move || {
            use std::io::Read;
            let mut text = String::new();
            let _ = e.read_to_string(&mut text);
            text
        })
    });
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait()? {
            break s;
        }
        if started.elapsed() > COMMAND_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(Error::env(format!(
                "the reminder command {program:?} did not finish in {} s; stopped it",
                COMMAND_TIMEOUT.as_secs()
            )));
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let said = said.and_then(|t| t.join().ok()).unwrap_or_default();
    if status.success() {
        return Ok(());
    }
    let said = said
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .map(|l| format!(": {}", clean(l.trim())));
    Err(Error::env(format!(
        "the reminder command {program:?} failed ({status}){}",
        said.unwrap_or_default()
    )))
}

/// A freedesktop notification on the session bus, as app `salesdesk`, given up after
/// `DESKTOP_TIMEOUT` (the call runs on a thread of its own, left behind if it hangs).
pub fn desktop(m: &Message, markup: bool) -> Result<()> {
    let mut n = notify_rust::Notification::new();
    let body = clean(&m.body);
    let body = if markup {
        body.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    } else {
        body.into_owned()
    };
    n.appname("salesdesk")
        .summary(&clean(&m.summary))
        .body(&body);
    if let Some(icon) = icon_path() {
        n.icon(&icon.to_string_lossy());
    }
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        n.urgency(match m.urgency {
            Urgency::Normal => notify_rust::Urgency::Normal,
            Urgency::Critical => notify_rust::Urgency::Critical,
        });
    }
    #[cfg(not(all(unix, not(target_os = "macos"))))]
    let _ = m.urgency;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(n.show().map(|_| ()).map_err(|e| e.to_string()));
    });
    let failed = match rx.recv_timeout(DESKTOP_TIMEOUT) {
        Ok(Ok(())) => return Ok(()),
        Ok(Err(e)) => e,
        Err(_) => format!("no answer in {} s", DESKTOP_TIMEOUT.as_secs()),
    };
    let bus = std::env::var("DBUS_SESSION_BUS_ADDRESS").unwrap_or_default();
    let bus = if bus.is_empty() {
        "DBUS_SESSION_BUS_ADDRESS is not set".to_string()
    } else {
        format!("bus {bus}")
    };
    Err(Error::env(format!(
        "cannot show a desktop notification ({bus}): {failed}; is a notification daemon \
         running in your session? `[remind] via = [\"print\"]` or `[\"command\"]` work without one"
    )))
}

/// A server that reads markup in bodies (most do) would take `<b>` or `&amp;` in a name as
/// markup, so the text is escaped for those and left as typed for the rest.
fn server_reads_markup() -> bool {
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(
                notify_rust::get_capabilities()
                    .map(|c| c.iter().any(|c| c == "body-markup"))
                    .unwrap_or(true),
            );
        });
        rx.recv_timeout(DESKTOP_TIMEOUT).unwrap_or(true)
    }
    #[cfg(not(all(unix, not(target_os = "macos"))))]
    false
}

/// The icon in the data folder, written there the first time; None when it cannot be (the
/// notification shows without one).
fn icon_path() -> Option<PathBuf> {
    let dir = directories::ProjectDirs::from("", "", "salesdesk")?
        .data_dir()
        .to_path_buf();
    let path = dir.join("salesdesk.png");
    if std::fs::read(&path).ok().as_deref() != Some(ICON) {
        crate::paths::private_dir(&dir).ok()?;
        std::fs::write(&path, ICON).ok()?;
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn print_is_the_summary_then_the_body_indented_and_clean() {
        let m = Message {
            summary: "Call Ana\u{1b}]0;x\u{7} · 15:00".into(),
            body: "pricing\nAcme".into(),
            urgency: Urgency::Normal,
        };
        let mut out = Vec::new();
        print(&mut out, &m).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "Call Ana]0;x · 15:00\n  pricing\n  Acme\n"
        );
    }

    #[test]
    fn a_command_that_fails_says_why() {
        let m = Message {
            summary: "s".into(),
            body: "b".into(),
            urgency: Urgency::Normal,
        };
        let sh = |script: &str| {
            vec![
                "sh".to_string(),
                "-c".to_string(),
                script.to_string(),
                "sh".to_string(),
            ]
        };
        assert!(run_command(&sh("test \"$1\" = s && test \"$2\" = b"), &m).is_ok());
        let e = run_command(&sh("echo 'no route to ntfy' >&2; exit 3"), &m).unwrap_err();
        assert!(e.to_string().contains("no route to ntfy"), "{e}");
        let e = run_command(&["/nonexistent/prog".to_string()], &m).unwrap_err();
        assert!(e.to_string().contains("cannot run"), "{e}");
    }
}
