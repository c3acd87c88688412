//! Contacts and companies: reading them, resolving what a user typed to one, and writing rows.

use crate::storage::sql;
use crate::storage::sql::{OptionalExtension, Row, params};
use chrono::{DateTime, Local};

use crate::clock::{parse_stamp, to_local_rfc3339};
use crate::domain::contact::{MAX_CADENCE_DAYS, Status};
use crate::error::{Error, Result};
use crate::storage::Change;
use crate::storage::Snapshot;
use crate::text::{fold, phone_digits};

use crate::domain::contact::{Contact, ContactFields, ListFilter};

pub const SELECT: &str = "SELECT c.id, c.name, co.name, c.company_id, c.title, c.emails, c.phones, c.tags,
    c.source, c.status, c.temperature, c.cadence_days, c.archived, c.linkedin_url, c.connected_on,
    c.last_contacted_at,
    (SELECT coalesce(f.due_at, f.due_date) FROM follow_ups f WHERE f.contact_id = c.id AND f.status = 'open'
       ORDER BY f.due_date, f.due_at IS NOT NULL, f.due_at LIMIT 1),
    c.created_at, c.updated_at, c.version,
    c.referred_by, (SELECT r.name FROM contacts r WHERE r.id = c.referred_by),
    (SELECT count(*) FROM contacts r WHERE r.referred_by = c.id),
    c.owner
  FROM contacts c LEFT JOIN companies co ON co.id = c.company_id";

pub(crate) fn json_list(s: String) -> Vec<String> {
    serde_json::from_str(&s).unwrap_or_default()
}

pub fn stamp_col(s: Option<String>) -> Option<DateTime<Local>> {
    s.as_deref().and_then(parse_stamp)
}

/// A due as the JSON shows it: a date stays a date, an instant becomes local RFC 3339.
pub fn due_text(s: String) -> String {
    if s.contains('T') {
        to_local_rfc3339(&s)
    } else {
        s
    }
}

pub fn from_row(r: &Row<'_>) -> sql::Result<Contact> {
    Ok(Contact {
        id: r.get(0)?,
        name: r.get(1)?,
        company: r.get(2)?,
        company_id: r.get(3)?,
        title: r.get(4)?,
        emails: json_list(r.get(5)?),
        phones: json_list(r.get(6)?),
        tags: json_list(r.get(7)?),
        source: r.get(8)?,
        status: r.get(9)?,
        temperature: r.get(10)?,
        cadence_days: r.get(11)?,
        archived: r.get::<_, i64>(12)? != 0,
        linkedin_url: r.get(13)?,
        connected_on: r.get(14)?,
        last_contacted_at: stamp_col(r.get(15)?),
        next_follow_up_at: r.get::<_, Option<String>>(16)?.map(due_text),
        created_at: stamp_col(r.get(17)?).unwrap_or_default(),
        updated_at: stamp_col(r.get(18)?).unwrap_or_default(),
        version: r.get(19)?,
        referred_by: match (
            r.get::<_, Option<i64>>(20)?,
            r.get::<_, Option<String>>(21)?,
        ) {
            (Some(id), Some(name)) => Some(crate::domain::contact::ContactRef { id, name }),
            _ => None,
        },
        referrals: r.get(22)?,
        owner: r.get(23)?,
    })
}

pub fn get(conn: &Snapshot, id: i64) -> Result<Contact> {
    conn.prepare_cached(&format!("{SELECT} WHERE c.id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or_else(|| Error::input(format!("no contact #{id}")))
}

pub fn list(conn: &Snapshot, f: &ListFilter) -> Result<Vec<Contact>> {
    let mut sql = format!("{SELECT} WHERE c.archived = ?1");
    let mut args: Vec<sql::Value> = vec![(f.archived as i64).into()];
    if let Some(q) = &f.search {
        let ids = crate::storage::search::contact_ids(conn, q, 100_000)?;
        let list = ids
            .iter()
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(",");
        sql.push_str(&format!(" AND c.id IN ({list})"));
    }
    if let Some(t) = &f.tag {
        args.push(t.trim().to_lowercase().into());
        sql.push_str(&format!(
            " AND c.id IN (SELECT contact_id FROM contact_keys WHERE kind = 'tag' AND key = ?{})",
            args.len()
        ));
    }
    if let Some(s) = f.status {
        args.push(s.as_str().to_string().into());
        sql.push_str(&format!(" AND c.status = ?{}", args.len()));
    }
    sql.push_str(" ORDER BY c.name_key, c.id");
    if let Some(n) = f.limit {
        sql.push_str(&format!(" LIMIT {n}"));
    }
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(sql::params_from_iter(args), from_row)?;
    Ok(rows.collect::<sql::Result<_>>()?)
}

/// CONTACT as docs/MANUAL.md reads it: `12`, `#12`, an email, or a name (case- and accent-insensitive:
/// the one whole-name match, else the one contact whose name has all the words).
pub fn resolve(conn: &Snapshot, reference: &str) -> Result<i64> {
    let r = reference.trim();
    if r.is_empty() {
        return Err(Error::input(
            "name a contact: an id like 12, an email, or a name",
        ));
    }
    let digits = r.strip_prefix('#').unwrap_or(r);
    if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
        let id: i64 = digits
            .parse()
            .map_err(|_| Error::input(format!("no contact #{digits}")))?;
        let found: Option<i64> = conn
            .query_row("SELECT id FROM contacts WHERE id = ?1", [id], |r| r.get(0))
            .optional()?;
        return found.ok_or_else(|| Error::input(format!("no contact #{id}")));
    }
    if r.contains('@') {
        let ids = ids_where(
            conn,
            "SELECT DISTINCT contact_id FROM contact_keys WHERE kind = 'email' AND key = ?1",
            &r.to_lowercase(),
        )?;
        return one_of(conn, r, ids);
    }
    let key = fold(r);
    let exact = ids_where(conn, "SELECT id FROM contacts WHERE name_key = ?1", &key)?;
    if !exact.is_empty() {
        return one_of(conn, r, exact);
    }
    // Every word must start a word of the name: "ana per" finds "Ana Pereira".
    let words: Vec<String> = key.split(' ').map(|w| format!(" {w}")).collect();
    let mut sql = String::from("SELECT id FROM contacts WHERE 1 = 1");
    for i in 1..=words.len() {
        sql.push_str(&format!(" AND instr(' ' || name_key, ?{i}) > 0"));
    }
    sql.push_str(" ORDER BY name_key LIMIT 20");
    let mut stmt = conn.prepare(&sql)?;
    let ids = stmt
        .query_map(sql::params_from_iter(words.iter()), |r| r.get(0))?
        .collect::<sql::Result<Vec<i64>>>()?;
    one_of(conn, r, ids)
}

fn ids_where(conn: &Snapshot, sql: &str, arg: &str) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let ids = stmt
        .query_map([arg], |r| r.get(0))?
        .collect::<sql::Result<_>>()?;
    Ok(ids)
}

fn one_of(conn: &Snapshot, reference: &str, ids: Vec<i64>) -> Result<i64> {
    match ids.as_slice() {
        [one] => Ok(*one),
        [] => Err(Error::input(format!(
            "no contact matches {reference:?}; `salesdesk contact list --search {reference:?}` to look"
        ))),
        many => {
            let mut lines = Vec::new();
            for id in many.iter().take(10) {
                let c = get(conn, *id)?;
                let company = c.company.map(|co| format!(" ({co})")).unwrap_or_default();
                lines.push(format!("  #{} {}{company}", c.id, c.name));
            }
            Err(Error::input(format!(
                "{reference:?} matches {} contacts; use the id:\n{}",
                many.len(),
                lines.join("\n")
            )))
        }
    }
}

/// A company named on the command line: `#4`, its whole name (any case or accents), or
/// words that start words of exactly one company's name.
pub fn resolve_company(conn: &Snapshot, reference: &str) -> Result<i64> {
    let r = reference.trim();
    let digits = r.strip_prefix('#').unwrap_or(r);
    if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
        let id: Option<i64> = match digits.parse::<i64>() {
            Ok(id) => conn
                .query_row("SELECT id FROM companies WHERE id = ?1", [id], |r| r.get(0))
                .optional()?,
            Err(_) => None,
        };
        return id.ok_or_else(|| Error::input(format!("no company #{digits}")));
    }
    let key = fold(r);
    if key.is_empty() {
        return Err(Error::input("name a company: its name or #id"));
    }
    let exact = ids_where(conn, "SELECT id FROM companies WHERE name_key = ?1", &key)?;
    let ids = if exact.is_empty() {
        let words: Vec<String> = key.split(' ').map(|w| format!(" {w}")).collect();
        let mut sql = String::from("SELECT id FROM companies WHERE 1 = 1");
        for i in 1..=words.len() {
            sql.push_str(&format!(" AND instr(' ' || name_key, ?{i}) > 0"));
        }
        sql.push_str(" ORDER BY name_key LIMIT 20");
        let mut stmt = conn.prepare(&sql)?;
        stmt.query_map(sql::params_from_iter(words.iter()), |r| r.get(0))?
            .collect::<sql::Result<Vec<i64>>>()?
    } else {
        exact
    };
    match ids.as_slice() {
        [one] => Ok(*one),
        [] => Err(Error::input(format!("no company matches {r:?}"))),
        many => {
            let mut names = Vec::new();
            for id in many.iter().take(10) {
                let n: String =
                    conn.query_row("SELECT name FROM companies WHERE id = ?1", [id], |r| {
                        r.get(0)
                    })?;
                names.push(format!("  #{id} {}", crate::text::printable(&n)));
            }
            Err(Error::input(format!(
                "{r:?} matches {} companies; use the id (--company #ID):\n{}",
                many.len(),
                names.join("\n")
            )))
        }
    }
}

/// The company of that name (any case or accents), created if new.
pub fn company_id(chg: &mut Change<'_>, name: &str) -> Result<Option<i64>> {
    let name = name.trim();
    if name.is_empty() {
        return Ok(None);
    }
    let key = fold(name);
    let found: Option<i64> = chg
        .read()
        .prepare_cached("SELECT id FROM companies WHERE name_key = ?1")?
        .query_row([&key], |r| r.get(0))
        .optional()?;
    if let Some(id) = found {
        return Ok(Some(id));
    }
    let now = chg.now();
    let id = chg.insert(
        "companies",
        "INSERT INTO companies(name, name_key, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
        params![name, key, now],
    )?;
    Ok(Some(id))
}

fn clean_list(v: &[String], norm: fn(&str) -> String) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    for s in v {
        let s = s.trim();
        if s.is_empty() {
            continue;
        }
        let k = norm(s);
        if !keys.contains(&k) {
            keys.push(k);
            out.push(s.to_string());
        }
    }
    out
}

pub fn clean_emails(v: &[String]) -> Result<Vec<String>> {
    for e in v {
        let e = e.trim();
        if !e.is_empty() && !looks_like_email(e) {
            return Err(Error::input(format!("{e:?} is not an email address")));
        }
    }
    Ok(clean_list(v, |s| s.to_lowercase()))
}

pub fn looks_like_email(e: &str) -> bool {
    let Some((user, host)) = e.split_once('@') else {
        return false;
    };
    !user.is_empty()
        && host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && !e.contains(char::is_whitespace)
}

pub fn clean_phones(v: &[String]) -> Result<Vec<String>> {
    for p in v {
        let p = p.trim();
        if !p.is_empty() && phone_digits(p).len() < 3 {
            return Err(Error::input(format!("{p:?} is not a phone number")));
        }
    }
    Ok(clean_list(v, phone_digits))
}

pub fn clean_tags(v: &[String]) -> Vec<String> {
    let tags: Vec<String> = v
        .iter()
        .map(|t| t.trim().trim_start_matches('#').to_string())
        .collect();
    clean_list(&tags, |s| s.to_lowercase())
}

/// A phone as `contact_keys` holds it: the characters the schema's triggers drop, dropped.
pub fn phone_key(p: &str) -> String {
    p.chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.' | '+' | '/'))
        .collect()
}

/// The `contact_keys` rows (kind, key) that the schema's `contacts_ai` trigger derives from a
/// contact's stored emails, phones and tags. A bulk load that suspends the trigger writes
/// these instead, so they must come out byte for byte the same: SQLite's `lower` folds ASCII
/// letters only and its `trim` strips spaces only.
pub fn keys<'a>(
    emails: &'a [String],
    phones: &'a [String],
    tags: &'a [String],
) -> impl Iterator<Item = (&'static str, String)> + 'a {
    let sql_lower = |s: &String| s.trim_matches(' ').to_ascii_lowercase();
    let emails = emails.iter().map(move |e| ("email", sql_lower(e)));
    let phones = phones.iter().map(|p| ("phone", phone_key(p)));
    let tags = tags.iter().map(move |t| ("tag", sql_lower(t)));
    emails.chain(phones).chain(tags)
}

fn opt_text(v: &Option<String>) -> Option<String> {
    v.as_ref()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// Inserts a contact; `f.name` is required.
pub fn insert(chg: &mut Change<'_>, f: &ContactFields) -> Result<i64> {
    let name = f
        .name
        .as_deref()
        .map(str::trim)
        .unwrap_or_default()
        .to_string();
    if name.is_empty() {
        return Err(Error::input("a contact needs a name (--name)"));
    }
    f.check_lengths(None).map_err(Error::input)?;
    let company = match &f.company {
        Some(Some(c)) => company_id(chg, c)?,
        _ => None,
    };
    let emails = clean_emails(f.emails.as_deref().unwrap_or_default())?;
    let phones = clean_phones(f.phones.as_deref().unwrap_or_default())?;
    let tags = clean_tags(f.tags.as_deref().unwrap_or_default());
    let now = chg.now();
    chg.insert(
        "contacts",
        "INSERT INTO contacts(name, name_key, company_id, title, emails, phones, tags, source, status,
            temperature, cadence_days, archived, linkedin_url, connected_on, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15)",
        params![
            name,
            fold(&name),
            company,
            f.title.as_ref().and_then(opt_text),
            serde_json::to_string(&emails)?,
            serde_json::to_string(&phones)?,
            serde_json::to_string(&tags)?,
            f.source.as_ref().and_then(opt_text),
            f.status.unwrap_or(Status::Lead),
            f.temperature.flatten(),
            check_cadence(f.cadence_days.flatten())?,
            f.archived.unwrap_or(false) as i64,
            f.linkedin_url.as_ref().and_then(opt_text),
            f.connected_on.as_ref().and_then(opt_text),
            now,
        ],
    )
}

/// Deletes a contact; undo puts it back. Its deals, follow-ups and notes go first.
pub fn delete(chg: &mut Change<'_>, id: i64) -> Result<()> {
    chg.delete("contacts", id)?;
    Ok(())
}

fn check_cadence(c: Option<i64>) -> Result<Option<i64>> {
    match c {
        Some(n) if !(1..=MAX_CADENCE_DAYS).contains(&n) => Err(Error::input(format!(
            "a cadence of {n} days is out of range: use 1 to {MAX_CADENCE_DAYS} days"
        ))),
        other => Ok(other),
    }
}

/// Changes the given fields of a contact. With `expected_version`, refuses if the row moved.
pub fn update(
    chg: &mut Change<'_>,
    id: i64,
    f: &ContactFields,
    expected_version: Option<i64>,
) -> Result<()> {
    let cur = get(chg.read(), id)?;
    if let Some(v) = expected_version
        && v != cur.version
    {
        return Err(Error::conflict(format!(
            "{} was changed elsewhere since you opened it; reload and try again",
            cur.name
        )));
    }
    let name = match &f.name {
        Some(n) if n.trim().is_empty() => {
            return Err(Error::input("a contact's name cannot be empty"));
        }
        Some(n) => n.trim().to_string(),
        None => cur.name.clone(),
    };
    f.check_lengths(Some(&cur)).map_err(Error::input)?;
    let company = match &f.company {
        Some(Some(c)) => company_id(chg, c)?,
        Some(None) => None,
        None => cur.company_id,
    };
    let emails = match &f.emails {
        Some(v) => clean_emails(v)?,
        None => cur.emails.clone(),
    };
    let phones = match &f.phones {
        Some(v) => clean_phones(v)?,
        None => cur.phones.clone(),
    };
    let tags = match &f.tags {
        Some(v) => clean_tags(v),
        None => cur.tags.clone(),
    };
    let pick = |new: &Option<Option<String>>, old: &Option<String>| match new {
        Some(v) => v
            .as_ref()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        None => old.clone(),
    };
    let now = chg.now();
    chg.update(
        "contacts",
        id,
        "UPDATE contacts SET name = ?2, name_key = ?3, company_id = ?4, title = ?5, emails = ?6,
            phones = ?7, tags = ?8, source = ?9, status = ?10, temperature = ?11, cadence_days = ?12,
            archived = ?13, linkedin_url = ?14, connected_on = ?15, updated_at = ?16, version = version + 1
         WHERE id = ?1",
        params![
            id,
            name,
            fold(&name),
            company,
            pick(&f.title, &cur.title),
            serde_json::to_string(&emails)?,
            serde_json::to_string(&phones)?,
            serde_json::to_string(&tags)?,
            pick(&f.source, &cur.source),
            f.status.unwrap_or(cur.status),
            f.temperature.unwrap_or(cur.temperature),
            check_cadence(f.cadence_days.unwrap_or(cur.cadence_days))?,
            f.archived.unwrap_or(cur.archived) as i64,
            pick(&f.linkedin_url, &cur.linkedin_url),
            pick(&f.connected_on, &cur.connected_on),
            now,
        ],
    )?;
    Ok(())
}

/// A compact line for lists and messages: "Ana Pereira (Acme)".
pub fn label(c: &Contact) -> String {
    match &c.company {
        Some(co) => format!("{} ({co})", c.name),
        None => c.name.clone(),
    }
}

pub fn name_of(conn: &Snapshot, id: i64) -> Result<String> {
    Ok(conn
        .prepare_cached("SELECT name FROM contacts WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| format!("#{id}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Clock;
    use crate::storage::Db;

    fn book(names: &[&str]) -> Db {
        let mut db = Db::open_in_memory().unwrap();
        let clock = Clock::parse("2026-11-23T09:00:00+00:00").unwrap();
        for (i, n) in names.iter().enumerate() {
            let f = ContactFields {
                name: Some(n.to_string()),
                emails: Some(vec![format!("p{i}@example.com")]),
                ..Default::default()
            };
            db.write(&clock, |chg| insert(chg, &f)).unwrap();
        }
        db
    }

    #[test]
    fn references_resolve_as_the_spec_says() {
        let db = book(&["Ana Pereira", "Ana Souza", "José Álvarez", "Ana"]);
        let r = |s: &str| resolve(crate::storage::Snapshot::of(&db.conn), s);
        assert_eq!(r("2").unwrap(), 2);
        assert_eq!(r("#3").unwrap(), 3);
        assert_eq!(r("P1@EXAMPLE.com").unwrap(), 2);
        assert_eq!(r("jose alvarez").unwrap(), 3, "accents and case");
        assert_eq!(r("ana").unwrap(), 4, "the whole-name match wins");
        assert_eq!(
            r("ana sou").unwrap(),
            2,
            "every word starts a word of the name"
        );
        assert_eq!(r("pereira ana").unwrap(), 1, "in any order");
        let e = r("an").unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(
            e.to_string().contains("#1 Ana Pereira") && e.to_string().contains("#2 Ana Souza"),
            "{e}"
        );
        for missing in ["#9", "9", "nobody", "x@y.z", "", "   "] {
            assert_eq!(r(missing).unwrap_err().exit_code(), 2, "{missing:?}");
        }
        assert!(
            r("99999999999999999999").is_err(),
            "an id too large is not a panic"
        );
    }

    #[test]
    fn keys_are_the_ones_the_trigger_derives() {
        let db = Db::open_in_memory().unwrap();
        let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        // Values as a file may hold them, past any cleaning: non-ASCII capitals (which
        // SQLite's lower keeps), tabs and spaces around, every separator a phone can have.
        let emails = v(&["  ÉVA@Example.COM ", "\tx@Y.org", "İ@z.io"]);
        let phones = v(&[" +1 (555) 123-4567/8 ", "0.1\t2", "Ⅻ 12"]);
        let tags = v(&[" VIP Ünï ", "Ǆ", "a  b"]);
        db.conn
            .lite()
            .execute(
                "INSERT INTO contacts(name, name_key, emails, phones, tags, created_at, updated_at)
                 VALUES ('K', 'k', ?1, ?2, ?3, 'x', 'x')",
                params![
                    serde_json::to_string(&emails).unwrap(),
                    serde_json::to_string(&phones).unwrap(),
                    serde_json::to_string(&tags).unwrap()
                ],
            )
            .unwrap();
        let mut stmt = db
            .conn
            .lite()
            .prepare("SELECT kind, key FROM contact_keys ORDER BY rowid")
            .unwrap();
        let by_trigger: Vec<(String, String)> = stmt
            .query_map((), |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        let ours: Vec<(String, String)> = keys(&emails, &phones, &tags)
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        assert_eq!(ours, by_trigger);
    }
}
