use super::word_enum;

word_enum!(NoteKind { Call = "call", Email = "email", Meeting = "meeting", Note = "note" });

// A call connects or not; an email is sent (no outcome) or replied to; a meeting is held or
// a no-show.
word_enum!(Outcome {
    Connected = "connected",
    Voicemail = "voicemail",
    NoAnswer = "no-answer",
    Replied = "replied",
    Held = "held",
    NoShow = "no-show",
});

impl NoteKind {
    /// A call, email or meeting is a touch: it resets the contact's cadence; a plain note does not.
    pub fn is_touch(self) -> bool {
        !matches!(self, NoteKind::Note)
    }
}
