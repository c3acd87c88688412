//! The book as a whole: `undo`, `backup`, `restore`, `demo`.

use std::io::Write;
use std::path::Path;

use crate::error::Result;
use crate::ops::Desk;
use crate::ops::undo::Undone;
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
