//! The contacts index's read model: every contact's id, name and what the filter matches, in
//! the order asked (200,000 of them fit in memory, and the Contacts screen's worker reads and
//! folds them), the rows on screen by id, and the companies list.

use crate::domain::company::CompanyRow;
use crate::domain::contact::{Contact, IndexRow, SortBy};
use crate::error::Result;
use crate::ops::{Db, Desk};
use crate::storage::browse;

/// Which contacts the index holds, and in what order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexOrder {
    /// Archived contacts too.
    pub archived: bool,
    pub sort: SortBy,
    pub desc: bool,
}

/// Every contact of the book `db` (live, or archived too) in `order`.
pub fn index(db: &mut Db, order: IndexOrder) -> Result<Vec<IndexRow>> {
    db.read(|conn| browse::index(conn, order.archived, order.sort, order.desc))
}

impl Desk {
    /// The index on this thread (a book in memory, or when no worker could start).
    pub fn contacts_index(&mut self, order: IndexOrder) -> Result<Vec<IndexRow>> {
        index(&mut self.db, order)
    }

    /// The contacts with these ids, in the order given (gone ones left out): a page of rows.
    pub fn contacts_by_id(&mut self, ids: &[i64]) -> Result<Vec<Contact>> {
        self.db.read(|conn| browse::contacts_by_id(conn, ids))
    }

    /// Every company by name, with its people and open deals counted.
    pub fn companies(&mut self) -> Result<Vec<CompanyRow>> {
        self.db.read(browse::companies)
    }
}
