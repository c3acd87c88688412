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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scope_names_the_owner_it_cuts_to() {
        assert_eq!(Scope::Mine.owner("ana"), Some("ana"));
        assert_eq!(Scope::Owner("bo".into()).owner("ana"), Some("bo"));
        assert_eq!(Scope::Team.owner("ana"), None);
    }
}
