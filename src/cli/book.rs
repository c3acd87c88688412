//! The book as a whole: `undo`, `backup`, `restore`, `demo`, `db init`, `db migrate`.

use std::io::Write;
use std::path::Path;

use crate::cli::args::Cli;
use crate::error::Result;
use crate::inert;
use crate::ops::Desk;
use crate::ops::undo::Undone;
use crate::paths;
use crate::storage::{Access, Db};
use crate::text::plural;

pub fn undo(desk: &mut Desk, out: &mut dyn Write) -> Result<()> {
    match desk.undo()? {
        Undone::Nothing => writeln!(out, "nothing to undo")?,
        Undone::Reverted(what) => writeln!(out, "undid {what}")?,
    }
    Ok(())
}

pub fn backup(desk: &mut Desk, path: Option<&Path>, out: &mut dyn Write) -> Result<()> {
    let p = desk.backup(path)?;
    writeln!(out, "backed up to {}", p.display())?;
    Ok(())
}

pub fn restore(desk: &mut Desk, path: &Path, out: &mut dyn Write) -> Result<()> {
    let kept = desk.restore(path)?;
    writeln!(out, "restored {}", path.display())?;
    if let Some(k) = kept {
        writeln!(out, "the book it replaced is kept as {}", k.display())?;
    }
    Ok(())
}

pub fn demo(desk: &mut Desk, force: bool, out: &mut dyn Write) -> Result<()> {
    let n = desk.load_demo(force)?;
    writeln!(
        out,
        "demo book loaded: {}, {}, {}, {}; `salesdesk` opens it",
        plural(n.contacts, "contact"),
        plural(n.deals, "deal"),
        plural(n.follow_ups, "follow-up"),
        plural(n.notes, "note")
    )?;
    Ok(())
}

/// `db init` and `db migrate`: a server book's schema is made and upgraded only by these
/// (under a lock); a file book is made and upgraded by any command, so these say where it is.
pub fn init_or_migrate(cli: &Cli, init: bool, out: &mut dyn Write) -> Result<()> {
    let book = paths::db_path(cli.db.as_deref())?;
    let shown = paths::shown(&book);
    if paths::is_server(&book) {
        let done = Db::migrate_server(&book.to_string_lossy(), init)?;
        let line = match done.from {
            None => format!("created the book on {shown} (schema {})", done.to),
            Some(v) if v < done.to => {
                format!(
                    "upgraded the book on {shown} from schema {v} to {}",
                    done.to
                )
            }
            Some(v) => format!("the book on {shown} is at schema {v}, this salesdesk's"),
        };
        writeln!(out, "{}", inert::clean(&line))?;
        return Ok(());
    }
    let db = Db::open_for(&book, Access::Write)?;
    for n in &db.notices {
        inert::say("note", n);
    }
    writeln!(
        out,
        "{}",
        inert::clean(&format!(
            "the book at {shown} is at schema {}, this salesdesk's",
            crate::storage::SCHEMA_VERSION
        ))
    )?;
    Ok(())
}
