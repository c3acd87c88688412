//! Where a popup or a screen can send the app: an item opened from search, a contact after a
//! merge, the contacts table after a purge, a tab. Screens name where to go, never another
//! screen's type; `Screen::open` turns the name into the screen.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Contact(i64),
    /// A contact's view with this note selected in the timeline.
    Note {
        contact_id: i64,
        note_id: i64,
    },
    Company(i64),
    /// A company's page with this person of it selected.
    CompanyAt {
        company_id: i64,
        contact_id: i64,
    },
    /// A deal's page.
    Deal {
        contact_id: i64,
        deal_id: i64,
    },
    Contacts,
    /// The pipeline board (with the closed deals when they were last shown).
    Board,
    Reports,
    /// Call mode, on the follow-ups due today.
    Call,
}
