//! The keymap as data: for each context, the actions, their keys and what they do. The help
//! overlay and the hint bar are generated from this table, and `[keys]` in the config
//! rebinds it (`done = "d"`, or several keys separated by spaces: `down = "j down ctrl-n"`).

use std::collections::BTreeMap;
use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::error::{Error, Result};
use crate::tui::action::Action;

/// Where a binding applies. Keys route from the most specific context to `Global`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    Global,
    List,
    Today,
    Pipeline,
    BoardFilter,
    Deal,
    Closed,
    Welcome,
    Contact,
    Reports,
    Form,
    Snooze,
    CallOutcome,
    EmailOutcome,
    MeetingOutcome,
    CallNext,
    Help,
    Confirm,
    Contacts,
    Filter,
    Company,
    Search,
    Companies,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Anywhere",
            Context::List => "Lists",
            Context::Today => "Today",
            Context::Pipeline => "Pipeline",
            Context::BoardFilter => "Pipeline filter",
            Context::Deal => "Deal",
            Context::Closed => "Pipeline: won and lost (C), a closed deal",
            Context::Welcome => "Welcome",
            Context::Contact => "Contact",
            Context::Reports => "Reports",
            Context::Form => "Forms and popups",
            Context::Snooze => "Snooze menu",
            Context::CallOutcome => "Call mode: how a call went",
            Context::EmailOutcome => "Call mode: how an email went",
            Context::MeetingOutcome => "Call mode: how a meeting went",
            Context::CallNext => "Call mode: next step",
            Context::Help => "Help",
            Context::Confirm => "Confirm",
            Context::Contacts => "Contacts",
            Context::Filter => "Contacts: filter",
            Context::Company => "Company",
            Context::Search => "Search (Ctrl-f)",
            Context::Companies => "Companies (C on Contacts)",
        }
    }
}

impl Context {
    /// The place a screen's keys work, as the status line says it ("on Today"); `None` for
    /// popups, fields and menus, which a key pressed on a screen never reaches.
    pub fn place(self) -> Option<&'static str> {
        Some(match self {
            Context::Today => "on Today",
            Context::List => "in lists",
            Context::Pipeline => "on the board",
            Context::Deal => "on a deal",
            Context::Closed => "on a closed deal",
            Context::Contacts => "on Contacts",
            Context::Contact => "on a contact's page",
            Context::Company => "on a company's page",
            Context::Reports => "on Reports",
            Context::Welcome => "on the welcome screen",
            _ => return None,
        })
    }
}

/// A key as the keymap sees it: the code and the modifiers that matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    pub fn new(code: KeyCode, mods: KeyModifiers) -> Self {
        let mut mods = mods & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        // A character carries its own case, and BackTab is already Shift-Tab.
        if matches!(code, KeyCode::Char(_) | KeyCode::BackTab) {
            mods.remove(KeyModifiers::SHIFT);
        }
        let code = match code {
            KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            c => c,
        };
        Key { code, mods }
    }

    pub fn from_event(k: &KeyEvent) -> Self {
        Key::new(k.code, k.modifiers)
    }

    /// `x`, `G`, `enter`, `esc`, `tab`, `shift-tab`, `ctrl-e`, `alt-enter`, `up`, `f1`, `space`.
    pub fn parse(s: &str) -> Option<Key> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = s.trim();
        loop {
            let lower = rest.to_ascii_lowercase();
            let stripped = ["ctrl-", "c-", "alt-", "a-", "m-", "shift-", "s-"]
                .iter()
                .find(|p| lower.starts_with(**p) && rest.len() > p.len());
            match stripped {
                Some(p) => {
                    mods |= match p.chars().next() {
                        Some('c') => KeyModifiers::CONTROL,
                        Some('a') | Some('m') => KeyModifiers::ALT,
                        _ => KeyModifiers::SHIFT,
                    };
                    rest = &rest[p.len()..];
                }
                None => break,
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(c),
            _ => match rest.to_ascii_lowercase().as_str() {
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" if mods.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "backspace" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "space" => KeyCode::Char(' '),
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pageup" | "pgup" => KeyCode::PageUp,
                "pagedown" | "pgdn" => KeyCode::PageDown,
                f if f.starts_with('f') => {
                    KeyCode::F(f[1..].parse().ok().filter(|n| *n >= 1 && *n <= 12)?)
                }
                _ => return None,
            },
        };
        Some(Key::new(code, mods))
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            f.write_str("Shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Delete => f.write_str("Del"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::F(n) => write!(f, "F{n}"),
            _ => f.write_str("?"),
        }
    }
}

/// One row of the table.
#[derive(Debug, Clone)]
pub struct Binding {
    pub context: Context,
    pub action: Action,
    pub keys: Vec<Key>,
    /// What the help says.
    pub desc: &'static str,
    /// The word in the hint bar; empty keeps it out of the bar.
    pub hint: &'static str,
}

use Action as A;
use Context as C;

/// (context, action, default keys, help text, hint word)
const DEFAULTS: &[(Context, Action, &str, &str, &str)] = &[
    (C::Global, A::TabToday, "1", "the Today screen", ""),
    (C::Global, A::TabContacts, "3", "the Contacts screen", ""),
    (
        C::Global,
        A::Search,
        "ctrl-f",
        "search everything",
        "search",
    ),
    (C::Global, A::TabPipeline, "2", "the Pipeline board", ""),
    (C::Global, A::TabReports, "4", "the Reports screen", ""),
    (C::Global, A::NextTab, "tab", "the next screen", ""),
    (
        C::Global,
        A::Note,
        "n",
        "quick note for the selected contact, or pick one",
        "note",
    ),
    (C::Global, A::FollowUp, "f", "new follow-up", "follow-up"),
    (
        C::Global,
        A::Undo,
        "u",
        "undo the last change (any window's)",
        "undo",
    ),
    (C::Global, A::Help, "?", "this help", "help"),
    (C::Global, A::Quit, "q ctrl-c", "quit", "quit"),
    (C::List, A::Down, "j down", "move down", ""),
    (C::List, A::Up, "k up", "move up", ""),
    (C::List, A::Top, "g home", "first row", ""),
    (C::List, A::Bottom, "G end", "last row", ""),
    (C::Today, A::Done, "x", "mark the follow-up done", "done"),
    (C::Today, A::Snooze, "s", "snooze menu", "snooze"),
    (
        C::Today,
        A::LogCall,
        "c",
        "log a call: note, outcome, next follow-up",
        "call",
    ),
    (
        C::Today,
        A::CallMode,
        "F",
        "call mode: the due list one contact at a time",
        "call mode",
    ),
    (C::Today, A::Open, "enter", "open the contact", "open"),
    (C::Pipeline, A::Left, "h left", "the stage to the left", ""),
    (
        C::Pipeline,
        A::Right,
        "l right",
        "the stage to the right",
        "",
    ),
    (
        C::Pipeline,
        A::MoveBack,
        "<",
        "move the deal one stage back",
        "stage back",
    ),
    (
        C::Pipeline,
        A::MoveOn,
        ">",
        "move the deal one stage on",
        "stage on",
    ),
    (C::Pipeline, A::Won, "W", "mark the deal won", "won"),
    (
        C::Pipeline,
        A::Lost,
        "L",
        "mark the deal lost (asks the reason)",
        "lost",
    ),
    (
        C::Pipeline,
        A::Open,
        "enter",
        "open the deal: fields, history, notes, follow-ups",
        "open",
    ),
    (C::Pipeline, A::AddDeal, "a", "add a deal", "add"),
    (C::Pipeline, A::Edit, "e", "edit the deal", "edit"),
    (
        C::Pipeline,
        A::Filter,
        "/",
        "filter the cards as you type (Enter keeps, Esc clears)",
        "filter",
    ),
    (
        C::Pipeline,
        A::ShowClosed,
        "C",
        "show or hide the deals won and lost this month",
        "closed",
    ),
    (C::Pipeline, A::Cancel, "esc", "clear the filter", ""),
    (
        C::BoardFilter,
        A::Save,
        "enter",
        "keep the filter, back to the board on the first match",
        "keep",
    ),
    (
        C::BoardFilter,
        A::Cancel,
        "esc",
        "clear the filter",
        "clear",
    ),
    (
        C::Deal,
        A::Back,
        "esc backspace",
        "back to the board",
        "back",
    ),
    (
        C::Deal,
        A::MoveBack,
        "<",
        "move the deal one stage back",
        "stage back",
    ),
    (
        C::Deal,
        A::MoveOn,
        ">",
        "move the deal one stage on",
        "stage on",
    ),
    (C::Deal, A::Won, "W", "mark the deal won", "won"),
    (
        C::Deal,
        A::Lost,
        "L",
        "mark the deal lost (asks the reason)",
        "lost",
    ),
    (C::Deal, A::Edit, "e", "edit the deal", "edit"),
    (
        C::Closed,
        A::Reopen,
        "R",
        "reopen the won or lost deal (u undoes)",
        "reopen",
    ),
    (
        C::Reports,
        A::PeriodLonger,
        "[",
        "a longer period (starts further back)",
        "longer",
    ),
    (
        C::Reports,
        A::PeriodShorter,
        "]",
        "a shorter period",
        "shorter",
    ),
    (C::Welcome, A::LoadDemo, "D", "load the demo book", "demo"),
    (
        C::Welcome,
        A::AddContact,
        "a",
        "add a first contact",
        "add contact",
    ),
    (C::Contacts, A::Open, "enter", "open the contact", "open"),
    (
        C::Contacts,
        A::Filter,
        "/",
        "filter: name, company, email, phone; #tag is:lead hot",
        "filter",
    ),
    (C::Contacts, A::AddContact, "a", "add a contact", "add"),
    (C::Contacts, A::Edit, "e", "edit the contact", "edit"),
    (C::Contacts, A::Sort, "s", "sort by the next column", "sort"),
    (C::Contacts, A::SortReverse, "S", "reverse the sort", ""),
    (
        C::Contacts,
        A::ToggleArchived,
        "H",
        "show or hide archived contacts",
        "archived",
    ),
    (
        C::Contacts,
        A::PageDown,
        "pagedown ctrl-d",
        "a page down",
        "",
    ),
    (C::Contacts, A::PageUp, "pageup ctrl-u", "a page up", ""),
    (C::Contacts, A::Back, "esc", "clear the filter", ""),
    (
        C::Filter,
        A::Save,
        "enter",
        "keep the filter, back to the list",
        "keep",
    ),
    (C::Filter, A::Cancel, "esc", "clear the filter", "clear"),
    (C::Filter, A::Down, "down", "move down", ""),
    (C::Filter, A::Up, "up", "move up", ""),
    (C::Contact, A::Edit, "e", "edit every field", "edit"),
    (
        C::Contact,
        A::EditNote,
        "E",
        "edit the selected note (j/k select)",
        "edit note",
    ),
    (
        C::Contact,
        A::DeleteNote,
        "d",
        "delete the selected note (u undoes)",
        "delete note",
    ),
    (
        C::Contact,
        A::Company,
        "C",
        "the contact's company",
        "company",
    ),
    (
        C::Contact,
        A::CopyEmail,
        "y",
        "copy the email (OSC 52)",
        "copy email",
    ),
    (
        C::Contact,
        A::CopyPhone,
        "Y",
        "copy the phone (OSC 52)",
        "copy phone",
    ),
    (
        C::Contact,
        A::OpenEmail,
        "o",
        "write an email (mailto:)",
        "mail",
    ),
    (
        C::Contact,
        A::OpenPhone,
        "O",
        "call with the system's dialer (tel:)",
        "",
    ),
    (C::Contact, A::Archive, "A", "archive or unarchive", ""),
    (C::Contact, A::Merge, "m", "merge into another contact", ""),
    (
        C::Contact,
        A::Purge,
        "P",
        "purge: erase for a deletion request (type the name)",
        "",
    ),
    (C::Contact, A::AddContact, "a", "add a contact", ""),
    (
        C::Company,
        A::Open,
        "enter",
        "open the selected person or deal",
        "open",
    ),
    (C::Company, A::Back, "esc backspace", "back", "back"),
    (C::Search, A::Open, "enter", "open the item", "open"),
    (C::Search, A::Down, "down ctrl-n", "next result", "next"),
    (C::Search, A::Up, "up ctrl-p", "previous result", ""),
    (C::Search, A::Cancel, "esc", "close", "close"),
    (
        C::Contact,
        A::LogCall,
        "c",
        "log a call with this contact",
        "call",
    ),
    (
        C::Contact,
        A::Back,
        "esc backspace",
        "back where you came from",
        "back",
    ),
    (
        C::Form,
        A::Save,
        "enter",
        "save (in call mode: go on)",
        "save",
    ),
    (C::Form, A::Cancel, "esc", "close without saving", "cancel"),
    (C::Form, A::NextField, "tab", "next field", "next field"),
    (C::Form, A::PrevField, "shift-tab", "previous field", ""),
    (
        C::Form,
        A::NewLine,
        "alt-enter ctrl-j",
        "new line in a note",
        "new line",
    ),
    (
        C::Form,
        A::Editor,
        "ctrl-e",
        "edit the note in $EDITOR",
        "$EDITOR",
    ),
    (C::Snooze, A::Tomorrow, "1", "tomorrow", "tomorrow"),
    (C::Snooze, A::ThreeDays, "3", "in three days", "3 days"),
    (C::Snooze, A::NextWeek, "w", "next week", "next week"),
    (
        C::Snooze,
        A::DefaultSnooze,
        "enter",
        "the configured default ([follow_up] snooze)",
        "default",
    ),
    (C::Snooze, A::TypeWhen, "t", "type a WHEN", "type"),
    (C::Snooze, A::Cancel, "esc", "close", "cancel"),
    (C::CallOutcome, A::Connected, "c", "connected", "connected"),
    (C::CallOutcome, A::Voicemail, "v", "voicemail", "voicemail"),
    (C::CallOutcome, A::NoAnswer, "n", "no answer", "no answer"),
    (
        C::CallOutcome,
        A::Skip,
        "s",
        "skip this contact untouched",
        "skip",
    ),
    (C::CallOutcome, A::Cancel, "esc", "leave call mode", "leave"),
    (C::EmailOutcome, A::Sent, "e", "sent", "sent"),
    (C::EmailOutcome, A::Replied, "r", "replied", "replied"),
    (
        C::EmailOutcome,
        A::Skip,
        "s",
        "skip this contact untouched",
        "skip",
    ),
    (
        C::EmailOutcome,
        A::Cancel,
        "esc",
        "leave call mode",
        "leave",
    ),
    (C::MeetingOutcome, A::Held, "h", "held", "held"),
    (C::MeetingOutcome, A::NoShow, "n", "no-show", "no-show"),
    (
        C::MeetingOutcome,
        A::Skip,
        "s",
        "skip this contact untouched",
        "skip",
    ),
    (
        C::MeetingOutcome,
        A::Cancel,
        "esc",
        "leave call mode",
        "leave",
    ),
    (
        C::CallNext,
        A::Tomorrow,
        "1",
        "next call tomorrow",
        "tomorrow",
    ),
    (C::CallNext, A::ThreeDays, "3", "in three days", "3 days"),
    (C::CallNext, A::NextWeek, "w", "next week", "next week"),
    (C::CallNext, A::TypeWhen, "t", "type a WHEN", "type"),
    (C::CallNext, A::NoNext, "0", "no next step", "none"),
    (
        C::CallNext,
        A::Cancel,
        "esc",
        "leave call mode, nothing saved",
        "leave",
    ),
    (C::Help, A::Down, "j down", "scroll down", ""),
    (C::Help, A::Up, "k up", "scroll up", ""),
    (C::Help, A::Cancel, "esc ? q", "close the help", "close"),
    (C::Confirm, A::Yes, "y", "yes", "yes"),
    (C::Confirm, A::No, "n esc", "no", "no"),
    // Follow-ups edited where they show, the agenda, a deal's contact, the companies.
    (
        C::Today,
        A::EditFollowUp,
        "e",
        "edit the follow-up: text, date, kind, repeat, deal",
        "edit",
    ),
    (
        C::Today,
        A::CancelFollowUp,
        "X",
        "cancel the follow-up (u undoes)",
        "",
    ),
    (
        C::Today,
        A::Agenda,
        "A",
        "agenda: Upcoming shows 30 days, or 7 again",
        "",
    ),
    (
        C::Contact,
        A::NextFollowUpRow,
        "J",
        "select the next open follow-up",
        "",
    ),
    (
        C::Contact,
        A::PrevFollowUpRow,
        "K",
        "select the previous open follow-up",
        "",
    ),
    (
        C::Contact,
        A::EditFollowUp,
        "T",
        "edit the selected follow-up (J/K select)",
        "edit follow-up",
    ),
    (
        C::Contact,
        A::CancelFollowUp,
        "X",
        "cancel the selected follow-up (u undoes)",
        "",
    ),
    (
        C::Deal,
        A::Open,
        "enter",
        "open the deal's contact",
        "contact",
    ),
    (
        C::Contacts,
        A::Companies,
        "C",
        "the companies: a list to filter and open",
        "",
    ),
    (C::Companies, A::Open, "enter", "open the company", "open"),
    (
        C::Companies,
        A::Filter,
        "/",
        "filter the companies as you type",
        "filter",
    ),
    (
        C::Companies,
        A::Back,
        "esc backspace",
        "clear the filter, or back",
        "back",
    ),
];

#[derive(Debug, Clone)]
pub struct Keymap {
    pub bindings: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Self {
        let bindings = DEFAULTS
            .iter()
            .map(|(context, action, keys, desc, hint)| Binding {
                context: *context,
                action: *action,
                keys: keys.split_whitespace().filter_map(Key::parse).collect(),
                desc,
                hint,
            })
            .collect();
        Keymap { bindings }
    }
}

/// A `[keys]` entry that cannot be used: which action it rebinds, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyProblem {
    pub action: String,
    pub message: String,
}

impl Keymap {
    /// The defaults with `[keys]` applied: `action = "key [key…]"` replaces that action's keys
    /// in every context it appears in. Unknown actions, unreadable keys and a key taken twice
    /// in one context are errors, so nothing starts with a keymap that does not work.
    pub fn from_config(keys: &BTreeMap<String, String>) -> Result<Keymap> {
        Keymap::build(keys).map_err(|p| Error::input(format!("config [keys]: {}", p.message)))
    }

    /// [`Keymap::from_config`], saying which `[keys]` entry is wrong so the config check can
    /// name its line.
    pub fn build(keys: &BTreeMap<String, String>) -> std::result::Result<Keymap, KeyProblem> {
        let problem = |action: &str, message: String| KeyProblem {
            action: action.to_string(),
            message,
        };
        let mut map = Keymap::default();
        for (name, value) in keys {
            let Some(action) = Action::from_name(name) else {
                let mut names: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
                names.sort_unstable();
                return Err(problem(
                    name,
                    format!(
                        "no action named {name:?}; the actions are: {}",
                        names.join(", ")
                    ),
                ));
            };
            let mut parsed = Vec::new();
            for k in value.split_whitespace() {
                parsed.push(Key::parse(k).ok_or_else(|| {
                    problem(
                        name,
                        format!(
                            "{name} = {value:?}: cannot read the key {k:?}; write keys like x, G, \
                             enter, esc, tab, shift-tab, ctrl-e, alt-enter, up, f2, space"
                        ),
                    )
                })?);
            }
            if parsed.is_empty() {
                return Err(problem(
                    name,
                    format!("{name} is empty; give it at least one key"),
                ));
            }
            for b in map.bindings.iter_mut().filter(|b| b.action == action) {
                b.keys = parsed.clone();
            }
        }
        map.check_clashes(keys)?;
        Ok(map)
    }

    fn check_clashes(
        &self,
        keys: &BTreeMap<String, String>,
    ) -> std::result::Result<(), KeyProblem> {
        for (i, a) in self.bindings.iter().enumerate() {
            for b in &self.bindings[i + 1..] {
                if a.context != b.context || a.action == b.action {
                    continue;
                }
                if let Some(k) = a.keys.iter().find(|k| b.keys.contains(k)) {
                    // The line to point at is the rebinding that made the clash.
                    let culprit = if keys.contains_key(b.action.name()) {
                        b.action.name()
                    } else {
                        a.action.name()
                    };
                    return Err(KeyProblem {
                        action: culprit.to_string(),
                        message: format!(
                            "{k} is bound to both {} and {} ({})",
                            a.action.name(),
                            b.action.name(),
                            a.context.title()
                        ),
                    });
                }
            }
        }
        Ok(())
    }

    /// The action a key means, looking through `contexts` in order.
    pub fn lookup(&self, key: &KeyEvent, contexts: &[Context]) -> Option<Action> {
        let k = Key::from_event(key);
        contexts.iter().find_map(|c| {
            self.bindings
                .iter()
                .find(|b| b.context == *c && b.keys.contains(&k))
                .map(|b| b.action)
        })
    }

    /// The keys of an action in a context, as the help shows them (`j/↓`).
    pub fn keys_of(&self, context: Context, action: Action) -> String {
        self.bindings
            .iter()
            .find(|b| b.context == context && b.action == action)
            .map(|b| label(&b.keys))
            .unwrap_or_default()
    }

    /// `(keys, hint)` for the bar, in table order, for the contexts given.
    pub fn hints(&self, contexts: &[Context]) -> Vec<(String, &'static str)> {
        let mut out: Vec<(String, &'static str)> = Vec::new();
        let mut taken: Vec<Key> = Vec::new();
        for c in contexts {
            let here: Vec<&Binding> = self.bindings.iter().filter(|b| b.context == *c).collect();
            for b in &here {
                // A key an earlier context already uses means that there, not this.
                let keys: Vec<Key> = b
                    .keys
                    .iter()
                    .filter(|k| !taken.contains(k))
                    .copied()
                    .collect();
                if b.hint.is_empty() || keys.is_empty() || out.iter().any(|(_, h)| *h == b.hint) {
                    continue;
                }
                out.push((first_key(&keys), b.hint));
            }
            taken.extend(here.iter().flat_map(|b| b.keys.iter().copied()));
        }
        out
    }

    /// For a key that does nothing where it was pressed: where it does something, and what,
    /// from the table (`x works on Today: mark the follow-up done`). `None` when the key
    /// means nothing on any screen.
    pub fn where_it_works(&self, key: &KeyEvent) -> Option<String> {
        if !matches!(key.code, KeyCode::Char(_)) {
            return None;
        }
        let k = Key::from_event(key);
        // (what it does, the places it does it), in table order.
        let mut uses: Vec<(&'static str, Vec<&'static str>)> = Vec::new();
        for b in self.bindings.iter().filter(|b| b.keys.contains(&k)) {
            let Some(place) = b.context.place() else {
                continue;
            };
            match uses.iter_mut().find(|(d, _)| *d == b.desc) {
                Some((_, places)) => places.push(place),
                None => uses.push((b.desc, vec![place])),
            }
        }
        if uses.is_empty() {
            return None;
        }
        let said: Vec<String> = uses
            .iter()
            .map(|(desc, places)| format!("{}: {desc}", and_list(places)))
            .collect();
        Some(format!("{k} works {}", said.join("; ")))
    }

    /// The help: one section per context, one `(keys, description)` line per action.
    pub fn help(&self) -> Vec<(Context, Vec<(String, &'static str)>)> {
        let mut out: Vec<(Context, Vec<(String, &'static str)>)> = Vec::new();
        for b in &self.bindings {
            let line = (label(&b.keys), b.desc);
            match out.iter_mut().find(|(c, _)| *c == b.context) {
                Some((_, lines)) => lines.push(line),
                None => out.push((b.context, vec![line])),
            }
        }
        out
    }
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn label(keys: &[Key]) -> String {
    keys.iter()
        .map(|k| k.to_string())
        .collect::<Vec<_>>()
        .join("/")
}

fn first_key(keys: &[Key]) -> String {
    keys.first().map(|k| k.to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    #[test]
    fn defaults_have_no_clash_and_every_key_parses() {
        let m = Keymap::default();
        m.check_clashes(&BTreeMap::new()).unwrap();
        for (c, a, keys, _, _) in DEFAULTS {
            let n = keys.split_whitespace().count();
            let b = m
                .bindings
                .iter()
                .find(|b| b.context == *c && b.action == *a)
                .unwrap();
            assert_eq!(b.keys.len(), n, "{keys}");
        }
    }

    #[test]
    fn lookup_routes_specific_first() {
        let m = Keymap::default();
        let n = ev(KeyCode::Char('n'), KeyModifiers::NONE);
        assert_eq!(
            m.lookup(&n, &[C::CallOutcome, C::Global]),
            Some(A::NoAnswer)
        );
        assert_eq!(m.lookup(&n, &[C::Today, C::Global]), Some(A::Note));
        let f = ev(KeyCode::Char('F'), KeyModifiers::SHIFT);
        assert_eq!(m.lookup(&f, &[C::Today]), Some(A::CallMode));
        let cj = ev(KeyCode::Char('j'), KeyModifiers::CONTROL);
        assert_eq!(m.lookup(&cj, &[C::Form]), Some(A::NewLine));
        let ae = ev(KeyCode::Enter, KeyModifiers::ALT);
        assert_eq!(m.lookup(&ae, &[C::Form]), Some(A::NewLine));
    }

    #[test]
    fn config_rebinds_and_rejects_unknown() {
        let mut keys = BTreeMap::new();
        keys.insert("done".to_string(), "d".to_string());
        let m = Keymap::from_config(&keys).unwrap();
        let d = ev(KeyCode::Char('d'), KeyModifiers::NONE);
        assert_eq!(m.lookup(&d, &[C::Today]), Some(A::Done));
        let x = ev(KeyCode::Char('x'), KeyModifiers::NONE);
        assert_eq!(m.lookup(&x, &[C::Today]), None);

        keys.insert("fly".to_string(), "z".to_string());
        let e = Keymap::from_config(&keys).unwrap_err().to_string();
        assert!(e.contains("no action named \"fly\""), "{e}");

        let mut keys = BTreeMap::new();
        keys.insert("done".to_string(), "s".to_string());
        let e = Keymap::from_config(&keys).unwrap_err().to_string();
        assert!(e.contains("bound to both"), "{e}");

        let mut keys = BTreeMap::new();
        keys.insert("done".to_string(), "ctrl-".to_string());
        assert!(Keymap::from_config(&keys).is_err());
    }

    #[test]
    fn keys_display() {
        assert_eq!(Key::parse("ctrl-e").unwrap().to_string(), "Ctrl-e");
        assert_eq!(Key::parse("shift-tab").unwrap().to_string(), "Shift-Tab");
        assert_eq!(Key::parse("alt-enter").unwrap().to_string(), "Alt-Enter");
        assert_eq!(Key::parse("G").unwrap().to_string(), "G");
        assert_eq!(Key::parse("-").unwrap().to_string(), "-");
    }
}
