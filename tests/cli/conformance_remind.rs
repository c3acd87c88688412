//! The conformance suite for `salesdesk remind` (see `conformance.rs`): the passes of
//! tests/cli/remind.rs on a SQLite book and on a PostgreSQL one, overlapping passes included.
//! Left out: installing the timer (no book involved) and the pass that must not create a book
//! file.

use std::path::Path;
use std::process::Command as StdCommand;

use crate::remind::{
    SAT, at, commanding, follow_up, in_zone, offline_command, pass, remind_cmd, script, sent,
    with_ana,
};
use crate::support::{Book, conformance};

/// tests/cli/remind.rs `printing`: reminders printed, with `extra` more lines of `[remind]`.
fn printing_in(b: &Book, extra: &str) {
    b.configure(&format!("[remind]\nvia = [\"print\"]\n{extra}"));
}

conformance! {
    /// tests/cli/remind.rs `each_follow_up_is_sent_once_at_its_due_time_and_again_only_when_snoozed`.
    fn each_follow_up_is_sent_once_at_its_due_time_and_again_only_when_snoozed(b: &Book) {
    printing_in(b, "");
    with_ana(b);
    let morning = at(SAT, "14:00:00");
    let call = follow_up(b, &morning, &["today", "15:00", "pricing"]);
    let cancelled = follow_up(b, &morning, &["today", "15:10", "gone"]);
    let done = follow_up(b, &morning, &["today", "15:20", "done early"]);
    remind_cmd(b, &morning)
        .args(["follow-up", "cancel", &cancelled.to_string()])
        .assert()
        .success();
    remind_cmd(b, &morning)
        .args(["done", &done.to_string()])
        .assert()
        .success();

    assert_eq!(sent(b, &at(SAT, "14:59:59")), "", "nothing due: no output");
    assert_eq!(
        sent(b, &at(SAT, "15:00:30")),
        "Call Ana Pereira · 15:00\n  pricing\n  Acme\n"
    );
    assert_eq!(sent(b, &at(SAT, "15:01:30")), "", "sent once");
    assert_eq!(
        sent(b, &at(SAT, "15:30:00")),
        "",
        "done and cancelled never"
    );

    remind_cmd(b, &at(SAT, "15:31:00"))
        .args(["snooze", &call.to_string(), "today", "16:00"])
        .assert()
        .success();
    assert_eq!(sent(b, &at(SAT, "15:59:00")), "");
    assert!(sent(b, &at(SAT, "16:00:00")).starts_with("Call Ana Pereira · 16:00\n"));
    assert_eq!(sent(b, &at(SAT, "16:05:00")), "");

    // Sending is bookkeeping: the newest change undo finds is still the snooze.
    let undone = remind_cmd(b, &at(SAT, "16:06:00"))
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

    /// tests/cli/remind.rs `dry_run_and_json_say_what_without_recording_it`.
    fn dry_run_and_json_say_what_without_recording_it(b: &Book) {
    printing_in(b, "");
    with_ana(b);
    let id = follow_up(b, &at(SAT, "09:00:00"), &["today", "10:00", "demo"]);
    let now = at(SAT, "10:00:00");
    let (code, out, _) = pass(b, &now, &["--dry-run"]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "would send: Call Ana Pereira · 10:00\n  demo\n  Acme\n"
    );
    let (_, json, _) = pass(b, &now, &["--dry-run", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(v[0]["follow_up_id"], id);
    assert_eq!(v[0]["kind"], "follow_up");
    assert_eq!(v[0]["summary"], "Call Ana Pereira · 10:00");
    assert_eq!(v[0]["body"], "demo\nAcme");
    assert_eq!(v[0]["urgency"], "normal");
    assert_eq!(v[0]["due_at"], "2026-12-05T10:00:00+00:00");
    assert_eq!(v[0]["via"], serde_json::json!(["print"]));
    // The dry runs recorded nothing: the real pass sends it, as JSON only.
    let (_, json, _) = pass(b, &now, &["--json"]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(v.as_array().map(Vec::len), Some(1), "{json}");
    let (_, json, _) = pass(b, &now, &["--json"]);
    assert_eq!(json.trim(), "[]");
}

    /// tests/cli/remind.rs `a_command_gets_hostile_text_as_plain_arguments_never_through_a_shell`.
    fn a_command_gets_hostile_text_as_plain_arguments_never_through_a_shell(b: &Book) {
    let log = b.file("args.log");
    let prog = script(b.dir.path(), "notify", &log, "exit 0");
    std::fs::write(&b.config, commanding(&prog)).expect("config");
    let evil = "$(touch pwned); `id` 'Ana' \"Bo\" & <b>";
    b.contact(&["--name", evil]);
    let out = remind_cmd(b, &at(SAT, "09:00:00"))
        .args(["follow-up", "#1", "today", "10:00", "$HOME; exit 1"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let (code, _, err) = pass(b, &at(SAT, "10:00:00"), &[]);
    assert_eq!(code, 0, "{err}");
    let args = std::fs::read_to_string(&log).expect("the command ran");
    assert_eq!(
        args,
        format!("--topic\nsales; rm -rf /\nCall {evil} · 10:00\n$HOME; exit 1\n")
    );
    assert!(!b.dir.path().join("pwned").exists());
    assert!(!Path::new("pwned").exists());
}

    /// tests/cli/remind.rs `a_failed_delivery_is_exit_1_with_the_reason_and_is_tried_again_next_pass`.
    fn a_failed_delivery_is_exit_1_with_the_reason_and_is_tried_again_next_pass(b: &Book) {
    let (log, gate, prog) = offline_command(b, "ntfy.sh: network unreachable");
    std::fs::write(&b.config, commanding(&prog)).expect("config");
    with_ana(b);
    follow_up(b, &at(SAT, "09:00:00"), &["today", "10:00", "demo"]);
    let (code, _, err) = pass(b, &at(SAT, "10:00:00"), &[]);
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
    let (code, _, err) = pass(b, &at(SAT, "10:01:00"), &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        std::fs::read_to_string(&log)
            .expect("log")
            .contains("Call Ana Pereira · 10:00")
    );
    std::fs::write(&log, "").expect("log");
    assert_eq!(pass(b, &at(SAT, "10:02:00"), &[]).0, 0);
    assert_eq!(std::fs::read_to_string(&log).expect("log"), "");
}

    /// tests/cli/remind.rs `passes_at_the_same_moment_send_each_reminder_once`.
    fn passes_at_the_same_moment_send_each_reminder_once(b: &Book) {
    let log = b.file("args.log");
    // Slow delivery, so the passes overlap while one holds its claim.
    let prog = script(b.dir.path(), "notify", &log, "sleep 0.3");
    std::fs::write(&b.config, commanding(&prog)).expect("config");
    with_ana(b);
    for t in ["10:00", "10:01", "10:02"] {
        follow_up(b, &at(SAT, "09:00:00"), &["today", t, "call"]);
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

    /// tests/cli/remind.rs `catch_up_bounds_how_far_back_a_late_pass_reaches`.
    fn catch_up_bounds_how_far_back_a_late_pass_reaches(b: &Book) {
    printing_in(b, "");
    with_ana(b);
    let made = at("2026-12-04", "20:00:00");
    follow_up(b, &made, &["tomorrow", "01:00", "old"]);
    follow_up(b, &made, &["tomorrow", "19:00", "recent"]);
    // The laptop wakes Saturday at 20:00: 19 h and 1 h late.
    let out = sent(b, &at(SAT, "20:00:00"));
    assert!(out.contains("recent") && !out.contains("old"), "{out}");
    std::fs::write(
        &b.config,
        "[remind]\nvia = [\"print\"]\ncatch_up = \"1d\"\n",
    )
    .expect("config");
    let out = sent(b, &at(SAT, "20:01:00"));
    assert!(out.contains("old") && !out.contains("recent"), "{out}");
}

    /// tests/cli/remind.rs `quiet_hours_hold_what_falls_due_and_release_it_when_they_end`.
    fn quiet_hours_hold_what_falls_due_and_release_it_when_they_end(b: &Book) {
    printing_in(b, "quiet = \"20:00-08:00\"\n");
    with_ana(b);
    follow_up(b, &at(SAT, "19:00:00"), &["today", "21:00", "late call"]);
    assert_eq!(sent(b, &at(SAT, "21:01:00")), "");
    assert_eq!(sent(b, &at("2026-12-06", "07:59:00")), "");
    let out = sent(b, &at("2026-12-06", "08:00:00"));
    assert!(
        out.starts_with("Call Ana Pereira · Sat 5 Dec 21:00\n"),
        "{out}"
    );
    assert_eq!(sent(b, &at("2026-12-06", "08:01:00")), "");
}

    /// tests/cli/remind.rs `the_morning_summary_goes_once_a_workday_with_the_first_items`.
    fn the_morning_summary_goes_once_a_workday_with_the_first_items(b: &Book) {
    printing_in(b, "morning = \"08:30\"\n");
    with_ana(b);
    let fri = "2026-12-04";
    follow_up(b, &at("2026-12-03", "09:00:00"), &["today", "call back"]);
    follow_up(b, &at(fri, "07:00:00"), &["today", "send the deck"]);
    follow_up(b, &at(fri, "07:00:00"), &["today", "15:00", "pricing"]);
    assert_eq!(sent(b, &at(fri, "08:29:00")), "");
    assert_eq!(
        sent(b, &at(fri, "08:30:00")),
        "1 overdue · 2 today\n  Thu 3 Dec Ana Pereira: call back\n  Ana Pereira: send the deck\n  \
         15:00 Ana Pereira: pricing\n"
    );
    assert_eq!(sent(b, &at(fri, "09:00:00")), "");
    assert_eq!(sent(b, &at(SAT, "08:30:00")), "", "Saturday is no workday");
}

    /// tests/cli/remind.rs `a_daylight_saving_change_or_a_new_time_zone_neither_misses_nor_repeats`.
    fn a_daylight_saving_change_or_a_new_time_zone_neither_misses_nor_repeats(b: &Book) {
    // No morning summary in the way: the passes here are all before 23:59.
    printing_in(b, "morning = \"23:59\"\n");
    with_ana(b);
    let berlin = "Europe/Berlin";
    // 25 Oct 2026: 03:00 CEST becomes 02:00 CET, so the wall clock shows 02:00-02:59 twice.
    // 01:50 CEST is 23:50Z the day before; 03:10 CET is 02:10Z.
    let day_before = "2026-10-24T20:00:00+00:00";
    in_zone(
        b,
        berlin,
        day_before,
        &["follow-up", "ana", "tomorrow", "01:50", "first"],
    );
    in_zone(
        b,
        berlin,
        day_before,
        &["follow-up", "ana", "tomorrow", "03:10", "second"],
    );
    let remind = ["remind"];
    assert!(in_zone(b, berlin, "2026-10-24T23:51:00+00:00", &remind).contains("first"));
    assert_eq!(
        in_zone(b, berlin, "2026-10-25T00:55:00+00:00", &remind),
        ""
    );
    // The hour again, in CET: nothing is sent twice, nothing early.
    assert_eq!(
        in_zone(b, berlin, "2026-10-25T01:10:00+00:00", &remind),
        ""
    );
    let out = in_zone(b, berlin, "2026-10-25T02:11:00+00:00", &remind);
    assert!(out.contains("second") && !out.contains("first"), "{out}");
    // 29 Mar 2026: 02:00 CET becomes 03:00 CEST; 03:15 CEST is 01:15Z.
    in_zone(
        b,
        berlin,
        "2026-03-28T20:00:00+00:00",
        &["follow-up", "ana", "tomorrow", "03:15", "spring"],
    );
    assert_eq!(
        in_zone(b, berlin, "2026-03-29T00:59:00+00:00", &remind),
        ""
    );
    assert!(in_zone(b, berlin, "2026-03-29T01:16:00+00:00", &remind).contains("spring"));
    // The laptop flies to New York: the follow-up's instant is what counts, sent once.
    in_zone(
        b,
        berlin,
        "2026-11-10T08:00:00+00:00",
        &["follow-up", "ana", "today", "15:00", "flight"],
    );
    assert_eq!(
        in_zone(b, berlin, "2026-11-10T13:59:00+00:00", &remind),
        ""
    );
    let ny = "America/New_York";
    let out = in_zone(b, ny, "2026-11-10T14:00:30+00:00", &remind);
    assert!(out.starts_with("Call Ana Pereira · 09:00\n"), "{out}");
    assert_eq!(
        in_zone(b, berlin, "2026-11-10T14:01:00+00:00", &remind),
        ""
    );
}

    /// tests/cli/remind.rs `a_bad_remind_section_is_exit_2_naming_its_line`.
    fn a_bad_remind_section_is_exit_2_naming_its_line(b: &Book) {
    b.configure("[remind]\nvia = [\"desktop\", \"sms\"]\n");
    // The config is read before the book: every command stops on it, the pass too.
    for cmd in ["remind", "today"] {
        let err = b.fails(&[cmd], 2);
        assert!(err.contains("line 2") && err.contains("\"sms\""), "{err}");
    }
}

    /// tests/cli/remind.rs `a_way_that_failed_is_retried_alone_while_the_others_do_not_repeat`.
    fn a_way_that_failed_is_retried_alone_while_the_others_do_not_repeat(b: &Book) {
    let (log, gate, prog) = offline_command(b, "offline");
    std::fs::write(
        &b.config,
        format!(
            "[remind]\nvia = [\"print\", \"command\"]\ncommand = [{:?}]\n",
            prog.display().to_string()
        ),
    )
    .expect("config");
    with_ana(b);
    follow_up(b, &at(SAT, "09:00:00"), &["today", "10:00", "demo"]);
    let (code, out, _) = pass(b, &at(SAT, "10:00:00"), &[]);
    assert_eq!(
        (code, out.as_str()),
        (1, "Call Ana Pereira · 10:00\n  demo\n  Acme\n")
    );
    let (code, out, _) = pass(b, &at(SAT, "10:01:00"), &[]);
    assert_eq!(
        (code, out.as_str()),
        (1, ""),
        "printed once, the command tried again"
    );
    std::fs::remove_file(&gate).expect("online");
    std::fs::write(&log, "").expect("log");
    let (code, out, _) = pass(b, &at(SAT, "10:02:00"), &[]);
    assert_eq!((code, out.as_str()), (0, ""));
    assert!(
        std::fs::read_to_string(&log)
            .expect("log")
            .contains("Call Ana Pereira · 10:00")
    );
    std::fs::write(&log, "").expect("log");
    assert_eq!(
        pass(b, &at(SAT, "10:03:00"), &[]),
        (0, String::new(), String::new())
    );
    assert_eq!(std::fs::read_to_string(&log).expect("log"), "");
}

    /// tests/cli/remind.rs `a_follow_up_due_the_moment_quiet_hours_begin_is_sent_when_they_end`.
    fn a_follow_up_due_the_moment_quiet_hours_begin_is_sent_when_they_end(b: &Book) {
    // Quiet hours longer than catch_up: what fell due while they held still goes.
    printing_in(b, "quiet = \"20:00-08:00\"\ncatch_up = \"2h\"\n");
    with_ana(b);
    follow_up(
        b,
        &at(SAT, "19:00:00"),
        &["today", "20:00", "at the start"],
    );
    assert_eq!(sent(b, &at(SAT, "20:00:00")), "");
    let out = sent(b, &at("2026-12-06", "08:00:00"));
    assert!(out.contains("at the start"), "{out}");
}

    /// tests/cli/remind.rs `a_morning_with_nothing_due_is_done_and_sends_no_summary_later`.
    fn a_morning_with_nothing_due_is_done_and_sends_no_summary_later(b: &Book) {
    printing_in(b, "");
    with_ana(b);
    let fri = "2026-12-04";
    assert_eq!(sent(b, &at(fri, "08:30:00")), "");
    follow_up(b, &at(fri, "10:00:00"), &["today", "16:00", "late add"]);
    assert_eq!(
        sent(b, &at(fri, "10:05:00")),
        "",
        "no morning summary at 10:05"
    );
    assert!(sent(b, &at(fri, "16:00:00")).starts_with("Call Ana Pereira · 16:00\n"));
}
}
