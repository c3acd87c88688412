//! The team on a server book (`team add|list|remove`): the people who work it, as PostgreSQL
//! logins with a role. A file book has no team: its single local user does everything.

use crate::config::Config;
use crate::domain::team::Scope;
use crate::error::{Error, Result};
use crate::ops::Desk;

pub use crate::storage::pg::team::{Login, Member};

/// The `meta` entry that holds the team's settings.
const TEAM_SETTINGS: &str = "team_settings";

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

    /// The owner `--owner NAME` names, checked: someone on the team, and given by a manager
    /// (a rep may only name themselves). None when not given.
    pub fn owner_named(&self, name: Option<&str>) -> Result<Option<String>> {
        let Some(name) = name.map(str::trim) else {
            return Ok(None);
        };
        if name.is_empty() {
            return Err(Error::input(
                "--owner and --assign need a NAME: someone on the team (`salesdesk team list`)",
            ));
        }
        if !self.db.on_server() {
            return Err(Error::input(
                "--owner and --assign need a team's book on a PostgreSQL server; a personal book has one \
                 user, who owns everything in it",
            ));
        }
        if name == self.db.user() {
            return Ok(Some(name.to_string()));
        }
        if self.db.team_role(name)?.is_none() {
            return Err(Error::input(format!(
                "{name} is not on the team; `salesdesk team list` shows who is"
            )));
        }
        if !self.db.is_manager()? {
            return Err(Error::input(format!(
                "only a manager gives a contact, deal or follow-up to a colleague; {} is not a \
                 manager of this book",
                self.db.user()
            )));
        }
        Ok(Some(name.to_string()))
    }

    /// Who `import --assign` gives the new contacts to: NAME alone, or every rep on the team
    /// (not the managers) in turn for `round-robin`. Empty without the flag.
    pub fn assignees(&self, assign: Option<&str>) -> Result<Vec<String>> {
        match assign.map(str::trim) {
            None => Ok(Vec::new()),
            Some("round-robin") => {
                if !self.db.on_server() {
                    return Err(Error::input(
                        "--assign needs a team's book on a PostgreSQL server; a personal book \
                         has one user, who owns everything in it",
                    ));
                }
                if !self.db.is_manager()? {
                    return Err(Error::input(format!(
                        "only a manager shares leads out; {} is not a manager of this book",
                        self.db.user()
                    )));
                }
                let reps: Vec<String> = self
                    .db
                    .team_list()?
                    .into_iter()
                    .filter(|m| m.role == "rep")
                    .map(|m| m.login)
                    .collect();
                if reps.is_empty() {
                    return Err(Error::input(
                        "--assign round-robin shares leads among the team's reps, and it has \
                         none; `salesdesk team add NAME --role rep` adds one",
                    ));
                }
                Ok(reps)
            }
            Some(name) => Ok(self.owner_named(Some(name))?.into_iter().collect()),
        }
    }

    /// The team's settings in the book (the TOML of the team sections), if a manager set them.
    pub fn team_settings(&self) -> Result<Option<String>> {
        if !self.db.on_server() {
            return Ok(None);
        }
        self.db.meta_get(TEAM_SETTINGS)
    }

    /// Sets the team's settings from the config file `text` (its team sections): a manager's
    /// to do, and the server refuses anyone else too. Returns what was kept.
    pub fn import_team_settings(&mut self, text: &str) -> Result<String> {
        if !self.db.is_manager()? {
            return Err(Error::input(format!(
                "only a manager sets the team's settings; {} is not a manager of this book",
                self.db.user()
            )));
        }
        let team = crate::config::team::team_sections(text)?;
        self.db.meta_set(TEAM_SETTINGS, &team)?;
        self.config = std::mem::take(&mut self.config).with_team(Config::parse(&team)?);
        Ok(team)
    }

    /// On a team's book with settings, makes them this desk's, saying so when the user's own
    /// config set team sections of its own (they are ignored).
    pub fn apply_team_settings(&mut self) -> Result<()> {
        let Some(text) = self.team_settings()? else {
            return Ok(());
        };
        // Settings this version refuses (written by another) must not shut the team out of
        // its book, `team settings --import` included: this desk keeps its own, and says so.
        let team = match Config::parse(&text) {
            Ok(team) => team,
            Err(e) => {
                crate::inert::say(
                    "warning",
                    &format!(
                        "the team's settings in the book cannot be read ({e}); this desk uses                          its own config until a manager sets them again with `salesdesk team                          settings --import FILE`"
                    ),
                );
                return Ok(());
            }
        };
        if self.config.sets_team_sections()
            && self.config.clone().with_team(team.clone()) != self.config
        {
            crate::inert::say(
                "warning",
                "your config's currency, pipelines, sequences or referral rules are ignored on \
                 this team's book: the team's settings apply (`salesdesk team settings`)",
            );
        }
        self.config = std::mem::take(&mut self.config).with_team(team);
        Ok(())
    }

    /// Checks that the user may read the lists of `scope`: a colleague's or the team's are a
    /// manager's to read, on a server book (a personal book has one user and no team).
    pub fn may_see(&self, scope: Scope) -> Result<Scope> {
        may_see(&self.db, scope)
    }
}

/// [`Desk::may_see`] on the book `db` (a worker's connection).
pub fn may_see(db: &crate::ops::Db, scope: Scope) -> Result<Scope> {
    if scope == Scope::Mine {
        return Ok(scope);
    }
    if !db.on_server() {
        return Err(Error::input(
            "--owner and --team need a team's book on a PostgreSQL server; a personal book \
             has one user, who owns everything in it",
        ));
    }
    if let Scope::Owner(name) = &scope {
        if *name == db.user() {
            return Ok(Scope::Mine);
        }
        if db.team_role(name)?.is_none() {
            return Err(Error::input(format!(
                "{name} is not on the team; `salesdesk team list` shows who is"
            )));
        }
    }
    if !db.is_manager()? {
        return Err(Error::input(format!(
            "only a manager sees a colleague's or the whole team's list; {} is not a manager \
             of this book",
            db.user()
        )));
    }
    Ok(scope)
}
