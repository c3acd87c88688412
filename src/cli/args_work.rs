//! The flags of the commands that log work: `note` and `follow-up`.

use clap::{Args, Subcommand};

use super::args::id;
use crate::domain::follow_up::{FollowUpKind, FollowUpStatus};
use crate::domain::note::{NoteKind, Outcome};

#[derive(Debug, Args)]
pub struct NoteArgs {
    pub contact: String,
    /// The note; none or `-` reads stdin, or opens $EDITOR on a terminal
    #[arg(value_name = "TEXT")]
    pub text: Vec<String>,
    #[arg(long, default_value = "note")]
    pub kind: NoteKind,
    /// A call: connected, voicemail, no-answer; an email: replied; a meeting: held, no-show
    #[arg(long)]
    pub outcome: Option<Outcome>,
    #[arg(long, value_name = "DEAL", allow_negative_numbers = true, value_parser = id)]
    pub deal: Option<i64>,
    /// Complete this follow-up
    #[arg(long, value_name = "FOLLOW-UP", allow_negative_numbers = true, value_parser = id)]
    pub done: Option<i64>,
    /// Schedule the next follow-up
    #[arg(long, value_name = "WHEN")]
    pub next: Option<String>,
    /// The next follow-up's text
    #[arg(long, value_name = "T", requires = "next")]
    pub next_text: Option<String>,
    /// Keep trailing @, # and $ words as plain text
    #[arg(long)]
    pub raw: bool,
    /// When it happened, for a note logged late: fri, 4pm, yesterday 4pm, -2h (the most
    /// recent such moment; never one ahead)
    #[arg(long, value_name = "WHEN", allow_hyphen_values = true)]
    pub at: Option<String>,
    /// Seen by you and the managers only (a book on a server; on a personal book you are the
    /// only reader anyway)
    #[arg(long)]
    pub private: bool,
}

#[derive(Debug, Args)]
pub struct FollowUpArgs {
    #[command(subcommand)]
    pub cmd: Option<FollowUpCmd>,
    #[arg(required = true)]
    pub contact: Option<String>,
    /// WHEN, then the text: `next week call about pricing`
    #[arg(value_name = "WHEN [TEXT]", required = true, num_args = 1..)]
    pub words: Vec<String>,
    #[arg(long, default_value = "call")]
    pub kind: FollowUpKind,
    #[arg(long, value_name = "DEAL", allow_negative_numbers = true, value_parser = id)]
    pub deal: Option<i64>,
    /// Repeat: completing it schedules the next one this long after (1w, 2w, 1m)
    #[arg(long, value_name = "INTERVAL", allow_hyphen_values = true)]
    pub every: Option<String>,
    /// Whose it is: a colleague on the team (a manager's to give; on edit, reassigns it)
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum FollowUpCmd {
    /// Change a follow-up's date, text, kind or repetition
    Edit(FollowUpEditArgs),
    /// Cancel a follow-up: neither done nor due
    Cancel {
        #[arg(value_name = "FOLLOW-UP", allow_negative_numbers = true, value_parser = id)]
        id: i64,
    },
    /// List follow-ups: the open ones, or those of `--status`; `--json` lists all by default
    List(FollowUpListArgs),
}

#[derive(Debug, Args)]
pub struct FollowUpEditArgs {
    #[arg(value_name = "FOLLOW-UP", allow_negative_numbers = true, value_parser = id)]
    pub id: i64,
    #[arg(long, value_name = "WHEN")]
    pub when: Option<String>,
    #[arg(long, value_name = "T")]
    pub text: Option<String>,
    #[arg(long)]
    pub kind: Option<FollowUpKind>,
    #[arg(
        long,
        value_name = "INTERVAL",
        conflicts_with = "no_repeat",
        allow_hyphen_values = true
    )]
    pub every: Option<String>,
    #[arg(long)]
    pub no_repeat: bool,
    /// Whose it is: a colleague on the team (a manager's to give; on edit, reassigns it)
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,
}

#[derive(Debug, Args)]
pub struct FollowUpListArgs {
    #[arg(long)]
    pub contact: Option<String>,
    #[arg(long, value_enum)]
    pub status: Option<FollowUpListStatus>,
    #[arg(long)]
    pub json: bool,
}

/// Which follow-ups `follow-up list` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FollowUpListStatus {
    Open,
    Done,
    Cancelled,
    All,
}

impl FollowUpListStatus {
    /// The stored status to filter on; `None` for all of them.
    pub fn status(self) -> Option<FollowUpStatus> {
        match self {
            Self::Open => Some(FollowUpStatus::Open),
            Self::Done => Some(FollowUpStatus::Done),
            Self::Cancelled => Some(FollowUpStatus::Cancelled),
            Self::All => None,
        }
    }
}
