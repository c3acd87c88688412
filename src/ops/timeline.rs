//! Editing and deleting notes of the timeline, and the company view.

use serde::Serialize;

use crate::domain::company::Company;
use crate::domain::contact::Contact;
use crate::domain::deal::Deal;
use crate::domain::note::Note;
use crate::error::Result;
use crate::ops::Desk;
use crate::storage::browse;
use crate::storage::contacts;
use crate::storage::deals;
use crate::storage::notes;

#[derive(Debug, Clone, Serialize)]
pub struct CompanyView {
    #[serde(skip)]
    pub company: Company,
    pub contacts: Vec<Contact>,
    pub deals: Vec<Deal>,
    pub notes: Vec<Note>,
}

impl Desk {
    /// Replaces the text of a note (its commands are not run again). Undoable.
    pub fn edit_note(&mut self, id: i64, body: &str, expected_version: Option<i64>) -> Result<()> {
        self.db.write(&self.clock, |chg| {
            let n = notes::get(chg.read(), id)?;
            let who = contacts::name_of(chg.read(), n.contact_id)?;
            chg.describe(format!("editing a note on {who}"));
            notes::update_body(chg, id, body, expected_version)
        })
    }

    /// Deletes a note. Undoable.
    pub fn delete_note(&mut self, id: i64, expected_version: Option<i64>) -> Result<Note> {
        self.db.write(&self.clock, |chg| {
            let n = notes::get(chg.read(), id)?;
            let who = contacts::name_of(chg.read(), n.contact_id)?;
            chg.describe(format!("deleting a note on {who}"));
            notes::delete(chg, id, expected_version)
        })
    }

    /// A company: its people, their deals (open first) and their notes, newest first.
    pub fn company_view(&mut self, id: i64, notes_limit: usize) -> Result<CompanyView> {
        self.db.read(|conn| {
            let company = browse::company(conn, id)?;
            let contacts = browse::company_contacts(conn, id)?;
            let mut deals = deals::list(
                conn,
                &crate::domain::deal::ListFilter {
                    company_id: Some(id),
                    ..Default::default()
                },
            )?;
            deals.sort_by_key(|d| d.status != crate::domain::deal::DealStatus::Open);
            let mut notes = Vec::new();
            for n in browse::company_note_ids(conn, id, notes_limit)? {
                notes.push(notes::get(conn, n)?);
            }
            Ok(CompanyView {
                company,
                contacts,
                deals,
                notes,
            })
        })
    }
}
