//! Who works the book: the user a command runs as, and whose rows a list shows.

/// The single user of a personal (SQLite) book, who owns every row in it.
pub const LOCAL_USER: &str = "me";

/// A contact, deal or follow-up given from one owner to another.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Reassignment {
    pub from: String,
    pub to: String,
    /// Who gave it.
    pub by: String,
    #[serde(serialize_with = "crate::clock::json::time")]
    pub at: chrono::DateTime<chrono::Local>,
}

impl Reassignment {
    /// `ana → bo · by mia`, as a page lists it.
    pub fn describe(&self) -> String {
        format!("{} → {} · by {}", self.from, self.to, self.by)
    }
}

/// A login as a page names it (an owner, an author, who moved a deal) where a team works the
/// book; None on a personal book, whose one user owns and writes everything.
pub fn team_login(login: &str) -> Option<&str> {
    (login != LOCAL_USER).then_some(login)
}

/// A login as a desk names it: only someone other than the desk's user (`me`), as a board
/// card's initials do; nothing on a personal book.
pub fn someone_else<'a>(login: &'a str, me: &str) -> Option<&'a str> {
    team_login(login).filter(|l| *l != me)
}

/// Whose follow-ups, deals or numbers a list shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Scope {
    /// The user's own (on a personal book: everything).
    #[default]
    Mine,
    /// One colleague's (`--owner NAME`).
    Owner(String),
    /// Everyone's (`--team`).
    Team,
}

impl Scope {
    /// The owner a list is cut to, given who runs it; None for the whole team.
    pub fn owner<'a>(&'a self, me: &'a str) -> Option<&'a str> {
        match self {
            Scope::Mine => Some(me),
            Scope::Owner(name) => Some(name),
            Scope::Team => None,
        }
    }
}

/// A login's initials as a card shows them: the first letters of its first two parts
/// (`ana.lima` → `AL`), else its first two letters (`bob` → `BO`).
pub fn initials(login: &str) -> String {
    let parts: Vec<&str> = login
        .split(|c: char| !c.is_alphanumeric())
        .filter(|p| !p.is_empty())
        .collect();
    let letters: String = match parts.as_slice() {
        [a, b, ..] => a.chars().take(1).chain(b.chars().take(1)).collect(),
        [a] => a.chars().take(2).collect(),
        [] => login.chars().take(2).collect(),
    };
    letters.to_uppercase()
}

/// Whose rows a team's table or board shows after `o`: everyone's (None), then the user's,
/// then each other owner in `owners` by name, then everyone's again.
pub fn next_whose<'a>(
    now: Option<&str>,
    me: &str,
    owners: impl Iterator<Item = &'a str>,
) -> Option<String> {
    let mut others: Vec<&str> = owners.filter(|o| *o != me).collect();
    others.sort_unstable();
    others.dedup();
    match now {
        None => Some(me.to_string()),
        Some(w) => others
            .iter()
            .find(|o| w == me || **o > w)
            .map(|o| o.to_string()),
    }
}

/// What the status line says after `o`: "showing your contacts", "showing ana's deals".
pub fn whose_said(whose: Option<&str>, me: &str, rows: &str) -> String {
    match whose {
        None => format!("showing everyone's {rows}"),
        Some(w) if w == me => format!("showing your {rows}"),
        Some(w) => format!("showing {w}'s {rows}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scope_names_the_owner_it_cuts_to() {
        assert_eq!(Scope::Mine.owner("ana"), Some("ana"));
        assert_eq!(Scope::Owner("bo".into()).owner("ana"), Some("bo"));
        assert_eq!(Scope::Team.owner("ana"), None);
    }

    #[test]
    fn initials_are_two_letters_of_the_login() {
        assert_eq!(initials("ana.lima"), "AL");
        assert_eq!(initials("bob"), "BO");
        assert_eq!(initials("j"), "J");
        assert_eq!(initials("émile_zola"), "ÉZ");
        assert_eq!(initials("--"), "--");
    }

    #[test]
    fn o_walks_everyone_me_then_each_colleague_by_name() {
        let owners = ["bo", "me", "ana", "bo"];
        let mut seen = Vec::new();
        let mut w = None;
        for _ in 0..5 {
            w = next_whose(w.as_deref(), "me", owners.iter().copied());
            seen.push(whose_said(w.as_deref(), "me", "deals"));
        }
        assert_eq!(
            seen,
            [
                "showing your deals",
                "showing ana's deals",
                "showing bo's deals",
                "showing everyone's deals",
                "showing your deals"
            ]
        );
    }
}
