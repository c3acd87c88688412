//! The real binary in a real terminal (tmux): a day's work through the keys, then the book
//! checked through the CLI, and the terminal checked to be back in its normal modes.

use std::process::Command;

use serde_json::Value;

use crate::support::tmux::*;

fn prepare(book: &Book) {
    for (name, company) in [
        ("Ana Souza", "Acme"),
        ("Eve Adams", "Hooli"),
        ("Yuki Tanaka", "Tanaka KK"),
        ("Bob Lee", "Globex"),
        ("Carla Diaz", "Initech"),
        ("Dana Whitfield", "Umbrella"),
    ] {
        book.cli(&["contact", "add", "--name", name, "--company", company]);
    }
    book.cli(&[
        "deal",
        "add",
        "--title",
        "Acme rollout",
        "--contact",
        "ana",
        "--value",
        "12000",
    ]);
    book.cli(&[
        "follow-up",
        "ana",
        "2026-11-20",
        "Pricing call",
        "--deal",
        "1",
    ]);
    book.cli(&["follow-up", "eve", "2026-11-21", "Intro call"]);
    book.cli(&[
        "follow-up",
        "yuki",
        "today",
        "Visit the office",
        "--kind",
        "meeting",
    ]);
    book.cli(&["follow-up", "bob", "today", "8am", "Send the proposal"]);
    book.cli(&["follow-up", "carla", "today", "10am", "Check the contract"]);
    book.cli(&["follow-up", "dana", "tomorrow", "2pm", "Check in"]);
}

fn follow_up<'a>(list: &'a Value, text: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|f| f["text"] == text)
        .unwrap_or_else(|| panic!("no {text} in {list:#}"))
}

#[test]
fn a_days_work_in_a_real_terminal() {
    if !tmux_present() {
        eprintln!("skipped: tmux is not installed (.ci/run installs it)");
        return;
    }
    let book = Book::with_config(CONFIG);
    prepare(&book);
    let t = Tmux::desk(&book);
    t.wait_for("OVERDUE (2)");
    assert_eq!(
        t.run(&["display", "-p", "-t", "e2e", "#{alternate_on}"])
            .trim(),
        "1"
    );

    // Ana's overdue call, selected at start: done.
    t.keys(&["x"]);
    t.wait_for("done: call with Ana Souza");
    // Eve's call is first now: snooze it to tomorrow.
    t.keys(&["s"]);
    t.wait_for("type a WHEN");
    t.keys(&["1"]);
    t.wait_for("snoozed call with Eve Adams to tomorrow");
    // The selection moved on to the next row, as after `x`; back to Eve, now second to last
    // (tomorrow), for a note.
    t.wait_for("UPCOMING · 7 DAYS (2)");
    t.keys(&["G", "k", "n"]);
    t.wait_for("Contact  Eve Adams");
    t.text("Sent the brochure x q");
    t.keys(&["Enter"]);
    t.wait_for("note saved on Eve Adams");
    // Log Yuki's meeting, first of today: `c` logs what the follow-up is.
    t.keys(&["g"]);
    t.keys(&["c"]);
    t.wait_for("Log a meeting with Yuki Tanaka");
    t.text("Discussed pricing");
    t.keys(&["Enter"]);
    t.wait_for("meeting with Yuki Tanaka logged");
    // Call mode: Bob, then Carla.
    t.keys(&["F"]);
    t.wait_for("2 left");
    t.wait_for("Bob Lee · Globex");
    t.keys(&["c"]);
    t.wait_for("Step 2/3");
    t.text("Will sign on Friday");
    t.keys(&["Enter"]);
    t.wait_for("Step 3/3");
    t.keys(&["1"]);
    t.wait_for("Carla Diaz · Initech");
    t.wait_for("1 left");
    t.keys(&["v"]);
    t.wait_for("Step 2/3");
    t.keys(&["Enter"]);
    t.wait_for("Step 3/3");
    t.keys(&["0"]);
    t.wait_for("Nothing left to call");
    t.keys(&["Escape"]);
    t.wait_for("UPCOMING");
    t.keys(&["q"]);

    // The terminal is back: main screen, cooked mode with echo.
    t.wait_main_screen();
    t.text("stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo -e -icanon -e -echo | sed 's/^/mode:/'; echo modes-$((40 + 2))");
    t.keys(&["Enter"]);
    // The output, not the echo of the typed line.
    let s = t.wait_for("modes-42");
    assert!(s.contains("mode:icanon") && s.contains("mode:echo"), "{s}");
    assert!(
        !s.contains("mode:-icanon") && !s.contains("mode:-echo"),
        "{s}"
    );

    // The book, through the CLI.
    let all = book.json(&["follow-up", "list", "--json"]);
    assert_eq!(follow_up(&all, "Pricing call")["status"], "done");
    assert_eq!(follow_up(&all, "Intro call")["due_at"], "2026-11-24");
    assert_eq!(follow_up(&all, "Intro call")["status"], "upcoming");
    assert_eq!(follow_up(&all, "Visit the office")["status"], "done");
    assert_eq!(follow_up(&all, "Send the proposal")["status"], "done");
    assert_eq!(follow_up(&all, "Check the contract")["status"], "done");
    assert_eq!(follow_up(&all, "Check in")["status"], "upcoming");

    let eve = book.json(&["contact", "show", "eve", "--json"]);
    assert_eq!(eve["notes"][0]["body"], "Sent the brochure x q");
    assert_eq!(eve["notes"][0]["kind"], "note");

    let yuki = book.json(&["contact", "show", "yuki", "--json"]);
    assert_eq!(yuki["notes"][0]["body"], "Discussed pricing");
    assert_eq!(yuki["notes"][0]["kind"], "meeting");
    assert_eq!(yuki["notes"][0]["outcome"], "held");
    assert_eq!(yuki["follow_ups"][0]["due_at"], "2026-11-25");

    let bob = book.json(&["contact", "show", "bob", "--json"]);
    assert_eq!(bob["notes"][0]["body"], "Will sign on Friday");
    assert_eq!(bob["notes"][0]["outcome"], "connected");
    assert_eq!(bob["follow_ups"][0]["due_at"], "2026-11-24");

    let carla = book.json(&["contact", "show", "carla", "--json"]);
    assert_eq!(carla["notes"][0]["outcome"], "voicemail");
    assert_eq!(carla["follow_ups"].as_array().unwrap().len(), 0);

    let today = book.json(&["today", "--json"]);
    assert_eq!(today["overdue"].as_array().unwrap().len(), 0);
    assert_eq!(today["today"].as_array().unwrap().len(), 0);
}

#[test]
fn sigterm_ends_it_cleanly_and_gives_the_terminal_back() {
    if !tmux_present() {
        eprintln!("skipped: tmux is not installed (.ci/run installs it)");
        return;
    }
    let book = Book::with_config(CONFIG);
    prepare(&book);
    let t = Tmux::server(format!("salesdesk-e2e-term-{}", std::process::id()));
    let cmd = desk_command(&book, "");
    t.run(&[
        "new-session",
        "-d",
        "-s",
        "e2e",
        "-x",
        "80",
        "-y",
        "24",
        "sh",
        "-c",
        // The shell stays to report how salesdesk ended (tmux's own exit status of a pane
        // is not always filled in) and what mode the terminal was left in.
        &format!("{cmd}; echo EXIT=$?; stty -a | grep -o -- '-icanon' ; echo STTY-DONE; sleep 30"),
    ]);
    t.wait_for("OVERDUE (2)");
    let shell = t.run(&["display", "-p", "-t", "e2e", "#{pane_pid}"]);
    let pid = Command::new("pgrep")
        .args(["-P", shell.trim()])
        .output()
        .unwrap();
    let pid = String::from_utf8_lossy(&pid.stdout).trim().to_string();
    assert!(
        !pid.is_empty(),
        "salesdesk is not running under the pane's shell"
    );
    let killed = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(killed.success());
    // Exit status 0 means the loop ended on the signal and the guard ran; a death by the
    // signal itself would read 143. The terminal is back in canonical mode (no -icanon).
    let screen = t.wait_for("STTY-DONE");
    assert!(
        screen.contains("EXIT=0"),
        "salesdesk did not end cleanly:\n{screen}"
    );
    assert!(
        !screen.contains("-icanon"),
        "the terminal was left in raw mode:\n{screen}"
    );
    assert_eq!(
        t.run(&["display", "-p", "-t", "e2e", "#{alternate_on}"])
            .trim(),
        "0"
    );
}

/// Whether a salesdesk process is still running on `book`'s file.
fn running_on(book: &Book) -> bool {
    Command::new("pgrep")
        .args(["-f", &book.db.display().to_string()])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Closes the terminal under a running desk and waits for the process to end. `wrap` is put
/// in front of the command: `setsid -w` starts it in a session of its own, so it gets no
/// SIGHUP and only finds out from the terminal itself (as a desk started from a script does).
fn closing_the_terminal_ends_it(wrap: &str) {
    if !tmux_present() {
        eprintln!("skipped: tmux is not installed (.ci/run installs it)");
        return;
    }
    let book = Book::with_config(CONFIG);
    prepare(&book);
    let t = Tmux::server(format!(
        "salesdesk-e2e-hup-{}-{}",
        std::process::id(),
        wrap.len()
    ));
    let cmd = desk_command(&book, wrap);
    t.run(&[
        "new-session",
        "-d",
        "-s",
        "e2e",
        "-x",
        "80",
        "-y",
        "24",
        &cmd,
    ]);
    t.wait_for("OVERDUE (2)");
    assert!(running_on(&book));
    t.run(&["kill-server"]);
    let start = std::time::Instant::now();
    while running_on(&book) {
        if start.elapsed() > std::time::Duration::from_secs(10) {
            let _ = Command::new("pkill")
                .args(["-KILL", "-f", &book.db.display().to_string()])
                .status();
            panic!("salesdesk kept running 10 s after its terminal was closed");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn closing_the_window_ends_it() {
    closing_the_terminal_ends_it("");
}

#[test]
fn a_hung_up_terminal_ends_it_without_a_signal() {
    closing_the_terminal_ends_it("setsid -w");
}
