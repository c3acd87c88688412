//! `note CONTACT [TEXT...]`: the text from the arguments, stdin or `$EDITOR`.

use std::io::{IsTerminal, Read, Write};

use crate::cli::args::NoteArgs;
use crate::error::{Error, Result};
use crate::ops::Desk;
use crate::ops::notes::NoteInput;
use crate::when;

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

pub fn run(desk: &mut Desk, n: &NoteArgs, out: &mut dyn Write) -> Result<()> {
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
        private: n.private,
    };
    let saved = desk.log_note(&input)?;
    writeln!(out, "note #{} saved", saved.note_id)?;
    for e in &saved.effects {
        writeln!(out, "{e}")?;
    }
    Ok(())
}
