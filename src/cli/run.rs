//! Runs one command on the book and prints what it did.

use std::io::Write;

use crate::cli::args::*;
use crate::cli::{book, contacts, deals, follow_ups, notes, output};
use crate::clock::Clock;
use crate::config::Config;
use crate::domain::team::Scope;
use crate::error::{Error, Result};
use crate::ops::Desk;
use crate::paths;
use crate::storage::{Access, Db};

/// Opens the book the flags name, with its config and clock. What opening did (a new book,
/// permissions tightened) is said on stderr.
pub fn open_desk(cli: &Cli) -> Result<Desk> {
    let config = Config::load(paths::config_path(cli.config.as_deref()).as_deref())?;
    open_desk_with(cli, config)
}

pub(super) fn open_desk_with(cli: &Cli, config: Config) -> Result<Desk> {
    let clock = Clock::from_env()?;
    let path = paths::db_path(cli.db.as_deref())?;
    let mut db = Db::open_for(&path, access(cli.command.as_ref()))?;
    for n in std::mem::take(&mut db.notices) {
        crate::inert::say("note", &n);
    }
    let mut desk = Desk::new(db, clock, config);
    desk.apply_team_settings()?;
    finish_pending_purges(&mut desk);
    settle_upgrades(&mut desk);
    Ok(desk)
}

/// What a schema upgrade leaves for a command that knows the config: the deals of the one
/// pipeline of before go to the first pipeline. One that cannot be done now (a read-only or
/// busy book) is done by a later command.
fn settle_upgrades(desk: &mut Desk) {
    if desk.db.read_only().is_some() {
        return;
    }
    let first = desk.config.first_pipeline();
    match desk.db.settle_pipeline_upgrade(&first) {
        Ok(true) => crate::inert::say_line(&format!(
            "note: the deals of the single pipeline of before are now in {first}, the first pipeline of the config"
        )),
        Ok(false) => {}
        Err(e) => crate::inert::say(
            "warning",
            &format!("could not move the deals of before into pipeline {first} yet: {e}"),
        ),
    }
}

/// A purge cut short (killed, disk full, a reader in the way) is finished before anything.
/// One that still cannot finish (a reader, a full disk) stays recorded for the next command,
/// and does not stop this one.
fn finish_pending_purges(desk: &mut Desk) {
    match desk.finish_pending(&mut |m| crate::inert::say_line(m)) {
        Ok(done) => {
            for p in done {
                crate::inert::say_line(&format!(
                    "finished the purge of {} that an earlier command could not finish",
                    p.name
                ));
            }
        }
        Err(e) => crate::inert::say(
            "warning",
            &format!("an earlier purge is not finished yet: {e}"),
        ),
    }
}

/// Commands that only read the book work on one that cannot be written (a 0400 file, a
/// read-only folder); the rest are refused up front, naming what is read-only.
fn access(command: Option<&Command>) -> Access {
    let reads = match command {
        Some(Command::Today { .. })
        | Some(Command::Export(_))
        | Some(Command::Report { .. })
        | Some(Command::Search { .. })
        | Some(Command::Backup { .. })
        | Some(Command::Db(_))
        | Some(Command::Completions { .. }) => true,
        Some(Command::Contact(c)) => {
            matches!(c, ContactCmd::List { .. } | ContactCmd::Show { .. })
        }
        Some(Command::Deal(d)) => matches!(d, DealCmd::List(_)),
        Some(Command::Sequence(s)) => matches!(
            s,
            super::args::SequenceCmd::List { .. } | super::args::SequenceCmd::Show { .. }
        ),
        Some(Command::FollowUp(f)) => matches!(f.cmd, Some(FollowUpCmd::List(_))),
        _ => false,
    };
    if reads { Access::Read } else { Access::Write }
}

pub fn run(cli: Cli, out: &mut dyn Write) -> Result<()> {
    let result = run_command(&cli, out);
    // Damage SQLite reported on the way is recorded beside the book, so every later command
    // warns (a stat of the record) until `db check` passes.
    if crate::ops::damage::take_corrupt_seen()
        && let Ok(book) = paths::db_path(cli.db.as_deref())
        && let Some(w) = crate::ops::damage::found_by_sqlite(&book, result.as_ref().err())
        // A failed command's error already says the book is corrupt.
        && result.is_ok()
    {
        crate::inert::say_line(&w);
    }
    result
}

fn run_command(cli: &Cli, out: &mut dyn Write) -> Result<()> {
    let Some(command) = &cli.command else {
        return Err(Error::input("no command given; run `salesdesk --help`"));
    };
    if without_book(cli, command, out)? {
        return Ok(());
    }
    // Every other command checks the whole config first, the book's path included, so a
    // broken file is found before anything runs.
    let config = Config::load(paths::config_path(cli.config.as_deref()).as_deref())?;
    if let Command::Db(DbCmd::Path) = command {
        let p = paths::db_path(cli.db.as_deref())?;
        writeln!(out, "{}", paths::shown(&p))?;
        return Ok(());
    }
    if let Command::Db(cmd @ (DbCmd::Init | DbCmd::Migrate)) = command {
        return super::book::init_or_migrate(cli, matches!(cmd, DbCmd::Init), out);
    }
    if let Command::Team(_) = command {
        super::team::needs_server(cli)?;
    }
    if let Command::Remind(r) = command {
        return super::remind::run(cli, r, config, out);
    }
    crate::storage::busy::say_waiting(true);
    let mut desk = open_desk_with(cli, config)?;
    if let Some(w) = desk.db.path().and_then(crate::ops::damage::warning) {
        crate::inert::say_line(&w);
    }
    on_the_book(&mut desk, cli, command, out)
}

/// Runs the commands that need no book (nor a valid config); false for every other.
fn without_book(cli: &Cli, command: &Command, out: &mut dyn Write) -> Result<bool> {
    match command {
        Command::Completions { shell } => {
            use clap::CommandFactory;
            let mut cmd = Cli::command();
            clap_complete::generate(*shell, &mut cmd, "salesdesk", out);
        }
        Command::Config(ConfigCmd::Path) => match paths::config_path(cli.config.as_deref()) {
            Some(p) => writeln!(out, "{}", p.display())?,
            None => {
                return Err(Error::env(
                    "no home folder, so no config file: the defaults apply; \
                     set $HOME, or pass --config PATH",
                ));
            }
        },
        Command::Config(ConfigCmd::Check) => config_check(cli, out)?,
        _ => return Ok(false),
    }
    Ok(true)
}

fn config_check(cli: &Cli, out: &mut dyn Write) -> Result<()> {
    let path = paths::config_path(cli.config.as_deref());
    Config::load(path.as_deref())?;
    match path {
        Some(p) if p.exists() => writeln!(out, "ok: {}", p.display())?,
        Some(p) => writeln!(
            out,
            "ok: {} does not exist; the defaults apply",
            p.display()
        )?,
        None => writeln!(out, "ok: no config file; the defaults apply")?,
    }
    Ok(())
}

/// One command on the open book, handed to the module of its kind.
fn on_the_book(desk: &mut Desk, cli: &Cli, command: &Command, out: &mut dyn Write) -> Result<()> {
    match command {
        Command::Today {
            days,
            brief,
            json,
            whose,
        } => today(desk, *days, *brief, *json, whose.scope(), out),
        Command::Contact(c) => contacts::run(desk, c, out),
        Command::Deal(d) => deals::run(desk, d, out),
        Command::Note(n) => notes::run(desk, n, out),
        Command::FollowUp(f) => follow_ups::run(desk, f, out),
        Command::Done { id } => follow_ups::done(desk, *id, out),
        Command::Snooze { id, when } => follow_ups::snooze(desk, *id, when, out),
        Command::Import(a) => super::io::import(desk, a, out),
        Command::Export(a) => super::io::export(desk, a, out),
        Command::Report {
            since,
            pipeline,
            json,
            whose,
        } => super::report::run(desk, since, pipeline.as_deref(), whose.scope(), *json, out),
        Command::Undo => book::undo(desk, out),
        Command::Sequence(s) => super::sequences::run(desk, s, out),
        Command::Team(t) => super::team::run(desk, t, out),
        Command::Search { query, limit, json } => search(desk, query, *limit, *json, out),
        Command::Backup { path } => book::backup(desk, path.as_deref(), out),
        Command::Restore { path } => book::restore(desk, path, out),
        Command::Demo { force } => book::demo(desk, *force, out),
        Command::Db(DbCmd::Check) => super::check::db_check(desk, cli, out),
        Command::Completions { .. }
        | Command::Db(DbCmd::Path | DbCmd::Init | DbCmd::Migrate)
        | Command::Config(_)
        | Command::Remind(_) => Ok(()),
    }
}

fn today(
    desk: &mut Desk,
    days: i64,
    brief: bool,
    json: bool,
    scope: Scope,
    out: &mut dyn Write,
) -> Result<()> {
    if brief {
        writeln!(out, "{}", desk.brief(scope)?)?;
    } else {
        // Printed once read: a pipe that is slow to take the lines (`| less`) must not hold
        // the book's snapshot open on a server, nor a file's reader.
        let t = desk.today(days as u32, scope)?;
        if json {
            output::json(out, &t)?;
        } else {
            output::today(out, &t, &desk.clock)?;
        }
    }
    Ok(())
}

fn search(
    desk: &mut Desk,
    query: &[String],
    limit: i64,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let q = query.join(" ");
    let hits = desk.search(&q, limit as usize)?;
    if json {
        output::json(out, &hits)?;
    } else if hits.is_empty() {
        writeln!(out, "nothing found for {q:?}")?;
    } else {
        output::search(out, &hits)?;
    }
    Ok(())
}
