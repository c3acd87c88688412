//! `team add|list|remove`: the people who work a book on a PostgreSQL server.

use std::io::{Read, Write};

use clap::{Subcommand, ValueEnum};
use serde::Serialize;

use crate::cli::args::Cli;
use crate::error::{Error, Result};
use crate::inert::clean;
use crate::ops::Desk;
use crate::ops::team::{Login, NewMember, Role};
use crate::paths;

#[derive(Debug, Subcommand)]
pub enum TeamCmd {
    /// Put a PostgreSQL login on the team, making the login if there is none (managers; needs
    /// CREATEROLE)
    Add {
        /// The login name, exactly as the server spells it
        name: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        /// Read the new login's password from the first line of stdin (never from the
        /// command line)
        #[arg(long)]
        password_stdin: bool,
        /// The person's name as the desk shows it
        #[arg(long, value_name = "TEXT")]
        display_name: Option<String>,
    },
    /// The people on the team: login, role and name
    List {
        #[arg(long)]
        json: bool,
    },
    /// Take a login off the team (managers); the PostgreSQL login itself is kept
    Remove { name: String },
    /// The team's settings in the book (currency, pipelines and stages, stale days, sequences,
    /// referral rules), which every desk on it uses; --import sets them (managers)
    Settings {
        #[arg(long, conflicts_with = "import")]
        json: bool,
        /// A config file whose team sections become the team's settings
        #[arg(long, value_name = "FILE")]
        import: Option<std::path::PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    Rep,
    Manager,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Rep => Role::Rep,
            RoleArg::Manager => Role::Manager,
        }
    }
}

/// A team is a server book's: on a file book every `team` command is refused, before the
/// book is opened (so none is made).
pub fn needs_server(cli: &Cli) -> Result<()> {
    let book = paths::db_path(cli.db.as_deref())?;
    if paths::is_server(&book) {
        return Ok(());
    }
    Err(Error::input(
        "teams need a book on a PostgreSQL server (--db postgres://USER@HOST/DB); this book is \
         a file, worked by its one local user",
    ))
}

pub fn run(desk: &mut Desk, cmd: &TeamCmd, out: &mut dyn Write) -> Result<()> {
    match cmd {
        TeamCmd::Add {
            name,
            role,
            password_stdin,
            display_name,
        } => {
            let password = if *password_stdin {
                Some(read_password(&mut std::io::stdin().lock())?)
            } else {
                None
            };
            add(
                desk,
                &NewMember {
                    login: name,
                    role: (*role).into(),
                    display_name: display_name.as_deref(),
                    password: password.as_deref(),
                },
                out,
            )
        }
        TeamCmd::List { json } => list(desk, *json, out),
        TeamCmd::Settings { json, import } => match import {
            Some(path) => import_settings(desk, path, out),
            None => settings(desk, *json, out),
        },
        TeamCmd::Remove { name } => {
            desk.team_remove(name)?;
            writeln!(
                out,
                "{}",
                clean(&format!(
                    "removed {name} from the team; the PostgreSQL login {name} is kept (an \
                     administrator drops it with DROP ROLE)"
                ))
            )?;
            Ok(())
        }
    }
}

fn add(desk: &mut Desk, m: &NewMember<'_>, out: &mut dyn Write) -> Result<()> {
    let login = desk.team_add(m)?;
    let how = match login {
        Login::Created => "a new PostgreSQL login",
        Login::Existed => "the PostgreSQL login that was there",
    };
    writeln!(
        out,
        "{}",
        clean(&format!(
            "added {} to the team as a {}, with {how}",
            m.login,
            m.role.as_str()
        ))
    )?;
    Ok(())
}

fn settings(desk: &Desk, json: bool, out: &mut dyn Write) -> Result<()> {
    let text = desk.team_settings()?;
    if json {
        let v = match &text {
            Some(t) => crate::config::team::as_json(t)?,
            None => serde_json::Value::Null,
        };
        return crate::cli::output::json(out, &v);
    }
    match text {
        Some(t) => {
            for line in t.lines() {
                writeln!(out, "{}", clean(line))?;
            }
        }
        None => writeln!(
            out,
            "the team has no settings in the book yet, so each desk uses its own config's; a \
             manager sets them with `salesdesk team settings --import FILE`"
        )?,
    }
    Ok(())
}

fn import_settings(desk: &mut Desk, path: &std::path::Path, out: &mut dyn Write) -> Result<()> {
    let bytes = std::fs::read(path)
        .map_err(|e| Error::input(format!("cannot read {}: {e}", path.display())))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::input(format!(
            "{} is not a config file (not UTF-8 text)",
            path.display()
        ))
    })?;
    let kept = desk.import_team_settings(&text).map_err(|e| match e {
        Error::Input(m) => Error::input(format!("{}: {m}", path.display())),
        e => e,
    })?;
    let sections = crate::config::team::sections(&kept);
    writeln!(
        out,
        "{}",
        clean(&format!(
            "the team's settings are now those of {} ({}): every desk on this book uses them",
            path.display(),
            if sections.is_empty() {
                "the defaults".to_string()
            } else {
                sections.join(", ")
            }
        ))
    )?;
    Ok(())
}

/// The first line of `input`, without its line end: a password, which must not be empty.
fn read_password(input: &mut dyn Read) -> Result<String> {
    let mut all = String::new();
    input
        .read_to_string(&mut all)
        .map_err(|e| Error::input(format!("could not read the password from stdin: {e}")))?;
    let line = all.lines().next().unwrap_or("");
    if line.is_empty() {
        return Err(Error::input(
            "--password-stdin read no password: give it as the first line of stdin",
        ));
    }
    Ok(line.to_string())
}

#[derive(Serialize)]
struct Row<'a> {
    login: &'a str,
    role: &'a str,
    name: Option<&'a str>,
}

fn list(desk: &Desk, json: bool, out: &mut dyn Write) -> Result<()> {
    let members = desk.team_list()?;
    let rows: Vec<Row<'_>> = members
        .iter()
        .map(|m| Row {
            login: &m.login,
            role: &m.role,
            name: m.display_name.as_deref(),
        })
        .collect();
    if json {
        return crate::cli::output::json(out, &rows);
    }
    let width = rows
        .iter()
        .map(|r| r.login.chars().count())
        .max()
        .unwrap_or(0);
    for r in &rows {
        let line = format!(
            "{:<width$}  {:<7}  {}",
            r.login,
            r.role,
            r.name.unwrap_or("")
        );
        writeln!(out, "{}", clean(line.trim_end()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_the_first_line_and_an_empty_one_is_refused() {
        let mut input: &[u8] = b"s3cret pass\nignored\n";
        assert_eq!(read_password(&mut input).unwrap(), "s3cret pass");
        let mut crlf: &[u8] = b"pw\r\n";
        assert_eq!(read_password(&mut crlf).unwrap(), "pw");
        let mut empty: &[u8] = b"\n";
        assert!(read_password(&mut empty).is_err());
        let mut nothing: &[u8] = b"";
        assert!(read_password(&mut nothing).is_err());
    }
}
