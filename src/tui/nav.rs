//! Where a popup can send the app: an item opened from search, a contact after a merge, the
//! contacts table after a purge.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Contact(i64),
    /// A contact's view with this note selected in the timeline.
    Note {
        contact_id: i64,
        note_id: i64,
    },
    Company(i64),
    /// A deal's page.
    Deal {
        contact_id: i64,
        deal_id: i64,
    },
    Contacts,
}
