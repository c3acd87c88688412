//! Small reads the front ends need beside the screens' read models: one row by id, a
//! contact's open deals, the lost reasons offered, contact completion and search.

use crate::domain::contact::{Contact, ListFilter as ContactFilter};
use crate::domain::deal::{Deal, DealStatus, ListFilter as DealFilter};
use crate::domain::follow_up::FollowUp;
use crate::domain::search::Hit;
use crate::error::Result;
use crate::ops::{Db, Desk};
use crate::storage::{contacts, deals, follow_ups, search as fts};

/// Search over contacts, companies, deals and notes of the book `db`: the best `limit` hits.
/// What the search popup's worker runs on its own connection.
pub fn search(db: &mut Db, query: &str, limit: usize) -> Result<Vec<Hit>> {
    db.read(|conn| fts::search(conn, query, limit))
}

/// Contacts to pick from as `query` is typed, `(id, "Name (Company)")`, at most `limit`:
/// the first contacts when it is empty, else those whose names match. What a contact field's
/// worker runs on its own connection.
pub fn contact_choices(db: &mut Db, query: &str, limit: usize) -> Result<Vec<(i64, String)>> {
    // No name is longer than a one-line field: a paste of pages is looked up by its start,
    // not as thousands of words.
    let query: String = query
        .trim()
        .chars()
        .take(crate::domain::fields::LINE_MAX)
        .collect();
    let query = query.as_str();
    db.read(|conn| {
        let ids: Vec<i64> = if query.is_empty() {
            contacts::list(
                conn,
                &ContactFilter {
                    limit: Some(limit),
                    ..Default::default()
                },
            )?
            .into_iter()
            .map(|c| c.id)
            .collect()
        } else {
            fts::contact_ids(conn, query, limit as i64)?
        };
        let mut out = Vec::new();
        for id in ids.into_iter().take(limit) {
            out.push((id, contacts::label(&contacts::get(conn, id)?)));
        }
        Ok(out)
    })
}

/// The words of a query, folded, as search matches them (what the popup highlights).
pub fn query_words(query: &str) -> Vec<String> {
    fts::words(query)
}

impl Desk {
    pub fn contact(&mut self, id: i64) -> Result<Contact> {
        self.db.read(|conn| contacts::get(conn, id))
    }

    pub fn deal(&mut self, id: i64) -> Result<Deal> {
        self.db.read(|conn| deals::get(conn, id))
    }

    /// A follow-up, its due state as of now.
    pub fn follow_up(&mut self, id: i64) -> Result<FollowUp> {
        let now = self.clock.now_naive();
        self.db.read(|conn| follow_ups::get(conn, id, now))
    }

    /// The contact's open deals, as a form offers them.
    pub fn open_deals_of(&mut self, contact_id: i64) -> Result<Vec<Deal>> {
        self.db.read(|conn| {
            deals::list(
                conn,
                &DealFilter {
                    contact_id: Some(contact_id),
                    status: Some(DealStatus::Open),
                    ..Default::default()
                },
            )
        })
    }

    /// The most used earlier lost reasons, at most `limit`.
    pub fn lost_reasons(&mut self, limit: usize) -> Result<Vec<String>> {
        self.db.read(|conn| deals::lost_reasons(conn, limit))
    }

    pub fn search(&mut self, query: &str, limit: usize) -> Result<Vec<Hit>> {
        search(&mut self.db, query, limit)
    }

    /// Contacts to pick from as `query` is typed, `(id, "Name (Company)")`, at most `limit`:
    /// the first contacts when it is empty, else those whose names match.
    pub fn contact_choices(&mut self, query: &str, limit: usize) -> Result<Vec<(i64, String)>> {
        contact_choices(&mut self.db, query, limit)
    }
}
