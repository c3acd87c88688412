//! Columns that triggers keep from other rows, recomputed from scratch and compared: what
//! `salesdesk db check` and the tests use to prove the triggers (through every write, undo and
//! import) left them right.

use crate::storage::Snapshot;

use crate::error::Result;

/// Each check: how many rows disagree with their definition, and what they are.
const CHECKS: &[(&str, &str)] = &[
    (
        "SELECT count(*) FROM contacts c WHERE c.open_follow_ups !=
           (SELECT count(*) FROM follow_ups f WHERE f.contact_id = c.id AND f.status = 'open')",
        "contacts whose open follow-up count disagrees with their follow-ups",
    ),
    (
        "SELECT count(*) FROM contacts c WHERE coalesce(c.last_contacted_at, '') !=
           coalesce((SELECT max(created_at) FROM notes n
                     WHERE n.contact_id = c.id AND n.kind IN ('call', 'email', 'meeting')), '')",
        "contacts whose last contact disagrees with their notes",
    ),
    (
        "SELECT count(*) FROM deal_events e WHERE e.ended_at IS DISTINCT FROM
           (SELECT n.at FROM deal_events n
            WHERE n.deal_id = e.deal_id AND (n.at, n.id) > (e.at, e.id)
            ORDER BY n.at, n.id LIMIT 1)",
        "stage-history events whose end is not the deal's next event",
    ),
    (
        "SELECT count(*) FROM follow_ups f JOIN contacts c ON c.id = f.contact_id
           LEFT JOIN companies co ON co.id = c.company_id LEFT JOIN deals d ON d.id = f.deal_id
         WHERE f.contact_name IS DISTINCT FROM c.name OR f.company_name IS DISTINCT FROM co.name
           OR f.deal_title IS DISTINCT FROM d.title OR f.deal_value_cents IS DISTINCT FROM d.value_cents
           OR f.deal_currency IS DISTINCT FROM d.currency",
        "follow-ups whose contact, company or deal labels disagree with those rows",
    ),
    (
        "SELECT count(*) FROM follow_ups f JOIN sequence_enrollments e ON e.id = f.seq_id
         WHERE f.seq_name IS DISTINCT FROM e.name OR f.seq_steps IS DISTINCT FROM json_array_length(e.steps)
           OR f.contact_id IS DISTINCT FROM e.contact_id",
        "sequence steps whose label disagrees with their enrolment",
    ),
    (
        "SELECT count(*) FROM sequence_enrollments e WHERE e.status = 'active'
           AND (SELECT count(*) FROM follow_ups f WHERE f.seq_id = e.id AND f.status = 'open') > 1",
        "sequences under way with more than one open step",
    ),
];

/// On a server, what search keeps for ranking: each searched table's rows and words
/// (`search_totals`, migration 0004; FTS5 keeps its own on SQLite).
const SERVER_CHECKS: &[(&str, &str)] = &[(
    "SELECT salesdesk_totals_mismatches()",
    "searched tables whose search totals (rows and words, for ranking) disagree with their rows",
)];

/// One line per kind of disagreement ("2 contacts whose …"); empty when all agree.
pub fn mismatches(conn: &Snapshot) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let server: &[(&str, &str)] = if conn.on_server() { SERVER_CHECKS } else { &[] };
    for (sql, what) in CHECKS.iter().chain(server) {
        let n: i64 = conn.query_row(sql, (), |r| r.get(0))?;
        if n > 0 {
            out.push(format!("{n} {what}"));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::Db;

    #[test]
    fn a_derived_column_set_by_hand_is_found() {
        let db = Db::open_in_memory().unwrap();
        db.conn
            .lite()
            .execute_batch(
                "INSERT INTO contacts(name, name_key, created_at, updated_at)
                   VALUES ('Ana', 'ana', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
                 INSERT INTO deals(title, contact_id, currency, stage, stage_entered_at,
                                   created_at, updated_at)
                   VALUES ('d', 1, 'USD', 'Lead', '2026-01-01T00:00:00Z',
                           '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
                 INSERT INTO deal_events(deal_id, event, stage, at)
                   VALUES (1, 'stage', 'Lead', '2026-01-01T00:00:00Z'),
                          (1, 'stage', 'Qualified', '2026-01-03T00:00:00Z');",
            )
            .unwrap();
        assert_eq!(
            mismatches(crate::storage::Snapshot::of(&db.conn)).unwrap(),
            Vec::<String>::new()
        );
        db.conn
            .lite()
            .execute_batch(
                "UPDATE deal_events SET ended_at = NULL;
                 UPDATE contacts SET open_follow_ups = 2;",
            )
            .unwrap();
        assert_eq!(
            mismatches(crate::storage::Snapshot::of(&db.conn)).unwrap(),
            [
                "1 contacts whose open follow-up count disagrees with their follow-ups",
                "1 stage-history events whose end is not the deal's next event"
            ]
        );
    }

    fn ends(db: &Db) -> Vec<(i64, Option<String>)> {
        let mut stmt = db
            .conn
            .prepare("SELECT id, substr(ended_at, 9, 2) FROM deal_events ORDER BY id")
            .unwrap();
        stmt.query_map((), |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<crate::storage::sql::Result<_>>()
            .unwrap()
    }

    #[test]
    fn event_ends_follow_writes_in_any_order() {
        let db = Db::open_in_memory().unwrap();
        let day = |d: &str| format!("2026-01-{d}T00:00:00Z");
        db.conn
            .lite()
            .execute_batch(&format!(
                "INSERT INTO contacts(name, name_key, created_at, updated_at)
                   VALUES ('Ana', 'ana', '{t}', '{t}');
                 INSERT INTO deals(title, contact_id, currency, stage, stage_entered_at,
                                   created_at, updated_at)
                   VALUES ('a', 1, 'USD', 'Lead', '{t}', '{t}', '{t}'),
                          ('b', 1, 'USD', 'Lead', '{t}', '{t}', '{t}');
                 INSERT INTO deal_events(deal_id, event, stage, at) VALUES
                   (1, 'stage', 'Lead', '{d05}'),
                   (1, 'won', 'Lead', '{d20}'),
                   (1, 'stage', 'Qualified', '{d10}'),
                   (1, 'stage', 'Proposal', '{d10}'),
                   (2, 'stage', 'Lead', '{d07}');",
                t = day("01"),
                d05 = day("05"),
                d07 = day("07"),
                d10 = day("10"),
                d20 = day("20"),
            ))
            .unwrap();
        // Inserted out of time order; the two of the same second ordered by id.
        let s = |d: &str| Some(d.to_string());
        assert_eq!(
            ends(&db),
            [
                (1, s("10")),
                (2, None),
                (3, s("10")),
                (4, s("20")),
                (5, None)
            ]
        );
        db.conn
            .lite()
            .execute_batch("DELETE FROM deal_events WHERE id = 4")
            .unwrap();
        assert_eq!(
            ends(&db),
            [(1, s("10")), (2, None), (3, s("20")), (5, None)]
        );
        // Moved to the other deal, then in time.
        db.conn
            .lite()
            .execute_batch(&format!(
                "UPDATE deal_events SET deal_id = 2 WHERE id = 3;
                 UPDATE deal_events SET at = '{}' WHERE id = 1;",
                day("25")
            ))
            .unwrap();
        assert_eq!(
            ends(&db),
            [(1, None), (2, s("25")), (3, None), (5, s("10"))]
        );
        assert_eq!(
            mismatches(crate::storage::Snapshot::of(&db.conn)).unwrap(),
            Vec::<String>::new()
        );
    }

    /// A follow-up's id, contact, company, deal title and deal value.
    type Labels = (i64, String, Option<String>, Option<String>, Option<i64>);

    fn labels(db: &Db) -> Vec<Labels> {
        let mut stmt = db
            .conn
            .prepare(
                "SELECT id, contact_name, company_name, deal_title, deal_value_cents
                 FROM follow_ups ORDER BY id",
            )
            .unwrap();
        stmt.query_map((), |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .collect::<crate::storage::sql::Result<_>>()
        .unwrap()
    }

    #[test]
    fn follow_up_labels_follow_renames_and_moves() {
        let db = Db::open_in_memory().unwrap();
        let t = "2026-01-01T00:00:00Z";
        db.conn
            .lite()
            .execute_batch(&format!(
                "INSERT INTO companies(name, name_key, created_at, updated_at)
                   VALUES ('Acme', 'acme', '{t}', '{t}'), ('Globex', 'globex', '{t}', '{t}');
                 INSERT INTO contacts(name, name_key, company_id, created_at, updated_at)
                   VALUES ('Ana', 'ana', 1, '{t}', '{t}'), ('Bo', 'bo', NULL, '{t}', '{t}');
                 INSERT INTO deals(title, contact_id, currency, value_cents, stage,
                                   stage_entered_at, created_at, updated_at)
                   VALUES ('Pilot', 1, 'USD', 500, 'Lead', '{t}', '{t}', '{t}');
                 INSERT INTO follow_ups(contact_id, deal_id, due_date, created_at, updated_at)
                   VALUES (1, 1, '2026-01-02', '{t}', '{t}'), (2, NULL, '2026-01-02', '{t}', '{t}');"
            ))
            .unwrap();
        let s = |v: &str| Some(v.to_string());
        assert_eq!(
            labels(&db),
            [
                (1, "Ana".into(), s("Acme"), s("Pilot"), Some(500)),
                (2, "Bo".into(), None, None, None)
            ]
        );
        db.conn
            .lite()
            .execute_batch(
                "UPDATE contacts SET name = 'Ana P' WHERE id = 1;
                 UPDATE companies SET name = 'Acme Inc' WHERE id = 1;
                 UPDATE deals SET title = 'Pilot 2', value_cents = 900 WHERE id = 1;
                 UPDATE contacts SET company_id = 2 WHERE id = 2;
                 UPDATE follow_ups SET contact_id = 2, deal_id = NULL WHERE id = 1;
                 UPDATE contacts SET cadence_days = 30 WHERE id = 2;",
            )
            .unwrap();
        assert_eq!(
            labels(&db),
            [
                (1, "Bo".into(), s("Globex"), None, None),
                (2, "Bo".into(), s("Globex"), None, None)
            ]
        );
        assert_eq!(
            mismatches(crate::storage::Snapshot::of(&db.conn)).unwrap(),
            Vec::<String>::new()
        );
        db.conn
            .lite()
            .execute_batch("UPDATE follow_ups SET company_name = 'Initech' WHERE id = 2")
            .unwrap();
        assert_eq!(
            mismatches(crate::storage::Snapshot::of(&db.conn)).unwrap(),
            ["1 follow-ups whose contact, company or deal labels disagree with those rows"]
        );
    }
}
