//! Every command, flag and argument, as docs/MANUAL.md names them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

pub use super::args_work::*;
use crate::domain::contact::{Status, Temperature};
use crate::domain::deal::DealStatus;
use crate::domain::team::Scope;

/// The most days `today --days` looks ahead: ten years.
pub const MAX_DAYS_AHEAD: i64 = 3650;
/// The most hits `search --limit` lists.
pub const MAX_SEARCH_LIMIT: i64 = 10_000;

/// Every number typed on the command line goes through here: a whole number from `LO` to `HI`,
/// or an error that says the range, whatever was typed (`0`, `-1`, `1e9`, digits past i64).
pub fn bounded<const LO: i64, const HI: i64>(s: &str) -> Result<i64, String> {
    let range = if HI == i64::MAX {
        format!("a whole number, {LO} or more")
    } else {
        format!("a whole number from {LO} to {HI}")
    };
    let t = s.trim();
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("{s:?} is not {range}"));
    }
    match t.parse::<i64>() {
        Ok(n) if (LO..=HI).contains(&n) => Ok(n),
        _ => Err(format!("{t} is out of range: use {range}")),
    }
}

/// An id: 1 or more, as printed (`#12`) or bare.
pub fn id(s: &str) -> Result<i64, String> {
    bounded::<1, { i64::MAX }>(s.trim().strip_prefix('#').unwrap_or(s))
}

#[derive(Debug, Parser)]
#[command(
    name = "salesdesk",
    version,
    about = "A keyboard-driven terminal sales desk: contacts, deals, follow-ups and notes in one SQLite file",
    long_about = "A keyboard-driven terminal sales desk. Without a command it opens the desk.\n\n\
        WHEN is a date people say: today, tomorrow (tom), fri, next week, +3d, +2w, +1m, +4h, +30min, \
        in 3 days, 2026-12-01, dec 3, 3 dec, optionally followed by a time: 14:00, 9:30, 3pm.\n\
        CONTACT is an id (12 or #12), an email, or a name (any case or accents; words may be partial)."
)]
pub struct Cli {
    /// The book to use [default: $SALESDESK_DB, else salesdesk.db in your data folder]
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// The config file [default: $SALESDESK_CONFIG, else config.toml in your config folder]
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// What is due: overdue, today, upcoming, and contacts to reconnect with
    Today {
        /// Also show what is due in the next N days (0 to 3650)
        #[arg(long, default_value_t = 0, value_name = "N", allow_negative_numbers = true,
              value_parser = bounded::<0, MAX_DAYS_AHEAD>)]
        days: i64,
        /// One line for a shell prompt: "3 overdue · 5 today · 2 reconnect"
        #[arg(long, conflicts_with_all = ["json", "days"])]
        brief: bool,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        whose: WhoseArgs,
    },
    /// Add, edit, list, show, archive and merge contacts
    #[command(subcommand)]
    Contact(ContactCmd),
    /// Add, edit, move, win and lose deals
    #[command(subcommand)]
    Deal(DealCmd),
    /// Log a note on a contact; trailing `@fri`, `#stage`, `#won`, `#lost`, `$12k` act on save
    Note(NoteArgs),
    /// Schedule a follow-up: `follow-up ana next week call about pricing`; or edit, cancel, list
    #[command(
        name = "follow-up",
        args_conflicts_with_subcommands = true,
        subcommand_negates_reqs = true
    )]
    FollowUp(FollowUpArgs),
    /// Mark a follow-up done (a repeating one comes back at its next date)
    Done {
        #[arg(value_name = "FOLLOW-UP", allow_negative_numbers = true, value_parser = id)]
        id: i64,
    },
    /// Move a follow-up to another day or time
    Snooze {
        #[arg(value_name = "FOLLOW-UP", allow_negative_numbers = true, value_parser = id)]
        id: i64,
        #[arg(value_name = "WHEN", required = true, num_args = 1..)]
        when: Vec<String>,
    },
    /// Revert the newest change made through salesdesk
    Undo,
    /// Import contacts from CSV (Google, Outlook, LinkedIn, HubSpot…), vCard, or a JSON export
    Import(super::io::ImportArgs),
    /// Export the book as CSV, JSON, vCard or iCalendar
    Export(super::io::ExportArgs),
    /// Where the money is and how the work is going: pipeline, forecast, wins, sources, activity
    Report {
        /// Start of the period: -30d, -2w, -1m, 2026-09-01, "sep 1" [default: 90 days ago]
        #[arg(long, value_name = "WHEN", allow_hyphen_values = true)]
        since: Option<String>,
        /// One pipeline's figures (PIPELINE, or Unfiled) [default: all]
        #[arg(long, value_name = "PIPELINE")]
        pipeline: Option<String>,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        whose: WhoseArgs,
    },
    /// Find contacts, companies, deals and notes, best first (prefixes, any accents, parts of
    /// names, emails and phone numbers)
    Search {
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
        /// The most hits to list (1 to 10000)
        #[arg(long, default_value_t = 20, value_name = "N", allow_negative_numbers = true,
              value_parser = bounded::<1, MAX_SEARCH_LIMIT>)]
        limit: i64,
        #[arg(long)]
        json: bool,
    },
    /// Copy the book with SQLite's backup API, to PATH or to the backups folder
    Backup {
        #[arg(value_name = "PATH")]
        path: Option<std::path::PathBuf>,
    },
    /// Replace the book with a backup, after checking it; the replaced book is kept
    Restore {
        #[arg(value_name = "PATH")]
        path: std::path::PathBuf,
    },
    /// Send the follow-ups that came due and the morning summary (one pass, made to run
    /// every minute); install, uninstall or check the timer that runs it
    #[command(args_conflicts_with_subcommands = true)]
    Remind(RemindArgs),
    /// Load the demo book (dated relative to now) into an empty book
    Demo {
        /// Replace a book that holds contacts, after backing it up
        #[arg(long)]
        force: bool,
    },
    /// The book's file and its health
    #[command(subcommand)]
    Db(DbCmd),
    /// Where the config lives, and whether it is valid
    #[command(subcommand)]
    Config(ConfigCmd),
    /// Work a contact through a sequence of follow-ups: start, stop, list, show
    #[command(subcommand)]
    Sequence(SequenceCmd),
    /// The team on a PostgreSQL server book: add, list and remove its reps and managers
    #[command(subcommand)]
    Team(super::team::TeamCmd),
    /// Print shell completions
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// Whose list or report: yours by default; a colleague's or the whole team's for a manager.
#[derive(Debug, Args, Default)]
pub struct WhoseArgs {
    /// A colleague's instead of yours (managers, on a team's server book)
    #[arg(long, value_name = "NAME", conflicts_with = "team")]
    pub owner: Option<String>,
    /// The whole team's (managers, on a team's server book)
    #[arg(long)]
    pub team: bool,
}

impl WhoseArgs {
    pub fn scope(&self) -> Scope {
        match (&self.owner, self.team) {
            (Some(name), _) => Scope::Owner(name.clone()),
            (None, true) => Scope::Team,
            (None, false) => Scope::Mine,
        }
    }
}

#[derive(Debug, Args)]
pub struct RemindArgs {
    #[command(subcommand)]
    pub cmd: Option<RemindCmd>,
    /// Say what would be sent, send nothing and record nothing
    #[arg(long)]
    pub dry_run: bool,
    /// What was sent (or would be), as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum RemindCmd {
    /// Run the pass every minute: a systemd user timer, else the crontab line to add
    Install,
    /// Remove the timer
    Uninstall,
    /// Whether the pass is installed, when it last ran and what it last sent
    Status {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum SequenceCmd {
    /// Put a contact into a sequence of the config: its first step is scheduled now
    Start {
        contact: String,
        /// The sequence's name, as `[sequences.NAME]` in the config
        name: String,
        /// The deal the sequence is about (its win or loss stops it)
        #[arg(long, value_name = "DEAL", allow_negative_numbers = true, value_parser = id)]
        deal: Option<i64>,
    },
    /// Take a contact out of their sequence: the open step is cancelled
    Stop { contact: String },
    /// The contacts in a sequence: step n of m, next due, start date
    List {
        #[arg(long)]
        json: bool,
    },
    /// A sequence's steps and figures
    Show {
        name: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args, Default)]
pub struct ContactFlags {
    #[arg(long)]
    pub company: Option<String>,
    #[arg(long)]
    pub title: Option<String>,
    /// Repeatable; on edit, replaces the whole list
    #[arg(long = "email", value_name = "E")]
    pub emails: Vec<String>,
    /// Repeatable; on edit, replaces the whole list
    #[arg(long = "phone", value_name = "P")]
    pub phones: Vec<String>,
    /// Repeatable; on edit, replaces the whole list
    #[arg(long = "tag", value_name = "T")]
    pub tags: Vec<String>,
    /// Where the lead came from (referral, linkedin, event…)
    #[arg(long)]
    pub source: Option<String>,
    #[arg(long)]
    pub status: Option<Status>,
    #[arg(long)]
    pub temperature: Option<Temperature>,
    /// Keep in touch every… (30d, 2w, 1m)
    #[arg(long, value_name = "INTERVAL", allow_hyphen_values = true)]
    pub cadence: Option<String>,
    /// Who referred them (CONTACT); an empty source becomes referral
    #[arg(long, value_name = "CONTACT")]
    pub referred_by: Option<String>,
    /// Whose it is: a colleague on the team (a manager's to give; on edit, reassigns it)
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ContactCmd {
    /// Add a contact and print its id
    Add {
        #[arg(long)]
        name: String,
        #[command(flatten)]
        flags: ContactFlags,
        /// Add it even when another contact has the same email
        #[arg(long)]
        allow_duplicate: bool,
    },
    /// Change only the fields given
    Edit(ContactEditArgs),
    /// List contacts
    List {
        /// Words or parts of a name, company, email or phone
        #[arg(long, value_name = "Q")]
        search: Option<String>,
        #[arg(long, value_name = "T")]
        tag: Option<String>,
        #[arg(long)]
        status: Option<Status>,
        /// List the archived contacts instead
        #[arg(long)]
        archived: bool,
        #[arg(long)]
        json: bool,
    },
    /// Fields, open deals, open follow-ups and notes, newest first
    Show {
        contact: String,
        #[arg(long)]
        json: bool,
    },
    /// Hide a contact without losing anything
    Archive { contact: String },
    /// Bring an archived contact back
    Unarchive { contact: String },
    /// Move everything of CONTACT into INTO, then remove CONTACT
    Merge { contact: String, into: String },
    /// Erase a contact and everything tied to them, for a deletion request (cannot be undone)
    Purge {
        contact: String,
        /// Confirm: the contact, their deals, follow-ups and notes are erased for good
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Debug, Args)]
pub struct ContactEditArgs {
    pub contact: String,
    #[arg(long)]
    pub name: Option<String>,
    #[command(flatten)]
    pub flags: ContactFlags,
    #[arg(long, value_name = "T")]
    pub add_tag: Vec<String>,
    #[arg(long, value_name = "T")]
    pub remove_tag: Vec<String>,
    #[arg(long, value_name = "E")]
    pub add_email: Vec<String>,
    #[arg(long, value_name = "P")]
    pub add_phone: Vec<String>,
    /// Stop the keep-in-touch cadence
    #[arg(long, conflicts_with = "cadence")]
    pub no_cadence: bool,
}

#[derive(Debug, Subcommand)]
pub enum DealCmd {
    /// Add a deal and print its id
    Add(DealAddArgs),
    /// Change a deal's title, contact, value, currency or expected close
    Edit(DealEditArgs),
    /// Move a deal to another stage
    Move {
        #[arg(allow_negative_numbers = true, value_parser = id)]
        id: i64,
        stage: String,
    },
    /// Close a deal won; its open follow-ups are cancelled
    Won {
        #[arg(allow_negative_numbers = true, value_parser = id)]
        id: i64,
        /// Leave the deal's open follow-ups open
        #[arg(long)]
        keep_follow_ups: bool,
    },
    /// Close a deal lost; its open follow-ups are cancelled
    Lost {
        #[arg(allow_negative_numbers = true, value_parser = id)]
        id: i64,
        #[arg(long)]
        reason: String,
        /// Leave the deal's open follow-ups open
        #[arg(long)]
        keep_follow_ups: bool,
    },
    /// Open a closed deal again
    Reopen {
        #[arg(allow_negative_numbers = true, value_parser = id)]
        id: i64,
    },
    /// A deal's fields, history, follow-ups and notes
    Show {
        #[arg(allow_negative_numbers = true, value_parser = id)]
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// List deals, open first
    List(DealListArgs),
}

#[derive(Debug, Args)]
pub struct DealAddArgs {
    #[arg(long)]
    pub title: String,
    #[arg(long)]
    pub contact: String,
    /// 12000.50, 12,500 or 12k
    #[arg(long)]
    pub value: Option<String>,
    /// Three letters; default: the book's currency
    #[arg(long)]
    pub currency: Option<String>,
    /// Default: the first stage of the pipeline
    #[arg(long)]
    pub stage: Option<String>,
    /// The pipeline it goes in [default: the first in the config]
    #[arg(long, value_name = "PIPELINE")]
    pub pipeline: Option<String>,
    /// Expected close (WHEN)
    #[arg(long, value_name = "WHEN")]
    pub close: Option<String>,
    /// Whose it is: a colleague on the team (a manager's to give; on edit, reassigns it)
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,
}

#[derive(Debug, Args)]
pub struct DealEditArgs {
    #[arg(allow_negative_numbers = true, value_parser = id)]
    pub id: i64,
    #[arg(long)]
    pub title: Option<String>,
    #[arg(long)]
    pub contact: Option<String>,
    #[arg(long)]
    pub value: Option<String>,
    #[arg(long)]
    pub currency: Option<String>,
    #[arg(long, value_name = "WHEN")]
    pub close: Option<String>,
    /// Move it to this stage too
    #[arg(long)]
    pub stage: Option<String>,
    /// Move it to this pipeline, at --stage or that pipeline's first stage
    #[arg(long, value_name = "PIPELINE")]
    pub pipeline: Option<String>,
    /// Whose it is: a colleague on the team (a manager's to give; on edit, reassigns it)
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,
}

#[derive(Debug, Args)]
pub struct DealListArgs {
    /// The deals of one pipeline (PIPELINE, or Unfiled)
    #[arg(long, value_name = "PIPELINE")]
    pub pipeline: Option<String>,
    #[arg(long)]
    pub stage: Option<String>,
    #[arg(long)]
    pub status: Option<DealStatus>,
    /// The deals of this contact (CONTACT)
    #[arg(long, value_name = "CONTACT")]
    pub contact: Option<String>,
    /// The deals of this company's contacts (any case or accents)
    #[arg(long, value_name = "COMPANY")]
    pub company: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum DbCmd {
    /// Print where the book is
    Path,
    /// Check the book's integrity
    Check,
    /// Create the book: on a PostgreSQL server, its schema in an empty database
    Init,
    /// Upgrade the book's schema to this salesdesk's (on a server, under a lock)
    Migrate,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCmd {
    /// Print where the config file is (it need not exist: then the defaults apply)
    Path,
    /// Check the config file: "ok" and its path, or the error with its line
    Check,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_within_their_range_or_say_it() {
        assert_eq!(bounded::<0, 3650>("0"), Ok(0));
        assert_eq!(bounded::<0, 3650>(" 3650 "), Ok(3650));
        assert_eq!(bounded::<0, 3650>("+7"), Ok(7));
        for bad in [
            "-1",
            "3651",
            "9223372036854775808",
            "1e3",
            "1.5",
            "",
            "-",
            "ten",
        ] {
            let e = bounded::<0, 3650>(bad).unwrap_err();
            assert!(e.contains("a whole number from 0 to 3650"), "{bad}: {e}");
        }
        assert_eq!(id("#12"), Ok(12));
        assert_eq!(id("12"), Ok(12));
        assert_eq!(id(&i64::MAX.to_string()), Ok(i64::MAX));
        for bad in ["0", "#0", "-1", "##1", "#"] {
            assert!(id(bad).unwrap_err().contains("1 or more"), "{bad}");
        }
    }
}
