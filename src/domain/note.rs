use super::word_enum;

word_enum!(NoteKind ("a note kind") { Call = "call", Email = "email", Meeting = "meeting", Note = "note" });

word_enum!(Outcome ("an outcome") { Connected = "connected", Voicemail = "voicemail", NoAnswer = "no-answer" });

impl NoteKind {
    /// A call, email or meeting is a touch: it resets the contact's cadence; a plain note does not.
    pub fn is_touch(self) -> bool {
        !matches!(self, NoteKind::Note)
    }
}
