//! `salesdesk remind`: the pass (quiet unless it sends), and `install`, `uninstall`,
//! `status` of the timer that runs it.

use std::io::Write;
use std::path::PathBuf;

use serde::Serialize;

use crate::cli::args::{Cli, RemindArgs, RemindCmd};
use crate::cli::output;
use crate::config::Config;
use crate::domain::remind::Via;
use crate::error::{Error, Result};
use crate::inert::clean;
use crate::io::notify::{self, Deliver};
use crate::io::remind_service::{self as service, Installed, Setup};
use crate::ops::remind::Outgoing;
use crate::paths;

pub fn run(cli: &Cli, args: &RemindArgs, config: Config, out: &mut dyn Write) -> Result<()> {
    match &args.cmd {
        None => pass(cli, args, config, out),
        Some(RemindCmd::Install) => install(cli, out),
        Some(RemindCmd::Uninstall) => uninstall(cli, out),
        Some(RemindCmd::Status { json }) => status(cli, config, *json, out),
    }
}

/// The book the pass works on, which must exist: a timer that made a new empty book every
/// minute at a mistyped path would hide the mistake forever.
fn existing_book(cli: &Cli) -> Result<PathBuf> {
    let path = paths::db_path(cli.db.as_deref())?;
    // A server book is checked by opening it: a database without the schema is refused.
    if !paths::is_server(&path) && std::fs::symlink_metadata(&path).is_err() {
        return Err(Error::env(format!(
            "no book at {}: `remind` never creates one; run `salesdesk` once to make it, or \
             pass --db",
            path.display()
        )));
    }
    Ok(path)
}

fn pass(cli: &Cli, args: &RemindArgs, config: Config, out: &mut dyn Write) -> Result<()> {
    let book = existing_book(cli)?;
    let mut desk = super::run::open_desk_with(cli, config)?;
    if args.dry_run {
        let plan = desk.remind_plan()?.outgoing;
        return if args.json {
            output::json(out, &plan)
        } else {
            for o in &plan {
                write!(out, "would send: ")?;
                notify::print(out, &o.message)?;
            }
            Ok(())
        };
    }
    let command = desk.config.remind.command.clone();
    // Under --json the document is what stdout carries: `print` is delivered by it.
    let mut printed: Vec<u8> = Vec::new();
    let mut deliver = Deliver::new(&command, &mut printed);
    let json = args.json;
    let result = desk.remind_pass(&mut |o: &Outgoing, via: Via| {
        if json && via == Via::Print {
            return Ok(());
        }
        deliver.send(&o.message, via)
    });
    out.write_all(&printed)?;
    let pass = result?;
    service::record_pass(&book, &desk.clock.stamp(), pass.sent.len());
    if args.json {
        output::json(out, &pass.sent)?;
    }
    if pass.failed.is_empty() {
        return Ok(());
    }
    // By number, not by name: these lines reach the journal or cron mail, outside the book.
    let reasons: Vec<String> = pass
        .failed
        .iter()
        .map(|(o, via, e)| {
            let what = match o.follow_up_id {
                Some(id) => format!("follow-up #{id}"),
                None => "the morning summary".to_string(),
            };
            format!("{what} by {}: {e}", via.as_str())
        })
        .collect();
    Err(Error::env(format!(
        "{} could not be delivered; the next pass tries again: {}",
        if reasons.len() == 1 {
            "a reminder".to_string()
        } else {
            format!("{} reminders", reasons.len())
        },
        reasons.join("; ")
    )))
}

/// The book, config and bus the timer will run with: all absolute, because a timer does not
/// start where the user stood.
fn setup(cli: &Cli) -> Result<Setup> {
    setup_for(cli, &existing_book(cli)?)
}

fn setup_for(cli: &Cli, book: &std::path::Path) -> Result<Setup> {
    let exe = std::env::current_exe()
        .map_err(|e| Error::env(format!("cannot tell where salesdesk is installed: {e}")))?;
    Ok(Setup {
        exe,
        book: paths::resolve(book),
        config: paths::config_path(cli.config.as_deref())
            .filter(|c| c.exists())
            .map(|c| paths::resolve(&c)),
        bus: var("DBUS_SESSION_BUS_ADDRESS"),
        tz: var("TZ"),
        path: var("PATH"),
    })
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn install(cli: &Cli, out: &mut dyn Write) -> Result<()> {
    let s = setup(cli)?;
    match service::install(&s)? {
        Installed::Systemd { dir } => {
            writeln!(
                out,
                "installed: {} runs `salesdesk remind` every minute on {}",
                dir.join(format!("{}.timer", service::UNIT)).display(),
                clean(&paths::shown(&s.book))
            )?;
        }
        Installed::Cron { line } => {
            writeln!(
                out,
                "systemctl --user does not work here; add this line with `crontab -e`:"
            )?;
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

fn uninstall(cli: &Cli, out: &mut dyn Write) -> Result<()> {
    // The book need not exist any more to take its timer away.
    let s = setup_for(cli, &paths::db_path(cli.db.as_deref())?)?;
    match service::uninstall(&s)? {
        Installed::Systemd { dir } => writeln!(
            out,
            "uninstalled: the reminders timer and its files in {} are gone",
            dir.display()
        )?,
        Installed::Cron { line } => {
            writeln!(
                out,
                "no reminders timer is installed; if you added the crontab line, remove it with `crontab -e`:"
            )?;
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct Status {
    installed: bool,
    /// The crontab line that runs the pass, when no timer does.
    crontab: Option<String>,
    /// What the timer runs with (`SALESDESK_DB`, `SALESDESK_CONFIG`, the bus).
    environment: Vec<(String, String)>,
    last_pass: Option<String>,
    last_pass_sent: Option<usize>,
    last_sent: Vec<crate::ops::remind::Sent>,
}

fn status(cli: &Cli, config: Config, json: bool, out: &mut dyn Write) -> Result<()> {
    let installed = service::installed_with()?;
    let crontab = if installed.is_none() {
        service::in_crontab()
    } else {
        None
    };
    let last = service::last_pass();
    let book = paths::db_path(cli.db.as_deref())?;
    let last_sent = if book.exists() || paths::is_server(&book) {
        let mut desk = super::run::open_desk_with(cli, config)?;
        desk.reminders_sent(5)?
    } else {
        Vec::new()
    };
    let st = Status {
        installed: installed.is_some() || crontab.is_some(),
        crontab: crontab.clone(),
        environment: installed.clone().unwrap_or_default(),
        last_pass: last.as_ref().map(|l| crate::clock::to_local_rfc3339(&l.0)),
        last_pass_sent: last.as_ref().map(|l| l.1),
        last_sent,
    };
    if json {
        return output::json(out, &st);
    }
    match &installed {
        Some(env) => {
            writeln!(out, "installed: a systemd user timer, every minute")?;
            for (k, v) in env {
                writeln!(out, "  {k}={v}")?;
            }
        }
        None => match &crontab {
            Some(line) => writeln!(out, "installed: a crontab line\n  {}", clean(line))?,
            None => writeln!(
                out,
                "not installed: no systemd timer and no crontab line (`salesdesk remind install`)"
            )?,
        },
    }
    match &last {
        Some((at, sent, b)) => writeln!(
            out,
            "last pass: {} on {}, sent {sent}",
            crate::clock::to_local_rfc3339(at),
            clean(&paths::shown(b))
        )?,
        None => writeln!(out, "last pass: never")?,
    }
    for s in &st.last_sent {
        let what = match (&s.contact_name, s.follow_up_id) {
            (_, 0) => format!("the morning summary of {}", s.due_at),
            (Some(name), id) => format!(
                "#{id} {name}{}",
                s.text
                    .as_deref()
                    .filter(|t| !t.is_empty())
                    .map(|t| format!(": {t}"))
                    .unwrap_or_default()
            ),
            (None, id) => format!("#{id} (since removed)"),
        };
        writeln!(
            out,
            "sent {} by {}: {what}",
            crate::clock::to_local_rfc3339(&s.sent_at),
            s.via
        )?;
    }
    Ok(())
}
