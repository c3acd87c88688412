//! Running `salesdesk remind` every minute: a systemd user timer where `systemctl --user`
//! works, else the crontab line to add. Both carry the book, the config and the session bus
//! address they were installed with, because a timer or cron starts the pass in an
//! environment that has none of the user's shell variables.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::error::{Error, Result};

pub const UNIT: &str = "salesdesk-remind";

/// What the pass is installed with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setup {
    pub exe: PathBuf,
    pub book: PathBuf,
    pub config: Option<PathBuf>,
    pub bus: Option<String>,
    /// `TZ` and `PATH` as installed: quiet hours and the morning follow the user's zone, and
    /// `[remind] command` finds a program in `~/.local/bin` as it does in their shell.
    pub tz: Option<String>,
    pub path: Option<String>,
}

impl Setup {
    /// Each variable the pass runs with, in the order written.
    fn environment(&self) -> Result<Vec<(&'static str, String)>> {
        let mut env = vec![("SALESDESK_DB", path_text(&self.book)?)];
        if let Some(c) = &self.config {
            env.push(("SALESDESK_CONFIG", path_text(c)?));
        }
        for (name, value) in [
            ("DBUS_SESSION_BUS_ADDRESS", &self.bus),
            ("TZ", &self.tz),
            ("PATH", &self.path),
        ] {
            if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
                if v.contains('\n') {
                    return Err(Error::input(format!("${name} holds a line break")));
                }
                env.push((name, v.to_string()));
            }
        }
        Ok(env)
    }
}

/// How the pass runs on this machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Installed {
    /// The unit files written, the timer enabled.
    Systemd { dir: PathBuf },
    /// The line for the user to add with `crontab -e`.
    Cron { line: String },
}

/// The program run as systemctl: `SALESDESK_SYSTEMCTL` lets the tests stand in for it
/// (a test machine has no user manager), else `systemctl`.
fn systemctl() -> String {
    std::env::var("SALESDESK_SYSTEMCTL")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "systemctl".into())
}

fn systemctl_user(args: &[&str]) -> Result<()> {
    let out = Command::new(systemctl())
        .arg("--user")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Error::env(format!("cannot run systemctl: {e}")))?;
    if out.status.success() {
        return Ok(());
    }
    let said = String::from_utf8_lossy(&out.stderr);
    Err(Error::env(format!(
        "`systemctl --user {}` failed: {}",
        args.join(" "),
        crate::inert::clean(said.trim())
    )))
}

/// Whether a user manager answers: `systemctl --user` works only in a login session.
pub fn systemd_works() -> bool {
    systemctl_user(&["show-environment"]).is_ok()
}

/// `~/.config/systemd/user` (or under `$XDG_CONFIG_HOME`).
pub fn unit_dir() -> Result<PathBuf> {
    directories::BaseDirs::new()
        .map(|b| b.config_dir().join("systemd").join("user"))
        .ok_or_else(|| Error::env("no home folder to install the reminders timer in; set $HOME"))
}

/// Installs (or installs again: the same files, enabled once) the pass every minute.
pub fn install(setup: &Setup) -> Result<Installed> {
    if !systemd_works() {
        return Ok(Installed::Cron {
            line: cron_line(setup)?,
        });
    }
    let dir = unit_dir()?;
    std::fs::create_dir_all(&dir)
        .map_err(|e| Error::env(format!("cannot create {}: {e}", dir.display())))?;
    for (name, text) in [
        (format!("{UNIT}.service"), service(setup)?),
        (format!("{UNIT}.timer"), timer()),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, text)
            .map_err(|e| Error::env(format!("cannot write {}: {e}", path.display())))?;
    }
    systemctl_user(&["daemon-reload"])?;
    systemctl_user(&["enable", "--now", &format!("{UNIT}.timer")])?;
    Ok(Installed::Systemd { dir })
}

/// Removes the timer and its files. Returns what it removed; the crontab line to delete when
/// there was no timer (salesdesk never edits a crontab).
pub fn uninstall(setup: &Setup) -> Result<Installed> {
    let dir = unit_dir()?;
    let files = [
        dir.join(format!("{UNIT}.timer")),
        dir.join(format!("{UNIT}.service")),
    ];
    forget_passes(&dir);
    if !files.iter().any(|f| f.exists()) {
        return Ok(Installed::Cron {
            line: cron_line(setup)?,
        });
    }
    if systemd_works() {
        // A timer already stopped or never enabled is not an error: it is what we want.
        let _ = systemctl_user(&["disable", "--now", &format!("{UNIT}.timer")]);
    }
    // Left by `enable` when systemctl no longer answers: it would point at nothing.
    let wants = dir
        .join("timers.target.wants")
        .join(format!("{UNIT}.timer"));
    for f in files.iter().chain([&wants]) {
        match std::fs::remove_file(f) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::env(format!("cannot remove {}: {e}", f.display()))),
        }
    }
    if systemd_works() {
        systemctl_user(&["daemon-reload"])?;
    }
    Ok(Installed::Systemd { dir })
}

/// What the passes left in the data folder (the last pass's record, the icon): uninstalling
/// leaves nothing behind.
fn forget_passes(_units: &Path) {
    if let Some(f) = last_pass_file() {
        let _ = std::fs::remove_file(f);
    }
    if let Some(d) = directories::ProjectDirs::from("", "", "salesdesk") {
        let _ = std::fs::remove_file(d.data_dir().join("salesdesk.png"));
    }
}

/// The installed service's `Environment=` values (the book, config and bus it runs with), or
/// None when no timer is installed.
pub fn installed_with() -> Result<Option<Vec<(String, String)>>> {
    let path = unit_dir()?.join(format!("{UNIT}.service"));
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(None);
    };
    Ok(Some(
        text.lines()
            .filter_map(|l| l.strip_prefix("Environment="))
            .filter_map(|v| {
                let v = v.trim().trim_matches('"');
                let (k, v) = v.split_once('=')?;
                let v = v
                    .replace("\\\"", "\"")
                    .replace("\\\\", "\\")
                    .replace("%%", "%");
                Some((k.to_string(), v))
            })
            .collect(),
    ))
}

/// The line of the user's crontab that runs the pass, if `crontab -l` shows one.
pub fn in_crontab() -> Option<String> {
    // `SALESDESK_CRONTAB` lets the tests stand in for the user's crontab.
    let program = std::env::var("SALESDESK_CRONTAB")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "crontab".into());
    let out = Command::new(program)
        .arg("-l")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find(|l| {
            !l.trim_start().starts_with('#')
                && l.contains("salesdesk")
                && (l.ends_with(" remind") || l.contains(" remind >"))
        })
        .map(str::to_string)
}

/// The service: one pass, with the environment it was installed from. What a pass prints
/// (`via = ["print"]`) names people, so it is kept out of the journal; errors name
/// follow-ups by number only.
pub fn service(s: &Setup) -> Result<String> {
    let env: Vec<String> = s
        .environment()?
        .into_iter()
        .map(|(k, v)| format!("Environment={}", env_quote(&format!("{k}={v}"))))
        .collect();
    Ok(format!(
        "[Unit]\n\
         Description=salesdesk reminders: send the follow-ups that came due\n\
         \n\
         [Service]\n\
         Type=oneshot\n\
         TimeoutStartSec=5min\n\
         StandardOutput=null\n\
         {}\n\
         ExecStart={} remind\n",
        env.join("\n"),
        exec_quote(&path_text(&s.exe)?)
    ))
}

/// The timer: every minute, on the minute.
pub fn timer() -> String {
    format!(
        "[Unit]\n\
         Description=salesdesk reminders every minute\n\
         \n\
         [Timer]\n\
         OnCalendar=*-*-* *:*:00\n\
         AccuracySec=1s\n\
         Unit={UNIT}.service\n\
         \n\
         [Install]\n\
         WantedBy=timers.target\n"
    )
}

/// `* * * * * SALESDESK_DB='…' … '/path/salesdesk' remind >/dev/null`: values single-quoted
/// for the shell cron runs it with, `%` escaped (cron reads a bare one as a newline); what a
/// pass prints is not mailed (it names people), its errors are.
pub fn cron_line(s: &Setup) -> Result<String> {
    let mut words: Vec<String> = s
        .environment()?
        .into_iter()
        .map(|(k, v)| format!("{k}={}", sh_quote(&v)))
        .collect();
    words.push(sh_quote(&path_text(&s.exe)?));
    words.push("remind >/dev/null".into());
    Ok(format!("* * * * * {}", words.join(" ")).replace('%', "\\%"))
}

fn path_text(p: &Path) -> Result<String> {
    let t = p.to_string_lossy();
    if t.contains('\n') {
        return Err(Error::input(format!(
            "{t:?} holds a line break, which a unit file cannot carry"
        )));
    }
    Ok(t.into_owned())
}

/// An `Environment=` assignment in double quotes: `\` and `"` escaped, `%` doubled (a
/// specifier otherwise); `$` is plain text there.
fn env_quote(s: &str) -> String {
    let escaped = s
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('%', "%%");
    format!("\"{escaped}\"")
}

/// An `ExecStart=` word: as `env_quote`, and `$` doubled (a variable otherwise).
fn exec_quote(s: &str) -> String {
    env_quote(s).replace('$', "$$")
}

fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// The last pass: when it ran and on which book, kept beside the data folder rather than in
/// the book, so a pass with nothing to send writes nothing to the book (an open desk would
/// otherwise see a change every minute).
pub fn last_pass_file() -> Option<PathBuf> {
    let d = directories::ProjectDirs::from("", "", "salesdesk")?;
    Some(d.data_local_dir().join("remind-last-pass"))
}

pub fn record_pass(book: &Path, at: &str, sent: usize) {
    let Some(path) = last_pass_file() else {
        return;
    };
    if let Some(dir) = path.parent()
        && crate::paths::private_dir(dir).is_err()
    {
        return;
    }
    let tmp = path.with_extension(format!("{}.tmp", std::process::id()));
    // Never a server's password: the file is shown by `remind status`.
    let text = format!("{at}\t{sent}\t{}\n", crate::paths::shown(book));
    // Bookkeeping for `remind status`: a pass that cannot write it still did its work.
    if std::fs::write(&tmp, text).is_ok() && std::fs::rename(&tmp, &path).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

/// When the last pass ran, how many it sent and on which book.
pub fn last_pass() -> Option<(String, usize, PathBuf)> {
    let text = std::fs::read_to_string(last_pass_file()?).ok()?;
    let mut parts = text.trim_end_matches('\n').splitn(3, '\t');
    let at = parts.next()?.to_string();
    let sent = parts.next()?.parse().ok()?;
    let book = PathBuf::from(parts.next()?);
    Some((at, sent, book))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> Setup {
        Setup {
            exe: "/opt/sales desk/salesdesk".into(),
            book: "/home/ana/it's 100%.db".into(),
            config: Some("/home/ana/$HOME.toml".into()),
            bus: Some("unix:path=/run/user/1000/bus".into()),
            tz: Some("Europe/Lisbon".into()),
            path: None,
        }
    }

    #[test]
    fn the_unit_carries_each_value_quoted_for_systemd() {
        let s = service(&setup()).unwrap();
        assert!(
            s.contains("Environment=\"SALESDESK_DB=/home/ana/it's 100%%.db\""),
            "{s}"
        );
        // `$` is plain text in Environment= (doubling it would change the path).
        assert!(
            s.contains("Environment=\"SALESDESK_CONFIG=/home/ana/$HOME.toml\""),
            "{s}"
        );
        assert!(s.contains("Environment=\"TZ=Europe/Lisbon\""), "{s}");
        assert!(
            s.contains("StandardOutput=null") && s.contains("TimeoutStartSec="),
            "{s}"
        );
        assert!(
            s.contains("Environment=\"DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/1000/bus\"")
        );
        assert!(
            s.contains("ExecStart=\"/opt/sales desk/salesdesk\" remind"),
            "{s}"
        );
    }

    #[test]
    fn the_cron_line_is_quoted_for_the_shell_and_for_cron() {
        assert_eq!(
            cron_line(&setup()).unwrap(),
            "* * * * * SALESDESK_DB='/home/ana/it'\\''s 100\\%.db' \
             SALESDESK_CONFIG='/home/ana/$HOME.toml' \
             DBUS_SESSION_BUS_ADDRESS='unix:path=/run/user/1000/bus' TZ='Europe/Lisbon' \
             '/opt/sales desk/salesdesk' remind >/dev/null"
        );
    }

    #[test]
    fn a_path_with_a_line_break_is_refused_for_a_unit() {
        let mut s = setup();
        s.book = "/tmp/a\nb.db".into();
        assert!(service(&s).is_err());
        assert!(cron_line(&s).is_err());
    }
}
