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
fn each_follow_up_is_sent_once_at_its_due_time_and_again_only_when_snoozed() {
    let b = printing("");
    with_ana(&b);
    let morning = at(SAT, "14:00:00");
    let call = follow_up(&b, &morning, &["today", "15:00", "pricing"]);
    let cancelled = follow_up(&b, &morning, &["today", "15:10", "gone"]);
    let done = follow_up(&b, &morning, &["today", "15:20", "done early"]);
    remind_cmd(&b, &morning)
        .args(["follow-up", "cancel", &cancelled.to_string()])
        .assert()
        .success();
    remind_cmd(&b, &morning)
        .args(["done", &done.to_string()])
        .assert()
        .success();

    assert_eq!(sent(&b, &at(SAT, "14:59:59")), "", "nothing due: no output");
    assert_eq!(
        sent(&b, &at(SAT, "15:00:30")),
        "Call Ana Pereira · 15:00\n  pricing\n  Acme\n"
    );
    assert_eq!(sent(&b, &at(SAT, "15:01:30")), "", "sent once");
    assert_eq!(
        sent(&b, &at(SAT, "15:30:00")),
        "",
        "done and cancelled never"
    );

    remind_cmd(&b, &at(SAT, "15:31:00"))
        .args(["snooze", &call.to_string(), "today", "16:00"])
        .assert()
        .success();
    assert_eq!(sent(&b, &at(SAT, "15:59:00")), "");
    assert!(sent(&b, &at(SAT, "16:00:00")).starts_with("Call Ana Pereira · 16:00\n"));
    assert_eq!(sent(&b, &at(SAT, "16:05:00")), "");

    // Sending is bookkeeping: the newest change undo finds is still the snooze.
    let undone = remind_cmd(&b, &at(SAT, "16:06:00"))
        .arg("undo")
        .output()
        .expect("undo");
    assert!(undone.status.success());
    let listed = b.json(&["follow-up", "list"]);
    let due = listed
        .as_array()
        .and_then(|a| a.iter().find(|f| f["id"] == call))
        .map(|f| f["due_at"].clone());
    assert_eq!(due, Some(serde_json::json!("2026-12-05T15:00:00+00:00")));
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

#[test]
fn dry_run_and_json_say_what_without_recording_it() {
    let b = printing("");
    with_ana(&b);
    let id = follow_up(&b, &at(SAT, "09:00:00"), &["today", "10:00", "demo"]);
    let now = at(SAT, "10:00:00");
    let (code, out, _) = pass(&b, &now, &["--dry-run"]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "would send: Call Ana Pereira · 10:00\n  demo\n  Acme\n"
    );
    let (_, json, _) = pass(&b, &now, &["--dry-run", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(v[0]["follow_up_id"], id);
    assert_eq!(v[0]["kind"], "follow_up");
    assert_eq!(v[0]["summary"], "Call Ana Pereira · 10:00");
    assert_eq!(v[0]["body"], "demo\nAcme");
    assert_eq!(v[0]["urgency"], "normal");
    assert_eq!(v[0]["due_at"], "2026-12-05T10:00:00+00:00");
    assert_eq!(v[0]["via"], serde_json::json!(["print"]));
    // The dry runs recorded nothing: the real pass sends it, as JSON only.
    let (_, json, _) = pass(&b, &now, &["--json"]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(v.as_array().map(Vec::len), Some(1), "{json}");
    let (_, json, _) = pass(&b, &now, &["--json"]);
    assert_eq!(json.trim(), "[]");
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

#[test]
fn a_command_gets_hostile_text_as_plain_arguments_never_through_a_shell() {
    let b = Book::new();
    let log = b.file("args.log");
    let prog = script(b.dir.path(), "notify", &log, "exit 0");
    std::fs::write(&b.config, commanding(&prog)).expect("config");
    let evil = "$(touch pwned); `id` 'Ana' \"Bo\" & <b>";
    b.contact(&["--name", evil]);
    let out = remind_cmd(&b, &at(SAT, "09:00:00"))
        .args(["follow-up", "#1", "today", "10:00", "$HOME; exit 1"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let (code, _, err) = pass(&b, &at(SAT, "10:00:00"), &[]);
    assert_eq!(code, 0, "{err}");
    let args = std::fs::read_to_string(&log).expect("the command ran");
    assert_eq!(
        args,
        format!("--topic\nsales; rm -rf /\nCall {evil} · 10:00\n$HOME; exit 1\n")
    );
    assert!(!b.dir.path().join("pwned").exists());
    assert!(!Path::new("pwned").exists());
}

#[test]
fn a_failed_delivery_is_exit_1_with_the_reason_and_is_tried_again_next_pass() {
    let b = Book::new();
    let (log, gate, prog) = offline_command(&b, "ntfy.sh: network unreachable");
    std::fs::write(&b.config, commanding(&prog)).expect("config");
    with_ana(&b);
    follow_up(&b, &at(SAT, "09:00:00"), &["today", "10:00", "demo"]);
    let (code, _, err) = pass(&b, &at(SAT, "10:00:00"), &[]);
    assert_eq!(code, 1);
    assert!(
        err.contains("network unreachable") && err.contains("tries again"),
        "{err}"
    );
    // By number: the line reaches the journal or cron mail, outside the book.
    assert!(err.contains("follow-up #1 by command"), "{err}");
    assert!(!err.contains("Ana"), "{err}");
    std::fs::remove_file(&gate).expect("online");
    std::fs::write(&log, "").expect("log");
    let (code, _, err) = pass(&b, &at(SAT, "10:01:00"), &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        std::fs::read_to_string(&log)
            .expect("log")
            .contains("Call Ana Pereira · 10:00")
    );
    std::fs::write(&log, "").expect("log");
    assert_eq!(pass(&b, &at(SAT, "10:02:00"), &[]).0, 0);
    assert_eq!(std::fs::read_to_string(&log).expect("log"), "");
}

#[test]
fn passes_at_the_same_moment_send_each_reminder_once() {
    let b = Book::new();
    let log = b.file("args.log");
    // Slow delivery, so the passes overlap while one holds its claim.
    let prog = script(b.dir.path(), "notify", &log, "sleep 0.3");
    std::fs::write(&b.config, commanding(&prog)).expect("config");
    with_ana(&b);
    for t in ["10:00", "10:01", "10:02"] {
        follow_up(&b, &at(SAT, "09:00:00"), &["today", t, "call"]);
    }
    let now = at(SAT, "10:05:00");
    let runs: Vec<_> = (0..5)
        .map(|_| {
            let home = b.dir.path().join("home");
            StdCommand::new(assert_cmd::cargo::cargo_bin("salesdesk"))
                .arg("--db")
                .arg(&b.db)
                .arg("remind")
                .env("SALESDESK_NOW", &now)
                .env("TZ", "UTC")
                .env("SALESDESK_CONFIG", &b.config)
                .env("HOME", &home)
                .env("XDG_DATA_HOME", home.join(".local/share"))
                .spawn()
                .expect("spawn")
        })
        .collect();
    for mut r in runs {
        assert!(r.wait().expect("wait").success());
    }
    let lines = std::fs::read_to_string(&log).expect("log");
    let summaries: Vec<&str> = lines.lines().filter(|l| l.starts_with("Call ")).collect();
    assert_eq!(
        summaries,
        [
            "Call Ana Pereira · 10:00",
            "Call Ana Pereira · 10:01",
            "Call Ana Pereira · 10:02"
        ],
        "{lines}"
    );
}

#[test]
fn catch_up_bounds_how_far_back_a_late_pass_reaches() {
    let b = printing("");
    with_ana(&b);
    let made = at("2026-12-04", "20:00:00");
    follow_up(&b, &made, &["tomorrow", "01:00", "old"]);
    follow_up(&b, &made, &["tomorrow", "19:00", "recent"]);
    // The laptop wakes Saturday at 20:00: 19 h and 1 h late.
    let out = sent(&b, &at(SAT, "20:00:00"));
    assert!(out.contains("recent") && !out.contains("old"), "{out}");
    std::fs::write(
        &b.config,
        "[remind]\nvia = [\"print\"]\ncatch_up = \"1d\"\n",
    )
    .expect("config");
    let out = sent(&b, &at(SAT, "20:01:00"));
    assert!(out.contains("old") && !out.contains("recent"), "{out}");
}

#[test]
fn quiet_hours_hold_what_falls_due_and_release_it_when_they_end() {
    let b = printing("quiet = \"20:00-08:00\"\n");
    with_ana(&b);
    follow_up(&b, &at(SAT, "19:00:00"), &["today", "21:00", "late call"]);
    assert_eq!(sent(&b, &at(SAT, "21:01:00")), "");
    assert_eq!(sent(&b, &at("2026-12-06", "07:59:00")), "");
    let out = sent(&b, &at("2026-12-06", "08:00:00"));
    assert!(
        out.starts_with("Call Ana Pereira · Sat 5 Dec 21:00\n"),
        "{out}"
    );
    assert_eq!(sent(&b, &at("2026-12-06", "08:01:00")), "");
}

#[test]
fn the_morning_summary_goes_once_a_workday_with_the_first_items() {
    let b = printing("morning = \"08:30\"\n");
    with_ana(&b);
    let fri = "2026-12-04";
    follow_up(&b, &at("2026-12-03", "09:00:00"), &["today", "call back"]);
    follow_up(&b, &at(fri, "07:00:00"), &["today", "send the deck"]);
    follow_up(&b, &at(fri, "07:00:00"), &["today", "15:00", "pricing"]);
    assert_eq!(sent(&b, &at(fri, "08:29:00")), "");
    assert_eq!(
        sent(&b, &at(fri, "08:30:00")),
        "1 overdue · 2 today\n  Thu 3 Dec Ana Pereira: call back\n  Ana Pereira: send the deck\n  \
         15:00 Ana Pereira: pricing\n"
    );
    assert_eq!(sent(&b, &at(fri, "09:00:00")), "");
    assert_eq!(sent(&b, &at(SAT, "08:30:00")), "", "Saturday is no workday");
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

#[test]
fn a_daylight_saving_change_or_a_new_time_zone_neither_misses_nor_repeats() {
    // No morning summary in the way: the passes here are all before 23:59.
    let b = printing("morning = \"23:59\"\n");
    with_ana(&b);
    let berlin = "Europe/Berlin";
    // 25 Oct 2026: 03:00 CEST becomes 02:00 CET, so the wall clock shows 02:00-02:59 twice.
    // 01:50 CEST is 23:50Z the day before; 03:10 CET is 02:10Z.
    let day_before = "2026-10-24T20:00:00+00:00";
    in_zone(
        &b,
        berlin,
        day_before,
        &["follow-up", "ana", "tomorrow", "01:50", "first"],
    );
    in_zone(
        &b,
        berlin,
        day_before,
        &["follow-up", "ana", "tomorrow", "03:10", "second"],
    );
    let remind = ["remind"];
    assert!(in_zone(&b, berlin, "2026-10-24T23:51:00+00:00", &remind).contains("first"));
    assert_eq!(
        in_zone(&b, berlin, "2026-10-25T00:55:00+00:00", &remind),
        ""
    );
    // The hour again, in CET: nothing is sent twice, nothing early.
    assert_eq!(
        in_zone(&b, berlin, "2026-10-25T01:10:00+00:00", &remind),
        ""
    );
    let out = in_zone(&b, berlin, "2026-10-25T02:11:00+00:00", &remind);
    assert!(out.contains("second") && !out.contains("first"), "{out}");
    // 29 Mar 2026: 02:00 CET becomes 03:00 CEST; 03:15 CEST is 01:15Z.
    in_zone(
        &b,
        berlin,
        "2026-03-28T20:00:00+00:00",
        &["follow-up", "ana", "tomorrow", "03:15", "spring"],
    );
    assert_eq!(
        in_zone(&b, berlin, "2026-03-29T00:59:00+00:00", &remind),
        ""
    );
    assert!(in_zone(&b, berlin, "2026-03-29T01:16:00+00:00", &remind).contains("spring"));
    // The laptop flies to New York: the follow-up's instant is what counts, sent once.
    in_zone(
        &b,
        berlin,
        "2026-11-10T08:00:00+00:00",
        &["follow-up", "ana", "today", "15:00", "flight"],
    );
    assert_eq!(
        in_zone(&b, berlin, "2026-11-10T13:59:00+00:00", &remind),
        ""
    );
    let ny = "America/New_York";
    let out = in_zone(&b, ny, "2026-11-10T14:00:30+00:00", &remind);
    assert!(out.starts_with("Call Ana Pereira · 09:00\n"), "{out}");
    assert_eq!(
        in_zone(&b, berlin, "2026-11-10T14:01:00+00:00", &remind),
        ""
    );
}

#[test]
fn a_bad_remind_section_is_exit_2_naming_its_line() {
    let b = Book::with_config("[remind]\nvia = [\"desktop\", \"sms\"]\n");
    // The config is read before the book: every command stops on it, the pass too.
    for cmd in ["remind", "today"] {
        let err = b.fails(&[cmd], 2);
        assert!(err.contains("line 2") && err.contains("\"sms\""), "{err}");
    }
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
fn a_way_that_failed_is_retried_alone_while_the_others_do_not_repeat() {
    let b = Book::new();
    let (log, gate, prog) = offline_command(&b, "offline");
    std::fs::write(
        &b.config,
        format!(
            "[remind]\nvia = [\"print\", \"command\"]\ncommand = [{:?}]\n",
            prog.display().to_string()
        ),
    )
    .expect("config");
    with_ana(&b);
    follow_up(&b, &at(SAT, "09:00:00"), &["today", "10:00", "demo"]);
    let (code, out, _) = pass(&b, &at(SAT, "10:00:00"), &[]);
    assert_eq!(
        (code, out.as_str()),
        (1, "Call Ana Pereira · 10:00\n  demo\n  Acme\n")
    );
    let (code, out, _) = pass(&b, &at(SAT, "10:01:00"), &[]);
    assert_eq!(
        (code, out.as_str()),
        (1, ""),
        "printed once, the command tried again"
    );
    std::fs::remove_file(&gate).expect("online");
    std::fs::write(&log, "").expect("log");
    let (code, out, _) = pass(&b, &at(SAT, "10:02:00"), &[]);
    assert_eq!((code, out.as_str()), (0, ""));
    assert!(
        std::fs::read_to_string(&log)
            .expect("log")
            .contains("Call Ana Pereira · 10:00")
    );
    std::fs::write(&log, "").expect("log");
    assert_eq!(
        pass(&b, &at(SAT, "10:03:00"), &[]),
        (0, String::new(), String::new())
    );
    assert_eq!(std::fs::read_to_string(&log).expect("log"), "");
}

#[test]
fn a_follow_up_due_the_moment_quiet_hours_begin_is_sent_when_they_end() {
    // Quiet hours longer than catch_up: what fell due while they held still goes.
    let b = printing("quiet = \"20:00-08:00\"\ncatch_up = \"2h\"\n");
    with_ana(&b);
    follow_up(
        &b,
        &at(SAT, "19:00:00"),
        &["today", "20:00", "at the start"],
    );
    assert_eq!(sent(&b, &at(SAT, "20:00:00")), "");
    let out = sent(&b, &at("2026-12-06", "08:00:00"));
    assert!(out.contains("at the start"), "{out}");
}

#[test]
fn a_morning_with_nothing_due_is_done_and_sends_no_summary_later() {
    let b = printing("");
    with_ana(&b);
    let fri = "2026-12-04";
    assert_eq!(sent(&b, &at(fri, "08:30:00")), "");
    follow_up(&b, &at(fri, "10:00:00"), &["today", "16:00", "late add"]);
    assert_eq!(
        sent(&b, &at(fri, "10:05:00")),
        "",
        "no morning summary at 10:05"
    );
    assert!(sent(&b, &at(fri, "16:00:00")).starts_with("Call Ana Pereira · 16:00\n"));
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
