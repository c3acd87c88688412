use super::word_enum;
use chrono::{DateTime, Local};
use serde::Serialize;

word_enum!(NoteKind ("a note kind") { Call = "call", Email = "email", Meeting = "meeting", Note = "note" });

word_enum!(Outcome ("an outcome") {
    Connected = "connected",
    Voicemail = "voicemail",
    NoAnswer = "no-answer",
    Replied = "replied",
    Held = "held",
    NoShow = "no-show",
});

impl Outcome {
    /// The outcomes a note of `kind` can have: a call connects or not, an email is replied
    /// to, a meeting is held or missed; a plain note has none.
    pub fn for_kind(kind: NoteKind) -> &'static [Outcome] {
        match kind {
            NoteKind::Call => &[Outcome::Connected, Outcome::Voicemail, Outcome::NoAnswer],
            NoteKind::Email => &[Outcome::Replied],
            NoteKind::Meeting => &[Outcome::Held, Outcome::NoShow],
            NoteKind::Note => &[],
        }
    }

    pub fn fits(self, kind: NoteKind) -> bool {
        Outcome::for_kind(kind).contains(&self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_outcome_fits_exactly_one_kind() {
        for o in Outcome::ALL {
            let kinds: Vec<NoteKind> = NoteKind::ALL
                .iter()
                .copied()
                .filter(|k| o.fits(*k))
                .collect();
            assert_eq!(kinds.len(), 1, "{o}: {kinds:?}");
        }
        assert!(Outcome::for_kind(NoteKind::Note).is_empty());
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Note {
    pub id: i64,
    pub contact_id: i64,
    pub deal_id: Option<i64>,
    pub kind: NoteKind,
    pub outcome: Option<Outcome>,
    pub body: String,
    #[serde(serialize_with = "crate::clock::json::time")]
    pub created_at: DateTime<Local>,
    /// Who wrote it: the login on a server, `me` on a personal book.
    pub author: String,
    /// Read by its author and the managers only.
    pub private: bool,
    #[serde(skip)]
    pub version: i64,
}

pub struct NewNote {
    pub contact_id: i64,
    pub deal_id: Option<i64>,
    pub kind: NoteKind,
    pub outcome: Option<Outcome>,
    pub body: String,
    /// Seen by its author and the managers only (`note --private`).
    pub private: bool,
}
