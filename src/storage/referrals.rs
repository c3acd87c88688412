//! Who referred whom (`contacts.referred_by`), the referral ask a win schedules, and the
//! report's top referrers.

use crate::storage::sql;
use crate::storage::sql::{OptionalExtension, params};

use crate::domain::contact::ContactRef;
use crate::domain::report::ReferrerLine;
use crate::error::{Error, Result};
use crate::storage::{Change, Snapshot};

/// The text of the follow-up a win schedules; `has_open_ask` finds it again by its shape.
pub fn ask_text(name: &str) -> String {
    format!("Ask {name} for a referral")
}

/// Whether the contact has an open referral ask (a second one is never scheduled).
pub fn has_open_ask(conn: &Snapshot, contact_id: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM follow_ups WHERE contact_id = ?1 AND status = 'open'
               AND lower(text) LIKE 'ask % for a referral' LIMIT 1",
        )?
        .query_row([contact_id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Records that `referrer` referred contact `id` (None: nobody); a contact cannot refer
/// themselves. Empty source becomes `referral`.
pub fn set_referred_by(chg: &mut Change<'_>, id: i64, referrer: Option<i64>) -> Result<()> {
    if referrer == Some(id) {
        return Err(Error::input(
            "a contact cannot refer themselves (--referred-by)",
        ));
    }
    let now = chg.now();
    chg.update(
        "contacts",
        id,
        "UPDATE contacts SET referred_by = ?2,
            source = CASE WHEN CAST(?2 AS BIGINT) IS NOT NULL AND coalesce(source, '') = '' THEN 'referral' ELSE source END,
            updated_at = ?3, version = version + 1
         WHERE id = ?1",
        params![id, referrer, now],
    )?;
    Ok(())
}

/// The contacts `id` referred, by name.
pub fn referred(conn: &Snapshot, id: i64) -> Result<Vec<ContactRef>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name FROM contacts WHERE referred_by = ?1 ORDER BY name_key, id",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok(ContactRef {
            id: r.get(0)?,
            name: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<sql::Result<_>>()?)
}

/// The contacts that referred `from` moved to `into` (merging two contacts).
pub fn move_referrer(chg: &mut Change<'_>, from: i64, into: i64) -> Result<()> {
    let ids: Vec<i64> = chg
        .read()
        .prepare("SELECT id FROM contacts WHERE referred_by = ?1")?
        .query_map([from], |r| r.get(0))?
        .collect::<sql::Result<_>>()?;
    for id in ids {
        let to = (id != into).then_some(into);
        chg.update(
            "contacts",
            id,
            "UPDATE contacts SET referred_by = ?2, version = version + 1 WHERE id = ?1",
            params![id, to],
        )?;
    }
    Ok(())
}

/// The top referrers, by revenue their referrals brought, then by how many they referred. Cut to
/// an owner: the referred contacts that are theirs (with what those contacts' deals won).
pub fn top_referrers(
    conn: &Snapshot,
    currency: &str,
    limit: usize,
    owner: crate::storage::report::Owner,
) -> Result<Vec<ReferrerLine>> {
    let mut stmt = conn.prepare_cached(&crate::storage::report::cut(
        conn,
        // Summed in two halves, as every money sum of the report: a plain sum of many large
        // values overflows a 64-bit integer and fails the whole report.
        "WITH w(contact_id, hi, lo) AS (
            SELECT contact_id, sum(value_cents >> 32), sum(value_cents & 4294967295) FROM deals
             WHERE status = 'won' AND currency = ?1 GROUP BY contact_id)
         SELECT r.id, r.name, count(*),
            count(CASE WHEN c.status IN ('customer', 'repeat') THEN 1 END),
            coalesce(sum(w.hi), 0), coalesce(sum(w.lo), 0)
         FROM contacts c JOIN contacts r ON r.id = c.referred_by
              LEFT JOIN w ON w.contact_id = c.id
         WHERE c.referred_by IS NOT NULL/*owner*/
         GROUP BY r.id
         ORDER BY coalesce(sum(w.hi), 0) * 4294967296.0 + coalesce(sum(w.lo), 0) DESC, 3 DESC, r.name_key LIMIT ?2",
        " AND c.owner = ?3",
        owner,
    ))?;
    let args = crate::storage::report::with_owner(
        vec![currency.to_string().into(), (limit as i64).into()],
        owner,
    );
    let rows = stmt.query_map(sql::params_from_iter(args), |r| {
        Ok(ReferrerLine {
            contact_id: r.get(0)?,
            name: r.get(1)?,
            referred: r.get(2)?,
            customers: r.get(3)?,
            won_cents: (i128::from(r.get::<_, i64>(4)?) << 32) + i128::from(r.get::<_, i64>(5)?),
        })
    })?;
    Ok(rows.collect::<sql::Result<_>>()?)
}
