//! Owners: who a contact, deal or follow-up belongs to, giving one to a colleague, and the
//! record of who gave what to whom.

use crate::domain::team::Reassignment;
use crate::error::{Error, Result};
use crate::storage::sql::{self, params};
use crate::storage::{Change, Importing, Snapshot};

/// The tables whose rows have an owner.
const OWNED: &[&str] = &["contacts", "deals", "follow_ups"];

fn owned(tbl: &str) -> Result<&'static str> {
    OWNED
        .iter()
        .find(|t| **t == tbl)
        .copied()
        .ok_or_else(|| Error::env(format!("{tbl} has no owners")))
}

/// The owner of row `id` of `tbl`.
pub fn owner_of(conn: &Snapshot, tbl: &str, id: i64) -> Result<String> {
    let tbl = owned(tbl)?;
    Ok(conn.query_row(
        &format!("SELECT owner FROM {tbl} WHERE id = ?1"),
        [id],
        |r| r.get(0),
    )?)
}

/// Makes a row this change created `to`'s: what it is added for (`--owner` on add). Nothing
/// is recorded: it was never anyone else's.
pub fn give_new(chg: &mut Change<'_>, tbl: &'static str, id: i64, to: &str) -> Result<()> {
    let tbl = owned(tbl)?;
    chg.update(
        tbl,
        id,
        &format!("UPDATE {tbl} SET owner = ?1 WHERE id = ?2"),
        params![to, id],
    )?;
    Ok(())
}

/// Gives row `id` of `tbl` to `to`, recorded with who did it and when; a contact's open
/// follow-ups that were its owner's go with it. Returns whether anything changed.
pub fn reassign(chg: &mut Change<'_>, tbl: &'static str, id: i64, to: &str) -> Result<bool> {
    let tbl = owned(tbl)?;
    let from = owner_of(chg.read(), tbl, id)?;
    if from == to {
        return Ok(false);
    }
    let now = chg.now();
    chg.update(
        tbl,
        id,
        &format!(
            "UPDATE {tbl} SET owner = ?1, updated_at = ?2, version = version + 1 WHERE id = ?3"
        ),
        params![to, now, id],
    )?;
    chg.insert(
        "reassignments",
        "INSERT INTO reassignments(tbl, row_id, from_owner, to_owner, at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![tbl, id, from, to, now],
    )?;
    if tbl == "contacts" {
        let open: Vec<i64> = {
            let mut stmt = chg.read().prepare_cached(
                "SELECT id FROM follow_ups WHERE contact_id = ?1 AND status = 'open' AND owner = ?2
                 ORDER BY id",
            )?;
            stmt.query_map(params![id, from], |r| r.get(0))?
                .collect::<sql::Result<_>>()?
        };
        for f in open {
            reassign(chg, "follow_ups", f, to)?;
        }
    }
    Ok(true)
}

/// Who gave row `id` of `tbl` to whom, oldest first.
pub fn history(conn: &Snapshot, tbl: &str, id: i64) -> Result<Vec<Reassignment>> {
    let tbl = owned(tbl)?;
    let mut stmt = conn.prepare_cached(
        "SELECT from_owner, to_owner, by_user, at FROM reassignments
         WHERE tbl = ?1 AND row_id = ?2 ORDER BY at, id",
    )?;
    let rows = stmt.query_map(params![tbl, id], |r| {
        Ok(Reassignment {
            from: r.get(0)?,
            to: r.get(1)?,
            by: r.get(2)?,
            at: crate::storage::contacts::stamp_col(r.get(3)?).unwrap_or_default(),
        })
    })?;
    Ok(rows.collect::<sql::Result<_>>()?)
}

/// Shares the contacts an import created (ids above `above`) out among `owners`, in turn
/// (one owner: all theirs); the follow-ups it made for them (a sequence's first steps) go with
/// them. The rows are the import's own: its undo takes them back whole.
pub fn assign_imported(imp: &Importing<'_>, above: i64, owners: &[String]) -> Result<()> {
    if owners.is_empty() {
        return Ok(());
    }
    let n = owners.len() as i64;
    let cases: String = (0..n)
        .map(|i| format!(" WHEN {i} THEN ?{}", i + 3))
        .collect();
    let mut args: Vec<sql::Value> = vec![above.into(), n.into()];
    args.extend(owners.iter().map(|o| sql::Value::from(o.clone())));
    imp.change_created(
        &format!("UPDATE contacts SET owner = CASE (id - ?1 - 1) % ?2{cases} END WHERE id > ?1"),
        sql::params_from_iter(args),
    )?;
    imp.change_created(
        "UPDATE follow_ups SET owner = (SELECT c.owner FROM contacts c WHERE c.id = follow_ups.contact_id)
         WHERE contact_id > ?1",
        [above],
    )?;
    Ok(())
}
