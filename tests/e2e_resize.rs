//! A storm of window resizes in a real terminal (tmux), down to 1×1, while keys arrive: the
//! desk stays alive and answers, then quits and gives the terminal back.

use std::time::{Duration, Instant};

mod e2e_support;
use e2e_support::*;

const RESIZES: usize = 300;

#[test]
fn a_resize_storm_down_to_one_cell_leaves_the_desk_alive() {
    if !tmux_present() {
        eprintln!("skipped: tmux is not installed (.ci/run installs it)");
        return;
    }
    let book = Book::new();
    for name in ["Ana Souza", "Bob Lee", "山田太郎", "Zoë Martin"] {
        book.cli(&["contact", "add", "--name", name, "--company", "Acme"]);
    }
    book.cli(&["follow-up", "ana", "today", "Pricing call"]);
    book.cli(&["deal", "add", "--title", "Rollout", "--contact", "bob"]);
    let t = Tmux::desk(&book);
    t.wait_for("TODAY (1)");
    let pid = t.run(&["display", "-p", "-t", "e2e", "#{pane_pid}"]);

    let mut rng = fastrand::Rng::with_seed(5);
    let started = Instant::now();
    for i in 0..RESIZES {
        let (w, h) = match i % 5 {
            0 => (1, 1),
            1 => (rng.u16(1..4), rng.u16(1..4)),
            2 => (rng.u16(200..320), rng.u16(60..100)),
            _ => (rng.u16(1..160), rng.u16(1..50)),
        };
        t.run(&[
            "resize-window",
            "-t",
            "e2e",
            "-x",
            &w.to_string(),
            "-y",
            &h.to_string(),
        ]);
        // Keys between resizes: each screen, the help, a popup, back.
        if i % 7 == 0 {
            let k = ["2", "3", "4", "1", "?", "Escape", "f", "Escape"][rng.usize(0..8)];
            t.keys(&[k]);
        }
        if i % 10 == 0 {
            std::thread::sleep(Duration::from_millis(rng.u64(0..30)));
        }
    }
    let storm = started.elapsed();

    // Still the desk, still on its screen, and it answers keys at a normal size again.
    t.run(&["resize-window", "-t", "e2e", "-x", "100", "-y", "30"]);
    t.keys(&["Escape", "Escape", "3"]);
    t.wait_for("Zoë Martin");
    t.keys(&["1"]);
    t.wait_for("Pricing call");
    assert_eq!(
        t.run(&["display", "-p", "-t", "e2e", "#{alternate_on}"])
            .trim(),
        "1",
        "the desk left its screen:\n{}",
        t.screen()
    );
    assert_eq!(
        t.run(&["display", "-p", "-t", "e2e", "#{pane_pid}"]),
        pid,
        "the pane was restarted"
    );
    let screen = t.screen();
    assert!(!screen.contains("panicked"), "{screen}");

    t.keys(&["q"]);
    t.wait_main_screen();
    // The shell gets the terminal back in canonical mode with echo, and salesdesk ended well.
    // (The markers are built by the shell so the typed line does not already hold them.)
    t.text("echo EXIT=$?; stty -a | grep -ow -- '-icanon\\|-echo' | sed 's/^/RAW:/'; echo STTY-$((1+1))-DONE");
    t.keys(&["Enter"]);
    let screen = t.wait_for("STTY-2-DONE");
    assert!(screen.contains("EXIT=0"), "{screen}");
    assert!(
        !screen.contains("RAW:-"),
        "the terminal was left raw:\n{screen}"
    );
    eprintln!("{RESIZES} resizes in {storm:?}");
}
