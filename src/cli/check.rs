//! `db check`: SQLite's integrity check (naming the tree and page), references and the
//! columns triggers keep; damage found is recorded beside the book, a pass removes the record.

use std::io::Write;

use crate::cli::args::Cli;
use crate::error::{Error, Result};
use crate::ops::Desk;
use crate::{paths, storage};

pub fn db_check(desk: &Desk, cli: &Cli, out: &mut dyn Write) -> Result<()> {
    let problems = desk
        .db
        .peek(|r| Ok(storage::check::pages(r, storage::check::Depth::Full)))?;
    let intact = problems == ["ok"];
    // References and the columns triggers keep: only worth reading on an intact file
    // (on a damaged one they fail on the page the check has just named).
    let fk: i64 = if intact {
        desk.db.peek(storage::check::dangling_references)?
    } else {
        0
    };
    let derived = if intact {
        desk.db.peek(storage::derived::mismatches)?
    } else {
        Vec::new()
    };
    let book = paths::db_path(cli.db.as_deref())?;
    let on_server = paths::is_server(&book);
    if intact && fk == 0 && derived.is_empty() {
        if !on_server {
            crate::ops::damage::clear(&book)?;
        }
        writeln!(
            out,
            "ok: {} (schema {})",
            crate::inert::clean(&paths::shown(&book)),
            desk.db.schema_version()
        )?;
    } else {
        let mut lines = if intact { Vec::new() } else { problems };
        if fk > 0 {
            lines.push(if fk == 1 {
                "1 row points at a missing row".to_string()
            } else {
                format!("{fk} rows point at missing rows")
            });
        }
        lines.extend(derived);
        let msg = lines.join("\n");
        if !intact && !on_server {
            crate::ops::damage::record(&book, &format!("`db check` found: {}", lines.join("; ")))?;
        }
        return Err(Error::env(format!(
            "the book is damaged:\n{msg}\nrestore a backup from the data folder's backups/"
        )));
    }
    Ok(())
}
