//! Reminders reach a real notification server: dunst on a virtual display (Xvfb), on a private
//! session bus (`dbus-run-session`), and what it received read back with `dunstctl history`.
//! Skipped, saying why, where these programs are missing; `.ci/run` installs them and sets
//! `SALESDESK_REQUIRE_NOTIFY=1`, so CI fails instead of skipping.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::Book;

const NEEDS: &[&str] = &["Xvfb", "dunst", "dunstctl", "dbus-run-session"];

fn missing() -> Vec<&'static str> {
    NEEDS
        .iter()
        .copied()
        .filter(|p| {
            !Command::new("sh")
                .arg("-c")
                .arg(format!("command -v {p}"))
                .stdout(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        })
        .collect()
}

/// A virtual display of its own, gone when dropped.
struct Display {
    child: Child,
    name: String,
}

impl Display {
    fn start() -> Display {
        // A display number no other test run on the machine picks at the same time.
        let n = 100 + std::process::id() % 800;
        let child = Command::new("Xvfb")
            .arg(format!(":{n}"))
            .args(["-screen", "0", "800x600x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb starts");
        let socket = format!("/tmp/.X11-unix/X{n}");
        let start = Instant::now();
        while !Path::new(&socket).exists() {
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "Xvfb :{n} did not start"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Display {
            child,
            name: format!(":{n}"),
        }
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The script run on the private bus: each step's passes, then everything dunst holds moved
/// to its history and the history printed after a `=== name` line.
fn script(b: &Book, steps: &[(&str, Vec<String>)]) -> String {
    let exe = assert_cmd::cargo::cargo_bin("salesdesk");
    let home = b.dir.path().join("home");
    let mut s = format!(
        "set -u\nexport TZ=UTC SALESDESK_DB='{}' SALESDESK_CONFIG='{}' HOME='{}'\n\
         sd() {{ '{}' \"$@\"; }}\n\
         # Ask dunst anything: the bus starts it on this display.\n\
         for i in $(seq 100); do dunstctl is-paused >/dev/null 2>&1 && break; sleep 0.1; done\n\
         settle() {{\n  for i in $(seq 100); do\n    dunstctl close-all\n    \
         [ \"$(dunstctl count displayed)\" = 0 ] && [ \"$(dunstctl count waiting)\" = 0 ] && break\n    \
         sleep 0.05\n  done\n}}\n",
        b.db.display(),
        b.config.display(),
        home.display(),
        exe.display()
    );
    for (name, commands) in steps {
        for c in commands {
            s.push_str(c);
            s.push('\n');
        }
        s.push_str(&format!("settle\necho '=== {name}'\ndunstctl history\n"));
    }
    s
}

/// Every notification dunst has received so far, oldest first, as (summary, body, appname).
fn history(section: &str) -> Vec<(String, String, String)> {
    let v: Value = serde_json::from_str(section).expect("dunstctl history is JSON");
    let mut all: Vec<(i64, String, String, String)> = v["data"][0]
        .as_array()
        .expect("a list")
        .iter()
        .map(|n| {
            let s = |k: &str| n[k]["data"].as_str().unwrap_or_default().to_string();
            (
                n["id"]["data"].as_i64().unwrap_or_default(),
                s("summary"),
                s("body"),
                s("appname"),
            )
        })
        .collect();
    all.sort();
    all.into_iter().map(|(_, s, b, a)| (s, b, a)).collect()
}

fn pass_at(now: &str) -> String {
    format!("SALESDESK_NOW={now} sd remind || echo \"remind failed: $?\"")
}

#[test]
fn reminders_reach_dunst_once_again_after_a_snooze_and_after_quiet_hours() {
    let gone = missing();
    if !gone.is_empty() {
        let why = format!("not installed: {}", gone.join(", "));
        assert!(
            std::env::var_os("SALESDESK_REQUIRE_NOTIFY").is_none(),
            "the notification test must run here, but {why}"
        );
        eprintln!("skipped: the notification server test needs {why}");
        return;
    }
    let b = Book::with_config("[remind]\nquiet = \"20:00-08:00\"\n");
    b.contact(&["--name", "Ana Pereira", "--company", "Acme & Co"]);
    let sat = |t: &str| format!("2026-12-05T{t}+00:00");
    let made = sat("14:00:00");
    let steps = vec![
        (
            "due",
            vec![
                format!("SALESDESK_NOW={made} sd follow-up ana today 15:00 pricing >/dev/null"),
                pass_at(&sat("14:59:00")),
                pass_at(&sat("15:00:30")),
            ],
        ),
        ("again", vec![pass_at(&sat("15:02:00"))]),
        (
            "snoozed",
            vec![
                format!(
                    "SALESDESK_NOW={} sd snooze 1 today 16:00 >/dev/null",
                    sat("15:03:00")
                ),
                pass_at(&sat("16:00:30")),
            ],
        ),
        (
            "quiet",
            vec![
                format!("SALESDESK_NOW={made} sd follow-up ana today 21:00 late call >/dev/null"),
                pass_at(&sat("21:01:00")),
                pass_at("2026-12-06T07:59:00+00:00"),
            ],
        ),
        ("released", vec![pass_at("2026-12-06T08:00:00+00:00")]),
    ];
    let script_path = b.file("session.sh");
    std::fs::write(&script_path, script(&b, &steps)).expect("script");
    let display = Display::start();
    let out = Command::new("dbus-run-session")
        .arg("--")
        .arg("bash")
        .arg(&script_path)
        .env("DISPLAY", &display.name)
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("dbus-run-session");
    drop(display);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        !text.contains("remind failed"),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sections: std::collections::HashMap<&str, Vec<(String, String, String)>> = text
        .split("=== ")
        .skip(1)
        .filter_map(|s| s.split_once('\n'))
        .map(|(name, json)| (name.trim(), history(json)))
        .collect();
    let at = |name: &str| {
        sections
            .get(name)
            .unwrap_or_else(|| panic!("no step {name} in:\n{text}"))
            .clone()
    };
    let due = at("due");
    assert_eq!(due.len(), 1, "{due:?}");
    let (summary, body, app) = &due[0];
    assert_eq!(summary, "Call Ana Pereira · 15:00");
    // dunst reads markup in bodies, so the company's `&` went as an entity.
    assert_eq!(body, "pricing\nAcme &amp; Co");
    assert_eq!(app, "salesdesk");
    assert_eq!(at("again").len(), 1, "a second pass sends nothing");
    let snoozed = at("snoozed");
    assert_eq!(snoozed.len(), 2);
    assert_eq!(snoozed[1].0, "Call Ana Pereira · 16:00");
    assert_eq!(at("quiet").len(), 2, "nothing in quiet hours");
    let released = at("released");
    assert_eq!(released.len(), 3);
    assert_eq!(released[2].0, "Call Ana Pereira · Sat 5 Dec 21:00");
}
