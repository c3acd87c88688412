//! `export`: CSV with the formula guard, vCard 4.0, iCalendar, files 0600.

use std::os::unix::fs::PermissionsExt;

use crate::support::{Book, strs};

fn mode(p: &std::path::Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

fn sample() -> Book {
    let b = Book::new();
    b.ok(&[
        "contact",
        "add",
        "--name",
        "=cmd|' /C calc'!A0",
        "--phone",
        "+1 555 0100",
        "--company",
        "@Evil",
        "--email",
        "evil@x.example",
    ]);
    b.ok(&[
        "contact",
        "add",
        "--name",
        "Ana Pereira",
        "--company",
        "Acme, Inc.",
        "--email",
        "ana@acme.example",
        "--email",
        "ana@home.example",
        "--tag",
        "vip",
        "--title",
        "VP",
    ]);
    b.ok(&[
        "deal",
        "add",
        "--title=-Rollout",
        "--contact",
        "ana",
        "--value",
        "12000.50",
    ]);
    b.ok(&[
        "note",
        "ana",
        "Line one\nline two, with a comma",
        "--kind",
        "call",
        "--outcome",
        "connected",
    ]);
    b.ok(&["follow-up", "ana", "tomorrow", "send pricing"]);
    b.ok(&["follow-up", "ana", "fri", "3pm", "call back"]);
    b.ok(&["follow-up", "ana", "mon", "done soon"]);
    b.ok(&["done", "3"]);
    b
}

#[test]
fn csv_formula_guard_both_ways() {
    let b = sample();
    let out = b.ok(&["export", "--format", "csv", "--what", "contacts"]);
    let mut lines = out.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("id,name,company,title,emails,phones,tags")
    );
    assert!(out.contains("'=cmd|' /C calc'!A0"), "{out}");
    assert!(out.contains("'+1 555 0100"), "{out}");
    assert!(out.contains("'@Evil"), "{out}");
    assert!(out.contains("\"Acme, Inc.\""), "{out}");
    assert!(out.contains("ana@acme.example; ana@home.example"), "{out}");
    let deals = b.ok(&["export", "--format", "csv", "--what", "deals"]);
    assert!(deals.contains("'-Rollout"), "{deals}");
    assert!(deals.contains("12000.50,1200050,USD"), "{deals}");

    // Re-imported, the guard comes off again.
    let file = b.file("contacts.csv");
    std::fs::write(&file, &out).unwrap();
    let c = Book::new();
    let o = c.ok(&["import", file.to_str().unwrap()]);
    assert!(
        o.contains("imported 2, merged 0, skipped 0 duplicates, invalid 0"),
        "{o}"
    );
    let evil = c.contact_named("=cmd|' /C calc'!A0");
    assert_eq!(strs(&evil["phones"]), ["+1 555 0100"]);
    assert_eq!(evil["company"], "@Evil");
    let ana = c.contact_named("Ana Pereira");
    assert_eq!(
        strs(&ana["emails"]),
        ["ana@acme.example", "ana@home.example"]
    );
    assert_eq!(strs(&ana["tags"]), ["vip"]);
    assert_eq!(ana["title"], "VP");
    assert_eq!(ana["company"], "Acme, Inc.");
}

#[test]
fn csv_of_every_kind_needs_a_folder() {
    let b = sample();
    let (code, _, err) = b.run(&["export", "--format", "csv"]);
    assert_eq!(code, 2);
    assert!(err.contains("-o FOLDER"), "{err}");
    let dir = b.file("out");
    let out = b.ok(&["export", "--format", "csv", "-o", dir.to_str().unwrap()]);
    assert!(out.contains("contacts.csv"), "{out}");
    for f in ["contacts.csv", "deals.csv", "follow-ups.csv", "notes.csv"] {
        let p = dir.join(f);
        assert_eq!(mode(&p), 0o600, "{f}");
    }
    let notes = std::fs::read_to_string(dir.join("notes.csv")).unwrap();
    assert!(
        notes.contains("\"Line one\nline two, with a comma\""),
        "{notes}"
    );
    let fus = std::fs::read_to_string(dir.join("follow-ups.csv")).unwrap();
    assert!(fus.contains("2026-11-24,yes"), "{fus}");
    assert!(fus.contains(",done,"), "{fus}");
}

#[test]
fn files_are_private() {
    let b = sample();
    for (fmt, name) in [("json", "b.json"), ("vcf", "b.vcf"), ("ics", "b.ics")] {
        let p = b.file(name);
        // An existing world-readable file is made private too.
        std::fs::write(&p, "old").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
        b.ok(&["export", "--format", fmt, "-o", p.to_str().unwrap()]);
        assert_eq!(mode(&p), 0o600, "{fmt}");
    }
    // The format follows -o's extension when not given.
    let p = b.file("x.vcf");
    b.ok(&["export", "-o", p.to_str().unwrap()]);
    assert!(
        std::fs::read_to_string(&p)
            .unwrap()
            .starts_with("BEGIN:VCARD")
    );
}

#[test]
fn vcard_export_reads_back() {
    let b = sample();
    let vcf = b.ok(&["export", "--format", "vcf"]);
    assert_eq!(vcf.matches("BEGIN:VCARD\r\n").count(), 2, "{vcf}");
    assert!(vcf.contains("VERSION:4.0\r\n"), "{vcf}");
    assert!(vcf.contains("FN:Ana Pereira\r\n"), "{vcf}");
    assert!(vcf.contains("N:Pereira;Ana;;;\r\n"), "{vcf}");
    assert!(
        vcf.contains("ORG:Acme\\, Inc.\r\n") || vcf.contains("ORG:Acme, Inc.\r\n"),
        "{vcf}"
    );
    let file = b.file("all.vcf");
    std::fs::write(&file, &vcf).unwrap();
    let c = Book::new();
    c.ok(&["import", file.to_str().unwrap()]);
    let ana = c.contact_named("Ana Pereira");
    assert_eq!(
        strs(&ana["emails"]),
        ["ana@acme.example", "ana@home.example"]
    );
    assert_eq!(strs(&ana["tags"]), ["vip"]);
    assert_eq!(ana["title"], "VP");
    assert_eq!(ana["company"], "Acme, Inc.");
    let (code, _, _) = b.run(&["export", "--format", "vcf", "--what", "deals"]);
    assert_eq!(code, 2);
}

#[test]
fn ics_has_open_follow_ups_with_stable_uids() {
    let b = sample();
    let ics = b.ok(&["export", "--format", "ics"]);
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"), "{ics}");
    assert!(ics.trim_end().ends_with("END:VCALENDAR"), "{ics}");
    assert_eq!(
        ics.matches("BEGIN:VEVENT").count(),
        2,
        "the done one is left out: {ics}"
    );
    assert_eq!(ics.matches("BEGIN:VALARM").count(), 2, "{ics}");
    // All-day: a date, ending (exclusively) the next day.
    assert!(ics.contains("DTSTART;VALUE=DATE:20261124"), "{ics}");
    assert!(ics.contains("DTEND;VALUE=DATE:20261125"), "{ics}");
    // Timed: Friday 15:00 (UTC here).
    assert!(ics.contains("DTSTART:20261127T150000Z"), "{ics}");
    assert!(ics.contains("UID:follow-up-1@salesdesk"), "{ics}");
    assert!(ics.contains("UID:follow-up-2@salesdesk"), "{ics}");
    // Exported again after a change: the same UID, a higher SEQUENCE.
    b.ok(&["snooze", "1", "dec 1"]);
    let again = b.ok(&["export", "--format", "ics"]);
    assert!(again.contains("UID:follow-up-1@salesdesk"), "{again}");
    assert!(again.contains("DTSTART;VALUE=DATE:20261201"), "{again}");
    assert!(again.contains("SEQUENCE:2"), "{again}");
    assert!(
        ics.lines().all(|l| l.len() <= 75),
        "lines are folded: {ics}"
    );
}
