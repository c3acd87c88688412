//! `salesdesk remind`: the pass on the real binary, delivering with `print` and `command`
//! (the desktop, against a real notification server, is `tests/e2e/notify.rs`), and the
//! timer's install, uninstall and status in a temporary home.

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use crate::support::Book;

/// Saturday: no morning summary unless a test asks for one.
pub(crate) const SAT: &str = "2026-12-05";

pub(crate) fn at(day: &str, time: &str) -> String {
    format!("{day}T{time}+00:00")
}

/// The binary on `b` at `now`, with a home of its own (the last-pass record, the icon, the
/// systemd folder all live under it).
pub(crate) fn remind_cmd(b: &Book, now: &str) -> assert_cmd::Command {
    let mut c = b.cmd();
    let home = b.dir.path().join("home");
    c.env("SALESDESK_NOW", now)
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env_remove("DBUS_SESSION_BUS_ADDRESS");
    c
}

/// One pass at `now`: (exit code, stdout, stderr).
pub(crate) fn pass(b: &Book, now: &str, extra: &[&str]) -> (i32, String, String) {
    let out = remind_cmd(b, now)
        .arg("remind")
        .args(extra)
        .output()
        .expect("run");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

pub(crate) fn sent(b: &Book, now: &str) -> String {
    let (code, out, err) = pass(b, now, &[]);
    assert_eq!(code, 0, "remind at {now}: {err}");
    out
}

/// A book whose reminders are printed, with `extra` more lines of `[remind]`.
fn printing(extra: &str) -> Book {
    Book::with_config(&format!("[remind]\nvia = [\"print\"]\n{extra}"))
}

pub(crate) fn follow_up(b: &Book, now: &str, words: &[&str]) -> i64 {
    let mut args = vec!["follow-up", "ana"];
    args.extend_from_slice(words);
    let out = remind_cmd(b, now).args(&args).output().expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("an id")
}

pub(crate) fn with_ana(b: &Book) {
    b.contact(&["--name", "Ana Pereira", "--company", "Acme"]);
}

#[test]
fn the_pass_never_creates_a_book_and_says_which_it_wanted() {
    let b = printing("");
    let (code, out, err) = pass(&b, &at(SAT, "09:00:00"), &[]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(out, "");
    assert!(
        err.contains("never creates one") && err.contains("book.db"),
        "{err}"
    );
    assert!(!b.db.exists() && !b.db.parent().is_some_and(|d| d.join("book.db").exists()));
}

/// A script that writes each argument it gets on a line of `log`, then does `then`.
pub(crate) fn script(dir: &Path, name: &str, log: &Path, then: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(
        &path,
        format!(
            "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done >> '{}'\n{then}\n",
            log.display()
        ),
    )
    .expect("script");
    let mut p = std::fs::metadata(&path).expect("script").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut p, 0o755);
    std::fs::set_permissions(&path, p).expect("chmod");
    path
}

/// A reminder command that logs its arguments and fails, saying `why`, while the file `gate`
/// exists (the network is down): (log, gate, program).
pub(crate) fn offline_command(b: &Book, why: &str) -> (PathBuf, PathBuf, PathBuf) {
    let log = b.file("args.log");
    let gate = b.file("offline");
    std::fs::write(&gate, "").expect("gate");
    let prog = script(
        b.dir.path(),
        "notify",
        &log,
        &format!(
            "if [ -e '{}' ]; then echo '{why}' >&2; exit 7; fi",
            gate.display()
        ),
    );
    (log, gate, prog)
}

pub(crate) fn commanding(program: &Path) -> String {
    format!(
        "[remind]\nvia = [\"command\"]\ncommand = [{:?}, \"--topic\", \"sales; rm -rf /\"]\n",
        program.display().to_string()
    )
}

/// `TZ` set for every command of the test, the book's clock given as instants.
pub(crate) fn in_zone(b: &Book, tz: &str, now: &str, args: &[&str]) -> String {
    stdout_of(remind_cmd(b, now).env("TZ", tz).args(args))
}

/// Runs, expects success, returns stdout.
fn stdout_of(c: &mut assert_cmd::Command) -> String {
    let out = c.output().expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A stand-in for systemctl that logs its arguments and answers `ok` (exit 0) or not.
fn fake_systemctl(b: &Book, works: bool) -> (PathBuf, PathBuf) {
    let log = b.file("systemctl.log");
    let prog = script(
        b.dir.path(),
        "systemctl",
        &log,
        if works {
            "exit 0"
        } else {
            "echo 'Failed to connect to bus' >&2; exit 1"
        },
    );
    (prog, log)
}

const PATH: &str = "/usr/local/bin:/usr/bin:/bin";

fn service(b: &Book, prog: &Path, args: &[&str]) -> String {
    stdout_of(
        remind_cmd(b, &at(SAT, "09:00:00"))
            .env("SALESDESK_SYSTEMCTL", prog)
            .env("SALESDESK_CRONTAB", b.file("no-crontab"))
            .env("PATH", PATH)
            .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/run/user/1000/bus")
            .arg("remind")
            .args(args),
    )
}

#[test]
fn install_writes_a_valid_user_timer_once_and_uninstall_leaves_nothing() {
    let b = printing("");
    with_ana(&b);
    let (ctl, log) = fake_systemctl(&b, true);
    let units = b.dir.path().join("home/.config/systemd/user");
    let said = service(&b, &ctl, &["install"]);
    assert!(said.starts_with("installed: "), "{said}");
    let svc = std::fs::read_to_string(units.join("salesdesk-remind.service")).expect("service");
    let timer = std::fs::read_to_string(units.join("salesdesk-remind.timer")).expect("timer");
    assert!(
        svc.contains(&format!("Environment=\"SALESDESK_DB={}\"", b.db.display())),
        "{svc}"
    );
    assert!(svc.contains(&format!(
        "Environment=\"SALESDESK_CONFIG={}\"",
        b.config.display()
    )));
    assert!(svc.contains("Environment=\"DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/1000/bus\""));
    assert!(
        svc.contains("ExecStart=\"/") && svc.contains("\" remind\n"),
        "{svc}"
    );
    assert!(timer.contains("OnCalendar=*-*-* *:*:00"), "{timer}");
    if let Ok(v) = StdCommand::new("systemd-analyze").arg("--version").output()
        && v.status.success()
    {
        let check = StdCommand::new("systemd-analyze")
            .arg("verify")
            .arg(units.join("salesdesk-remind.service"))
            .arg(units.join("salesdesk-remind.timer"))
            .output()
            .expect("systemd-analyze");
        assert!(
            check.status.success(),
            "{}",
            String::from_utf8_lossy(&check.stderr)
        );
    } else {
        eprintln!("skipped systemd-analyze verify: not installed");
    }
    // Again: the same files, nothing added.
    service(&b, &ctl, &["install"]);
    assert_eq!(
        std::fs::read_to_string(units.join("salesdesk-remind.service")).expect("service"),
        svc
    );
    assert_eq!(std::fs::read_dir(&units).expect("units").count(), 2);
    let calls = std::fs::read_to_string(&log).expect("log");
    assert!(
        calls.contains("--user\nenable\n--now\nsalesdesk-remind.timer\n"),
        "{calls}"
    );

    let st = service(&b, &ctl, &["status"]);
    assert!(st.starts_with("installed: a systemd user timer"), "{st}");
    assert!(
        st.contains(&format!("SALESDESK_DB={}", b.db.display())),
        "{st}"
    );
    sent(&b, &at(SAT, "09:30:00"));
    let st = service(&b, &ctl, &["status", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&st).expect("JSON");
    assert_eq!(v["installed"], true);
    assert_eq!(v["last_pass"], "2026-12-05T09:30:00+00:00");

    let last_pass = b
        .dir
        .path()
        .join("home/.local/share/salesdesk/remind-last-pass");
    assert!(last_pass.exists());
    let said = service(&b, &ctl, &["uninstall"]);
    assert!(said.starts_with("uninstalled"), "{said}");
    assert_eq!(std::fs::read_dir(&units).expect("units").count(), 0);
    assert!(!last_pass.exists(), "uninstall leaves nothing behind");
    assert!(
        std::fs::read_to_string(&log)
            .expect("log")
            .contains("disable\n--now\nsalesdesk-remind.timer")
    );
    assert!(service(&b, &ctl, &["status"]).starts_with("not installed"));
}

#[test]
fn without_a_user_manager_install_prints_the_exact_crontab_line() {
    let b = printing("");
    with_ana(&b);
    let (ctl, _) = fake_systemctl(&b, false);
    let said = service(&b, &ctl, &["install"]);
    let exe = assert_cmd::cargo::cargo_bin("salesdesk");
    assert_eq!(
        said,
        format!(
            "systemctl --user does not work here; add this line with `crontab -e`:\n\
             * * * * * SALESDESK_DB='{}' SALESDESK_CONFIG='{}' \
             DBUS_SESSION_BUS_ADDRESS='unix:path=/run/user/1000/bus' TZ='UTC' PATH='{PATH}' \
             '{}' remind >/dev/null\n",
            b.db.display(),
            b.config.display(),
            exe.display()
        )
    );
    assert!(!b.dir.path().join("home/.config/systemd").exists());
}

#[test]
fn status_finds_a_crontab_line_that_runs_the_pass() {
    let b = printing("");
    with_ana(&b);
    let (ctl, _) = fake_systemctl(&b, false);
    let line = service(&b, &ctl, &["install"])
        .lines()
        .nth(1)
        .expect("the line")
        .to_string();
    let listing = b.file("crontab-l");
    std::fs::write(&listing, format!("# m h dom mon dow command\n{line}\n")).expect("listing");
    let crontab = script(
        b.dir.path(),
        "crontab",
        &b.file("crontab.log"),
        &format!("cat '{}'", listing.display()),
    );
    let out = remind_cmd(&b, &at(SAT, "09:00:00"))
        .env("SALESDESK_SYSTEMCTL", &ctl)
        .env("SALESDESK_CRONTAB", &crontab)
        .args(["remind", "status"])
        .output()
        .expect("run");
    let st = String::from_utf8_lossy(&out.stdout);
    assert!(
        st.starts_with(&format!("installed: a crontab line\n  {line}\n")),
        "{st}"
    );
}

#[test]
fn on_a_server_book_install_keeps_the_address_and_no_output_shows_its_password() {
    let Some(mut b) = Book::server() else {
        return;
    };
    std::fs::write(&b.config, "[remind]\nvia = [\"print\"]\n").expect("config");
    // The test server trusts its socket, so a password in the address is carried, not checked:
    // what matters is where it shows.
    let address =
        b.db.to_string_lossy()
            .replacen("postgres@", "postgres:s3cret@", 1);
    b.db = PathBuf::from(&address);
    with_ana(&b);
    let (ctl, _log) = fake_systemctl(&b, true);
    let said = service(&b, &ctl, &["install"]);
    assert!(
        said.starts_with("installed: ") && !said.contains("s3cret"),
        "{said}"
    );
    let units = b.dir.path().join("home/.config/systemd/user");
    let svc = std::fs::read_to_string(units.join("salesdesk-remind.service")).expect("service");
    // The timer connects with the address as given, not a path made of it.
    assert!(
        svc.contains(&format!("Environment=\"SALESDESK_DB={address}\"")),
        "{svc}"
    );
    follow_up(&b, &at(SAT, "09:00:00"), &["today", "10:00", "Call Ana"]);
    let (code, out, err) = pass(&b, &at(SAT, "10:00:30"), &[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Call Ana"), "{out}");
    let status = service(&b, &ctl, &["status"]);
    assert!(!status.contains("s3cret"), "{status}");
    assert!(status.contains("Call Ana"), "{status}");
}
