//! Runs one command on the book and prints what it did.

use std::io::{IsTerminal, Read, Write};

use crate::cli::args::*;
use crate::cli::output;
use crate::clock::Clock;
use crate::config::Config;
use crate::domain::contact::ContactFields;
use crate::domain::deal::DealStatus;
use crate::domain::deal::NewDeal;
use crate::domain::follow_up::NewFollowUp;
use crate::domain::money;
use crate::error::{Error, Result};
use crate::ops::Desk;
use crate::ops::contacts::ListEdits;
use crate::ops::deals::DealEdit;
use crate::ops::follow_ups::FollowUpEdit;
use crate::ops::notes::NoteInput;
use crate::ops::undo::Undone;
use crate::storage::contacts;
use crate::storage::deals;
use crate::storage::follow_ups;
use crate::storage::{Access, Db};
use crate::text::plural;
use crate::when::{self, Interval};
use crate::{paths, storage};

/// Opens the book the flags name, with its config and clock. What opening did (a new book,
/// permissions tightened) is said on stderr.
pub fn open_desk(cli: &Cli) -> Result<Desk> {
    let config = Config::load(paths::config_path(cli.config.as_deref()).as_deref())?;
    open_desk_with(cli, config)
}

fn open_desk_with(cli: &Cli, config: Config) -> Result<Desk> {
    let clock = Clock::from_env()?;
    let path = paths::db_path(cli.db.as_deref())?;
    let mut db = Db::open_for(&path, access(cli.command.as_ref()))?;
    for n in std::mem::take(&mut db.notices) {
        crate::inert::say("note", &n);
    }
    let mut desk = Desk::new(db, clock, config);
    // A purge cut short (killed, disk full, a reader in the way) is finished before anything.
    // One that still cannot finish (a reader, a full disk) stays recorded for the next
    // command, and does not stop this one.
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
    Ok(desk)
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
        Some(Command::Deal(d)) => matches!(d, DealCmd::List { .. }),
        Some(Command::FollowUp(f)) => matches!(f.cmd, Some(FollowUpCmd::List { .. })),
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
    // Commands that need no book.
    match command {
        Command::Completions { shell } => {
            use clap::CommandFactory;
            let mut cmd = Cli::command();
            clap_complete::generate(*shell, &mut cmd, "salesdesk", out);
            return Ok(());
        }
        Command::Config(ConfigCmd::Path) => {
            match paths::config_path(cli.config.as_deref()) {
                Some(p) => writeln!(out, "{}", p.display())?,
                None => {
                    return Err(Error::env(
                        "no home folder, so no config file: the defaults apply; \
                         set $HOME, or pass --config PATH",
                    ));
                }
            }
            return Ok(());
        }
        Command::Config(ConfigCmd::Check) => {
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
            return Ok(());
        }
        _ => {}
    }
    // Every other command checks the whole config first, the book's path included, so a
    // broken file is found before anything runs.
    let config = Config::load(paths::config_path(cli.config.as_deref()).as_deref())?;
    if let Command::Db(DbCmd::Path) = command {
        let p = paths::db_path(cli.db.as_deref())?;
        writeln!(out, "{}", p.display())?;
        return Ok(());
    }
    crate::storage::busy::say_waiting(true);
    let mut desk = open_desk_with(cli, config)?;
    if let Some(w) = desk.db.path().and_then(crate::ops::damage::warning) {
        crate::inert::say_line(&w);
    }
    match command {
        Command::Today { days, brief, json } => {
            if *brief {
                writeln!(out, "{}", desk.brief()?)?;
            } else {
                let t = desk.today(*days as u32)?;
                if *json {
                    output::json(out, &t)?;
                } else {
                    output::today(out, &t, &desk)?;
                }
            }
        }
        Command::Contact(c) => contact(&mut desk, c, out)?,
        Command::Deal(d) => deal(&mut desk, d, out)?,
        Command::Note(n) => note(&mut desk, n, out)?,
        Command::FollowUp(f) => follow_up(&mut desk, f, out)?,
        Command::Done { id } => {
            let next = desk.complete_follow_up(*id, None)?;
            writeln!(out, "follow-up #{id} done")?;
            if let Some(n) = next {
                let now = desk.clock.now_naive();
                let f = desk.db.read(|r| follow_ups::get(r, n, now))?;
                writeln!(
                    out,
                    "next: follow-up #{n} {}",
                    when::describe(f.due, desk.clock.now_naive())
                )?;
            }
        }
        Command::Snooze { id, when: words } => {
            let w = desk.when(&words.join(" "))?;
            let due = desk.snooze_follow_up(*id, w, None)?;
            writeln!(
                out,
                "follow-up #{id} snoozed to {}",
                when::describe(due, desk.clock.now_naive())
            )?;
        }
        Command::Import(a) => super::io::import(&mut desk, a, out)?,
        Command::Export(a) => super::io::export(&mut desk, a, out)?,
        Command::Report { since, json } => super::report::run(&mut desk, since, *json, out)?,
        Command::Undo => match desk.undo()? {
            Undone::Nothing => writeln!(out, "nothing to undo")?,
            Undone::Reverted(what) => writeln!(out, "undid {what}")?,
        },
        Command::Search { query, limit, json } => {
            let q = query.join(" ");
            let hits = desk
                .db
                .read(|conn| storage::search::search(conn, &q, *limit as usize))?;
            if *json {
                output::json(out, &hits)?;
            } else if hits.is_empty() {
                writeln!(out, "nothing found for {q:?}")?;
            } else {
                output::search(out, &hits)?;
            }
        }
        Command::Backup { path } => {
            let p = desk.backup(path.as_deref())?;
            writeln!(out, "backed up to {}", p.display())?;
        }
        Command::Restore { path } => {
            let kept = desk.restore(path)?;
            writeln!(out, "restored {}", path.display())?;
            if let Some(k) = kept {
                writeln!(out, "the book it replaced is kept as {}", k.display())?;
            }
        }
        Command::Demo { force } => {
            let n = desk.load_demo(*force)?;
            writeln!(
                out,
                "demo book loaded: {}, {}, {}, {}; `salesdesk` opens it",
                plural(n.contacts, "contact"),
                plural(n.deals, "deal"),
                plural(n.follow_ups, "follow-up"),
                plural(n.notes, "note")
            )?;
        }
        Command::Db(DbCmd::Check) => super::check::db_check(&desk, cli, out)?,
        Command::Completions { .. } | Command::Db(DbCmd::Path) | Command::Config(_) => {}
    }
    Ok(())
}

fn cadence(s: &Option<String>) -> Result<Option<Option<i64>>> {
    match s {
        None => Ok(None),
        Some(s) => {
            let days = Interval::cadence_days(s)
                .map_err(|e| Error::input(format!("--cadence {s:?}: {e}")))?;
            Ok(Some(Some(days)))
        }
    }
}

fn fields(name: Option<String>, f: &ContactFlags) -> Result<ContactFields> {
    let some_list = |v: &Vec<String>| if v.is_empty() { None } else { Some(v.clone()) };
    Ok(ContactFields {
        name,
        company: f.company.clone().map(Some),
        title: f.title.clone().map(Some),
        emails: some_list(&f.emails),
        phones: some_list(&f.phones),
        tags: some_list(&f.tags),
        source: f.source.clone().map(Some),
        status: f.status,
        temperature: f.temperature.map(Some),
        cadence_days: cadence(&f.cadence)?,
        ..Default::default()
    })
}

fn contact(desk: &mut Desk, c: &ContactCmd, out: &mut dyn Write) -> Result<()> {
    match c {
        ContactCmd::Add {
            name,
            flags,
            allow_duplicate,
        } => {
            let added =
                desk.add_contact_checked(&fields(Some(name.clone()), flags)?, *allow_duplicate)?;
            for w in &added.warnings {
                crate::inert::say("warning", w);
            }
            writeln!(out, "{}", added.id)?;
        }
        ContactCmd::Edit {
            contact,
            name,
            flags,
            add_tag,
            remove_tag,
            add_email,
            add_phone,
            no_cadence,
        } => {
            let id = desk.resolve_contact(contact)?;
            let mut f = fields(name.clone(), flags)?;
            if *no_cadence {
                f.cadence_days = Some(None);
            }
            let lists = ListEdits {
                add_tags: add_tag.clone(),
                remove_tags: remove_tag.clone(),
                add_emails: add_email.clone(),
                add_phones: add_phone.clone(),
            };
            desk.edit_contact(id, &f, &lists, None)?;
            writeln!(out, "contact #{id} updated")?;
        }
        ContactCmd::List {
            search,
            tag,
            status,
            archived,
            json,
        } => {
            let filter = crate::domain::contact::ListFilter {
                search: search.clone(),
                tag: tag.clone(),
                status: *status,
                archived: *archived,
                limit: None,
            };
            let list = desk.db.read(|conn| contacts::list(conn, &filter))?;
            if *json {
                output::json(out, &list)?;
            } else {
                output::contacts(out, &list, &desk.clock)?;
            }
        }
        ContactCmd::Show { contact, json } => {
            let id = desk.resolve_contact(contact)?;
            let view = desk.contact_view(id, 1000)?;
            if *json {
                output::json(out, &view)?;
            } else {
                output::contact_view(out, &view, &desk.clock)?;
            }
        }
        ContactCmd::Archive { contact } => {
            let id = desk.resolve_contact(contact)?;
            desk.set_archived(id, true)?;
            writeln!(out, "contact #{id} archived")?;
        }
        ContactCmd::Unarchive { contact } => {
            let id = desk.resolve_contact(contact)?;
            desk.set_archived(id, false)?;
            writeln!(out, "contact #{id} unarchived")?;
        }
        ContactCmd::Purge { contact, yes } => {
            let id = desk.resolve_contact(contact)?;
            if !*yes {
                return Err(Error::input(format!(
                    "purge erases contact #{id} and everything tied to them for good; add --yes to confirm"
                )));
            }
            let p = desk.purge_contact_saying(id, &mut |m| crate::inert::say_line(m))?;
            writeln!(
                out,
                "purged {} with {}, {} and {}",
                p.name,
                plural(p.deals, "deal"),
                plural(p.follow_ups, "follow-up"),
                plural(p.notes, "note")
            )?;
            if p.backups_cleaned > 0 {
                writeln!(
                    out,
                    "taken out of {} automatic backups, the rest of each kept",
                    p.backups_cleaned
                )?;
            }
            for r in &p.removed {
                writeln!(
                    out,
                    "removed {} (a half-written or damaged copy that could not be cleaned)",
                    r.display()
                )?;
            }
            crate::inert::say(
                "warning",
                "exports and copies made by hand (`salesdesk backup PATH`, `salesdesk export`) still hold this person; delete them too",
            );
        }
        ContactCmd::Merge { contact, into } => {
            let from = desk.resolve_contact(contact)?;
            let to = desk.resolve_contact(into)?;
            desk.merge_contacts(from, to)?;
            writeln!(out, "contact #{from} merged into #{to}")?;
        }
    }
    Ok(())
}

fn value(v: &Option<String>, currency: &Option<String>) -> Result<(Option<i64>, Option<String>)> {
    let (cents, sym) = match v {
        Some(v) => {
            let (c, s) = money::parse(v)?;
            (Some(c), s)
        }
        None => (None, None),
    };
    let cur = match currency {
        Some(c) => {
            let c = c.trim().to_ascii_uppercase();
            if c.len() != 3 || !c.chars().all(|x| x.is_ascii_alphabetic()) {
                return Err(Error::input(format!(
                    "--currency {c:?}: use a three-letter code like USD"
                )));
            }
            Some(c)
        }
        None => sym.map(str::to_string),
    };
    Ok((cents, cur))
}

fn close_date(desk: &Desk, close: &Option<String>) -> Result<Option<String>> {
    close
        .as_ref()
        .map(|c| Ok(desk.when(c)?.date().to_string()))
        .transpose()
}

fn deal(desk: &mut Desk, d: &DealCmd, out: &mut dyn Write) -> Result<()> {
    match d {
        DealCmd::Add {
            title,
            contact,
            value: v,
            currency,
            stage,
            close,
        } => {
            let contact_id = desk.resolve_contact(contact)?;
            let (cents, cur) = value(v, currency)?;
            let stage = match stage {
                Some(s) => desk.config.resolve_stage(s)?,
                None => desk.config.first_stage(),
            };
            let nd = NewDeal {
                title: title.clone(),
                contact_id,
                value_cents: cents.unwrap_or(0),
                currency: cur.unwrap_or_else(|| desk.config.currency()),
                stage,
                expected_close: close_date(desk, close)?,
            };
            let id = desk.add_deal(&nd)?;
            writeln!(out, "{id}")?;
        }
        DealCmd::Edit {
            id,
            title,
            contact,
            value: v,
            currency,
            close,
            stage,
        } => {
            let (cents, cur) = value(v, currency)?;
            let e = DealEdit {
                title: title.clone(),
                contact_id: contact
                    .as_ref()
                    .map(|c| desk.resolve_contact(c))
                    .transpose()?,
                value_cents: cents,
                currency: cur,
                expected_close: close_date(desk, close)?.map(Some),
                stage: stage
                    .as_ref()
                    .map(|s| desk.config.resolve_stage(s))
                    .transpose()?,
            };
            // One transaction: a stage that cannot be reached leaves the other fields as
            // they were too.
            desk.edit_deal(*id, &e, None)?;
            writeln!(out, "deal #{id} updated")?;
        }
        DealCmd::Move { id, stage } => {
            let s = desk.config.resolve_stage(stage)?;
            desk.move_deal(*id, &s, None)?;
            writeln!(out, "deal #{id} → {s}")?;
        }
        DealCmd::Won {
            id,
            keep_follow_ups,
        } => {
            let n = desk.close_deal(*id, DealStatus::Won, None, *keep_follow_ups, None)?;
            writeln!(out, "deal #{id} won")?;
            if let Some(w) = crate::ops::deals::cancelled_words(n) {
                writeln!(out, "{w}")?;
            }
        }
        DealCmd::Lost {
            id,
            reason,
            keep_follow_ups,
        } => {
            let n = desk.close_deal(*id, DealStatus::Lost, Some(reason), *keep_follow_ups, None)?;
            writeln!(out, "deal #{id} lost")?;
            if let Some(w) = crate::ops::deals::cancelled_words(n) {
                writeln!(out, "{w}")?;
            }
        }
        DealCmd::Reopen { id } => {
            desk.reopen_deal(*id, None)?;
            writeln!(out, "deal #{id} reopened")?;
        }
        DealCmd::Show { id, json } => {
            let view = desk.deal_view(*id, 1000)?;
            if *json {
                output::json(out, &view)?;
            } else {
                output::deal_view(out, &view, &desk.clock)?;
            }
        }
        DealCmd::List {
            stage,
            status,
            contact,
            company,
            json,
        } => {
            let stage = stage
                .as_ref()
                .map(|s| desk.config.resolve_stage(s))
                .transpose()?;
            let contact_id = contact
                .as_ref()
                .map(|c| desk.resolve_contact(c))
                .transpose()?;
            let company_id = company
                .as_ref()
                .map(|c| desk.db.read(|conn| contacts::resolve_company(conn, c)))
                .transpose()?;
            let f = crate::domain::deal::ListFilter {
                stage,
                status: *status,
                contact_id,
                company_id,
                history: *json,
            };
            let list = desk.db.read(|conn| deals::list(conn, &f))?;
            if *json {
                output::json(out, &list)?;
            } else {
                output::deals(out, &list)?;
            }
        }
    }
    Ok(())
}

fn note_body(text: &[String]) -> Result<String> {
    let joined = text.join(" ");
    if !text.is_empty() && joined != "-" {
        return Ok(joined);
    }
    let stdin = std::io::stdin();
    if joined != "-" && stdin.is_terminal() {
        return crate::editor::edit("")
            .map_err(|e| Error::input(format!("{e}; or give the note as TEXT")));
    }
    let mut s = String::new();
    stdin
        .lock()
        .read_to_string(&mut s)
        .map_err(|e| Error::input(format!("cannot read the note from stdin: {e}")))?;
    Ok(s)
}

fn note(desk: &mut Desk, n: &NoteArgs, out: &mut dyn Write) -> Result<()> {
    let contact_id = desk.resolve_contact(&n.contact)?;
    let next = n.next.as_ref().map(|w| desk.when(w)).transpose()?;
    let at =
        n.at.as_ref()
            .map(|w| when::parse_past(w, desk.clock.now_naive()))
            .transpose()
            .map_err(|e| Error::input(format!("--at: {e}")))?;
    let body = note_body(&n.text)?;
    let input = NoteInput {
        contact_id,
        deal_id: n.deal,
        kind: n.kind,
        outcome: n.outcome,
        body,
        done: n.done,
        next,
        next_text: n.next_text.clone(),
        next_kind: None,
        raw: n.raw,
        at,
    };
    let saved = desk.log_note(&input)?;
    writeln!(out, "note #{} saved", saved.note_id)?;
    for e in &saved.effects {
        writeln!(out, "{e}")?;
    }
    Ok(())
}

fn interval(flag: &str, s: &str) -> Result<Interval> {
    s.parse()
        .map_err(|e| Error::input(format!("{flag} {s:?}: {e}")))
}

fn follow_up(desk: &mut Desk, f: &FollowUpArgs, out: &mut dyn Write) -> Result<()> {
    match &f.cmd {
        Some(FollowUpCmd::Edit {
            id,
            when: w,
            text,
            kind,
            every,
            no_repeat,
        }) => {
            let e = FollowUpEdit {
                due: w.as_ref().map(|w| desk.when(w)).transpose()?,
                text: text.clone(),
                kind: *kind,
                every: if *no_repeat {
                    Some(None)
                } else {
                    every
                        .as_ref()
                        .map(|s| interval("--every", s).map(Some))
                        .transpose()?
                },
                ..Default::default()
            };
            desk.edit_follow_up(*id, &e, None)?;
            writeln!(out, "follow-up #{id} updated")?;
        }
        Some(FollowUpCmd::Cancel { id }) => {
            desk.cancel_follow_up(*id, None)?;
            writeln!(out, "follow-up #{id} cancelled")?;
        }
        Some(FollowUpCmd::List {
            contact,
            status,
            json,
        }) => {
            let contact_id = contact
                .as_ref()
                .map(|c| desk.resolve_contact(c))
                .transpose()?;
            // Scripts read every follow-up from `--json`; a person reading the text wants
            // what is still to do.
            let status_flag = *status;
            let status = match status {
                Some(s) => s.status(),
                None if *json => None,
                None => Some(crate::domain::follow_up::FollowUpStatus::Open),
            };
            let filter = crate::domain::follow_up::ListFilter {
                contact_id,
                status,
                ..Default::default()
            };
            let now = desk.clock.now_naive();
            let list = desk.db.read(|conn| follow_ups::list(conn, &filter, now))?;
            let defaulted = status_flag.is_none();
            if *json {
                output::json(out, &list)?;
            } else if list.is_empty() && defaulted {
                writeln!(
                    out,
                    "No open follow-ups. `--status all` lists the done and cancelled ones too."
                )?;
            } else {
                output::follow_ups(out, &list, &desk.clock)?;
            }
        }
        None => {
            let Some(contact) = &f.contact else {
                return Err(Error::input(
                    "name a contact: `salesdesk follow-up CONTACT WHEN [TEXT]`",
                ));
            };
            let contact_id = desk.resolve_contact(contact)?;
            let words: Vec<&str> = f.words.iter().flat_map(|w| w.split_whitespace()).collect();
            let leading = when::parse_leading(&words, desk.clock.now_naive())
                .map_err(|e| Error::input(e.to_string()))?;
            let Some((due, used)) = leading else {
                let first = words.first().copied().unwrap_or("");
                return Err(Error::input(when::WhenError::new(first).to_string()));
            };
            let text = words[used..].join(" ");
            let every = f
                .every
                .as_ref()
                .map(|s| interval("--every", s))
                .transpose()?;
            let nf = NewFollowUp {
                contact_id,
                deal_id: f.deal,
                kind: f.kind,
                text,
                due,
                every: every.map(|i| i.to_string()),
            };
            let id = desk.add_follow_up(&nf)?;
            writeln!(out, "{id}")?;
        }
    }
    Ok(())
}
