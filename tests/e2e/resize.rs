//! A storm of window resizes in a real terminal (tmux), down to 1×1, while keys arrive: the
//! desk stays alive and answers, then quits and gives the terminal back.

use std::time::{Duration, Instant};

use crate::support::tmux::*;

const RESIZES: usize = 300;

#[test]
fn a_resize_storm_down_to_one_cell_leaves_the_desk_alive() {
    if !tmux_present() {
        eprintln!("skipped: tmux is not installed (.ci/run installs it)");
        return;
    }
    let book = Book::with_config(CONFIG);
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
    // The session wrote no log or state file: the book, and the day's backup, private.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let dir = book.db.parent().unwrap();
        let mut seen = Vec::new();
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            match name.as_str() {
                "config.toml" => {}
                "backups" => {
                    assert_eq!(mode(&e.path()), 0o700);
                    for b in std::fs::read_dir(e.path()).unwrap().flatten() {
                        let n = b.file_name().to_string_lossy().into_owned();
                        assert!(
                            n.starts_with("salesdesk-") && n.ends_with("-daily.db"),
                            "{n}"
                        );
                        assert_eq!(mode(&b.path()), 0o600, "{n}");
                        seen.push(n);
                    }
                }
                n if n.starts_with("book.db") => assert_eq!(mode(&e.path()), 0o600, "{n}"),
                n => panic!("the session left {n}"),
            }
        }
        assert_eq!(seen.len(), 1, "the day's backup: {seen:?}");
        // Nor anything beside the data folder (the temporary folder holds only it and the
        // config the test may write).
        for e in std::fs::read_dir(book.dir.path()).unwrap().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            assert!(
                name == "config.toml" || e.path() == dir,
                "the session left {name} beside the data folder"
            );
        }
    }
    eprintln!("{RESIZES} resizes in {storm:?}");
}
