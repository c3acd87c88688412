//! Every thing a key can do, named. The names are what `[keys]` in the config rebinds.

macro_rules! actions {
    ($($variant:ident = $name:literal),+ $(,)?) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Action { $($variant),+ }

        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$variant),+];

            /// The name used in the config's `[keys]` table.
            pub fn name(self) -> &'static str {
                match self { $(Action::$variant => $name),+ }
            }

            pub fn from_name(name: &str) -> Option<Action> {
                let n = name.trim().to_ascii_lowercase().replace('-', "_");
                match n.as_str() {
                    $($name => Some(Action::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

actions! {
    Quit = "quit",
    Help = "help",
    Undo = "undo",
    NextTab = "next_tab",
    TabToday = "tab_today",
    TabReports = "tab_reports",
    PeriodLonger = "period_longer",
    PeriodShorter = "period_shorter",
    Note = "note",
    FollowUp = "follow_up",
    Down = "down",
    Up = "up",
    Top = "top",
    Bottom = "bottom",
    Open = "open",
    Back = "back",
    Done = "done",
    Snooze = "snooze",
    LogCall = "log_call",
    CallMode = "call_mode",
    LoadDemo = "load_demo",
    AddContact = "add_contact",
    Save = "save",
    Cancel = "cancel",
    NextField = "next_field",
    PrevField = "prev_field",
    NewLine = "new_line",
    Editor = "editor",
    Tomorrow = "when_tomorrow",
    ThreeDays = "when_3_days",
    NextWeek = "when_next_week",
    DefaultSnooze = "when_default",
    TypeWhen = "when_type",
    NoNext = "when_none",
    Connected = "connected",
    Voicemail = "voicemail",
    NoAnswer = "no_answer",
    Skip = "skip",
    Yes = "yes",
    No = "no",
    TabContacts = "tab_contacts",
    Search = "search",
    Filter = "filter",
    Sort = "sort",
    SortReverse = "sort_reverse",
    ToggleArchived = "toggle_archived",
    PageDown = "page_down",
    PageUp = "page_up",
    Edit = "edit",
    Archive = "archive",
    Merge = "merge",
    Purge = "purge",
    CopyEmail = "copy_email",
    CopyPhone = "copy_phone",
    OpenEmail = "open_email",
    OpenPhone = "open_phone",
    Company = "company",
    EditNote = "edit_note",
    DeleteNote = "delete_note",
    TabPipeline = "tab_pipeline",
    Left = "left",
    Right = "right",
    MoveBack = "move_back",
    MoveOn = "move_on",
    Won = "won",
    Lost = "lost",
    AddDeal = "add_deal",
    ShowClosed = "show_closed",
    NextPipeline = "next_pipeline",
    Whose = "whose",
    Reopen = "reopen",
    Sent = "sent",
    Replied = "replied",
    Held = "held",
    NoShow = "no_show",
    EditFollowUp = "edit_follow_up",
    CancelFollowUp = "cancel_follow_up",
    NextFollowUpRow = "follow_up_down",
    PrevFollowUpRow = "follow_up_up",
    Agenda = "agenda",
    Companies = "companies",
    Sequence = "sequence",
    SequenceNext = "sequence_next",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for a in Action::ALL {
            assert_eq!(Action::from_name(a.name()), Some(*a));
        }
        assert_eq!(Action::from_name("Call-Mode"), Some(Action::CallMode));
        assert_eq!(Action::from_name("fly"), None);
    }
}
