//! The keymap as data: for each context, the actions, their keys and what they do. The help
//! overlay and the hint bar are generated from this table, and `[keys]` in the config
//! rebinds it (`done = "d"`, or several keys separated by spaces: `down = "j down ctrl-n"`).

use std::collections::BTreeMap;
use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::error::{Error, Result};
use crate::tui::action::Action;

mod table;
use table::DEFAULTS;

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
    use Action as A;
    use Context as C;

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
