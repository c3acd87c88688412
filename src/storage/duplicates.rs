//! An import's duplicate lookups: which contacts in the book hold a record's emails and
//! phones, and which has its name at its company.
//!
//! On SQLite each record asks key by key through cached statements (a lookup costs
//! microseconds). On a server each statement is a round trip, so [`LookAhead`] asks for the
//! records ahead many at a time, in one statement, and answers each record from what it
//! learned. The answers stand only while the book stays as it was when they were given: the
//! writer says when it changed the book ([`LookAhead::forget`]: a batch of new contacts
//! written, or a contact merged into), and the records still ahead are asked again.

use std::collections::{HashMap, VecDeque};

use crate::error::Result;
use crate::storage::Snapshot;
use crate::storage::sql::{OptionalExtension, params};

/// What a record asks the book: its emails (trimmed, lowercased) and phone keys (digits, none
/// empty) in the file's order, and its name and company folded ('' for none).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Asking {
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub name: String,
    pub company: String,
}

/// What the book holds of a record: the first contact holding each of its email and phone
/// keys, and the first of its name at its company.
#[derive(Debug, Default)]
pub struct BookMatches {
    pub emails: HashMap<String, i64>,
    pub phones: HashMap<String, i64>,
    pub name: Option<i64>,
}

/// Records asked about at most in one statement.
const MOST_A_STATEMENT: usize = 1000;

/// After a merge changed the book, the records asked about in the next statement (doubling
/// at each statement after): a file whose every row merges into the book asks about one
/// record at a time, as it would without looking ahead, not about a whole window each row.
const AFTER_A_MERGE: usize = 1;

/// The book's answers for the records ahead (see the module's comment).
#[derive(Debug)]
pub struct LookAhead {
    upcoming: VecDeque<Asking>,
    /// `(kind, key)` → the first contact holding it, if any.
    keys: HashMap<(&'static str, String), Option<i64>>,
    /// `(name, company)` → the first contact of that name at that company, if any.
    names: HashMap<(String, String), Option<i64>>,
    /// Records to ask about in the next statement.
    chunk: usize,
}

impl Default for LookAhead {
    fn default() -> Self {
        LookAhead {
            upcoming: VecDeque::new(),
            keys: HashMap::new(),
            names: HashMap::new(),
            chunk: MOST_A_STATEMENT,
        }
    }
}

impl LookAhead {
    /// The records about to be looked up, in order: the next window of the file. What was
    /// learned of the last window is dropped, so memory stays flat in the file's size.
    pub fn expect(&mut self, book: &Snapshot, records: impl IntoIterator<Item = Asking>) {
        self.forget(false);
        if book.on_server() {
            self.upcoming = records.into_iter().collect();
        }
    }

    /// The book changed: nothing learned before stands. `merged`: a contact was merged into,
    /// and the next statement asks about a few records only (more again as merges stop).
    pub fn forget(&mut self, merged: bool) {
        self.keys.clear();
        self.names.clear();
        if merged {
            self.chunk = AFTER_A_MERGE;
        }
    }

    /// What the book holds of `a`, the next record.
    pub fn matches(&mut self, book: &Snapshot, a: &Asking) -> Result<BookMatches> {
        if !book.on_server() {
            return one_by_one(book, a);
        }
        if self.upcoming.front() == Some(a) {
            self.upcoming.pop_front();
        }
        if !self.knows(a) {
            self.ask(book, a)?;
        }
        let mut m = BookMatches::default();
        for (kind, list, into) in [
            ("email", &a.emails, &mut m.emails),
            ("phone", &a.phones, &mut m.phones),
        ] {
            for k in list {
                if let Some(Some(id)) = self.keys.get(&(kind, k.clone())) {
                    into.insert(k.clone(), *id);
                }
            }
        }
        m.name = self
            .names
            .get(&(a.name.clone(), a.company.clone()))
            .copied()
            .flatten();
        Ok(m)
    }

    fn knows(&self, a: &Asking) -> bool {
        let key = |kind: &'static str| move |k: &String| self.keys.contains_key(&(kind, k.clone()));
        a.emails.iter().all(key("email"))
            && a.phones.iter().all(key("phone"))
            && self
                .names
                .contains_key(&(a.name.clone(), a.company.clone()))
    }

    /// Asks about `a` and the records after it, up to the chunk, in one statement.
    fn ask(&mut self, book: &Snapshot, a: &Asking) -> Result<()> {
        let mut keys: Vec<(&'static str, &str)> = Vec::new();
        let mut names: Vec<(&str, &str)> = Vec::new();
        let ahead = self.upcoming.iter().take(self.chunk.saturating_sub(1));
        for r in std::iter::once(a).chain(ahead) {
            keys.extend(r.emails.iter().map(|k| ("email", k.as_str())));
            keys.extend(r.phones.iter().map(|k| ("phone", k.as_str())));
            names.push((&r.name, &r.company));
        }
        keys.retain(|(kind, k)| !self.keys.contains_key(&(*kind, k.to_string())));
        names.retain(|(n, c)| !self.names.contains_key(&(n.to_string(), c.to_string())));
        // What is asked and not found is known too: the statement returns the matches only.
        for (kind, k) in &keys {
            self.keys.insert((kind, k.to_string()), None);
        }
        for (n, c) in &names {
            self.names.insert((n.to_string(), c.to_string()), None);
        }
        // Every lookup an index probe (the company by its id, not a join the planner might
        // hash), whatever the planner thinks of tables this transaction is filling.
        let mut stmt = book.prepare_cached(
            "SELECT 0, e->>0, e->>1, m.id
             FROM json_array_elements(CAST(CAST(?1 AS TEXT) AS json)) e,
                  LATERAL (SELECT min(contact_id) AS id FROM contact_keys
                           WHERE kind = e->>0 AND key = e->>1) m
             WHERE m.id IS NOT NULL
             UNION ALL
             SELECT 1, e->>0, e->>1, m.id
             FROM json_array_elements(CAST(CAST(?2 AS TEXT) AS json)) e,
                  LATERAL (SELECT min(c.id) AS id FROM contacts c
                           WHERE c.name_key = e->>0
                             AND coalesce((SELECT co.name_key FROM companies co
                                           WHERE co.id = c.company_id), '') = e->>1) m
             WHERE m.id IS NOT NULL",
        )?;
        let rows = stmt.query_map(
            params![
                serde_json::to_string(&keys)?,
                serde_json::to_string(&names)?
            ],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?,
                ))
            },
        )?;
        for row in rows {
            match row? {
                (0, kind, key, id) => {
                    let kind = if kind == "email" { "email" } else { "phone" };
                    self.keys.insert((kind, key), Some(id));
                }
                (_, name, company, id) => {
                    self.names.insert((name, company), Some(id));
                }
            }
        }
        self.chunk = (self.chunk * 2).min(MOST_A_STATEMENT);
        Ok(())
    }
}

/// A record's lookups on SQLite, key by key through the cached statements.
fn one_by_one(book: &Snapshot, a: &Asking) -> Result<BookMatches> {
    let mut m = BookMatches::default();
    for k in &a.emails {
        if let Some(id) = contact_by_key(book, "email", k)? {
            m.emails.insert(k.clone(), id);
        }
    }
    for k in &a.phones {
        if let Some(id) = contact_by_key(book, "phone", k)? {
            m.phones.insert(k.clone(), id);
        }
    }
    m.name = contact_by_name(book, &a.name, &a.company)?;
    Ok(m)
}

/// The first contact holding this email or phone key (`kind` is `email` or `phone`).
fn contact_by_key(conn: &Snapshot, kind: &str, key: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT contact_id FROM contact_keys WHERE kind = ?1 AND key = ?2
             ORDER BY contact_id LIMIT 1",
        )?
        .query_row(params![kind, key], |r| r.get(0))
        .optional()?)
}

/// The first contact of that folded name at the company of that folded name ('' for none).
fn contact_by_name(conn: &Snapshot, name_key: &str, company_key: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT c.id FROM contacts c LEFT JOIN companies co ON co.id = c.company_id
             WHERE c.name_key = ?1 AND coalesce(co.name_key, '') = ?2 ORDER BY c.id LIMIT 1",
        )?
        .query_row(params![name_key, company_key], |r| r.get(0))
        .optional()?)
}
