//! The report's queries cut to one owner, in SQLite's dialect. A personal book never asks for
//! a cut (its one user owns every row), so these texts run on a server only; here they run on
//! a book whose rows were given two owners by hand, each figure's rows in different numbers,
//! so that every cut query is shown to read its owner's rows and no one else's.

use chrono::TimeZone;

use salesdesk::clock::Clock;
use salesdesk::domain::contact::ContactFields;
use salesdesk::domain::deal::NewDeal;
use salesdesk::domain::note::{NoteKind, Outcome};
use salesdesk::ops::Desk;
use salesdesk::ops::notes::NoteInput;
use salesdesk::storage::{Snapshot, referrals, report as q, report_reps};

/// Ana has one of each row, Bo two.
fn book() -> Desk {
    let now = chrono::Local
        .with_ymd_and_hms(2026, 11, 23, 9, 0, 0)
        .unwrap();
    let mut d = Desk::in_memory(Clock::fixed(now)).unwrap();
    for (who, n) in [("ana", 1), ("bo", 2)] {
        for i in 0..n {
            let lead = d
                .add_contact(&ContactFields {
                    name: Some(format!("{who} {i}")),
                    source: Some(Some("event".into())),
                    ..Default::default()
                })
                .unwrap();
            let referred = d
                .add_contact(&ContactFields {
                    name: Some(format!("{who} referred {i}")),
                    ..Default::default()
                })
                .unwrap();
            d.db.conn_for_tests()
                .execute(
                    "UPDATE contacts SET referred_by = ?1 WHERE id = ?2",
                    [lead, referred],
                )
                .unwrap();
            let deal = |d: &mut Desk, title: &str| {
                d.add_deal(&NewDeal {
                    title: format!("{who} {title} {i}"),
                    contact_id: lead,
                    value_cents: 100_000,
                    currency: "USD".into(),
                    stage: "Lead".into(),
                    expected_close: Some("2026-12-10".into()),
                })
                .unwrap()
            };
            deal(&mut d, "open");
            let won = deal(&mut d, "won");
            d.win_deal(won, None).unwrap();
            let mut call = NoteInput::new(lead, "rang");
            call.kind = NoteKind::Call;
            call.outcome = Some(Outcome::Connected);
            d.log_note(&call).unwrap();
        }
        let c = d.db.conn_for_tests();
        for sql in [
            "UPDATE contacts SET owner = ?1 WHERE owner = 'me'",
            "UPDATE deals SET owner = ?1 WHERE owner = 'me'",
            "UPDATE notes SET author = ?1 WHERE author = 'me'",
        ] {
            c.execute(sql, [who]).unwrap();
        }
    }
    d
}

/// Each cut figure of `owner` (None: every row), by name.
fn figures(c: &Snapshot, owner: Option<&str>) -> Vec<(&'static str, i64)> {
    let since = "2026-01-01T00:00:00Z";
    let open = q::open_deals(c, &[], owner).unwrap();
    let closed = q::closed_since(c, since, owner).unwrap();
    let stays = q::stage_days(c, since, owner).unwrap();
    let sources = q::sources(c, "USD", owner).unwrap();
    let notes = q::note_counts(c, since, "2027-01-01T00:00:00Z", owner).unwrap();
    let refs = referrals::top_referrers(c, "USD", 10, owner).unwrap();
    let reps = report_reps::reps(c, since, "USD", owner).unwrap();
    vec![
        ("open", open.iter().map(|g| g.count).sum()),
        ("closed", closed.iter().map(|g| g.count).sum()),
        ("stays", stays.iter().map(|s| s.stays).sum()),
        ("contacts", sources.iter().map(|s| s.contacts).sum()),
        (
            "won by source",
            sources.iter().map(|s| s.won_cents as i64).sum(),
        ),
        ("calls", notes.call),
        ("connected", notes.calls_connected),
        ("referred", refs.iter().map(|r| r.referred).sum()),
        ("reps' won", reps.iter().map(|r| r.won).sum()),
        ("reps' calls", reps.iter().map(|r| r.calls).sum()),
    ]
}

#[test]
fn each_query_cut_to_an_owner_reads_their_rows_only() {
    let mut d = book();
    d.db.read(|c| {
        let all = figures(c, None);
        let ana = figures(c, Some("ana"));
        let bo = figures(c, Some("bo"));
        for ((name, all), ((_, a), (_, b))) in all.into_iter().zip(ana.into_iter().zip(bo)) {
            assert!(a > 0 && b > a, "{name}: ana {a}, bo {b}");
            assert_eq!(all, a + b, "{name}");
        }
        let mine = first_owner(c, "ana");
        assert_eq!(mine, vec!["ana".to_string()]);
        assert!(q::first_note(c, Some("ana")).unwrap().is_some());
        assert_eq!(q::first_note(c, Some("nobody")).unwrap(), None);
        Ok(())
    })
    .unwrap();
}

/// The owners in the table of a report cut to `owner`.
fn first_owner(c: &Snapshot, owner: &str) -> Vec<String> {
    report_reps::reps(c, "2026-01-01T00:00:00Z", "USD", Some(owner))
        .unwrap()
        .into_iter()
        .map(|r| r.owner)
        .collect()
}
