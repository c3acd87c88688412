//! The team on a server book (`team add|list|remove`): the people who work it, as PostgreSQL
//! logins with a role. A file book has no team: its single local user does everything.

use crate::error::Result;
use crate::ops::Desk;

pub use crate::storage::pg::team::{Login, Member};

/// A member's role on the team.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Rep,
    Manager,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Rep => "rep",
            Role::Manager => "manager",
        }
    }
}

/// What to add: the login, its role, and what else is known of the person.
pub struct NewMember<'a> {
    pub login: &'a str,
    pub role: Role,
    pub display_name: Option<&'a str>,
    /// The new login's password; never shown, sent to the server only as a SCRAM verifier.
    pub password: Option<&'a str>,
}

impl Desk {
    pub fn team_list(&self) -> Result<Vec<Member>> {
        self.db.team_list()
    }

    pub fn team_add(&mut self, m: &NewMember<'_>) -> Result<Login> {
        let now = self.clock.stamp();
        self.db
            .team_add(m.login, m.role.as_str(), m.display_name, m.password, &now)
    }

    pub fn team_remove(&mut self, login: &str) -> Result<()> {
        self.db.team_remove(login)
    }
}
